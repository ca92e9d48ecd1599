import { Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  EnvoyFilter, EnvoyFilterSpecConfigPatches, EnvoyFilterSpecConfigPatchesApplyTo as ApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext as Context, EnvoyFilterSpecConfigPatchesPatchOperation as Operation,
} from '../imports/istio-networking.istio.io';
import { describeProblem, fail } from './private/errors';
import { ActionChain, RateLimitDescriptor } from './rate-limit-descriptor';
import { RateLimitService } from './rate-limit-service';
import { istioDuration } from './private/duration';
import { validateDnsLabel, validateDnsSubdomain, validateDuration, validatePort, validatePositiveInteger } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/**
 * One entry of a rate-limit descriptor: what part of a request the global rate-limit service
 * counts by.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-ratelimit-action
 */
export class RateLimitAction {
  /** The client's address (`remote_address`), as seen by the gateway. */
  public static remoteAddress(): RateLimitAction {
    return new RateLimitAction({ remote_address: {} });
  }

  /** The value of a request header, under `descriptorKey`. */
  public static requestHeader(headerName: string, descriptorKey: string): RateLimitAction {
    checkArgs('RateLimitAction.requestHeader', 'headerName', headerName, req('s'));
    checkArgs('RateLimitAction.requestHeader', 'descriptorKey', descriptorKey, req('s'));
    if (!headerName || !descriptorKey) fail('RateLimitAction.requestHeader', 'headerName/descriptorKey', { headerName, descriptorKey }, 'Give a header name and a descriptor key, for example (":path", "PATH").');
    return new RateLimitAction({ request_headers: { header_name: headerName, descriptor_key: descriptorKey } });
  }

  /** The request path (`:path` header) under the key "PATH", as in Istio's rate-limit task. */
  public static path(): RateLimitAction {
    return RateLimitAction.requestHeader(':path', 'PATH');
  }

  /** A constant entry, for example to count all requests of a route under one key. */
  public static genericKey(value: string, descriptorKey?: string): RateLimitAction {
    checkArgs('RateLimitAction.genericKey', 'value', value, req('s'));
    checkArgs('RateLimitAction.genericKey', 'descriptorKey', descriptorKey, 's');
    if (!value) fail('RateLimitAction.genericKey', 'value', value, 'Give a non-empty descriptor value.');
    return new RateLimitAction({ generic_key: { descriptor_value: value, descriptor_key: descriptorKey } });
  }

  private constructor(/** The Envoy action, as Envoy's JSON. */ public readonly envoyAction: Record<string, unknown>) {}
}

/** Options of the local (in-proxy, per-pod token bucket) rate limit. */
export interface LocalRateLimitOptions {
  /**
   * The bucket's size: the largest burst a gateway pod lets through.
   */
  readonly maxTokens: number;
  /**
   * Tokens added every `fillInterval`.
   * @default - maxTokens
   */
  readonly tokensPerFill?: number;
  /**
   * How often the bucket is refilled.
   * @default Duration.seconds(1)
   */
  readonly fillInterval?: Duration;
  /**
   * A header added to the 429 responses of limited requests.
   * @default { name: 'x-local-rate-limit', value: 'true' }
   */
  readonly responseHeader?: { readonly name: string; readonly value: string };
  /**
   * The EnvoyFilter's name.
   * @default - "<gateway workload>-local-ratelimit"
   */
  readonly name?: string;
  /**
   * The EnvoyFilter's priority (lower applies first).
   * @default 10
   */
  readonly priority?: number;
}

/**
 * Options of the global rate limit, enforced by Envoy's rate-limit service (envoyproxy/ratelimit).
 * Give `service` (a {@link RateLimitService} of this app) and the limits: the filter's domain,
 * cluster, timeout and failure mode then come from the service, and the limits go into its
 * configuration. Without `service`, give `domain` and `serviceHost` of a service outside the app.
 */
export interface GlobalRateLimitOptions {
  /**
   * The rate-limit service of this app: domain, cluster, timeout and failure mode come from it, and
   * the limits are added to its configuration.
   * @default - a service outside the app: give domain and serviceHost
   */
  readonly service?: RateLimitService;
  /**
   * Limits on every request of the gateway's hosts (a VIRTUAL_HOST patch): each descriptor, with its
   * nested descriptors, becomes the action chains Envoy sends and the entries of the configuration.
   * @default - none
   */
  readonly limits?: RateLimitDescriptor[];
  /**
   * Limits on the requests of one route, by the `name` of an HTTP route of an `AppRoute` bound to
   * this gateway (one HTTP_ROUTE patch matched by route name for every HTTP route it renders: a
   * canary's header override `<name>-canary-override` is limited with the route, in the same
   * counter). In the configuration they are nested under a `route` generic key with the route's
   * name, so they count apart from the gateway's limits, which still apply to the route. A name
   * that no route bound to the gateway has is an error at synth.
   * @default - none
   */
  readonly routeLimits?: Readonly<Record<string, RateLimitDescriptor[]>>;
  /**
   * The rate-limit domain of a service outside the app.
   * @default - the service's domain
   */
  readonly domain?: string;
  /**
   * The fully qualified host name of a rate-limit service outside the app (a Kubernetes Service in the mesh).
   * @example 'ratelimit.ratelimit.svc.cluster.local'
   * @default - the service's host
   */
  readonly serviceHost?: string;
  /**
   * The gRPC port of a rate-limit service outside the app.
   * @default 8081
   */
  readonly servicePort?: number;
  /**
   * Deny requests when a service outside the app cannot be reached.
   * @default - the service's failureModeDeny; false for a service outside the app
   */
  readonly failureModeDeny?: boolean;
  /**
   * How long the gateway waits for the answer of a service outside the app.
   * @default - the service's timeout; Duration.millis(100) for a service outside the app
   */
  readonly timeout?: Duration;
  /**
   * Untyped descriptors for a service outside the app whose configuration is kept elsewhere: each is
   * a list of actions.
   * @default - one descriptor, the request path ("PATH"), when neither limits nor routeLimits are given
   */
  readonly descriptors?: RateLimitAction[][];
  /**
   * The EnvoyFilter's name.
   * @default - "<gateway workload>-ratelimit"
   */
  readonly name?: string;
  /**
   * The EnvoyFilter's priority (lower applies first).
   * @default 20
   */
  readonly priority?: number;
}

/** What a rate limit needs to know of the gateway it protects. */
export interface RateLimitTarget {
  /** Namespace of the gateway workload (EnvoyFilters apply to workloads of their own namespace). */
  readonly namespace: string;
  /** Labels of the gateway pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Base of default names (the workload's name). */
  readonly baseName: string;
  /** The Gateway resource, as "namespace/name". */
  readonly gateway: string;
  /**
   * Whether the gateway sees clients' addresses (externalTrafficPolicy Local, trusted proxy hops,
   * or pods the app does not deploy).
   * @default true
   */
  readonly clientAddressKnown?: boolean;
  /**
   * The HTTP routes bound to the gateway, read at synth (routes may be added after the rate limit):
   * each route's name as given to its AppRoute, with the names of every HTTP route it renders
   * (its own, then a canary's header override).
   */
  readonly httpRoutes: () => ReadonlyMap<string, readonly string[]>;
  /**
   * Where the gateway's route patches must match, read at synth: `{ gateway }` for the route
   * configurations of its TLS servers (Istio names them after the Gateway), `{ portNumber }` for each
   * plain-HTTP server that routes. Istio names a gateway's plain-HTTP route configuration
   * `http.<port>`, without the Gateway (pilot's ParseGatewayRDSRouteName), so a patch that matches
   * by `gateway` never reaches it.
   * @default - `[{ gateway }]`: the gateway's servers are not known (an imported gateway)
   */
  readonly routeConfigurations?: () => ReadonlyArray<{ readonly gateway: string } | { readonly portNumber: number }>;
}

/** Where a gateway's route patches apply (see {@link RateLimitTarget.routeConfigurations}). */
function routeConfigurations(target: RateLimitTarget): ReadonlyArray<{ readonly gateway: string } | { readonly portNumber: number }> {
  return target.routeConfigurations?.() ?? [{ gateway: target.gateway }];
}

/** Annotation of an EnvoyFilter whose rate-limit service is outside the output (the analysis skips its cluster). */
export const EXTERNAL_RATE_LIMIT_SERVICE_ANNOTATION = 'ratelimit.istio-aks-edge.io/external-service';

const HCM = 'envoy.filters.network.http_connection_manager';
const ROUTER = 'envoy.filters.http.router';

/**
 * Rate limiting at the ingress gateway, rendered as EnvoyFilters (`networking.istio.io/v1alpha3`)
 * that insert Envoy's filter before the router in the gateway's HTTP connection manager.
 * @see https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/
 */
export abstract class RateLimit {
  /** A token bucket in each gateway pod (`envoy.filters.http.local_ratelimit`); excess requests get 429. */
  public static local(options: LocalRateLimitOptions): RateLimit {
    checkArgs('RateLimit.local', 'options', options, req(SHAPES.LocalRateLimitOptions));
    return new LocalRateLimit(options);
  }

  /**
   * Limits enforced by a global rate-limit service (`envoy.filters.http.ratelimit`), shared by all
   * gateway pods, plus the virtual-host `rate_limits` actions without which nothing is limited.
   */
  public static global(options: GlobalRateLimitOptions): RateLimit {
    checkArgs('RateLimit.global', 'options', options, req(SHAPES.GlobalRateLimitOptions));
    return new GlobalRateLimit(options);
  }

  /**
   * Checks the numbers and creates the EnvoyFilter.
   * @internal
   */
  public abstract _create(scope: Construct, id: string, property: string, target: RateLimitTarget): EnvoyFilter;
}

class LocalRateLimit extends RateLimit {
  public constructor(private readonly options: LocalRateLimitOptions) {
    super();
  }

  public _create(scope: Construct, id: string, property: string, target: RateLimitTarget): EnvoyFilter {
    return createLocal(scope, id, property, target, this.options);
  }
}

class GlobalRateLimit extends RateLimit {
  public constructor(private readonly options: GlobalRateLimitOptions) {
    super();
  }

  public _create(scope: Construct, id: string, property: string, target: RateLimitTarget): EnvoyFilter {
    return createGlobal(scope, id, property, target, this.options);
  }
}

/** Refuses a second EnvoyFilter of the same name on the gateway (the later would replace the earlier). */
function uniqueFilterName(scope: IConstruct, property: string, name: string): string {
  if (scope.node.children.some((c) => c instanceof EnvoyFilter && c.name === name)) {
    fail(scope, property, name, 'Another rate limit of this gateway already has this EnvoyFilter name, and the later would replace the earlier: give each its own name.');
  }
  return name;
}

function priority(scope: IConstruct, property: string, value: number): number {
  if (!Number.isInteger(value)) fail(scope, `${property}.priority`, value, 'Use an integer (lower values apply first).');
  return value;
}

function beforeRouter(value: Record<string, unknown>): EnvoyFilterSpecConfigPatches {
  return {
    applyTo: ApplyTo.HTTP_UNDERSCORE_FILTER,
    match: {
      context: Context.GATEWAY,
      listener: { filterChain: { filter: { name: HCM, subFilter: { name: ROUTER } } } },
    },
    patch: { operation: Operation.INSERT_UNDERSCORE_BEFORE, value },
  };
}

function createLocal(scope: Construct, id: string, property: string, target: RateLimitTarget, o: LocalRateLimitOptions): EnvoyFilter {
  // Envoy's token bucket counts in uint32.
  const maxTokens = validatePositiveInteger(scope, `${property}.maxTokens`, o.maxTokens, 2 ** 32 - 1);
  const tokensPerFill = validatePositiveInteger(scope, `${property}.tokensPerFill`, o.tokensPerFill ?? maxTokens, 2 ** 32 - 1);
  const fillInterval = o.fillInterval ?? Duration.seconds(1);
  validateDuration(scope, `${property}.fillInterval`, fillInterval);
  if (fillInterval.toMilliseconds() < 50) fail(scope, `${property}.fillInterval`, fillInterval, 'Envoy requires a fill interval of at least 50ms.');
  const header = o.responseHeader ?? { name: 'x-local-rate-limit', value: 'true' };
  if (!/^[A-Za-z0-9-]+$/.test(header.name)) fail(scope, `${property}.responseHeader.name`, header.name, 'Use an HTTP header name (letters, digits and "-").');
  const name = uniqueFilterName(scope, `${property}.name`, validateDnsSubdomain(scope, `${property}.name`, o.name ?? `${target.baseName}-local-ratelimit`));
  const percent100 = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });
  return new EnvoyFilter(scope, id, {
    metadata: { name, namespace: target.namespace },
    spec: {
      workloadSelector: { labels: { ...target.selector } },
      priority: priority(scope, property, o.priority ?? 10),
      configPatches: [beforeRouter({
        name: 'envoy.filters.http.local_ratelimit',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
          stat_prefix: 'http_local_rate_limiter',
          token_bucket: { max_tokens: maxTokens, tokens_per_fill: tokensPerFill, fill_interval: istioDuration(fillInterval) },
          filter_enabled: percent100('local_rate_limit_enabled'),
          filter_enforced: percent100('local_rate_limit_enforced'),
          status: { code: 'TooManyRequests' },
          response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: header.name, value: header.value } }],
        },
      })],
    },
  });
}

/** The route generic key that separates a route's limits from the gateway's in the configuration. */
const ROUTE_KEY = 'route';

function chainsOf(scope: Construct, property: string, limits: readonly RateLimitDescriptor[] | undefined, prefix: RateLimitDescriptor[] = []): ActionChain[] {
  if (limits === undefined) return [];
  if (!Array.isArray(limits)) fail(scope, property, limits, 'Give a list of RateLimitDescriptor, for example [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)].');
  return limits.flatMap((d, i) => {
    if (!(d instanceof RateLimitDescriptor)) fail(scope, `${property}[${i}]`, d, 'Use RateLimitDescriptor.remoteAddress(), .requestHeader(...), .path() or .genericKey(...) with .limit(...).');
    return d._chains(scope, `${property}[${i}]`, prefix);
  });
}

function createGlobal(scope: Construct, id: string, property: string, target: RateLimitTarget, o: GlobalRateLimitOptions): EnvoyFilter {
  const service = o.service;
  if (service !== undefined && !(service instanceof RateLimitService)) fail(scope, `${property}.service`, service, 'Pass a RateLimitService of this app, or leave service out and give domain and serviceHost.');
  if (service) {
    for (const key of ['domain', 'serviceHost', 'servicePort', 'failureModeDeny', 'timeout', 'descriptors'] as const) {
      if (o[key] !== undefined) fail(scope, `${property}.${key}`, o[key], `With service, ${key === 'descriptors' ? 'the actions come from limits and routeLimits' : `the ${key} comes from the RateLimitService`}: remove ${key}.`);
    }
  }
  const domain = service?.domain ?? o.domain;
  if (!domain || !/^[A-Za-z0-9_.-]+$/.test(domain)) fail(scope, `${property}.domain`, domain, 'Give service (a RateLimitService), or the domain of the rate-limit service configuration, for example "istio-ingress".');
  const host = service?.host ?? validateHost(scope, `${property}.serviceHost`, o.serviceHost ?? '', false);
  if (host.startsWith('*.')) fail(scope, `${property}.serviceHost`, host, 'Use the exact host of the rate-limit Service, for example "ratelimit.ratelimit.svc.cluster.local".');
  const port = service?.port ?? validatePort(scope, `${property}.servicePort`, o.servicePort ?? 8081);
  const timeout = service?.timeout ?? validateDuration(scope, `${property}.timeout`, o.timeout ?? Duration.millis(100));
  const failureModeDeny = service?.failureModeDeny ?? o.failureModeDeny ?? false;

  // The typed limits: the gateway's, and each route's under its route key.
  const gatewayChains = chainsOf(scope, `${property}.limits`, o.limits);
  const routes = Object.entries(o.routeLimits ?? {}).map(([route, limits]) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(route)) fail(scope, `${property}.routeLimits`, route, 'Use the name of an HTTP route of a VirtualService bound to this gateway (http[].name).');
    const chains = chainsOf(scope, `${property}.routeLimits.${route}`, limits, [RateLimitDescriptor.genericKey(route, ROUTE_KEY)]);
    if (chains.length === 0) fail(scope, `${property}.routeLimits.${route}`, limits, 'Give at least one descriptor with a limit, or remove the route.');
    return { route, chains };
  });
  const typed = o.limits !== undefined || o.routeLimits !== undefined;
  if (typed && o.descriptors !== undefined) fail(scope, `${property}.descriptors`, o.descriptors.length, 'Use either typed limits (limits, routeLimits) or untyped descriptors, not both.');
  if (service && !typed) fail(scope, `${property}.limits`, undefined, 'Give the limits the service enforces, for example limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)].');
  if (typed && gatewayChains.length === 0 && routes.length === 0) fail(scope, `${property}.limits`, 0, 'Give at least one descriptor with a limit.');

  const untyped = typed ? [] : (o.descriptors ?? [[RateLimitAction.path()]]);
  if (!typed && (untyped.length === 0 || untyped.some((d) => d.length === 0))) {
    fail(scope, `${property}.descriptors`, untyped.map((d) => d.length), 'Give at least one descriptor, each with at least one RateLimitAction.');
  }

  // A per-client limit needs the client's address.
  const remote = [
    ...gatewayChains.map((c, i) => ({ uses: c.usesRemoteAddress, where: `${property}.limits (chain ${i})` })),
    ...routes.flatMap((r) => r.chains.map((c, i) => ({ uses: c.usesRemoteAddress, where: `${property}.routeLimits.${r.route} (chain ${i})` }))),
    ...untyped.map((d, i) => ({ uses: d.some((a) => 'remote_address' in a.envoyAction), where: `${property}.descriptors[${i}]` })),
  ].find((r) => r.uses);
  if (remote && target.clientAddressKnown === false) {
    fail(scope, remote.where, 'remote_address with externalTrafficPolicy Cluster',
      'Behind the Azure load balancer with externalTrafficPolicy Cluster the gateway sees a node\'s address, so a per-client limit would count per node: set azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL } on the gateway (see the README for its health-probe consequences), or numTrustedProxies when a proxy in front of the gateway adds X-Forwarded-For.');
  }

  if (service) {
    service._register(`${target.gateway}:${property}`, [
      ...(o.limits ?? []).map((d) => d._config()),
      ...routes.map((r) => RateLimitDescriptor.genericKey(r.route, ROUTE_KEY).nest(...(o.routeLimits?.[r.route] ?? []))._config()),
    ]);
  }

  const name = uniqueFilterName(scope, `${property}.name`, validateDnsSubdomain(scope, `${property}.name`, o.name ?? `${target.baseName}-ratelimit`));
  validateDnsLabel(scope, `${property}.serviceHost`, host.split('.')[0]);
  const vhostLimits = typed ? gatewayChains.map((c) => ({ actions: c.actions })) : untyped.map((actions) => ({ actions: actions.map((a) => a.envoyAction) }));
  const patches: EnvoyFilterSpecConfigPatches[] = [
    beforeRouter({
      name: 'envoy.filters.http.ratelimit',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
        domain,
        failure_mode_deny: failureModeDeny,
        timeout: istioDuration(timeout),
        rate_limit_service: {
          grpc_service: { envoy_grpc: { cluster_name: `outbound|${port}||${host}`, authority: host } },
          transport_api_version: 'V3',
        },
      },
    }),
  ];
  // The filter only asks the service about requests whose route or virtual host carries
  // rate_limits actions: add them to every virtual host of this gateway (read at synth, with the
  // servers the gateway has then).
  const vhostPatches = (): EnvoyFilterSpecConfigPatches[] => (vhostLimits.length ? routeConfigurations(target).map((routeConfiguration) => ({
    applyTo: ApplyTo.VIRTUAL_UNDERSCORE_HOST,
    match: { context: Context.GATEWAY, routeConfiguration },
    patch: { operation: Operation.MERGE, value: { rate_limits: vhostLimits } },
  })) : []);
  // The routes' patches are rendered at synth: the routes they name may be added after this limit.
  const routePatches = (): EnvoyFilterSpecConfigPatches[] => {
    const bound = target.httpRoutes();
    return routeConfigurations(target).flatMap((configuration) => routes.flatMap((r) => (bound.get(r.route) ?? []).map((envoyRoute): EnvoyFilterSpecConfigPatches => ({
      // Routes of a VirtualService carry its http[].name as their Envoy route name; every route the
      // logical route renders gets the same actions, so they all count under its route key.
      applyTo: ApplyTo.HTTP_UNDERSCORE_ROUTE,
      match: { context: Context.GATEWAY, routeConfiguration: { ...configuration, vhost: { route: { name: envoyRoute } } } },
      patch: {
        operation: Operation.MERGE,
        value: {
          route: {
            rate_limits: r.chains.map((c) => ({ actions: c.actions })),
            // A route with its own rate_limits skips the virtual host's unless told to include them.
            ...(vhostLimits.length ? { include_vh_rate_limits: true } : {}),
          },
        },
      },
    }))));
  };
  if (routes.length) {
    scope.node.addValidation({
      validate: () => {
        const bound = target.httpRoutes();
        const known = [...bound.keys()];
        return routes.filter((r) => !bound.has(r.route)).map((r) => describeProblem(scope, `${property}.routeLimits`, r.route,
          known.length
            ? `No HTTP route of an AppRoute bound to gateway ${target.gateway} is named "${r.route}" (its routes are ${known.join(', ')}), so the limit would apply to nothing: use one of those names, or add the route to an AppRoute of the gateway.`
            : `No AppRoute of this app is bound to gateway ${target.gateway}, so no route is named "${r.route}" and the limit would apply to nothing: add the route (gateway.addRoute(id, { routes: [{ name: "${r.route}", ... }] })), or remove the key.`));
      },
    });
  }
  return new EnvoyFilter(scope, id, {
    metadata: {
      name,
      namespace: target.namespace,
      annotations: service ? undefined : { [EXTERNAL_RATE_LIMIT_SERVICE_ANNOTATION]: 'true' },
    },
    spec: {
      workloadSelector: { labels: { ...target.selector } },
      priority: priority(scope, property, o.priority ?? 20),
      configPatches: Lazy.any({ produce: () => [...patches, ...vhostPatches(), ...routePatches()] }) as EnvoyFilterSpecConfigPatches[],
    },
  });
}
