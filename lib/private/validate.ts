/** Validation rules every construct shares: names, hosts, ports, numbers, durations, labels, addresses. */
import { isIP } from 'node:net';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { DNS_LABEL, DNS_SUBDOMAIN } from './dns';

export { DNS_LABEL, DNS_SUBDOMAIN };
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates a DNS-1123 label (namespaces, Service names, port names, version names): at most 63 characters. */
export function validateDnsLabel(scope: IConstruct | string, property: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !DNS_LABEL.test(value)) {
    fail(scope, property, value,
      'Use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit (for example "my-app").');
  }
  return value;
}

/** Validates a DNS-1123 subdomain (names of most Kubernetes and Istio objects): at most 253 characters. */
export function validateDnsSubdomain(scope: IConstruct | string, property: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(scope, property, value,
      'Use a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit (for example "shop-gateway").');
  }
  return value;
}

/** Validates a TCP port number. */
export function validatePort(scope: IConstruct | string, property: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    fail(scope, property, value, 'Use an integer port number between 1 and 65535.');
  }
  return value;
}

/** Validates a number that must be a positive integer (counts, replicas, tokens): at most `max` (an int32 by default). */
export function validatePositiveInteger(scope: IConstruct | string, property: string, value: number, max = 2 ** 31 - 1): number {
  if (!Number.isInteger(value) || value < 1 || value > max) fail(scope, property, value, `Use an integer of at least 1 and at most ${max}.`);
  return value;
}

/**
 * Ports the gateway's own Istio proxy binds (admin 15000, agent debug 15004, merged metrics 15020,
 * status 15021, DNS 15053, Envoy metrics 15090): a gateway server cannot listen on them. Other
 * ports of the 15000 range are free on a gateway (no iptables capture there): Istio's east-west
 * gateway serves 15012 (istiod), 15017 (webhooks) and 15443 (AUTO_PASSTHROUGH). Sidecars also bind
 * 15001, 15006 and 15008, which a gateway does not.
 * @see https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
 */
export const GATEWAY_PROXY_PORTS: readonly number[] = [15000, 15004, 15020, 15021, 15053, 15090];

/** Validates a port a gateway server listens on: 1-65535 and not one the gateway's proxy binds. */
export function validateGatewayPort(scope: IConstruct | string, property: string, value: number): number {
  validatePort(scope, property, value);
  if (GATEWAY_PROXY_PORTS.includes(value)) {
    fail(scope, property, value, `Ports ${GATEWAY_PROXY_PORTS.join(', ')} belong to the gateway's Istio proxy (15021 is the status port the load balancer probes): use another port, such as 8443.`);
  }
  return value;
}

/** A DNS-1035 label: a DNS-1123 label that starts with a letter (Kubernetes Service names). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Validates a Kubernetes Service name: a DNS-1035 label (starts with a letter), at most 63 characters. */
export function validateServiceName(scope: IConstruct | string, property: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_1035_LABEL.test(value)) {
    fail(scope, property, value, 'Use a Service name, a DNS-1035 label (a DNS-1123 label that starts with a letter): at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (for example "api").');
  }
  return value;
}

/** An environment variable name Kubernetes accepts everywhere (C identifiers plus "-" and "."). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Validates environment variables: names Kubernetes accepts, string values. */
export function validateEnv(scope: IConstruct | string, property: string, env: unknown): Record<string, string> {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) fail(scope, property, env, 'Give an object of names to values, for example { LOG_LEVEL: "info" }.');
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k)) fail(scope, `${property} key`, k, 'Use an environment variable name of letters, digits, "_", "-" and ".", not starting with a digit (no "=" or spaces), for example "LOG_LEVEL".');
    if (typeof v !== 'string') fail(scope, `${property}["${k}"]`, v, 'Give the value as a string, for example "1".');
  }
  return env as Record<string, string>;
}

/** Validates a percentage between 0 and 100 (inclusive). */
export function validatePercent(scope: IConstruct | string, property: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, property, value, 'Use a percentage between 0 and 100.');
  }
  return value;
}

/** Validates a duration that must be at least one millisecond (and a whole number of them). */
export function validateDuration(scope: IConstruct | string, property: string, value: Duration): Duration {
  const fix = 'Use a Duration of at least 1ms, in whole milliseconds, for example Duration.seconds(2).';
  if (!(value instanceof Duration)) fail(scope, property, value, `${fix} (A plain number is not a Duration.)`);
  const ms = millisOf(value);
  if (ms === undefined || ms < 1 || ms > MAX_DURATION_MS) fail(scope, property, value, fix + ' At most 10 years.');
  return value;
}

/**
 * Validates a duration Kubernetes or the proxy reads in whole seconds (grace periods, pre-stop
 * sleeps, autoscaler windows); returns the seconds.
 */
export function validateWholeSeconds(scope: IConstruct | string, property: string, value: Duration, min = 1): number {
  if (min === 0 && value instanceof Duration && millisOf(value) === 0) return 0;
  validateDuration(scope, property, value);
  const ms = value.toMilliseconds();
  if (ms % 1000 !== 0 || ms / 1000 < min) {
    fail(scope, property, value, `Use a whole number of seconds, at least ${min}, for example Duration.seconds(${Math.max(min, Math.ceil(ms / 1000))}).`);
  }
  return ms / 1000;
}

const MAX_DURATION_MS = 10 * 365 * 24 * 3600 * 1000;

function millisOf(value: Duration): number | undefined {
  try {
    const ms = value.toMilliseconds();
    return Number.isSafeInteger(ms) ? ms : undefined;
  } catch {
    return undefined; // cdk8s refuses fractions of a millisecond and NaN
  }
}

/** A GUID (Entra ID tenant, client and object IDs). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CIDR4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const CIDR6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

/** True for an IPv4 address or CIDR range. */
export function isCidr4(value: string): boolean {
  return CIDR4.test(value);
}

/** Checks CIDRs (IPv4 or IPv6, with or without a prefix length). */
export function validateCidrs(scope: IConstruct | string, property: string, cidrs: readonly string[]): string[] {
  if (!isArray(cidrs) || cidrs.length === 0) fail(scope, property, cidrs, 'List at least one address range, for example ["203.0.113.0/24"].');
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string' || !(CIDR4.test(c) || CIDR6.test(c))) fail(scope, `${property}[${i}]`, c, 'Use an IP address or CIDR range, for example "203.0.113.0/24".');
  });
  return [...cidrs];
}

/** Validates Kubernetes label keys and values. */
export function validateLabels(scope: IConstruct | string, property: string, labels: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || name.length > 63 || !LABEL_KEY_NAME.test(name)) {
      fail(scope, `${property} key`, key, 'Use a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".".');
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      fail(scope, `${property}["${key}"]`, value, 'Use a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.');
    }
  }
  return labels;
}

/** `Array.isArray` without widening the element type to `any`. */
export function isArray<T>(value: unknown): value is readonly T[] {
  return Array.isArray(value);
}

/** Validates a number of availability zones (1 to 5: Azure regions have 3). */
export function validateZoneCount(scope: IConstruct | string, property: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    fail(scope, property, value, 'Use the number of availability zones the nodes span, an integer from 1 to 5 (3 in Azure regions with zones).');
  }
  return value;
}

/**
 * Validates a construct id before the construct is created (`super(scope, validateId(scope, id))`):
 * a non-empty string without "/" (constructs' rule), so that a JavaScript caller's number or
 * undefined gets a named error rather than constructs' TypeError.
 */
export function validateId(scope: IConstruct, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.includes('/')) {
    fail(scope, 'id', id, 'Give the construct a non-empty string id without "/", for example "edge".');
  }
  if (scope.node.tryFindChild(id)) fail(scope, 'id', id, `${scope.node.path || 'The app'} already has a construct with this id: give each construct of a scope its own id.`);
  return id;
}

/** An Istio `exportTo` entry: "." (this namespace), "*" (every namespace) or a namespace's name. */
export function validateExportTo(scope: IConstruct | string, property: string, value: string): string {
  if (value === '.' || value === '*') return value;
  return validateDnsLabel(scope, property, value);
}

/**
 * An `exportTo` list as Istio's webhook checks it (pkg/config/validation validateExportTo): each
 * entry valid, no duplicates ("." and the object's own namespace are the same entry), "*" alone,
 * and on a ServiceEntry "~" (no one) alone.
 */
export function validateExportToList(scope: IConstruct | string, property: string, list: readonly string[] | undefined, namespace: string | undefined, serviceEntry = false): string[] | undefined {
  if (list === undefined) return undefined;
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (!(serviceEntry && e === '~')) validateExportTo(scope, `${property}[${i}]`, e);
    const key = e === '.' && namespace ? namespace : e;
    if (seen.has(key)) fail(scope, property, list, `Istio refuses duplicate entries in exportTo (${e === key ? `"${e}" twice` : `"." is the object's own namespace "${namespace}"`}): list each namespace once.`);
    seen.add(key);
  });
  if (list.length > 1 && seen.has('*')) fail(scope, property, list, 'Istio refuses "*" beside other entries in exportTo: "*" already exports to every namespace; give ["*"] alone or the namespaces without "*".');
  if (list.length > 1 && serviceEntry && seen.has('~')) fail(scope, property, list, 'Istio refuses "~" (no one) beside other entries in exportTo: give ["~"] alone or the namespaces.');
  return [...list];
}

/** Envoy's largest ring of a ring-hash load balancer (maximum_ring_size, 8M entries): a larger minimum is refused. */
export const ENVOY_MAX_RING_SIZE = 8_388_608;

/** An IP address as Go's netip.ParseAddr reads it (no leading zeros in IPv4; IPv6 zones allowed). */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** An IP address or a CIDR prefix as Istio parses ServiceEntry addresses (netip.ParsePrefix: bits within the family's length). */
export function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return isIpAddress(value);
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || ip.includes('%') || !/^(0|[1-9][0-9]{0,2})$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Kubernetes' resource.Quantity grammar: a signed decimal number and a binary, decimal or exponent suffix. */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/**
 * Validates a Kubernetes quantity ("100m", "1.5", "2Gi", "1e3") as resource.ParseQuantity reads it,
 * and, when `positive`, that it is above zero (the HPA's targets must be).
 */
export function validateQuantity(scope: IConstruct | string, property: string, value: unknown, positive = false): string {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    fail(scope, property, value, 'Use a Kubernetes quantity such as "100", "250m", "1.5k" or "2Gi".');
  }
  if (positive && (value.startsWith('-') || !/[1-9]/.test(value.replace(/(?:[eE][+-]?[0-9]+|[A-Za-z]+)$/, '')))) {
    fail(scope, property, value, 'Use a quantity above zero.');
  }
  return value;
}
