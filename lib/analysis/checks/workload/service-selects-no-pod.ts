import { Check } from '../../check';
import { labelsOf, ServiceSpec, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { knowsNamespace } from './known-namespaces';

/**
 * A Service with a selector that selects no pod template of its namespace: it has no endpoints
 * (a gateway Service so broken takes the edge down). Reported only for namespaces the set deploys
 * to or creates.
 */
export const serviceSelectsNoPod: Check = {
  name: 'ServiceSelectsNoPod',
  code: 'EDGE5006',
  severity: 'error',
  kinds: ['Service', 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Service whose selector selects no pod of its namespace.',
  details: 'A Service sends traffic to the pods its selector matches in its namespace; with none it has no endpoints and its clients get connection failures (503 UH through Istio). Fix the selector to the pod labels.',
  run(index, report) {
    for (const svc of index.ofKind('Service')) {
      const ns = namespaceOf(svc);
      const selector = labelsOf(specOf<ServiceSpec>(svc).selector);
      if (Object.keys(selector).length === 0 || !knowsNamespace(index, ns)) continue;
      if (index.podsMatching(selector, ns).length === 0) {
        report(svc, 'spec.selector', `Selector ${JSON.stringify(selector)} selects no pod template in namespace "${ns}", so the Service has no endpoints: use the labels of the pods it fronts.`);
      }
    }
  },
};
