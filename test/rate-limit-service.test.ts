// Global rate limiting end to end: typed limits, the rate-limit service and its configuration, the
// filter's actions walked to their limits, Redis, and the client's address.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { Duration } from 'cdk8s';
import { Chart } from 'cdk8s';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  analyze, ExternalTrafficPolicy, GatewayWorkload, IngressGateway, RATE_LIMIT_SERVICE_IMAGE, RateLimit, RateLimitDescriptor, RateLimitRedis,
  RateLimitService, RateLimitUnit, Traffic, VersionedService,
} from '../lib';
import { RATE_LIMIT_CONFIG_SCHEMA_FILE } from '../lib/analysis/checks/rate-limit/rate-limit-checks';
import { all, expectProblem, find, newChart, synth, synthValid } from './support/synth';

const schema = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(RATE_LIMIT_CONFIG_SCHEMA_FILE, 'utf8')) as object);

const LOCAL = { azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL } };

/** A route named "api" on `gateway` (the name route limits refer to). */
function apiRoute(chart: Chart, gateway: IngressGateway): void {
  const api = new VersionedService(chart, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'api:1' }] });
  gateway.addRoute('shop', { namespace: 'shop', routes: [{ name: 'api', to: Traffic.to(api.version('v1')) }] });
}

/** A gateway that sees clients, a service, one global limit built by `limits`, and a route "api". */
function edge(limit: (service: RateLimitService) => RateLimit, chart: Chart = newChart()) {
  const service = new RateLimitService(chart, 'ratelimit', { domain: 'shop', redis: RateLimitRedis.inCluster() });
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], ...LOCAL, rateLimits: [limit(service)] });
  apiRoute(chart, gateway);
  return { chart, service, gateway };
}

function configOf(objects: any[]): any {
  const cm = find(objects, 'ConfigMap', 'ratelimit-config');
  return load(cm.data['config.yaml']);
}

/** The entries Envoy sends for an action (key, and value when the action fixes it). */
function sent(action: any): { key: string; value?: string } {
  if (action.remote_address) return { key: 'remote_address' };
  if (action.request_headers) return { key: action.request_headers.descriptor_key };
  if (action.generic_key) return { key: action.generic_key.descriptor_key ?? 'generic_key', value: action.generic_key.descriptor_value };
  throw new Error(`unknown action ${JSON.stringify(action)}`);
}

/**
 * The limit envoyproxy/ratelimit applies to a chain, by its documented rule: at each level the entry
 * with the same key and value, else the entry with the key and no value.
 */
function walk(descriptors: any[], chain: Array<{ key: string; value?: string }>, sample: string): any {
  let level = descriptors;
  let node: any;
  for (const e of chain) {
    const value = e.value ?? sample;
    node = level.find((d) => d.key === e.key && d.value === value) ?? level.find((d) => d.key === e.key && d.value === undefined);
    if (!node) return undefined;
    level = node.descriptors ?? [];
  }
  return node?.rate_limit ? node : undefined;
}

describe('RateLimitService', () => {
  const limits = () => [
    RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE),
    RateLimitDescriptor.path().matching('/api/login').limit(10, RateLimitUnit.MINUTE, { shadowMode: true }),
    RateLimitDescriptor.requestHeader('x-api-key', 'API_KEY').nest(
      RateLimitDescriptor.path().limit(50, RateLimitUnit.SECOND),
      RateLimitDescriptor.genericKey('burst', 'tier').limit(5000, RateLimitUnit.HOUR),
    ),
  ];

  it('the configuration of a set of descriptors: domain, keys, values, limits, shadow mode, nesting; valid against the vendored schema', async () => {
    const { chart } = edge((service) => RateLimit.global({ service, limits: limits(), routeLimits: { api: [RateLimitDescriptor.genericKey('all').limit(1000, RateLimitUnit.SECOND)] } }));
    const objects = await synthValid(chart);
    const config = configOf(objects);
    expect(config).toEqual({
      domain: 'shop',
      descriptors: [
        { key: 'remote_address', rate_limit: { unit: 'minute', requests_per_unit: 100 } },
        { key: 'PATH', value: '/api/login', rate_limit: { unit: 'minute', requests_per_unit: 10 }, shadow_mode: true },
        { key: 'API_KEY', descriptors: [
          { key: 'PATH', rate_limit: { unit: 'second', requests_per_unit: 50 } },
          { key: 'tier', value: 'burst', rate_limit: { unit: 'hour', requests_per_unit: 5000 } },
        ] },
        { key: 'route', value: 'api', descriptors: [{ key: 'generic_key', value: 'all', rate_limit: { unit: 'second', requests_per_unit: 1000 } }] },
      ],
    });
    expect(schema(config), JSON.stringify(schema.errors)).toBe(true);
    expect(analyze(objects).filter((f) => f.check.startsWith('RateLimit'))).toEqual([]);
  });

  it('every action chain of the filter reaches its limit in the configuration, and every limit is reached', async () => {
    const { chart } = edge((service) => RateLimit.global({ service, limits: limits(), routeLimits: { api: [RateLimitDescriptor.remoteAddress().limit(20, RateLimitUnit.SECOND)] } }));
    const objects = await synthValid(chart);
    const config = configOf(objects);
    const [filter] = all(objects, 'EnvoyFilter');
    const chains = filter.spec.configPatches.flatMap((p: any) => p.patch.value.rate_limits ?? p.patch.value.route?.rate_limits ?? []);
    expect(chains).toHaveLength(5);
    const reached = new Set<any>();
    for (const { actions } of chains) {
      const entries = actions.map(sent);
      const hit = walk(config.descriptors, entries, entries.some((e: any) => e.key === 'PATH') ? '/api/login' : '10.1.2.3');
      expect(hit, `chain ${JSON.stringify(entries)}`).toBeDefined();
      reached.add(hit);
    }
    const limited = (ds: any[]): any[] => ds.flatMap((d) => [...(d.rate_limit ? [d] : []), ...limited(d.descriptors ?? [])]);
    expect(limited(config.descriptors).every((d) => reached.has(d))).toBe(true);
  });

  it('the filter takes domain, cluster, timeout and failure mode from the service; routes get an HTTP_ROUTE patch by route name', async () => {
    const chart = newChart();
    const service = new RateLimitService(chart, 'rl', { domain: 'edge', name: 'limits', namespace: 'rl', redis: RateLimitRedis.inCluster(), timeout: Duration.millis(250), failureModeDeny: true });
    apiRoute(chart, new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'], ...LOCAL,
      rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)], routeLimits: { api: [RateLimitDescriptor.remoteAddress().limit(10, RateLimitUnit.SECOND)] } })],
    }));
    const objects = await synthValid(chart);
    const [ef] = all(objects, 'EnvoyFilter');
    const [filter, vhost, route] = ef.spec.configPatches;
    expect(filter.patch.value.typed_config).toMatchObject({
      domain: 'edge', failure_mode_deny: true, timeout: '250ms',
      rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'outbound|8081||limits.rl.svc.cluster.local', authority: 'limits.rl.svc.cluster.local' } } },
    });
    expect(vhost.patch.value).toEqual({ rate_limits: [{ actions: [{ remote_address: {} }] }] });
    expect(route.applyTo).toBe('HTTP_ROUTE');
    // A plain-HTTP gateway: its route configuration is http.80, without the Gateway's name, so the patch matches by port.
    expect(route.match).toEqual({ context: 'GATEWAY', routeConfiguration: { portNumber: 80, vhost: { route: { name: 'api' } } } });
    expect(route.patch).toEqual({
      operation: 'MERGE',
      value: { route: { rate_limits: [{ actions: [{ generic_key: { descriptor_value: 'api', descriptor_key: 'route' } }, { remote_address: {} }] }], include_vh_rate_limits: true } },
    });
    expect(ef.metadata.annotations).toBeUndefined();
    const svc = find(objects, 'Service', 'limits');
    expect(svc.metadata.namespace).toBe('rl');
    expect(svc.spec.ports[0]).toMatchObject({ name: 'grpc-ratelimit', port: 8081, appProtocol: 'grpc' });
  });

  it('a route limit covers every HTTP route the route renders: a canary header override is limited with it, in the same counter', async () => {
    const chart = newChart();
    const service = new RateLimitService(chart, 'ratelimit', { domain: 'shop', redis: RateLimitRedis.inCluster() });
    const gateway = new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'], ...LOCAL,
      rateLimits: [RateLimit.global({ service, routeLimits: { pay: [RateLimitDescriptor.remoteAddress().limit(10, RateLimitUnit.MINUTE)] } })],
    });
    const pay = new VersionedService(chart, 'pay', { namespace: 'shop', port: 8080, versions: ['v1', 'v2'].map((v) => ({ name: v, image: `pay:${v}` })) });
    // Added after the limit, as an app usually does: the limit still finds the route.
    gateway.addRoute('shop', {
      namespace: 'shop',
      routes: [{ name: 'pay', to: Traffic.canary(pay.version('v1'), pay.version('v2'), { percent: 10, header: { name: 'x-canary', value: 'true' } }) }],
    });
    const objects = await synthValid(chart);
    const vs = find(objects, 'VirtualService');
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['pay-canary-override', 'pay']);
    const routePatches = find(objects, 'EnvoyFilter').spec.configPatches.filter((p: any) => p.applyTo === 'HTTP_ROUTE');
    // Every HTTP route of the VirtualService (a request with x-canary: true reaches the override) carries the limit.
    expect(routePatches.map((p: any) => p.match.routeConfiguration.vhost.route.name).sort()).toEqual(vs.spec.http.map((r: any) => r.name).sort());
    for (const p of routePatches) {
      expect(p.match).toMatchObject({ context: 'GATEWAY', routeConfiguration: { portNumber: 80 } });
      // The same actions: both routes send route=pay, so the override and the split share one counter.
      expect(p.patch).toEqual({ operation: 'MERGE', value: { route: { rate_limits: [{ actions: [{ generic_key: { descriptor_value: 'pay', descriptor_key: 'route' } }, { remote_address: {} }] }] } } });
    }
    expect(analyze(objects).filter((f) => f.check.startsWith('RateLimit'))).toEqual([]);
  });

  it('a routeLimits key that names no route bound to the gateway is a synth error naming the routes there are', () => {
    const limit = (route: string) => RateLimit.global({ domain: 'shop', serviceHost: 'rl.rl.svc.cluster.local', routeLimits: { [route]: [RateLimitDescriptor.path().limit(1, RateLimitUnit.SECOND)] } });
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], rateLimits: [limit('pai')] });
    apiRoute(chart, gateway);
    expect(() => synth(chart)).toThrow('test/edge: invalid rateLimits[0].routeLimits: received "pai". No HTTP route of an AppRoute bound to gateway istio-ingress/edge is named "pai" (its routes are api), so the limit would apply to nothing: use one of those names, or add the route to an AppRoute of the gateway.');
    // A route of another gateway does not count; a gateway without routes says so.
    const chart2 = newChart();
    new IngressGateway(chart2, 'edge', { hosts: ['shop.example.com'], rateLimits: [limit('api')] });
    apiRoute(chart2, new IngressGateway(chart2, 'other', { hosts: ['other.example.com'], workload: GatewayWorkload.managed({ name: 'other', labels: { gw: 'other' } }) }));
    expect(() => synth(chart2)).toThrow(/test\/edge: invalid rateLimits\[0\]\.routeLimits: received "api"\. No AppRoute of this app is bound to gateway istio-ingress\/edge.*gateway\.addRoute/);
    // A route bound through an import of the same Gateway counts (Envoy sees it in the same route configuration).
    const chart3 = newChart();
    new IngressGateway(chart3, 'edge', { hosts: ['shop.example.com'], rateLimits: [limit('api')] });
    const imported = IngressGateway.fromGatewayAttributes(chart3, 'edge-import', { name: 'edge', namespace: 'istio-ingress', hosts: ['shop.example.com'] });
    const api = new VersionedService(chart3, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'api:1' }] });
    imported.addRoute('shop', { namespace: 'shop', routes: [{ name: 'api', to: Traffic.to(api.version('v1')) }] });
    expect(() => synth(chart3)).not.toThrow();
  });

  it('the Deployment: pinned image, the configuration mounted, Redis from the environment, probes, resources, hardened, spread; HPA and PDB', async () => {
    const { chart } = edge((service) => RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(1, RateLimitUnit.SECOND)] }));
    const objects = await synthValid(chart);
    const deployment = find(objects, 'Deployment', 'ratelimit');
    expect(deployment.spec.replicas).toBeUndefined();
    const pod = deployment.spec.template.spec;
    const [c] = pod.containers;
    expect(c.image).toBe(RATE_LIMIT_SERVICE_IMAGE);
    expect(c.image).toMatch(/:[0-9a-f]{8}$/);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      REDIS_SOCKET_TYPE: 'tcp', REDIS_URL: 'ratelimit-redis.ratelimit.svc.cluster.local:6379', REDIS_TLS: 'false',
      REDIS_AUTH: { secretKeyRef: { name: 'ratelimit-redis', key: 'password' } },
      USE_STATSD: 'false', USE_PROMETHEUS: 'true', RUNTIME_ROOT: '/data', RUNTIME_SUBDIRECTORY: 'ratelimit', HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED: 'true',
    });
    expect(c.volumeMounts).toEqual([{ name: 'config', mountPath: '/data/ratelimit/config', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'config', configMap: { name: 'ratelimit-config' } }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthcheck', port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthcheck', port: 8080 });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics' });
    expect(find(objects, 'HorizontalPodAutoscaler', 'ratelimit').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(all(objects, 'PodDisruptionBudget').map((p) => [p.metadata.name, p.spec])).toEqual(expect.arrayContaining([
      ['ratelimit', { minAvailable: 1, selector: { matchLabels: { app: 'ratelimit', 'app.kubernetes.io/component': 'ratelimit' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
      ['ratelimit-redis', expect.objectContaining({ maxUnavailable: 1 })],
    ]));
  });

  it('in-cluster Redis: password from a Secret, resources, probes, no persistence; from a Secret: address, key and TLS', async () => {
    const { chart } = edge((service) => RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(1, RateLimitUnit.SECOND)] }));
    const objects = await synthValid(chart);
    const redis = find(objects, 'Deployment', 'ratelimit-redis').spec.template.spec.containers[0];
    expect(redis.command).toEqual(['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no']);
    expect(redis.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'ratelimit-redis', key: 'password' } } }]);
    expect(redis.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(redis.readinessProbe.tcpSocket).toEqual({ port: 6379 });
    expect(find(objects, 'Service', 'ratelimit-redis').spec.ports[0]).toMatchObject({ name: 'tcp-redis', port: 6379 });

    const chart2 = newChart();
    const service = new RateLimitService(chart2, 'rl', { domain: 'shop', redis: RateLimitRedis.fromSecret({ secretName: 'ratelimit-azure-redis' }) });
    new IngressGateway(chart2, 'edge', { hosts: ['shop.example.com'], ...LOCAL, rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(1, RateLimitUnit.SECOND)] })] });
    const objects2 = await synthValid(chart2);
    expect(all(objects2, 'Deployment').map((d) => d.metadata.name)).not.toContain('ratelimit-redis');
    const env = find(objects2, 'Deployment', 'ratelimit').spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => e.name.startsWith('REDIS_'))).toEqual([
      { name: 'REDIS_SOCKET_TYPE', value: 'tcp' },
      { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'ratelimit-azure-redis', key: 'url' } } },
      { name: 'REDIS_AUTH', valueFrom: { secretKeyRef: { name: 'ratelimit-azure-redis', key: 'password' } } },
      { name: 'REDIS_TLS', value: 'true' },
    ]);
  });

  it('limits of two gateways on one service merge; contradicting limits on one descriptor are an error', () => {
    const chart = newChart();
    const service = new RateLimitService(chart, 'rl', { domain: 'shop', redis: RateLimitRedis.inCluster() });
    new IngressGateway(chart, 'a', { hosts: ['a.example.com'], ...LOCAL, workload: GatewayWorkload.managed({ name: 'gw-a', labels: { gw: 'a' } }), rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)] })] });
    new IngressGateway(chart, 'b', { hosts: ['b.example.com'], ...LOCAL, workload: GatewayWorkload.managed({ name: 'gw-b', labels: { gw: 'b' } }), rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)] })] });
    expect(service.config.descriptors).toEqual([{ key: 'remote_address', rate_limit: { unit: 'minute', requests_per_unit: 100 } }]);
    expectProblem(
      () => new IngressGateway(chart, 'c', { hosts: ['c.example.com'], ...LOCAL, workload: GatewayWorkload.managed({ name: 'gw-c', labels: { gw: 'c' } }), rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(5, RateLimitUnit.MINUTE)] })] }),
      'test/rl', 'descriptors', '"remote_address=*"', /two limits, \[\{"unit":"minute","requests_per_unit":100\},false\] and \[\{"unit":"minute","requests_per_unit":5\},false\].*one limit per descriptor/);
  });

  it('a per-client limit on a gateway that sees node addresses is a synth error naming the fix; LOCAL or trusted proxies pass', () => {
    const limit = () => RateLimit.global({ domain: 'shop', serviceHost: 'rl.rl.svc.cluster.local', limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)] });
    expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], rateLimits: [limit()] }),
      'test/edge', 'rateLimits[0].limits (chain 0)', '"remote_address with externalTrafficPolicy Cluster"', /ExternalTrafficPolicy\.LOCAL.*numTrustedProxies/);
    expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], rateLimits: [RateLimit.global({ domain: 'shop', serviceHost: 'rl.rl.svc.cluster.local', routeLimits: { api: [RateLimitDescriptor.path().nest(RateLimitDescriptor.remoteAddress().limit(1, RateLimitUnit.SECOND))] } })] }),
      'test/edge', 'rateLimits[0].routeLimits.api (chain 0)', '"remote_address with externalTrafficPolicy Cluster"', /X-Forwarded-For/);
    expect(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], ...LOCAL, rateLimits: [limit()] })).not.toThrow();
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], numTrustedProxies: 1, rateLimits: [limit()] });
    const annotations = (gw.deployment!.toJson() as any).spec.template.metadata.annotations;
    expect(JSON.parse(annotations['proxy.istio.io/config'])).toEqual({ terminationDrainDuration: '20s', gatewayTopology: { numTrustedProxies: 1 } });
    expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], numTrustedProxies: -1 }), 'test/edge', 'numTrustedProxies', '-1', /whole number/);
    expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], numTrustedProxies: 1, workload: GatewayWorkload.existing({ namespace: 'x', selector: { a: 'b' } }) }),
      'test/edge', 'numTrustedProxies', '1', /only to a workload the package deploys/);
  });

  describe('bad input', () => {
    it('descriptors without limits, bad numbers, service with its own fields, a service nobody uses', () => {
      expectProblem(() => edge((service) => RateLimit.global({ service, limits: [RateLimitDescriptor.path()] })), 'test/edge', 'rateLimits[0].limits[0]', '"PATH"', /neither has a limit nor nested/);
      expect(() => RateLimitDescriptor.remoteAddress().limit(1.5, RateLimitUnit.MINUTE)).toThrow(/RateLimitDescriptor\(remote_address\): invalid limit.requestsPerUnit: received 1.5/);
      expect(() => RateLimitDescriptor.remoteAddress().limit(1, 'week' as RateLimitUnit)).toThrow(/RateLimitUnit.SECOND/);
      expect(() => RateLimitDescriptor.remoteAddress().matching('1.2.3.4')).toThrow(/AuthorizationPolicy/);
      expect(() => RateLimitDescriptor.requestHeader('bad header', 'K')).toThrow(/invalid headerName/);
      expectProblem(() => edge((service) => RateLimit.global({ service, domain: 'other', limits: [RateLimitDescriptor.remoteAddress().limit(1, RateLimitUnit.SECOND)] })), 'test/edge', 'rateLimits[0].domain', '"other"', /comes from the RateLimitService/);
      expectProblem(() => edge((service) => RateLimit.global({ service })), 'test/edge', 'rateLimits[0].limits', 'undefined', /Give the limits/);
      const chart = newChart();
      new RateLimitService(chart, 'rl', { domain: 'shop', redis: RateLimitRedis.inCluster() });
      expect(() => chart.toJson()).toThrow(/test\/rl: invalid descriptors: received 0\. No global rate limit uses this service/);
      expectProblem(() => new RateLimitService(newChart(), 'rl', { domain: 'a b', redis: RateLimitRedis.inCluster() }), 'test/rl', 'domain', '"a b"', /letters, digits/);
      expectProblem(() => new RateLimitService(newChart(), 'rl', { domain: 'a', redis: RateLimitRedis.inCluster(), image: 'envoyproxy/ratelimit' }), 'test/rl', 'image', '"envoyproxy/ratelimit"', /Pin the image/);
    });
  });
});
