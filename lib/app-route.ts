import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  VirtualService, VirtualServiceSpec, VirtualServiceSpecHttp, VirtualServiceSpecHttpCorsPolicy, VirtualServiceSpecHttpFault,
  VirtualServiceSpecHttpHeadersRequest, VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpRedirect, VirtualServiceSpecHttpRetries,
  VirtualServiceSpecHttpRewrite, VirtualServiceSpecHttpRoute, VirtualServiceSpecHttpRouteDestination,
} from '../imports/istio-networking.istio.io';
import { IRoutableService, IRouteTarget, serviceHost } from './service-reference';
import { describeProblem, fail } from './errors';
import { istioDuration } from './private/duration';
import { validateDnsLabel, validateDnsSubdomain, validateDuration, validateHost, validateId, validatePort, validateWholeSeconds } from './private/validate';
import { INT32_MAX, validateFinePercent, validateHeaderName, validateHeaderValue, validateModifiableHeader, validateRetryOn } from './private/http';
import type { IIngressGateway } from './ingress-gateway';
import { hostCoveredBy } from './private/hosts';
import { HttpMethod, PathMatch, StringMatch } from './match';
import { Traffic, WeightedTarget } from './route-traffic';

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
   * Request headers (names in lower case).
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
}

/** Rewrites applied before forwarding. */
export interface RewriteOptions {
  /**
   * Replaces the matched path prefix (or the whole path for exact and regex matches).
   * @default - path unchanged
   */
  readonly uri?: string;
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
}

/** Failures injected for testing resilience. */
export interface FaultOptions {
  /**
   * Delay a share of the requests.
   * @default - no delay
   */
  readonly delay?: { readonly fixedDelay: Duration; readonly percent: number };
  /**
   * Fail a share of the requests with an HTTP status.
   * @default - no abort
   */
  readonly abort?: { readonly httpStatus: number; readonly percent: number };
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

/** Options of an {@link AppRoute} created from a gateway (`gateway.addRoute`). */
export interface AppRouteOptions {
  /**
   * The VirtualService's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The VirtualService's namespace.
   * @default - the namespace of the first gateway
   */
  readonly namespace?: string;
  /**
   * The hosts this route set applies to; each must be served by a bound gateway.
   * @default - every host of the bound gateways
   */
  readonly hosts?: string[];
  /**
   * The HTTP routes, in order; more can be added with `addRoute`.
   * @default - none yet
   */
  readonly routes?: HttpRouteOptions[];
}

/** Props of {@link AppRoute}. */
export interface AppRouteProps extends AppRouteOptions {
  /** The gateways whose traffic the routes apply to. */
  readonly gateways: IIngressGateway[];
}

const REDIRECT_CODES = [301, 302, 303, 307, 308];

/**
 * A VirtualService bound to one or more gateways: ordered HTTP routes whose gateways, hosts,
 * destination hosts, subsets and ports all derive from the objects they reference.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class AppRoute extends Construct {
  /** The VirtualService's name. */
  public readonly routeName: string;
  /** The VirtualService's namespace. */
  public readonly namespace: string;
  /** The VirtualService. */
  public readonly virtualService: VirtualService;
  private readonly gateways: IIngressGateway[];
  private readonly explicitHosts?: string[];
  private readonly http: VirtualServiceSpecHttp[] = [];
  private readonly routeNames = new Set<string>();
  private routeCount = 0;
  private readonly dependedOn = new Set<unknown>();

  public constructor(scope: Construct, id: string, props: AppRouteProps) {
    super(scope, validateId(scope, id));
    if (!props.gateways || props.gateways.length === 0) fail(this, 'gateways', props.gateways, 'Bind the route to at least one IngressGateway.');
    this.gateways = [...props.gateways];
    this.routeName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? this.gateways[0].namespace);
    if (props.hosts) {
      if (props.hosts.length === 0) fail(this, 'hosts', [], 'List at least one host, or leave hosts out to use the gateways\' hosts.');
      props.hosts.forEach((h, i) => validateHost(this, `hosts[${i}]`, h));
      this.explicitHosts = [...props.hosts];
    }
    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: { name: this.routeName, namespace: this.namespace },
      spec: Lazy.any({
        produce: (): VirtualServiceSpec => ({
          hosts: this.hosts,
          gateways: this.gateways.map((g) => `${g.namespace}/${g.gatewayName}`),
          http: this.http,
        }),
      }) as VirtualServiceSpec,
    });
    for (const r of props.routes ?? []) this.addRoute(r);
    this.node.addValidation({ validate: () => this.validateHosts() });
  }

  /** The hosts the VirtualService applies to. */
  public get hosts(): string[] {
    if (this.explicitHosts) return [...this.explicitHosts];
    const all: string[] = [];
    for (const g of this.gateways) for (const h of g.hosts) if (!all.includes(h)) all.push(h);
    return all;
  }

  /** Appends an HTTP route (routes are matched in order). */
  public addRoute(route: HttpRouteOptions): void {
    const at = `routes[${this.routeCount}]`;
    if (route === null || typeof route !== 'object') fail(this, at, route, 'Give a route: { name, match?, to | redirect, ... }.');
    const name = route.name;
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      fail(this, `${at}.name`, name, 'Give each route a name of lower-case letters, digits and "-", for example "api".');
    }
    if (this.routeNames.has(name)) fail(this, `${at}.name`, name, `Route names must be unique within the VirtualService: "${name}" is already used; rename one.`);
    if ((route.to === undefined) === (route.redirect === undefined)) {
      fail(this, `${at}.to`, route.to === undefined ? undefined : '(set, with redirect)', 'Give a route exactly one of `to` (forward) and `redirect`.');
    }
    if (route.redirect && route.rewrite) fail(this, `${at}.rewrite`, route.rewrite, 'A redirect cannot be combined with a rewrite: put the new path in redirect.uri.');
    if (route.redirect && route.mirror) fail(this, `${at}.mirror`, '(set)', 'A redirect forwards nothing to mirror: remove mirror.');

    const match = route.match?.map((m, i) => this.renderMatch(`${at}.match[${i}]`, m));
    // Everything but name, match and route: shared by a canary's override and its split.
    const common: Omit<VirtualServiceSpecHttp, 'name' | 'match' | 'route'> = {
      rewrite: route.rewrite ? this.renderRewrite(`${at}.rewrite`, route.rewrite) : undefined,
      redirect: route.redirect ? this.renderRedirect(`${at}.redirect`, route.redirect) : undefined,
      retries: route.retries ? this.renderRetries(`${at}.retries`, route.retries) : undefined,
      timeout: route.timeout ? istioDuration(validateDuration(this, `${at}.timeout`, route.timeout)) : undefined,
      fault: route.fault ? this.renderFault(`${at}.fault`, route.fault) : undefined,
      ...(route.mirror ? this.renderMirror(`${at}.mirror`, route.mirror) : {}),
      corsPolicy: route.cors ? this.renderCors(`${at}.cors`, route.cors) : undefined,
      headers: route.headers ? {
        request: renderHeaderOps(this, `${at}.headers.request`, route.headers.request),
        response: renderHeaderOps(this, `${at}.headers.response`, route.headers.response),
      } : undefined,
    };

    const entries: VirtualServiceSpecHttp[] = [];
    if (route.to) {
      const traffic = route.to;
      if (!(traffic instanceof Traffic)) fail(this, `${at}.to`, traffic, 'Use Traffic.to(...), Traffic.split([...]) or Traffic.canary(...).');
      traffic._check(this, `${at}.to`);
      const destinations = this.renderDestinations(`${at}.to`, traffic.targets);
      const override = traffic._override();
      if (override) {
        const base: VirtualServiceSpecHttpMatch[] = match ?? [{}];
        entries.push({
          name: `${name}-canary-override`,
          match: base.map((m): VirtualServiceSpecHttpMatch => ({ ...m, headers: { ...m.headers, [override.header.name]: { exact: override.header.value } } })),
          route: [{ ...destinations[override.target], weight: undefined }],
          ...common,
        });
      }
      entries.push({ name, match, route: destinations.length === 1 ? [{ ...destinations[0], weight: undefined }] : destinations, ...common });
      for (const t of traffic.targets) this.dependOn(t.to.routableService);
      if (route.mirror) this.dependOn(route.mirror.to.routableService);
    } else {
      entries.push({ name, match, ...common });
    }
    for (const e of entries) {
      if (this.routeNames.has(e.name ?? '')) fail(this, `${at}.name`, e.name, 'Route names must be unique within the VirtualService: rename one.');
      this.routeNames.add(e.name ?? '');
    }
    this.routeCount++;
    this.http.push(...entries);
  }

  /** Make-before-break: the DestinationRule that defines the subsets is applied before this VirtualService. */
  private dependOn(service: IRoutableService): void {
    if (service.destinationRule && !this.dependedOn.has(service.destinationRule)) {
      this.dependedOn.add(service.destinationRule);
      this.virtualService.addDependency(service.destinationRule);
    }
  }

  private renderDestinations(at: string, targets: readonly WeightedTarget[]): VirtualServiceSpecHttpRoute[] {
    if (targets.length === 0) fail(this, at, [], 'Give at least one destination.');
    let sum = 0;
    const rendered = targets.map((t, i) => {
      if (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > 100) {
        fail(this, `${at}[${i}].weight`, t.weight, 'Use a whole percentage between 0 and 100.');
      }
      sum += t.weight;
      return { ...this.renderDestination(`${at}[${i}]`, t.to, t.port), weight: t.weight };
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
    if (!service) fail(this, at, target, 'Route to a VersionedService, one of its versions (service.version("v1")), or VersionedService.fromServiceAttributes(...).');
    if (target.subset !== undefined && !service.hasSubset(target.subset)) {
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
    if (m.path !== undefined && !(m.path instanceof PathMatch)) fail(this, `${at}.path`, m.path, 'Use PathMatch.prefix(...), PathMatch.exact(...) or PathMatch.regex(...).');
    const strings = (kind: string, rec?: Record<string, StringMatch>) => {
      if (!rec) return undefined;
      return Object.fromEntries(Object.entries(rec).map(([k, v]) => {
        if (!(v instanceof StringMatch)) fail(this, `${at}.${kind}["${k}"]`, v, 'Use StringMatch.exact(...), StringMatch.prefix(...) or StringMatch.regex(...).');
        if (kind === 'headers') validateHeaderName(this, `${at}.headers`, k, true);
        if (kind === 'queryParams' && (k.length === 0 || CONTROL_OR_SPACE.test(k))) fail(this, `${at}.queryParams`, k, 'Use a query parameter name without spaces or control characters.');
        return [k, v._json];
      }));
    };
    const json: VirtualServiceSpecHttpMatch = {
      uri: m.path?._json,
      headers: strings('headers', m.headers),
      queryParams: strings('queryParams', m.queryParams),
      method: m.method ? { exact: m.method } : undefined,
      ignoreUriCase: m.ignoreUriCase,
    };
    if (Object.values(json).every((v) => v === undefined)) fail(this, at, m, 'A match needs at least one condition; leave `match` out to match every request.');
    return json;
  }

  private renderRewrite(at: string, r: RewriteOptions): VirtualServiceSpecHttpRewrite {
    if (typeof r !== 'object') fail(this, at, r, 'Give { uri?, authority? }.');
    if (r.uri === undefined && r.authority === undefined) fail(this, at, r, 'A rewrite changes the path (uri), the host (authority) or both: give one, or remove rewrite.');
    if (r.uri !== undefined && (typeof r.uri !== 'string' || !r.uri.startsWith('/'))) fail(this, `${at}.uri`, r.uri, 'Use a path starting with "/".');
    if (r.authority !== undefined) validateHost(this, `${at}.authority`, r.authority, false);
    return { uri: r.uri, authority: r.authority };
  }

  private renderRedirect(at: string, r: RedirectOptions): VirtualServiceSpecHttpRedirect {
    if (typeof r !== 'object') fail(this, at, r, 'Give { uri?, authority?, scheme?, code? }.');
    const code = r.code ?? 301;
    if (!REDIRECT_CODES.includes(code)) fail(this, `${at}.code`, code, `Use one of ${REDIRECT_CODES.join(', ')}.`);
    if (r.uri !== undefined && (typeof r.uri !== 'string' || !r.uri.startsWith('/'))) fail(this, `${at}.uri`, r.uri, 'Use a path starting with "/".');
    if (r.authority !== undefined) validateHost(this, `${at}.authority`, r.authority, false);
    if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') fail(this, `${at}.scheme`, r.scheme, 'Use "http" or "https".');
    if (r.uri === undefined && r.authority === undefined && r.scheme === undefined) {
      fail(this, at, r, 'A redirect to the same URL loops: give the new path (uri), host (authority) or scheme.');
    }
    return { uri: r.uri, authority: r.authority, scheme: r.scheme, redirectCode: code };
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
    };
  }

  private renderFault(at: string, f: FaultOptions): VirtualServiceSpecHttpFault {
    if (!f.delay && !f.abort) fail(this, at, f, 'Give a delay, an abort, or both.');
    if (f.abort && (!Number.isInteger(f.abort.httpStatus) || f.abort.httpStatus < 200 || f.abort.httpStatus > 599)) {
      fail(this, `${at}.abort.httpStatus`, f.abort.httpStatus, 'Use an HTTP status between 200 and 599.');
    }
    return {
      delay: f.delay ? {
        fixedDelay: istioDuration(validateDuration(this, `${at}.delay.fixedDelay`, f.delay.fixedDelay)),
        percentage: { value: validateFinePercent(this, `${at}.delay.percent`, f.delay.percent) },
      } : undefined,
      abort: f.abort ? { httpStatus: f.abort.httpStatus, percentage: { value: validateFinePercent(this, `${at}.abort.percent`, f.abort.percent) } } : undefined,
    };
  }

  private renderMirror(at: string, m: MirrorOptions): Pick<VirtualServiceSpecHttp, 'mirror' | 'mirrorPercentage'> {
    const { destination } = this.renderDestination(at, m.to, m.port);
    return { mirror: destination, mirrorPercentage: { value: validateFinePercent(this, `${at}.percent`, m.percent ?? 100) } };
  }

  private renderCors(at: string, c: CorsOptions): VirtualServiceSpecHttpCorsPolicy {
    if (!c.allowOrigins?.length) fail(this, `${at}.allowOrigins`, c.allowOrigins, 'List at least one allowed origin, for example StringMatch.exact("https://shop.example.com").');
    return {
      allowOrigins: c.allowOrigins.map((o) => o._json),
      allowMethods: c.allowMethods,
      allowHeaders: c.allowHeaders?.map((h, i) => validateHeaderName(this, `${at}.allowHeaders[${i}]`, h)),
      exposeHeaders: c.exposeHeaders?.map((h, i) => validateHeaderName(this, `${at}.exposeHeaders[${i}]`, h)),
      // Access-Control-Max-Age is in whole seconds.
      maxAge: c.maxAge ? `${validateWholeSeconds(this, `${at}.maxAge`, c.maxAge)}s` : undefined,
      allowCredentials: c.allowCredentials,
    };
  }

  private validateHosts(): string[] {
    const errors: string[] = [];
    const served = this.gateways.flatMap((g) => g.hosts);
    this.hosts.forEach((host, i) => {
      if (!served.some((s) => hostCoveredBy(host, s))) {
        errors.push(describeProblem(this, `hosts[${i}]`, host,
          `No bound gateway serves it (they serve ${served.join(', ')}), so its requests would get 404: add the host to a gateway (gateway.addHost) or bind a gateway that serves it.`));
      }
    });
    if (this.http.length === 0) errors.push(describeProblem(this, 'routes', [], 'A VirtualService needs at least one route: pass routes or call addRoute().'));
    return errors;
  }
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

function renderHeaderOps(scope: Construct, at: string, ops?: HeaderOperations): VirtualServiceSpecHttpHeadersRequest | undefined {
  if (!ops) return undefined;
  const values = (field: 'set' | 'add', rec?: Record<string, string>) => {
    if (rec === undefined) return undefined;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) fail(scope, `${at}.${field}`, rec, 'Give an object of header names to values, for example { "x-env": "prod" }.');
    for (const [k, v] of Object.entries(rec)) {
      validateModifiableHeader(scope, `${at}.${field} key`, k);
      validateHeaderValue(scope, `${at}.${field}["${k}"]`, v);
    }
    return rec;
  };
  if (ops.remove !== undefined && !Array.isArray(ops.remove)) fail(scope, `${at}.remove`, ops.remove, 'Give a list of header names, for example ["x-debug"].');
  ops.remove?.forEach((h, i) => validateModifiableHeader(scope, `${at}.remove[${i}]`, h));
  return { set: values('set', ops.set), add: values('add', ops.add), remove: ops.remove };
}
