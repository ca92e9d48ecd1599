import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  DestinationRuleSpecTrafficPolicy, DestinationRuleSpecTrafficPolicyConnectionPoolHttpH2UpgradePolicy, DestinationRuleSpecTrafficPolicyPortLevelSettings, DestinationRuleSpecTrafficPolicyLoadBalancer, DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple as Simple, DestinationRuleSpecTrafficPolicyTls, DestinationRuleSpecTrafficPolicyTlsMode as TlsMode,
} from '../imports/istio-networking.istio.io';
import { fail } from './private/errors';
import { istioDuration } from './private/duration';
import { ENVOY_MAX_RING_SIZE, validateDnsSubdomain, validateDuration, validatePort, validatePositiveInteger } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** What a consistent-hash load balancer hashes on. */
export class HashKey {
  /** A request header. */
  public static header(name: string): HashKey {
    checkArgs('HashKey.header', 'name', name, req('s'));
    return new HashKey({ httpHeaderName: name });
  }

  /** A cookie; with a `ttl`, the gateway creates it when missing. */
  public static cookie(name: string, options: { readonly ttl?: Duration; readonly path?: string } = {}): HashKey {
    checkArgs('HashKey.cookie', 'name', name, req('s'));
    checkArgs('HashKey.cookie', 'options', options, { ttl: 'o', path: 's' });
    return new HashKey({ httpCookie: { name, ttl: options.ttl ? cookieTtl(options.ttl) : undefined, path: options.path } });
  }

  /** The client's source IP. */
  public static sourceIp(): HashKey {
    return new HashKey({ useSourceIp: true });
  }

  /** A query parameter. */
  public static queryParameter(name: string): HashKey {
    checkArgs('HashKey.queryParameter', 'name', name, req('s'));
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
    checkArgs('LoadBalancer.consistentHash', 'key', key, req('o'));
    checkArgs('LoadBalancer.consistentHash', 'options', options, { minimumRingSize: 'n' });
    const ring = options.minimumRingSize;
    if (ring !== undefined && (!Number.isInteger(ring) || ring < 1 || ring > ENVOY_MAX_RING_SIZE)) {
      fail('LoadBalancer.consistentHash', 'options.minimumRingSize', ring, `Use a whole number from 1 to ${ENVOY_MAX_RING_SIZE} (Envoy's largest ring: a larger minimum makes Envoy refuse the cluster).`);
    }
    return new LoadBalancer({ consistentHash: { ...key._json, minimumRingSize: ring } });
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
   * proxy checks the server's certificate against the system CA bundle of its image (Istio 1.21
   * and later: `caCertificates` defaults to "system"), and for HTTP, without `sni` and
   * `subjectAltNames`, its name against the host it sends as SNI (auto SNI and SAN validation).
   * The analysis notes this as an info (EDGE3003; istioctl's IST0128 still calls it unverified);
   * a server whose certificate a private CA signed needs `caCertificates`.
   */
  public static simple(options: ClientTlsOptions = {}): ClientTls {
    checkArgs('ClientTls.simple', 'options', options, SHAPES.ClientTlsOptions);
    return new ClientTls({ mode: TlsMode.SIMPLE, ...checkClientTls('ClientTls.simple', options) });
  }

  /**
   * Mutual TLS to a destination outside the mesh (TLS origination with a client certificate):
   * either `credentialName` (a Secret with `tls.crt`, `tls.key` and `ca.crt`, read by gateways, and
   * by sidecars only for a DestinationRule with a `workloadSelector`: without one, sidecars get no
   * TLS settings and send plain text, which EDGE3003 warns about) or the file paths of the
   * certificate, key and CA mounted in the proxy.
   * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
   */
  public static mutual(options: MutualClientTlsOptions): ClientTls {
    checkArgs('ClientTls.mutual', 'options', options, req(SHAPES.MutualClientTlsOptions));
    const where = 'ClientTls.mutual';
    if (options === null || typeof options !== 'object') fail(where, 'options', options, 'Pass { credentialName } or { clientCertificate, privateKey, caCertificates }.');
    const files = options.clientCertificate !== undefined || options.privateKey !== undefined;
    if (files === (options.credentialName !== undefined)) {
      fail(where, 'credentialName', options.credentialName, 'Give either credentialName (a Secret) or clientCertificate and privateKey (files in the proxy), not both and not neither.');
    }
    if (files && (!options.clientCertificate || !options.privateKey)) {
      fail(where, options.clientCertificate ? 'privateKey' : 'clientCertificate', options.clientCertificate ? options.privateKey : options.clientCertificate, 'Give both the client certificate and its private key (file paths in the proxy).');
    }
    return new ClientTls({ mode: TlsMode.MUTUAL, ...checkClientTls(where, options), clientCertificate: options.clientCertificate, privateKey: options.privateKey });
  }

  private constructor(/** @internal */ public readonly _json: DestinationRuleSpecTrafficPolicyTls) {}
}

/** Options of TLS to a destination. */
export interface ClientTlsOptions {
  /**
   * The SNI sent in the handshake.
   * @default - the destination's host (Istio sets it from the route's host in recent releases)
   */
  readonly sni?: string;
  /**
   * Path of the CA bundle (in the proxy) that checks the server's certificate.
   * @default - the system CA bundle of the proxy image (or the credential's ca.crt)
   */
  readonly caCertificates?: string;
  /**
   * A Secret holding the client credential and/or CA (in the namespace of the proxy that reads it).
   * @default - none
   */
  readonly credentialName?: string;
  /**
   * Names accepted in the server's certificate.
   * @default - any name the CA vouches for
   */
  readonly subjectAltNames?: string[];
}

/** Options of mutual TLS to a destination (TLS origination with a client certificate). */
export interface MutualClientTlsOptions extends ClientTlsOptions {
  /**
   * Path (in the proxy) of the client certificate.
   * @default - from `credentialName`
   */
  readonly clientCertificate?: string;
  /**
   * Path (in the proxy) of the client's private key.
   * @default - from `credentialName`
   */
  readonly privateKey?: string;
}

function checkClientTls(where: string, o: ClientTlsOptions): ClientTlsOptions {
  if (o.sni !== undefined) validateHost(where, 'sni', o.sni, false);
  if (o.credentialName !== undefined) validateDnsSubdomain(where, 'credentialName', o.credentialName);
  for (const key of ['caCertificates', 'clientCertificate', 'privateKey'] as const) {
    const v = (o as MutualClientTlsOptions)[key];
    if (v !== undefined && (typeof v !== 'string' || !v.startsWith('/'))) fail(where, key, v, 'Give an absolute file path in the proxy, for example "/etc/certs/client.pem".');
  }
  return { sni: o.sni, caCertificates: o.caCertificates, credentialName: o.credentialName, subjectAltNames: o.subjectAltNames };
}

/**
 * Whether HTTP/1.1 connections to a destination are upgraded to HTTP/2.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings-HTTPSettings-H2UpgradePolicy
 */
export enum H2UpgradePolicy {
  /** The mesh's default (`meshConfig.h2UpgradePolicy`). */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade to HTTP/2. */
  UPGRADE = 'UPGRADE',
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
    /** Whether HTTP/1.1 connections are upgraded to HTTP/2. */
    readonly h2UpgradePolicy?: H2UpgradePolicy;
    /** Use the client's protocol (HTTP/1.1 or HTTP/2) towards the destination. */
    readonly useClientProtocol?: boolean;
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
   * @default - Istio's automatic mutual TLS: mutual TLS to endpoints with a sidecar, plain text to others
   */
  readonly tls?: ClientTls;
  /**
   * Policies for single ports of the destination, overriding this one there.
   * @default - none
   */
  readonly portLevelSettings?: PortTrafficPolicy[];
}

/** A traffic policy for one port of a destination. */
export interface PortTrafficPolicy extends Omit<TrafficPolicy, 'portLevelSettings'> {
  /** The destination's port. */
  readonly port: number;
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
        h2UpgradePolicy: h2Upgrade(scope, `${property}.connectionPool.http.h2UpgradePolicy`, pool.http.h2UpgradePolicy),
        useClientProtocol: pool.http.useClientProtocol,
      } : undefined,
    } : undefined,
    outlierDetection: od ? {
      consecutive5XxErrors: positive('outlierDetection.consecutive5xxErrors', od.consecutive5xxErrors),
      consecutiveGatewayErrors: positive('outlierDetection.consecutiveGatewayErrors', od.consecutiveGatewayErrors),
      interval: duration('outlierDetection.interval', od.interval),
      baseEjectionTime: duration('outlierDetection.baseEjectionTime', od.baseEjectionTime),
      maxEjectionPercent: od.maxEjectionPercent,
    } : undefined,
    tls: tlsOf(scope, `${property}.tls`, policy.tls),
    portLevelSettings: policy.portLevelSettings?.map((p, i) => renderPortPolicy(scope, `${property}.portLevelSettings[${i}]`, p)),
  };
}

function tlsOf(scope: IConstruct, property: string, tls: ClientTls | undefined): DestinationRuleSpecTrafficPolicyTls | undefined {
  if (tls !== undefined && !(tls instanceof ClientTls)) fail(scope, property, tls, 'Use ClientTls.ISTIO_MUTUAL, ClientTls.DISABLE, ClientTls.simple(...) or ClientTls.mutual(...).');
  return tls?._json;
}

function h2Upgrade(scope: IConstruct, property: string, v: H2UpgradePolicy | undefined): DestinationRuleSpecTrafficPolicyConnectionPoolHttpH2UpgradePolicy | undefined {
  if (v === undefined) return undefined;
  if (!Object.values(H2UpgradePolicy).includes(v)) fail(scope, property, v, 'Use H2UpgradePolicy.DEFAULT, DO_NOT_UPGRADE or UPGRADE.');
  return v as string as DestinationRuleSpecTrafficPolicyConnectionPoolHttpH2UpgradePolicy;
}

function renderPortPolicy(scope: IConstruct, property: string, p: PortTrafficPolicy): DestinationRuleSpecTrafficPolicyPortLevelSettings {
  if (p === null || typeof p !== 'object') fail(scope, property, p, 'Give { port, ...policy }.');
  if ((p as TrafficPolicy).portLevelSettings !== undefined) fail(scope, `${property}.portLevelSettings`, '(set)', 'Port-level settings cannot nest: remove it.');
  const rendered = renderTrafficPolicy(scope, property, p) ?? {};
  // The port-level policy has the same fields as the top-level one but for portLevelSettings; the generated types differ only by name.
  const rest = Object.fromEntries(Object.entries(rendered).filter(([k]) => k !== 'portLevelSettings'));
  return { port: { number: validatePort(scope, `${property}.port`, p.port) }, ...(rest as Omit<DestinationRuleSpecTrafficPolicyPortLevelSettings, 'port'>) };
}

/** A cookie's TTL as Istio reads it: a whole number of milliseconds, 0 (a session cookie) or more. */
function cookieTtl(ttl: Duration): string {
  let ms: number | undefined;
  try {
    ms = ttl.toMilliseconds();
  } catch {
    ms = undefined; // cdk8s refuses a Duration that is not a whole number of milliseconds
  }
  if (ms === undefined || !Number.isInteger(ms) || ms < 0 || ms > 315_576_000_000_000) {
    fail('HashKey.cookie', 'options.ttl', ttl, 'Use a Duration of whole milliseconds, for example Duration.hours(1) (Duration.millis(0) makes a session cookie).');
  }
  return istioDuration(ttl);
}
