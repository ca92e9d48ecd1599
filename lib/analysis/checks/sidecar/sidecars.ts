/** What the Sidecar checks share: each Sidecar's workload selector (Istio's `workloadSelector.labels`). */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { labelsOf } from '../../../model/objects';

/** The labels of a Sidecar's workload selector (empty: the Sidecar is namespace-wide). */
export function sidecarSelector(sidecar: KubernetesObject): Record<string, string> {
  const spec = (sidecar as { spec?: { workloadSelector?: { labels?: Readonly<Record<string, string>> } } }).spec;
  return labelsOf(spec?.workloadSelector?.labels);
}
