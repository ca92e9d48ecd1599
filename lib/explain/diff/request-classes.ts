/**
 * The requests the diff compares: one concrete request for each class of requests the match
 * conditions of either side tell apart. Classes are built per host, not as the cross product of
 * the whole edge: for each gateway listener (port and scheme of a server) and each host a server
 * or a VirtualService names (a wildcard host stands for the hosts nothing more specific names), the
 * path boundaries of the routes and policies that can serve that host (exact: the path and its
 * neighbours; prefix `/api`: `/api`, `/api/`, `/api/x`, `/apix` and just outside; a regex: a sample
 * it matches and its literal prefix), combined with the contexts the routes' other conditions ask
 * for (header, method and query values, a near-miss value for each header and parameter, their
 * absence), with and without a JWT where a RequestAuthentication or a policy reads one. Mesh routes
 * the same way, per destination host and sending workload (source namespace and labels).
 */
import { KubernetesObject } from '../../model/kubernetes-object';
import { arr, labels, num, rec, str, strings } from '../../model/json';
import { clusterHostNamespace, resolveHost, splitNamespaced } from '../../contract/hosts';
import { ExplainRequest } from '../explain';
import { authzPathMatch } from '../authz';
import type { RE2JS } from 're2js';
import { hostMatches, isPresenceMatch, re2, stringMatch } from '../match';
import { literalPrefix, regexSamples } from './regex-sample';

/** A path condition of either side, as the diff describes a class of paths. */
export interface PathCondition {
  /** In words: `= /api`, `prefix /api/`, `~ /v[0-9]+/.*`, `/admin/* (policy)`. */
  readonly text: string;
  /** The literal every matching path starts with (for "is this one inside that one"). */
  readonly prefix: string;
  /** Whether it matches exactly one path. */
  readonly exact: boolean;
  /** Whether a path matches it. */
  readonly test: (path: string) => boolean;
}

/** Where a group of requests enters the edge: a gateway listener and host, or a mesh host and sender. */
export interface RequestScope {
  /** A stable key ("gateway https:443 shop.example.com", "gateway http:80 *.example.com"). */
  readonly key: string;
  readonly entry: 'gateway' | 'mesh';
  /** The host the requests carry. */
  readonly host: string;
  /** The host pattern of the manifests it stands for (`*.example.com` for a wildcard's example). */
  readonly hostPattern: string;
  /** The gateway listener (gateway requests). */
  readonly listener?: { readonly port: number; readonly scheme: 'http' | 'https' };
  /** The sending workload (mesh requests). */
  readonly source?: { readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly principal?: string };
  /** The path conditions that apply to this host, from both sides. */
  readonly paths: readonly PathCondition[];
  /** Whether a JWT matters here (a RequestAuthentication or a policy that reads one, on either side). */
  readonly jwt: boolean;
}

/** One request to compare, and the scope it belongs to. */
export interface RepresentativeRequest {
  readonly request: ExplainRequest;
  readonly scope: RequestScope;
}

/** The representative requests and what the generator could not cover. */
export interface RequestClasses {
  readonly requests: readonly RepresentativeRequest[];
  /** Conditions no example request could be built for (a regex the generator cannot satisfy). */
  readonly notes: readonly string[];
}

/** A context and the paths it is combined with: all of the host's, or (`near`: a near-miss value) those of the routes that name it. */
interface ContextPaths {
  readonly context: Context;
  paths: Set<string>;
  near: boolean;
}

/** A sender of mesh requests: a workload of the manifests (its labels), or a principal of a namespace without one. */
interface MeshSource {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly principal?: string;
}

interface Context {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly claims?: Record<string, string>;
  readonly sourceIp?: string;
}

const OUTSIDE_PATH = '/z-unmatched';
/** The value of a header or query parameter that no condition names (a near miss). */
export const OTHER_VALUE = 'diff-other';
/** The client address of requests when policies read addresses (outside every documentation block they name). */
export const DEFAULT_SOURCE_IP = '198.51.100.77';
/** Past this many path × context pairs for one host, a context is combined with its own routes' paths only. */
const PAIR_BUDGET = 4096;

const nsOf = (o: KubernetesObject) => o.metadata?.namespace ?? 'default';
const isIstio = (o: KubernetesObject, kind: string) => o.kind === kind && (str(o.apiVersion)?.startsWith('networking.istio.io/') || str(o.apiVersion)?.startsWith('security.istio.io/'));

/** The sample value a StringMatch accepts (undefined for presence matches: any value). */
function sampleOf(match: unknown, notes: Set<string>, what: string): string | undefined {
  const m = rec(match);
  if (isPresenceMatch(m)) return 'present';
  if (str(m.exact) !== undefined) return str(m.exact);
  if (str(m.prefix) !== undefined) return `${str(m.prefix)}x`;
  const regex = str(m.regex);
  if (regex !== undefined) {
    const s = regexSamples(regex)[0];
    if (s === undefined) notes.add(`${what} ~ ${regex}: no example value found; requests it matches are compared only where another condition's example happens to match it.`);
    return s;
  }
  return undefined;
}

function pathCondition(match: unknown, ignoreCase: boolean, notes: Set<string>): { condition?: PathCondition; reps: string[] } {
  const m = rec(match);
  const exact = str(m.exact);
  const prefix = str(m.prefix);
  const regex = str(m.regex);
  if (exact !== undefined) {
    const base = exact.replace(/\/$/, '') || '/';
    return {
      condition: { text: `= ${exact}${ignoreCase ? ' (any case)' : ''}`, prefix: exact, exact: true, test: (p) => stringMatch(m, p, ignoreCase) === true },
      reps: [exact, `${base}/`, base, `${exact}x`, `${base}/x`],
    };
  }
  if (prefix !== undefined) {
    const reps = [prefix, `${prefix}x`, `${prefix.replace(/\/$/, '')}/x`, `${prefix.replace(/\/$/, '')}/`, prefix.replace(/\/$/, '') || '/'];
    if (prefix.length > 1) reps.push(prefix.slice(0, -1));
    return { condition: { text: `prefix ${prefix}${ignoreCase ? ' (any case)' : ''}`, prefix, exact: false, test: (p) => stringMatch(m, p, ignoreCase) === true }, reps };
  }
  if (regex !== undefined) {
    const literal = literalPrefix(regex);
    const samples = regexSamples(regex);
    if (samples.length === 0) notes.add(`path ~ ${regex}: no example path found; paths it matches are compared only where another condition's example happens to match it.`);
    const base = literal.replace(/\/$/, '');
    const reps = [...samples, ...samples.map((s) => `${s}x`), ...samples.map((s) => `${s.replace(/\/$/, '')}/x`), literal, `${base}/`, `${base}/x`, `${literal}x`, base];
    return { condition: { text: `~ ${regex}`, prefix: literal, exact: false, test: (p) => stringMatch(m, p) === true }, reps };
  }
  return { reps: [] };
}

function authzPathCondition(pattern: string): { condition: PathCondition; reps: string[] } {
  const test = (p: string) => authzPathMatch(pattern, p);
  if (pattern.includes('{*}') || pattern.includes('{**}')) {
    const sample = pattern.replace(/\{\*\*\}/g, 'x/y').replace(/\{\*\}/g, 'x');
    return { condition: { text: `${pattern} (policy)`, prefix: pattern.slice(0, pattern.indexOf('{')), exact: false, test }, reps: [sample, `${sample}x`, pattern.slice(0, pattern.indexOf('{'))] };
  }
  if (pattern === '*') return { condition: { text: '* (policy)', prefix: '', exact: false, test }, reps: [] };
  if (pattern.endsWith('*')) {
    const p = pattern.slice(0, -1);
    return { condition: { text: `${pattern} (policy)`, prefix: p, exact: false, test }, reps: [p, `${p}x`, p.replace(/\/$/, '') || '/'] };
  }
  if (pattern.startsWith('*')) return { condition: { text: `${pattern} (policy)`, prefix: '', exact: false, test }, reps: [`/x${pattern.slice(1)}`] };
  return { condition: { text: `${pattern} (policy)`, prefix: pattern, exact: true, test }, reps: [pattern, `${pattern}/`, `${pattern}x`] };
}

/** The example host for a host pattern: itself, or a name under a wildcard that no other pattern names. */
function hostExample(pattern: string, taken: ReadonlySet<string>): string {
  if (!pattern.includes('*')) return pattern;
  const suffix = pattern === '*' ? '.invalid' : pattern.slice(1);
  for (let i = 0; ; i++) {
    const h = `${i === 0 ? 'any' : `any-${i}`}${pattern === '*' ? '-host' : ''}${suffix}`;
    if (!taken.has(h)) return h;
  }
}

/** A sender a mesh route or a policy names: a namespace (any when undefined), labels, a service account. */
interface Sender {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
}

interface EdgeFacts {
  /** port/scheme → server host patterns. */
  listeners: Map<string, { port: number; scheme: 'http' | 'https'; hosts: Set<string> }>;
  gatewayRoutes: { hosts: string[]; http: Record<string, unknown>[]; vs: KubernetesObject; rewrites: string[] }[];
  meshRoutes: { hosts: string[]; http: Record<string, unknown>[]; senders: Sender[] }[];
  meshHosts: Set<string>;
  /** The workloads of the manifests, possible senders of mesh requests. */
  workloads: { namespace: string; labels: Record<string, string>; serviceAccount: string }[];
  /** The label keys mesh routes select senders by. */
  sourceLabelKeys: Set<string>;
  /** The senders authorization policies name (by principal or namespace), by the policy's namespace. */
  policySenders: Map<string, { namespace: string; serviceAccount?: string }[]>;
  /** The namespaces of the DestinationRules of each host (a rule in the sender's namespace comes first). */
  ruleNamespaces: Map<string, Set<string>>;
  policyPaths: Set<string>;
  policyMethods: Set<string>;
  /** Hosts policies name (authorization `hosts`), without their port. */
  policyHosts: Set<string>;
  policyHeaders: Map<string, Set<string>>;
  ipBlocks: Set<string>;
  issuers: Set<string>;
  jwt: boolean;
}

function facts(objects: readonly KubernetesObject[], f: EdgeFacts): void {
  for (const o of objects) {
    const spec = rec(o.spec);
    if (isIstio(o, 'Gateway')) {
      for (const s of arr(spec.servers).map(rec)) {
        const port = num(rec(s.port).number);
        const protocol = (str(rec(s.port).protocol) ?? '').toUpperCase();
        const mode = (str(rec(s.tls).mode) ?? 'SIMPLE').toUpperCase();
        const scheme = ['HTTP', 'HTTP2', 'GRPC'].includes(protocol) ? 'http' : protocol === 'HTTPS' && mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH' ? 'https' : undefined;
        if (port === undefined || scheme === undefined) continue;
        const key = `${scheme}:${port}`;
        const l = f.listeners.get(key) ?? { port, scheme, hosts: new Set<string>() };
        for (const h of strings(s.hosts)) l.hosts.add(splitNamespaced(h).name.toLowerCase());
        f.listeners.set(key, l);
      }
    } else if (isIstio(o, 'VirtualService')) {
      const gateways = strings(spec.gateways);
      const http = arr(spec.http).map(rec);
      const rewrites = http.map((h) => str(rec(rec(h.rewrite).uriRegexRewrite).match)).filter((r): r is string => r !== undefined);
      if (gateways.some((g) => g !== 'mesh')) f.gatewayRoutes.push({ hosts: strings(spec.hosts).map((h) => h.toLowerCase()), http, vs: o, rewrites });
      if (gateways.length === 0 || gateways.includes('mesh')) {
        const hosts = strings(spec.hosts).map((h) => resolveHost(h, nsOf(o)));
        const senders: Sender[] = [];
        for (const m of http.flatMap((h) => arr(h.match).map(rec))) {
          const sl = labels(m.sourceLabels);
          for (const k of Object.keys(sl)) f.sourceLabelKeys.add(k);
          const sns = str(m.sourceNamespace);
          if (Object.keys(sl).length || sns) senders.push({ namespace: sns, labels: sl });
        }
        f.meshRoutes.push({ hosts, http, senders });
        for (const h of hosts) if (!h.includes('*')) f.meshHosts.add(h);
      }
    } else if (o.kind === 'Service' && o.apiVersion === 'v1') {
      f.meshHosts.add(`${o.metadata?.name ?? ''}.${nsOf(o)}.svc.cluster.local`);
    } else if (isIstio(o, 'ServiceEntry')) {
      for (const h of strings(spec.hosts)) if (!h.includes('*')) f.meshHosts.add(h.toLowerCase());
    } else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'].includes(o.kind)) {
      const l = labels(rec(o.kind === 'Pod' ? o.metadata : rec(rec(spec.template).metadata)).labels);
      const podSpec = rec(o.kind === 'Pod' ? spec : rec(spec.template).spec);
      const serviceAccount = str(podSpec.serviceAccountName) ?? str(podSpec.serviceAccount) ?? 'default';
      if (Object.keys(l).length) f.workloads.push({ namespace: nsOf(o), labels: l, serviceAccount });
    } else if (isIstio(o, 'RequestAuthentication')) {
      f.jwt = true;
      for (const r of arr(spec.jwtRules).map(rec)) if (str(r.issuer)) f.issuers.add(str(r.issuer)!);
    } else if (isIstio(o, 'DestinationRule')) {
      const host = resolveHost(str(spec.host) ?? '', nsOf(o));
      f.ruleNamespaces.set(host, new Set([...(f.ruleNamespaces.get(host) ?? []), nsOf(o)]));
    } else if (isIstio(o, 'AuthorizationPolicy')) {
      const named = f.policySenders.get(nsOf(o)) ?? [];
      for (const rule of arr(spec.rules).map(rec)) {
        for (const src of arr(rule.from).map((x) => rec(rec(x).source))) {
          for (const p of [...strings(src.principals), ...strings(src.notPrincipals)]) {
            const m = /^(?:[^/]+\/)?ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(p);
            if (m) named.push({ namespace: m[1], serviceAccount: m[2] });
          }
          for (const n of [...strings(src.namespaces), ...strings(src.notNamespaces)]) if (!n.includes('*')) named.push({ namespace: n });
        }
      }
      f.policySenders.set(nsOf(o), named);
      for (const rule of arr(spec.rules).map(rec)) {
        for (const t of arr(rule.to).map((x) => rec(rec(x).operation))) {
          for (const p of [...strings(t.paths), ...strings(t.notPaths)]) f.policyPaths.add(p);
          for (const m of [...strings(t.methods), ...strings(t.notMethods)]) f.policyMethods.add(m);
          for (const h of [...strings(t.hosts), ...strings(t.notHosts)]) f.policyHosts.add(h.toLowerCase().replace(/:(\d+|\*)$/, ''));
        }
        for (const s of arr(rule.from).map((x) => rec(rec(x).source))) {
          if (s.requestPrincipals !== undefined || s.notRequestPrincipals !== undefined) f.jwt = true;
          for (const b of [...strings(s.ipBlocks), ...strings(s.remoteIpBlocks), ...strings(s.notIpBlocks), ...strings(s.notRemoteIpBlocks)]) f.ipBlocks.add(b);
        }
        for (const w of arr(rule.when).map(rec)) {
          const key = str(w.key) ?? '';
          if (key.startsWith('request.auth')) f.jwt = true;
          const header = /^request\.headers\[(.+)\]$/.exec(key);
          if (header) {
            const set = f.policyHeaders.get(header[1].toLowerCase()) ?? new Set<string>();
            for (const v of strings(w.values)) set.add(v.replace(/^\*|\*$/g, '') || 'present');
            f.policyHeaders.set(header[1].toLowerCase(), set);
          }
          if (/^(source|remote)\.ip$/.test(key)) for (const v of [...strings(w.values), ...strings(w.notValues)]) f.ipBlocks.add(v);
        }
      }
    }
  }
}

function firstAddress(block: string): string {
  const [base] = block.split('/');
  return base;
}

/** The contexts (non-path conditions) one match entry asks for. */
function contextOf(m: Record<string, unknown>, notes: Set<string>): Context | undefined {
  const headers: Record<string, string> = {};
  const claims: Record<string, string> = {};
  const query: Record<string, string> = {};
  let method: string | undefined;
  for (const [name, sm] of Object.entries(rec(m.headers))) {
    const v = sampleOf(sm, notes, `header ${name}`);
    if (v === undefined) continue;
    if (name.startsWith('@request.auth.claims')) claims[name.replace(/^@request\.auth\.claims/, '').replace(/^\./, '').replace(/^\[|\]$/g, '').split(/\]\[|\./)[0]] = v;
    else headers[name.toLowerCase()] = v;
  }
  for (const [name, sm] of Object.entries(rec(m.queryParams))) {
    const v = sampleOf(sm, notes, `query ${name}`);
    if (v !== undefined) query[name] = v;
  }
  if (m.method !== undefined) method = sampleOf(m.method, notes, 'method')?.toUpperCase();
  if (!Object.keys(headers).length && !Object.keys(claims).length && !Object.keys(query).length && method === undefined) return undefined;
  return {
    ...(method ? { method } : {}), ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(query).length ? { query } : {}), ...(Object.keys(claims).length ? { claims } : {}),
  };
}

/** The values a StringMatch tells apart: the value it names and its near misses (a prefix itself, one character more). */
function valuesAround(match: unknown): string[] {
  const m = rec(match);
  if (isPresenceMatch(m)) return ['present'];
  const exact = str(m.exact);
  const prefix = str(m.prefix);
  const regex = str(m.regex);
  if (exact !== undefined) return [exact, `${exact}x`, ...(exact.length > 1 ? [exact.slice(0, -1)] : [])];
  if (prefix !== undefined) return [prefix, `${prefix}x`, ...(prefix.length > 1 ? [prefix.slice(0, -1)] : [])];
  return regex !== undefined ? [...regexSamples(regex), ...regexSamples(regex).map((v) => `${v}x`)] : [];
}

/** Builds the path conditions, path examples and contexts of a set of http routes. */
function collect(http: readonly Record<string, unknown>[], rewrites: readonly string[], policyPaths: ReadonlySet<string>, notes: Set<string>) {
  const conditions = new Map<string, PathCondition>();
  const paths = new Set<string>(['/', OUTSIDE_PATH]);
  const contexts = new Map<string, ContextPaths>();
  const addContext = (c: Context, own: Iterable<string>, near = false) => {
    const key = JSON.stringify(c);
    const entry = contexts.get(key) ?? { context: c, paths: new Set<string>(['/', OUTSIDE_PATH]), near };
    for (const p of own) entry.paths.add(p);
    entry.near &&= near;
    contexts.set(key, entry);
  };
  const headerNames = new Map<string, { paths: Set<string>; values: Set<string> }>();
  const queryNames = new Map<string, { paths: Set<string>; values: Set<string> }>();
  const methods = new Set<string>();
  for (const h of http) {
    const matches = arr(h.match).map(rec);
    for (const m of matches.length ? matches : [{}]) {
      const own: string[] = [];
      if (m.uri !== undefined) {
        const { condition, reps } = pathCondition(m.uri, m.ignoreUriCase === true, notes);
        if (condition) conditions.set(condition.text, condition);
        for (const r of reps) own.push(r.startsWith('/') ? r : `/${r}`);
        if (m.ignoreUriCase === true) own.push(...own.map((p) => p.toUpperCase()));
      }
      for (const p of own) paths.add(p);
      const c = contextOf(m, notes);
      if (c) addContext(c, own);
      for (const [name, sm] of [...Object.entries(rec(m.headers)), ...Object.entries(rec(m.withoutHeaders))]) {
        if (name.startsWith('@')) continue;
        const entry = headerNames.get(name.toLowerCase()) ?? { paths: new Set<string>(), values: new Set<string>([OTHER_VALUE]) };
        for (const p of own) entry.paths.add(p);
        for (const v of valuesAround(sm)) entry.values.add(v);
        headerNames.set(name.toLowerCase(), entry);
      }
      for (const [name, sm] of Object.entries(rec(m.queryParams))) {
        const entry = queryNames.get(name) ?? { paths: new Set<string>(), values: new Set<string>([OTHER_VALUE]) };
        for (const p of own) entry.paths.add(p);
        for (const v of valuesAround(sm)) entry.values.add(v);
        queryNames.set(name, entry);
      }
      if (m.method !== undefined) methods.add(str(rec(m.method).exact)?.toUpperCase() ?? 'GET');
    }
  }
  for (const r of rewrites) {
    const lit = literalPrefix(r).replace(/\/$/, '');
    for (const p of [lit, `${lit}/`, `${lit}/x`, `${lit}x`, ...regexSamples(r.replace(/^\^/, '').replace(/\$$/, '') + (r.endsWith('$') ? '' : '.*'))]) if (p.startsWith('/')) paths.add(p);
  }
  for (const pattern of policyPaths) {
    const { condition, reps } = authzPathCondition(pattern);
    conditions.set(condition.text, condition);
    for (const r of reps) paths.add(r.startsWith('/') ? r : `/${r}`);
  }
  // Each header and query parameter alone, with each value a condition names, its near misses, and a
  // value no condition names; another method.
  for (const [name, { paths: own, values }] of headerNames) for (const v of values) addContext({ headers: { [name]: v } }, own, v !== OTHER_VALUE);
  for (const [name, { paths: own, values }] of queryNames) for (const v of values) addContext({ query: { [name]: v } }, own, v !== OTHER_VALUE);
  for (const m of methods) addContext({ method: m }, []);
  if (methods.size) addContext({ method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].find((m) => !methods.has(m)) ?? 'HEAD' }, []);
  // Paths every condition (routes, policies, rewrites) treats alike are one class: keep the first.
  const finds = rewrites.map((r) => re2(r)).filter((r): r is RE2JS => !(r instanceof Error));
  const all = [...conditions.values()];
  const canonical = new Map<string, string>();
  const byVector = new Map<string, string>();
  for (const p of paths) {
    const vector = `${all.map((c) => (c.test(p) ? 1 : 0)).join('')}|${finds.map((f) => (f.matcher(p).find() ? 1 : 0)).join('')}`;
    const kept = byVector.get(vector);
    if (kept === undefined) byVector.set(vector, p);
    canonical.set(p, kept ?? p);
  }
  const keep = (list: Iterable<string>) => new Set([...list].map((p) => canonical.get(p) ?? p));
  for (const c of contexts.values()) c.paths = keep(c.paths);
  return { conditions: all, paths: keep(paths), contexts };
}

function combine(
  base: Omit<ExplainRequest, 'path'>, scope: RequestScope, paths: ReadonlySet<string>,
  contexts: ReadonlyMap<string, ContextPaths>, jwts: readonly (ExplainRequest['jwt'] | undefined)[], out: RepresentativeRequest[],
): void {
  const all: ContextPaths[] = [{ context: {}, paths: new Set(paths), near: false }, ...contexts.values()];
  const full = paths.size * all.length <= PAIR_BUDGET;
  for (const { context, paths: own, near } of all) {
    const ps = (full && !near) || Object.keys(context).length === 0 ? paths : own;
    for (const jwt of jwts) {
      const claims = context.claims;
      if (claims && !jwt) continue;
      const token = jwt ? { ...jwt, ...(claims ? { claims } : {}) } : undefined;
      for (const path of ps) {
        out.push({
          scope,
          request: {
            ...base, path,
            ...(context.method ? { method: context.method } : {}),
            ...(context.headers ? { headers: context.headers } : {}),
            ...(context.query ? { query: context.query } : {}),
            ...(context.sourceIp ? { sourceIp: context.sourceIp } : {}),
            ...(token ? { jwt: token } : {}),
          },
        });
      }
    }
  }
}

/**
 * The representative requests for two edges (each in the Istio form, as {@link LoadedEdge.objects}
 * gives it): the union of both sides' conditions, so that a class either side tells apart has an
 * example.
 */
export function representativeRequests(oldObjects: readonly KubernetesObject[], newObjects: readonly KubernetesObject[]): RequestClasses {
  const f: EdgeFacts = {
    listeners: new Map(), gatewayRoutes: [], meshRoutes: [], meshHosts: new Set(), workloads: [], sourceLabelKeys: new Set(), policySenders: new Map(), ruleNamespaces: new Map(),
    policyPaths: new Set(), policyMethods: new Set(), policyHosts: new Set(), policyHeaders: new Map(), ipBlocks: new Set(), issuers: new Set(), jwt: false,
  };
  facts(oldObjects, f);
  facts(newObjects, f);
  const notes = new Set<string>();
  const out: RepresentativeRequest[] = [];
  const jwts: (ExplainRequest['jwt'] | undefined)[] = [undefined];
  if (f.jwt) {
    if (f.issuers.size === 0) jwts.push({ subject: 'diff-subject' });
    for (const issuer of f.issuers) jwts.push({ issuer, subject: 'diff-subject' });
  }
  // Contexts every host gets: policy methods and headers, client addresses for address rules.
  const policyContexts = new Map<string, ContextPaths>();
  const addPolicy = (c: Context) => policyContexts.set(JSON.stringify(c), { context: c, paths: new Set(['/', OUTSIDE_PATH]), near: false });
  for (const m of f.policyMethods) addPolicy({ method: m.replace(/\*$/, '').toUpperCase() || 'GET' });
  for (const [name, values] of f.policyHeaders) for (const v of [...values, OTHER_VALUE]) addPolicy({ headers: { [name]: v } });
  const ips = [...f.ipBlocks].map(firstAddress).filter((a) => /^[\d.:a-fA-F]+$/.test(a));
  const defaultIp = ips.length ? DEFAULT_SOURCE_IP : undefined;
  for (const ip of ips) addPolicy({ sourceIp: ip });

  // Gateway requests: each listener, each host pattern it can serve.
  const patterns = new Set<string>();
  for (const l of f.listeners.values()) for (const h of l.hosts) patterns.add(h);
  for (const r of f.gatewayRoutes) for (const h of r.hosts) patterns.add(h);
  for (const h of f.policyHosts) if (h !== '*' && !h.startsWith('*')) patterns.add(h);
  // A plaintext listener takes any Host header: "*" stands for the hosts nothing names.
  patterns.add('*');
  const explicit = new Set([...patterns].filter((p) => !p.includes('*')));
  const hostOf = new Map<string, string>();
  for (const p of [...patterns].sort()) {
    const example = hostExample(p, new Set([...explicit, ...hostOf.values()]));
    hostOf.set(p, example);
  }
  for (const l of [...f.listeners.values()].sort((a, b) => a.port - b.port || a.scheme.localeCompare(b.scheme))) {
    for (const [pattern, host] of [...hostOf].sort((a, b) => a[1].localeCompare(b[1]))) {
      // A TLS listener answers only the server names its servers list (SNI).
      if (l.scheme === 'https' && ![...l.hosts].some((sh) => hostMatches(sh, host))) continue;
      const routes = f.gatewayRoutes.filter((r) => r.hosts.some((h) => hostMatches(h, host)));
      const { conditions, paths, contexts } = collect(routes.flatMap((r) => r.http), routes.flatMap((r) => r.rewrites), f.policyPaths, notes);
      for (const [k, v] of policyContexts) if (!contexts.has(k)) contexts.set(k, v);
      const scope: RequestScope = { key: `gateway ${l.scheme}:${l.port} ${pattern}`, entry: 'gateway', host, hostPattern: pattern, listener: { port: l.port, scheme: l.scheme }, paths: conditions, jwt: f.jwt };
      combine({ host, port: l.port, scheme: l.scheme, ...(defaultIp ? { sourceIp: defaultIp } : {}) }, scope, paths, contexts, jwts, out);
    }
  }

  // Mesh requests: each host of the registry or of a mesh route, from the senders that can tell
  // outcomes apart for it (so the count stays linear in the hosts): the senders its mesh routes
  // select (by namespace and labels), a workload of its own namespace, those the policies of its
  // namespace and of the root namespaces name, one in each namespace with a DestinationRule for
  // it, and one from a namespace nothing names.
  const workloadsByNs = new Map<string, EdgeFacts['workloads']>();
  for (const w of f.workloads) workloadsByNs.set(w.namespace, [...(workloadsByNs.get(w.namespace) ?? []), w]);
  const senderIn = (namespace: string, serviceAccount?: string, wanted: Readonly<Record<string, string>> = {}): MeshSource => {
    const w = (workloadsByNs.get(namespace) ?? []).find((x) => (serviceAccount === undefined || x.serviceAccount === serviceAccount) && Object.entries(wanted).every(([k, v]) => x.labels[k] === v));
    if (w) return { namespace, labels: w.labels };
    return { namespace, labels: { ...wanted }, principal: `cluster.local/ns/${namespace}/sa/${serviceAccount ?? 'default'}` };
  };
  const roots = ['istio-system', 'aks-istio-system'];
  for (const host of [...f.meshHosts].sort()) {
    const routes = f.meshRoutes.filter((r) => r.hosts.some((h) => hostMatches(h, host)));
    const { conditions, paths, contexts } = collect(routes.flatMap((r) => r.http), [], f.policyPaths, notes);
    for (const [k, v] of policyContexts) if (!contexts.has(k)) contexts.set(k, v);
    const own = clusterHostNamespace(host);
    const candidates: MeshSource[] = [];
    for (const r of routes) {
      for (const sender of r.senders) {
        if (sender.namespace !== undefined) candidates.push(senderIn(sender.namespace, undefined, sender.labels));
        else for (const [ns, list] of workloadsByNs) if (list.some((w) => Object.entries(sender.labels ?? {}).every(([k, v]) => w.labels[k] === v))) candidates.push(senderIn(ns, undefined, sender.labels));
      }
    }
    // Other workloads of the namespace differ only by their identity and labels, which only the
    // policies and the routes' source labels (above and below) tell apart.
    if (own) candidates.push(senderIn(own));
    for (const ns of [...(own ? [own] : []), ...roots]) for (const named of f.policySenders.get(ns) ?? []) candidates.push(senderIn(named.namespace, named.serviceAccount));
    for (const ns of f.ruleNamespaces.get(host) ?? []) candidates.push(senderIn(ns));
    candidates.push({ namespace: 'diff-other', labels: {}, principal: 'cluster.local/ns/diff-other/sa/default' });
    const sources = [...new Map(candidates.map((c) => [JSON.stringify([c.namespace, c.labels, c.principal ?? null]), c])).values()];
    for (const source of sources) {
      const label = Object.entries(source.labels).map(([k, v]) => `${k}=${v}`).join(',');
      const scope: RequestScope = { key: `mesh ${host} from ${source.namespace}${label ? `/${label}` : ''}${source.principal ? ` as ${source.principal}` : ''}`, entry: 'mesh', host, hostPattern: host, source, paths: conditions, jwt: false };
      combine({ host, source, ...(defaultIp ? { sourceIp: defaultIp } : {}) }, scope, paths, contexts, [undefined], out);
    }
  }
  return { requests: out, notes: [...notes] };
}
