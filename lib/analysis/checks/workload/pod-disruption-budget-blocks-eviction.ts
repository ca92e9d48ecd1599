import { Check } from '../../check';
import { allowedDisruptions } from '../../../private/disruption-budget';
import { PodDisruptionBudgetSpec, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';

/** A PodDisruptionBudget that forbids every eviction given its workloads' replicas or autoscaler minimum. */
export const podDisruptionBudgetBlocksEviction: Check = {
  name: 'PodDisruptionBudgetBlocksEviction',
  code: 'EDGE5001',
  severity: 'error',
  kinds: ['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Pod'],
  description: 'A PodDisruptionBudget that forbids every eviction given its workloads\' replicas or autoscaler minimum.',
  details: 'A budget that allows no disruption blocks node drains and cluster upgrades (AKS upgrades stall). Lower minAvailable (or raise maxUnavailable), or run more replicas.',
  run(index, report) {
    for (const pdb of index.ofKind('PodDisruptionBudget')) {
      const spec = specOf<PodDisruptionBudgetSpec>(pdb);
      const pods = index.podsSelectedBy(spec.selector ?? {}, namespaceOf(pdb));
      const counts = pods.map((p) => index.minimumPods(p));
      if (pods.length === 0 || counts.some((c) => c === undefined)) continue;
      const replicas = (counts as number[]).reduce((a, b) => a + b, 0);
      const field = spec.minAvailable !== undefined ? 'minAvailable' : spec.maxUnavailable !== undefined ? 'maxUnavailable' : undefined;
      if (!field) continue;
      const value = spec[field]!;
      if (allowedDisruptions(field, value, replicas) < 1) {
        report(pdb, `spec.${field}`, `${field} ${JSON.stringify(value)} over ${replicas} pod(s) (${pods.map((p) => p.workload.metadata?.name).join(', ')}) allows no eviction, so node drains and cluster upgrades block: lower it or raise the replicas.`);
      }
    }
  },
};
