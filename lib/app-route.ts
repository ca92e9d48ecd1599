import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  VirtualService, VirtualServiceSpec, VirtualServiceSpecHttp, VirtualServiceSpecHttpCorsPolicy, VirtualServiceSpecHttpCorsPolicyUnmatchedPreflights,
  VirtualServiceSpecHttpFault, VirtualServiceSpecHttpHeadersRequest, VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpMirrors,
  VirtualServiceSpecHttpRedirect, VirtualServiceSpecHttpRedirectDerivePort, VirtualServiceSpecHttpRetries, VirtualServiceSpecHttpRewrite,
  VirtualServiceSpecHttpRoute, VirtualServiceSpecHttpRouteDestination, VirtualServiceSpecTcp, VirtualServiceSpecTcpMatch, VirtualServiceSpecTls,
} from '../imports/istio-networking.istio.io';
import { IRouteTarget, serviceHost } from './service-reference';
import { describeProblem, fail } from './private/errors';
import { istioDuration } from './private/duration';
import {
  DNS_LABEL, validateCidrs, validateDnsLabel, validateDnsSubdomain, validateDuration, validateId, validateLabels, validatePercent, validatePort,
  validateExportToList, validateWholeSeconds,
} from './private/validate';
import { validateHost } from './contract/hosts';
import { escapeRe2 } from './private/re2';
import {
  GRPC_STATUS_NAMES, INT32_MAX, validateFinePercent, validateHeaderName, validateHeaderValue, validateMatchHeaderName, validateModifiableHeader, validateRetryOn,
} from './private/http';
import type { IIngressGateway } from './ingress-gateway';
import { DEFINED_ELSEWHERE_ANNOTATION } from './contract/defined-elsewhere';
import { RouteRequests } from './route-requests';
import { HttpMethod, PathMatch, StringMatch } from './match';
import { Traffic, WeightedTarget } from './route-traffic';
import { checkArgs } from './private/args';
import { SHAPES } from './private/arg-shapes';
import { hostCoveredBy, hostsMatch, serviceFqdnOf } from './contract/hosts';
import { lazy, validation } from './private/lazy';
import { compactTree } from './private/compact';

/**
 * Conditions a request must meet; all fields of one match must hold.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface RouteMatch {
  /**
   * The request path.
   * @default - any path
   */
  readonly path?: PathMatch;
  /**
   * Request headers (names in lower case; the pseudo-headers ":method", ":scheme", ":authority",
   * ":path" and ":status" too, as Istio accepts them); `StringMatch.present()` for presence.
   * @default - no header condition
   */
  readonly headers?: Record<string, StringMatch>;
  /**
   * Query parameters.
   * @default - no query condition
   */
  readonly queryParams?: Record<string, StringMatch>;
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: HttpMethod;
  /**
   * Match the path case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;
  /**
   * Headers that must be absent, or not match (names in lower case).
   * @default - no condition
   */
  readonly withoutHeaders?: Record<string, StringMatch>;
  /**
   * The port the request was addressed to (on a gateway: the server's port).
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels of the calling workload (mesh routes; on a gateway, the gateway's own pods).
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
  /**
   * Namespace of the calling workload (mesh routes).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * The Host/Authority header.
   * @default - any authority
   */
  readonly authority?: StringMatch;
}

/** Rewrites applied before forwarding. */
export interface RewriteOptions {
  /**
   * Replaces the matched path prefix (or the whole path for exact and regex matches). With prefix
   * matches and a rewrite ending in "/" (`PathMatch.prefix('/api')`, `uri: '/'`), the route renders
   * `uriRegexRewrite` `^/api/?` → `/` instead, so `/api/items` becomes `/items`, never `//items`.
   * @default - path unchanged
   */
  readonly uri?: string;
  /**
   * Rewrites the path with an RE2 regular expression (`uriRegexRewrite`); `rewrite` may use `\1`
   * for groups. Give this or `uri`.
   * @default - none
   */
  readonly uriRegex?: { readonly match: string; readonly rewrite: string };
  /**
   * Replaces the Host/Authority header.
   * @default - unchanged
   */
  readonly authority?: string;
}

/** A redirect answered by the gateway instead of forwarding. */
export interface RedirectOptions {
  /**
   * The path of the new location.
   * @default - the request's path
   */
  readonly uri?: string;
  /**
   * The host of the new location.
   * @default - the request's host
   */
  readonly authority?: string;
  /**
   * The scheme of the new location.
   * @default - the request's scheme
   */
  readonly scheme?: 'http' | 'https';
  /**
   * The status code (301, 302, 303, 307 or 308).
   * @default 301
   */
  readonly code?: number;
  /**
   * The port of the new location.
   * @default - the request's port (or see `derivePort`)
   */
  readonly port?: number;
  /**
   * Derive the port of the new location (give this or `port`).
   * @default - the request's port
   */
  readonly derivePort?: RedirectPort;
}

/** How a redirect derives its port. */
export enum RedirectPort {
  /** 80 for http, 443 for https. */
  FROM_PROTOCOL_DEFAULT = 'FROM_PROTOCOL_DEFAULT',
  /** The port of the request. */
  FROM_REQUEST_PORT = 'FROM_REQUEST_PORT',
}

/** What the proxy does with a CORS preflight request whose origin is not allowed. */
export enum UnmatchedPreflights {
  /** Forward it to the destination (Istio's default). */
  FORWARD = 'FORWARD',
  /** Answer it without CORS headers and do not forward it. */
  IGNORE = 'IGNORE',
}

/**
 * Retries of failed requests.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface RetryOptions {
  /** How many times a request is retried (0 disables retries). */
  readonly attempts: number;
  /**
   * Timeout of each attempt.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * The conditions to retry on, for example ["5xx", "connect-failure", "reset"].
   * @default - Istio's default (connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes)
   */
  readonly retryOn?: string[];
  /**
   * Base interval of the exponential backoff between retries.
   * @default - Envoy's default (25 ms)
   */
  readonly backoff?: Duration;
  /**
   * Retry on endpoints in other localities.
   * @default - Envoy's default (false)
   */
  readonly retryRemoteLocalities?: boolean;
}

/** Failures injected for testing resilience. */
export interface FaultOptions {
  /**
   * Delay a share of the requests.
   * @default - no delay
   */
  readonly delay?: { readonly fixedDelay: Duration; readonly percent: number };
  /**
   * Fail a share of the requests with an HTTP status (`httpStatus`, 200-599) or a gRPC status
   * (`grpcStatus`, a name such as "UNAVAILABLE", for gRPC services): give one of the two.
   * @default - no abort
   */
  readonly abort?: { readonly httpStatus?: number; readonly grpcStatus?: string; readonly percent: number };
}

/** Traffic copied, fire-and-forget, to another destination. */
export interface MirrorOptions {
  /** The service or version to mirror to. */
  readonly to: IRouteTarget;
  /**
   * Percent of the requests mirrored.
   * @default 100
   */
  readonly percent?: number;
  /**
   * The Service port.
   * @default - the Service's only port
   */
  readonly port?: number;
}

/**
 * Cross-origin resource sharing.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy
 */
export interface CorsOptions {
  /** The origins allowed. */
  readonly allowOrigins: StringMatch[];
  /**
   * Methods allowed.
   * @default - none listed
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * Request headers allowed.
   * @default - none listed
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers browsers may read.
   * @default - none listed
   */
  readonly exposeHeaders?: string[];
  /**
   * How long a preflight response may be cached.
   * @default - not set
   */
  readonly maxAge?: Duration;
  /**
   * Whether credentials are allowed.
   * @default - not set
   */
  readonly allowCredentials?: boolean;
  /**
   * What happens to preflight requests from origins not allowed.
   * @default UnmatchedPreflights.FORWARD (Istio's default)
   */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

/** Changes to the headers of requests or responses. */
export interface HeaderOperations {
  /**
   * Headers to set (overwriting).
   * @default - none
   */
  readonly set?: Record<string, string>;
  /**
   * Headers to append.
   * @default - none
   */
  readonly add?: Record<string, string>;
  /**
   * Headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** One HTTP route of a VirtualService. */
export interface HttpRouteOptions {
  /** The route's name, unique within the VirtualService (shown in access logs and metrics). */
  readonly name: string;
  /**
   * Conditions; any one of them selects the route.
   * @default - every request
   */
  readonly match?: RouteMatch[];
  /**
   * Where matching requests go. Give this or `redirect`.
   * @default - none
   */
  readonly to?: Traffic;
  /**
   * Answer with a redirect instead of forwarding. Give this or `to`.
   * @default - none
   */
  readonly redirect?: RedirectOptions;
  /**
   * Rewrite the path or authority before forwarding.
   * @default - no rewrite
   */
  readonly rewrite?: RewriteOptions;
  /**
   * Retries.
   * @default - Istio's default (2 attempts)
   */
  readonly retries?: RetryOptions;
  /**
   * Timeout of the whole request, retries included.
   * @default - no timeout
   */
  readonly timeout?: Duration;
  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: FaultOptions;
  /**
   * Mirror traffic to another destination.
   * @default - none
   */
  readonly mirror?: MirrorOptions;
  /**
   * Mirror traffic to several destinations (`mirrors`), each with its own percentage. Give this or `mirror`.
   * @default - none
   */
  readonly mirrors?: MirrorOptions[];
  /**
   * CORS policy.
   * @default - none
   */
  readonly cors?: CorsOptions;
  /**
   * Header changes on the request and the response.
   * @default - none
   */
  readonly headers?: { readonly request?: HeaderOperations; readonly response?: HeaderOperations };
}

/**
 * Conditions on a TCP connection; all fields of one match must hold.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#L4MatchAttributes
 */
export interface TcpRouteMatch {
  /**
   * The port the connection is addressed to.
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels of the calling workload (mesh routes).
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
  /**
   * Namespace of the calling workload (mesh routes).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Destination addresses (CIDR).
   * @default - any address
   */
  readonly destinationSubnets?: string[];
}

/** One TCP route of a VirtualService (opaque TCP: no HTTP features). */
export interface TcpRouteOptions {
  /**
   * Conditions; any one of them selects the route.
   * @default - every connection
   */
  readonly match?: TcpRouteMatch[];
  /** Where matching connections go. */
  readonly to: Traffic;
}

/**
 * Conditions on a TLS connection that is not terminated (passthrough): the SNI is read.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSMatchAttributes
 */
export interface TlsRouteMatch extends TcpRouteMatch {
  /** The SNI values (each covered by the VirtualService's hosts). */
  readonly sniHosts: string[];
}

/** One TLS route of a VirtualService (TLS passthrough, routed by SNI). */
export interface TlsRouteOptions {
  /** Conditions (at least one); any one of them selects the route. */
  readonly match: TlsRouteMatch[];
  /** Where matching connections go. */
  readonly to: Traffic;
}

/** Options of an {@link AppRoute} created from a gateway (`gateway.addRoute`). */
export interface AppRouteOptions {
  /**
   * The VirtualService's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The VirtualService's namespace.
   * @default - the namespace of the first gateway; for a mesh-only route, the namespace of the first
   * destination given in the props, else the chart's
   */
  readonly namespace?: string;
  /**
   * The hosts this route set applies to. With gateways, each must be served by a bound gateway
   * (hosts only the mesh uses are allowed when `mesh` is set).
   * @default - every host of the bound gateways; for a mesh-only route, the hosts of its destinations
   */
  readonly hosts?: string[];
  /**
   * Apply the routes to traffic between workloads of the mesh too (the gateway `mesh`), that is,
   * at every sidecar calling the hosts.
   * @default - true when the route binds to no gateway, false otherwise
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways
   */
  readonly mesh?: boolean;
  /**
   * The HTTP routes, in order; more can be added with `addRoute`.
   * @default - none yet
   */
  readonly routes?: HttpRouteOptions[];
  /**
   * TCP routes, in order; more can be added with `addTcpRoute`.
   * @default - none
   */
  readonly tcpRoutes?: TcpRouteOptions[];
  /**
   * TLS passthrough routes (by SNI), in order; more can be added with `addTlsRoute`.
   * @default - none
   */
  readonly tlsRoutes?: TlsRouteOptions[];
  /**
   * The namespaces the VirtualService is visible to ("." its own, "*" all).
   * @default - all namespaces (Istio's default)
   */
  readonly exportTo?: string[];
}

/** Props of {@link AppRoute}. */
export interface AppRouteProps extends AppRouteOptions {
  /**
   * The gateways whose traffic the routes apply to.
   * @default - none: a mesh route (applies at the sidecars calling the hosts)
   */
  readonly gateways?: IIngressGateway[];
}

const REDIRECT_CODES = [301, 302, 303, 307, 308];
/** The reserved gateway name of the sidecars; never namespace-qualified. */
const MESH = 'mesh';

/**
 * A VirtualService: ordered HTTP, TCP and TLS routes for traffic from gateways, from the mesh, or
 * both, whose gateways, hosts, destination hosts, subsets and ports all derive from the objects they
 * reference.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class AppRoute extends Construct {
  /** The VirtualService's name. */
  public readonly routeName: string;
  /** The VirtualService's namespace. */
  public readonly namespace: string;
  /** The VirtualService. */
  public readonly virtualService: VirtualService;
  /** Whether the routes apply to the mesh (sidecars). */
  public readonly mesh: boolean;
  private readonly _gateways: IIngressGateway[];
  private readonly explicitHosts?: string[];
  private readonly http: VirtualServiceSpecHttp[] = [];
  private readonly tcp: VirtualServiceSpecTcp[] = [];
  private readonly tls: VirtualServiceSpecTls[] = [];
  private readonly routeNames = new Set<string>();
  private readonly routeMatches = new Map<string, VirtualServiceSpecHttpMatch[] | undefined>();
  /** Each HTTP route given (by name) and the names of the HTTP routes it renders: its own, then a canary's override. */
  private readonly renderedRouteNames = new Map<string, string[]>();
  private readonly destinationHosts: string[] = [];
  private readonly definedElsewhere: string[] = [];
  private routeCount = 0;
  private readonly dependedOn = new Set<unknown>();

  public constructor(scope: Construct, id: string, props: AppRouteProps = {}) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass { gateways?, routes, ... }.');
    checkArgs(this, '', props, SHAPES.AppRouteProps);
    if (props.gateways !== undefined && !Array.isArray(props.gateways)) fail(this, 'gateways', props.gateways, 'Give a list of gateways, or leave gateways out for a mesh route.');
    this._gateways = [...(props.gateways ?? [])];
    this.mesh = props.mesh ?? this._gateways.length === 0;
    if (!this.mesh && this._gateways.length === 0) fail(this, 'mesh', false, 'A route applies to gateways, to the mesh, or both: bind a gateway, or leave mesh out.');
    this.routeName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? this._gateways[0]?.namespace ?? firstDestinationNamespace(props) ?? Chart.of(this).namespace ?? '');
    if (props.hosts) {
      if (props.hosts.length === 0) fail(this, 'hosts', [], 'List at least one host, or leave hosts out to use the gateways\' (or the destinations\') hosts.');
      props.hosts.forEach((h, i) => validateHost(this, `hosts[${i}]`, h));
      this.explicitHosts = [...props.hosts];
    }
    const exportTo = validateExportToList(this, 'exportTo', props.exportTo, this.namespace);
    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: { name: this.routeName, namespace: this.namespace },
      spec: lazy((): VirtualServiceSpec => ({
        hosts: this.hosts,
        gateways: this._gateways.length ? [...this._gateways.map((g) => `${g.namespace}/${g.gatewayName}`), ...(this.mesh ? [MESH] : [])] : undefined,
        http: this.http.length ? this.http : undefined,
        tcp: this.tcp.length ? this.tcp : undefined,
        tls: this.tls.length ? this.tls : undefined,
        exportTo,
      })),
    });
    for (const g of this._gateways) if (g.imported) this.markDefinedElsewhere(`Gateway ${g.namespace}/${g.gatewayName}`);
    for (const r of props.routes ?? []) this.addRoute(r);
    for (const r of props.tcpRoutes ?? []) this.addTcpRoute(r);
    for (const r of props.tlsRoutes ?? []) this.addTlsRoute(r);
    this.node.addValidation(validation(() => this.validateHosts()));
    compactTree(this);
  }

  /** The gateways the routes apply to (the mesh aside). */
  public get gateways(): readonly IIngressGateway[] {
    return this._gateways;
  }

  /** The hosts the VirtualService applies to. */
  public get hosts(): string[] {
    if (this.explicitHosts) return [...this.explicitHosts];
    const all: string[] = [];
    const from = this._gateways.length ? this._gateways.flatMap((g) => [...g.hosts]) : this.destinationHosts;
    for (const h of from) if (!all.includes(h)) all.push(h);
    // Istio refuses a VirtualService two of whose hosts overlap ("duplicate hosts in virtual
    // service": "*.example.com" and "shop.example.com"). A gateway host that another one covers
    // adds no request to the route, so the route keeps the wider one only.
    return all.filter((h) => !all.some((other) => other !== h && hostCoveredBy(h, other)));
  }

  /**
   * The requests the HTTP route `name` matches, for gateway authorization
   * (`gateway.requireJwt(..., { routes: [route.route('orders')] })`): the policy then covers
   * exactly those requests.
   */
  public route(name: string): RouteRequests {
    if (!this.routeMatches.has(name)) {
      fail(this, 'route', name, `The VirtualService has the HTTP routes [${[...this.routeMatches.keys()].join(', ')}]: name one of them.`);
    }
    return new RouteRequests(this, name, () => this.hosts, this.routeMatches.get(name));
  }

  /**
   * Each HTTP route given to this AppRoute, by its name, with the names of every HTTP route of the
   * VirtualService it renders (Envoy's route names): its own name first, then its canary's header
   * override (`<name>-canary-override`) when it has one. Whatever attaches to a route by name (a
   * rate limit's HTTP_ROUTE patch) attaches to all of them, so no request of the route escapes it.
   * @internal
   */
  public _renderedRouteNames(): ReadonlyMap<string, readonly string[]> {
    return this.renderedRouteNames;
  }

  /**
   * The HTTP routes of the VirtualService as rendered, in order (a canary's header override
   * included): what a progressive rollout's controller will find there.
   * @internal
   */
  public _httpRoutes(): readonly VirtualServiceSpecHttp[] {
    return this.http;
  }

  /** Appends an HTTP route (routes are matched in order). */
  public addRoute(route: HttpRouteOptions): void {
    const at = `routes[${this.routeCount}]`;
    if (route === null || typeof route !== 'object') fail(this, at, route, 'Give a route: { name, match?, to | redirect, ... }.');
    checkArgs(this, at, route, SHAPES.HttpRouteOptions);
    const name = route.name;
    if (typeof name !== 'string' || name.length > 63 || !DNS_LABEL.test(name)) {
      fail(this, `${at}.name`, name, 'Give each route a name of lower-case letters, digits and "-", for example "api".');
    }
    if (this.routeNames.has(name)) fail(this, `${at}.name`, name, `Route names must be unique within the VirtualService: "${name}" is already used; rename one.`);
    if ((route.to === undefined) === (route.redirect === undefined)) {
      fail(this, `${at}.to`, route.to === undefined ? undefined : '(set, with redirect)', 'Give a route exactly one of `to` (forward) and `redirect`.');
    }
    if (route.redirect && route.fault) fail(this, `${at}.fault`, '(set)', 'Istio refuses a route with both redirect and fault: put the fault on a route that forwards.');
    if (route.redirect && route.rewrite) fail(this, `${at}.rewrite`, route.rewrite, 'A redirect cannot be combined with a rewrite: put the new path in redirect.uri.');
    if (route.redirect && (route.mirror || route.mirrors)) fail(this, `${at}.mirror`, '(set)', 'A redirect forwards nothing to mirror: remove mirror.');
    if (route.mirror && route.mirrors) fail(this, `${at}.mirrors`, '(set, with mirror)', 'Give either mirror (one destination) or mirrors (several), not both.');

    const match = route.match?.map((m, i) => this.renderMatch(`${at}.match[${i}]`, m));
    // Everything but name, match and route: shared by a canary's override and its split.
    const common: Omit<VirtualServiceSpecHttp, 'name' | 'match' | 'route'> = {
      rewrite: route.rewrite ? this.renderRewrite(`${at}.rewrite`, route.rewrite, route.match) : undefined,
      redirect: route.redirect ? this.renderRedirect(`${at}.redirect`, route.redirect) : undefined,
      retries: route.retries ? this.renderRetries(`${at}.retries`, route.retries) : undefined,
      timeout: route.timeout ? istioDuration(validateDuration(this, `${at}.timeout`, route.timeout)) : undefined,
      fault: route.fault ? this.renderFault(`${at}.fault`, route.fault) : undefined,
      ...(route.mirror ? this.renderMirror(`${at}.mirror`, route.mirror) : {}),
      mirrors: route.mirrors ? this.renderMirrors(`${at}.mirrors`, route.mirrors) : undefined,
      corsPolicy: route.cors ? this.renderCors(`${at}.cors`, route.cors) : undefined,
      headers: route.headers ? {
        request: renderHeaderOps(this, `${at}.headers.request`, route.headers.request, true),
        response: renderHeaderOps(this, `${at}.headers.response`, route.headers.response),
      } : undefined,
    };

    const entries: VirtualServiceSpecHttp[] = [];
    if (route.to) {
      const traffic = this.checkTraffic(`${at}.to`, route.to);
      traffic._bind(this, `${at}.to`, name);
      const destinations = this.renderDestinations(`${at}.to`, traffic.targets);
      const override = traffic._override();
      if (override) {
        const base: VirtualServiceSpecHttpMatch[] = match ?? [{}];
        // The override must take a subset of the route's requests (so a policy or limit scoped to the
        // route covers it): a condition of the route on the same header would be replaced, or contradicted.
        base.forEach((m, i) => {
          if (m.headers?.[override.header.name] !== undefined || m.withoutHeaders?.[override.header.name] !== undefined) {
            fail(this, `${at}.match[${i}].${m.headers?.[override.header.name] !== undefined ? 'headers' : 'withoutHeaders'}["${override.header.name}"]`, '(set)',
              `The canary's header override sets its own condition on "${override.header.name}", which would replace this one and send requests the route does not match to the canary: use another header for the canary, or remove this condition.`);
          }
        });
        entries.push({
          name: `${name}-canary-override`,
          match: base.map((m): VirtualServiceSpecHttpMatch => ({ ...m, headers: { ...m.headers, [override.header.name]: { exact: override.header.value } } })),
          route: [unweighted(destinations[override.target])],
          ...common,
        });
      }
      entries.push({ name, match, route: destinations.length === 1 ? [unweighted(destinations[0])] : destinations, ...common });
      // A mirror target is not a host of the route: a mesh VirtualService captures the calls to every
      // host it lists, so listing it would route every call to the mirror target by this route.
      for (const m of [...(route.mirror ? [route.mirror] : []), ...(route.mirrors ?? [])]) this.useService(m.to, false);
    } else {
      entries.push({ name, match, ...common });
    }
    for (const e of entries) {
      if (this.routeNames.has(e.name ?? '')) fail(this, `${at}.name`, e.name, 'Route names must be unique within the VirtualService: rename one.');
      this.routeNames.add(e.name ?? '');
    }
    this.routeMatches.set(name, match);
    this.renderedRouteNames.set(name, [name, ...entries.map((e) => e.name ?? '').filter((n) => n !== name)]);
    this.routeCount++;
    this.http.push(...entries);
  }

  /** Appends a TCP route (opaque TCP; routes are matched in order). */
  public addTcpRoute(route: TcpRouteOptions): void {
    const at = `tcpRoutes[${this.tcp.length}]`;
    if (route === null || typeof route !== 'object') fail(this, at, route, 'Give a route: { match?, to }.');
    checkArgs(this, at, route, SHAPES.TcpRouteOptions);
    const traffic = this.checkTraffic(`${at}.to`, route.to);
    traffic._bind(this, `${at}.to`, undefined);
    const match = route.match?.map((m, i) => this.renderL4Match(`${at}.match[${i}]`, m));
    const destinations = this.renderDestinations(`${at}.to`, traffic.targets);
    this.tcp.push({ match, route: destinations.length === 1 ? [unweighted(destinations[0])] : destinations });
  }

  /** Appends a TLS passthrough route, selected by SNI (routes are matched in order). */
  public addTlsRoute(route: TlsRouteOptions): void {
    const at = `tlsRoutes[${this.tls.length}]`;
    if (route === null || typeof route !== 'object') fail(this, at, route, 'Give a route: { match: [{ sniHosts }], to }.');
    checkArgs(this, at, route, SHAPES.TlsRouteOptions);
    if (!Array.isArray(route.match) || route.match.length === 0) fail(this, `${at}.match`, route.match, 'A TLS route needs at least one match with sniHosts, for example [{ sniHosts: ["nginx.example.com"] }].');
    const match = route.match.map((m, i) => {
      if (!Array.isArray(m?.sniHosts) || m.sniHosts.length === 0) fail(this, `${at}.match[${i}].sniHosts`, m?.sniHosts, 'List the SNI hosts this route takes.');
      m.sniHosts.forEach((h, j) => validateHost(this, `${at}.match[${i}].sniHosts[${j}]`, h));
      return { ...this.renderL4Match(`${at}.match[${i}]`, m, true), sniHosts: [...m.sniHosts] };
    });
    const traffic = this.checkTraffic(`${at}.to`, route.to);
    traffic._bind(this, `${at}.to`, undefined);
    const destinations = this.renderDestinations(`${at}.to`, traffic.targets);
    this.tls.push({ match, route: destinations.length === 1 ? [unweighted(destinations[0])] : destinations });
  }

  private checkTraffic(at: string, traffic: Traffic): Traffic {
    if (!(traffic instanceof Traffic)) fail(this, at, traffic, 'Use Traffic.to(...), Traffic.split([...]) or Traffic.canary(...).');
    traffic._check(this, at);
    for (const t of traffic.targets) this.useService(t.to);
    return traffic;
  }

  /**
   * Records a destination: its host (mesh routes' default hosts, unless `isHost` is false: a
   * mirror's), its imports, and its DestinationRule.
   */
  private useService(target: IRouteTarget, isHost = true): void {
    const service = target?.routableService;
    if (!service) return;
    const host = serviceHost(service, this.namespace);
    if (isHost && !this.destinationHosts.includes(host)) this.destinationHosts.push(host);
    if (service.imported) this.markDefinedElsewhere(`Service ${service.routeHost ?? serviceFqdnOf(service.serviceName, service.namespace)}`);
    // Make-before-break: the DestinationRule that defines the subsets is applied before this VirtualService.
    for (const rule of [service.destinationRule, target.destinationRule]) {
      if (rule && !this.dependedOn.has(rule)) {
        this.dependedOn.add(rule);
        this.virtualService.addDependency(rule);
      }
    }
  }

  private markDefinedElsewhere(ref: string): void {
    if (this.definedElsewhere.includes(ref)) return;
    this.definedElsewhere.push(ref);
    this.virtualService.metadata.addAnnotation(DEFINED_ELSEWHERE_ANNOTATION, this.definedElsewhere.join(', '));
  }

  private renderDestinations(at: string, targets: readonly WeightedTarget[]): VirtualServiceSpecHttpRoute[] {
    if (targets.length === 0) fail(this, at, [], 'Give at least one destination.');
    let sum = 0;
    const rendered = targets.map((t, i) => {
      if (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > 100) {
        fail(this, `${at}[${i}].weight`, t.weight, 'Use a whole percentage between 0 and 100.');
      }
      sum += t.weight;
      return { destination: this.renderDestination(`${at}[${i}]`, t.to, t.port).destination, weight: t.weight };
    });
    if (sum !== 100) {
      fail(this, `${at}.weights`, targets.map((t) => t.weight), `The weights of a route must sum to 100 (they sum to ${sum}): adjust them, or use Traffic.canary(...) which computes them.`);
    }
    const keys = rendered.map((d) => JSON.stringify([d.destination]));
    if (new Set(keys).size !== keys.length) fail(this, at, targets.map((t) => t.to.node.path), 'Each destination may appear once in a route: merge the weights.');
    return rendered;
  }

  private renderDestination(at: string, target: IRouteTarget, port?: number): { destination: VirtualServiceSpecHttpRouteDestination } {
    const service = target?.routableService;
    if (!service) fail(this, at, target, 'Route to a VersionedService, one of its versions (service.version("v1")), a ServiceEntry, or VersionedService.fromServiceAttributes(...).');
    if (target.subset !== undefined && !target.destinationRule && !service.hasSubset(target.subset)) {
      fail(this, `${at}.subset`, target.subset, `Service "${service.serviceName}" has no version "${target.subset}": add it with addVersion() or route to an existing version.`);
    }
    const ports = service.servicePorts;
    let number = port;
    if (number === undefined) {
      if (ports.length > 1) fail(this, `${at}.port`, undefined, `Service "${service.serviceName}" has several ports (${ports.join(', ')}): choose one with port.`);
      number = ports[0];
    } else if (!ports.includes(validatePort(this, `${at}.port`, number))) {
      fail(this, `${at}.port`, number, `Service "${service.serviceName}" exposes ${ports.join(', ')}: use one of them.`);
    }
    return { destination: { host: serviceHost(service, this.namespace), subset: target.subset, port: { number } } };
  }

  private renderMatch(at: string, m: RouteMatch): VirtualServiceSpecHttpMatch {
    if (m === null || typeof m !== 'object') fail(this, at, m, 'Give a match: { path?, headers?, method?, ... }.');
    if (m.path !== undefined && !(m.path instanceof PathMatch)) fail(this, `${at}.path`, m.path, 'Use PathMatch.prefix(...), PathMatch.exact(...) or PathMatch.regex(...).');
    if (m.authority !== undefined && !(m.authority instanceof StringMatch)) fail(this, `${at}.authority`, m.authority, 'Use StringMatch.exact(...), StringMatch.prefix(...) or StringMatch.regex(...).');
    const strings = (kind: string, rec?: Record<string, StringMatch>) => {
      if (!rec) return undefined;
      return Object.fromEntries(Object.entries(rec).map(([k, v]) => {
        if (!(v instanceof StringMatch)) fail(this, `${at}.${kind}["${k}"]`, v, 'Use StringMatch.exact(...), StringMatch.prefix(...) or StringMatch.regex(...).');
        if (kind !== 'queryParams') validateMatchHeaderName(this, `${at}.${kind}`, k);
        if (kind === 'queryParams' && (k.length === 0 || CONTROL_OR_SPACE.test(k))) fail(this, `${at}.queryParams`, k, 'Use a query parameter name without spaces or control characters.');
        return [k, v._json];
      }));
    };
    const json: VirtualServiceSpecHttpMatch = {
      uri: m.path?._json,
      headers: strings('headers', m.headers),
      withoutHeaders: strings('withoutHeaders', m.withoutHeaders),
      queryParams: strings('queryParams', m.queryParams),
      method: m.method ? { exact: m.method } : undefined,
      authority: m.authority?._json,
      ignoreUriCase: m.ignoreUriCase,
      ...this.renderSource(at, m),
    };
    if (Object.values(json).every((v) => v === undefined)) fail(this, at, m, 'A match needs at least one condition; leave `match` out to match every request.');
    return json;
  }

  private renderSource(at: string, m: { port?: number; sourceLabels?: Record<string, string>; sourceNamespace?: string }): Pick<VirtualServiceSpecHttpMatch, 'port' | 'sourceLabels' | 'sourceNamespace'> {
    return {
      port: m.port === undefined ? undefined : validatePort(this, `${at}.port`, m.port),
      sourceLabels: m.sourceLabels === undefined ? undefined : { ...validateLabels(this, `${at}.sourceLabels`, m.sourceLabels) },
      sourceNamespace: m.sourceNamespace === undefined ? undefined : validateDnsLabel(this, `${at}.sourceNamespace`, m.sourceNamespace),
    };
  }

  private renderL4Match(at: string, m: TcpRouteMatch, sni = false): VirtualServiceSpecTcpMatch {
    if (m === null || typeof m !== 'object') fail(this, at, m, 'Give a match: { port?, sourceLabels?, sourceNamespace?, destinationSubnets? }.');
    const json: VirtualServiceSpecTcpMatch = {
      ...this.renderSource(at, m),
      destinationSubnets: m.destinationSubnets === undefined ? undefined : validateCidrs(this, `${at}.destinationSubnets`, m.destinationSubnets),
    };
    if (!sni && Object.values(json).every((v) => v === undefined)) fail(this, at, m, 'A match needs at least one condition; leave `match` out to match every connection.');
    return json;
  }

  private renderRewrite(at: string, r: RewriteOptions, match: RouteMatch[] | undefined): VirtualServiceSpecHttpRewrite {
    if (r === null || typeof r !== 'object') fail(this, at, r, 'Give { uri?, uriRegex?, authority? }.');
    if (r.uri === undefined && r.uriRegex === undefined && r.authority === undefined) fail(this, at, r, 'A rewrite changes the path (uri or uriRegex), the host (authority) or both: give one, or remove rewrite.');
    if (r.uri !== undefined && r.uriRegex !== undefined) fail(this, `${at}.uriRegex`, '(set, with uri)', 'Give either uri or uriRegex, not both.');
    if (r.uri !== undefined && (typeof r.uri !== 'string' || !r.uri.startsWith('/'))) fail(this, `${at}.uri`, r.uri, 'Use a path starting with "/".');
    if (r.authority !== undefined) validateHost(this, `${at}.authority`, r.authority, false);
    if (r.uriRegex !== undefined) {
      if (typeof r.uriRegex?.rewrite !== 'string') fail(this, `${at}.uriRegex.rewrite`, r.uriRegex?.rewrite, 'Give the replacement, for example "/\\1".');
      PathMatch.regex(r.uriRegex.match);
      return { uriRegexRewrite: { match: r.uriRegex.match, rewrite: r.uriRegex.rewrite }, authority: r.authority };
    }
    if (r.uri === undefined) return { authority: r.authority };
    const prefixes = (match ?? []).map((m) => m.path?._json.prefix);
    if (prefixes.some((p) => p !== undefined)) {
      // Envoy replaces the matched prefix by the rewrite: "/api" → "/" turns "/api/items" into "//items".
      if (r.uri.endsWith('/') && prefixes.some((p) => p !== undefined && !p.endsWith('/'))) {
        if (prefixes.some((p) => p === undefined)) {
          fail(this, `${at}.uri`, r.uri, 'With a prefix match, a rewrite ending in "/" is rendered as uriRegexRewrite (so "/api/items" does not become "//items"), which needs every match of the route to be a path prefix: split the route, or give rewrite.uriRegex.');
        }
        const alternatives = [...new Set(prefixes as string[])].map((p) => escapeRe2(p.replace(/\/$/, ''))).sort((a, b) => b.length - a.length);
        const caseless = (match ?? []).some((m) => m.ignoreUriCase) ? '(?i)' : '';
        const head = alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
        return { uriRegexRewrite: { match: `${caseless}^${head}/?`, rewrite: r.uri }, authority: r.authority };
      }
      if (!r.uri.endsWith('/') && prefixes.some((p) => p !== undefined && p.endsWith('/'))) {
        const p = prefixes.find((x) => x !== undefined && x.endsWith('/'));
        fail(this, `${at}.uri`, r.uri, `The prefix "${p}" ends with "/" and the rewrite does not, so "${p}items" would become "${r.uri}items": end the rewrite with "/" ("${r.uri}/").`);
      }
    }
    return { uri: r.uri, authority: r.authority };
  }

  private renderRedirect(at: string, r: RedirectOptions): VirtualServiceSpecHttpRedirect {
    if (typeof r !== 'object') fail(this, at, r, 'Give { uri?, authority?, scheme?, code? }.');
    const code = r.code ?? 301;
    if (!REDIRECT_CODES.includes(code)) fail(this, `${at}.code`, code, `Use one of ${REDIRECT_CODES.join(', ')}.`);
    if (r.uri !== undefined && (typeof r.uri !== 'string' || !r.uri.startsWith('/'))) fail(this, `${at}.uri`, r.uri, 'Use a path starting with "/".');
    if (r.authority !== undefined) validateHost(this, `${at}.authority`, r.authority, false);
    if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') fail(this, `${at}.scheme`, r.scheme, 'Use "http" or "https".');
    if (r.uri === undefined && r.authority === undefined && r.scheme === undefined && r.port === undefined && r.derivePort === undefined) {
      fail(this, at, r, 'A redirect to the same URL loops: give the new path (uri), host (authority), scheme or port.');
    }
    if (r.port !== undefined && r.derivePort !== undefined) fail(this, `${at}.derivePort`, r.derivePort, 'Give either port or derivePort, not both.');
    if (r.derivePort !== undefined && !Object.values(RedirectPort).includes(r.derivePort)) fail(this, `${at}.derivePort`, r.derivePort, 'Use RedirectPort.FROM_PROTOCOL_DEFAULT or RedirectPort.FROM_REQUEST_PORT.');
    return {
      uri: r.uri,
      authority: r.authority,
      scheme: r.scheme,
      port: r.port === undefined ? undefined : validatePort(this, `${at}.port`, r.port),
      derivePort: r.derivePort as string as VirtualServiceSpecHttpRedirectDerivePort | undefined,
      redirectCode: code,
    };
  }

  private renderRetries(at: string, r: RetryOptions): VirtualServiceSpecHttpRetries {
    if (r === null || typeof r !== 'object') fail(this, at, r, 'Give { attempts, perTryTimeout?, retryOn? }.');
    if (typeof r.attempts !== 'number' || !Number.isInteger(r.attempts) || r.attempts < 0 || r.attempts > INT32_MAX) {
      fail(this, `${at}.attempts`, r.attempts, `Use a whole number of attempts from 0 (0 disables retries) to ${INT32_MAX}.`);
    }
    if (r.retryOn !== undefined && !Array.isArray(r.retryOn)) fail(this, `${at}.retryOn`, r.retryOn, 'Give a list of conditions, for example ["5xx", "reset"].');
    if (r.attempts === 0 && (r.perTryTimeout !== undefined || r.retryOn?.length)) {
      fail(this, `${at}.attempts`, 0, 'Attempts 0 disables retries, so perTryTimeout and retryOn would do nothing: remove them, or allow at least 1 attempt.');
    }
    r.retryOn?.forEach((c, i) => validateRetryOn(this, `${at}.retryOn[${i}]`, c));
    return {
      attempts: r.attempts,
      perTryTimeout: r.perTryTimeout ? istioDuration(validateDuration(this, `${at}.perTryTimeout`, r.perTryTimeout)) : undefined,
      retryOn: r.retryOn?.length ? r.retryOn.join(',') : undefined,
      backoff: r.backoff ? istioDuration(validateDuration(this, `${at}.backoff`, r.backoff)) : undefined,
      retryRemoteLocalities: r.retryRemoteLocalities,
    };
  }

  private renderFault(at: string, f: FaultOptions): VirtualServiceSpecHttpFault {
    if (!f.delay && !f.abort) fail(this, at, f, 'Give a delay, an abort, or both.');
    if (f.abort && (f.abort.httpStatus === undefined) === (f.abort.grpcStatus === undefined)) {
      fail(this, `${at}.abort`, f.abort, 'Give either httpStatus (an HTTP status) or grpcStatus (a gRPC status name such as "UNAVAILABLE"), not both.');
    }
    if (f.abort?.httpStatus !== undefined && (!Number.isInteger(f.abort.httpStatus) || f.abort.httpStatus < 200 || f.abort.httpStatus > 599)) {
      fail(this, `${at}.abort.httpStatus`, f.abort.httpStatus, 'Use an HTTP status between 200 and 599.');
    }
    if (f.abort?.grpcStatus !== undefined && !GRPC_STATUS_NAMES.includes(f.abort.grpcStatus)) {
      fail(this, `${at}.abort.grpcStatus`, f.abort.grpcStatus, `Use a gRPC status name Istio accepts: ${GRPC_STATUS_NAMES.join(', ')}.`);
    }
    return {
      delay: f.delay ? {
        fixedDelay: istioDuration(validateDuration(this, `${at}.delay.fixedDelay`, f.delay.fixedDelay)),
        percentage: { value: validateFinePercent(this, `${at}.delay.percent`, f.delay.percent) },
      } : undefined,
      abort: f.abort ? { httpStatus: f.abort.httpStatus, grpcStatus: f.abort.grpcStatus, percentage: { value: validateFinePercent(this, `${at}.abort.percent`, f.abort.percent) } } : undefined,
    };
  }

  private renderMirror(at: string, m: MirrorOptions): Pick<VirtualServiceSpecHttp, 'mirror' | 'mirrorPercentage'> {
    const { destination } = this.renderDestination(at, m.to, m.port);
    return { mirror: destination, mirrorPercentage: { value: validateFinePercent(this, `${at}.percent`, m.percent ?? 100) } };
  }

  private renderMirrors(at: string, mirrors: MirrorOptions[]): VirtualServiceSpecHttpMirrors[] {
    if (!Array.isArray(mirrors) || mirrors.length === 0) fail(this, at, mirrors, 'List at least one mirror, or leave mirrors out.');
    return mirrors.map((m, i) => ({
      destination: this.renderDestination(`${at}[${i}]`, m.to, m.port).destination,
      percentage: { value: validatePercent(this, `${at}[${i}].percent`, m.percent ?? 100) },
    }));
  }

  private renderCors(at: string, c: CorsOptions): VirtualServiceSpecHttpCorsPolicy {
    if (!c.allowOrigins?.length) fail(this, `${at}.allowOrigins`, c.allowOrigins, 'List at least one allowed origin, for example StringMatch.exact("https://shop.example.com").');
    if (c.unmatchedPreflights !== undefined && !Object.values(UnmatchedPreflights).includes(c.unmatchedPreflights)) {
      fail(this, `${at}.unmatchedPreflights`, c.unmatchedPreflights, 'Use UnmatchedPreflights.FORWARD or UnmatchedPreflights.IGNORE.');
    }
    return {
      allowOrigins: c.allowOrigins.map((o) => o._json),
      allowMethods: c.allowMethods,
      allowHeaders: c.allowHeaders?.map((h, i) => validateHeaderName(this, `${at}.allowHeaders[${i}]`, h)),
      exposeHeaders: c.exposeHeaders?.map((h, i) => validateHeaderName(this, `${at}.exposeHeaders[${i}]`, h)),
      // Access-Control-Max-Age is in whole seconds.
      maxAge: c.maxAge ? `${validateWholeSeconds(this, `${at}.maxAge`, c.maxAge)}s` : undefined,
      allowCredentials: c.allowCredentials,
      unmatchedPreflights: c.unmatchedPreflights as string as VirtualServiceSpecHttpCorsPolicyUnmatchedPreflights | undefined,
    };
  }

  private validateHosts(): string[] {
    const errors: string[] = [];
    const hosts = this.hosts;
    if (hosts.length === 0) {
      errors.push(describeProblem(this, 'hosts', [], 'A mesh route without destinations has no default host: list the hosts (the services whose callers it applies to).'));
    }
    // A mesh VirtualService applies to the calls to each of its hosts. Its default host is its
    // destination service (the versions of one service: a canary, a split between subsets). Routes
    // to several services (a split between two services, a route per service) have no default:
    // listing them all would route the calls to each by this route (calls to the second service
    // split back to the first), and choosing one would be a guess. The user names them.
    if (!this.explicitHosts && this._gateways.length === 0 && hosts.length > 1) {
      errors.push(describeProblem(this, 'hosts', hosts,
        `Left out, the hosts of a mesh route are its destinations', here several services; a mesh route applies to every call to each host it lists, so calls to ${hosts.slice(1).join(', ')} would be routed by this route too: list the hosts whose callers it applies to, for example hosts: ["${hosts[0]}"].`));
    }
    // Istio's webhook (ValidateVirtualService): no two hosts of one VirtualService may overlap.
    hosts.forEach((host, i) => {
      const j = hosts.findIndex((other, k) => k < i && hostsMatch(other, host));
      if (j >= 0) {
        errors.push(describeProblem(this, `hosts[${i}]`, host,
          `It overlaps hosts[${j}] "${hosts[j]}", and Istio refuses a VirtualService whose hosts overlap: keep the wider host only, or put the narrower one in a route of its own.`));
      }
    });
    if (this._gateways.length) {
      const served = this._gateways.flatMap((g) => [...g.hosts]);
      hosts.forEach((host, i) => {
        // With the mesh, a host no gateway serves is a host of the sidecars only.
        if (!this.mesh && !served.some((s) => hostCoveredBy(host, s))) {
          errors.push(describeProblem(this, `hosts[${i}]`, host,
            `No bound gateway serves it (they serve ${served.join(', ')}), so its requests would get 404: add the host to a gateway (gateway.addHost) or bind a gateway that serves it.`));
        }
      });
    }
    if (this.mesh) {
      hosts.forEach((host, i) => {
        if (host === '*') errors.push(describeProblem(this, `hosts[${i}]`, host, 'Istio rejects the host "*" on a route bound to the mesh: name the hosts.'));
      });
    }
    this.tls.forEach((route, i) => route.match.forEach((m, j) => m.sniHosts.forEach((sni, k) => {
      if (!hosts.some((h) => hostCoveredBy(sni, h))) {
        errors.push(describeProblem(this, `tlsRoutes[${i}].match[${j}].sniHosts[${k}]`, sni, `Istio requires each SNI host to be one of the VirtualService's hosts (${hosts.join(', ')}): add it to hosts or fix it.`));
      }
    })));
    if (this.http.length + this.tcp.length + this.tls.length === 0) {
      errors.push(describeProblem(this, 'routes', [], 'A VirtualService needs at least one route: pass routes (or tcpRoutes, tlsRoutes) or call addRoute().'));
    }
    return errors;
  }
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

/**
 * Renders header operations; on requests (`request`), `set`/`add` of `:authority` or `host` is
 * accepted as Istio does (it becomes the route's host rewrite).
 */
function renderHeaderOps(scope: Construct, at: string, ops?: HeaderOperations, request = false): VirtualServiceSpecHttpHeadersRequest | undefined {
  if (!ops) return undefined;
  const values = (field: 'set' | 'add', rec?: Record<string, string>) => {
    if (rec === undefined) return undefined;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) fail(scope, `${at}.${field}`, rec, 'Give an object of header names to values, for example { "x-env": "prod" }.');
    for (const [k, v] of Object.entries(rec)) {
      validateModifiableHeader(scope, `${at}.${field} key`, k, request);
      validateHeaderValue(scope, `${at}.${field}["${k}"]`, v);
    }
    return rec;
  };
  if (ops.remove !== undefined && !Array.isArray(ops.remove)) fail(scope, `${at}.remove`, ops.remove, 'Give a list of header names, for example ["x-debug"].');
  ops.remove?.forEach((h, i) => validateModifiableHeader(scope, `${at}.remove[${i}]`, h));
  return { set: values('set', ops.set), add: values('add', ops.add), remove: ops.remove };
}

/** The namespace of the first destination given in the props (mesh routes live by their service). */
function firstDestinationNamespace(props: AppRouteProps): string | undefined {
  const traffic = [...(props.routes ?? []).map((r) => r?.to), ...(props.tcpRoutes ?? []).map((r) => r?.to), ...(props.tlsRoutes ?? []).map((r) => r?.to)];
  for (const t of traffic) {
    const ns = t instanceof Traffic ? t.targets[0]?.to?.routableService?.namespace : undefined;
    if (ns) return ns;
  }
  return undefined;
}

/**
 * A destination without its weight (a route of one destination): written out rather than as
 * `{ ...d, weight: undefined }`, which on Node 20 gives every such object a hidden class of its own
 * (each route a few hundred bytes more, and slower to render). `d` has no other field (see renderDestination).
 */
function unweighted(d: VirtualServiceSpecHttpRoute): VirtualServiceSpecHttpRoute {
  return { destination: d.destination, weight: undefined };
}
