/** Namespaces the set describes fully enough to say "nothing there matches". */
import { ObjectIndex } from '../../../model/object-index';

/**
 * Whether the set deploys workloads into `namespace` (a pod template there) or creates it (a
 * Namespace object): only then is "selects no pod" a finding rather than a gap of the set.
 */
export function knowsNamespace(index: ObjectIndex, namespace: string): boolean {
  return index.namespacesWithPods.has(namespace) || index.get('Namespace', '', namespace) !== undefined;
}
