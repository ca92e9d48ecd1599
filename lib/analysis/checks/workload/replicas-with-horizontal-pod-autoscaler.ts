import { Check } from '../../check';
import { specOf, WorkloadSpec } from '../../../model/objects';

/** `spec.replicas` set on a workload an autoscaler drives. */
export const replicasWithHorizontalPodAutoscaler: Check = {
  name: 'ReplicasWithHorizontalPodAutoscaler',
  code: 'EDGE5005',
  severity: 'warning',
  kinds: ['HorizontalPodAutoscaler', 'Deployment', 'StatefulSet', 'ReplicaSet'],
  description: '`spec.replicas` set on a workload an autoscaler drives.',
  details: 'Every apply resets the scale the autoscaler chose (server-side apply fights it). Remove spec.replicas from the workload.',
  run(index, report) {
    for (const [key, hpa] of index.autoscalers) {
      const [ns, kind, name] = key.split('/');
      const target = index.get(kind, ns, name);
      const replicas = target && specOf<WorkloadSpec>(target).replicas;
      if (target && replicas !== undefined) {
        report(target, 'spec.replicas', `${kind} ${name} sets replicas ${replicas} while HorizontalPodAutoscaler ${hpa.metadata?.name} drives it: every apply resets the scale; remove spec.replicas.`);
      }
    }
  },
};
