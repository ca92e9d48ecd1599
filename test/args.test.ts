// Run-time argument checks (issue 30): what a JavaScript caller, a JSON/YAML configuration or an
// `as` cast passes to a public entry point (null, a string where a list goes, a non-string id) is
// the package's named error (construct path, property, value, fix), never a TypeError from deep
// inside. One helper (lib/private/args.ts) with shapes generated from the options interfaces.
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Certificate, ClientTls, HashKey, DestinationRule, IngressGateway, PathMatch, RateLimit, RateLimitRedis, RateLimitService, ServiceEntry, StringMatch, Traffic, VersionedService,
} from '../lib';
import { find, newChart, synth, synthValid } from './support/synth';
import { conforms, report, req, Shape } from '../lib/private/args';

/** The package's named error: "<where>: invalid <property>: received <value>. <fix>", a plain Error. */
function expectNamed(f: () => unknown, where: string, property: string, value: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, 'an error').toBeInstanceOf(Error);
  expect((error as Error).constructor, (error as Error).message).toBe(Error);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect((error as Error).message).toMatch(new RegExp(`${escape(where)}: invalid ${escape(property)}: received ${escape(value)}\\. \\S`));
}

const any = (v: unknown) => v as never;

describe('run-time argument checks', () => {
  it('null where an options object goes', () => {
    const chart = newChart();
    expectNamed(() => new VersionedService(chart, 'api', any(null)), 'test/api', 'props', 'null');
    expectNamed(() => ClientTls.simple(any(null)), 'ClientTls.simple', 'options', 'null');
    expectNamed(() => RateLimit.local(any(null)), 'RateLimit.local', 'options', 'null');
    expectNamed(() => Certificate.fromKeyVault(any(undefined)), 'Certificate.fromKeyVault', 'options', 'undefined');
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    expectNamed(() => gateway.requireJwt('jwt', any(null)), 'test/edge', 'authorization["jwt"]', 'null');
  });

  it('null as a list element', () => {
    const chart = newChart();
    expectNamed(() => new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], autoscaling: { minReplicas: 2, maxReplicas: 3, metrics: [any(null)] } }), 'test/edge', 'autoscaling.metrics[0]', 'null');
    const api = new VersionedService(chart, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'registry.example.com/api:1' }] });
    const gateway = new IngressGateway(chart, 'gw', { hosts: ['shop.example.com'] });
    expectNamed(() => gateway.addRoute('r', { namespace: 'shop', routes: [{ name: 'a', to: Traffic.to(api.version('v1')), cors: { allowOrigins: [any(null)] } }] }),
      'test/gw/r', 'routes[0].cors.allowOrigins[0]', 'null');
    expectNamed(() => Traffic.split([any(null)]), 'Traffic.split', 'targets[0]', 'null');
  });

  it('a string where a list goes', () => {
    const chart = newChart();
    expectNamed(() => new IngressGateway(chart, 'edge', { hosts: any('shop.example.com') }), 'test/edge', 'hosts', '"shop.example.com"');
    expectNamed(() => new ServiceEntry(chart, 'se', { hosts: ['api.example.com'], ports: [{ number: 443, protocol: any('TLS'), name: 'tls' }], exportTo: any('.') }), 'test/se', 'exportTo', '"."');
    expectNamed(() => new ServiceEntry(chart, 'se2', { hosts: ['api.example.com'], ports: [{ number: 443, protocol: any('TLS'), name: 'tls' }], addresses: any('10.0.0.1') }), 'test/se2', 'addresses', '"10.0.0.1"');
    expectNamed(() => new DestinationRule(chart, 'dr', { host: 'api.shop.svc.cluster.local', subsets: any('v1') }), 'test/dr', 'subsets', '"v1"');
    const gateway = new IngressGateway(chart, 'gw', { hosts: ['shop.example.com'] });
    expectNamed(() => gateway.requireJwt('jwt', { issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/keys', audiences: any('api') }), 'test/gw', 'authorization["jwt"].audiences', '"api"');
  });

  it('construct ids that are not strings', () => {
    const chart = newChart();
    expectNamed(() => new ServiceEntry(chart, any(7), { hosts: ['api.example.com'], ports: [] }), 'test', 'id', '7');
    expectNamed(() => new DestinationRule(chart, any(null), { host: 'api' }), 'test', 'id', 'null');
    expectNamed(() => new RateLimitService(chart, any({}), { domain: 'edge', redis: RateLimitRedis.inCluster() }), 'test', 'id', '{}');
  });

  it('a value of the wrong kind inside an options object', () => {
    expectNamed(() => PathMatch.prefix(any(5)), 'PathMatch.prefix', 'prefix', '5');
    expectNamed(() => StringMatch.exact(any(['a'])), 'StringMatch.exact', 'value', '["a"]');
    expectNamed(() => RateLimit.local({ maxTokens: any('5'), fillInterval: Duration.seconds(1) }), 'RateLimit.local', 'options.maxTokens', '"5"');
    expectNamed(() => new IngressGateway(newChart(), 'edge', { hosts: ['a.example.com'], shutdown: { drainDuration: any(30) } }), 'test/edge', 'shutdown.drainDuration', '30');
  });

  it('valid input still synthesizes', () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'registry.example.com/api:1' }] });
    gateway.addRoute('r', { namespace: 'shop', routes: [{ name: 'a', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(api.version('v1')) }] });
    expect(synth(chart).length).toBeGreaterThan(5);
  });
});

describe('what cdk8s and cdk8s-plus refused with their own errors', () => {
  it('a cookie TTL that is not a whole number of milliseconds is named (a session cookie, 0, is fine)', () => {
    expectNamed(() => HashKey.cookie('session', { ttl: Duration.millis(1.5) }), 'HashKey.cookie', 'options.ttl', 'Duration 1.5 millis');
    expect(HashKey.cookie('session', { ttl: Duration.millis(0) })).toBeInstanceOf(HashKey);
  });

  it('two Service ports with the same targetPort: a valid Service, one container port', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', {
      namespace: 'shop', ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 8080, targetPort: 8080, name: 'http-alt' }],
      versions: [{ name: 'v1', image: 'registry.example.com/api:1' }],
    });
    const objects = await synthValid(chart);
    expect(find(objects, 'Service').spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual([[80, 8080], [8080, 8080]]);
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });

  it('two port names equal after the cut to 15 characters: the second container port is unnamed, not an error', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', {
      namespace: 'shop', ports: [{ port: 8080, name: 'http-metrics-aaaa-1' }, { port: 9090, name: 'http-metrics-aaaa-2' }, { port: 9091, name: 'http-metrics-a-b' }],
      versions: [{ name: 'v1', image: 'registry.example.com/api:1' }],
    });
    const objects = await synthValid(chart);
    // "http-metrics-a-" ends in "-": not an IANA service name, so unnamed too.
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 8080, name: 'http-metrics-aa' }, { containerPort: 9090 }, { containerPort: 9091 },
    ]);
  });
});

describe('the quick check agrees with the naming one', () => {
  // checkArgs runs `conforms` (no messages) and `report` (which names the problem) only when it
  // fails: the two must accept and refuse the same values.
  const shapes: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
    shape: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<Shape>('s', 'n', 'b', 'f', 'o', 'a', 'C:Duration'),
      tie('shape').map((s) => req(s)),
      fc.tuple(fc.constantFrom<'l' | 'r'>('l', 'r'), tie('shape')).map(([c, s]) => [c, s] as const),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('shape'), { maxKeys: 3 }),
    ),
  })).shape;
  const values = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(undefined, null, '', 'x', 0, 1, true, false, () => 1, Duration.seconds(1), new Date(0)),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.sparseArray(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 3 }),
    ),
  })).value;

  it('on random shapes and values: lists with holes and undefined items, maps, class instances, null', () => {
    fc.assert(fc.property(shapes, values, (shape, value) => {
      let threw = false;
      try {
        report('Test.check', '', value, shape);
      } catch {
        threw = true;
      }
      expect(conforms(value, shape)).toBe(!threw);
    }), { numRuns: 1000 });
  });
});
