import { Check } from '../../check';
import { routeOrderProblems } from './route-matches';

/** An HTTP, TCP or TLS rule that no request reaches (after a rule without matches, or all its matches used before). */
export const virtualServiceUnreachableRule: Check = {
  name: 'VirtualServiceUnreachableRule',
  code: 'EDGE2004',
  istioCode: 'IST0130',
  severity: 'warning',
  kinds: ['VirtualService'],
  description: 'A route rule that is never used, because rules before it take all its requests.',
  details: 'Rules are evaluated in order and the first match wins: a rule after a rule without matches, or whose every match repeats an earlier one, is never used. Reorder the rules (most specific first) or remove it.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const p of routeOrderProblems(index, vs)) if (p.kind === 'unreachable') report(vs, p.field, p.message);
    }
  },
};
