/**
 * Request tables: YAML files of requests and the outcome each must have, kept next to an edge and
 * checked by `explain --check` and in tests ("this path goes there").
 *
 * ```yaml
 * requests:
 *   - name: the canary header sends the API to v2
 *     request: { host: shop.example.com, path: /api/items, scheme: https, headers: { x-canary: "true" } }
 *     expect:
 *       decision: routed
 *       route: api-canary-override
 *       destinations: [{ host: api.shop, subset: v2, port: 8080, weight: 100 }]
 *   - name: at step 2 of the api canary, a quarter of the API goes to the canary
 *     rollout: shop/api
 *     step: 2
 *     request: { host: shop.example.com, path: /api/items, scheme: https }
 *     expect:
 *       destinations: [{ subset: stable, weight: 75 }, { subset: canary, weight: 25 }]
 * ```
 *
 * A row with `rollout` (an Argo Rollouts Rollout, "namespace/name") and `step` (its
 * `status.currentStepIndex`, from 0; the number of steps is the end, promoted) is answered as the
 * routes are while the canary is at that step.
 */
import { text as asText } from '../private/text';
import { describeProblem } from '../private/errors';
import { parseYaml } from '../model/read-manifests';
import { Decision, ExplainRequest, Explanation } from './explain';
import { arr, num, rec, str } from '../model/json';

/** An expected destination; fields left out are not compared. `host` may be short ("api.shop") or the FQDN. */
export interface ExpectedDestination {
  readonly host?: string;
  readonly subset?: string;
  readonly port?: number;
  readonly weight?: number;
}

/** What a request must produce; every field is optional and only the given ones are compared. */
export interface RequestExpectation {
  readonly decision?: Decision;
  readonly status?: number;
  /** "namespace/name" of the Gateway. */
  readonly gateway?: string;
  /** "namespace/name" of the VirtualService. */
  readonly virtualService?: string;
  /** The route's name. */
  readonly route?: string;
  /** The destinations, in the route's order. */
  readonly destinations?: readonly ExpectedDestination[];
  /** The redirect location. */
  readonly location?: string;
  /** The policy that denies ("namespace/name" or name). */
  readonly deniedBy?: string;
  /** Whether a JWT is required. */
  readonly jwtRequired?: boolean;
  /** Rate limits that must apply (EnvoyFilter "namespace/name" or name). */
  readonly rateLimits?: readonly string[];
  /**
   * Limits the request must hit, "<value>/<unit>" ("300/minute" from the rate-limit service's
   * configuration, "1000/1s" for a local token bucket); each given must be among them.
   */
  readonly limits?: readonly string[];
  /** The path after rewrite. */
  readonly path?: string;
  /** The route timeout ("10s", or "none"). */
  readonly timeout?: string;
}

/** One row of a request table. */
export interface RequestCase {
  readonly name: string;
  readonly request: ExplainRequest;
  readonly expect: RequestExpectation;
  /**
   * The Argo Rollouts canary step the row is answered at: the Rollout ("namespace/name") and the
   * step (its `status.currentStepIndex`, from 0; the number of steps is the end, promoted).
   * @default - the manifests as written
   */
  readonly rollout?: { readonly name: string; readonly step: number };
}

/** The result of one row. */
export interface RequestCaseResult {
  readonly name: string;
  /** The row's request. */
  readonly request: ExplainRequest;
  readonly passed: boolean;
  /** What differs, one line each ("route: expected api, got storefront"). */
  readonly failures: readonly string[];
  readonly explanation: Explanation;
}

const REQUEST_KEYS = ['host', 'path', 'method', 'headers', 'query', 'port', 'scheme', 'sni', 'gateway', 'jwt', 'sourceIp', 'source'];
const EXPECT_KEYS = ['decision', 'status', 'gateway', 'virtualService', 'route', 'destinations', 'location', 'deniedBy', 'jwtRequired', 'rateLimits', 'limits', 'path', 'timeout'];
const ROW_KEYS = ['name', 'request', 'expect', 'rollout', 'step'];
const DECISIONS = ['routed', 'redirected', 'denied', 'no-route', 'direct-response', 'unknown'];

/** Parses a request table; errors name the file, the row and the field. */
export function parseRequestTable(text: string, file = '<request table>'): RequestCase[] {
  const doc = rec(parseYaml(text, file));
  if (!Array.isArray(doc.requests)) throw new Error(describeProblem(file, 'requests', doc.requests, 'A request table is a YAML map with a list "requests", each with "name", "request" and "expect".'));
  return arr(doc.requests).map((row, i) => {
    const at = `${file}: requests[${i}]`;
    const r = rec(row);
    const name = str(r.name);
    if (!name) throw new Error(describeProblem(at, 'name', r.name, 'Give each request a name that says what it checks.'));
    const request = rec(r.request);
    const expect = rec(r.expect);
    for (const k of Object.keys(r)) if (!ROW_KEYS.includes(k)) throw new Error(describeProblem(`${at} (${name})`, k, r[k], `A row has only ${ROW_KEYS.join(', ')}.`));
    if ((r.rollout === undefined) !== (r.step === undefined)) {
      throw new Error(describeProblem(`${at} (${name})`, r.rollout === undefined ? 'rollout' : 'step', undefined, 'Give both "rollout" (the Rollout, namespace/name) and "step" (its step, from 0), or neither.'));
    }
    if (r.rollout !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(str(r.rollout)))) {
      throw new Error(describeProblem(`${at} (${name})`, 'rollout', r.rollout, 'Name the Rollout as namespace/name, for example shop/api.'));
    }
    if (r.step !== undefined && !(typeof r.step === 'number' && Number.isInteger(r.step) && r.step >= 0)) {
      throw new Error(describeProblem(`${at} (${name})`, 'step', r.step, 'Give the step as a whole number from 0 (the Rollout\'s status.currentStepIndex).'));
    }
    if (!str(request.host)) throw new Error(describeProblem(`${at} (${name})`, 'request.host', request.host, 'Give the Host header, for example "shop.example.com".'));
    for (const k of Object.keys(request)) if (!REQUEST_KEYS.includes(k)) throw new Error(describeProblem(`${at} (${name})`, `request.${k}`, request[k], `Use only ${REQUEST_KEYS.join(', ')}.`));
    if (r.expect === undefined || Object.keys(expect).length === 0) throw new Error(describeProblem(`${at} (${name})`, 'expect', r.expect, `Say what must happen, with at least one of ${EXPECT_KEYS.join(', ')}.`));
    for (const k of Object.keys(expect)) if (!EXPECT_KEYS.includes(k)) throw new Error(describeProblem(`${at} (${name})`, `expect.${k}`, expect[k], `Use only ${EXPECT_KEYS.join(', ')}.`));
    if (expect.decision !== undefined && !DECISIONS.includes(asText(expect.decision))) throw new Error(describeProblem(`${at} (${name})`, 'expect.decision', expect.decision, `Use one of ${DECISIONS.join(', ')}.`));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec(request.headers))) headers[k] = String(v);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec(request.query))) query[k] = String(v);
    const rollout = r.rollout !== undefined ? { rollout: { name: str(r.rollout)!, step: r.step as number } } : {};
    return { name, request: { ...(request as unknown as ExplainRequest), headers, query }, expect: expect, ...rollout };
  });
}

/** Whether an actual FQDN is the expected host, written short ("api", "api.shop") or in full. */
function sameHost(expected: string, actual: string): boolean {
  return expected === actual || actual.startsWith(`${expected}.`);
}

function sameName(expected: string, actual: string | undefined): boolean {
  return actual !== undefined && (expected === actual || actual.endsWith(`/${expected}`));
}

/** The pods an expected destination stands for, when the edge can tell (see {@link LoadedEdge}). */
export type ExpectedPods = (d: ExpectedDestination) => { readonly namespace: string; readonly labels: Readonly<Record<string, string>> } | undefined;

function samePods(a: { namespace: string; labels: Readonly<Record<string, string>> } | undefined, b: { namespace: string; labels: Readonly<Record<string, string>> } | undefined): boolean {
  if (!a || !b || a.namespace !== b.namespace) return false;
  const ka = Object.keys(a.labels);
  return ka.length === Object.keys(b.labels).length && ka.every((k) => a.labels[k] === b.labels[k]);
}

/**
 * Compares an explanation with an expectation; returns the differences. With `pods`, an expected
 * destination "host subset S" also matches a destination that reaches the same pods another way
 * (a Service per version, as in the Gateway API form).
 */
export function compareExpectation(e: Explanation, x: RequestExpectation, requestPath?: string, pods?: ExpectedPods): string[] {
  const failures: string[] = [];
  const eq = (field: string, expected: unknown, actual: unknown, same = expected === actual) => {
    if (expected !== undefined && !same) failures.push(`${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual ?? null)}`);
  };
  eq('decision', x.decision, e.decision);
  if (x.decision !== undefined && x.decision !== 'unknown' && e.unknowns.length) failures.push(`undecided: ${e.unknowns.join(' ')}`);
  eq('status', x.status, e.status);
  if (x.gateway !== undefined) eq('gateway', x.gateway, e.gateway?.name, sameName(x.gateway, e.gateway?.name));
  if (x.virtualService !== undefined) eq('virtualService', x.virtualService, e.route?.virtualService, sameName(x.virtualService, e.route?.virtualService));
  eq('route', x.route, e.route?.name);
  eq('location', x.location, e.redirect?.location);
  if (x.path !== undefined) {
    const forwarded = e.rewrite?.path ?? requestPath?.split('?')[0];
    eq('path', x.path, forwarded, x.path === forwarded);
  }
  eq('timeout', x.timeout, e.timeout);
  if (x.jwtRequired !== undefined) eq('jwtRequired', x.jwtRequired, e.jwt.required);
  if (x.deniedBy !== undefined) {
    const by = [e.authorization?.policy, ...e.destinations.map((d) => d.authorization?.policy)].filter((p): p is string => !!p);
    const denied = e.decision === 'denied' && by.some((p) => sameName(x.deniedBy!, p));
    if (!denied) failures.push(`deniedBy: expected ${x.deniedBy}, got ${e.decision === 'denied' ? by.join(', ') || 'no policy' : `decision ${e.decision}`}`);
  }
  for (const limit of x.rateLimits ?? []) {
    if (!e.rateLimits.some((r) => sameName(limit, r.name))) failures.push(`rateLimits: expected ${limit}, got ${JSON.stringify(e.rateLimits.map((r) => r.name))}`);
  }
  const hit = e.rateLimits.flatMap((r) => r.limits.map((l) => `${l.value}/${l.unit}`));
  for (const limit of x.limits ?? []) {
    if (!hit.includes(String(limit))) failures.push(`limits: expected ${limit}, got ${JSON.stringify(hit)}`);
  }
  if (x.destinations !== undefined) {
    const actual = e.destinations;
    if (actual.length !== x.destinations.length) failures.push(`destinations: expected ${x.destinations.length}, got ${actual.length} (${actual.map((d) => `${d.host}${d.subset ? `/${d.subset}` : ''}`).join(', ')})`);
    else {
      x.destinations.forEach((d, i) => {
        const a = actual[i];
        if ((d.host !== undefined || d.subset !== undefined) && pods && samePods(pods(d), a.pods)) {
          if (d.port !== undefined && num(d.port) !== a.port) failures.push(`destinations[${i}].port: expected ${d.port}, got ${a.port ?? 'unknown'}`);
          if (d.weight !== undefined && num(d.weight) !== a.weight) failures.push(`destinations[${i}].weight: expected ${d.weight}, got ${a.weight}`);
          return;
        }
        if (d.host !== undefined && !sameHost(d.host, a.host)) failures.push(`destinations[${i}].host: expected ${d.host}, got ${a.host}`);
        if (d.subset !== undefined && d.subset !== a.subset) failures.push(`destinations[${i}].subset: expected ${d.subset}, got ${a.subset ?? 'none'}`);
        if (d.port !== undefined && num(d.port) !== a.port) failures.push(`destinations[${i}].port: expected ${d.port}, got ${a.port ?? 'unknown'}`);
        if (d.weight !== undefined && num(d.weight) !== a.weight) failures.push(`destinations[${i}].weight: expected ${d.weight}, got ${a.weight}`);
      });
    }
  }
  return failures;
}

/** The results as text: one line a row, the differences below a failed one, and a closing count. */
export function formatTableResults(results: readonly RequestCaseResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.passed ? 'ok  ' : 'FAIL'} ${r.name}`);
    for (const f of r.failures) lines.push(`       ${f}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  lines.push(`${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n');
}
