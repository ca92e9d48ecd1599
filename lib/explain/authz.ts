/**
 * Istio's authorization as a workload's proxy applies it: RequestAuthentication (a presented JWT
 * must be valid), then AuthorizationPolicy CUSTOM, DENY and ALLOW in that order. Conditions the
 * manifests cannot decide (a client IP not given, a JWT claim not given, an external authorizer)
 * make the answer "unknown", never a guess.
 */
import { KubernetesObject } from '../model/kubernetes-object';
import { and, arr, labels, not, or, rec, str, strings, Tri } from '../model/json';

/** What the receiving proxy knows about the request and its sender. */
export interface AuthzContext {
  /** Host (authority) without port. */
  readonly host: string;
  /** Path without query, as the proxy sees it (after a route's rewrite at a sidecar). */
  readonly path: string;
  readonly method: string;
  readonly port: number;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The mTLS identity of the sender (`cluster.local/ns/<ns>/sa/<sa>`); undefined when none (a client outside the mesh); 'unknown' when it cannot be told. */
  readonly principal: string | undefined;
  /** The sender's namespace; undefined outside the mesh. */
  readonly sourceNamespace: string | undefined;
  /** The client's IP address when given. */
  readonly sourceIp?: string;
  /** The JWT principal (`<iss>/<sub>`), undefined without a valid token; `'<iss>/?'` when the subject is not given. */
  readonly requestPrincipal: string | undefined;
  /** JWT claims when given. */
  readonly claims?: Readonly<Record<string, string | readonly string[]>>;
}

/** One policy's part in a decision. */
export interface PolicyVerdict {
  /** "namespace/name". */
  readonly policy: string;
  readonly action: string;
  /** Whether one of its rules matches the request. */
  readonly matches: Tri;
  /** The indices (into `spec.rules`) of the rules that match the request; empty when none does or it cannot be told. */
  readonly matchedRules: readonly number[];
  /** The first reason a rule cannot be decided, when `matches` is unknown. */
  readonly unknownBecause?: string;
}

/** The authorization decision of one workload. */
export interface AuthzDecision {
  /** allow, deny, or unknown (an external authorizer or a condition the manifests do not decide). */
  readonly decision: 'allow' | 'deny' | 'unknown';
  /** The HTTP status when denied: 403 (RBAC) or 401 (a JWT that RequestAuthentication rejects). */
  readonly status?: number;
  /** "namespace/name" of the deciding policy, when one decides. */
  readonly policy?: string;
  /** Why, in one sentence. */
  readonly reason: string;
  /** The policies that apply to the workload, in evaluation order. */
  readonly policies: readonly PolicyVerdict[];
}

/** The workload that receives a request: its namespace and pod labels. */
export interface Workload {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether a policy (AuthorizationPolicy, RequestAuthentication, EnvoyFilter) applies to a workload: same namespace (or the root namespace) and a selector its labels satisfy. */
export function policyApplies(o: KubernetesObject, workload: Workload, rootNamespaces: readonly string[], selectorField = 'selector'): Tri {
  const ns = o.metadata?.namespace ?? 'default';
  if (ns !== workload.namespace && !rootNamespaces.includes(ns)) return false;
  const spec = rec(o.spec);
  if (spec.targetRef !== undefined || spec.targetRefs !== undefined) return 'unknown';
  const selector = rec(spec[selectorField]);
  const match = labels(selectorField === 'workloadSelector' ? selector.labels : selector.matchLabels);
  return Object.entries(match).every(([k, v]) => workload.labels[k] === v);
}

/** Istio's value match in authorization: exact, `prefix*`, `*suffix`, or `*` (any non-empty value). */
export function authzValueMatch(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/** Istio's path match: as {@link authzValueMatch}, plus the `{*}` (one segment) and `{**}` (any) templates. */
export function authzPathMatch(pattern: string, path: string): boolean {
  if (pattern.includes('{*}') || pattern.includes('{**}')) {
    const source = pattern.split('/').map((seg) => (seg === '{**}' ? '.*' : seg === '{*}' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    return new RegExp(`^${source}$`).test(path);
  }
  return authzValueMatch(pattern, path);
}

type Field = (value: string) => Tri;

/**
 * A request principal pattern against "iss/sub", where a subject (or issuer) not given is "?":
 * decided when the known part settles it, else unknown.
 */
function principalMatch(pattern: string, principal: string | undefined): Tri {
  if (principal === undefined || !principal.endsWith('?')) return authzValueMatch(pattern, principal);
  if (pattern === '*') return true;
  const known = principal.startsWith('?') ? '' : principal.slice(0, -1); // "iss/"
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    if (known.startsWith(prefix)) return true;
    return prefix.startsWith(known) ? 'unknown' : false;
  }
  if (pattern.startsWith('*')) return 'unknown';
  return pattern.startsWith(known) ? 'unknown' : false;
}

/** A positive list and its `not` list: the positive one matches some value, the negative none. */
function listField(positive: unknown, negative: unknown, test: Field): Tri {
  const pos = strings(positive);
  const neg = strings(negative);
  const parts: Tri[] = [];
  if (positive !== undefined) parts.push(or(pos.map(test)));
  if (negative !== undefined) parts.push(not(or(neg.map(test))));
  return and(parts);
}

function known(value: string | undefined, test: (v: string | undefined) => boolean): Tri {
  return value === 'unknown' ? 'unknown' : test(value);
}

function ipTest(ip: string | undefined): Field {
  return (block) => {
    if (ip === undefined) return 'unknown';
    if (!block.includes('/')) return ip === block;
    const [base, bits] = block.split('/');
    const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return 'unknown';
    const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
    return (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
  };
}

function sourceMatches(source: Record<string, unknown>, ctx: AuthzContext, why: string[]): Tri {
  const parts: Tri[] = [];
  const principalTest: Field = (p) => {
    const r = known(ctx.principal, (v) => authzValueMatch(p, v));
    if (r === 'unknown') why.push('the sender\'s mTLS identity is not known');
    return r;
  };
  if (source.principals !== undefined || source.notPrincipals !== undefined) parts.push(listField(source.principals, source.notPrincipals, principalTest));
  if (source.requestPrincipals !== undefined || source.notRequestPrincipals !== undefined) {
    parts.push(listField(source.requestPrincipals, source.notRequestPrincipals, (p) => {
      const r = principalMatch(p, ctx.requestPrincipal);
      if (r === 'unknown') why.push(`the JWT's subject is needed to compare with "${p}" (give --jwt ISSUER --jwt-subject SUB)`);
      return r;
    }));
  }
  if (source.namespaces !== undefined || source.notNamespaces !== undefined) {
    parts.push(listField(source.namespaces, source.notNamespaces, (n) => {
      const r = known(ctx.sourceNamespace, (v) => authzValueMatch(n, v));
      if (r === 'unknown') why.push('the sender\'s namespace is not known');
      return r;
    }));
  }
  for (const [pos, neg] of [['ipBlocks', 'notIpBlocks'], ['remoteIpBlocks', 'notRemoteIpBlocks']] as const) {
    if (source[pos] !== undefined || source[neg] !== undefined) {
      if (ctx.sourceIp === undefined) why.push(`${pos} needs the client address (give --source-ip)`);
      parts.push(listField(source[pos], source[neg], ipTest(ctx.sourceIp)));
    }
  }
  for (const key of Object.keys(source)) {
    if (!['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'].includes(key)) {
      why.push(`source field ${key} is not evaluated by explain`);
      parts.push('unknown');
    }
  }
  return and(parts);
}

function operationMatches(op: Record<string, unknown>, ctx: AuthzContext, why: string[]): Tri {
  const parts: Tri[] = [];
  const host = ctx.host.toLowerCase();
  if (op.hosts !== undefined || op.notHosts !== undefined) parts.push(listField(op.hosts, op.notHosts, (h) => authzValueMatch(h.toLowerCase(), host) || authzValueMatch(h.toLowerCase(), `${host}:${ctx.port}`)));
  if (op.ports !== undefined || op.notPorts !== undefined) parts.push(listField(op.ports, op.notPorts, (p) => String(p) === String(ctx.port)));
  if (op.methods !== undefined || op.notMethods !== undefined) parts.push(listField(op.methods, op.notMethods, (m) => authzValueMatch(m, ctx.method)));
  if (op.paths !== undefined || op.notPaths !== undefined) parts.push(listField(op.paths, op.notPaths, (p) => authzPathMatch(p, ctx.path)));
  for (const key of Object.keys(op)) {
    if (!['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'].includes(key)) {
      why.push(`operation field ${key} is not evaluated by explain`);
      parts.push('unknown');
    }
  }
  return and(parts);
}

function conditionValue(key: string, ctx: AuthzContext): string | string[] | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return ctx.headers[header[1].toLowerCase()];
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) {
    if (ctx.requestPrincipal === undefined) return undefined;
    const value = ctx.claims?.[claim[1]];
    return value === undefined ? 'unknown' : typeof value === 'string' ? value : [...value];
  }
  switch (key) {
    case 'source.ip': case 'remote.ip': return ctx.sourceIp ?? 'unknown';
    case 'source.namespace': return ctx.sourceNamespace;
    case 'source.principal': return ctx.principal;
    case 'request.auth.principal': return ctx.requestPrincipal?.endsWith('/?') ? 'unknown' : ctx.requestPrincipal;
    case 'destination.port': return String(ctx.port);
    default: return 'unknown';
  }
}

function whenMatches(condition: Record<string, unknown>, ctx: AuthzContext, why: string[]): Tri {
  const key = str(condition.key) ?? '';
  const value = conditionValue(key, ctx);
  if (value === 'unknown') {
    why.push(`the condition on ${key} cannot be decided from the request given`);
    return 'unknown';
  }
  const test: Field = (pattern) => {
    if (Array.isArray(value)) return value.some((v) => authzValueMatch(pattern, v));
    if (key.endsWith('.ip') && value !== undefined) return ipTest(value)(pattern);
    return authzValueMatch(pattern, value);
  };
  return listField(condition.values, condition.notValues, test);
}

/** Whether one rule (from AND to AND when; each list an OR) matches. */
function ruleMatches(rule: Record<string, unknown>, ctx: AuthzContext, why: string[]): Tri {
  const parts: Tri[] = [];
  if (rule.from !== undefined) parts.push(or(arr(rule.from).map((f) => sourceMatches(rec(rec(f).source), ctx, why))));
  if (rule.to !== undefined) parts.push(or(arr(rule.to).map((t) => operationMatches(rec(rec(t).operation), ctx, why))));
  if (rule.when !== undefined) parts.push(and(arr(rule.when).map((w) => whenMatches(rec(w), ctx, why))));
  return and(parts);
}

function nameOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? '<unnamed>'}`;
}

/**
 * Decides a request at a workload: a presented JWT that no RequestAuthentication accepts is
 * rejected (401); then CUSTOM policies (decided by an external authorizer: unknown), DENY (any
 * matching rule denies), ALLOW (when any ALLOW policy applies, one of its rules must match).
 */
export function authorize(
  objects: readonly KubernetesObject[],
  workload: Workload,
  ctx: AuthzContext,
  rootNamespaces: readonly string[],
  jwt?: { readonly presented: boolean; readonly issuer?: string },
): AuthzDecision {
  const policies: PolicyVerdict[] = [];
  // RequestAuthentication: a token is checked against the issuers that apply to the workload.
  if (jwt?.presented) {
    const issuers = objects.filter((o) => o.kind === 'RequestAuthentication' && policyApplies(o, workload, rootNamespaces) !== false)
      .flatMap((o) => arr(rec(o.spec).jwtRules).map((r) => ({ issuer: str(rec(r).issuer), policy: nameOf(o) })));
    if (jwt.issuer !== undefined && issuers.length > 0 && !issuers.some((i) => i.issuer === jwt.issuer)) {
      return { decision: 'deny', status: 401, policy: issuers[0].policy, reason: `the JWT's issuer ${jwt.issuer} is not one RequestAuthentication ${[...new Set(issuers.map((i) => i.policy))].join(', ')} accepts (Envoy answers 401 "Jwt issuer is not configured")`, policies };
    }
  }
  const applying = objects.filter((o) => o.kind === 'AuthorizationPolicy');
  const order = ['CUSTOM', 'DENY', 'ALLOW'];
  const evaluated = new Map<string, PolicyVerdict[]>(order.map((a) => [a, []]));
  for (const p of applying) {
    const applies = policyApplies(p, workload, rootNamespaces);
    const spec = rec(p.spec);
    const action = str(spec.action) ?? 'ALLOW';
    if (applies === false) continue;
    const why: string[] = [];
    if (applies === 'unknown') why.push('it targets by targetRef, which explain does not resolve');
    const rules = applies === 'unknown' ? [] : arr(spec.rules).map((r) => ruleMatches(rec(r), ctx, why));
    const matches: Tri = applies === 'unknown' ? 'unknown' : or(rules);
    const matchedRules = rules.flatMap((r, i) => (r === true ? [i] : []));
    const verdict: PolicyVerdict = { policy: nameOf(p), action, matches, matchedRules, ...(matches === 'unknown' ? { unknownBecause: why[0] } : {}) };
    evaluated.get(action)?.push(verdict);
    policies.push(verdict);
  }
  policies.sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  const custom = evaluated.get('CUSTOM')!;
  const customHit = custom.find((v) => v.matches !== false);
  if (customHit) {
    return { decision: 'unknown', policy: customHit.policy, reason: `CUSTOM policy ${customHit.policy} sends the request to an external authorizer, whose answer the manifests do not hold`, policies };
  }
  const deny = evaluated.get('DENY')!;
  const denied = deny.find((v) => v.matches === true);
  if (denied) return { decision: 'deny', status: 403, policy: denied.policy, reason: `DENY policy ${denied.policy} matches`, policies };
  const maybeDenied = deny.find((v) => v.matches === 'unknown');
  if (maybeDenied) return { decision: 'unknown', policy: maybeDenied.policy, reason: `DENY policy ${maybeDenied.policy} may match: ${maybeDenied.unknownBecause}`, policies };
  const allow = evaluated.get('ALLOW')!;
  if (allow.length === 0) return { decision: 'allow', reason: 'no ALLOW policy applies, and no DENY policy matches', policies };
  const allowed = allow.find((v) => v.matches === true);
  if (allowed) return { decision: 'allow', policy: allowed.policy, reason: `ALLOW policy ${allowed.policy} matches`, policies };
  const maybe = allow.find((v) => v.matches === 'unknown');
  if (maybe) return { decision: 'unknown', policy: maybe.policy, reason: `ALLOW policy ${maybe.policy} may match: ${maybe.unknownBecause}`, policies };
  return { decision: 'deny', status: 403, reason: `ALLOW policies apply (${allow.map((v) => v.policy).join(', ')}) and none matches`, policies };
}
