// Property-based tests: random valid edges always synthesize to objects that pass validation and
// analysis; random invalid ones always end in the package's named error. FC_RUNS sets the number
// of runs (default 200).
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Certificate, Disruption, IngressGateway, PathMatch, RateLimit, Traffic, VersionedService, analyze, istioCrdSchemas,
} from '../lib';
import { newChart, synth } from './support/synth';
import { validateSchemas } from '../lib';

const RUNS = Number(process.env.FC_RUNS ?? 200);

interface ServiceSpec {
  name: string;
  port: number;
  versions: Array<{ name: string; replicas?: number; autoscaling?: { minReplicas: number; maxReplicas: number } }>;
  split: number[]; // weights over the versions, summing to 100
  canaryHeader: boolean;
}

interface EdgeSpec {
  hosts: string[];
  https: boolean;
  redirect: boolean;
  minReplicas: number;
  maxReplicas: number;
  cpu: number;
  minAvailable: number;
  rateLimit?: number;
  services: ServiceSpec[];
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

/** Weights over n destinations that sum to 100. */
const weights = (n: number) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
  const points = [0, ...cuts.sort((a, b) => a - b), 100];
  return points.slice(1).map((p, i) => p - points[i]);
});

const serviceSpec = (name: string): fc.Arbitrary<ServiceSpec> => fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({
  name: fc.constant(name),
  port: fc.integer({ min: 1024, max: 65535 }),
  versions: fc.tuple(...Array.from({ length: n }, (_, i) => fc.oneof(
    fc.record({ name: fc.constant(`v${i + 1}`), replicas: fc.integer({ min: 1, max: 3 }) }),
    fc.integer({ min: 1, max: 3 }).chain((min) => fc.record({
      name: fc.constant(`v${i + 1}`), autoscaling: fc.record({ minReplicas: fc.constant(min), maxReplicas: fc.integer({ min, max: min + 5 }) }),
    })),
  ))).map((v) => [...v]),
  split: weights(n),
  canaryHeader: fc.boolean(),
}));

const edgeSpec: fc.Arbitrary<EdgeSpec> = fc.record({
  hosts: fc.uniqueArray(label.map((l) => `${l}.example.com`), { minLength: 1, maxLength: 3 }),
  https: fc.boolean(),
  redirect: fc.boolean(),
  minReplicas: fc.integer({ min: 2, max: 5 }),
  extra: fc.integer({ min: 0, max: 10 }),
  cpu: fc.integer({ min: 30, max: 95 }),
  rateLimit: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
  names: fc.uniqueArray(label, { minLength: 1, maxLength: 4 }),
}).chain((b) => fc.record({
  hosts: fc.constant(b.hosts),
  https: fc.constant(b.https),
  redirect: fc.constant(b.https && b.redirect),
  minReplicas: fc.constant(b.minReplicas),
  maxReplicas: fc.constant(b.minReplicas + b.extra),
  cpu: fc.constant(b.cpu),
  minAvailable: fc.integer({ min: 1, max: b.minReplicas - 1 }),
  rateLimit: fc.constant(b.rateLimit),
  services: fc.tuple(...b.names.map((n) => serviceSpec(n))).map((s) => [...s]),
}));

function build(spec: EdgeSpec) {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'edge', {
    hosts: spec.hosts,
    https: spec.https ? { certificate: Certificate.fromSecret('edge-tls'), redirectHttp: spec.redirect } : undefined,
    autoscaling: { minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, targetCpuUtilization: spec.cpu },
    disruption: Disruption.minAvailable(spec.minAvailable),
    rateLimits: spec.rateLimit !== undefined ? [RateLimit.local({ maxTokens: spec.rateLimit, fillInterval: Duration.seconds(1) })] : [],
  });
  const route = gateway.addRoute('routes', { namespace: 'shop' });
  for (const s of spec.services) {
    const svc = new VersionedService(chart, s.name, {
      namespace: 'shop', port: s.port, versions: s.versions.map((v) => ({ ...v, image: `registry.example.com/${s.name}:${v.name}` })),
    });
    const versions = s.versions.map((v) => svc.version(v.name));
    const to = versions.length === 2 && s.canaryHeader
      ? Traffic.canary(versions[0], versions[1], { percent: s.split[1], header: { name: 'x-canary', value: 'true' } })
      : Traffic.split(versions.map((v, i) => ({ to: v, weight: s.split[i] })));
    route.addRoute({ name: s.name, match: [{ path: PathMatch.prefix(`/${s.name}`) }], to });
  }
  return chart;
}

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
