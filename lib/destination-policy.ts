import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  DestinationRuleSpecTrafficPolicy, DestinationRuleSpecTrafficPolicyLoadBalancer, DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple as Simple, DestinationRuleSpecTrafficPolicyTls, DestinationRuleSpecTrafficPolicyTlsMode as TlsMode,
} from '../imports/istio-networking.istio.io';
import { fail } from './errors';
import { istioDuration } from './private/duration';
import { validateDuration, validatePositiveInteger } from './private/validate';

/** What a consistent-hash load balancer hashes on. */
export class HashKey {
  /** A request header. */
  public static header(name: string): HashKey {
    return new HashKey({ httpHeaderName: name });
  }

  /** A cookie; with a `ttl`, the gateway creates it when missing. */
  public static cookie(name: string, options: { readonly ttl?: Duration; readonly path?: string } = {}): HashKey {
    return new HashKey({ httpCookie: { name, ttl: options.ttl ? istioDuration(options.ttl) : undefined, path: options.path } });
  }

  /** The client's source IP. */
  public static sourceIp(): HashKey {
    return new HashKey({ useSourceIp: true });
  }

  /** A query parameter. */
  public static queryParameter(name: string): HashKey {
    return new HashKey({ httpQueryParameterName: name });
  }

  private constructor(/** @internal */ public readonly _json: DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash) {}
}

/**
 * The load-balancing algorithm of a destination.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
 */
export class LoadBalancer {
  /** Round robin over healthy endpoints. */
  public static readonly ROUND_ROBIN = new LoadBalancer({ simple: Simple.ROUND_UNDERSCORE_ROBIN });
  /** The endpoint with the fewest outstanding requests (Istio's default). */
  public static readonly LEAST_REQUEST = new LoadBalancer({ simple: Simple.LEAST_UNDERSCORE_REQUEST });
  /** A random endpoint. */
  public static readonly RANDOM = new LoadBalancer({ simple: Simple.RANDOM });

  /** Sticky sessions: requests with the same key go to the same endpoint. */
  public static consistentHash(key: HashKey, options: { readonly minimumRingSize?: number } = {}): LoadBalancer {
    return new LoadBalancer({ consistentHash: { ...key._json, minimumRingSize: options.minimumRingSize } });
  }

  private constructor(/** @internal */ public readonly _json: DestinationRuleSpecTrafficPolicyLoadBalancer) {}
}

/**
 * TLS from the caller's proxy to the destination.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export class ClientTls {
  /** Istio mutual TLS with the mesh's certificates. */
  public static readonly ISTIO_MUTUAL = new ClientTls({ mode: TlsMode.ISTIO_UNDERSCORE_MUTUAL });
  /** Plain text. */
  public static readonly DISABLE = new ClientTls({ mode: TlsMode.DISABLE });

  /**
   * TLS to a destination outside the mesh. Without `caCertificates` or `credentialName`, the
   * server's certificate is checked against the proxy's default CA bundle.
   */
  public static simple(options: { readonly sni?: string; readonly caCertificates?: string; readonly credentialName?: string; readonly subjectAltNames?: string[] } = {}): ClientTls {
    return new ClientTls({ mode: TlsMode.SIMPLE, ...options });
  }

  private constructor(/** @internal */ public readonly _json: DestinationRuleSpecTrafficPolicyTls) {}
}

/** Limits on connections and requests to each endpoint. */
export interface ConnectionPoolOptions {
  /**
   * TCP settings.
   * @default - Istio's defaults
   */
  readonly tcp?: {
    /** The most connections to a destination host. */
    readonly maxConnections?: number;
    /** TCP connect timeout. */
    readonly connectTimeout?: Duration;
  };
  /**
   * HTTP settings.
   * @default - Istio's defaults
   */
  readonly http?: {
    /** The most requests queued while waiting for a connection. */
    readonly http1MaxPendingRequests?: number;
    /** The most concurrent requests to a destination. */
    readonly http2MaxRequests?: number;
    /** The most requests per connection (1 disables keep-alive). */
    readonly maxRequestsPerConnection?: number;
    /** The most outstanding retries to a destination. */
    readonly maxRetries?: number;
    /** Close connections idle this long. */
    readonly idleTimeout?: Duration;
  };
}

/**
 * Ejects endpoints that keep failing from the load-balancing pool.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx responses before ejection.
   * @default 5 (Istio's default)
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502/503/504 responses before ejection.
   * @default - not used
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection time.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The largest share of endpoints that may be ejected, in percent.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
}

/**
 * How traffic to a Service (or one version of it) is handled.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface TrafficPolicy {
  /**
   * Load-balancing algorithm.
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection pool limits.
   * @default - Istio's defaults
   */
  readonly connectionPool?: ConnectionPoolOptions;
  /**
   * Outlier detection.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetectionOptions;
  /**
   * TLS to the destination.
   * @default - Istio's automatic mutual TLS
   */
  readonly tls?: ClientTls;
}

/** Checks and renders a traffic policy for a DestinationRule (typed by the imported Istio CRD). */
export function renderTrafficPolicy(scope: IConstruct, property: string, policy?: TrafficPolicy): DestinationRuleSpecTrafficPolicy | undefined {
  if (!policy) return undefined;
  const pool = policy.connectionPool;
  const positive = (name: string, v: number | undefined) => (v === undefined ? undefined : validatePositiveInteger(scope, `${property}.${name}`, v));
  const duration = (name: string, v: Duration | undefined) => (v === undefined ? undefined : istioDuration(validateDuration(scope, `${property}.${name}`, v)));
  const od = policy.outlierDetection;
  if (od?.maxEjectionPercent !== undefined && (!Number.isInteger(od.maxEjectionPercent) || od.maxEjectionPercent < 0 || od.maxEjectionPercent > 100)) {
    fail(scope, `${property}.outlierDetection.maxEjectionPercent`, od.maxEjectionPercent, 'Use a whole percentage between 0 and 100 (Istio reads an integer).');
  }
  if (policy.loadBalancer !== undefined && !(policy.loadBalancer instanceof LoadBalancer)) {
    fail(scope, `${property}.loadBalancer`, policy.loadBalancer, 'Use LoadBalancer.ROUND_ROBIN, LEAST_REQUEST, RANDOM or LoadBalancer.consistentHash(...).');
  }
  return {
    loadBalancer: policy.loadBalancer?._json,
    connectionPool: pool ? {
      tcp: pool.tcp ? {
        maxConnections: positive('connectionPool.tcp.maxConnections', pool.tcp.maxConnections),
        connectTimeout: duration('connectionPool.tcp.connectTimeout', pool.tcp.connectTimeout),
      } : undefined,
      http: pool.http ? {
        http1MaxPendingRequests: positive('connectionPool.http.http1MaxPendingRequests', pool.http.http1MaxPendingRequests),
        http2MaxRequests: positive('connectionPool.http.http2MaxRequests', pool.http.http2MaxRequests),
        maxRequestsPerConnection: positive('connectionPool.http.maxRequestsPerConnection', pool.http.maxRequestsPerConnection),
        maxRetries: positive('connectionPool.http.maxRetries', pool.http.maxRetries),
        idleTimeout: duration('connectionPool.http.idleTimeout', pool.http.idleTimeout),
      } : undefined,
    } : undefined,
    outlierDetection: od ? {
      consecutive5XxErrors: positive('outlierDetection.consecutive5xxErrors', od.consecutive5xxErrors),
      consecutiveGatewayErrors: positive('outlierDetection.consecutiveGatewayErrors', od.consecutiveGatewayErrors),
      interval: duration('outlierDetection.interval', od.interval),
      baseEjectionTime: duration('outlierDetection.baseEjectionTime', od.baseEjectionTime),
      maxEjectionPercent: od.maxEjectionPercent,
    } : undefined,
    tls: policy.tls?._json,
  };
}
