import { Check } from '../../check';
import { HorizontalPodAutoscalerSpec, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';

/** An autoscaler whose scaleTargetRef names no object of the set in its namespace. */
export const horizontalPodAutoscalerTargetNotFound: Check = {
  name: 'HorizontalPodAutoscalerTargetNotFound',
  code: 'EDGE5004',
  severity: 'error',
  kinds: ['HorizontalPodAutoscaler', 'Deployment', 'StatefulSet', 'ReplicaSet'],
  description: 'An autoscaler whose target (scaleTargetRef) is not in the set.',
  details: 'The autoscaler scales the object its scaleTargetRef names in its own namespace; when that does not exist it reports FailedGetScale and scales nothing. Fix the kind and name, or move the autoscaler to the target\'s namespace.',
  run(index, report) {
    for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
      const ref = specOf<HorizontalPodAutoscalerSpec>(hpa).scaleTargetRef;
      if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
      if (!index.get(ref.kind, namespaceOf(hpa), ref.name)) {
        report(hpa, 'spec.scaleTargetRef', `Target ${ref.kind} "${ref.name}" is not in the set in namespace "${namespaceOf(hpa)}", so the autoscaler scales nothing (FailedGetScale): fix scaleTargetRef.`);
      }
    }
  },
};
