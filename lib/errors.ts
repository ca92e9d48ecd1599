import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';

export { hostCoveredBy } from './private/hosts';

/**
 * The one shape every error of this package has: the construct path, the property, the value
 * received and how to fix it. `scope` may be a path string for objects that are not constructs.
 */
export function describeProblem(scope: IConstruct | string, property: string, value: unknown, fix: string): string {
  const path = typeof scope === 'string' ? scope : scope.node.path || '<root>';
  return `${path}: invalid ${property}: received ${show(value)}. ${fix}`;
}

/** Throws the error described by {@link describeProblem}. */
export function fail(scope: IConstruct | string, property: string, value: unknown, fix: string): never {
  throw new Error(describeProblem(scope, property, value, fix));
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Duration) return istioDuration(value);
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
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

/**
 * Validates a host name a Gateway or VirtualService serves: a DNS name, optionally with a leading
 * `*.` wildcard, or `*` alone when `allowCatchAll` is set.
 */
export function validateHost(scope: IConstruct | string, property: string, value: string, allowCatchAll = true): string {
  const fix = 'Use a fully qualified DNS name such as "shop.example.com", or a wildcard such as "*.example.com"'
    + (allowCatchAll ? ' or "*"' : '') + '; lower case, no scheme, port or path.';
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) fail(scope, property, value, fix);
  if (value === '*') {
    if (!allowCatchAll) fail(scope, property, value, fix);
    return value;
  }
  const name = value.startsWith('*.') ? value.slice(2) : value;
  if (!DNS_SUBDOMAIN.test(name) || name.split('.').some((part) => part.length > 63)) fail(scope, property, value, fix);
  return value;
}

/** Validates a TCP port number. */
export function validatePort(scope: IConstruct | string, property: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    fail(scope, property, value, 'Use an integer port number between 1 and 65535.');
  }
  return value;
}

/** Validates a number that must be a positive integer (counts, replicas, tokens). */
export function validatePositiveInteger(scope: IConstruct | string, property: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) fail(scope, property, value, 'Use an integer of at least 1.');
  return value;
}

/** Validates a percentage between 0 and 100 (inclusive). */
export function validatePercent(scope: IConstruct | string, property: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, property, value, 'Use a percentage between 0 and 100.');
  }
  return value;
}

/** Validates a duration that must be at least one millisecond. */
export function validateDuration(scope: IConstruct | string, property: string, value: Duration): Duration {
  if (!(value instanceof Duration) || value.toMilliseconds() < 1) {
    fail(scope, property, value, 'Use a Duration of at least 1ms, for example Duration.seconds(2).');
  }
  return value;
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

/** Renders a Duration the way Istio and Envoy read it: "10s" or "250ms". */
export function istioDuration(value: Duration): string {
  const ms = value.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
