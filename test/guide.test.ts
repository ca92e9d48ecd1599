// The guide the package grew from (shared seed: istio-ingress-gateway-guide), rebuilt with the
// constructs and checked field by field against the YAML its readers write by hand.
import { describe, expect, it } from 'vitest';
import {
  AppRoute, Disruption, GatewayWorkload, IngressGateway, LoadBalancer, PathMatch, RateLimit, Traffic, VersionedService,
} from '../lib';
import { find, newChart, synthValid } from './support/synth';

async function guideObjects() {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'my-gateway', {
    namespace: 'istio-system',
    hosts: ['myapp.example.com'],
    workload: GatewayWorkload.managed({ name: 'istio-ingressgateway', labels: { istio: 'ingressgateway' } }),
    autoscaling: { name: 'istio-ingress-hpa', minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 },
    disruption: Disruption.minAvailable(1, { name: 'gateway-pdb' }),
    rateLimits: [RateLimit.global({
      name: 'rate-limit',
      domain: 'istio-ingress',
      failureModeDeny: true,
      serviceHost: 'ratelimit.istio-system.svc.cluster.local',
    })],
  });
  const myapp = new VersionedService(chart, 'myapp', {
    namespace: 'default',
    port: 8080,
    trafficPolicy: { loadBalancer: LoadBalancer.LEAST_REQUEST },
    versions: [{ name: 'v1', image: 'myapp:1' }, { name: 'v2', image: 'myapp:2' }],
  });
  new AppRoute(chart, 'myapp-route', {
    name: 'myapp',
    gateways: [gateway],
    namespace: 'default',
    routes: [{ name: 'myapp', match: [{ path: PathMatch.prefix('/') }], rewrite: { uri: '/' }, to: Traffic.to(myapp) }],
  });
  return synthValid(chart);
}

describe('the guide, reproduced', () => {
  it('Gateway my-gateway', async () => {
    const gw = find(await guideObjects(), 'Gateway');
    expect(gw.apiVersion).toBe('networking.istio.io/v1');
    expect(gw.metadata).toEqual({ name: 'my-gateway', namespace: 'istio-system' });
    expect(gw.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['myapp.example.com'] }],
    });
  });

  it('VirtualService myapp', async () => {
    const vs = find(await guideObjects(), 'VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata.name).toBe('myapp');
    expect(vs.spec.hosts).toEqual(['myapp.example.com']);
    // The guide writes "my-gateway", which only resolves from istio-system; the construct always
    // writes the namespace-qualified reference, which resolves from any namespace.
    expect(vs.spec.gateways).toEqual(['istio-system/my-gateway']);
    expect(vs.spec.http).toEqual([{
      name: 'myapp',
      match: [{ uri: { prefix: '/' } }],
      rewrite: { uri: '/' },
      route: [{ destination: { host: 'myapp', port: { number: 8080 } } }],
    }]);
  });

  it('DestinationRule myapp', async () => {
    const dr = find(await guideObjects(), 'DestinationRule');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.metadata.name).toBe('myapp');
    expect(dr.spec).toEqual({
      host: 'myapp',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
      // As the guide: no tls, so Istio's auto mTLS applies (mutual TLS to pods with a sidecar).
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
    });
  });

  it('HorizontalPodAutoscaler istio-ingress-hpa', async () => {
    const objects = await guideObjects();
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'istio-ingress-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toEqual({ name: 'istio-ingress-hpa', namespace: 'istio-system' });
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istio-ingressgateway' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    const deployment = find(objects, 'Deployment', 'istio-ingressgateway');
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('resources of the gateway container', async () => {
    const deployment = find(await guideObjects(), 'Deployment', 'istio-ingressgateway');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '1000m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '2Gi' },
    });
  });

  it('PodDisruptionBudget gateway-pdb', async () => {
    const pdb = find(await guideObjects(), 'PodDisruptionBudget', 'gateway-pdb');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toMatchObject({ istio: 'ingressgateway' });
  });

  it('the rate-limit EnvoyFilter, completed', async () => {
    const ef = find(await guideObjects(), 'EnvoyFilter', 'rate-limit');
    expect(ef.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(ef.metadata.namespace).toBe('istio-system');
    expect(ef.spec.workloadSelector).toEqual({ labels: { istio: 'ingressgateway' } });
    expect(typeof ef.spec.priority).toBe('number');
    const [filter, actions] = ef.spec.configPatches;
    // The guide's patch...
    expect(filter.applyTo).toBe('HTTP_FILTER');
    expect(filter.patch.operation).toBe('INSERT_BEFORE');
    expect(filter.patch.value.name).toBe('envoy.filters.http.ratelimit');
    expect(filter.patch.value.typed_config).toMatchObject({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
      domain: 'istio-ingress',
      failure_mode_deny: true,
    });
    // ...completed: where it goes, which service answers, and the actions that make it take effect.
    expect(filter.match).toEqual({
      context: 'GATEWAY',
      listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } },
    });
    expect(filter.patch.value.typed_config.rate_limit_service).toEqual({
      grpc_service: {
        envoy_grpc: {
          cluster_name: 'outbound|8081||ratelimit.istio-system.svc.cluster.local',
          authority: 'ratelimit.istio-system.svc.cluster.local',
        },
      },
      transport_api_version: 'V3',
    });
    expect(actions).toEqual({
      applyTo: 'VIRTUAL_HOST',
      // The guide's gateway serves plain HTTP on port 80, whose route configuration (http.80) carries no
      // Gateway name: matched by port, as Istio's rate-limit task matches its vhost "*:80".
      match: { context: 'GATEWAY', routeConfiguration: { portNumber: 80 } },
      patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }] } },
    });
  });
});
