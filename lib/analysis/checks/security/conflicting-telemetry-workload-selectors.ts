import { Check } from '../../check';
import { labelsOf, specOf, WorkloadPolicySpec } from '../../../model/objects';
import { namespaceOf, PodTemplate } from '../../../model/object-index';
import { KubernetesObject } from '../../../model/kubernetes-object';

/**
 * Two or more Telemetry resources of one namespace whose workload selectors select the same pod
 * template: which one applies is undefined (istioctl's telemetry SelectorAnalyzer, IST0159).
 * Telemetries without a selector (namespace-wide) and those bound with targetRefs are not compared.
 */
export const conflictingTelemetryWorkloadSelectors: Check = {
  name: 'ConflictingTelemetryWorkloadSelectors',
  code: 'EDGE6005',
  istioCode: 'IST0159',
  severity: 'error',
  kinds: ['Telemetry', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'Several Telemetry resources of one namespace select the same workload.',
  details: 'Istio applies one workload-level Telemetry to a pod; with two selecting it, which one wins is undefined, so metrics, logs or traces change from one push to the next. Merge them into one Telemetry, or make their selectors disjoint.',
  run(index, report) {
    const selecting = new Map<PodTemplate, Array<{ name: string; policy: KubernetesObject }>>();
    for (const t of index.ofKind('Telemetry')) {
      const spec = specOf<WorkloadPolicySpec>(t);
      const selector = labelsOf(spec.selector?.matchLabels);
      if (Object.keys(selector).length === 0 || spec.targetRef || spec.targetRefs) continue;
      for (const pod of index.podsMatching(selector, namespaceOf(t))) {
        const list = selecting.get(pod) ?? [];
        list.push({ name: t.metadata?.name ?? '', policy: t });
        selecting.set(pod, list);
      }
    }
    const reported = new Set<KubernetesObject>();
    for (const [pod, telemetries] of selecting) {
      if (telemetries.length < 2) continue;
      const { workload } = pod;
      for (const { policy } of telemetries) {
        if (reported.has(policy)) continue;
        reported.add(policy);
        report(policy, 'spec.selector.matchLabels', `The Telemetries ${telemetries.map((x) => x.name).sort().join(', ')} in namespace "${namespaceOf(policy)}" all select the pods of ${workload.kind} ${workload.metadata?.name}, so which one applies is undefined: merge them, or make their selectors disjoint.`);
      }
    }
  },
};
