/**
 * Host rules shared by the writers (constructs) and the readers (analysis, explain, the Gateway
 * API conversion, infra): the cluster domain, FQDN resolution as Istio does it, `namespace/host`
 * splitting, wildcard matching and host validity. Each rule is written here once.
 */
import type { IConstruct } from 'constructs';
import { fail } from '../private/errors';
import { DNS_SUBDOMAIN } from '../private/dns';

/** The cluster's DNS suffix for Service hosts. */
export const CLUSTER_DOMAIN = 'svc.cluster.local';


/** The FQDN of the Service `name` in `namespace`: `<name>.<namespace>.svc.cluster.local`. */
export function serviceFqdnOf(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER_DOMAIN}`;
}

/**
 * Resolves a host written in an object of `namespace` as Istio does (`ResolveShortnameToFQDN` in
 * istio/istio pilot/pkg/model): `*` and IP addresses stay as written; a short name (no dot) becomes
 * `<name>.<namespace>.svc.cluster.local`; any host with a dot is taken as written, so `name.ns` is
 * NOT expanded (it names no Service of Istio's registry, whatever the cluster's DNS search does).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export function resolveHost(host: string, namespace: string): string {
  if (host === '*' || host.includes('.') || host.includes(':')) return host;
  return serviceFqdnOf(host, namespace);
}

/** True when a host names a Kubernetes Service of the cluster (a short name or `*.svc.cluster.local`). */
export function isClusterHost(host: string): boolean {
  return !host.includes('*') && !host.includes(':') && (!host.includes('.') || host.endsWith(`.${CLUSTER_DOMAIN}`));
}

/** The namespace of a cluster host's FQDN (`name.namespace.svc.cluster.local`), else undefined. */
export function clusterHostNamespace(fqdn: string): string | undefined {
  const parts = fqdn.split('.');
  return fqdn.endsWith(`.${CLUSTER_DOMAIN}`) && parts.length === 5 ? parts[1] : undefined;
}

/**
 * Splits a namespaced reference `namespace/name` (a VirtualService's gateway, a Gateway server's
 * `ns/host`); `namespace` is undefined when there is no slash.
 */
export function splitNamespaced(value: string): { readonly namespace?: string; readonly name: string } {
  const slash = value.indexOf('/');
  return slash < 0 ? { name: value } : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

/** A server host without its `namespace/` part (`ns/shop.example.com` → `shop.example.com`). */
export function bareHost(value: string): string {
  return splitNamespaced(value).name;
}

/** True when `host` (exact or wildcard) is served by a gateway host `served` (exact, `*.suffix` or `*`). */
export function hostCoveredBy(host: string, served: string): boolean {
  if (served === '*' || served === host) return true;
  if (!served.startsWith('*.')) return false;
  const suffix = served.slice(1); // ".example.com"
  if (host.startsWith('*.')) return host.slice(1).endsWith(suffix);
  return host.endsWith(suffix) && host.length > suffix.length;
}

/**
 * Istio's `host.Name.Matches`: whether two hosts (exact or `*.suffix` wildcards, or `*`) have
 * requests in common.
 */
export function hostsMatch(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return false;
}

/**
 * Whether `value` is a host a Gateway or VirtualService may serve: a DNS name (at most 253
 * characters, labels of at most 63), optionally with a leading `*.` wildcard, or `*` alone when
 * `allowCatchAll` is set.
 */
export function isValidHost(value: unknown, allowCatchAll = true): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) return false;
  if (value === '*') return allowCatchAll;
  const name = value.startsWith('*.') ? value.slice(2) : value;
  return DNS_SUBDOMAIN.test(name) && name.split('.').every((part) => part.length <= 63);
}

/**
 * Validates a host name a Gateway or VirtualService serves: a DNS name, optionally with a leading
 * `*.` wildcard, or `*` alone when `allowCatchAll` is set.
 */
export function validateHost(scope: IConstruct | string, property: string, value: string, allowCatchAll = true): string {
  const fix = 'Use a fully qualified DNS name such as "shop.example.com", or a wildcard such as "*.example.com"'
    + (allowCatchAll ? ' or "*"' : '') + '; lower case, no scheme, port or path.';
  if (!isValidHost(value, allowCatchAll)) fail(scope, property, value, fix);
  // Istio's webhook (validateDNS1123Labels): the last label cannot be all digits (an IP address is not a host).
  if (/^[0-9]+$/.test(value.slice(value.lastIndexOf('.') + 1))) fail(scope, property, value, `${fix} Istio refuses a host whose last label is all digits (an IP address is not a host name).`);
  return value;
}

/**
 * Validates a host a Gateway server serves: as `validateHost`, and, as Istio's webhook requires of
 * gateway hosts (validateSidecarOrGatewayHostnamePart), a fully qualified name: "*" or a name with
 * at least one dot ("shop" alone is a short name, which Istio refuses on a Gateway).
 */
export function validateGatewayHost(scope: IConstruct | string, property: string, value: string): string {
  validateHost(scope, property, value);
  if (value !== '*' && !value.includes('.')) {
    fail(scope, property, value, `Use a fully qualified name such as "${value}.example.com" (or "*"): Istio's webhook refuses short names (without a dot) in a Gateway's hosts.`);
  }
  return value;
}

/**
 * Services Istio's installation creates in the control plane's namespace: istiod and its revisions,
 * and the gateways of the default and demo profiles (istio-ingressgateway, istio-egressgateway).
 * Manifests that route to them never define them (samples/multicluster/expose-istiod.yaml, the
 * egress-gateway task), so the analysis does not report them as missing.
 */
export function isIstioInstallService(fqdn: string): boolean {
  return /^(istiod(-[a-z0-9-]+)?|istio-ingressgateway|istio-egressgateway)\.(istio-system|aks-istio-system)\.svc\.cluster\.local$/.test(fqdn);
}
