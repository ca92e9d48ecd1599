// Gateway authorization from routes: the policy covers exactly the requests the routes match.
import { describe, expect, it } from 'vitest';
import { HttpMethod, IngressGateway, PathMatch, StringMatch, Traffic, VersionedService } from '../lib';
import { expectProblem, find, newChart, synthValid } from './support/synth';

const jwt = { issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/keys' };

/** Istio's AuthorizationPolicy path match: exact, "prefix*", "*suffix" or "*". */
function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return pattern === path;
}

function edge() {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
  const route = gateway.addRoute('shop', {
    namespace: 'shop',
    routes: [
      { name: 'orders', match: [{ path: PathMatch.prefix('/api/orders') }, { path: PathMatch.exact('/orders'), method: HttpMethod.POST, headers: { 'x-tenant': StringMatch.prefix('acme') } }], to: Traffic.to(api) },
      { name: 'search', match: [{ path: PathMatch.regex('^/search/.*') }], to: Traffic.to(api) },
      { name: 'query', match: [{ queryParams: { q: StringMatch.exact('1') } }], to: Traffic.to(api) },
      { name: 'rest', to: Traffic.to(api) },
    ],
  });
  return { chart, gateway, route };
}

describe('gateway authorization from routes (issue 11)', () => {
  it('requireJwt covers /api/orders, /api/orders/42 and /api/ordersX: the prefix match as "prefix*"', async () => {
    const { chart, gateway, route } = edge();
    gateway.requireJwt('orders-jwt', { ...jwt, routes: [route.route('orders')] });
    const policy = find(await synthValid(chart), 'AuthorizationPolicy');
    expect(policy.spec.rules).toEqual([
      {
        from: [{ source: { notRequestPrincipals: ['*'] } }],
        to: [{ operation: { hosts: ['shop.example.com', 'shop.example.com:*'], paths: ['/api/orders*'] } }],
      },
      {
        from: [{ source: { notRequestPrincipals: ['*'] } }],
        to: [{ operation: { hosts: ['shop.example.com', 'shop.example.com:*'], paths: ['/orders'], methods: ['POST'] } }],
        when: [{ key: 'request.headers[x-tenant]', values: ['acme*'] }],
      },
    ]);
    const paths: string[] = policy.spec.rules[0].to[0].operation.paths;
    for (const p of ['/api/orders', '/api/orders/42', '/api/ordersX']) expect(paths.some((x) => pathMatches(x, p)), p).toBe(true);
  });

  it('the paths users wrote before leave /api/ordersX open (why routes exist)', () => {
    const written = ['/api/orders', '/api/orders/*'];
    expect(written.some((x) => pathMatches(x, '/api/ordersX'))).toBe(false);
  });

  it('denyRequests takes routes too', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    const route = gateway.addRoute('admin', { namespace: 'shop', routes: [{ name: 'admin', match: [{ path: PathMatch.prefix('/admin') }], to: Traffic.to(api) }] });
    gateway.denyRequests('no-admin', { routes: [route.route('admin')] });
    const objects = await synthValid(chart);
    expect(find(objects, 'AuthorizationPolicy').spec.rules).toEqual([{ to: [{ operation: { hosts: ['shop.example.com', 'shop.example.com:*'], paths: ['/admin*'] } }] }]);
  });

  it('conditions a policy cannot express, routes of another gateway, routes with paths are errors', () => {
    const { chart, gateway, route } = edge();
    expectProblem(() => gateway.requireJwt('a', { ...jwt, routes: [route.route('search')] }), 'test/edge', 'authorization["a"].routes[0](test/edge/shop route "search" match[0]).uri.regex', '"^/search/.*"', /cannot express/);
    expectProblem(() => gateway.requireJwt('b', { ...jwt, routes: [route.route('query')] }), 'test/edge', 'authorization["b"].routes[0](test/edge/shop route "query" match[0]).queryParams', '{"q":{"exact":"1"}}', /cannot express/);
    expectProblem(() => gateway.denyRequests('c', { routes: [route.route('orders')], paths: ['/x'] }), 'test/edge', 'authorization["c"].routes', '"(set, with hosts, paths or methods)"', /not both/);
    const other = new IngressGateway(chart, 'other', { namespace: 'other', hosts: ['shop.example.com'] });
    expectProblem(() => other.denyRequests('d', { routes: [route.route('orders')] }), 'test/other', 'authorization["d"].routes[0]', '"test/edge/shop"', /not bound to this gateway/);
    expectProblem(() => route.route('nope'), 'test/edge/shop', 'route', '"nope"', /orders, search, query, rest/);
  });
});
