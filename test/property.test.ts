// Property-based tests: random valid edges always synthesize to objects that pass validation and
// analysis; random invalid ones always end in the package's named error. FC_RUNS sets the number
// of runs (default 200).
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cpu } from 'cdk8s-plus-27';
import { App, Chart, Size } from 'cdk8s';
import {
  Certificate, DestinationRule, Disruption, HashKey, IngressGateway, LoadBalancer, ServiceEntry, PathMatch, RateLimit, StringMatch, Traffic, VersionedService, analyze, istioCrdSchemas,
} from '../lib';
import { synth } from './support/synth';
import { build, EdgeSpec, edgeSpec } from './support/edge-generator';
import { validateSchemas } from '../lib';

const RUNS = Number(process.env.FC_RUNS ?? 200);

describe('properties', () => {
  it('a random valid edge synthesizes to objects that pass validation and analysis', async () => {
    await fc.assert(fc.asyncProperty(edgeSpec, async (spec) => {
      const objects = synth(build(spec));
      expect(await validateSchemas(objects)).toEqual([]);
      expect(istioCrdSchemas().validate(objects)).toEqual([]);
      // Infos are not failures: a route prefix "/d" before "/d0" takes /d0's requests, which the
      // analysis reports as an info (VirtualServiceIneffectiveMatch, as istioctl's IST0131).
      const findings = analyze(objects).filter((f) => f.severity !== 'info' && !(f.check === 'GatewayCredentialNotFound' && spec.https));
      expect(findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    }), { numRuns: RUNS });
  });

  /** Ways to spoil a valid spec, each a mistake the package must name. */
  const corruptions: Array<[RegExp, (s: EdgeSpec) => void]> = [
    [/invalid hosts\[0\]/, (s) => { s.hosts[0] = s.hosts[0].toUpperCase(); }],
    [/invalid port: received 70000/, (s) => { s.services[0].port = 70000; }],
    [/invalid autoscaling\.minReplicas/, (s) => { s.maxReplicas = s.minReplicas - 1; }],
    [/invalid autoscaling\.minReplicas: received 0/, (s) => { s.minReplicas = 0; }],
    [/invalid disruption\.minAvailable/, (s) => { s.minAvailable = s.minReplicas; }],
    [/invalid routes\[0\]\.to(\.weights|\[0\]\.weight)/, (s) => { s.services[0].split[0] += 1; s.services[0].canaryHeader = false; }],
    [/invalid routes\[0\]\.to\[0\]\.weight: received -5/, (s) => { s.services[0].split[0] = -5; s.services[0].canaryHeader = false; }],
    [/invalid versions\[\d\]\.name: received "v1"/, (s) => { s.services[0].versions.push({ ...s.services[0].versions[0] }); s.services[0].split.push(0); }],
    [/invalid versions\[0\]\.name: received "V 1"/, (s) => { s.services[0].versions[0].name = 'V 1'; }],
    [/invalid rateLimits\[0\]\.maxTokens: received 0/, (s) => { s.rateLimit = 0; }],
    [/invalid autoscaling\.minReplicas: received "4 \(maxReplicas 2\)"/, (s) => { s.services[0].versions[0] = { name: 'v1', autoscaling: { minReplicas: 4, maxReplicas: 2 } }; }],
    [/invalid hosts: received \[\]/, (s) => { s.hosts = []; }],
  ];

  it('a random invalid edge ends in a named error: construct path, property, value and fix', () => {
    fc.assert(fc.property(edgeSpec, fc.constantFrom(...corruptions), (spec, [expected, corrupt]) => {
      const bad = structuredClone(spec);
      corrupt(bad);
      let error: unknown;
      try {
        synth(build(bad));
      } catch (e) {
        error = e;
      }
      expect(error, 'an error').toBeInstanceOf(Error);
      expect((error as Error).constructor).toBe(Error); // not a TypeError or RangeError from deep inside
      expect((error as Error).message).toMatch(/(^|\] )test[\w/-]*: invalid [^\n]+: received [^\n]+\. \S/m);
      expect((error as Error).message).toMatch(expected);
    }), { numRuns: RUNS });
  });
});

// Adversarial inputs: a valid edge with 1 to 3 of its inputs replaced by values a JavaScript
// caller, a typo or an edge of a numeric range can give. Each case either throws the package's
// named error (plain Error, construct path, property, value and fix) or synthesizes objects that
// pass the schemas, the CRDs and the analysis; anything else (a TypeError, a RangeError, cdk8s's
// or constructs' own message, a raw exception) fails the test.
const ADVERSARIAL_RUNS = Number(process.env.FC_ADVERSARIAL_RUNS ?? 2000);

type Input = Record<string, any>;

function validInput(): Input {
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
const TARGETS = [
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

const VALUES: unknown[] = [
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

function buildAdversarial(input: Input): Chart {
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

interface AdversarialRun { named: number; valid: number; raw: string[]; rejectedLater: string[] }

/**
 * Runs `runs` adversarial cases (seeded): a valid input with 1-3 of its paths set to adversarial
 * values, built and synthesized. Each ends in the package's named error, or in output that passes the
 * schemas, the CRDs and the analysis; anything else is a raw error or accepted-but-rejected-later.
 */
async function runAdversarial<I>(opts: {
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

describe('adversarial properties', () => {
  it(`${ADVERSARIAL_RUNS} valid edges with 1-3 adversarial changes: a named error or valid output, never a raw exception`, async () => {
    const { named, valid, raw, rejectedLater } = await runAdversarial({ runs: ADVERSARIAL_RUNS, seed: 13, targets: TARGETS, values: VALUES, valid: validInput, build: buildAdversarial });
    raw.push(...rejectedLater);
    expect(raw.slice(0, 60)).toEqual([]);
    expect(named + valid).toBe(ADVERSARIAL_RUNS);
    expect(valid).toBeGreaterThan(ADVERSARIAL_RUNS / 100); // some changes leave the input valid (about 1 in 40)
  });
});

// The other construct families (ServiceEntry, DestinationRule, JWT, the load balancer's factories)
// with the same kinds of changes and the boundary values of the rules of issue 30 (exportTo,
// STATIC endpoints, IP and CIDR parsing, numeric last labels, jwksUri, cookie TTL, ring size).
// FC_FAMILY_RUNS sets the count (default 1000: with the 2000 above, 3000 adversarial cases in
// `npm test`); a larger run: FC_ADVERSARIAL_RUNS=20000 FC_FAMILY_RUNS=10000 npx vitest run test/property.test.ts.
const FAMILY_RUNS = Number(process.env.FC_FAMILY_RUNS ?? 1000);
const FAMILY_SEED = 30;

function validFamily(): Input {
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

const FAMILY_TARGETS = [
  'seId', 'drId', 'se', 'se.hosts', 'se.hosts.0', 'se.hosts.1', 'se.ports', 'se.ports.0', 'se.ports.0.number', 'se.ports.0.name', 'se.ports.0.protocol', 'se.resolution',
  'se.endpoints', 'se.endpoints.0', 'se.endpoints.0.address', 'se.addresses', 'se.addresses.0', 'se.exportTo', 'se.exportTo.0', 'se.exportTo.1',
  'dr', 'dr.host', 'dr.subsets', 'dr.subsets.0', 'dr.subsets.0.name', 'dr.subsets.0.labels', 'dr.exportTo', 'dr.exportTo.0', 'dr.exportTo.1',
  'jwt', 'jwt.issuer', 'jwt.jwksUri', 'jwt.audiences', 'jwt.audiences.0', 'cookieTtlMs', 'ringSize',
];

const FAMILY_VALUES: unknown[] = [
  undefined, null, Number.NaN, -1, 0, 1, 1.5, 443, 70000, 8_388_608, 8_388_609, 7,
  '', ' ', '.', '*', '~', 'shop', 'other', 'api.example.com', 'shop.example.123', '10.0.0.1', '999.1.2.3', '010.0.0.1', '10.0.0.0/8', '10.0.0.0/33', '::1', '2001:db8::/129',
  'unix:///var/run/api.sock', 'STATIC', 'DNS', 'NONE', 'TLS', 'HTTP', 'MONGO', 'tcp', 'Bad Name',
  'https://login.example.com/keys', ' https://login.example.com/keys', 'https://login.example.com\\keys', 'https://login.example.com/%zz', 'https://login.example.com/\nkeys',
  [], [null], ['.', '.'], ['*', 'shop'], ['~'], ['a.example.com', 'b.example.com'], {}, { version: 'v1' }, { name: 'v2', labels: { version: 'v2' } },
  { number: 27017, name: 'mongo', protocol: 'MONGO' }, { address: 'api.example.com' },
];

function buildFamily(input: Input): Chart {
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  new ServiceEntry(chart, input.seId, input.se);
  const lb = LoadBalancer.consistentHash(HashKey.cookie('session', { ttl: typeof input.cookieTtlMs === 'number' && input.cookieTtlMs >= 0 ? Duration.millis(input.cookieTtlMs) : input.cookieTtlMs }), { minimumRingSize: input.ringSize });
  new DestinationRule(chart, input.drId, input.dr && typeof input.dr === 'object' ? { ...input.dr, trafficPolicy: { loadBalancer: lb } } : input.dr);
  gateway.requireJwt('jwt', input.jwt);
  return chart;
}

describe('adversarial properties: ServiceEntry, DestinationRule, JWT, load balancer', () => {
  it(`${FAMILY_RUNS} valid inputs with 1-3 adversarial changes (seed ${FAMILY_SEED}): a named error or valid output`, async () => {
    const { named, valid, raw, rejectedLater } = await runAdversarial({ runs: FAMILY_RUNS, seed: FAMILY_SEED, targets: FAMILY_TARGETS, values: FAMILY_VALUES, valid: validFamily, build: buildFamily });
    expect(raw.slice(0, 40)).toEqual([]);
    expect(rejectedLater.slice(0, 40)).toEqual([]);
    expect(named + valid).toBe(FAMILY_RUNS);
  });
});
