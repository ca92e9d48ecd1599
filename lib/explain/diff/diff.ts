/**
 * The semantic diff of two edges: which requests get another outcome. Both sides are loaded as
 * {@link LoadedEdge} (either form), the representative requests of the union of their conditions
 * ({@link representativeRequests}) are explained on both, and every request whose outcome differs
 * is put in a class: the requests of one scope (gateway listener and host, or mesh host and
 * sender) that take the same route and get the same policy decisions on each side. Classes with
 * the same change on the same routes are reported together, each with the smallest description
 * of its requests and one example request per alternative.
 */
import { KubernetesObject } from '../../model/kubernetes-object';
import { ManifestLocation } from '../../model/read-manifests';
import { LoadedEdge } from '../edge';
import { ExplainOptions, ExplainRequest, Explanation } from '../explain';
import { routeActions } from '../format';
import { DEFAULT_SOURCE_IP, OTHER_VALUE, PathCondition, representativeRequests, RepresentativeRequest, RequestScope } from './request-classes';

/** The JSON schema version of {@link EdgeDiff}; raised on any incompatible change. */
export const EDGE_DIFF_SCHEMA_VERSION = 1;

/** The parts of an outcome the diff compares, in report order. */
export const DIFF_ASPECTS = ['decision', 'gateway', 'destinations', 'redirect', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'cors', 'headers', 'rateLimits', 'authorization', 'jwt'] as const;

/** One part of an outcome. */
export type DiffAspect = typeof DIFF_ASPECTS[number];

/** An outcome, normalized for comparison (what `explain` decides, without the evaluation's wording). */
export interface DiffOutcome {
  readonly decision: Explanation['decision'];
  readonly status: number | null;
  /** The gateway server that accepts the request (gateway requests). */
  readonly gateway: { readonly name: string; readonly port: number; readonly protocol: string } | null;
  /** The route chosen: informational, not compared (a renamed route is not a routing change). */
  readonly route: { readonly virtualService: string; readonly name: string | null; readonly index: number; readonly match: number | null } | null;
  /** Destinations sorted by host, subset and port; `percent` is the weight's share of the route. */
  readonly destinations: readonly {
    readonly host: string; readonly subset: string | null; readonly port: number | null; readonly percent: number;
    readonly trafficPolicy: Record<string, unknown> | null; readonly problems: readonly string[];
    readonly authorization: { readonly decision: string; readonly policy: string | null } | null;
  }[];
  readonly redirect: { readonly location: string; readonly status: number } | null;
  readonly rewrite: { readonly path?: string; readonly authority?: string } | null;
  readonly timeout: string | null;
  readonly retries: Record<string, unknown> | null;
  readonly fault: unknown;
  readonly mirror: unknown;
  readonly cors: unknown;
  readonly headers: unknown;
  /** The rate limits that apply, with the descriptors sent and the limits hit ("300/minute"). */
  readonly rateLimits: readonly { readonly name: string; readonly kind: string; readonly domain: string | null; readonly descriptors: readonly string[]; readonly limits: readonly string[] }[];
  /** The gateway's authorization decision and the deciding policy. */
  readonly authorization: { readonly decision: string; readonly status: number | null; readonly policy: string | null } | null;
  readonly jwt: { readonly required: boolean | 'unknown'; readonly issuers: readonly string[] };
  /** What the manifests leave open on this side (empty when the answer is certain). */
  readonly unknowns: readonly string[];
}

/** An object of either side, by kind, namespace and name. */
export interface DiffObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
}

/** An object the change of a class comes from, and where it is written. */
export interface DiffCause extends DiffObjectRef {
  /** The side the object was read from: "new" (added or changed), or "old" (removed). */
  readonly side: 'old' | 'new';
  /** Its file, document index (0-based) and line, when the input was read from files. */
  readonly location: ManifestLocation | null;
}

/** An object added, removed or modified between the two sides. */
export interface DiffObjectChange extends DiffObjectRef {
  readonly change: 'added' | 'removed' | 'modified';
  /** Whether some changed class names it as a cause; false: it changed without changing any outcome. */
  readonly routingEffect: boolean;
  readonly oldLocation: ManifestLocation | null;
  readonly newLocation: ManifestLocation | null;
}

/** One part of an outcome before and after. */
export interface DiffChange {
  readonly aspect: DiffAspect;
  readonly before: unknown;
  readonly after: unknown;
}

/** A class of requests whose outcome differs, with its example. */
export interface DiffClass {
  /** "c1", "c2", ... in report order (host, then entry, then description). */
  readonly id: string;
  /** The host of its requests (an example name under a wildcard: see `hostPattern`). */
  readonly host: string;
  /** The host as the manifests write it (`*.example.com`). */
  readonly hostPattern: string;
  /** "gateway" (from outside, through a gateway listener) or "mesh" (from a sidecar). */
  readonly entry: 'gateway' | 'mesh';
  /** The gateway listener, for gateway requests. */
  readonly listener: { readonly port: number; readonly scheme: 'http' | 'https' } | null;
  /** The sending workload, for mesh requests. */
  readonly source: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> } | null;
  /** The requests of the class, one alternative a line (an OR): path, headers, method, query, JWT. */
  readonly where: readonly string[];
  /** "changed", or "unknown" when either side's decision is not decided by its manifests. */
  readonly status: 'changed' | 'unknown';
  /** The parts of the outcome that differ. */
  readonly changes: readonly DiffChange[];
  /** A request of the class (the first alternative's). */
  readonly example: ExplainRequest;
  /**
   * One request for each set of requests of the class that take the same routes and get the same
   * policy decisions on both sides (the first is `example`).
   */
  readonly examples: readonly ExplainRequest[];
  /** The example's outcome before (old side) and after (new side). */
  readonly before: DiffOutcome;
  readonly after: DiffOutcome;
  /** The changed objects the change comes from. */
  readonly causes: readonly DiffCause[];
}

/** The semantic diff of two edges (`diff --json` prints it). */
export interface EdgeDiff {
  readonly schemaVersion: typeof EDGE_DIFF_SCHEMA_VERSION;
  /** Whether any request's outcome differs (the exit status: 1 when true). */
  readonly changed: boolean;
  readonly summary: {
    /** Representative requests explained on each side. */
    readonly requests: number;
    readonly classes: number;
    /** Classes whose outcome is not decided by the manifests on one side or both. */
    readonly unknownClasses: number;
    /** Hosts with at least one changed class. */
    readonly hosts: number;
    readonly objectsChanged: number;
    readonly objectsWithoutRoutingEffect: number;
    /** Requests whose outcome the manifests do not decide on either side (the same unknown on both). */
    readonly undecidedRequests: number;
  };
  readonly classes: readonly DiffClass[];
  /** Every object added, removed or modified. */
  readonly objects: readonly DiffObjectChange[];
  /** What the diff could not cover (a regex without an example). */
  readonly notes: readonly string[];
}

/** Options of {@link diffEdges}. */
export interface DiffOptions extends ExplainOptions {
  /**
   * Where each old object was read (`readManifests(...).locations`), to locate causes.
   * @default - causes carry no location
   */
  readonly oldLocations?: ReadonlyMap<KubernetesObject, ManifestLocation>;
  /**
   * Where each new object was read.
   * @default - causes carry no location
   */
  readonly newLocations?: ReadonlyMap<KubernetesObject, ManifestLocation>;
}

// ------------------------------------------------------------------ outcomes

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** The outcome of an explanation, normalized for comparison. */
export function diffOutcome(e: Explanation): DiffOutcome {
  const total = e.destinations.reduce((s, d) => s + d.weight, 0);
  const destinations = e.destinations.map((d) => ({
    host: d.host, subset: d.subset ?? null, port: d.port ?? null,
    percent: total > 0 ? Math.round((d.weight / total) * 10000) / 100 : 0,
    trafficPolicy: d.trafficPolicy ?? null, problems: [...d.problems],
    authorization: d.authorization ? { decision: d.authorization.decision, policy: d.authorization.policy ?? null } : null,
  })).sort((a, b) => canonical([a.host, a.subset, a.port]).localeCompare(canonical([b.host, b.subset, b.port])));
  return {
    decision: e.decision,
    status: e.status ?? null,
    gateway: e.gateway ? { name: e.gateway.name, port: e.gateway.server.port, protocol: e.gateway.server.protocol } : null,
    route: e.route ? { virtualService: e.route.virtualService, name: e.route.name ?? null, index: e.route.index, match: e.route.match ?? null } : null,
    destinations,
    ...routeActions(e),
    rateLimits: e.rateLimits.map((r) => ({
      name: r.name, kind: r.kind, domain: r.domain ?? null,
      descriptors: (r.descriptors ?? []).map((d) => d.entries.map((x) => `${x.key}=${x.value}`).join(',')),
      limits: r.limits.map((l) => `${l.value}/${l.unit}`),
    })).sort((a, b) => canonical(a).localeCompare(canonical(b))),
    authorization: e.authorization ? { decision: e.authorization.decision, status: e.authorization.status ?? null, policy: e.authorization.policy ?? null } : null,
    jwt: { required: e.jwt.required, issuers: [...e.jwt.issuers].sort() },
    unknowns: [...e.unknowns],
  };
}

function aspectValue(o: DiffOutcome, aspect: DiffAspect): unknown {
  switch (aspect) {
    case 'decision': return { decision: o.decision, status: o.status };
    case 'gateway': return o.gateway;
    default: return o[aspect];
  }
}

/** The parts of two outcomes that differ. */
export function compareOutcomes(before: DiffOutcome, after: DiffOutcome): DiffChange[] {
  const out: DiffChange[] = [];
  for (const aspect of DIFF_ASPECTS) {
    const b = aspectValue(before, aspect);
    const a = aspectValue(after, aspect);
    if (canonical(b) !== canonical(a)) out.push({ aspect, before: b, after: a });
  }
  return out;
}

/** What decides an outcome on one side, without the request's own text (its path, its query). */
function trace(e: Explanation): string {
  return canonical([
    e.decision, e.gateway?.name ?? null, e.gateway?.server.port ?? null,
    e.route ? [e.route.virtualService, e.route.index, e.route.match ?? null, e.route.protocol ?? 'http'] : null,
    e.authorization ? [e.authorization.decision, e.authorization.policy ?? null] : null,
    e.destinations.map((d) => [d.host, d.subset ?? null, d.authorization?.decision ?? null, d.authorization?.policy ?? null]),
    e.jwt.required,
    e.rateLimits.map((r) => [r.name, (r.descriptors ?? []).map((d) => d.entries.map((x) => `${x.key}=${x.value}`))]),
  ]);
}

/**
 * The class of a request between two loaded edges: its scope with what decides its outcome on
 * each side (route, policy decisions, descriptors). Requests with the same key get the same
 * change; the diff reports each key whose example differs.
 */
export function requestClassKey(scope: RequestScope | string, before: Explanation, after: Explanation): string {
  return `${typeof scope === 'string' ? scope : scope.key}|${trace(before)}|${trace(after)}`;
}

// ------------------------------------------------------------------ descriptions

const inside = (a: PathCondition, b: PathCondition) => a !== b && !b.exact && a.prefix.startsWith(b.prefix) && (a.prefix !== b.prefix || a.exact);

/** The smallest description of a path among the conditions of its scope. */
export function describePath(path: string, conditions: readonly PathCondition[]): string {
  const sat = conditions.filter((c) => c.test(path));
  if (sat.some((c) => c.exact)) return `path ${path}`;
  const minimal = sat.filter((c, i) => !sat.some((d) => inside(d, c)) && !sat.slice(0, i).some((d) => !d.exact && d.prefix === c.prefix));
  const unsat = conditions.filter((c) => !c.test(path) && (minimal.length === 0 || minimal.some((s) => inside(c, s))));
  const maximal = unsat.filter((u, i) => !unsat.some((v) => inside(u, v)) && !unsat.slice(0, i).some((v) => v.exact === u.exact && v.prefix === u.prefix));
  const nots = maximal.slice(0, 4).map((c) => `not ${c.text}`);
  if (maximal.length > 4) nots.push(`not ${maximal.length - 4} more`);
  if (minimal.length === 0) return nots.length ? `any path, ${nots.join(', ')}` : 'any path';
  return [...minimal.map((c) => `path ${c.text}`), ...nots].join(', ');
}

/** The parts of a request's description: its path region, then each non-default condition it carries. */
function describeRequest(r: ExplainRequest, scope: RequestScope): { path: string; parts: string[]; jwt: boolean } {
  const parts: string[] = [];
  if (r.method && r.method !== 'GET') parts.push(`method ${r.method}`);
  for (const [k, v] of Object.entries(r.headers ?? {})) parts.push(v === OTHER_VALUE ? `header ${k}: another value` : `header ${k}: ${v}`);
  for (const [k, v] of Object.entries(r.query ?? {})) parts.push(v === OTHER_VALUE ? `query ${k}: another value` : `query ${k}=${v}`);
  for (const [k, v] of Object.entries(r.jwt?.claims ?? {})) parts.push(`claim ${k}=${String(v)}`);
  if (r.sourceIp && r.sourceIp !== DEFAULT_SOURCE_IP) parts.push(`from ${r.sourceIp}`);
  return { path: describePath((r.path ?? '/').split('?')[0], scope.paths), parts, jwt: !!r.jwt };
}

/**
 * The smallest description of a group's requests, one alternative a line: alternatives that differ
 * only by a JWT, or by a header, parameter or method the group also holds without, are one.
 */
function describeGroup(requests: readonly ExplainRequest[], scope: RequestScope): string[] {
  const described = requests.map((r) => describeRequest(r, scope));
  const key = (d: { path: string; parts: string[] }) => [d.path, ...d.parts].join(', ');
  const keys = new Set(described.map((d) => `${key(d)}|${d.jwt}`));
  const out: string[] = [];
  for (const d of described) {
    // A condition the group also holds without (the header absent) says nothing of the group: drop it.
    const parts = d.parts.filter((p) => !keys.has(`${key({ path: d.path, parts: d.parts.filter((x) => x !== p) })}|${d.jwt}`));
    const base = key({ path: d.path, parts });
    const both = scope.jwt && keys.has(`${key(d)}|${!d.jwt}`);
    const text = !scope.jwt || both ? base : `${base}, ${d.jwt ? 'with a JWT' : 'without a JWT'}`;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

// ------------------------------------------------------------------ objects

const objectKey = (o: KubernetesObject) => `${o.kind}|${(o.apiVersion ?? '').split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
const refOf = (o: KubernetesObject): DiffObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace ?? null, name: o.metadata?.name ?? '' });

interface ObjectDiff {
  /** Changed objects of a side, by key. */
  readonly changedOld: Map<string, KubernetesObject>;
  readonly changedNew: Map<string, KubernetesObject>;
  readonly list: { key: string; old?: KubernetesObject; new?: KubernetesObject; change: DiffObjectChange['change'] }[];
}

function objectDiff(oldObjects: readonly KubernetesObject[], newObjects: readonly KubernetesObject[]): ObjectDiff {
  const byKey = (objects: readonly KubernetesObject[]) => new Map(objects.map((o) => [objectKey(o), o]));
  const olds = byKey(oldObjects);
  const news = byKey(newObjects);
  const list: ObjectDiff['list'] = [];
  const changedOld = new Map<string, KubernetesObject>();
  const changedNew = new Map<string, KubernetesObject>();
  for (const key of new Set([...olds.keys(), ...news.keys()])) {
    const o = olds.get(key);
    const n = news.get(key);
    if (o && n && canonical(o) === canonical(n)) continue;
    if (o) changedOld.set(key, o);
    if (n) changedNew.set(key, n);
    list.push({ key, old: o, new: n, change: o && n ? 'modified' : o ? 'removed' : 'added' });
  }
  list.sort((a, b) => a.key.localeCompare(b.key));
  return { changedOld, changedNew, list };
}

/**
 * The objects of the manifests an explanation names (Istio form), by key; Gateway API routes and
 * gateways read back by explain are traced to their HTTPRoute and Gateway.
 */
function namedObjects(e: Explanation): { kind: string; ref: string; aspects: readonly DiffAspect[] }[] {
  const out: { kind: string; ref: string; aspects: readonly DiffAspect[] }[] = [];
  const route: DiffAspect[] = ['destinations', 'redirect', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'cors', 'headers', 'rateLimits'];
  const policy: DiffAspect[] = ['authorization', 'jwt'];
  if (e.gateway) out.push({ kind: 'Gateway', ref: e.gateway.name, aspects: ['gateway', ...route] });
  if (e.route) out.push({ kind: 'VirtualService', ref: e.route.virtualService, aspects: route });
  for (const p of e.authorization?.policies ?? []) out.push({ kind: 'AuthorizationPolicy', ref: p.policy, aspects: policy });
  if (e.authorization?.policy) out.push({ kind: 'AuthorizationPolicy', ref: e.authorization.policy, aspects: policy }, { kind: 'RequestAuthentication', ref: e.authorization.policy, aspects: policy });
  for (const p of e.jwt.policies) out.push({ kind: 'RequestAuthentication', ref: p, aspects: policy }, { kind: 'AuthorizationPolicy', ref: p, aspects: policy });
  for (const r of e.rateLimits) out.push({ kind: 'EnvoyFilter', ref: r.name, aspects: ['rateLimits'] });
  for (const d of e.destinations) {
    if (d.destinationRule) out.push({ kind: 'DestinationRule', ref: d.destinationRule, aspects: ['destinations'] });
    for (const p of d.authorization?.policies ?? []) out.push({ kind: 'AuthorizationPolicy', ref: p.policy, aspects: ['destinations'] });
    const [name, ns] = d.host.split('.');
    if (ns) out.push({ kind: 'Service', ref: `${ns}/${name}`, aspects: ['destinations'] }, { kind: 'ServiceEntry', ref: `${ns}/${name}`, aspects: ['destinations'] });
  }
  return out;
}

/** The original object (as given) an evaluated object comes from: itself, or the Gateway API object read back. */
function originalOf(o: KubernetesObject, originals: readonly KubernetesObject[], originalSet: ReadonlySet<KubernetesObject>): KubernetesObject | undefined {
  if (originalSet.has(o)) return o;
  const ns = o.metadata?.namespace;
  const name = o.metadata?.name ?? '';
  const gw = (x: KubernetesObject) => x.apiVersion?.startsWith('gateway.networking.k8s.io/') && x.metadata?.namespace === ns;
  if (o.kind === 'VirtualService') return originals.find((x) => gw(x) && x.kind === 'HTTPRoute' && (x.metadata?.name === name || `${x.metadata?.name}-mesh` === name));
  if (o.kind === 'Gateway' || o.kind === 'Deployment') return originals.find((x) => gw(x) && x.kind === 'Gateway' && name.startsWith(x.metadata?.name ?? '\0'));
  return undefined;
}

// ------------------------------------------------------------------ the diff

interface Member {
  rep: RepresentativeRequest;
  before: Explanation;
  after: Explanation;
  changes: DiffChange[];
}

const stripPathDependent = (changes: readonly DiffChange[]) => canonical(changes.map((c) => (c.aspect === 'rewrite' || c.aspect === 'redirect' ? { aspect: c.aspect } : c)));

/**
 * Which requests get another outcome between two edges (each in either form, as
 * `readManifests(...).objects` gives them).
 *
 * ```ts
 * const d = diffEdges((await readManifests(['old/'])).objects, (await readManifests(['new/'])).objects);
 * d.changed;                  // false: no request goes elsewhere
 * d.classes[0].where;         // ["path prefix /api, not prefix /api/"]
 * d.classes[0].example;       // { host: "shop.example.com", port: 443, scheme: "https", path: "/apix" }
 * ```
 */
export function diffEdges(oldObjects: readonly KubernetesObject[], newObjects: readonly KubernetesObject[], options: DiffOptions = {}): EdgeDiff {
  const explainOptions: ExplainOptions = options.rootNamespaces ? { rootNamespaces: options.rootNamespaces } : {};
  const oldEdge = LoadedEdge.load(oldObjects, explainOptions);
  const newEdge = LoadedEdge.load(newObjects, explainOptions);
  return diffLoadedEdges(oldEdge, newEdge, oldObjects, newObjects, options);
}

/** {@link diffEdges} on edges already loaded (the objects as given, for the list of changed objects). */
export function diffLoadedEdges(
  oldEdge: LoadedEdge, newEdge: LoadedEdge, oldObjects: readonly KubernetesObject[], newObjects: readonly KubernetesObject[], options: DiffOptions = {},
): EdgeDiff {
  const { requests, notes } = representativeRequests(oldEdge.objects, newEdge.objects);
  const classes = new Map<string, Member[]>();
  let undecided = 0;
  for (const rep of requests) {
    const before = oldEdge.explain(rep.request);
    const after = newEdge.explain(rep.request);
    const changes = compareOutcomes(diffOutcome(before), diffOutcome(after));
    if (changes.length === 0) {
      if (before.decision === 'unknown') undecided++;
      continue;
    }
    const key = requestClassKey(rep.scope, before, after);
    const members = classes.get(key);
    if (members) members.push({ rep, before, after, changes });
    else classes.set(key, [{ rep, before, after, changes }]);
  }

  // Object-level changes, on the evaluated (Istio-form) objects and on the objects as given.
  const evaluated = objectDiff(oldEdge.objects, newEdge.objects);
  const given = objectDiff(oldObjects, newObjects);
  const oldSet = new Set(oldObjects);
  const newSet = new Set(newObjects);
  const withEffect = new Set<KubernetesObject>();
  const causesOf = (m: Member): DiffCause[] => {
    // The objects each changed part of the outcome can come from (a decision can come from any).
    const aspects = new Set(m.changes.map((c) => c.aspect));
    const named = new Set([...namedObjects(m.before), ...namedObjects(m.after)].filter((n) => aspects.has('decision') || n.aspects.some((a) => aspects.has(a))).map((n) => {
      const [ns, name] = n.ref.split('/');
      return `${n.kind}|${ns}|${name}`;
    }));
    const pick = (changed: Map<string, KubernetesObject>) => [...changed].filter(([k]) => {
      const [kind, , ns, name] = k.split('|');
      return named.has(`${kind}|${ns}|${name}`);
    }).map(([, o]) => o);
    let news = pick(evaluated.changedNew);
    let olds = pick(evaluated.changedOld).filter((o) => !evaluated.changedNew.has(objectKey(o)));
    if (news.length === 0 && olds.length === 0) {
      // Nothing the explanations name changed (a Service's selector, a workload's labels): every changed object may be the cause.
      news = [...evaluated.changedNew.values()];
      olds = [...evaluated.changedOld.values()].filter((o) => !evaluated.changedNew.has(objectKey(o)));
    }
    const out: DiffCause[] = [];
    const seen = new Set<KubernetesObject>();
    for (const [side, list] of [['new', news], ['old', olds]] as const) {
      for (const o of list) {
        const original = originalOf(o, side === 'new' ? newObjects : oldObjects, side === 'new' ? newSet : oldSet);
        if (!original || seen.has(original)) continue;
        seen.add(original);
        withEffect.add(original);
        out.push({ ...refOf(original), side, location: (side === 'new' ? options.newLocations : options.oldLocations)?.get(original) ?? null });
      }
    }
    return out;
  };

  // Group the classes with the same change on the same routes of the same scope.
  const groups = new Map<string, Member[][]>();
  for (const members of classes.values()) {
    const m = members[0];
    const route = (e: Explanation) => (e.route ? `${e.route.virtualService}#${e.route.index}` : '-');
    const key = `${m.rep.scope.key}|${route(m.before)}|${route(m.after)}|${stripPathDependent(m.changes)}`;
    const group = groups.get(key);
    if (group) group.push(members);
    else groups.set(key, [members]);
  }
  const built = [...groups.values()].map((keyed) => {
    const members = keyed.flat();
    const first = members[0];
    const scope = first.rep.scope;
    const where = describeGroup(members.map((m) => m.rep.request), scope);
    // One example for each class of the group (requests that take the same routes and decisions).
    const examples = keyed.map((k) => k[0].rep.request);
    const before = diffOutcome(first.before);
    const after = diffOutcome(first.after);
    const status: DiffClass['status'] = before.decision === 'unknown' || after.decision === 'unknown' ? 'unknown' : 'changed';
    return {
      host: scope.host, hostPattern: scope.hostPattern, entry: scope.entry,
      listener: scope.listener ?? null,
      source: scope.source ? { namespace: scope.source.namespace, labels: scope.source.labels } : null,
      where, status, changes: first.changes, example: first.rep.request, examples, before, after,
      causes: members.flatMap(causesOf).filter((c, i, all) => all.findIndex((x) => x.kind === c.kind && x.namespace === c.namespace && x.name === c.name && x.side === c.side) === i),
    };
  });
  built.sort((a, b) => a.host.localeCompare(b.host) || (a.entry === b.entry ? 0 : a.entry === 'gateway' ? -1 : 1)
    || (a.listener?.port ?? 0) - (b.listener?.port ?? 0) || canonical(a.source).localeCompare(canonical(b.source)) || a.where[0].localeCompare(b.where[0]));
  const diffClasses: DiffClass[] = built.map((c, i) => ({ id: `c${i + 1}`, ...c }));

  const objects: DiffObjectChange[] = given.list.map((x) => {
    const o = (x.new ?? x.old)!;
    return {
      ...refOf(o), change: x.change,
      routingEffect: (x.new !== undefined && withEffect.has(x.new)) || (x.old !== undefined && withEffect.has(x.old)),
      oldLocation: x.old ? options.oldLocations?.get(x.old) ?? null : null,
      newLocation: x.new ? options.newLocations?.get(x.new) ?? null : null,
    };
  });
  return {
    schemaVersion: EDGE_DIFF_SCHEMA_VERSION,
    changed: diffClasses.length > 0,
    summary: {
      requests: requests.length,
      classes: diffClasses.length,
      unknownClasses: diffClasses.filter((c) => c.status === 'unknown').length,
      hosts: new Set(diffClasses.map((c) => c.host)).size,
      objectsChanged: objects.length,
      objectsWithoutRoutingEffect: objects.filter((o) => !o.routingEffect).length,
      undecidedRequests: undecided,
    },
    classes: diffClasses,
    objects,
    notes,
  };
}
