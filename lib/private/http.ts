/**
 * HTTP rules Envoy and Istio enforce: header names and values, header operations, retry policies,
 * and the numeric precisions of their fields.
 */
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** An HTTP header name (an RFC 9110 token), as Envoy accepts it. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters (but tab), which Envoy refuses in header values. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Validates a header name: a non-empty token (letters, digits and !#$%&'*+-.^_`|~), at most 8 KiB
 * long; `lowerCase` also requires lower case (Istio's header matches).
 */
export function validateHeaderName(scope: IConstruct | string, property: string, name: unknown, lowerCase = false): string {
  if (typeof name !== 'string' || !TOKEN.test(name) || name.length > 8192) {
    fail(scope, property, name, 'Use a header name of letters, digits and !#$%&\'*+-.^_`|~ (no spaces, colons or other characters), for example "x-request-id".');
  }
  if (lowerCase && name !== name.toLowerCase()) fail(scope, property, name, `Header names in matches must be lower case: use "${name.toLowerCase()}".`);
  return name;
}

/** Validates a header value: a string without control characters (tab allowed), at most 8 KiB. */
export function validateHeaderValue(scope: IConstruct | string, property: string, value: unknown): string {
  if (typeof value !== 'string' || CONTROL.test(value) || value.length > 8192) {
    fail(scope, property, value, 'Use a header value without control characters (line breaks, NUL, DEL), at most 8192 characters.');
  }
  return value;
}

/** The HTTP/2 pseudo-headers Istio accepts as header match names (Envoy matches them). */
export const PSEUDO_HEADERS: readonly string[] = [':method', ':scheme', ':authority', ':path', ':status'];

/**
 * Validates a header name of a match: a lower-case header name, or one of the pseudo-headers
 * {@link PSEUDO_HEADERS} (as Istio's validation accepts them).
 */
export function validateMatchHeaderName(scope: IConstruct | string, property: string, name: unknown): string {
  if (typeof name === 'string' && PSEUDO_HEADERS.includes(name)) return name;
  return validateHeaderName(scope, property, name, true);
}

/** Whether a header name is the authority (`:authority` or `host`, any case). */
export function isAuthorityHeader(name: string): boolean {
  return name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';
}

/**
 * Validates a header an operation may set, add or remove: a valid name that is not a pseudo-header
 * (":path", ...) nor `host`. With `authority` (request `set` and `add`), `:authority` and `host`
 * are accepted: Istio turns them into a host rewrite (pilot's translateAppendHeaders).
 */
export function validateModifiableHeader(scope: IConstruct | string, property: string, name: unknown, authority = false): string {
  if (authority && typeof name === 'string' && isAuthorityHeader(name)) return name;
  if (typeof name === 'string' && (name.startsWith(':') || name.toLowerCase() === 'host')) {
    fail(scope, property, name, authority
      ? 'Pseudo-headers other than ":authority" cannot be set or added (":authority" and "host" rewrite the host): use rewrite.uri for the path.'
      : 'Pseudo-headers (":path", ":authority", ...) and "host" cannot be removed, nor set on responses: use rewrite.uri or rewrite.authority instead.');
  }
  return validateHeaderName(scope, property, name);
}

/** The gRPC status names Istio accepts in a fault's `abort.grpcStatus` (pkg/config/validation, grpc.SupportedGRPCStatus). */
export const GRPC_STATUS_NAMES: readonly string[] = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** The `retryOn` conditions Istio accepts (besides HTTP status codes). */
export const RETRY_ON_POLICIES: readonly string[] = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

/** Validates one `retryOn` condition: one of {@link RETRY_ON_POLICIES} or an HTTP status code (100-599). */
/**
 * The status codes Go's net/http `StatusText` names (Go 1.24, status.go): Istio's webhook refuses
 * a numeric `retryOn` entry outside them ("509", "599").
 */
export const GO_STATUS_CODES: ReadonlySet<number> = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

export function validateRetryOn(scope: IConstruct | string, property: string, value: unknown): string {
  // Istio's webhook (validateHTTPRetry): a number must be a status code Go's http.StatusText knows.
  const isStatus = typeof value === 'string' && /^[1-5][0-9][0-9]$/.test(value) && GO_STATUS_CODES.has(Number(value));
  if (typeof value !== 'string' || (!isStatus && !RETRY_ON_POLICIES.includes(value))) {
    fail(scope, property, value, `Use one of ${RETRY_ON_POLICIES.join(', ')}, or an HTTP status code such as "503".`);
  }
  return value;
}

/** The largest int32 and uint32, the integer types of Kubernetes' and Envoy's fields. */
export const INT32_MAX = 2 ** 31 - 1;
/** The largest uint32. */
export const UINT32_MAX = 2 ** 32 - 1;

/** Validates an integer between `min` and `max` (an int32 by default). */
export function validateInteger(scope: IConstruct | string, property: string, value: unknown, min = 0, max = INT32_MAX): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(scope, property, value, `Use a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * Validates a percentage Istio stores as a double but Envoy applies in millionths (fault injection,
 * mirroring): between 0 and 100 with at most 4 decimals (0.0001% is the smallest step).
 */
export function validateFinePercent(scope: IConstruct | string, property: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100 || Math.abs(Math.round(value * 1e4) - value * 1e4) > 1e-6) {
    fail(scope, property, value, 'Use a percentage between 0 and 100 with at most 4 decimals (0.0001 is the smallest step Envoy applies).');
  }
  return value;
}
