/**
 * The servers of a gateway: plain HTTP and HTTPS, and their TLS settings.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
import { Certificate } from './certificate';

/** TLS mode of an HTTPS server. */
export enum TlsMode {
  /** Server-side TLS with the gateway's certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: clients must present a certificate signed by the CA in the credential (`ca.crt`). */
  MUTUAL = 'MUTUAL',
}

/** TLS protocol versions. */
export enum TlsVersion {
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/**
 * The plain-HTTP server of a gateway.
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
 * The HTTPS server of a gateway.
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
