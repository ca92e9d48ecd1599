/**
 * Istio's analysis of route order (pkg/config/validation: analyzeUnreachable*Rules), shared by
 * VirtualServiceUnreachableRule and VirtualServiceIneffectiveMatch: a rule after a rule without
 * matches is never used; a match equal to an earlier one is ineffective, and a rule all of whose
 * matches are ineffective is unreachable; for HTTP, a prefix match an earlier prefix match covers
 * (same port, method, authority, headers, query parameters) is ineffective too.
 */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { ObjectIndex } from '../../../model/object-index';
import { HttpMatchRequest, HttpRoute, list, specOf, StringMatch, VirtualServiceSpec } from '../../../model/objects';

/** One finding of the route-order analysis. */
export interface RouteOrderProblem {
  readonly kind: 'unreachable' | 'ineffective';
  readonly field: string;
  readonly message: string;
}

/** JSON with sorted keys, so that two matches written in a different key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (i in value) out += canonical(value[i]); // a hole is written as nothing, as join writes it
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') return canonicalObject(value as Record<string, unknown>, undefined);
  return JSON.stringify(value) ?? 'null';
}

/** {@link canonical} of an object (not an array), without the key `skip`. */
function canonicalObject(value: Record<string, unknown>, skip: string | undefined): string {
  let out = '{';
  let first = true;
  for (const k of Object.keys(value).sort()) {
    if (k === skip) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonical(value[k])}`;
  }
  return `${out}}`;
}

/** {@link canonical} of a match without its name (a name does not change what it matches). */
function matchKey(match: unknown): string {
  if (match === null || typeof match !== 'object') return canonical(match);
  // A list where a match should be is read as the object of its items (what spreading it gives).
  if (Array.isArray(match)) return canonicalObject({ ...match }, 'name');
  return canonicalObject(match as Record<string, unknown>, 'name');
}

const exactOrPrefix = (m: StringMatch | undefined) => (m?.exact !== undefined ? `exact:${m.exact}` : m?.prefix !== undefined ? `prefix:${m.prefix}` : '');

interface PrefixMatch {
  readonly rule: string;
  readonly match: string;
  readonly field: string;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Map<string, string>;
  readonly queryParams: Map<string, string>;
  readonly withoutHeaders: Map<string, string>;
}

function prefixMatch(m: HttpMatchRequest, rule: string, match: string, field: string): PrefixMatch | undefined {
  const prefix = m?.uri?.prefix;
  if (typeof prefix !== 'string' || prefix === '') return undefined;
  const map = (r: Readonly<Record<string, StringMatch>> | undefined) => new Map(Object.entries(r ?? {}).map(([k, v]) => [k, exactOrPrefix(v)]));
  return {
    rule, match, field, prefix, port: typeof m.port === 'number' ? m.port : 0, method: exactOrPrefix(m.method) || 'exact:GET',
    authority: exactOrPrefix(m.authority), headers: map(m.headers), queryParams: map(m.queryParams), withoutHeaders: map(m.withoutHeaders),
  };
}

function mapsCovered(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const other = b.get(k);
    if (other === undefined || (v !== other && !v.startsWith(other))) return false;
  }
  return true;
}

/** Whether the earlier prefix match `a` takes every request of the later `b` (Istio's coveredValidation). */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  return b.prefix.startsWith(a.prefix) && a.port === b.port
    && (a.method === b.method || a.method.startsWith(b.method))
    && (a.authority === b.authority || a.authority.startsWith(b.authority))
    && mapsCovered(a.headers, b.headers) && mapsCovered(a.queryParams, b.queryParams) && mapsCovered(a.withoutHeaders, b.withoutHeaders);
}

/** The route-order problems of a VirtualService's HTTP, TCP and TLS routes (computed once per analysis). */
export function routeOrderProblems(index: ObjectIndex, vs: KubernetesObject): RouteOrderProblem[] {
  return index.memo('routeOrderProblems', vs, computeRouteOrderProblems);
}

function computeRouteOrderProblems(vs: KubernetesObject): RouteOrderProblem[] {
  const spec = specOf<VirtualServiceSpec>(vs);
  const out: RouteOrderProblem[] = [];
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    const routes = list(spec[kind]) as ReadonlyArray<HttpRoute | undefined>;
    const ruleName = (i: number) => (kind === 'http' && typeof routes[i]?.name === 'string' ? `"${routes[i].name}"` : `#${i}`);
    const seen = new Map<string, number>();
    const prefixes: PrefixMatch[] = [];
    let catchAll = -1;
    routes.forEach((route, i) => {
      if (!route) return;
      const matches = list(route.match);
      if (matches.length === 0) {
        if (catchAll >= 0) out.push({ kind: 'unreachable', field: `spec.${kind}[${i}]`, message: `Rule ${ruleName(i)} is never used: rule ${ruleName(catchAll)} before it has no match and takes every request (only the last rule can have no matches). Move it before, or remove it.` });
        catchAll = i;
        return;
      }
      let duplicates = 0;
      matches.forEach((m, j) => {
        const field = `spec.${kind}[${i}].match[${j}]`;
        const matchName = kind === 'http' && typeof (m)?.name === 'string' ? `"${(m).name}"` : `#${j}`;
        if (catchAll >= 0) {
          out.push({ kind: 'unreachable', field: `spec.${kind}[${i}]`, message: `Rule ${ruleName(i)} is never used: rule ${ruleName(catchAll)} before it has no match and takes every request. Move it before, or remove it.` });
          return;
        }
        const key = matchKey(m);
        const dup = seen.get(key);
        if (dup !== undefined) {
          out.push({ kind: 'ineffective', field, message: `Match ${matchName} of rule ${ruleName(i)} is never used: rule ${ruleName(dup)} has the same match and takes its requests first. Remove it or make it more specific.` });
          duplicates++;
          return;
        }
        seen.set(key, i);
        if (kind === 'http') {
          const p = prefixMatch(m, ruleName(i), matchName, field);
          if (p) prefixes.push(p);
        }
      });
      if (catchAll < 0 && duplicates === matches.length) {
        out.push({ kind: 'unreachable', field: `spec.${kind}[${i}]`, message: `Rule ${ruleName(i)} is never used: every one of its matches is used by a rule before it. Remove it, or change its matches.` });
      }
    });
    for (let a = 0; a < prefixes.length; a++) {
      for (let b = a + 1; b < prefixes.length; b++) {
        // Within one rule too: istioctl reports a covered match of the same rule (overlapping-in-single-match).
        if (prefixes[a].prefix === prefixes[b].prefix) continue;
        if (covers(prefixes[a], prefixes[b])) {
          out.push({ kind: 'ineffective', field: prefixes[b].field, message: `Match ${prefixes[b].match} of rule ${prefixes[b].rule} (prefix "${prefixes[b].prefix}") is never used: match ${prefixes[a].match} of rule ${prefixes[a].rule} (prefix "${prefixes[a].prefix}") takes its requests first. Put the longer prefix first.` });
        }
      }
    }
  }
  return out;
}
