// Imported gateways and services are usable wherever owned ones are (issue: the public API).
import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  analyze, AppNamespace, EdgeMonitoring, IngressGateway, PathMatch, RateLimit, Traffic, VersionedService,
} from '../lib';
import { synthesizeApp } from '../lib/synth/synth';
import { all, expectProblem, find, newChart, synth, synthValid } from './support/synth';

describe('an imported gateway', () => {
  const attrs = {
    name: 'shared-gateway', namespace: 'edge', hosts: ['*.example.com'],
    selector: { istio: 'shared-ingress' }, workloadNamespace: 'edge-pods',
    serviceAccountName: 'shared-ingress', workloadName: 'shared-ingress',
  };

  it('works with AppNamespace, EdgeMonitoring, allowFrom, addRoute, rate limits and authorization', async () => {
    const chart = newChart();
    const gateway = IngressGateway.fromGatewayAttributes(chart, 'shared', attrs);
    new AppNamespace(chart, 'shop', { gateways: [gateway] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1' }] });
    const billing = VersionedService.fromServiceAttributes(chart, 'billing', {
      name: 'billing', namespace: 'payments', ports: [9000], serviceAccountName: 'billing', deploymentNames: ['billing'],
    });
    api.allowFrom(gateway, billing);
    gateway.addRoute('shop', {
      namespace: 'shop',
      hosts: ['shop.example.com'],
      routes: [
        { name: 'billing', match: [{ path: PathMatch.prefix('/billing') }], to: Traffic.to(billing) },
        { name: 'api', to: Traffic.to(api) },
      ],
    });
    gateway.addRateLimit(RateLimit.local({ maxTokens: 10, fillInterval: Duration.seconds(1) }));
    gateway.denyRequests('block-admin', { paths: ['/admin/*'] });
    new EdgeMonitoring(chart, 'monitoring', { gateway, services: [api, billing] });
    const objects = await synthValid(chart);

    const vs = find(objects, 'VirtualService', 'shop');
    expect(vs.spec.gateways).toEqual(['edge/shared-gateway']);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'billing.payments.svc.cluster.local', port: { number: 9000 } } }]);
    expect(find(objects, 'NetworkPolicy', 'allow-from-gateways').spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge-pods' } },
      podSelector: { matchLabels: { istio: 'shared-ingress' } },
    }]);
    expect(find(objects, 'AuthorizationPolicy', 'api-allow-callers').spec.rules[0].from[0].source.principals).toEqual([
      'cluster.local/ns/edge-pods/sa/shared-ingress', 'cluster.local/ns/payments/sa/billing',
    ]);
    const filter = find(objects, 'EnvoyFilter');
    expect(filter.metadata).toEqual({ name: 'shared-ingress-local-ratelimit', namespace: 'edge-pods' });
    expect(filter.spec.workloadSelector).toEqual({ labels: { istio: 'shared-ingress' } });
    expect(find(objects, 'AuthorizationPolicy', 'shared-ingress-block-admin').metadata.namespace).toBe('edge-pods');
    const podMonitors = all(objects, 'PodMonitor');
    expect(podMonitors.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'edge-pods/shared-ingress-envoy-stats', 'shop/edge-sidecars', 'payments/edge-sidecars',
    ]);
    // The imported objects produce no ReferencedResourceNotFound or other error for themselves
    // beyond the Gateway the input does not hold (it is defined elsewhere).
    const errors = analyze(objects).filter((f) => f.severity === 'error').map((f) => f.check);
    expect(errors).toEqual([]);
  });

  it('says what is missing when its pods are unknown', () => {
    const chart = newChart();
    const bare = IngressGateway.fromGatewayAttributes(chart, 'bare', { name: 'gw', namespace: 'edge', hosts: ['a.example.com'] });
    expect(bare.selector).toBeUndefined();
    expect(bare.principal).toBeUndefined();
    expectProblem(() => new AppNamespace(chart, 'shop', { gateways: [bare] }), 'test/shop', 'gateways[0]', '"test/bare"', /give selector/);
    expectProblem(() => new EdgeMonitoring(chart, 'm', { gateway: bare }), 'test/m', 'gateway', '"test/bare"', /give selector/);
    expectProblem(() => bare.addRateLimit(RateLimit.local({ maxTokens: 1 })), 'test/bare', 'rateLimits[0]', 'undefined', /give selector/);
    const api = new VersionedService(chart, 'api', { versions: [{ name: 'v1', image: 'x/y:1' }] });
    expectProblem(() => api.allowFrom(bare), 'test/api', 'allowFrom[0]', '"test/bare"', /serviceAccountName/);
    // Binding routes needs only its name and hosts.
    expect(bare.addRoute('r', { namespace: 'shop', routes: [{ name: 'all', to: Traffic.to(api) }] }).hosts).toEqual(['a.example.com']);
  });

  it('bad attributes', () => {
    expectProblem(() => IngressGateway.fromGatewayAttributes(newChart(), 'g', { name: 'gw', namespace: 'edge', hosts: [] }), 'test/g', 'hosts', '[]', /List the hosts/);
    expectProblem(() => IngressGateway.fromGatewayAttributes(newChart(), 'g', { name: 'gw', namespace: 'edge', hosts: ['a.example.com'], selector: {} }),
      'test/g', 'selector', '{}', /at least one label/);
    expectProblem(() => IngressGateway.fromGatewayAttributes(newChart(), 'g', { name: 'gw', namespace: 'edge', hosts: ['a.example.com'], workloadNamespace: 'x' }),
      'test/g', 'workloadNamespace', '"x"', /give selector too/);
    expectProblem(() => VersionedService.fromServiceAttributes(newChart(), 's', { name: 's', namespace: 'n', ports: [0] }), 'test/s', 'ports[0]', '0', /between 1 and 65535/);
  });
});

describe('error messages name the right property', () => {
  const setup = () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { namespace: 'shop', hosts: ['shop.example.com'] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'x/api:1' }, { name: 'v2', image: 'x/api:2' }] });
    return { chart, gateway, api };
  };

  it('the route after a canary with a header override is routes[1], not routes[2]', () => {
    const { gateway, api } = setup();
    const route = gateway.addRoute('r', {
      routes: [{ name: 'api', to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 10, header: { name: 'x-canary', value: 'true' } }) }],
    });
    expectProblem(() => route.addRoute({ name: 'BAD', to: Traffic.to(api) }), 'test/edge/r', 'routes[1].name', '"BAD"', /lower-case letters/);
  });

  it('a synth validation error prints the construct path once', () => {
    const { chart, gateway } = setup();
    gateway.addRoute('empty');
    let message = '';
    try {
      synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('\n  test/edge/empty: invalid routes: received []. A VirtualService needs at least one route');
    expect(message).not.toContain('[test/edge/empty]');
    expect(() => synthesizeApp(chart.node.root as never)).toThrow(/Validation failed/);
  });

  it('Durations that are fractional, not whole seconds, or not Durations at all are named', () => {
    const make = (shutdown: object) => () => new IngressGateway(newChart(), 'edge', { hosts: ['a.example.com'], shutdown });
    expectProblem(make({ preStopDelay: Duration.millis(1500) }), 'test/edge', 'shutdown.preStopDelay', '1500ms', /whole number of seconds/);
    expectProblem(make({ drainDuration: Duration.millis(0.5) }), 'test/edge', 'shutdown.drainDuration', 'Duration 0.5 millis', /at least 1ms/);
    expectProblem(make({ terminationGracePeriod: 30 }), 'test/edge', 'shutdown.terminationGracePeriod', '30', /A plain number is not a Duration/);
    const { gateway, api } = setup();
    expectProblem(() => gateway.addRoute('r', { routes: [{ name: 'a', to: Traffic.to(api.version('v1')), timeout: Duration.seconds(1e12) }] }),
      'test/edge/r', 'routes[0].timeout', '1000000000000s', /At most 10 years/);
  });
});
