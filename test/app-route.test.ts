import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppRoute, Certificate, GatewayWorkload, HttpMethod, IngressGateway, PathMatch, StringMatch, Traffic, VersionedService,
} from '../lib';
import { expectProblem, find, newChart, synth, synthValid } from './support/synth';

function edge() {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'edge', {
    hosts: ['shop.example.com', '*.api.example.com'],
    https: { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true },
  });
  const api = new VersionedService(chart, 'api', {
    namespace: 'shop',
    versions: [{ name: 'v1', image: 'api:1' }, { name: 'v2', image: 'api:2' }],
  });
  const web = new VersionedService(chart, 'web', { namespace: 'shop', port: 80, versions: [{ name: 'v1', image: 'web:1' }] });
  return { chart, gateway, api, web };
}

describe('AppRoute', () => {
  it('synthesizes a VirtualService bound to the gateway (snapshot)', async () => {
    const { chart, gateway, api, web } = edge();
    gateway.addRoute('shop', {
      namespace: 'shop',
      routes: [
        {
          name: 'api', match: [{ path: PathMatch.prefix('/api') }], rewrite: { uri: '/' },
          to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 10, header: { name: 'x-canary', value: 'true' } }),
        },
        { name: 'web', to: Traffic.to(web.version('v1')) },
      ],
    });
    const vs = find(await synthValid(chart), 'VirtualService');
    expect(vs).toMatchSnapshot();
  });

  it('derives gateways, hosts, destination hosts, subsets and ports from the objects', async () => {
    const { chart, gateway, api } = edge();
    const route = gateway.addRoute('api-route', { routes: [{ name: 'api', to: Traffic.to(api.version('v2')) }] });
    const vs = find(await synthValid(chart), 'VirtualService');
    expect(route.namespace).toBe('istio-ingress');
    expect(vs.metadata).toEqual({ name: 'api-route', namespace: 'istio-ingress' });
    expect(vs.spec.gateways).toEqual(['istio-ingress/edge']);
    expect(vs.spec.hosts).toEqual(['shop.example.com', '*.api.example.com']);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'api.shop.svc.cluster.local', subset: 'v2', port: { number: 8080 } } }]);
  });

  it('the canary: weights computed, a header override ahead of the split', async () => {
    const { chart, gateway, api } = edge();
    gateway.addRoute('shop', {
      namespace: 'shop',
      routes: [{
        name: 'api',
        match: [{ path: PathMatch.prefix('/api') }, { path: PathMatch.prefix('/v1/api') }],
        to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 25, header: { name: 'x-canary', value: 'true' } }),
      }],
    });
    const http = find(await synthValid(chart), 'VirtualService').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['api-canary-override', 'api']);
    expect(http[0].match).toEqual([
      { uri: { prefix: '/api' }, headers: { 'x-canary': { exact: 'true' } } },
      { uri: { prefix: '/v1/api' }, headers: { 'x-canary': { exact: 'true' } } },
    ]);
    expect(http[0].route).toEqual([{ destination: { host: 'api', subset: 'v2', port: { number: 8080 } } }]);
    expect(http[1].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['v1', 75], ['v2', 25]]);
  });

  it('every route option reaches the VirtualService', async () => {
    const { chart, gateway, api, web } = edge();
    gateway.addRoute('all', {
      hosts: ['shop.example.com'],
      routes: [
        { name: 'old', match: [{ path: PathMatch.exact('/old') }], redirect: { uri: '/new', authority: 'shop.example.com', scheme: 'https', code: 308 } },
        {
          name: 'api',
          match: [{
            path: PathMatch.regex('^/api/v[0-9]+/.*'),
            headers: { 'x-tenant': StringMatch.prefix('acme') },
            queryParams: { debug: StringMatch.exact('1') },
            method: HttpMethod.GET,
            ignoreUriCase: true,
          }],
          rewrite: { uri: '/', authority: 'api.internal' },
          to: Traffic.split([{ to: api.version('v1'), weight: 80 }, { to: api.version('v2'), weight: 20 }]),
          retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'reset'] },
          timeout: Duration.seconds(10),
          fault: { delay: { fixedDelay: Duration.millis(500), percent: 1 }, abort: { httpStatus: 503, percent: 0.5 } },
          mirror: { to: web, percent: 5 },
          cors: {
            allowOrigins: [StringMatch.exact('https://shop.example.com')], allowMethods: [HttpMethod.GET, HttpMethod.POST],
            allowHeaders: ['authorization'], exposeHeaders: ['x-request-id'], maxAge: Duration.hours(1), allowCredentials: true,
          },
          headers: { request: { set: { 'x-edge': 'shop' }, remove: ['x-debug'] }, response: { add: { 'x-served-by': 'edge' } } },
        },
      ],
    });
    const vs = find(await synthValid(chart), 'VirtualService');
    expect(vs.spec.hosts).toEqual(['shop.example.com']);
    const [old, route] = vs.spec.http;
    expect(old).toEqual({ name: 'old', match: [{ uri: { exact: '/old' } }], redirect: { uri: '/new', authority: 'shop.example.com', scheme: 'https', redirectCode: 308 } });
    expect(route).toEqual({
      name: 'api',
      match: [{
        uri: { regex: '^/api/v[0-9]+/.*' }, headers: { 'x-tenant': { prefix: 'acme' } }, queryParams: { debug: { exact: '1' } },
        method: { exact: 'GET' }, ignoreUriCase: true,
      }],
      rewrite: { uri: '/', authority: 'api.internal' },
      route: [
        { destination: { host: 'api.shop.svc.cluster.local', subset: 'v1', port: { number: 8080 } }, weight: 80 },
        { destination: { host: 'api.shop.svc.cluster.local', subset: 'v2', port: { number: 8080 } }, weight: 20 },
      ],
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
      timeout: '10s',
      fault: { delay: { fixedDelay: '500ms', percentage: { value: 1 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } },
      mirror: { host: 'web.shop.svc.cluster.local', port: { number: 80 } },
      mirrorPercentage: { value: 5 },
      corsPolicy: {
        allowOrigins: [{ exact: 'https://shop.example.com' }], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization'],
        exposeHeaders: ['x-request-id'], maxAge: '3600s', allowCredentials: true,
      },
      headers: { request: { set: { 'x-edge': 'shop' }, remove: ['x-debug'] }, response: { add: { 'x-served-by': 'edge' } } },
    });
  });

  it('DestinationRules come before the VirtualServices that use their subsets (make-before-break)', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    // The route is defined before the service it targets gets its DestinationRule in the output order.
    const late = new VersionedService(chart, 'late', { versions: [{ name: 'v1', image: 'l:1' }] });
    const route = new AppRoute(chart, 'route', { gateways: [gateway] });
    route.addRoute({ name: 'late', to: Traffic.to(late.version('v1')) });
    const kinds = (await synthValid(chart)).map((o) => o.kind);
    expect(kinds.indexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService'));
  });

  it('binds to several gateways, including ones the app does not own', async () => {
    const { chart, gateway, web } = edge();
    const shared = IngressGateway.fromGatewayAttributes(chart, 'shared', { name: 'public', namespace: 'istio-system', hosts: ['*'] });
    new AppRoute(chart, 'web-route', { gateways: [gateway, shared], hosts: ['www.example.org'], routes: [{ name: 'web', to: Traffic.to(web) }] });
    const vs = find(await synthValid(chart), 'VirtualService');
    expect(vs.spec.gateways).toEqual(['istio-ingress/edge', 'istio-system/public']);
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'web.shop.svc.cluster.local', port: { number: 80 } });
  });

  it('routes to a Service the app does not own and to one port of a multi-port service', async () => {
    const { chart, gateway } = edge();
    const legacy = VersionedService.fromServiceAttributes(chart, 'legacy', { name: 'legacy', namespace: 'old', ports: [80, 8443] });
    gateway.addRoute('legacy', { routes: [{ name: 'legacy', to: Traffic.to(legacy, { port: 8443 }) }] });
    expect(find(await synthValid(chart), 'VirtualService').spec.http[0].route[0].destination).toEqual({
      host: 'legacy.old.svc.cluster.local', port: { number: 8443 },
    });
  });

  it('works with the AKS add-on gateway', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { namespace: 'shop', hosts: ['shop.example.com'], workload: GatewayWorkload.aksAddon() });
    const web = new VersionedService(chart, 'web', { namespace: 'shop', versions: [{ name: 'v1', image: 'w:1' }] });
    gateway.addRoute('web', { routes: [{ name: 'web', to: Traffic.to(web.version('v1')) }] });
    const vs = find(await synthValid(chart), 'VirtualService');
    expect(vs.spec.gateways).toEqual(['shop/edge']);
    expect(vs.spec.http[0].route[0].destination.host).toBe('web');
  });

  describe('bad input', () => {
    it('duplicate route names, also against a canary override', () => {
      const { gateway, web, api } = edge();
      const route = gateway.addRoute('r', { routes: [{ name: 'web', to: Traffic.to(web) }] });
      expectProblem(() => route.addRoute({ name: 'web', to: Traffic.to(web) }), 'test/edge/r', 'routes[1].name', '"web"', /unique/);
      route.addRoute({ name: 'api-canary-override', to: Traffic.to(web) });
      expectProblem(() => route.addRoute({ name: 'api', to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 5, header: { name: 'x-canary', value: '1' } }) }),
        'test/edge/r', 'routes[2].name', '"api-canary-override"', /unique/);
      expectProblem(() => route.addRoute({ name: 'Bad Name', to: Traffic.to(web) }), 'test/edge/r', 'routes[2].name', '"Bad Name"', /lower-case/);
    });

    it('weights negative or not summing to 100', () => {
      const { gateway, api } = edge();
      const route = gateway.addRoute('r');
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.split([{ to: api.version('v1'), weight: 110 }, { to: api.version('v2'), weight: -10 }]) }),
        'test/edge/r', 'routes[0].to[0].weight', '110', /between 0 and 100/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.split([{ to: api.version('v1'), weight: 80 }, { to: api.version('v2'), weight: 10 }]) }),
        'test/edge/r', 'routes[0].to.weights', '[80,10]', /sum to 100 \(they sum to 90\)/);
      // The canary's own property is named, not the weight computed from it.
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 120 }) }),
        'test/edge/r', 'routes[0].to.percent', '120', /whole percentage between 0 and 100/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 2.5 }) }),
        'test/edge/r', 'routes[0].to.percent', '2.5', /whole percentage/);
    });

    it('a canary header override on a header the route already matches (it would replace the condition and take requests the route does not)', () => {
      const { gateway, api } = edge();
      const route = gateway.addRoute('r');
      const canary = Traffic.canary(api.version('v1'), api.version('v2'), { percent: 5, header: { name: 'x-canary', value: 'true' } });
      expectProblem(() => route.addRoute({ name: 'a', match: [{ path: PathMatch.prefix('/a') }, { headers: { 'x-canary': StringMatch.exact('no') } }], to: canary }),
        'test/edge/r', 'routes[0].match[1].headers["x-canary"]', '"(set)"', /another header for the canary/);
      expectProblem(() => route.addRoute({ name: 'a', match: [{ withoutHeaders: { 'x-canary': StringMatch.exact('true') } }], to: canary }),
        'test/edge/r', 'routes[0].match[0].withoutHeaders["x-canary"]', '"(set)"', /another header for the canary/);
    });

    it('a route to a version the service lacks', () => {
      const { api } = edge();
      expectProblem(() => Traffic.to(api.version('v3')), 'test/api', 'version', '"v3"', /addVersion/);
    });

    it('a canary that is not two versions of one service', () => {
      const { gateway, api, web } = edge();
      const route = gateway.addRoute('r');
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.canary(api.version('v1'), web.version('v1'), { percent: 10 }) }),
        'test/edge/r', 'routes[0].to', '"canary(test/api/v1, test/web/v1)"', /same VersionedService/);
    });

    it('a VirtualService host that no bound gateway serves fails at synth', () => {
      const { chart, gateway, web } = edge();
      gateway.addRoute('r', { hosts: ['shop.example.com', 'admin.example.com', 'x.api.example.com'], routes: [{ name: 'web', to: Traffic.to(web) }] });
      expect(() => synth(chart)).toThrow(/test\/edge\/r: invalid hosts\[1\]: received "admin.example.com"\. No bound gateway serves it.*gateway.addHost/);
      gateway.addHost('admin.example.com');
      expect(() => synth(chart)).not.toThrow();
    });

    it('invalid hosts and ports', () => {
      const { gateway, web } = edge();
      expectProblem(() => gateway.addRoute('r', { hosts: ['Shop.example.com'] }), 'test/edge/r', 'hosts[0]', '"Shop.example.com"', /DNS name/);
      const route = gateway.addRoute('r2');
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web, { port: 8080 }) }), 'test/edge/r2', 'routes[0].to[0].port', '8080', /exposes 80/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web, { port: 0 }) }), 'test/edge/r2', 'routes[0].to[0].port', '0', /between 1 and 65535/);
    });

    it('a destination without a port on a multi-port service', () => {
      const { chart, gateway } = edge();
      const multi = new VersionedService(chart, 'multi', { ports: [{ port: 80 }, { port: 81 }], versions: [{ name: 'v1', image: 'm:1' }] });
      expectProblem(() => gateway.addRoute('r', { routes: [{ name: 'a', to: Traffic.to(multi) }] }), 'test/edge/r', 'routes[0].to[0].port', 'undefined', /several ports \(80, 81\)/);
    });

    it('contradictory route options', () => {
      const { gateway, web } = edge();
      const route = gateway.addRoute('r');
      expectProblem(() => route.addRoute({ name: 'a' }), 'test/edge/r', 'routes[0].to', 'undefined', /exactly one of `to`/);
      expectProblem(() => route.addRoute({ name: 'a', redirect: { uri: '/x' }, rewrite: { uri: '/' } }), 'test/edge/r', 'routes[0].rewrite', '{"uri":"/"}', /cannot be combined/);
      expectProblem(() => route.addRoute({ name: 'a', redirect: { code: 200 } }), 'test/edge/r', 'routes[0].redirect.code', '200', /301, 302/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web), fault: { abort: { httpStatus: 503, percent: 101 } } }), 'test/edge/r', 'routes[0].fault.abort.percent', '101', /between 0 and 100/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web), retries: { attempts: -1 } }), 'test/edge/r', 'routes[0].retries.attempts', '-1', /0 disables/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web), match: [{}] }), 'test/edge/r', 'routes[0].match[0]', '{}', /at least one condition/);
      expectProblem(() => route.addRoute({ name: 'a', to: Traffic.to(web), match: [{ headers: { 'X-Tenant': StringMatch.exact('a') } }] }), 'test/edge/r', 'routes[0].match[0].headers', '"X-Tenant"', /lower case/);
    });

    it('invalid path matches', () => {
      expect(() => PathMatch.prefix('api')).toThrow(/PathMatch.prefix: invalid path: received "api"\. Use a path that starts with "\/"/);
      expect(() => PathMatch.regex('(')).toThrow(/PathMatch.regex: invalid pattern: received "\("\. Use a valid RE2/);
    });

    it('a VirtualService without routes fails at synth', () => {
      const { chart, gateway } = edge();
      gateway.addRoute('empty');
      expect(() => synth(chart)).toThrow(/test\/edge\/empty: invalid routes: received \[\]\. A VirtualService needs at least one route/);
    });
  });
});
