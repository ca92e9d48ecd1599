import { Check } from '../../check';
import { labelsOf, specOf, WorkloadPolicySpec } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { selectorString } from '../../../model/istio';
import { knowsNamespace } from '../workload/known-namespaces';
import { ROOT_NAMESPACES } from './root-namespaces';

const POLICY_KINDS = ['AuthorizationPolicy', 'RequestAuthentication', 'PeerAuthentication', 'Telemetry'];

/**
 * An AuthorizationPolicy, RequestAuthentication, PeerAuthentication or Telemetry whose selector
 * selects no pod template: in its namespace, or in any namespace for the root namespace. Reported
 * only for namespaces the set deploys to or creates (and always for the root namespace when the
 * set deploys any workload); policies bound with targetRefs are not read. An AuthorizationPolicy
 * without selector (namespace-wide) outside the root namespace is reported when the set creates
 * its namespace and deploys nothing there (istioctl's authz analyzer does the same).
 */
export const noMatchingWorkloadsFound: Check = {
  name: 'NoMatchingWorkloadsFound',
  code: 'EDGE6004',
  istioCode: 'IST0127',
  severity: 'warning',
  kinds: [...POLICY_KINDS, 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A security or telemetry policy whose selector selects no workload.',
  details: 'A policy applies to the pods its selector matches in its namespace (every namespace from the root namespace); with none it protects or measures nothing (a DENY or a JWT requirement that selects nothing leaves the workload open). Use the labels of the pods.',
  run(index, report) {
    for (const kind of POLICY_KINDS) {
      for (const policy of index.ofKind(kind)) {
        const spec = specOf<WorkloadPolicySpec>(policy);
        const selector = labelsOf(spec.selector?.matchLabels);
        if (spec.targetRef || spec.targetRefs) continue;
        const ns = namespaceOf(policy);
        const root = ROOT_NAMESPACES.includes(ns);
        if (Object.keys(selector).length === 0) {
          if (kind === 'AuthorizationPolicy' && !root && knowsNamespace(index, ns) && !index.namespacesWithPods.has(ns)) {
            report(policy, 'spec', `This namespace-wide AuthorizationPolicy is in namespace "${ns}", where the set deploys no workload, so it applies to nothing: put it in the namespace of the workloads it is for.`);
          }
          continue;
        }
        if (root ? index.podTemplates.length === 0 : !knowsNamespace(index, ns)) continue;
        if (index.podsMatching(selector, root ? undefined : ns).length === 0) {
          report(policy, 'spec.selector.matchLabels', `Selector {${selectorString(selector)}} selects no pod template ${root ? 'in any namespace' : `in namespace "${ns}"`}, so this ${kind} applies to nothing: use the labels of the pods it is for.`);
        }
      }
    }
  },
};
