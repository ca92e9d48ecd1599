import { Check } from '../../check';
import { namespaceOf } from '../../../model/object-index';
import { arr as list, rec, str } from '../../../model/json';

type Match = Record<string, unknown>;

/** Whether the string match `a` takes every value the string match `b` takes (exact or prefix only; undefined: any). */
function stringCovers(a: unknown, b: unknown): boolean {
  if (a === undefined) return true;
  if (b === undefined) return false;
  const x = rec(a);
  const y = rec(b);
  if (Object.keys(x).length === 0) return true; // presence: any value
  if (typeof x.exact === 'string') return y.exact === x.exact;
  if (typeof x.prefix === 'string') return (typeof y.exact === 'string' && y.exact.startsWith(x.prefix)) || (typeof y.prefix === 'string' && y.prefix.startsWith(x.prefix));
  return false; // a regex: not decided here
}

/** Whether match `a` takes every request match `b` takes: each condition of `a` holds for all of `b`'s requests. */
function matchCovers(a: Match, b: Match): boolean {
  for (const [key, value] of Object.entries(a)) {
    if (key === 'name' || value === undefined) continue;
    if (key === 'uri' || key === 'method' || key === 'authority' || key === 'scheme') {
      if (!stringCovers(value, b[key])) return false;
    } else if (key === 'headers' || key === 'queryParams') {
      for (const [name, m] of Object.entries(rec(value))) if (!stringCovers(m, rec(b[key])[name])) return false;
    } else if (key === 'ignoreUriCase') {
      if (value !== true && b.ignoreUriCase === true) return false;
    } else if (JSON.stringify(value) !== JSON.stringify(b[key])) return false; // port, gateways, sourceLabels, withoutHeaders, ...
  }
  if (b.ignoreUriCase === true && a.ignoreUriCase !== true && a.uri !== undefined) return false;
  return true;
}

/**
 * A header-pinned canary route (a route of a VirtualService a Rollout shifts, sending everything to
 * the canary subset on a header match) that an earlier route of the same VirtualService shadows:
 * the earlier route takes every request the pin matches, so testers never reach the canary.
 */
export const rolloutHeaderRouteShadowed: Check = {
  name: 'RolloutHeaderRouteShadowed',
  code: 'EDGE9104',
  severity: 'warning',
  kinds: ['Rollout', 'VirtualService', 'DestinationRule'],
  description: 'A header-pinned canary route of a VirtualService an Argo Rollouts Rollout shifts, shadowed by an earlier route that takes all of its requests.',
  details: 'Istio takes the first HTTP route whose match holds. A route that pins testers to the canary by a header (ProgressiveRollout.traffic({ header }) renders one; hand-written VirtualServices often have one) must come before the routes that take the same requests without the header; after them it is never used, and the testers see the stable version at every step. Argo Rollouts\' own setHeaderRoute routes are put first by the controller and are not concerned. Move the pin before the route that shadows it.',
  run(index, report) {
    for (const r of index.ofKind('Rollout')) {
      if (!r.apiVersion.startsWith('argoproj.io/')) continue;
      const istio = rec(rec(rec(rec(r.spec).strategy).canary).trafficRouting).istio;
      if (istio === undefined) continue;
      const spec = rec(istio);
      const canary = str(rec(spec.destinationRule).canarySubsetName);
      if (canary === undefined) continue;
      const ns = namespaceOf(r);
      const names = [str(rec(spec.virtualService).name), ...list(spec.virtualServices).map((v) => str(rec(v).name))].filter((n): n is string => !!n);
      for (const full of names) {
        const [vsNs, vsName] = full.includes('/') ? full.split('/', 2) : [ns, full];
        const vs = index.get('VirtualService', vsNs, vsName);
        if (!vs) continue; // RolloutTrafficRoutingNotFound reports it
        const http = list(rec(vs.spec).http).map(rec);
        http.forEach((route, i) => {
          const destinations = list(route.route).map((d) => rec(rec(d).destination));
          const pins = destinations.length > 0 && destinations.every((d) => str(d.subset) === canary);
          const matches = list(route.match).map(rec);
          if (!pins || !matches.some((m) => m.headers !== undefined)) return;
          matches.forEach((m, j) => {
            const earlier = http.slice(0, i).findIndex((e) => list(e.match).length === 0 || list(e.match).some((em) => matchCovers(rec(em), m)));
            if (earlier < 0) return;
            const label = (k: number) => (str(http[k].name) ? `"${str(http[k].name)}"` : `#${k}`);
            report(vs, `spec.http[${i}].match[${j}]`, `Route ${label(i)} pins requests with ${Object.keys(rec(m.headers)).join(', ')} to the canary of Rollout ${ns}/${str(r.metadata?.name) ?? ''}, but route ${label(earlier)} before it takes every request it matches, so testers never reach the canary: move the pin before route ${label(earlier)}.`);
          });
        });
      }
    }
  },
};
