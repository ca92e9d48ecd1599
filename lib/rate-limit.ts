import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  EnvoyFilter, EnvoyFilterSpecConfigPatches, EnvoyFilterSpecConfigPatchesApplyTo as ApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext as Context, EnvoyFilterSpecConfigPatchesPatchOperation as Operation,
} from '../imports/istio-networking.istio.io';
import { fail } from './errors';
import { istioDuration } from './private/duration';
import { validateDnsLabel, validateDnsSubdomain, validateDuration, validateHost, validatePort, validatePositiveInteger } from './private/validate';

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
    if (!headerName || !descriptorKey) fail('RateLimitAction.requestHeader', 'headerName/descriptorKey', { headerName, descriptorKey }, 'Give a header name and a descriptor key, for example (":path", "PATH").');
    return new RateLimitAction({ request_headers: { header_name: headerName, descriptor_key: descriptorKey } });
  }

  /** The request path (`:path` header) under the key "PATH", as in Istio's rate-limit task. */
  public static path(): RateLimitAction {
    return RateLimitAction.requestHeader(':path', 'PATH');
  }

  /** A constant entry, for example to count all requests of a route under one key. */
  public static genericKey(value: string, descriptorKey?: string): RateLimitAction {
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

/** Options of the global rate limit, enforced by an external rate-limit service (envoyproxy/ratelimit). */
export interface GlobalRateLimitOptions {
  /**
   * The rate-limit domain: the `domain` of the rate-limit service's configuration.
   */
  readonly domain: string;
  /**
   * The rate-limit service's fully qualified host name (a Kubernetes Service in the mesh).
   * @example 'ratelimit.ratelimit.svc.cluster.local'
   */
  readonly serviceHost: string;
  /**
   * The rate-limit service's gRPC port.
   * @default 8081
   */
  readonly servicePort?: number;
  /**
   * Deny requests when the rate-limit service cannot be reached.
   * @default false - fail open, so an outage of the rate-limit service does not take the edge down
   */
  readonly failureModeDeny?: boolean;
  /**
   * How long the gateway waits for the rate-limit service's answer.
   * @default Duration.millis(100)
   */
  readonly timeout?: Duration;
  /**
   * The descriptors sent for every request of the gateway's hosts: each is a list of actions.
   * @default - one descriptor: the request path ("PATH")
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
}

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
    return new LocalRateLimit(options);
  }

  /**
   * Limits enforced by a global rate-limit service (`envoy.filters.http.ratelimit`), shared by all
   * gateway pods, plus the virtual-host `rate_limits` actions without which nothing is limited.
   */
  public static global(options: GlobalRateLimitOptions): RateLimit {
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

function createGlobal(scope: Construct, id: string, property: string, target: RateLimitTarget, o: GlobalRateLimitOptions): EnvoyFilter {
  if (!o.domain || !/^[A-Za-z0-9_.-]+$/.test(o.domain)) fail(scope, `${property}.domain`, o.domain, 'Use the domain of the rate-limit service configuration, for example "istio-ingress".');
  const host = validateHost(scope, `${property}.serviceHost`, o.serviceHost, false);
  if (host.startsWith('*.')) fail(scope, `${property}.serviceHost`, host, 'Use the exact host of the rate-limit Service, for example "ratelimit.ratelimit.svc.cluster.local".');
  const port = validatePort(scope, `${property}.servicePort`, o.servicePort ?? 8081);
  const timeout = validateDuration(scope, `${property}.timeout`, o.timeout ?? Duration.millis(100));
  const descriptors = o.descriptors ?? [[RateLimitAction.path()]];
  if (descriptors.length === 0 || descriptors.some((d) => d.length === 0)) {
    fail(scope, `${property}.descriptors`, descriptors.map((d) => d.length), 'Give at least one descriptor, each with at least one RateLimitAction.');
  }
  const name = uniqueFilterName(scope, `${property}.name`, validateDnsSubdomain(scope, `${property}.name`, o.name ?? `${target.baseName}-ratelimit`));
  validateDnsLabel(scope, `${property}.serviceHost`, host.split('.')[0]);
  return new EnvoyFilter(scope, id, {
    metadata: { name, namespace: target.namespace },
    spec: {
      workloadSelector: { labels: { ...target.selector } },
      priority: priority(scope, property, o.priority ?? 20),
      configPatches: [
        beforeRouter({
          name: 'envoy.filters.http.ratelimit',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
            domain: o.domain,
            failure_mode_deny: o.failureModeDeny ?? false,
            timeout: istioDuration(timeout),
            rate_limit_service: {
              grpc_service: { envoy_grpc: { cluster_name: `outbound|${port}||${host}`, authority: host } },
              transport_api_version: 'V3',
            },
          },
        }),
        {
          // The filter only asks the service about requests whose route or virtual host carries
          // rate_limits actions: add them to every virtual host of this gateway.
          applyTo: ApplyTo.VIRTUAL_UNDERSCORE_HOST,
          match: { context: Context.GATEWAY, routeConfiguration: { gateway: target.gateway } },
          patch: {
            operation: Operation.MERGE,
            value: { rate_limits: descriptors.map((actions) => ({ actions: actions.map((a) => a.envoyAction) })) },
          },
        },
      ],
    },
  });
}
