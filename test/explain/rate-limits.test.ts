// Rate limits per route: the descriptors a request produces from the rate-limit EnvoyFilter's
// route and virtual-host `rate_limits` actions, and the limits they hit in the rate-limit
// service's configuration (value, unit, key); local token buckets with their value and interval.
import { describe, expect, it } from 'vitest';
import { synthEdge } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { LoadedEdge } from '../../lib/explain';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { parseYaml } from '../../lib/model/read-manifests';

const docs = (text: string) => text.split('\n---\n').map((t) => parseYaml(t) as KubernetesObject);
const prod = LoadedEdge.load(synthEdge(environments.prod).objects);
const global = (e: ReturnType<LoadedEdge['explain']>) => e.rateLimits.find((r) => r.kind === 'global');

describe('explain: rate-limit descriptors and limits', () => {
  it('the API route sends route=api and the client address, which hit 300 per minute; the canary override too', () => {
    for (const headers of [{}, { 'x-canary': 'true' }] as Record<string, string>[]) {
      const e = prod.explain({ host: 'shop.example.com', scheme: 'https', path: '/api/items', headers, sourceIp: '203.0.113.7' });
      const g = global(e)!;
      expect(g.domain).toBe('shop-edge');
      expect(g.descriptors).toEqual([{
        source: `route ${e.route?.name}`, entries: [{ key: 'route', value: 'api' }, { key: 'remote_address', value: '203.0.113.7' }],
        limit: { value: 300, unit: 'minute', key: 'route=api, remote_address' },
      }]);
      expect(g.limits).toEqual([{ value: 300, unit: 'minute', key: 'route=api, remote_address' }]);
    }
  });

  it('the storefront route sends no descriptor: the global filter does not limit it; the local bucket does', () => {
    const e = prod.explain({ host: 'shop.example.com', scheme: 'https', path: '/products/1' });
    expect([global(e)?.descriptors, global(e)?.limits]).toEqual([[], []]);
    expect(global(e)?.detail).toMatch(/no descriptor on this route \(not limited\)/);
    expect(e.rateLimits.find((r) => r.kind === 'local')?.limits).toEqual([{ value: 1000, unit: '1s', key: 'per gateway pod' }]);
  });

  const EDGE = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec: { selector: { istio: gw }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs, namespace: edge }
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http:
    - { name: limited, match: [{ uri: { prefix: /limited } }], route: [{ destination: { host: web.edge.svc.cluster.local } }] }
    - { name: other, route: [{ destination: { host: web.edge.svc.cluster.local } }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: rl, namespace: edge }
data:
  config.yaml: |
    domain: d
    descriptors:
      - key: tenant
        value: gold
        rate_limit: { unit: second, requests_per_unit: 50 }
      - key: tenant
        rate_limit: { unit: second, requests_per_unit: 5 }
      - key: vhost
        unlimited: true
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: rl, namespace: edge }
spec:
  workloadSelector: { labels: { istio: gw } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: GATEWAY }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.ratelimit, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit, domain: d } } }
    - applyTo: VIRTUAL_HOST
      match: { context: GATEWAY }
      patch: { operation: MERGE, value: { rate_limits: [{ actions: [{ generic_key: { descriptor_key: vhost, descriptor_value: all } }] }] } }
    - applyTo: HTTP_ROUTE
      match: { context: GATEWAY, routeConfiguration: { vhost: { route: { name: limited } } } }
      patch: { operation: MERGE, value: { route: { rate_limits: [{ actions: [{ request_headers: { header_name: x-tenant, descriptor_key: tenant } }] }] } } }`;
  const edge = LoadedEdge.load(docs(EDGE));
  const ask = (path: string, headers: Record<string, string> = {}) => global(edge.explain({ host: 'a.example.com', path, headers }))!;

  it('a header action: the exact value beats the key alone; a missing header sends no descriptor', () => {
    expect(ask('/limited', { 'x-tenant': 'gold' }).limits).toEqual([{ value: 50, unit: 'second', key: 'tenant=gold' }]);
    expect(ask('/limited', { 'x-tenant': 'tin' }).limits).toEqual([{ value: 5, unit: 'second', key: 'tenant' }]);
    expect(ask('/limited').descriptors).toEqual([]);
  });

  it("the virtual host's rate_limits apply only to a route without its own", () => {
    expect(ask('/elsewhere').descriptors).toEqual([{ source: 'virtual host', entries: [{ key: 'vhost', value: 'all' }], unlimited: true }]);
    expect(ask('/limited', { 'x-tenant': 'gold' }).descriptors?.map((d) => d.source)).toEqual(['route limited']);
  });

  it('a patch that matches by gateway does not reach a plain-HTTP server (its route configuration, http.<port>, carries no Gateway name); one by port does', () => {
    const byGateway = LoadedEdge.load(docs(EDGE.replace('routeConfiguration: { vhost:', 'routeConfiguration: { gateway: edge/gw, vhost:')));
    const sent = (e: LoadedEdge, path: string) => global(e.explain({ host: 'a.example.com', path, headers: { 'x-tenant': 'gold' } }))!.descriptors?.map((d) => d.source);
    expect(sent(byGateway, '/limited')).toEqual(['virtual host']);
    const byPort = LoadedEdge.load(docs(EDGE.replace('routeConfiguration: { vhost:', 'routeConfiguration: { portNumber: 80, vhost:')));
    expect(sent(byPort, '/limited')).toEqual(['route limited']);
  });
});
