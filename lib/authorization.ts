/**
 * Authorization at the gateway and behind it, rendered as Istio `AuthorizationPolicy` and
 * `RequestAuthentication` (security.istio.io/v1).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
import { IConstruct } from 'constructs';
import { fail, validateHost } from './errors';
import { HttpMethod } from './match';

/** The mesh's trust domain: SPIFFE principals are "<trust domain>/ns/<namespace>/sa/<service account>". */
export const TRUST_DOMAIN = 'cluster.local';

/** The principal of a service account. */
export function principal(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** Which requests a gateway rule applies to. */
export interface RequestScope {
  /**
   * Hosts (each served by the gateway).
   * @default - every host
   */
  readonly hosts?: string[];
  /**
   * Paths: exact, or with a "*" prefix or suffix ("/admin/*").
   * @default - every path
   */
  readonly paths?: string[];
}

/** Options of a source IP allow-list. */
export interface SourceIpAllowListOptions extends RequestScope {
  /** Client address ranges (CIDR) allowed; every other client is denied. */
  readonly cidrs: string[];
}

/** Options of a deny rule. */
export interface DenyRequestsOptions extends RequestScope {
  /**
   * Methods.
   * @default - every method
   */
  readonly methods?: HttpMethod[];
}

/** Options of a JWT requirement. */
export interface RequireJwtOptions extends RequestScope {
  /** The token issuer (`iss`). */
  readonly issuer: string;
  /** Where the issuer publishes its keys (https). */
  readonly jwksUri: string;
  /**
   * Accepted audiences (`aud`).
   * @default - any
   */
  readonly audiences?: string[];
  /**
   * Forward the token to the services.
   * @default true
   */
  readonly forwardOriginalToken?: boolean;
}

const CIDR4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const CIDR6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

/** Checks CIDRs (IPv4 or IPv6, with or without a prefix length). */
export function validateCidrs(scope: IConstruct, property: string, cidrs: string[]): string[] {
  if (!Array.isArray(cidrs) || cidrs.length === 0) fail(scope, property, cidrs, 'List at least one address range, for example ["203.0.113.0/24"].');
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string' || !(CIDR4.test(c) || CIDR6.test(c))) fail(scope, `${property}[${i}]`, c, 'Use an IP address or CIDR range, for example "203.0.113.0/24".');
  });
  return cidrs;
}

/** Checks paths as Istio's AuthorizationPolicy matches them. */
export function validatePaths(scope: IConstruct, property: string, paths: string[] | undefined): string[] | undefined {
  paths?.forEach((p, i) => {
    const inner = p.replace(/^\*/, '').replace(/\*$/, '');
    if (typeof p !== 'string' || p === '' || inner.includes('*') || !(p.startsWith('/') || p.startsWith('*'))) {
      fail(scope, `${property}[${i}]`, p, 'Use a path starting with "/", exact or with a single "*" at its start or end ("/admin/*").');
    }
  });
  return paths;
}

/** The operation of a rule: hosts (with and without a port) and paths. */
export function operation(scope: IConstruct, property: string, served: readonly string[], r: RequestScope, methods?: HttpMethod[]): Record<string, unknown> | undefined {
  r.hosts?.forEach((h, i) => {
    validateHost(scope, `${property}.hosts[${i}]`, h);
    if (!served.includes(h)) fail(scope, `${property}.hosts[${i}]`, h, `Use a host the gateway serves (${served.join(', ')}).`);
  });
  validatePaths(scope, `${property}.paths`, r.paths);
  const op: Record<string, unknown> = {};
  if (r.hosts?.length) op.hosts = r.hosts.flatMap((h) => [h, `${h}:*`]);
  if (r.paths?.length) op.paths = r.paths;
  if (methods?.length) op.methods = methods;
  return Object.keys(op).length ? op : undefined;
}

/** Checks a JWT issuer and key URI. */
export function validateJwt(scope: IConstruct, property: string, o: RequireJwtOptions): void {
  if (typeof o.issuer !== 'string' || o.issuer.trim() === '') fail(scope, `${property}.issuer`, o.issuer, 'Give the token issuer, for example "https://login.microsoftonline.com/<tenant>/v2.0".');
  let url: URL | undefined;
  try {
    url = new URL(o.jwksUri);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') fail(scope, `${property}.jwksUri`, o.jwksUri, 'Give the https URL of the issuer\'s keys (JWKS).');
}
