/**
 * Istio's matching rules as Envoy applies them: StringMatch (exact, prefix, RE2 regex with full-match
 * semantics), header and query presence, host names with wildcards and Envoy's choice of the most
 * specific virtual host domain.
 */
import { text } from '../private/text';
import type { RE2JS } from 're2js';
import { hostCoveredBy } from '../contract/hosts';
import { re2js } from '../private/re2';
import { rec, str, Tri } from '../model/json';

const compiled = new Map<string, RE2JS | Error>();

/**
 * Compiles an RE2 expression (Envoy's `safe_regex` is Google RE2: no backreferences, no
 * lookaround). Returns the error for an expression RE2 rejects.
 */
export function re2(expression: string): RE2JS | Error {
  let re = compiled.get(expression);
  if (!re) {
    try {
      re = re2js().compile(expression);
    } catch (e) {
      re = new Error(`"${expression}" is not a valid RE2 expression (${e instanceof Error ? e.message : String(e)}); Istio rejects it`);
    }
    compiled.set(expression, re);
  }
  return re;
}

/** Whether the whole of `value` matches the RE2 expression (Envoy's safe_regex matches the full string). */
export function fullMatch(expression: string, value: string): Tri {
  const re = re2(expression);
  if (re instanceof Error) return 'unknown';
  return re.matches(value);
}

/** A StringMatch with no field, or Istio's `regex: "*"`, means "present" (Envoy's present_match). */
export function isPresenceMatch(match: unknown): boolean {
  const m = rec(match);
  if (m.exact === undefined && m.prefix === undefined && m.regex === undefined) return true;
  return m.regex === '*';
}

/** Evaluates an Istio StringMatch against a value (undefined when the header or parameter is absent). */
export function stringMatch(match: unknown, value: string | undefined, ignoreCase = false): Tri {
  if (isPresenceMatch(match)) return value !== undefined;
  if (value === undefined) return false;
  const m = rec(match);
  const exact = str(m.exact);
  const prefix = str(m.prefix);
  const regex = str(m.regex);
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (exact !== undefined) return fold(value) === fold(exact);
  if (prefix !== undefined) return fold(value).startsWith(fold(prefix));
  if (regex !== undefined) return fullMatch(regex, value);
  return 'unknown';
}

/** A StringMatch in words: `exact "/x"`, `prefix "/api"`, `regex "..."`, `present`. */
export function describeStringMatch(match: unknown): string {
  if (isPresenceMatch(match)) return 'present';
  const m = rec(match);
  if (m.exact !== undefined) return `= ${text(m.exact)}`;
  if (m.prefix !== undefined) return `prefix ${text(m.prefix)}`;
  return `~ ${String(m.regex)}`;
}

/** Lower-cases a host and strips a port (`Shop.example.com:443` → `shop.example.com`). */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h; // IPv6 literal
  const colon = h.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(h.slice(colon + 1)) ? h.slice(0, colon) : h;
}

/** Whether a request host is served by a host pattern (`*`, `*.example.com` covering any depth, or exact). */
export function hostMatches(pattern: string, host: string): boolean {
  return hostCoveredBy(normalizeHost(host), pattern.toLowerCase());
}

/**
 * The more specific of two host patterns when one covers the other (the domain Istio gives a
 * virtual host when a VirtualService host and a Gateway server host overlap), else undefined.
 */
export function intersectHosts(a: string, b: string): string | undefined {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (hostCoveredBy(x, y)) return x;
  if (hostCoveredBy(y, x)) return y;
  return undefined;
}

/**
 * Envoy's virtual host selection: an exact domain first, then the longest suffix wildcard
 * (`*.example.com`), then `*`. Returns the chosen domain among `domains`.
 */
export function mostSpecificDomain(domains: Iterable<string>, host: string): string | undefined {
  const h = normalizeHost(host);
  let best: string | undefined;
  let bestRank = -1;
  for (const d of domains) {
    let rank: number;
    if (d === h) rank = Number.MAX_SAFE_INTEGER;
    else if (d === '*') rank = 0;
    else if (d.startsWith('*') && h.endsWith(d.slice(1)) && h.length > d.length - 1) rank = d.length;
    else continue;
    if (rank > bestRank) {
      best = d;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Istio's normalization of the request path before matching and authorization (the default
 * `BASE`: RFC 3986 dot segments resolved; slashes are not merged).
 */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) path = `/${path}`;
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((s, i) => {
    if (s === '.') {
      if (i === segments.length - 1) out.push('');
    } else if (s === '..') {
      out.pop();
      if (i === segments.length - 1) out.push('');
    } else out.push(s);
  });
  return `/${out.join('/')}`;
}
