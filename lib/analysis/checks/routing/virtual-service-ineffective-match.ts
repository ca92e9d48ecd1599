import { Check } from '../../check';
import { HttpMatchRequest, list, specOf, VirtualServiceSpec } from '../../../model/objects';
import { routeOrderProblems } from './route-matches';

/**
 * A match that an earlier rule already takes (a duplicate, or a longer prefix after a shorter one
 * with the same other conditions), and (a warning) a path match without the leading "/", which no
 * request path satisfies.
 */
export const virtualServiceIneffectiveMatch: Check = {
  name: 'VirtualServiceIneffectiveMatch',
  code: 'EDGE2005',
  istioCode: 'IST0131',
  severity: 'info',
  kinds: ['VirtualService'],
  description: 'A match that never holds: an earlier rule takes its requests, or its path lacks the leading "/".',
  details: 'The first matching rule wins, so a match equal to an earlier one, or a prefix an earlier shorter prefix covers, is never used (an info, as istioctl reports it). A path match that does not start with "/" never holds (a warning). Put the more specific match first, or fix the path.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const p of routeOrderProblems(index, vs)) if (p.kind === 'ineffective') report(vs, p.field, p.message);
      list(specOf<VirtualServiceSpec>(vs).http).forEach((route, i) => {
        list(route?.match).forEach((m: HttpMatchRequest, j) => {
          for (const kind of ['exact', 'prefix'] as const) {
            const path = m?.uri?.[kind];
            if (typeof path === 'string' && !path.startsWith('/')) {
              report(vs, `spec.http[${i}].match[${j}].uri.${kind}`, `Path ${JSON.stringify(path)} does not start with "/", and request paths always do: this match never holds; add the leading "/".`, 'warning');
            }
          }
        });
      });
    }
  },
};
