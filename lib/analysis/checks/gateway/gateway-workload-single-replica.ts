import { Check } from '../../check';
import { gatewayWorkloads } from '../../../model/istio';

/** A gateway workload running fewer than 2 pods at its minimum. */
export const gatewayWorkloadSingleReplica: Check = {
  name: 'GatewayWorkloadSingleReplica',
  code: 'EDGE1011',
  severity: 'warning',
  kinds: ['Gateway', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Pod', 'HorizontalPodAutoscaler'],
  description: 'A gateway workload with fewer than 2 minimum replicas.',
  details: 'With one gateway pod, a restart or a node drain takes the whole edge down. Run at least 2 (replicas, or the autoscaler\'s minReplicas).',
  run(index, report) {
    for (const pod of gatewayWorkloads(index)) {
      const min = index.minimumPods(pod);
      if (min !== undefined && min < 2) {
        report(pod.workload, 'spec.replicas', `The gateway runs at least ${min} pod: a restart or a node drain takes the edge down. Run at least 2 (replicas or the autoscaler's minReplicas).`);
      }
    }
  },
};
