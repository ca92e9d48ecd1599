import { Check } from '../../check';
import { HorizontalPodAutoscalerSpec, list, specOf, WorkloadSpec } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';

/** An autoscaler with a CPU or memory utilization target over containers without that request. */
export const horizontalPodAutoscalerTargetWithoutRequests: Check = {
  name: 'HorizontalPodAutoscalerTargetWithoutRequests',
  code: 'EDGE5003',
  severity: 'error',
  kinds: ['HorizontalPodAutoscaler', 'Deployment', 'StatefulSet', 'ReplicaSet'],
  description: 'An autoscaler with a CPU or memory utilization target over containers without that request.',
  details: 'Utilization is usage divided by the request: without a request on every container the autoscaler cannot compute it and does nothing. Set resources.requests on every container.',
  run(index, report) {
    for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
      const spec = specOf<HorizontalPodAutoscalerSpec>(hpa);
      const ref = spec.scaleTargetRef ?? {};
      if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
      const target = index.get(ref.kind, namespaceOf(hpa), ref.name);
      if (!target) continue;
      const containers = list(specOf<WorkloadSpec>(target).template?.spec?.containers);
      list(spec.metrics).forEach((m, i) => {
        const resource = m?.type === 'Resource' ? m.resource : undefined;
        if (!resource?.name || resource.target?.type !== 'Utilization') return;
        for (const c of containers) {
          if (!c?.resources?.requests?.[resource.name]) {
            report(hpa, `spec.metrics[${i}]`, `Container "${c?.name}" of ${ref.kind} ${ref.name} has no ${resource.name} request, so ${resource.name} utilization cannot be computed and the autoscaler does nothing: set resources.requests.${resource.name}.`);
          }
        }
      });
    }
  },
};
