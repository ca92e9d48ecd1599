import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Certificate, ExternalTrafficPolicy, GatewayServer, GatewayWorkload, IngressGateway, RateLimit, RateLimitAction } from '../lib';
import { all, expectProblem, newChart, synthValid } from './support/synth';

const ROUTER_MATCH = {
  context: 'GATEWAY',
  listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } },
};

async function filters(...limits: RateLimit[]) {
  const chart = newChart();
  // Clients' addresses are seen (the global test counts by remote_address).
  new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }, rateLimits: limits });
  return all(await synthValid(chart), 'EnvoyFilter');
}

describe('RateLimit', () => {
  it('local: a token bucket filter before the router, in the gateway context, 429 with a header (snapshot)', async () => {
    const [ef] = await filters(RateLimit.local({ maxTokens: 200, tokensPerFill: 100, fillInterval: Duration.millis(500) }));
    expect(ef).toMatchSnapshot();
    expect(ef.metadata).toEqual({ name: 'istio-ingressgateway-local-ratelimit', namespace: 'istio-ingress' });
    expect(ef.spec.workloadSelector).toEqual({ labels: { istio: 'ingressgateway' } });
    expect(ef.spec.priority).toBe(10);
    const [patch] = ef.spec.configPatches;
    expect(patch.applyTo).toBe('HTTP_FILTER');
    expect(patch.match).toEqual(ROUTER_MATCH);
    expect(patch.patch.operation).toBe('INSERT_BEFORE');
    expect(patch.patch.value.name).toBe('envoy.filters.http.local_ratelimit');
    const config = patch.patch.value.typed_config;
    expect(config['@type']).toBe('type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit');
    expect(config.token_bucket).toEqual({ max_tokens: 200, tokens_per_fill: 100, fill_interval: '500ms' });
    expect(config.filter_enabled.default_value).toEqual({ numerator: 100, denominator: 'HUNDRED' });
    expect(config.filter_enforced.default_value).toEqual({ numerator: 100, denominator: 'HUNDRED' });
    expect(config.status).toEqual({ code: 'TooManyRequests' });
    expect(config.response_headers_to_add).toEqual([{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }]);
  });

  it('local: tokensPerFill defaults to maxTokens, fill interval to 1s', async () => {
    const [ef] = await filters(RateLimit.local({ maxTokens: 50 }));
    expect(ef.spec.configPatches[0].patch.value.typed_config.token_bucket).toEqual({ max_tokens: 50, tokens_per_fill: 50, fill_interval: '1s' });
  });

  it('global: the ratelimit filter with its service cluster, and the virtual-host actions of this Gateway', async () => {
    const [ef] = await filters(RateLimit.global({
      domain: 'shop',
      serviceHost: 'ratelimit.ratelimit.svc.cluster.local',
      servicePort: 8081,
      timeout: Duration.millis(250),
      descriptors: [[RateLimitAction.remoteAddress()], [RateLimitAction.genericKey('edge'), RateLimitAction.requestHeader('x-api-key', 'API_KEY')]],
      priority: 5,
    }));
    expect(ef.metadata.name).toBe('istio-ingressgateway-ratelimit');
    // Untyped descriptors name a service outside the app: the analysis does not look for its Service.
    expect(ef.metadata.annotations).toEqual({ 'ratelimit.istio-aks-edge.io/external-service': 'true' });
    expect(ef.spec.priority).toBe(5);
    const [filter, vhost] = ef.spec.configPatches;
    expect(filter.match).toEqual(ROUTER_MATCH);
    expect(filter.patch.value).toEqual({
      name: 'envoy.filters.http.ratelimit',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
        domain: 'shop',
        failure_mode_deny: false,
        timeout: '250ms',
        rate_limit_service: {
          grpc_service: { envoy_grpc: { cluster_name: 'outbound|8081||ratelimit.ratelimit.svc.cluster.local', authority: 'ratelimit.ratelimit.svc.cluster.local' } },
          transport_api_version: 'V3',
        },
      },
    });
    expect(vhost.applyTo).toBe('VIRTUAL_HOST');
    // A plain-HTTP gateway: its route configuration (http.80) carries no Gateway name: matched by port.
    expect(vhost.match).toEqual({ context: 'GATEWAY', routeConfiguration: { portNumber: 80 } });
    expect(vhost.patch).toEqual({
      operation: 'MERGE',
      value: {
        rate_limits: [
          { actions: [{ remote_address: {} }] },
          { actions: [{ generic_key: { descriptor_value: 'edge' } }, { request_headers: { header_name: 'x-api-key', descriptor_key: 'API_KEY' } }] },
        ],
      },
    });
  });

  it('local and global together; on an existing workload the filters go to its namespace', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      namespace: 'shop', hosts: ['shop.example.com'],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
      rateLimits: [RateLimit.local({ maxTokens: 10 }), RateLimit.global({ domain: 'shop', serviceHost: 'ratelimit.rl.svc.cluster.local' })],
    });
    const efs = all(await synthValid(chart), 'EnvoyFilter');
    expect(efs.map((e) => [e.metadata.namespace, e.metadata.name])).toEqual([
      ['istio-system', 'istio-ingressgateway-local-ratelimit'], ['istio-system', 'istio-ingressgateway-ratelimit'],
    ]);
    expect(efs[1].spec.configPatches[1].match.routeConfiguration).toEqual({ portNumber: 80 });
  });

  it('route patches match where Istio names the route configuration: by Gateway for TLS servers, by port for plain HTTP ones', async () => {
    // Istio names a TLS server's route configuration https.<port>.<port name>.<gateway>.<namespace> and a
    // plain-HTTP server's http.<port> (pilot's ParseGatewayRDSRouteName): an EnvoyFilter match by gateway
    // never reaches the latter. Before, every patch matched by gateway, so plain HTTP went unlimited.
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      servers: [
        GatewayServer.https({ certificate: Certificate.fromSecret('shop-tls') }),
        GatewayServer.http({ port: 8080, portName: 'http-alt' }),
        GatewayServer.http({ httpsRedirect: true }),
      ],
      rateLimits: [RateLimit.global({ domain: 'shop', serviceHost: 'ratelimit.rl.svc.cluster.local' })],
    });
    const [ef] = all(await synthValid(chart), 'EnvoyFilter');
    const vhosts = ef.spec.configPatches.filter((p: any) => p.applyTo === 'VIRTUAL_HOST').map((p: any) => p.match.routeConfiguration);
    // The redirect-only server answers before any route: nothing to limit there.
    expect(vhosts).toEqual([{ gateway: 'istio-ingress/edge' }, { portNumber: 8080 }]);
  });

  describe('bad input', () => {
    const make = (limit: RateLimit) => () => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], rateLimits: [limit] });
    it('numbers <= 0 and impossible settings', () => {
      expectProblem(make(RateLimit.local({ maxTokens: -5 })), 'test/edge', 'rateLimits[0].maxTokens', '-5', /at least 1/);
      expectProblem(make(RateLimit.local({ maxTokens: 1.5 })), 'test/edge', 'rateLimits[0].maxTokens', '1.5', /integer/);
      expectProblem(make(RateLimit.local({ maxTokens: 5, fillInterval: Duration.millis(10) })), 'test/edge', 'rateLimits[0].fillInterval', '10ms', /at least 50ms/);
      expectProblem(make(RateLimit.global({ domain: 'd', serviceHost: 'rl.rl.svc.cluster.local', timeout: Duration.millis(0) })), 'test/edge', 'rateLimits[0].timeout', '0s', /at least 1ms/);
    });
    it('a global limit without a usable service or descriptors', () => {
      expectProblem(make(RateLimit.global({ domain: '', serviceHost: 'rl.rl.svc.cluster.local' })), 'test/edge', 'rateLimits[0].domain', '""', /domain of the rate-limit service/);
      expectProblem(make(RateLimit.global({ domain: 'd', serviceHost: '*.rl.svc.cluster.local' })), 'test/edge', 'rateLimits[0].serviceHost', '"*.rl.svc.cluster.local"', /exact host/);
      expectProblem(make(RateLimit.global({ domain: 'd', serviceHost: 'rl.rl.svc.cluster.local', descriptors: [] })), 'test/edge', 'rateLimits[0].descriptors', '[]', /at least one descriptor/);
      expect(() => RateLimitAction.requestHeader('', 'K')).toThrow(/RateLimitAction.requestHeader: invalid headerName\/descriptorKey/);
    });
  });
});
