import { Check } from '../../check';
import { arr as list, rec } from '../../../model/json';

/**
 * A Rollout whose canary steps end in a pause without duration: Argo Rollouts gives the canary all
 * traffic only after the last step completes, so the release stops at the last weight until a
 * person promotes it (`kubectl argo rollouts promote`), however good the gates are.
 */
export const rolloutStepsWaitForPromotion: Check = {
  name: 'RolloutStepsWaitForPromotion',
  code: 'EDGE9103',
  severity: 'info',
  kinds: ['Rollout'],
  description: 'An Argo Rollouts canary whose last step is a pause without duration, so the new version never reaches 100% without a manual promotion.',
  details: 'Argo Rollouts v1.9 promotes the canary (100% of the traffic, then it becomes stable) when the last step completes; a weight below 100 in the steps is not a problem in itself. A final pause without duration (RolloutStep.pause() with no argument, pause: {}) never completes on its own: the release stays at the last weight, with both versions running, until someone runs kubectl argo rollouts promote. If that manual approval is intended, suppress this finding with the reason; otherwise give the pause a duration or end with a gate.',
  run(index, report) {
    for (const r of index.ofKind('Rollout')) {
      if (!r.apiVersion.startsWith('argoproj.io/')) continue;
      const steps = list(rec(rec(rec(r.spec).strategy).canary).steps);
      if (steps.length === 0) continue;
      const last = rec(steps[steps.length - 1]);
      const pause = last.pause;
      if (pause === undefined || pause === null) continue;
      if (rec(pause).duration !== undefined) continue;
      // The weight in force while it waits: the last setWeight before it.
      let weight = 0;
      for (const s of steps) if (typeof rec(s).setWeight === 'number') weight = rec(s).setWeight as number;
      report(r, `spec.strategy.canary.steps[${steps.length - 1}].pause`, `The last step is a pause without duration: the canary stays at ${weight}% until someone runs kubectl argo rollouts promote, and never reaches 100% on its own. Give the pause a duration (or end with a gate), or suppress this finding if a manual approval is intended.`);
    }
  },
};
