/**
 * The random edges of the property tests: a gateway (hosts, HTTPS or not, a redirect, autoscaling,
 * a disruption budget, maybe a local rate limit) and 1 to 4 versioned services, each routed by a
 * prefix with a split, or a canary with a header override. Shared by test/property.test.ts and
 * test/conformance.test.ts (one generator, not copies).
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Certificate, Disruption, IngressGateway, PathMatch, RateLimit, Traffic, VersionedService,
} from '../../lib';
import { newChart } from './synth';

export interface ServiceSpec {
  name: string;
  port: number;
  versions: Array<{ name: string; replicas?: number; autoscaling?: { minReplicas: number; maxReplicas: number } }>;
  split: number[]; // weights over the versions, summing to 100
  canaryHeader: boolean;
}

export interface EdgeSpec {
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

/** A DNS label of 1 to 7 characters. */
export const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

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

/** A random valid edge. */
export const edgeSpec: fc.Arbitrary<EdgeSpec> = fc.record({
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

/** The edge as constructs, in a chart of a fresh app. */
export function build(spec: EdgeSpec) {
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
