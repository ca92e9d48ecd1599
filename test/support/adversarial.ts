// Adversarial inputs for the property tests (issue 30): valid inputs of each construct family with 1
// to 3 of their inputs replaced by values a JavaScript caller, a typo or the edge of a rule can give.
// test/property.test.ts runs each family with its default count (3,000+ cases in `npm test`);
// test/e2e/adversarial-large.test.ts runs them ten times larger with other seeds.
import * as fc from 'fast-check';
import { Cpu } from 'cdk8s-plus-27';
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  AppNamespace, Certificate, DestinationRule, Disruption, HashKey, IngressGateway, LoadBalancer, ServiceEntry, PathMatch, RateLimit, ScalingMetric, StringMatch, Traffic,
  VersionedService, analyze, istioCrdSchemas, validateSchemas,
} from '../../lib';
import { synth } from './synth';

// Adversarial inputs: a valid edge with 1 to 3 of its inputs replaced by values a JavaScript
// caller, a typo or an edge of a numeric range can give. Each case either throws the package's
// named error (plain Error, construct path, property, value and fix) or synthesizes objects that
// pass the schemas, the CRDs and the analysis; anything else (a TypeError, a RangeError, cdk8s's
// or constructs' own message, a raw exception) fails the test.
export type Input = Record<string, any>;

export function validInput(): Input {
  return {
    gatewayId: 'edge',
    gateway: {
      hosts: ['shop.example.com'],
      https: { certificate: Certificate.fromSecret('edge-tls'), redirectHttp: true },
      autoscaling: { minReplicas: 3, maxReplicas: 6, targetCpuUtilization: 70 },
      disruption: Disruption.minAvailable(1),
      shutdown: { preStopDelay: Duration.seconds(5), drainDuration: Duration.seconds(20) },
      rateLimits: [{ maxTokens: 100, fillInterval: Duration.seconds(1) }],
    },
    serviceId: 'api',
    service: {
      namespace: 'shop', port: 8080,
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), maxEjectionPercent: 50 } },
      versions: [{ name: 'v1', image: 'registry.example.com/api:1', replicas: 2, env: { LOG_LEVEL: 'info' } }],
    },
    route: {
      name: 'api',
      match: [{ path: ['prefix', '/api'], headers: { 'x-tenant': ['exact', 'a'] } }],
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'reset'] },
      timeout: Duration.seconds(10),
      fault: { delay: { fixedDelay: Duration.seconds(1), percent: 0.5 } },
      cors: { allowOrigins: [['exact', 'https://shop.example.com']], allowHeaders: ['authorization'], maxAge: Duration.hours(1) },
      headers: { request: { set: { 'x-env': 'prod' }, remove: ['x-debug'] } },
      rewrite: { uri: '/' },
    },
  };
}

/** Where a change may land (a path into {@link validInput}), and what it may be. */
export const TARGETS = [
  'gatewayId', 'serviceId', 'gateway.name', 'gateway.hosts', 'gateway.hosts.0', 'gateway.autoscaling.minReplicas', 'gateway.autoscaling.maxReplicas',
  'gateway.autoscaling.targetCpuUtilization', 'gateway.autoscaling.scaleDown.stabilizationWindow', 'gateway.autoscaling.scaleUp.policies.0', 'gateway.zones', 'gateway.http.port', 'gateway.https.port', 'gateway.shutdown.preStopDelay',
  'gateway.shutdown.drainDuration', 'gateway.shutdown.terminationGracePeriod', 'gateway.rateLimits.0.maxTokens', 'gateway.rateLimits.0.fillInterval',
  'gateway.rateLimits.1', 'gateway.rateLimits.0.name', 'gateway.resources.cpu.request', 'gateway.resources.memory.limit',
  'service.port', 'service.name', 'service.versions.0.name', 'service.versions.0.replicas', 'service.versions.0.image', 'service.versions.0.env',
  'service.versions.0.env.LOG_LEVEL', 'service.trafficPolicy.outlierDetection.maxEjectionPercent', 'service.trafficPolicy.outlierDetection.interval',
  'service.trafficPolicy.outlierDetection.consecutive5xxErrors', 'service.versions.1',
  'route.name', 'route.match.0.path.1', 'route.match.0.headers', 'route.retries.attempts', 'route.retries.perTryTimeout', 'route.retries.retryOn',
  'route.retries.retryOn.0', 'route.timeout', 'route.fault.delay.percent', 'route.fault.delay.fixedDelay', 'route.cors.maxAge', 'route.cors.allowHeaders.0',
  'route.headers.request.set', 'route.headers.request.remove.0', 'route.rewrite', 'route.rewrite.uri', 'route.redirect', 'route.match.0.path',
];

export const VALUES: unknown[] = [
  undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1, 1.5, 50.5, 0.00001, 15021, 70000, 2 ** 31, 2 ** 32, 1e21,
  '', ' ', 'Bad Name', 'a.example.com', 'x'.repeat(64), ':path', 'host', 'a\nb', 'MY-VAR=1', '9api', 'api', '5xx', 'teapot',
  ['regex', '(?=a)'], ['regex', 'a{1001}'], ['regex', '(?i)^/api'], ['regex', '(a)\\1'], ['regex', '\\Z'], ['prefix', ''],
  { ':authority': 'x' }, { host: 'x' }, { 'x-ok': 'a\u0000b' }, { 'x ok': 'a' }, { 'X-Up': 'a' }, { 'MY-VAR=1': '1' },
  {}, [], [null], ['shop.example.com', 'shop.example.com'],
  Duration.millis(1500), Duration.seconds(1e21), Duration.seconds(Number.NaN), Duration.millis(0), Duration.hours(1),
  Size.mebibytes(Number.NaN), Cpu.millis(Number.NaN), Size.mebibytes(100), Cpu.millis(100),
  { maxTokens: 5, fillInterval: Duration.seconds(1) }, { maxTokens: 5, fillInterval: Duration.seconds(1), name: 'istio-ingressgateway-local-ratelimit' },
  { name: 'v2', image: 'registry.example.com/api:2' }, { uri: '/new' }, { authority: 'other.example.com' },
];

/** A copy of a plain object or list (class instances stay shared): a case must not change the next one's values. */
function fresh(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fresh);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fresh(x)]));
  return v;
}

function setPath(o: Input, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: any = o;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object') at[k] = /^\d+$/.test(k) ? [] : {};
    at = at[k];
  }
  at[keys[keys.length - 1]] = value;
}

const stringMatch = (m: any) => (Array.isArray(m) && ['prefix', 'exact', 'regex'].includes(m[0]) ? (StringMatch as any)[m[0]](m[1]) : m);
const pathMatch = (m: any) => (Array.isArray(m) && ['prefix', 'exact', 'regex'].includes(m[0]) ? (PathMatch as any)[m[0]](m[1]) : m);

export function buildAdversarial(input: Input): Chart {
  // A plain App (Testing.app() makes a temporary folder per call, which dominated the run time).
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  const g = input.gateway;
  const rateLimits = Array.isArray(g?.rateLimits) ? g.rateLimits.map((r: any) => (r && typeof r === 'object' && !(r instanceof RateLimit) ? RateLimit.local(r) : r)) : g?.rateLimits;
  const gateway = new IngressGateway(chart, input.gatewayId, g && typeof g === 'object' ? { ...g, rateLimits } : g);
  const svc = new VersionedService(chart, input.serviceId, input.service);
  const r = input.route;
  const match = Array.isArray(r?.match) ? r.match.map((m: any) => (m && typeof m === 'object' ? {
    ...m,
    path: pathMatch(m.path),
    headers: m.headers && typeof m.headers === 'object' ? Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, stringMatch(v)])) : m.headers,
  } : m)) : r?.match;
  const cors = r?.cors && typeof r.cors === 'object' ? { ...r.cors, allowOrigins: Array.isArray(r.cors.allowOrigins) ? r.cors.allowOrigins.map(stringMatch) : r.cors.allowOrigins } : r?.cors;
  const redirect = r?.redirect;
  gateway.addRoute('routes', { namespace: 'shop', routes: [{ ...r, match, cors, ...(redirect ? { to: undefined, rewrite: undefined } : { to: Traffic.to(svc.version('v1')) }) }] });
  return chart;
}

/** The package's named error: "<construct path>: invalid <property>: received <value>. <fix>", possibly in cdk8s's list. */
/** Static factories (PathMatch.regex, RateLimit.local, ...) name themselves where there is no construct yet. */
const NAMED = /(^|\n {2}|\] )(test|[A-Z]\w*\.\w+)[^\n]*?: invalid [^\n]+: received [^\n]*\. \S/;

export interface AdversarialRun { named: number; valid: number; raw: string[]; rejectedLater: string[] }

/**
 * Runs `runs` adversarial cases (seeded): a valid input with 1-3 of its paths set to adversarial
 * values, built and synthesized. Each ends in the package's named error, or in output that passes the
 * schemas, the CRDs and the analysis; anything else is a raw error or accepted-but-rejected-later.
 */
export async function runAdversarial<I>(opts: {
  runs: number; seed: number; targets: readonly string[]; values: readonly unknown[]; valid: () => I; build: (input: I) => Chart;
}): Promise<AdversarialRun> {
  const out: AdversarialRun = { named: 0, valid: 0, raw: [], rejectedLater: [] };
  const cases = fc.sample(fc.array(fc.tuple(fc.constantFrom(...opts.targets), fc.nat(opts.values.length - 1)), { minLength: 1, maxLength: 3 }), { numRuns: opts.runs, seed: opts.seed });
  for (const changes of cases) {
    const input = opts.valid();
    for (const [path, v] of changes) setPath(input as never, path, fresh(opts.values[v]));
    const describeCase = changes.map(([p, v]) => `${p}=${String(JSON.stringify(opts.values[v]) ?? opts.values[v])}`).join(', ');
    let objects;
    try {
      objects = synth(opts.build(input));
    } catch (e) {
      if (e instanceof Error && e.constructor === Error && NAMED.test(e.message)) out.named++;
      else out.raw.push(`${describeCase}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
      continue;
    }
    // Accepted: the output must pass what the cluster and the analysis check.
    const problems = [
      ...(await validateSchemas(objects)).map((p) => p.message),
      ...istioCrdSchemas().validate(objects).map((p) => p.message),
      ...analyze(objects).filter((f) => f.severity === 'error' && f.check !== 'GatewayCredentialNotFound').map((f) => `${f.check}: ${f.message}`),
    ];
    if (problems.length) out.rejectedLater.push(`${describeCase}: accepted, but invalid: ${problems.join('; ')}`);
    else out.valid++;
  }
  if (process.env.FC_REPORT) {
    console.log(`seed ${opts.seed}: ${opts.runs} cases, ${out.named} named errors, ${out.valid} valid, ${out.raw.length} raw, ${out.rejectedLater.length} accepted-but-rejected-later`);
  }
  return out;
}

// The other construct families (ServiceEntry, DestinationRule, JWT, the load balancer's factories)
// with the same kinds of changes and the boundary values of the rules of issue 30 (exportTo,
// STATIC endpoints, IP and CIDR parsing, numeric last labels, jwksUri, cookie TTL, ring size).
export function validFamily(): Input {
  return {
    seId: 'ext',
    se: { namespace: 'shop', hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }], addresses: ['240.0.0.1'], exportTo: ['.'] },
    drId: 'dr',
    dr: { host: 'api.shop.svc.cluster.local', namespace: 'shop', subsets: [{ name: 'v1', labels: { version: 'v1' } }], exportTo: ['.'] },
    jwt: { issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/keys', audiences: ['api'] },
    cookieTtlMs: 1000,
    ringSize: 1024,
  };
}

export const FAMILY_TARGETS = [
  'seId', 'drId', 'se', 'se.hosts', 'se.hosts.0', 'se.hosts.1', 'se.ports', 'se.ports.0', 'se.ports.0.number', 'se.ports.0.name', 'se.ports.0.protocol', 'se.resolution',
  'se.endpoints', 'se.endpoints.0', 'se.endpoints.0.address', 'se.addresses', 'se.addresses.0', 'se.exportTo', 'se.exportTo.0', 'se.exportTo.1',
  'dr', 'dr.host', 'dr.subsets', 'dr.subsets.0', 'dr.subsets.0.name', 'dr.subsets.0.labels', 'dr.exportTo', 'dr.exportTo.0', 'dr.exportTo.1',
  'jwt', 'jwt.issuer', 'jwt.jwksUri', 'jwt.audiences', 'jwt.audiences.0', 'cookieTtlMs', 'ringSize',
];

export const FAMILY_VALUES: unknown[] = [
  undefined, null, Number.NaN, -1, 0, 1, 1.5, 443, 70000, 8_388_608, 8_388_609, 7,
  '', ' ', '.', '*', '~', 'shop', 'other', 'api.example.com', 'shop.example.123', '10.0.0.1', '999.1.2.3', '010.0.0.1', '10.0.0.0/8', '10.0.0.0/33', '::1', '2001:db8::/129',
  'unix:///var/run/api.sock', 'STATIC', 'DNS', 'NONE', 'TLS', 'HTTP', 'MONGO', 'tcp', 'Bad Name',
  'https://login.example.com/keys', ' https://login.example.com/keys', 'https://login.example.com\\keys', 'https://login.example.com/%zz', 'https://login.example.com/\nkeys',
  [], [null], ['.', '.'], ['*', 'shop'], ['~'], ['a.example.com', 'b.example.com'], {}, { version: 'v1' }, { name: 'v2', labels: { version: 'v2' } },
  { number: 27017, name: 'mongo', protocol: 'MONGO' }, { address: 'api.example.com' },
];

export function buildFamily(input: Input): Chart {
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  new ServiceEntry(chart, input.seId, input.se);
  const lb = LoadBalancer.consistentHash(HashKey.cookie('session', { ttl: typeof input.cookieTtlMs === 'number' && input.cookieTtlMs >= 0 ? Duration.millis(input.cookieTtlMs) : input.cookieTtlMs }), { minimumRingSize: input.ringSize });
  new DestinationRule(chart, input.drId, input.dr && typeof input.dr === 'object' ? { ...input.dr, trafficPolicy: { loadBalancer: lb } } : input.dr);
  gateway.requireJwt('jwt', input.jwt);
  return chart;
}


// The rules added last (gateway short names, policy path templates and empty values, empty header
// prefixes, the regex length limit, several hosts on a TCP/MONGO port, Pod Security levels, image
// references, HPA metric names, selectors and quantities), each target next to its boundary values.
export function validRuleInput(): Input {
  return {
    gatewayHost: 'shop.example.com',
    denyPath: '/admin/*',
    routePrefix: '/api',
    header: ['exact', 'a'],
    podSecurity: 'restricted',
    image: 'registry.example.com/api:1',
    metric: { metricName: 'requests_per_second', averageValue: '100', selector: { queue: 'orders' } },
    se: { namespace: 'shop', hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' },
  };
}

export const RULE_TARGETS = [
  'gatewayHost', 'denyPath', 'routePrefix', 'header', 'header.1', 'podSecurity', 'image', 'metric', 'metric.metricName', 'metric.averageValue',
  'metric.selector', 'se.hosts', 'se.hosts.1', 'se.ports.0.protocol', 'se.resolution',
];

export const RULE_VALUES: unknown[] = [
  undefined, null, '', '*', 'shop', 'shop.example.com', '*.example.com', 'shop.example.123',
  '/{*}/admin', '/api/{**}', '/{**}/x/{*}', '/{id}', '/a{', '/{*}.txt', '/x/{**}y', '/a*b', '*/admin', '/exact',
  ['prefix', ''], ['prefix', 'a'], ['exact', ''], ['regex', 'a'.repeat(1024)], ['regex', 'a'.repeat(1025)], ['regex', `^${'é'.repeat(511)}`],
  'privileged', 'baseline', 'strict', 'Restricted',
  'nginx', 'Registry/API:1', 'repo:tag:x', 'a//b', 'app:', `app@sha256:${'a'.repeat(64)}`, 'localhost:5000/a:b', 'a___b',
  '0', '-1', '100m', '1.5k', 'ten', '1e3', 'a/b', '..', { 'bad key!': 'v' }, { 'example.com/queue': 'orders' }, { queue: 'not valid!' }, {},
  ['a.example.com', 'b.example.com'], 'b.example.com', 'MONGO', 'TCP', 'TLS', 'HTTP', 'NONE', 'STATIC', 'DNS',
];

export function buildRuleInput(input: Input): Chart {
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  new AppNamespace(chart, 'shop-ns', { name: 'shop', podSecurity: input.podSecurity });
  const gateway = new IngressGateway(chart, 'edge', { hosts: [input.gatewayHost] });
  const metric = input.metric && typeof input.metric === 'object' ? ScalingMetric.pods(input.metric) : input.metric;
  const svc = new VersionedService(chart, 'api', {
    namespace: 'shop', port: 8080,
    versions: [{ name: 'v1', image: input.image, autoscaling: { minReplicas: 2, maxReplicas: 4, metrics: metric === undefined ? undefined : [metric] } }],
  });
  const route = gateway.addRoute('routes', {
    namespace: 'shop',
    routes: [{ name: 'api', match: [{ path: typeof input.routePrefix === 'string' ? PathMatch.prefix(input.routePrefix) : input.routePrefix, headers: { 'x-team': stringMatch(input.header) } }], to: Traffic.to(svc.version('v1')) }],
  });
  gateway.denyRequests('admin', { paths: [input.denyPath] });
  gateway.denyRequests('by-route', { routes: [route.route('api')] });
  new ServiceEntry(chart, 'db', input.se);
  return chart;
}
