import { Check } from '../../check';
import { namespaceOf } from '../../../model/object-index';
import { selectorString } from '../../../model/istio';
import { knowsNamespace } from '../workload/known-namespaces';
import { sidecarSelector } from './sidecars';

/**
 * A Sidecar whose workload selector selects no pod template of its namespace (istioctl's sidecar
 * SelectorAnalyzer reports it as ReferencedResourceNotFound, IST0101). Reported only for
 * namespaces the set deploys to or creates, as for the other selectors.
 */
export const sidecarSelectorMatchesNoWorkload: Check = {
  name: 'SidecarSelectorMatchesNoWorkload',
  code: 'EDGE2013',
  istioCode: 'IST0101',
  severity: 'warning',
  kinds: ['Sidecar', 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Sidecar whose workload selector selects no pod of its namespace.',
  details: 'A Sidecar with a workloadSelector applies to the pods of its own namespace with those labels; with none, its egress scoping and outbound policy apply to nothing, and the pods it was meant for get the namespace\'s default. Use the labels of the pods.',
  run(index, report) {
    for (const sidecar of index.ofKind('Sidecar')) {
      const selector = sidecarSelector(sidecar);
      const ns = namespaceOf(sidecar);
      if (Object.keys(selector).length === 0 || !knowsNamespace(index, ns)) continue;
      if (index.podsMatching(selector, ns).length === 0) {
        report(sidecar, 'spec.workloadSelector.labels', `Selector {${selectorString(selector)}} selects no pod template in namespace "${ns}", so this Sidecar applies to nothing: use the labels of the pods it is for.`);
      }
    }
  },
};
