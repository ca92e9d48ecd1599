import { Check } from '../../check';
import { PodDisruptionBudgetSpec, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { knowsNamespace } from './known-namespaces';

/** A PodDisruptionBudget that selects no pod template of its namespace: it protects nothing. */
export const podDisruptionBudgetSelectsNoPod: Check = {
  name: 'PodDisruptionBudgetSelectsNoPod',
  code: 'EDGE5002',
  severity: 'error',
  kinds: ['PodDisruptionBudget', 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A PodDisruptionBudget whose selector selects no pod of its namespace.',
  details: 'A budget only counts pods its selector matches in its own namespace; with none, drains evict the workload it was meant to protect all at once. Fix the selector to the pod labels. Reported only for namespaces the set deploys to or creates.',
  run(index, report) {
    for (const pdb of index.ofKind('PodDisruptionBudget')) {
      const ns = namespaceOf(pdb);
      if (!knowsNamespace(index, ns)) continue;
      const selector = specOf<PodDisruptionBudgetSpec>(pdb).selector;
      if (index.podsSelectedBy(selector ?? {}, ns).length === 0) {
        report(pdb, 'spec.selector', `Selector ${JSON.stringify(selector ?? {})} selects no pod template in namespace "${ns}", so this budget protects nothing: use the labels of the pods to protect.`);
      }
    }
  },
};
