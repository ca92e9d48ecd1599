/**
 * The servers of a gateway: any number, each with its port, protocol, hosts and TLS settings.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
import { IConstruct } from 'constructs';
import {
  GatewaySpecServers, GatewaySpecServersTls, GatewaySpecServersTlsMaxProtocolVersion, GatewaySpecServersTlsMinProtocolVersion, GatewaySpecServersTlsMode,
} from '../imports/istio-networking.istio.io';
import { Certificate } from './certificate';
import { fail } from './private/errors';
import { validateDnsLabel, validateGatewayPort } from './private/validate';
import { validateGatewayHost, validateHost } from './contract/hosts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';
import { bareHost } from './contract/hosts';

/**
 * TLS mode of a gateway server.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings-TLSmode
 */
export enum TlsMode {
  /** Server-side TLS with the gateway's certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: clients must present a certificate signed by the CA in the credential (`ca.crt`). */
  MUTUAL = 'MUTUAL',
  /** Like MUTUAL, but a client without a certificate is let through (and may be refused by authorization). */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
  /** The TLS connection is not terminated: it is routed by SNI to the destination (`tlsRoutes`). */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Mutual TLS with the mesh's certificates (an east-west or internal gateway); no credential. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /**
   * Not terminated, routed by SNI to the mesh service the SNI names (`outbound_.<port>_.<subset>_.<host>`),
   * with no VirtualService: the multi-cluster east-west gateway (port 15443, hosts "*.local").
   * @see https://istio.io/latest/docs/setup/install/multicluster/
   */
  AUTO_PASSTHROUGH = 'AUTO_PASSTHROUGH',
}

/** TLS protocol versions. */
export enum TlsVersion {
  /** TLS 1.0 (legacy clients only). */
  TLSV1_0 = 'TLSV1_0',
  /** TLS 1.1 (legacy clients only). */
  TLSV1_1 = 'TLSV1_1',
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/** The protocol of an HTTP gateway server. */
export enum HttpProtocol {
  /** HTTP/1.1 (and HTTP/2 with prior knowledge). */
  HTTP = 'HTTP',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
}

/**
 * The plain-HTTP server of a gateway (the `http` shorthand of `IngressGateway`).
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export interface HttpServerOptions {
  /**
   * Whether the gateway listens for plain HTTP at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
}

/**
 * The HTTPS server of a gateway (the `https` shorthand of `IngressGateway`).
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface HttpsServerOptions {
  /**
   * The certificate; its secret becomes the server's `credentialName`. Required.
   */
  readonly certificate: Certificate;
  /**
   * TLS mode.
   * @default TlsMode.SIMPLE
   */
  readonly mode?: TlsMode;
  /**
   * The oldest TLS version accepted.
   * @default TlsVersion.TLSV1_2
   */
  readonly minProtocolVersion?: TlsVersion;
  /**
   * Answer plain-HTTP requests with a 301 redirect to HTTPS.
   * @default false
   */
  readonly redirectHttp?: boolean;
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
}

/** What every server has. */
export interface ServerOptions {
  /**
   * The hosts this server serves: "shop.example.com", "*.example.com", "*", and, to limit which
   * namespaces' routes may bind, "<namespace>/host" or "./host" (the Gateway's namespace).
   * @default - the gateway's hosts (`hosts` and `addHost`)
   */
  readonly hosts?: string[];
  /**
   * The server's name (shown in metrics and `istioctl`).
   * @default - none
   */
  readonly name?: string;
  /**
   * The port's name.
   * @default - the protocol in lower case ("http", "https", "tls", "tcp"), suffixed with the port when taken
   */
  readonly portName?: string;
}

/** TLS settings of a server that uses TLS. */
export interface ServerTlsOptions {
  /**
   * TLS mode.
   * @default TlsMode.SIMPLE for HTTPS, TlsMode.PASSTHROUGH for TLS servers
   */
  readonly mode?: TlsMode;
  /**
   * The certificate (its Secret is the `credentialName`, or files with `Certificate.fromFiles`):
   * required for SIMPLE, MUTUAL and OPTIONAL_MUTUAL; not allowed for PASSTHROUGH, AUTO_PASSTHROUGH
   * and ISTIO_MUTUAL.
   * @default - none
   */
  readonly certificate?: Certificate;
  /**
   * The oldest TLS version accepted.
   * @default TlsVersion.TLSV1_2 when the gateway terminates TLS
   */
  readonly minProtocolVersion?: TlsVersion;
  /**
   * The newest TLS version accepted.
   * @default - Envoy's (TLS 1.3)
   */
  readonly maxProtocolVersion?: TlsVersion;
  /**
   * Cipher suites (TLS 1.2 and older), in OpenSSL names.
   * @default - Envoy's defaults
   */
  readonly cipherSuites?: string[];
  /**
   * Names accepted in client certificates (MUTUAL, OPTIONAL_MUTUAL).
   * @default - any client the CA vouches for
   */
  readonly subjectAltNames?: string[];
}

/** Options of an HTTP server. */
export interface HttpGatewayServerOptions extends ServerOptions {
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
  /**
   * The protocol.
   * @default HttpProtocol.HTTP
   */
  readonly protocol?: HttpProtocol;
  /**
   * Only redirect: answer every request with a 301 to HTTPS (`tls.httpsRedirect`).
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** Options of an HTTPS server. */
export interface HttpsGatewayServerOptions extends ServerOptions, ServerTlsOptions {
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
}

/** Options of a TLS server (routed by SNI with `tlsRoutes`, or terminated and routed as TCP). */
export interface TlsGatewayServerOptions extends ServerOptions, ServerTlsOptions {
  /** The port. */
  readonly port: number;
}

/** Options of a TCP server. */
export interface TcpGatewayServerOptions extends ServerOptions {
  /** The port. */
  readonly port: number;
}

/**
 * What a server renders to.
 * @internal
 */
export interface RenderedServer {
  readonly server: GatewaySpecServers;
  /** Whether the server has its own hosts (else it follows the gateway's). */
  readonly ownHosts: boolean;
  /** The certificate to bind, if any. */
  readonly certificate?: Certificate;
  /** The base of the Service port's name. */
  readonly servicePortName: string;
}

/**
 * A server of a gateway: a port, a protocol, its hosts and TLS settings.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export abstract class GatewayServer {
  /** Plain HTTP (or HTTP2, GRPC); with `httpsRedirect`, a server that only redirects to HTTPS. */
  public static http(options: HttpGatewayServerOptions = {}): GatewayServer {
    checkArgs('GatewayServer.http', 'options', options, SHAPES.HttpGatewayServerOptions);
    return new HttpServer(options);
  }

  /** HTTPS: the gateway terminates TLS (SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL) or passes it through. */
  public static https(options: HttpsGatewayServerOptions): GatewayServer {
    checkArgs('GatewayServer.https', 'options', options, req(SHAPES.HttpsGatewayServerOptions));
    return new TlsServer('HTTPS', options?.port ?? 443, options, TlsMode.SIMPLE);
  }

  /** TLS: passed through by SNI (`tlsRoutes`, the default) or terminated and routed as TCP (`tcpRoutes`). */
  public static tls(options: TlsGatewayServerOptions): GatewayServer {
    checkArgs('GatewayServer.tls', 'options', options, req(SHAPES.TlsGatewayServerOptions));
    return new TlsServer('TLS', options?.port, options, TlsMode.PASSTHROUGH);
  }

  /** Opaque TCP (`tcpRoutes`). */
  public static tcp(options: TcpGatewayServerOptions): GatewayServer {
    checkArgs('GatewayServer.tcp', 'options', options, req(SHAPES.TcpGatewayServerOptions));
    return new TcpServer(options);
  }

  /** @internal */
  public abstract _render(scope: IConstruct, property: string): RenderedServer;
}

function common(scope: IConstruct, property: string, o: ServerOptions, protocol: string, number: number): { port: GatewaySpecServers['port']; hosts: string[]; name?: string; ownHosts: boolean } {
  if (o.hosts !== undefined) {
    if (!Array.isArray(o.hosts) || o.hosts.length === 0) fail(scope, `${property}.hosts`, o.hosts, 'List at least one host, or leave hosts out to use the gateway\'s.');
    o.hosts.forEach((h, i) => validateServerHost(scope, `${property}.hosts[${i}]`, h));
  }
  return {
    port: { number: validateGatewayPort(scope, `${property}.port`, number), name: o.portName === undefined ? protocol.toLowerCase() : validateDnsLabel(scope, `${property}.portName`, o.portName), protocol },
    hosts: o.hosts ? [...o.hosts] : [],
    name: o.name === undefined ? undefined : validateDnsLabel(scope, `${property}.name`, o.name),
    ownHosts: o.hosts !== undefined,
  };
}

/** A server host: a host, optionally after "<namespace>/", "./" or "*\/". */
export function validateServerHost(scope: IConstruct, property: string, value: string): string {
  if (typeof value !== 'string') fail(scope, property, value, 'Give a host such as "shop.example.com" or "./shop.example.com".');
  const slash = value.indexOf('/');
  try {
    const ns = slash >= 0 ? value.slice(0, slash) : '.';
    if (ns !== '.' && ns !== '*') validateDnsLabel(scope, property, ns);
    validateHost(scope, property, value.slice(slash + 1));
  } catch {
    fail(scope, property, value, 'Use a host ("shop.example.com", "*.example.com", "*"), optionally after "<namespace>/", "./" or "*/".');
  }
  validateGatewayHost(scope, property, value.slice(slash + 1));
  return value;
}

/** The host part of a server host ("ns/host" → "host"). */
export const serverHostName = bareHost;

class HttpServer extends GatewayServer {
  public constructor(private readonly options: HttpGatewayServerOptions) {
    super();
  }

  public _render(scope: IConstruct, property: string): RenderedServer {
    const o = this.options ?? {};
    const protocol = o.protocol ?? HttpProtocol.HTTP;
    if (!Object.values(HttpProtocol).includes(protocol)) fail(scope, `${property}.protocol`, protocol, 'Use HttpProtocol.HTTP, HTTP2 or GRPC.');
    const { port, hosts, name, ownHosts } = common(scope, property, o, protocol, o.port ?? 80);
    return {
      server: { name, port, hosts, tls: o.httpsRedirect ? { httpsRedirect: true } : undefined },
      ownHosts,
      servicePortName: protocol === HttpProtocol.GRPC ? 'grpc' : 'http2',
    };
  }
}

const TERMINATING = [TlsMode.SIMPLE, TlsMode.MUTUAL, TlsMode.OPTIONAL_MUTUAL];
/** Modes where the gateway does not terminate TLS. */
const PASSING = [TlsMode.PASSTHROUGH, TlsMode.AUTO_PASSTHROUGH];
const VERSION_ORDER = [TlsVersion.TLSV1_0, TlsVersion.TLSV1_1, TlsVersion.TLSV1_2, TlsVersion.TLSV1_3];

class TlsServer extends GatewayServer {
  public constructor(private readonly protocol: 'HTTPS' | 'TLS', private readonly port: number | undefined, private readonly options: ServerOptions & ServerTlsOptions, private readonly defaultMode: TlsMode) {
    super();
  }

  public _render(scope: IConstruct, property: string): RenderedServer {
    const o = this.options;
    if (o === null || typeof o !== 'object') fail(scope, property, o, 'Pass the server\'s options, for example { certificate: Certificate.fromSecret("shop-tls") }.');
    if (this.port === undefined) fail(scope, `${property}.port`, undefined, 'Give the TLS server\'s port, for example 15443.');
    const { port, hosts, name, ownHosts } = common(scope, property, o, this.protocol, this.port);
    const mode = o.mode ?? this.defaultMode;
    if (!Object.values(TlsMode).includes(mode)) fail(scope, `${property}.mode`, mode, `Use one of ${Object.values(TlsMode).map((m) => `TlsMode.${m}`).join(', ')}.`);
    if (TERMINATING.includes(mode)) {
      if (!(o.certificate instanceof Certificate)) {
        fail(scope, `${property}.certificate`, o.certificate, `TLS mode ${mode} needs a credential: set certificate to Certificate.fromSecret("<tls secret in the gateway namespace>").`);
      }
    } else if (o.certificate !== undefined) {
      fail(scope, `${property}.certificate`, '(set)', `TLS mode ${mode} uses no credential of the gateway (${PASSING.includes(mode) ? 'the destination terminates TLS' : 'the mesh\'s certificates are used'}): remove certificate.`);
    }
    const fields = TERMINATING.includes(mode) ? o.certificate!._serverFields() : {};
    if (fields.serverCertificate && mode !== TlsMode.SIMPLE && !fields.caCertificates) {
      fail(scope, `${property}.certificate`, 'Certificate.fromFiles(...)', `TLS mode ${mode} verifies client certificates: give caCertificates (the CA bundle's path) to Certificate.fromFiles.`);
    }
    if (PASSING.includes(mode) && (o.minProtocolVersion || o.maxProtocolVersion || o.cipherSuites)) {
      fail(scope, `${property}.minProtocolVersion`, o.minProtocolVersion ?? o.maxProtocolVersion ?? o.cipherSuites, `With ${mode} the gateway does not terminate TLS: versions and ciphers belong to the destination; remove them.`);
    }
    const version = (key: 'minProtocolVersion' | 'maxProtocolVersion', v: TlsVersion | undefined): string | undefined => {
      if (v !== undefined && !VERSION_ORDER.includes(v)) fail(scope, `${property}.${key}`, v, `Use one of ${VERSION_ORDER.map((x) => `TlsVersion.${x}`).join(', ')}.`);
      return v;
    };
    const min = version('minProtocolVersion', o.minProtocolVersion ?? (PASSING.includes(mode) ? undefined : TlsVersion.TLSV1_2));
    const max = version('maxProtocolVersion', o.maxProtocolVersion);
    if (min && max && VERSION_ORDER.indexOf(min as TlsVersion) > VERSION_ORDER.indexOf(max as TlsVersion)) fail(scope, `${property}.maxProtocolVersion`, max, `The newest version accepted cannot be older than the oldest (${min}).`);
    if (o.subjectAltNames !== undefined && mode !== TlsMode.MUTUAL && mode !== TlsMode.OPTIONAL_MUTUAL) fail(scope, `${property}.subjectAltNames`, o.subjectAltNames, 'Client names are checked only with MUTUAL or OPTIONAL_MUTUAL.');
    const tls: GatewaySpecServersTls = {
      mode: mode as string as GatewaySpecServersTlsMode,
      ...fields,
      minProtocolVersion: min as GatewaySpecServersTlsMinProtocolVersion | undefined,
      maxProtocolVersion: max as GatewaySpecServersTlsMaxProtocolVersion | undefined,
      cipherSuites: o.cipherSuites?.length ? [...o.cipherSuites] : undefined,
      subjectAltNames: o.subjectAltNames?.length ? [...o.subjectAltNames] : undefined,
    };
    return { server: { name, port, hosts, tls }, ownHosts, certificate: o.certificate, servicePortName: this.protocol.toLowerCase() };
  }
}

class TcpServer extends GatewayServer {
  public constructor(private readonly options: TcpGatewayServerOptions) {
    super();
  }

  public _render(scope: IConstruct, property: string): RenderedServer {
    const o = this.options;
    if (o?.port === undefined) fail(scope, `${property}.port`, undefined, 'Give the TCP server\'s port, for example 31400.');
    const { port, hosts, name, ownHosts } = common(scope, property, o, 'TCP', o.port);
    return { server: { name, port, hosts }, ownHosts, servicePortName: 'tcp' };
  }
}
