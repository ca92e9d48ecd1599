import { Check } from '../../check';
import { namespaceOf } from '../../../model/object-index';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { sidecarSelector } from './sidecars';

/**
 * Two or more Sidecars without a workload selector in one namespace: each would be the namespace's
 * default, and istiod keeps one (istioctl's sidecar SelectorAnalyzer, IST0110).
 */
export const multipleSidecarsWithoutWorkloadSelectors: Check = {
  name: 'MultipleSidecarsWithoutWorkloadSelectors',
  code: 'EDGE2012',
  istioCode: 'IST0110',
  severity: 'error',
  kinds: ['Sidecar'],
  description: 'Several Sidecars without a workload selector in one namespace.',
  details: 'A Sidecar without workloadSelector is the default of every pod of its namespace (of the mesh, in the root namespace); a namespace has one. With two, istiod keeps the oldest and the other is ignored. Merge their egress hosts into one, or give the others a workloadSelector.',
  run(index, report) {
    const byNamespace = new Map<string, KubernetesObject[]>();
    for (const sidecar of index.ofKind('Sidecar')) {
      if (Object.keys(sidecarSelector(sidecar)).length > 0) continue;
      const ns = namespaceOf(sidecar);
      byNamespace.set(ns, [...byNamespace.get(ns) ?? [], sidecar]);
    }
    for (const [ns, sidecars] of byNamespace) {
      if (sidecars.length < 2) continue;
      const names = sidecars.map((s) => s.metadata?.name ?? '').sort().join(', ');
      for (const sidecar of sidecars) {
        report(sidecar, 'spec', `The Sidecars ${names} in namespace "${ns}" have no workloadSelector, so each would be the namespace's default; istiod keeps only the oldest: merge them into one, or give the others a workloadSelector.`);
      }
    }
  },
};
