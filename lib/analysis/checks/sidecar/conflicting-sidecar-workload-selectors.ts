import { Check } from '../../check';
import { namespaceOf, PodTemplate } from '../../../model/object-index';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { sidecarSelector } from './sidecars';

/**
 * Two or more Sidecars of one namespace whose workload selectors select the same pod template:
 * istiod applies one of them (the oldest), so which scoping a pod gets depends on creation order
 * (istioctl's sidecar SelectorAnalyzer, IST0109).
 */
export const conflictingSidecarWorkloadSelectors: Check = {
  name: 'ConflictingSidecarWorkloadSelectors',
  code: 'EDGE2011',
  istioCode: 'IST0109',
  severity: 'error',
  kinds: ['Sidecar', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'Several Sidecars of one namespace select the same workload.',
  details: 'A pod gets one Sidecar: with two selecting it, istiod keeps the oldest, so the egress hosts and outbound policy the pod gets depend on the order the objects were created in. Merge them into one Sidecar, or make their selectors disjoint.',
  run(index, report) {
    const selecting = new Map<PodTemplate, KubernetesObject[]>();
    for (const sidecar of index.ofKind('Sidecar')) {
      const selector = sidecarSelector(sidecar);
      if (Object.keys(selector).length === 0) continue;
      for (const pod of index.podsMatching(selector, namespaceOf(sidecar))) selecting.set(pod, [...selecting.get(pod) ?? [], sidecar]);
    }
    const reported = new Set<KubernetesObject>();
    for (const [pod, sidecars] of selecting) {
      if (sidecars.length < 2) continue;
      const names = sidecars.map((s) => s.metadata?.name ?? '').sort().join(', ');
      for (const sidecar of sidecars) {
        if (reported.has(sidecar)) continue;
        reported.add(sidecar);
        report(sidecar, 'spec.workloadSelector.labels', `The Sidecars ${names} in namespace "${namespaceOf(sidecar)}" all select the pods of ${pod.workload.kind} ${pod.workload.metadata?.name}; istiod applies only the oldest: merge them, or make their selectors disjoint.`);
      }
    }
  },
};
