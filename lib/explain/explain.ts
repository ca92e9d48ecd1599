/**
 * `explain`: where a request goes, answered from manifests as Istio's proxies would answer it. It
 * reads objects only (ours or hand-written), never the constructs.
 *
 * At a gateway: the Gateway server that accepts the connection (port, protocol, SNI or Host), the
 * JWT and authorization filters of the gateway workload, then the router: the HTTPS redirect of
 * the server, the virtual host (the most specific domain among the VirtualServices bound to the
 * gateway and visible to it), its routes in order (first match wins; a match block is an OR of its
 * entries, an entry an AND of its conditions), and the route's action: redirect, direct response,
 * or destinations with weights, subsets, ports and the DestinationRule policy that applies. Then
 * the authorization of each destination's workload. A request from a sidecar (`source`) is
 * routed by the VirtualServices bound to `mesh`, or by the default route to the Service.
 */
import { text } from '../private/text';
import { KubernetesObject } from '../model/kubernetes-object';
import { ObjectIndex } from '../model/object-index';
import { authorize, AuthzContext, AuthzDecision, policyApplies, Workload } from './authz';
import { describeStringMatch, hostMatches, intersectHosts, mostSpecificDomain, normalizeHost, normalizePath, re2, stringMatch } from './match';
import { and, arr, labels, num, rec, str, strings, Tri } from '../model/json';
import { descriptorOf, ExplainedDescriptor, limitOf, RateLimitValue, rateLimitConfigs, rateLimitKind } from './rate-limits';
import { resolveHost } from '../contract/hosts';
import { unreadFields } from '../model/field-paths';
import { EXPLAIN_FIELDS } from './fields';
import { clusterHostNamespace, splitNamespaced } from '../contract/hosts';
import { EXPLAIN_ROUTE_IDS_ANNOTATION } from '../contract/keys';
import type { RolloutStepSummary } from './rollout';

/** The namespaces whose policies apply mesh-wide (Istio's root namespace; the AKS add-on's). */
export const DEFAULT_ROOT_NAMESPACES: readonly string[] = ['istio-system', 'aks-istio-system'];

/** Istio's default retry policy when a route sets none (mesh config `defaultHttpRetryPolicy`). */
export const MESH_DEFAULT_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' } as const;

/** A request to explain. */
export interface ExplainRequest {
  /** The Host header (and SNI unless `sni` is set); a port suffix is ignored. */
  readonly host: string;
  /**
   * The path, optionally with a query string.
   * @default "/"
   */
  readonly path?: string;
  /**
   * The method.
   * @default "GET"
   */
  readonly method?: string;
  /**
   * Request headers (names are case-insensitive). An `authorization: Bearer ...` header counts as a
   * presented JWT whose principal is not known.
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Query parameters, added to those of `path`.
   * @default - none
   */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * The port the client connects to.
   * @default - 443 for https, else 80 (for a mesh request: the Service's port when it has one)
   */
  readonly port?: number;
  /**
   * The scheme.
   * @default - https on port 443, else http
   */
  readonly scheme?: 'http' | 'https';
  /**
   * The TLS server name.
   * @default - the host
   */
  readonly sni?: string;
  /**
   * The gateway ("namespace/name") when several gateway workloads could receive the request.
   * @default - the gateways whose servers accept the port and host
   */
  readonly gateway?: string;
  /**
   * A JWT the client presents, assumed correctly signed (explain cannot check signatures): its
   * issuer and subject give the request principal "iss/sub"; claims feed `request.auth.claims[...]`.
   * `valid: false` is a token the proxy rejects (401).
   * @default - none, unless an `authorization: Bearer` header is given
   */
  readonly jwt?: { readonly issuer?: string; readonly subject?: string; readonly claims?: Readonly<Record<string, string | readonly string[]>>; readonly valid?: boolean };
  /**
   * The client's IP address, for `ipBlocks`/`remoteIpBlocks` and `source.ip`.
   * @default - unknown: conditions on it are undecided
   */
  readonly sourceIp?: string;
  /**
   * A request from a sidecar inside the mesh instead of from outside through a gateway: the
   * sender's namespace, pod labels and (optionally) its mTLS identity.
   * @default - a request from outside, through a gateway
   */
  readonly source?: { readonly namespace: string; readonly labels?: Readonly<Record<string, string>>; readonly principal?: string };
}

/** Options of {@link explainRequest}. */
export interface ExplainOptions {
  /**
   * Namespaces whose policies apply to every workload.
   * @default DEFAULT_ROOT_NAMESPACES
   */
  readonly rootNamespaces?: readonly string[];
}

/** The outcome. */
export type Decision = 'routed' | 'redirected' | 'denied' | 'no-route' | 'direct-response' | 'unknown';

/** A destination of the chosen route. */
export interface ExplainedDestination {
  /** The Service host, fully qualified. */
  readonly host: string;
  readonly subset?: string;
  /** The Service port; undefined when it cannot be told (a Service with several ports and no port given). */
  readonly port?: number;
  /** The route weight (100 for a single destination); Envoy divides traffic by weight over the total. */
  readonly weight: number;
  /** Whether the Service (or a ServiceEntry) is among the manifests. */
  readonly serviceFound: boolean;
  /** The DestinationRule that applies ("namespace/name"), if any. */
  readonly destinationRule?: string;
  /** Its policy after subset and port-level overrides: loadBalancer, connectionPool, outlierDetection, tls. */
  readonly trafficPolicy?: Record<string, unknown>;
  /** What is wrong with the destination (a missing subset answers 503). */
  readonly problems: readonly string[];
  /** The authorization decision of the destination's workload. */
  readonly authorization?: AuthzDecision;
  /**
   * The pods the destination reaches: the Service's namespace and its selector with the subset's
   * labels. The same pods reached through a Service per version (the Gateway API form) and through
   * a subset (the Istio form) have the same `pods`.
   */
  readonly pods?: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
}

/** A rate limit that applies to the request. */
export interface ExplainedRateLimit {
  /** The EnvoyFilter, "namespace/name". */
  readonly name: string;
  /** local (a token bucket per proxy) or global (the rate-limit service). */
  readonly kind: 'local' | 'global';
  /** The limit in words. */
  readonly detail: string;
  /** The rate-limit service's domain (global). */
  readonly domain?: string;
  /**
   * Global: the descriptors the request produces on its route and virtual host (the `rate_limits`
   * actions of the filter's HTTP_ROUTE and VIRTUAL_HOST patches), each with the limit it hits in
   * the service's configuration. Empty when the filter sends none for this route (not limited).
   */
  readonly descriptors?: readonly ExplainedDescriptor[];
  /** The limits hit: a token bucket (local), or those of the descriptors (global). */
  readonly limits: readonly RateLimitValue[];
}

/** The answer. */
export interface Explanation {
  readonly decision: Decision;
  /** The HTTP status the client sees when it follows from the manifests (301, 401, 403, 404, a direct response). */
  readonly status?: number;
  /** Where the request entered: a gateway server, or the mesh. */
  readonly gateway?: { readonly name: string; readonly server: { readonly port: number; readonly protocol: string; readonly hosts: readonly string[]; readonly name?: string } };
  /**
   * The chosen route; `protocol` "tls" for a `tls` route chosen by SNI (index into `spec.tls`), else
   * an `http` route. `id` is its stable identity (see {@link routeId}): `"shop/shop#http[2]"`, or
   * `"shop/shop#rules[1]"` for a rule of a Gateway API HTTPRoute.
   */
  readonly route?: { readonly virtualService: string; readonly id: string; readonly name?: string; readonly index: number; readonly match?: number; readonly protocol?: 'http' | 'tls' };
  /** Redirect location (an HTTPS redirect or a route redirect). */
  readonly redirect?: { readonly location: string; readonly status: number };
  /** Rewrites applied before forwarding. */
  readonly rewrite?: { readonly path?: string; readonly authority?: string };
  readonly destinations: readonly ExplainedDestination[];
  readonly retries?: Record<string, unknown>;
  /** The route timeout ("none": Istio disables Envoy's route timeout by default). */
  readonly timeout?: string;
  readonly fault?: unknown;
  readonly mirror?: unknown;
  readonly cors?: unknown;
  readonly headers?: unknown;
  readonly rateLimits: readonly ExplainedRateLimit[];
  /** The authorization decision at the gateway (or, for a mesh request, absent: see the destinations). */
  readonly authorization?: AuthzDecision;
  /** Whether a request without a JWT is denied where one with a valid JWT is not. */
  readonly jwt: { readonly required: Tri; readonly issuers: readonly string[]; readonly policies: readonly string[] };
  /** The evaluation, step by step. */
  readonly steps: readonly string[];
  /** What the manifests do not decide (ambiguities, unsupported fields); empty when the answer is certain. */
  readonly unknowns: readonly string[];
  /** The Argo Rollouts canary step the answer is for (`--rollout ns/name --step N`): the weights and managed routes in force. */
  readonly rollout?: RolloutStepSummary;
}

interface Req {
  host: string;
  path: string;
  rawQuery: string;
  query: Map<string, string>;
  method: string;
  headers: Record<string, string>;
  port: number;
  scheme: 'http' | 'https';
  sni: string;
}

/** A DestinationRule with its position among the DestinationRules and its host resolved. */
interface PlacedDestinationRule { readonly position: number; readonly o: KubernetesObject; readonly pattern: string }

/** The DestinationRules of one namespace, for lookups by host. */
interface DestinationRulesOfNamespace { readonly exact: Map<string, PlacedDestinationRule[]>; readonly wildcard: PlacedDestinationRule[] }

/** A VirtualService's HTTP routes on a virtual host, and the server it came through. */
interface VirtualHostGroup { readonly entries: RouteEntry[]; readonly server: Candidate }

/** The virtual hosts of a set of gateway servers, by domain, and the servers by host. */
interface VirtualHosts { readonly vhosts: ReadonlyMap<string, VirtualHostGroup[]>; readonly domainsOfServer: ReadonlyMap<string, Candidate> }

interface Candidate {
  gateway: KubernetesObject;
  gatewayRef: string;
  server: Record<string, unknown>;
  workloadKey: string;
  workload: Workload;
  serviceAccount?: string;
}

interface RouteEntry {
  vs: KubernetesObject;
  http: Record<string, unknown>;
  index: number;
}

const ref = (o: KubernetesObject) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? '<unnamed>'}`;
const nsOf = (o: KubernetesObject) => o.metadata?.namespace ?? 'default';

const routeIds = new WeakMap<KubernetesObject, readonly string[]>();

/**
 * The stable identity of a route of a VirtualService: `"<namespace>/<name>#<protocol>[<index>]"`
 * (`"shop/shop#http[2]"`, `"shop/payments#tls[0]"`). A VirtualService read back from a Gateway API
 * HTTPRoute names the HTTPRoute's rule instead (`"shop/shop#rules[1]"`): Istio orders the rules by
 * precedence, and a rule with several matches becomes several routes with the same identity.
 */
export function routeId(vs: KubernetesObject, protocol: 'http' | 'tls' | 'tcp', index: number): string {
  if (protocol === 'http') {
    let ids = routeIds.get(vs);
    if (ids === undefined) {
      const annotation = vs.metadata?.annotations?.[EXPLAIN_ROUTE_IDS_ANNOTATION];
      let parsed: unknown;
      try {
        parsed = annotation === undefined ? [] : JSON.parse(annotation);
      } catch {
        parsed = [];
      }
      ids = strings(parsed);
      routeIds.set(vs, ids);
    }
    if (ids[index] !== undefined) return ids[index];
  }
  return `${ref(vs)}#${protocol}[${index}]`;
}

function normalizeRequest(r: ExplainRequest): Req {
  if (typeof r.host !== 'string' || r.host.trim() === '') throw new Error('explain: invalid request host: received ' + JSON.stringify(r.host) + '. Give the Host header, for example "shop.example.com".');
  const rawPath = r.path ?? '/';
  const q = rawPath.indexOf('?');
  const path = normalizePath(q >= 0 ? rawPath.slice(0, q) : rawPath);
  const rawQuery = q >= 0 ? rawPath.slice(q + 1) : '';
  const query = new Map<string, string>();
  for (const part of rawQuery.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq >= 0 ? part.slice(0, eq) : part);
    if (!query.has(k)) query.set(k, decodeURIComponent(eq >= 0 ? part.slice(eq + 1) : ''));
  }
  for (const [k, v] of Object.entries(r.query ?? {})) if (!query.has(k)) query.set(k, v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const scheme = r.scheme ?? (r.port === 443 ? 'https' : 'http');
  const port = r.port ?? (scheme === 'https' ? 443 : 80);
  const fullQuery = [...query].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { host: normalizeHost(r.host), path, rawQuery: fullQuery, query, method: (r.method ?? 'GET').toUpperCase(), headers, port, scheme, sni: normalizeHost(r.sni ?? r.host) };
}

/**
 * A request header as Envoy's header matchers see it: the HTTP/2 pseudo-headers (":method",
 * ":authority", ":scheme", ":path") come from the request line, the others from the headers.
 */
function headerOf(req: Req, name: string): string | undefined {
  switch (name.toLowerCase()) {
    case ':method': return req.method;
    case ':authority': return req.host;
    case ':scheme': return req.scheme;
    case ':path': return req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path;
    default: return req.headers[name.toLowerCase()];
  }
}

/** Splits a Gateway server host "ns/host" into its namespace rule and host. */
function serverHost(h: string): { ns: string; host: string } {
  const { namespace = '*', name } = splitNamespaced(h);
  return { ns: namespace, host: name };
}

/** Whether an object with `exportTo` in namespace `own` is visible from namespace `from`. */
function visible(o: KubernetesObject, from: string): boolean {
  const exportTo = rec(o.spec).exportTo;
  if (exportTo === undefined) return true;
  const list = strings(exportTo);
  return list.includes('*') || list.includes(from) || (list.includes('.') && nsOf(o) === from);
}

/**
 * A Sidecar's egress listener for a port: the one on that port, else the catch-all (without a
 * port); null when none applies; undefined when the Sidecar has no egress (it imports everything).
 */
function egressListenerFor(sidecar: KubernetesObject, port: number): Record<string, unknown> | null | undefined {
  const listeners = arr(rec(sidecar.spec).egress).map(rec);
  if (listeners.length === 0) return undefined;
  return listeners.find((l) => num(rec(l.port).number) === port) ?? listeners.find((l) => l.port === undefined) ?? null;
}

/** Whether an egress listener imports `host` of a config in namespace `configNs` (hosts "ns/dnsName"; "." the Sidecar's, "*" any, "~" none). */
function imports(listener: Record<string, unknown>, sidecarNs: string, configNs: string, host: string): boolean {
  return strings(listener.hosts).some((h) => {
    const slash = h.indexOf('/');
    const ns = h.slice(0, slash);
    const name = h.slice(slash + 1);
    const nsOk = ns === '*' || (ns === '.' ? sidecarNs : ns) === configNs;
    return nsOk && (name === '*' || intersectHosts(name, host) !== undefined);
  });
}

function isTerminatedHttp(server: Record<string, unknown>): 'http' | 'https' | undefined {
  const protocol = (str(rec(server.port).protocol) ?? '').toUpperCase();
  if (['HTTP', 'HTTP2', 'GRPC'].includes(protocol)) return 'http';
  if (protocol === 'HTTPS') {
    const mode = (str(rec(server.tls).mode) ?? 'SIMPLE').toUpperCase();
    return mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' ? undefined : 'https';
  }
  return undefined;
}

/**
 * The evaluator over one set of Istio-form objects: the index is built once, each call of
 * {@link Explainer.explain} answers one request. Internal: {@link LoadedEdge} is the public face.
 * The objects must not change after construction: the index and the virtual host tables are kept
 * between questions (to answer for changed objects, such as a rollout step, build a new one).
 */
export class Explainer {
  public readonly index: ObjectIndex;
  private readonly roots: readonly string[];
  /** AuthorizationPolicies and RequestAuthentications: what authorization reads, kept apart once. */
  private readonly policies: readonly KubernetesObject[];
  private readonly requestAuthentications: readonly KubernetesObject[];
  private readonly gatewayApiKinds: readonly string[];
  private readonly rateLimitConfigs: ReturnType<typeof rateLimitConfigs>;
  private steps: string[] = [];
  private unknowns: string[] = [];
  /** The properties of a part of an object explain does not read, and a patch's JSON text: once per part for this edge (the diff asks it hundreds of questions). */
  private readonly unreadCache = new WeakMap<object, ReturnType<typeof unreadFields>>();
  private readonly jsonCache = new WeakMap<object, string>();

  public constructor(objects: readonly KubernetesObject[], options: ExplainOptions = {}) {
    this.index = new ObjectIndex(objects);
    this.roots = options.rootNamespaces ?? DEFAULT_ROOT_NAMESPACES;
    this.requestAuthentications = this.index.ofKind('RequestAuthentication');
    this.policies = [...this.index.ofKind('AuthorizationPolicy'), ...this.requestAuthentications];
    this.rateLimitConfigs = rateLimitConfigs(this.index.ofKind('ConfigMap'));
    this.gatewayApiKinds = [...new Set(objects.filter((o) => str(o.apiVersion)?.startsWith('gateway.networking.k8s.io/')).map((o) => o.kind))];
  }

  private unreadOnce(table: keyof typeof EXPLAIN_FIELDS, part: object, wrap: (part: object) => unknown): ReturnType<typeof unreadFields> {
    let found = this.unreadCache.get(part);
    if (!found) {
      found = unreadFields(EXPLAIN_FIELDS[table], wrap(part));
      this.unreadCache.set(part, found);
    }
    return found;
  }

  private jsonOnce(value: Record<string, unknown>): string {
    let text = this.jsonCache.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      this.jsonCache.set(value, text);
    }
    return text;
  }

  public explain(request: ExplainRequest): Explanation {
    this.steps = [];
    this.unknowns = [];
    const req = normalizeRequest(request);
    const result = request.source ? this.explainMesh(request, req, request.source) : this.explainGateway(request, req);
    // Kubernetes Gateway API objects route too, and explain does not evaluate them: a "no route"
    // from the Istio objects alone would be a guess.
    if (this.gatewayApiKinds.length > 0 && result.decision === 'no-route') {
      this.unknowns.push(`Kubernetes Gateway API objects (${this.gatewayApiKinds.join(', ')}) that explain does not read back may route this request.`);
      return { ...result, decision: 'unknown', status: undefined };
    }
    return result;
  }

  private base(extra: Partial<Explanation> & { decision: Decision }): Explanation {
    return {
      destinations: [], rateLimits: [], jwt: { required: false, issuers: [], policies: [] },
      ...extra,
      steps: this.steps, unknowns: this.unknowns,
    };
  }

  // ---------------------------------------------------------------- gateway

  private workloadOf(gateway: KubernetesObject): { key: string; workload: Workload; serviceAccount?: string } {
    const selector = labels(rec(gateway.spec).selector);
    const pods = Object.keys(selector).length ? this.index.podsMatching(selector) : [];
    if (pods.length > 0) {
      const pod = pods[0];
      const spec = rec(pod.spec);
      return { key: ref(pod.workload), workload: { namespace: pod.namespace, labels: pod.labels }, serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default' };
    }
    return { key: `selector ${JSON.stringify(selector)}`, workload: { namespace: nsOf(gateway), labels: selector } };
  }

  private candidates(req: Req, gatewayFilter?: string): Candidate[] {
    const out: Candidate[] = [];
    for (const gw of this.index.ofKind('Gateway')) {
      if (!str(gw.apiVersion)?.startsWith('networking.istio.io/')) continue;
      const gatewayRef = ref(gw);
      if (gatewayFilter && gatewayFilter !== gatewayRef && gatewayFilter !== gw.metadata?.name) continue;
      const w = this.workloadOf(gw);
      for (const s of arr(rec(gw.spec).servers)) {
        const server = rec(s);
        if (num(rec(server.port).number) === req.port) out.push({ gateway: gw, gatewayRef, server, workloadKey: w.key, workload: w.workload, serviceAccount: w.serviceAccount });
      }
    }
    return out;
  }

  /** Virtual host tables by servers and namespace ({@link Explainer.virtualHosts}). */
  private readonly vhostTables = new Map<string, VirtualHosts>();
  private readonly serverIds = new WeakMap<object, number>();
  private nextServerId = 0;

  /**
   * The virtual hosts a gateway proxy in `namespace` builds for `serverCandidates`: the
   * VirtualServices bound to their gateways and visible there, by the domains where their hosts
   * meet the servers' hosts; and the servers by host. Computed once per set of servers and
   * namespace (the objects do not change between questions).
   */
  private virtualHosts(serverCandidates: readonly Candidate[], namespace: string): VirtualHosts {
    const key = `${namespace}|${serverCandidates.map((c) => {
      let id = this.serverIds.get(c.server);
      if (id === undefined) this.serverIds.set(c.server, id = this.nextServerId++);
      return `${c.gatewayRef}#${id}`;
    }).join(',')}`;
    const cached = this.vhostTables.get(key);
    if (cached) return cached;
    const vhosts = new Map<string, VirtualHostGroup[]>();
    const domainsOfServer = new Map<string, Candidate>();
    for (const c of serverCandidates) {
      for (const h of strings(c.server.hosts)) {
        const sh = serverHost(h);
        domainsOfServer.set(sh.host.toLowerCase(), c);
        for (const vs of this.index.ofKind('VirtualService')) {
          const spec = rec(vs.spec);
          const gateways = strings(spec.gateways).map((g) => (g.includes('/') || g === 'mesh' ? g : `${nsOf(vs)}/${g}`));
          if (!gateways.includes(c.gatewayRef)) continue;
          if (!visible(vs, namespace)) continue;
          if (sh.ns !== '*' && (sh.ns === '.' ? nsOf(c.gateway) : sh.ns) !== nsOf(vs)) continue;
          for (const vh of strings(spec.hosts)) {
            const domain = intersectHosts(vh, sh.host);
            if (!domain) continue;
            const list = vhosts.get(domain) ?? [];
            if (!list.some((l) => l.entries[0]?.vs === vs)) list.push({ entries: arr(spec.http).map((http, index) => ({ vs, http: rec(http), index })), server: c });
            vhosts.set(domain, list);
          }
        }
      }
    }
    const table = { vhosts, domainsOfServer };
    this.vhostTables.set(key, table);
    return table;
  }

  private explainGateway(request: ExplainRequest, req: Req): Explanation {
    let candidates = this.candidates(req, request.gateway);
    if (candidates.length === 0) {
      this.steps.push(`No Gateway server listens on port ${req.port}${request.gateway ? ` of ${request.gateway}` : ''}: the connection is refused.`);
      return this.base({ decision: 'no-route' });
    }
    const workloads = [...new Set(candidates.map((c) => c.workloadKey))];
    if (workloads.length > 1) {
      const hostOk = candidates.filter((c) => strings(c.server.hosts).some((h) => hostMatches(serverHost(h).host, req.host)));
      const hostWorkloads = [...new Set(hostOk.map((c) => c.workloadKey))];
      if (hostWorkloads.length === 1) candidates = candidates.filter((c) => c.workloadKey === hostWorkloads[0]);
      else {
        this.unknowns.push(`Several gateway workloads listen on port ${req.port} (${workloads.join(', ')}): which one receives the request depends on the address the client reaches. Name one with --gateway.`);
        this.steps.push('The gateway workload is ambiguous.');
        return this.base({ decision: 'unknown' });
      }
    }
    const { workload, serviceAccount } = candidates[0];
    // The listener: plaintext HTTP servers on a port are merged into one route table; each HTTPS
    // server is a filter chain chosen by SNI.
    const kinds = new Set(candidates.map((c) => isTerminatedHttp(c.server)));
    let serverCandidates: Candidate[];
    if (kinds.has('https')) {
      if (req.scheme !== 'https') {
        this.steps.push(`Port ${req.port} expects TLS (an HTTPS server), the request is plain ${req.scheme}: the connection fails.`);
        return this.base({ decision: 'no-route' });
      }
      const byHost = candidates.filter((c) => isTerminatedHttp(c.server) === 'https')
        .flatMap((c) => strings(c.server.hosts).map((h) => ({ c, host: serverHost(h).host.toLowerCase() })));
      const domain = mostSpecificDomain(byHost.map((b) => b.host), req.sni);
      if (domain === undefined) {
        this.steps.push(`No HTTPS server on port ${req.port} lists the TLS server name ${req.sni} (servers: ${[...new Set(byHost.map((b) => b.host))].join(', ')}): no filter chain matches and the TLS handshake fails.`);
        return this.base({ decision: 'no-route' });
      }
      serverCandidates = [...new Set(byHost.filter((b) => b.host === domain).map((b) => b.c))];
      if (serverCandidates.length > 1) this.unknowns.push(`Several HTTPS servers claim ${domain} on port ${req.port} (${serverCandidates.map((c) => c.gatewayRef).join(', ')}); Istio keeps one of them.`);
      serverCandidates = serverCandidates.slice(0, 1);
    } else if (kinds.has('http')) {
      if (req.scheme === 'https') {
        this.steps.push(`Port ${req.port} serves plain HTTP, the request is https: the TLS handshake fails.`);
        return this.base({ decision: 'no-route' });
      }
      serverCandidates = candidates.filter((c) => isTerminatedHttp(c.server) === 'http');
    } else {
      this.unknowns.push(`The servers on port ${req.port} are ${[...new Set(candidates.map((c) => str(rec(c.server.port).protocol)))].join(', ')} (TLS passthrough or TCP): explain evaluates HTTP routing only.`);
      return this.base({ decision: 'unknown' });
    }
    const first = serverCandidates[0];
    for (const f of this.unreadOnce('Gateway', first.server, (server) => ({ servers: [server] }))) this.unknowns.push(`Gateway ${first.gatewayRef}: server ${f.at.replace(/^servers\[0\]\.?/, '')} is not evaluated by explain: ${f.reason}`);
    const port = rec(first.server.port);
    const gatewayInfo = { name: first.gatewayRef, server: { port: req.port, protocol: str(port.protocol) ?? '', hosts: strings(first.server.hosts), ...(str(port.name) ? { name: str(port.name) } : {}) } };
    this.steps.push(`Gateway ${first.gatewayRef} accepts the connection: server ${str(port.name) ?? ''} port ${req.port}/${str(port.protocol)} for ${strings(first.server.hosts).join(', ')}${kinds.has('https') ? ` (TLS server name ${req.sni})` : ''}.`);
    if (str(rec(first.server.tls).mode)?.toUpperCase() === 'MUTUAL') this.steps.push('The server requires a client certificate (mutual TLS).');

    // Filters before the router: JWT authentication, authorization, rate limits.
    const rateLimits = this.rateLimits(workload, req);
    const ctx = this.gatewayContext(req, request);
    const auth = this.authorizeWithJwt(workload, ctx, request, req);
    const common = { gateway: gatewayInfo, rateLimits, authorization: auth.decision, jwt: auth.jwt };
    if (auth.decision.decision === 'deny') {
      this.steps.push(`Authorization at the gateway denies it (${auth.decision.status}): ${auth.decision.reason}.`);
      return this.base({ decision: 'denied', status: auth.decision.status, ...common });
    }
    if (auth.decision.decision === 'unknown') {
      this.unknowns.push(`Authorization at the gateway: ${auth.decision.reason}.`);
      this.steps.push('The gateway\'s authorization decision cannot be told.');
      return this.base({ decision: 'unknown', ...common });
    }
    this.steps.push(`Authorization at the gateway allows it: ${auth.decision.reason}.`);
    for (const r of rateLimits) this.steps.push(`Rate limit ${r.name} (${r.kind}) applies: ${r.detail}.`);

    // The router: the virtual hosts of the servers that accept the connection (built once per set
    // of servers and namespace, then reused: the objects do not change between questions).
    const { vhosts, domainsOfServer } = this.virtualHosts(serverCandidates, workload.namespace);
    // The HTTPS redirect of a plaintext server (Envoy's require_tls) answers before any route.
    const serverDomain = mostSpecificDomain(domainsOfServer.keys(), req.host);
    const redirectServer = serverDomain !== undefined ? domainsOfServer.get(serverDomain) : undefined;
    if (redirectServer && rec(redirectServer.server.tls).httpsRedirect === true) {
      const location = `https://${req.host}${req.path}${req.rawQuery ? `?${req.rawQuery}` : ''}`;
      this.steps.push(`Server for ${serverDomain} has httpsRedirect: 301 to ${location}.`);
      return this.base({ decision: 'redirected', status: 301, redirect: { location, status: 301 }, ...common });
    }
    // An exact domain is the most specific one (Envoy's order), found without a scan.
    const exactDomain = normalizeHost(req.host);
    const domain = vhosts.has(exactDomain) ? exactDomain : mostSpecificDomain(vhosts.keys(), req.host);
    if (domain === undefined) {
      const bound = [...vhosts.keys()];
      this.steps.push(`No VirtualService bound to ${[...new Set(serverCandidates.map((c) => c.gatewayRef))].join(', ')} serves host ${req.host}${bound.length ? ` (served: ${bound.join(', ')})` : ''}: 404.`);
      return this.base({ decision: 'no-route', status: 404, ...common });
    }
    const groups = vhosts.get(domain)!;
    if (groups.length > 1) this.unknowns.push(`VirtualServices ${groups.map((g) => ref(g.entries[0]?.vs ?? first.gateway)).join(', ')} all serve ${domain} on this gateway: Istio merges their routes in creation order, which manifests do not carry; this answer takes the order given.`);
    this.steps.push(`Virtual host ${domain} (the most specific domain for ${req.host}) from VirtualService ${groups.map((g) => ref(g.entries[0]?.vs ?? first.gateway)).join(', ')}.`);
    const entries = groups.flatMap((g) => g.entries);
    const gatewayNames = new Set(serverCandidates.map((c) => c.gatewayRef));
    const result = this.route(entries, req, request, { gatewayNames, proxyLabels: workload.labels, proxyNamespace: workload.namespace, sourcePrincipal: serviceAccount ? `cluster.local/ns/${workload.namespace}/sa/${serviceAccount}` : 'unknown', sourceNamespace: workload.namespace, sourceIsGateway: true }, common);
    // The route configuration of a plaintext server is named http.<port>, without the Gateway
    // (pilot's ParseGatewayRDSRouteName): a patch that matches by gateway reaches only the route
    // configurations of TLS servers, named after their Gateway.
    const routeConfigGateways = new Set(serverCandidates.filter((c) => isTerminatedHttp(c.server) === 'https').map((c) => c.gatewayRef));
    return this.withDescriptors(result, routeConfigGateways, req, request);
  }

  private gatewayContext(req: Req, request: ExplainRequest): AuthzContext {
    return { host: req.host, path: req.path, method: req.method, port: req.port, headers: req.headers, principal: undefined, sourceNamespace: undefined, sourceIp: request.sourceIp, requestPrincipal: undefined, claims: request.jwt?.claims };
  }

  /** JWT and authorization at a workload, and whether a JWT is required there. */
  private authorizeWithJwt(workload: Workload, ctx: AuthzContext, request: ExplainRequest, req: Req): { decision: AuthzDecision; jwt: Explanation['jwt'] } {
    const ras = this.requestAuthentications.filter((o) => policyApplies(o, workload, this.roots) !== false);
    const issuers = ras.flatMap((o) => arr(rec(o.spec).jwtRules).map((r) => str(rec(r).issuer)).filter((i): i is string => !!i));
    const bearer = /^bearer\s+\S+/i.test(req.headers.authorization ?? '');
    const presented = request.jwt !== undefined || bearer;
    const principalFor = (jwt: ExplainRequest['jwt']): string | undefined => {
      if (ras.length === 0) return undefined; // without RequestAuthentication the token is not read
      const iss = jwt?.issuer ?? (issuers.length === 1 ? issuers[0] : undefined);
      if (iss === undefined) return '?/?';
      return `${iss}/${jwt?.subject ?? '?'}`;
    };
    if (presented && request.jwt?.valid === false && ras.length > 0) {
      return { decision: { decision: 'deny', status: 401, policy: ref(ras[0]), reason: `RequestAuthentication ${ref(ras[0])} rejects the invalid JWT`, policies: [] }, jwt: { required: 'unknown', issuers, policies: ras.map(ref) } };
    }
    const withToken = authorize(this.policies, workload, { ...ctx, requestPrincipal: principalFor(request.jwt) }, this.roots, { presented: true, issuer: request.jwt?.issuer });
    const without = authorize(this.policies, workload, { ...ctx, requestPrincipal: undefined }, this.roots);
    const required: Tri = ras.length === 0 ? false
      : without.decision === 'deny' && withToken.decision === 'allow' ? true
        : without.decision === 'unknown' || withToken.decision === 'unknown' ? (without.decision === 'deny' ? 'unknown' : false) : false;
    const jwt = { required, issuers, policies: required === false ? [] : [...new Set([...(without.policy ? [without.policy] : []), ...ras.map(ref)])] };
    if (required === true) this.steps.push(`A JWT is required here: without one ${without.reason}; issuers accepted: ${issuers.join(', ')}.`);
    return { decision: presented ? withToken : without, jwt };
  }

  // ---------------------------------------------------------------- routes

  private route(entries: RouteEntry[], req: Req, request: ExplainRequest, proxy: ProxyInfo, common: Partial<Explanation>): Explanation {
    for (const entry of entries) {
      const http = entry.http;
      const label = `route ${entry.index}${str(http.name) ? ` "${str(http.name)}"` : ''} of ${ref(entry.vs)}`;
      if (http.delegate !== undefined) {
        this.unknowns.push(`${label} delegates to another VirtualService; explain does not follow delegation.`);
        return this.base({ decision: 'unknown', ...common });
      }
      const matches = arr(http.match);
      let chosen: number | undefined;
      if (matches.length === 0) chosen = -1;
      for (let j = 0; j < matches.length && chosen === undefined; j++) {
        const why: string[] = [];
        const r = this.matchEntry(rec(matches[j]), req, request, proxy, why);
        if (r === true) chosen = j;
        else if (r === 'unknown') {
          this.unknowns.push(`${label}, match ${j}: ${why.join('; ')}.`);
          this.steps.push(`${label}: cannot tell whether match ${j} applies.`);
          return this.base({ decision: 'unknown', ...common });
        } else this.steps.push(`${label}, match ${j}: no (${why.join('; ')}).`);
      }
      if (chosen === undefined) continue;
      const m = chosen >= 0 ? rec(matches[chosen]) : {};
      this.steps.push(`${label} matches${chosen >= 0 ? ` (match ${chosen}${describeMatch(m) ? `: ${describeMatch(m)}` : ''})` : ' (no match conditions: every request)'}; first match wins.`);
      const route = { virtualService: ref(entry.vs), id: routeId(entry.vs, 'http', entry.index), ...(str(http.name) ? { name: str(http.name) } : {}), index: entry.index, ...(chosen >= 0 ? { match: chosen } : {}) };
      // A property of the route explain does not read is an unknown that names it (fields.ts).
      for (const f of this.unreadOnce('VirtualService', http, (h) => ({ http: [h] }))) this.unknowns.push(`${label}: ${f.at.replace(/^http\[0\]\.?/, '')} is not evaluated by explain: ${f.reason}`);
      return this.action(entry, m, req, proxy, { ...common, route });
    }
    this.steps.push(`No route of the virtual host matches ${req.method} ${req.path}: 404.`);
    return this.base({ decision: 'no-route', status: 404, ...common });
  }

  /** One match entry: an AND of its conditions. Pushes the reason of a mismatch to `why`. */
  private matchEntry(m: Record<string, unknown>, req: Req, request: ExplainRequest, proxy: ProxyInfo, why: string[]): Tri {
    const checks: Tri[] = [];
    const check = (r: Tri, reason: string) => {
      if (r !== true) why.push(r === false ? reason : `${reason} (undecided)`);
      checks.push(r);
    };
    const port = num(m.port);
    if (port !== undefined) check(port === req.port, `port ${port} is not ${req.port}`);
    const gws = strings(m.gateways);
    if (gws.length > 0) check(gws.some((g) => proxy.gatewayNames.has(g) || (g === 'mesh' && proxy.gatewayNames.has('mesh'))), `it is limited to gateways ${gws.join(', ')}`);
    else {
      const sl = labels(m.sourceLabels);
      if (Object.keys(sl).length) check(proxy.proxyLabels ? Object.entries(sl).every(([k, v]) => proxy.proxyLabels?.[k] === v) : 'unknown', `sourceLabels ${JSON.stringify(sl)} do not select the sender`);
      const sns = str(m.sourceNamespace);
      if (sns !== undefined) check(sns === proxy.proxyNamespace, `sourceNamespace ${sns} is not ${proxy.proxyNamespace}`);
    }
    const ignoreCase = m.ignoreUriCase === true;
    if (m.uri !== undefined) {
      const regex = str(rec(m.uri).regex);
      if (regex !== undefined && re2(regex) instanceof Error) this.unknowns.push((re2(regex) as Error).message);
      check(stringMatch(m.uri, req.path, ignoreCase && regex === undefined), `uri ${describeStringMatch(m.uri)} does not match ${req.path}`);
    }
    if (m.scheme !== undefined) check(stringMatch(m.scheme, req.scheme), `scheme ${describeStringMatch(m.scheme)} does not match ${req.scheme}`);
    if (m.method !== undefined) check(stringMatch(m.method, req.method), `method ${describeStringMatch(m.method)} does not match ${req.method}`);
    if (m.authority !== undefined) check(stringMatch(m.authority, req.host), `authority ${describeStringMatch(m.authority)} does not match ${req.host}`);
    for (const [name, sm] of Object.entries(rec(m.headers))) {
      if (name.startsWith('@request.auth.claims')) {
        check(this.claimMatch(name, sm, request), `claim ${name} ${describeStringMatch(sm)}`);
        continue;
      }
      const value = headerOf(req, name);
      check(stringMatch(sm, value), `header ${name} ${describeStringMatch(sm)} (${value === undefined ? 'absent' : `is "${value}"`})`);
    }
    for (const [name, sm] of Object.entries(rec(m.withoutHeaders))) {
      const value = headerOf(req, name);
      const present = stringMatch(sm, value);
      // Envoy inverts the match and treats a missing header as empty (unless it is a presence match).
      const r: Tri = present === 'unknown' ? 'unknown' : !present;
      check(r, `withoutHeaders ${name} ${describeStringMatch(sm)} (${value === undefined ? 'absent' : `is "${value}"`})`);
    }
    for (const [name, sm] of Object.entries(rec(m.queryParams))) {
      const value = req.query.get(name);
      check(stringMatch(sm, value), `query ${name} ${describeStringMatch(sm)} (${value === undefined ? 'absent' : `is "${value}"`})`);
    }
    for (const key of Object.keys(m)) {
      if (!['name', 'port', 'gateways', 'sourceLabels', 'sourceNamespace', 'uri', 'scheme', 'method', 'authority', 'headers', 'withoutHeaders', 'queryParams', 'ignoreUriCase', 'statPrefix'].includes(key)) {
        check('unknown', `match field ${key} is not evaluated by explain`);
      }
    }
    return and(checks);
  }

  private claimMatch(name: string, sm: unknown, request: ExplainRequest): Tri {
    const claim = name.replace(/^@request\.auth\.claims/, '').replace(/^\./, '').replace(/^\[|\]$/g, '').split(/\]\[|\./)[0];
    const value = request.jwt?.claims?.[claim];
    if (value === undefined) return request.jwt ? 'unknown' : false;
    const values = typeof value === 'string' ? [value] : [...value];
    const results = values.map((v) => stringMatch(sm, v));
    return results.includes(true) ? true : results.includes('unknown') ? 'unknown' : false;
  }

  private action(entry: RouteEntry, m: Record<string, unknown>, req: Req, proxy: ProxyInfo, common: Partial<Explanation>): Explanation {
    const http = entry.http;
    const redirect = rec(http.redirect);
    if (http.redirect !== undefined) {
      const scheme = str(redirect.scheme) ?? req.scheme;
      const authority = str(redirect.authority) ?? req.host;
      let port = num(redirect.port) ?? (redirect.derivePort === 'FROM_REQUEST_PORT' ? req.port : undefined);
      if ((port === 80 && scheme === 'http') || (port === 443 && scheme === 'https')) port = undefined;
      const uri = str(redirect.uri) ?? req.path;
      const code = num(redirect.redirectCode) ?? 301;
      const query = uri.includes('?') ? '' : req.rawQuery ? `?${req.rawQuery}` : '';
      const location = `${scheme}://${authority}${port ? `:${port}` : ''}${uri}${query}`;
      this.steps.push(`The route redirects: ${code} to ${location}.`);
      return this.base({ decision: 'redirected', status: code, redirect: { location, status: code }, ...common });
    }
    if (http.directResponse !== undefined) {
      const status = num(rec(http.directResponse).status);
      this.steps.push(`The route answers directly with ${status}.`);
      return this.base({ decision: 'direct-response', status, ...common });
    }
    // Rewrite.
    const rewrite = rec(http.rewrite);
    let path = req.path;
    let authority: string | undefined;
    if (http.rewrite !== undefined) {
      const regexRewrite = rec(rewrite.uriRegexRewrite);
      const uri = str(rewrite.uri);
      if (str(regexRewrite.match) !== undefined) {
        const re = re2(str(regexRewrite.match)!);
        if (re instanceof Error) this.unknowns.push(re.message);
        else path = re.matcher(path).replaceAll((str(regexRewrite.rewrite) ?? '').replace(/\\(\d)/g, '$$$1'));
      } else if (uri !== undefined && uri !== '') {
        // Envoy's prefix_rewrite: the matched prefix is replaced; a path or regex match replaces the whole path.
        const prefix = str(rec(m.uri).prefix);
        if (m.uri === undefined) path = uri + path.slice(1);
        else if (prefix !== undefined) path = uri + path.slice(prefix.length);
        else path = uri;
      }
      authority = str(rewrite.authority);
      if (path !== req.path || authority) this.steps.push(`Rewritten: ${path !== req.path ? `path ${req.path} → ${path}` : ''}${authority ? ` authority → ${authority}` : ''}${path.startsWith('//') ? ' (note the double slash: Envoy replaces the matched prefix only)' : ''}.`);
    }
    // ":authority" or "host" set or added on the request is a host rewrite (Istio's translateAppendHeaders).
    const request = rec(rec(http.headers).request);
    const headerAuthority = Object.entries({ ...rec(request.add), ...rec(request.set) }).find(([k]) => [':authority', 'host'].includes(k.toLowerCase()))?.[1];
    if (typeof headerAuthority === 'string' && authority === undefined) {
      authority = headerAuthority;
      this.steps.push(`Rewritten: authority → ${authority} (the request headers set it; Istio makes it a host rewrite).`);
    }
    const vsNs = nsOf(entry.vs);
    const routeDests = arr(http.route).map(rec);
    const weighted = routeDests.length > 1;
    const destinations: ExplainedDestination[] = [];
    for (const d of routeDests) {
      const weight = num(d.weight) ?? (weighted ? 0 : 100);
      if (weighted && weight === 0) continue;
      destinations.push(this.destination(rec(d.destination), weight, vsNs, req, path, authority, proxy));
    }
    const total = destinations.reduce((s, d) => s + d.weight, 0);
    for (const d of destinations) this.steps.push(`→ ${d.host}${d.subset ? ` subset ${d.subset}` : ''}${d.port ? ` port ${d.port}` : ''}: weight ${d.weight}${weighted && total ? ` (${Math.round((d.weight / total) * 1000) / 10}%)` : ''}${d.destinationRule ? `, DestinationRule ${d.destinationRule}` : ''}${d.problems.length ? `; ${d.problems.join('; ')}` : ''}.`);
    const retries = http.retries !== undefined ? rec(http.retries) : { ...MESH_DEFAULT_RETRIES, source: 'mesh default' };
    const timeout = str(http.timeout) ?? 'none';
    const extras: Partial<Explanation> = {
      retries, timeout,
      ...(http.fault !== undefined ? { fault: http.fault } : {}),
      ...(http.mirror !== undefined || http.mirrors !== undefined ? { mirror: http.mirrors ?? { destination: http.mirror, percentage: http.mirrorPercentage } } : {}),
      ...(http.corsPolicy !== undefined ? { cors: http.corsPolicy } : {}),
      ...(http.headers !== undefined ? { headers: http.headers } : {}),
      ...(path !== req.path || authority ? { rewrite: { ...(path !== req.path ? { path } : {}), ...(authority ? { authority } : {}) } } : {}),
    };
    this.steps.push(`Timeout ${timeout}; retries ${JSON.stringify(retries)}${http.fault ? `; fault ${JSON.stringify(http.fault)}` : ''}${extras.mirror ? `; mirror ${JSON.stringify(extras.mirror)}` : ''}${http.corsPolicy ? '; CORS policy' : ''}.`);
    if (destinations.length === 0) {
      this.steps.push('The route has no destination with a weight: Envoy answers 503.');
      return this.base({ decision: 'no-route', status: 503, ...common, ...extras });
    }
    const decided = destinations.map((d) => d.authorization?.decision);
    if (decided.every((x) => x === 'deny')) {
      const a = destinations[0].authorization!;
      this.steps.push(`The destination's sidecar denies it: ${a.reason}.`);
      return this.base({ decision: 'denied', status: a.status ?? 403, ...common, ...extras, destinations });
    }
    if (decided.some((x) => x === 'unknown')) {
      this.unknowns.push(...destinations.filter((d) => d.authorization?.decision === 'unknown').map((d) => `Authorization at ${d.host}${d.subset ? ` (${d.subset})` : ''}: ${d.authorization!.reason}.`));
      return this.base({ decision: 'unknown', ...common, ...extras, destinations });
    }
    if (decided.some((x) => x === 'deny')) this.unknowns.push('Some destinations deny the request and others allow it: the answer depends on the weighted pick.');
    return this.base({ decision: decided.some((x) => x === 'deny') ? 'unknown' : 'routed', ...common, ...extras, destinations });
  }

  /** DestinationRules by namespace: those of exact hosts by host, wildcard ones apart; each with its position. */
  private drIndex?: Map<string, DestinationRulesOfNamespace>;

  /** The DestinationRules of namespace `ns` whose host (resolved there) matches `host`, in manifest order. */
  private destinationRulesIn(ns: string, host: string): KubernetesObject[] {
    if (!this.drIndex) {
      const index = new Map<string, DestinationRulesOfNamespace>();
      this.index.ofKind('DestinationRule').forEach((o, position) => {
        const n = nsOf(o);
        const entry: DestinationRulesOfNamespace = index.get(n) ?? { exact: new Map(), wildcard: [] };
        index.set(n, entry);
        const pattern = resolveHost(str(rec(o.spec).host) ?? '', n).toLowerCase();
        if (pattern.includes('*')) entry.wildcard.push({ position, o, pattern });
        else entry.exact.set(pattern, [...(entry.exact.get(pattern) ?? []), { position, o, pattern }]);
      });
      this.drIndex = index;
    }
    const entry = this.drIndex.get(ns);
    if (!entry) return [];
    // hostMatches(pattern, host) for an exact pattern is equality with the normalized host.
    const found = [...(entry.exact.get(normalizeHost(host)) ?? []), ...entry.wildcard.filter((w) => hostMatches(w.pattern, host))];
    return found.sort((x, y) => x.position - y.position).map((f) => f.o);
  }

  private destination(dest: Record<string, unknown>, weight: number, vsNs: string, req: Req, path: string, authority: string | undefined, proxy: ProxyInfo): ExplainedDestination {
    const problems: string[] = [];
    const host = resolveHost(str(dest.host) ?? '', vsNs);
    const subset = str(dest.subset);
    const service = this.index.services.get(host);
    const serviceFound = !!service || this.index.registryHasAnywhere(str(dest.host) ?? '', vsNs) !== undefined || this.index.registryHost(str(dest.host) ?? '', vsNs) !== undefined;
    let port = num(rec(dest.port).number);
    if (!serviceFound) {
      this.unknowns.push(`${host} is not among the manifests (no Service or ServiceEntry): it may exist in the cluster; if not, Envoy answers 503.`);
    } else if (service && port === undefined) {
      const ports = arr(rec(service.spec).ports).map((p) => num(rec(p).port)).filter((p): p is number => p !== undefined);
      if (ports.length === 1) port = ports[0];
      else this.unknowns.push(`${host} has ${ports.length} ports and the route names none.`);
    }
    if (service && port !== undefined && !arr(rec(service.spec).ports).some((p) => num(rec(p).port) === port)) problems.push(`Service ${host} has no port ${port}`);
    // DestinationRule: the client's namespace, then the service's, then the root namespace.
    const serviceNs = clusterHostNamespace(host);
    const order = [proxy.proxyNamespace, serviceNs, ...this.roots].filter((n): n is string => !!n);
    let dr: KubernetesObject | undefined;
    for (const ns of order) {
      const forHost = this.destinationRulesIn(ns, host).filter((o) => visible(o, proxy.proxyNamespace ?? ns));
      // A property of a rule for this host that explain does not read is an unknown that names it (fields.ts).
      for (const o of forHost) for (const f of this.unreadOnce('DestinationRule', rec(o.spec), (spec) => spec)) this.unknowns.push(`DestinationRule ${ref(o)}: ${f.at} is not evaluated by explain: ${f.reason}`);
      const found = forHost.filter((o) => rec(o.spec).workloadSelector === undefined);
      if (found.length > 1) this.unknowns.push(`DestinationRules ${found.map(ref).join(', ')} all apply to ${host} in ${ns}: Istio merges them by creation time.`);
      if (found.length) {
        dr = found[0];
        break;
      }
    }
    let policy: Record<string, unknown> | undefined;
    let podLabels: Record<string, string> = service ? labels(rec(service.spec).selector) : {};
    if (dr) {
      const spec = rec(dr.spec);
      policy = mergePolicy(rec(spec.trafficPolicy), port);
      if (subset) {
        const s = arr(spec.subsets).map(rec).find((x) => x.name === subset);
        if (!s) problems.push(`subset ${subset} is not defined in DestinationRule ${ref(dr)}: Envoy answers 503 (NC)`);
        else {
          podLabels = { ...podLabels, ...labels(s.labels) };
          if (s.trafficPolicy !== undefined) policy = { ...policy, ...mergePolicy(rec(s.trafficPolicy), port) };
        }
      }
    } else if (subset) problems.push(`subset ${subset} needs a DestinationRule for ${host}, and none applies: Envoy answers 503 (NC)`);
    // Authorization at the destination's sidecar, on the path after rewrite.
    let authorization: AuthzDecision | undefined;
    if (service && serviceNs) {
      const pods = Object.keys(podLabels).length ? this.index.podsMatching(podLabels, serviceNs) : [];
      const workload: Workload = pods.length ? { namespace: serviceNs, labels: pods[0].labels } : { namespace: serviceNs, labels: podLabels };
      if (Object.keys(podLabels).length && pods.length === 0) problems.push(`no pods in the manifests carry ${JSON.stringify(podLabels)}`);
      authorization = authorize(this.policies, workload, {
        host: authority ?? req.host, path, method: req.method, port: port ?? req.port, headers: req.headers,
        principal: proxy.sourcePrincipal, sourceNamespace: proxy.sourceNamespace, requestPrincipal: undefined,
      }, this.roots);
    }
    return {
      host, ...(subset ? { subset } : {}), ...(port !== undefined ? { port } : {}), weight, serviceFound,
      ...(dr ? { destinationRule: ref(dr) } : {}), ...(policy && Object.keys(policy).length ? { trafficPolicy: policy } : {}),
      problems, ...(authorization ? { authorization } : {}),
      ...(service && serviceNs && Object.keys(podLabels).length ? { pods: { namespace: serviceNs, labels: podLabels } } : {}),
    };
  }

  // ---------------------------------------------------------------- rate limits

  /**
   * The descriptors a routed request sends to the rate-limit service: the `rate_limits` of the
   * chosen route (HTTP_ROUTE patches matched by route name) or, when the route has none, of its
   * virtual host (Envoy applies the virtual host's only then, `include_vh_rate_limits` unset), and
   * the limit each one hits in the service's configuration for the filter's domain.
   */
  private withDescriptors(result: Explanation, routeConfigGateways: ReadonlySet<string>, req: Req, request: ExplainRequest): Explanation {
    if (!result.route || !result.rateLimits.some((r) => r.kind === 'global')) return result;
    const routeName = result.route.name;
    // The actions may come from any EnvoyFilter on the workload; the filter that inserts the
    // rate-limit HTTP filter (its domain) sends them all.
    const routeLevel: Record<string, unknown>[] = [];
    const vhostLevel: Record<string, unknown>[] = [];
    let includeVh = false;
    for (const limit of result.rateLimits.filter((r) => r.kind === 'global')) {
      const filter = this.index.ofKind('EnvoyFilter').find((f) => ref(f) === limit.name);
      for (const p of arr(rec(filter?.spec).configPatches).map(rec)) {
        const applyTo = str(p.applyTo);
        if (applyTo !== 'HTTP_ROUTE' && applyTo !== 'VIRTUAL_HOST') continue;
        const rc = rec(rec(p.match).routeConfiguration);
        const gw = str(rc.gateway);
        if (gw !== undefined && !routeConfigGateways.has(gw)) continue;
        const portNumber = num(rc.portNumber);
        if (portNumber !== undefined && portNumber !== req.port) continue;
        const vhost = rec(rc.vhost);
        const vhostName = str(vhost.name);
        if (vhostName !== undefined) {
          const [vh, vp] = vhostName.split(':');
          if (!hostMatches(vh, req.host) || (vp !== undefined && vp !== '*' && Number(vp) !== req.port)) continue;
        }
        const value = rec(rec(p.patch).value);
        if (applyTo === 'HTTP_ROUTE') {
          const name = str(rec(vhost.route).name);
          if (name !== undefined && name !== routeName) continue;
          routeLevel.push(...arr(rec(value.route).rate_limits).map(rec));
          if (rec(value.route).include_vh_rate_limits === true) includeVh = true;
        } else vhostLevel.push(...arr(value.rate_limits).map(rec));
      }
    }
    const sources = [
      ...routeLevel.map((r) => ({ r, source: `route ${routeName ?? result.route?.index}` })),
      ...(routeLevel.length === 0 || includeVh ? vhostLevel.map((r) => ({ r, source: 'virtual host' })) : []),
    ];
    const rateLimits = result.rateLimits.map((limit) => {
      if (limit.kind !== 'global' || limit.domain === undefined) return limit;
      const config = this.rateLimitConfigs.get(limit.domain);
      const descriptors: ExplainedDescriptor[] = [];
      for (const { r, source } of sources) {
        const d = descriptorOf(r, { headers: req.headers, sourceIp: request.sourceIp, path: req.path, method: req.method, host: req.host });
        if (!d) {
          this.steps.push(`Rate limit ${limit.name}: a ${source} descriptor is not sent (an action has nothing to read).`);
          continue;
        }
        if (d.undecided) this.steps.push(`Rate limit ${limit.name}: ${d.undecided}.`);
        const hit = config ? limitOf(config, d.entries) : {};
        descriptors.push({ source, entries: d.entries, ...hit });
        const words = d.entries.map((e) => `${e.key}=${e.value}`).join(', ');
        this.steps.push(`Rate limit ${limit.name}: the ${source} sends descriptor (${words})${hit.limit ? `: limited to ${hit.limit.value} per ${hit.limit.unit} for each ${hit.limit.key} (429 beyond)` : hit.unlimited ? ': unlimited'
          : config ? ': no limit of the service matches it' : `: the service's configuration for domain ${limit.domain} is not among the manifests`}.`);
      }
      if (descriptors.length === 0) this.steps.push(`Rate limit ${limit.name}: the route sends no descriptor, so the rate-limit service does not limit it.`);
      const limits = descriptors.flatMap((d) => (d.limit ? [d.limit] : []));
      const detail = descriptors.length === 0 ? `${limit.detail}: no descriptor on this route (not limited)`
        : `${limit.detail}: ${descriptors.map((d) => `${d.entries.map((e) => `${e.key}=${e.value}`).join(', ')}${d.limit ? ` → ${d.limit.value}/${d.limit.unit}` : d.unlimited ? ' → unlimited' : config ? ' → no limit' : ' → limit not in the manifests'}`).join('; ')}`;
      return { ...limit, detail, descriptors, limits };
    });
    return { ...result, rateLimits };
  }

  private rateLimits(workload: Workload, req: Req): ExplainedRateLimit[] {
    const out: ExplainedRateLimit[] = [];
    for (const f of this.index.ofKind('EnvoyFilter')) {
      const applies = policyApplies(f, workload, this.roots, 'workloadSelector');
      if (applies === false) continue;
      for (const p of arr(rec(f.spec).configPatches).map(rec)) {
        const match = rec(p.match);
        const context = str(match.context) ?? 'ANY';
        if (context !== 'GATEWAY' && context !== 'ANY') continue;
        const listenerPort = num(rec(match.listener).portNumber);
        if (listenerPort !== undefined && listenerPort !== req.port) continue;
        const vhostName = str(rec(rec(match.routeConfiguration).vhost).name);
        if (vhostName !== undefined) {
          const [vh, vp] = vhostName.split(':');
          if (!hostMatches(vh, req.host) || (vp !== undefined && vp !== '*' && Number(vp) !== req.port)) continue;
        }
        const value = rec(rec(p.patch).value);
        const typed = rec(value.typed_config);
        const kind = rateLimitKind(this.jsonOnce(value));
        if (kind === 'local') {
          const bucket = rec(typed.token_bucket ?? rec(rec(value.typed_per_filter_config)['envoy.filters.http.local_ratelimit']).value);
          const tb = Object.keys(bucket).length ? bucket : findKey(value, 'token_bucket');
          const detail = tb ? `${String(rec(tb).max_tokens)} requests per ${String(rec(tb).fill_interval)} per gateway pod (429 beyond)` : 'a local token bucket';
          const perFill = num(rec(tb).tokens_per_fill) ?? num(rec(tb).max_tokens);
          const limits = tb && perFill !== undefined ? [{ value: perFill, unit: str(rec(tb).fill_interval) ?? '', key: 'per gateway pod' }] : [];
          if (!out.some((o) => o.name === ref(f) && o.kind === 'local')) out.push({ name: ref(f), kind: 'local', detail: applies === 'unknown' ? `${detail} (targetRef not resolved)` : detail, limits });
        } else if (kind === 'global') {
          const domain = str(typed.domain) ?? str(findKey(value, 'domain'));
          const cluster = str(rec(findKey(value, 'envoy_grpc')).cluster_name);
          const existing = out.findIndex((o) => o.name === ref(f) && o.kind === 'global');
          if (existing < 0) out.push({ name: ref(f), kind: 'global', detail: `the rate-limit service${domain ? `, domain ${domain}` : ''}${cluster ? ` (${cluster})` : ''}`, ...(domain ? { domain } : {}), limits: [] });
          else if (domain && out[existing].domain === undefined) out[existing] = { ...out[existing], domain, detail: `the rate-limit service, domain ${domain}${cluster ? ` (${cluster})` : ''}` };
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- mesh

  private explainMesh(request: ExplainRequest, req: Req, source: NonNullable<ExplainRequest['source']>): Explanation {
    const host = resolveHost(req.host, source.namespace);
    const service = this.index.services.get(host);
    // A ServiceEntry host is known on its own (an external API the mesh calls).
    const registry = service ? undefined : this.index.registryHost(req.host, source.namespace);
    const entry = registry?.source.kind === 'ServiceEntry' ? registry.source : undefined;
    const declaredPorts: { number: number; protocol?: string }[] = service
      ? arr(rec(service.spec).ports).map(rec).filter((p) => num(p.port) !== undefined).map((p) => ({ number: num(p.port)!, protocol: servicePortProtocol(p) }))
      : entry ? arr(rec(entry.spec).ports).map(rec).filter((p) => num(p.number) !== undefined).map((p) => ({ number: num(p.number)!, protocol: str(p.protocol)?.toUpperCase() })) : [];
    const port = request.port ?? (declaredPorts.length === 1 ? declaredPorts[0].number : req.scheme === 'https' && entry ? 443 : 80);
    const r: Req = { ...req, port };
    const sourceLabels = source.labels ?? {};
    let principal: string = source.principal ?? 'unknown';
    if (!source.principal && Object.keys(sourceLabels).length) {
      const pods = this.index.podsMatching(sourceLabels, source.namespace);
      if (pods.length) principal = `cluster.local/ns/${source.namespace}/sa/${str(rec(pods[0].spec).serviceAccountName) ?? 'default'}`;
    }
    this.steps.push(`A request from a sidecar in ${source.namespace}${Object.keys(sourceLabels).length ? ` (${JSON.stringify(sourceLabels)})` : ''} to ${host}:${port}.`);
    // HTTP or TLS handling by the port's declared protocol (sniffed when undeclared: a TLS client hello is TLS).
    const declared = declaredPorts.find((p) => p.number === port)?.protocol;
    const handling: 'http' | 'tls' | 'tcp' = declared === undefined ? (req.scheme === 'https' ? 'tls' : 'http')
      : ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(declared) ? 'http' : ['HTTPS', 'TLS'].includes(declared) ? 'tls' : 'tcp';
    if (declared !== undefined) this.steps.push(`Port ${port} of ${host} is declared ${declared}: ${handling === 'tls' ? 'TLS, routed by SNI (tls routes; http routes do not apply)' : handling === 'http' ? 'HTTP, routed by the http routes' : 'TCP'}.`);
    if (handling === 'tls' && req.scheme !== 'https') {
      this.steps.push(`Port ${port} carries TLS and the request is plain ${req.scheme}: the server's TLS handshake fails.`);
      return this.base({ decision: 'no-route' });
    }
    if (handling === 'http' && req.scheme === 'https' && declared !== undefined) {
      this.steps.push(`Port ${port} is declared ${declared} and the request is TLS: the sidecar's HTTP connection manager cannot read it.`);
      return this.base({ decision: 'no-route' });
    }
    if (handling === 'tcp') {
      this.unknowns.push(`Port ${port} of ${host} is ${declared}: explain evaluates HTTP and TLS routing only.`);
      return this.base({ decision: 'unknown' });
    }
    // The caller's Sidecar scopes what its proxy imports: a host outside its egress hosts has no route there.
    const sidecar = this.sidecarOf(source.namespace, sourceLabels);
    const listener = sidecar ? egressListenerFor(sidecar, port) : undefined;
    if (sidecar && listener !== undefined) {
      const configNs = service || entry ? nsOf(service ?? entry!) : undefined;
      if (configNs !== undefined && !(listener && imports(listener, nsOf(sidecar), configNs, host))) {
        const mode = str(rec(rec(sidecar.spec).outboundTrafficPolicy).mode);
        this.steps.push(`Sidecar ${ref(sidecar)} applies to the caller and ${listener ? `its egress hosts (${strings(listener.hosts).join(', ')})` : `no egress listener on port ${port}`} do not import ${host} (${service ? 'Service' : 'ServiceEntry'} in ${configNs}).`);
        if (mode === 'REGISTRY_ONLY') {
          this.steps.push('Its outboundTrafficPolicy is REGISTRY_ONLY: the call goes to the BlackHole cluster (502).');
          return this.base({ decision: 'no-route', status: 502 });
        }
        for (const f of unreadFields(EXPLAIN_FIELDS.Sidecar, { outboundTrafficPolicy: rec(sidecar.spec).outboundTrafficPolicy })) this.unknowns.push(`Sidecar ${ref(sidecar)}: ${f.at} is not evaluated by explain: ${f.reason}`);
        this.unknowns.push(`${host} is not imported by Sidecar ${ref(sidecar)}: ${mode === 'ALLOW_ANY' ? 'under ALLOW_ANY' : 'under the mesh\'s outbound traffic policy (ALLOW_ANY unless meshConfig says REGISTRY_ONLY)'} the call passes through to the address the caller resolved, without VirtualServices, DestinationRules or subsets; explain does not follow passthrough.`);
        return this.base({ decision: 'unknown' });
      }
      this.steps.push(`Sidecar ${ref(sidecar)} applies to the caller and imports ${host}.`);
    }
    const entries: RouteEntry[] = [];
    const vses: KubernetesObject[] = [];
    for (const vs of this.index.ofKind('VirtualService')) {
      const spec = rec(vs.spec);
      const gateways = strings(spec.gateways);
      if (gateways.length > 0 && !gateways.includes('mesh')) continue;
      if (!visible(vs, source.namespace)) continue;
      if (sidecar && listener && !strings(spec.hosts).some((h) => imports(listener, nsOf(sidecar), nsOf(vs), resolveHost(h, nsOf(vs))))) continue;
      if (!strings(spec.hosts).some((h) => hostMatches(resolveHost(h, nsOf(vs)), host))) continue;
      vses.push(vs);
      entries.push(...arr(handling === 'tls' ? spec.tls : spec.http).map((http, index) => ({ vs, http: rec(http), index })));
    }
    const proxy: ProxyInfo = { gatewayNames: new Set(['mesh']), proxyLabels: sourceLabels, proxyNamespace: source.namespace, sourcePrincipal: principal, sourceNamespace: source.namespace, sourceIsGateway: false };
    if (vses.length > 1) this.unknowns.push(`VirtualServices ${vses.map(ref).join(', ')} all serve ${host} in the mesh: Istio merges them in creation order.`);
    const defaultRoute = (why: string): Explanation => {
      if (!service && !entry) {
        this.steps.push(`No VirtualService and no Service or ServiceEntry for ${host}.`);
        this.unknowns.push(`${host} is not among the manifests: where it goes depends on the cluster.`);
        return this.base({ decision: 'unknown' });
      }
      this.steps.push(`${why}: the default route sends it to every endpoint of the ${service ? 'Service' : `ServiceEntry ${ref(entry!)}`}${handling === 'tls' ? ' (TLS passed through, by SNI)' : ''}.`);
      const d = this.destination({ host, ...(entry ? { port: { number: port } } : {}) }, 100, nsOf(service ?? entry!), r, r.path, undefined, proxy);
      const decided = d.authorization?.decision;
      return this.base({
        decision: decided === 'deny' ? 'denied' : decided === 'unknown' ? 'unknown' : 'routed', status: decided === 'deny' ? 403 : undefined, destinations: [d],
        ...(handling === 'http' ? { retries: { ...MESH_DEFAULT_RETRIES, source: 'mesh default' }, timeout: 'none' } : {}),
      });
    };
    if (vses.length === 0) return defaultRoute(`No VirtualService for ${host}`);
    this.steps.push(`VirtualService ${vses.map(ref).join(', ')} routes ${host} in the mesh${handling === 'tls' ? ' (its tls routes)' : ''}.`);
    if (handling === 'tls') return this.tlsRoute(entries, r, proxy, defaultRoute);
    return this.route(entries, r, request, proxy, {});
  }

  /**
   * The Sidecar that applies to a caller's proxy, as istiod picks it: one of its namespace whose
   * workloadSelector selects the caller's labels, else its namespace's Sidecar without selector,
   * else the root namespace's.
   */
  private sidecarOf(namespace: string, podLabels: Readonly<Record<string, string>>): KubernetesObject | undefined {
    const all = this.index.ofKind('Sidecar');
    const selectorOf = (o: KubernetesObject) => labels(rec(rec(o.spec).workloadSelector).labels);
    const inNs = all.filter((o) => nsOf(o) === namespace);
    const selected = inNs.filter((o) => {
      const sel = selectorOf(o);
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => podLabels[k] === v);
    });
    if (selected.length > 1) this.unknowns.push(`Sidecars ${selected.map(ref).join(', ')} all select the caller: istiod uses the oldest, which manifests do not carry; this answer takes the first.`);
    return selected[0] ?? inNs.find((o) => Object.keys(selectorOf(o)).length === 0)
      ?? all.find((o) => this.roots.includes(nsOf(o)) && Object.keys(selectorOf(o)).length === 0);
  }

  /** TLS routes in order: the first whose match (sniHosts, port, source) fits the connection. */
  private tlsRoute(entries: RouteEntry[], req: Req, proxy: ProxyInfo, fallback: (why: string) => Explanation): Explanation {
    for (const entry of entries) {
      const matches = arr(entry.http.match).map(rec);
      const label = `tls route ${entry.index} of ${ref(entry.vs)}`;
      const chosen = matches.findIndex((m) => {
        const port = num(m.port);
        const sl = labels(m.sourceLabels);
        const gws = strings(m.gateways);
        return strings(m.sniHosts).some((h) => hostMatches(h.toLowerCase(), req.sni)) && (port === undefined || port === req.port)
          && Object.entries(sl).every(([k, v]) => proxy.proxyLabels?.[k] === v) && (gws.length === 0 || gws.includes('mesh'))
          && (str(m.sourceNamespace) === undefined || str(m.sourceNamespace) === proxy.proxyNamespace);
      });
      if (chosen < 0) {
        this.steps.push(`${label}: no match for SNI ${req.sni} on port ${req.port}.`);
        continue;
      }
      this.steps.push(`${label} matches (match ${chosen}: sniHosts ${strings(matches[chosen].sniHosts).join(', ')}); first match wins.`);
      const routeDests = arr(entry.http.route).map(rec);
      const weighted = routeDests.length > 1;
      const destinations = routeDests.map((d) => ({ d, weight: num(d.weight) ?? (weighted ? 0 : 100) })).filter((x) => !weighted || x.weight > 0)
        .map((x) => this.destination(rec(x.d.destination), x.weight, nsOf(entry.vs), req, req.path, undefined, proxy));
      for (const d of destinations) this.steps.push(`→ ${d.host}${d.subset ? ` subset ${d.subset}` : ''}${d.port ? ` port ${d.port}` : ''}: weight ${d.weight}.`);
      const route = { virtualService: ref(entry.vs), id: routeId(entry.vs, 'tls', entry.index), index: entry.index, match: chosen, protocol: 'tls' as const };
      if (destinations.length === 0) return this.base({ decision: 'no-route', route });
      return this.base({ decision: 'routed', route, destinations });
    }
    return fallback(`No tls route matches SNI ${req.sni}`);
  }
}

/** A Service port's protocol as Istio reads it: `appProtocol`, else the name's prefix ("https-web"); undefined when neither says. */
function servicePortProtocol(p: Record<string, unknown>): string | undefined {
  const known = ['HTTP', 'HTTP2', 'HTTPS', 'TLS', 'GRPC', 'GRPC-WEB', 'TCP', 'MONGO', 'MYSQL', 'REDIS', 'UDP'];
  const app = str(p.appProtocol)?.toUpperCase();
  if (app && known.includes(app)) return app;
  const prefix = str(p.name)?.split('-')[0].toUpperCase();
  return prefix && known.includes(prefix) ? prefix : undefined;
}

interface ProxyInfo {
  gatewayNames: Set<string>;
  proxyLabels?: Readonly<Record<string, string>>;
  proxyNamespace?: string;
  sourcePrincipal: string | undefined;
  sourceNamespace: string | undefined;
  sourceIsGateway: boolean;
}

/** A traffic policy for a port: the top-level fields, overridden by the matching portLevelSettings. */
function mergePolicy(policy: Record<string, unknown>, port: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls', 'tunnel', 'proxyProtocol']) if (policy[key] !== undefined) out[key] = policy[key];
  const level = arr(policy.portLevelSettings).map(rec).find((s) => port !== undefined && num(rec(s.port).number) === port);
  if (level) for (const key of ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls']) if (level[key] !== undefined) out[key] = level[key];
  return out;
}

function findKey(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = findKey(v, key);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  const o = value as Record<string, unknown>;
  if (key in o) return o[key];
  for (const v of Object.values(o)) {
    const r = findKey(v, key);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** A match entry in words ("uri prefix /api, header x-canary = true"). */
export function describeMatch(m: Record<string, unknown>): string {
  const parts: string[] = [];
  if (m.uri !== undefined) parts.push(`uri ${describeStringMatch(m.uri)}${m.ignoreUriCase === true ? ' (any case)' : ''}`);
  if (m.method !== undefined) parts.push(`method ${describeStringMatch(m.method)}`);
  if (m.scheme !== undefined) parts.push(`scheme ${describeStringMatch(m.scheme)}`);
  if (m.authority !== undefined) parts.push(`authority ${describeStringMatch(m.authority)}`);
  for (const [k, v] of Object.entries(rec(m.headers))) parts.push(`header ${k} ${describeStringMatch(v)}`);
  for (const [k, v] of Object.entries(rec(m.withoutHeaders))) parts.push(`without header ${k} ${describeStringMatch(v)}`);
  for (const [k, v] of Object.entries(rec(m.queryParams))) parts.push(`query ${k} ${describeStringMatch(v)}`);
  if (m.port !== undefined) parts.push(`port ${text(m.port)}`);
  if (m.sourceLabels !== undefined) parts.push(`from ${JSON.stringify(m.sourceLabels)}`);
  if (m.sourceNamespace !== undefined) parts.push(`from namespace ${text(m.sourceNamespace)}`);
  if (m.gateways !== undefined) parts.push(`via ${strings(m.gateways).join(', ')}`);
  return parts.join(', ');
}

