import { Check } from '../../check';
import { DestinationRuleSpec, labelsOf, list, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';

/**
 * Labels Istio adds to every endpoint from its node (locality, host, network, cluster): a subset
 * may select on them, and a pod template cannot tell which values its pods will have.
 */
export const TOPOLOGY_LABELS: ReadonlySet<string> = new Set([
  'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone', 'kubernetes.io/hostname',
  'topology.istio.io/network', 'topology.istio.io/cluster', 'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
]);

/**
 * A DestinationRule subset whose labels, with the host's workload selector, select no pod
 * template of the host's namespace. Topology labels (zone, region, hostname, ...) are left out of
 * the comparison, as any pod may land anywhere, except an empty value: Istio never matches an
 * endpoint on an empty topology label, so such a subset selects nothing (istioctl's test
 * destinationrule-empty-topology-labels). Only hosts the set defines with a selector.
 */
export const destinationRuleSubsetNotSelectPods: Check = {
  name: 'DestinationRuleSubsetNotSelectPods',
  code: 'EDGE3001',
  istioCode: 'IST0173',
  severity: 'warning',
  kinds: ['DestinationRule', 'Service', 'ServiceEntry', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A DestinationRule subset whose labels select no pod template of the host.',
  details: 'Requests routed to a subset without endpoints get 503 UH (no healthy upstream). Fix the subset\'s labels to those of the version\'s pods, or deploy the version.',
  run(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const spec = specOf<DestinationRuleSpec>(dr);
      if (typeof spec.host !== 'string') continue;
      const entry = index.registryHost(spec.host, namespaceOf(dr));
      if (!entry?.selector) continue;
      const ns = namespaceOf(entry.source);
      list(spec.subsets).forEach((subset, i) => {
        const entries = Object.entries(labelsOf(subset?.labels));
        const empty = entries.find(([k, v]) => TOPOLOGY_LABELS.has(k) && v === '');
        if (empty) {
          report(dr, `spec.subsets[${i}].labels`, `Subset "${subset?.name}" selects on the topology label ${empty[0]} with an empty value, which Istio never matches (endpoints get their locality from their node's non-empty labels), so its traffic gets 503 UH: give the value, or remove the label.`);
          return;
        }
        const own = entries.filter(([k]) => !TOPOLOGY_LABELS.has(k));
        const labels = { ...entry.selector, ...Object.fromEntries(own) };
        if (index.podsMatching(labels, ns).length === 0) {
          report(dr, `spec.subsets[${i}].labels`, `Subset "${subset?.name}" (labels ${JSON.stringify(subset?.labels ?? {})} with the selector of ${entry.source.kind} ${ns}/${entry.source.metadata?.name}) selects no pod template in namespace "${ns}", so its traffic gets 503 UH: fix the labels or deploy the version.`);
        }
      });
    }
  },
};
