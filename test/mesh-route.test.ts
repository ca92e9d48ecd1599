// AppRoute beyond the gateway (issue 11): mesh routes, the route fields added with them, TCP and
// TLS routes, path rewrites that never produce "//", and imports the analysis does not report.
import { describe, expect, it } from 'vitest';
import {
  analyze, AppRoute, DEFINED_ELSEWHERE_ANNOTATION, GatewayServer, GatewayWorkload, HttpRouteOptions, IngressGateway, KubernetesObject, PathMatch, StringMatch,
  TlsMode, Traffic, validateAndAnalyze, VersionedService,
} from '../lib';
import { expectProblem, find, newChart, synth, synthValid } from './support/synth';

function mesh() {
  const chart = newChart('shop');
  const reviews = new VersionedService(chart, 'reviews', { port: 9080, versions: ['v1', 'v2'].map((v) => ({ name: v, image: `reviews:${v}` })) });
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  return { chart, reviews, gateway };
}

async function errorsOf(objects: KubernetesObject[]): Promise<string[]> {
  return (await validateAndAnalyze(objects)).filter((f) => f.severity === 'error').map((f) => `${f.check} ${f.object} ${f.field}`);
}

/** The path Envoy forwards for `path` on a rendered HTTP route. */
function rewritten(route: any, path: string): string {
  const rw = route.rewrite ?? {};
  if (rw.uriRegexRewrite) return path.replace(new RegExp(rw.uriRegexRewrite.match.replace('(?i)', '')), rw.uriRegexRewrite.rewrite);
  const prefix = route.match?.find((m: any) => m.uri?.prefix && path.startsWith(m.uri.prefix))?.uri.prefix;
  return rw.uri !== undefined && prefix !== undefined ? rw.uri + path.slice(prefix.length) : path;
}

describe('mesh routes', () => {
  it('with no gateway: no gateways field (the mesh), hosts from the destination, its namespace', async () => {
    const { chart, reviews } = mesh();
    const route = new AppRoute(chart, 'reviews-route', { name: 'reviews', routes: [{ name: 'v2', to: Traffic.to(reviews.version('v2')) }] });
    const objects = await synthValid(chart);
    const vs = find(objects, 'VirtualService');
    expect(route.mesh).toBe(true);
    expect(vs.metadata).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.hosts).toEqual(['reviews']);
    expect(await errorsOf(objects)).toEqual([]);
  });

  it('gateways plus the mesh: the literal "mesh", never namespace-qualified; the analysis has no finding for it', async () => {
    const { chart, reviews, gateway } = mesh();
    gateway.addRoute('both', { mesh: true, hosts: ['shop.example.com', 'reviews'], routes: [{ name: 'all', to: Traffic.to(reviews) }] });
    const objects = await synthValid(chart);
    const vs = find(objects, 'VirtualService');
    expect(vs.spec.gateways).toEqual(['istio-ingress/edge', 'mesh']);
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'reviews']);
    expect(analyze(objects).filter((f) => f.object.startsWith('VirtualService'))).toEqual([]);
  });

  it('sourceLabels, sourceNamespace, port, withoutHeaders and authority matches', async () => {
    const { chart, reviews } = mesh();
    new AppRoute(chart, 'reviews-route', {
      name: 'reviews',
      routes: [
        {
          name: 'from-productpage',
          match: [{
            sourceLabels: { app: 'productpage', version: 'v2' }, sourceNamespace: 'shop', port: 9080,
            withoutHeaders: { 'x-debug': StringMatch.exact('1') }, authority: StringMatch.prefix('reviews'),
          }],
          to: Traffic.to(reviews.version('v2')),
        },
        { name: 'rest', to: Traffic.to(reviews.version('v1')) },
      ],
    });
    const objects = await synthValid(chart);
    expect(find(objects, 'VirtualService').spec.http[0].match).toEqual([{
      sourceLabels: { app: 'productpage', version: 'v2' }, sourceNamespace: 'shop', port: 9080,
      withoutHeaders: { 'x-debug': { exact: '1' } }, authority: { prefix: 'reviews' },
    }]);
    expect(await errorsOf(objects)).toEqual([]);
  });

  it('TCP and TLS routes; SNI hosts must be among the hosts', async () => {
    const chart = newChart('shop');
    const db = new VersionedService(chart, 'db', { port: 5432, versions: [{ name: 'v1', image: 'postgres:16' }] });
    const web = new VersionedService(chart, 'nginx', { port: 443, versions: [{ name: 'v1', image: 'nginx:1' }] });
    const gateway = new IngressGateway(chart, 'edge', {
      servers: [GatewayServer.tls({ port: 443, hosts: ['nginx.example.com'], mode: TlsMode.PASSTHROUGH }), GatewayServer.tcp({ port: 5432, hosts: ['*'] })],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
    });
    gateway.addRoute('nginx', { namespace: 'shop', hosts: ['nginx.example.com'], tlsRoutes: [{ match: [{ sniHosts: ['nginx.example.com'], port: 443 }], to: Traffic.to(web) }] });
    new AppRoute(chart, 'db-route', { name: 'db', tcpRoutes: [{ to: Traffic.to(db.version('v1')) }] });
    const objects = await synthValid(chart);
    const vss = objects.filter((o) => o.kind === 'VirtualService') as any[];
    expect(vss[0].spec.tls).toEqual([{ match: [{ sniHosts: ['nginx.example.com'], port: 443 }], route: [{ destination: { host: 'nginx', port: { number: 443 } } }] }]);
    expect(vss[1].spec).toEqual({ hosts: ['db'], tcp: [{ route: [{ destination: { host: 'db', subset: 'v1', port: { number: 5432 } } }] }] });
    expect(await errorsOf(objects)).toEqual([]);

    const bad = newChart('shop');
    const w = new VersionedService(bad, 'nginx', { port: 443, versions: [{ name: 'v1', image: 'nginx:1' }] });
    new AppRoute(bad, 'r', { hosts: ['nginx'], tlsRoutes: [{ match: [{ sniHosts: ['other.example.com'] }], to: Traffic.to(w) }] });
    expect(() => synth(bad)).toThrow(/test\/r: invalid tlsRoutes\[0\]\.match\[0\]\.sniHosts\[0\]: received "other.example.com"\. Istio requires each SNI host/);
  });

  it('imported gateways and services are declared defined elsewhere; a typo is still reported', async () => {
    const chart = newChart('shop');
    const shared = IngressGateway.fromGatewayAttributes(chart, 'shared', { name: 'public', namespace: 'istio-system', hosts: ['*.example.com'] });
    const ledger = VersionedService.fromServiceAttributes(chart, 'ledger', { name: 'ledger', namespace: 'payments', ports: [8080] });
    shared.addRoute('pay', { namespace: 'shop', hosts: ['pay.example.com'], routes: [{ name: 'all', to: Traffic.to(ledger) }] });
    const objects = await synthValid(chart);
    const vs = find(objects, 'VirtualService');
    expect(vs.metadata.annotations).toEqual({ [DEFINED_ELSEWHERE_ANNOTATION]: 'Gateway istio-system/public, Service ledger.payments.svc.cluster.local' });
    expect(await errorsOf(objects)).toEqual([]);
    const typo = { ...vs, spec: { ...vs.spec, gateways: ['istio-system/pubic'], http: [{ route: [{ destination: { host: 'ledgr.payments.svc.cluster.local' } }] }] } };
    expect(analyze([typo]).filter((f) => f.check === 'ReferencedResourceNotFound').map((f) => f.field)).toEqual(['spec.gateways[0]', 'spec.http[0].route[0].destination.host']);
  });

  it('a mirror target is not a host: a mesh route to reviews mirrored to ratings captures the calls to reviews only', async () => {
    const { chart, reviews } = mesh();
    const ratings = new VersionedService(chart, 'ratings', { port: 9080, versions: [{ name: 'v1', image: 'ratings:v1' }] });
    const details = new VersionedService(chart, 'details', { port: 9080, versions: [{ name: 'v1', image: 'details:v1' }] });
    new AppRoute(chart, 'reviews-route', {
      name: 'reviews',
      routes: [
        { name: 'mirrored', match: [{ headers: { 'x-shadow': StringMatch.exact('1') } }], to: Traffic.to(reviews.version('v2')), mirror: { to: ratings, percent: 10 } },
        { name: 'rest', to: Traffic.to(reviews.version('v1')), mirrors: [{ to: details.version('v1'), percent: 5 }] },
      ],
    });
    const objects = await synthValid(chart);
    const vs = find(objects, 'VirtualService');
    // hosts [reviews, ratings, details] would send every call to ratings and details to reviews.
    expect(vs.spec.hosts).toEqual(['reviews']);
    expect(vs.spec.http[0].mirror).toEqual({ host: 'ratings', port: { number: 9080 } });
    expect(vs.spec.http[1].mirrors[0].destination).toEqual({ host: 'details', subset: 'v1', port: { number: 9080 } });
    // The mirror's DestinationRule still comes first (make-before-break).
    const kinds = objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(kinds.indexOf('DestinationRule/details')).toBeLessThan(kinds.indexOf('VirtualService/reviews'));
    expect(await errorsOf(objects)).toEqual([]);
  });

  it('the default hosts of a mesh route: its one destination service; routes to several services must name their hosts', async () => {
    const { chart, reviews } = mesh();
    const ratings = new VersionedService(chart, 'ratings', { port: 9080, versions: [{ name: 'v1', image: 'ratings:v1' }] });
    // A canary and a split between versions of one service: that service.
    new AppRoute(chart, 'canary', { name: 'reviews', routes: [{ name: 'c', to: Traffic.canary(reviews.version('v1'), reviews.version('v2'), { percent: 20, header: { name: 'x-canary', value: '1' } }) }] });
    // Two services, hosts given: as given.
    new AppRoute(chart, 'moving', { name: 'ratings', hosts: ['ratings'], routes: [{ name: 'move', to: Traffic.split([{ to: ratings, weight: 90 }, { to: reviews.version('v1'), weight: 10 }]) }] });
    const objects = await synthValid(chart);
    expect(find(objects, 'VirtualService', 'reviews').spec.hosts).toEqual(['reviews']);
    expect(find(objects, 'VirtualService', 'ratings').spec.hosts).toEqual(['ratings']);
    // Two services, hosts left out: an error, whether a split or a route per service.
    const splits: Array<(a: VersionedService, b: VersionedService) => HttpRouteOptions[]> = [
      (a, b) => [{ name: 'move', to: Traffic.split([{ to: a, weight: 90 }, { to: b.version('v1'), weight: 10 }]) }],
      (a, b) => [{ name: 'a', match: [{ headers: { 'x-a': StringMatch.exact('1') } }], to: Traffic.to(a) }, { name: 'b', to: Traffic.to(b.version('v1')) }],
    ];
    for (const routes of splits) {
      const c = newChart('shop');
      const a = new VersionedService(c, 'ratings', { port: 9080, versions: [{ name: 'v1', image: 'ratings:v1' }] });
      const b = new VersionedService(c, 'reviews', { port: 9080, versions: [{ name: 'v1', image: 'reviews:v1' }] });
      new AppRoute(c, 'r', { routes: routes(a, b) });
      expect(() => synth(c)).toThrow('test/r: invalid hosts: received ["ratings","reviews"]. Left out, the hosts of a mesh route are its destinations\', here several services; a mesh route applies to every call to each host it lists, so calls to reviews would be routed by this route too: list the hosts whose callers it applies to, for example hosts: ["ratings"].');
    }
  });

  it('bad input: a mesh host "*", mesh false without gateways, a mesh route without destinations or hosts', () => {
    const { chart, reviews } = mesh();
    new AppRoute(chart, 'star', { hosts: ['*'], routes: [{ name: 'all', to: Traffic.to(reviews) }] });
    expect(() => synth(chart)).toThrow(/test\/star: invalid hosts\[0\]: received "\*"\. Istio rejects the host "\*" on a route bound to the mesh/);
    const c2 = newChart('shop');
    expectProblem(() => new AppRoute(c2, 'none', { mesh: false }), 'test/none', 'mesh', 'false', /bind a gateway/);
    const c3 = newChart('shop');
    new AppRoute(c3, 'redirect', { routes: [{ name: 'r', redirect: { uri: '/x' } }] });
    expect(() => synth(c3)).toThrow(/test\/redirect: invalid hosts: received \[\]\. A mesh route without destinations has no default host/);
  });
});

describe('path rewrites (issue 11)', () => {
  it('prefix /api/catalog with rewrite "/" sends /items for /api/catalog/items, never //items', async () => {
    const { chart, reviews, gateway } = mesh();
    gateway.addRoute('catalog', {
      namespace: 'shop',
      routes: [
        { name: 'catalog', match: [{ path: PathMatch.prefix('/api/catalog') }], rewrite: { uri: '/' }, to: Traffic.to(reviews) },
        { name: 'two', match: [{ path: PathMatch.prefix('/v1/api') }, { path: PathMatch.prefix('/api') }], rewrite: { uri: '/v2/' }, to: Traffic.to(reviews) },
        { name: 'plain', match: [{ path: PathMatch.prefix('/legacy') }], rewrite: { uri: '/new' }, to: Traffic.to(reviews) },
      ],
    });
    const http = find(await synthValid(chart), 'VirtualService').spec.http;
    expect(rewritten(http[0], '/api/catalog/items')).toBe('/items');
    expect(rewritten(http[0], '/api/catalog')).toBe('/');
    expect(http[0].rewrite).toEqual({ uriRegexRewrite: { match: '^/api/catalog/?', rewrite: '/' } });
    expect(rewritten(http[1], '/v1/api/x')).toBe('/v2/x');
    expect(rewritten(http[1], '/api/x')).toBe('/v2/x');
    expect(http[2].rewrite).toEqual({ uri: '/new' });
    expect(rewritten(http[2], '/legacy/a')).toBe('/new/a');
  });

  it('uriRegexRewrite given directly; contradictions are errors', async () => {
    const { chart, reviews, gateway } = mesh();
    const route = gateway.addRoute('r', {
      namespace: 'shop',
      routes: [{ name: 'versioned', match: [{ path: PathMatch.regex('^/v[0-9]+/.*') }], rewrite: { uriRegex: { match: '^/v([0-9]+)/', rewrite: '/api/v\\1/' } }, to: Traffic.to(reviews) }],
    });
    expect(find(await synthValid(chart), 'VirtualService').spec.http[0].rewrite).toEqual({ uriRegexRewrite: { match: '^/v([0-9]+)/', rewrite: '/api/v\\1/' } });
    expectProblem(() => route.addRoute({ name: 'a', match: [{ path: PathMatch.prefix('/api/') }], rewrite: { uri: '/v2' }, to: Traffic.to(reviews) }),
      'test/edge/r', 'routes[1].rewrite.uri', '"/v2"', /would become "\/v2items": end the rewrite with "\/"/);
    expectProblem(() => route.addRoute({ name: 'b', match: [{ path: PathMatch.prefix('/api') }, { headers: { 'x-a': StringMatch.exact('1') } }], rewrite: { uri: '/' }, to: Traffic.to(reviews) }),
      'test/edge/r', 'routes[1].rewrite.uri', '"/"', /needs every match of the route to be a path prefix/);
    expectProblem(() => route.addRoute({ name: 'c', rewrite: { uri: '/', uriRegex: { match: '^/', rewrite: '/' } }, to: Traffic.to(reviews) }),
      'test/edge/r', 'routes[1].rewrite.uriRegex', '"(set, with uri)"', /either uri or uriRegex/);
  });
});

describe('route fields (issue 11)', () => {
  it('redirect port and derivePort are exclusive; mirror and mirrors too; CORS unmatchedPreflights is checked', () => {
    const { chart, reviews } = mesh();
    const route = new AppRoute(chart, 'r', { routes: [{ name: 'ok', to: Traffic.to(reviews) }] });
    expectProblem(() => route.addRoute({ name: 'a', redirect: { port: 8443, derivePort: 'FROM_REQUEST_PORT' as never } }), 'test/r', 'routes[1].redirect.derivePort', '"FROM_REQUEST_PORT"', /either port or derivePort/);
    expectProblem(() => route.addRoute({ name: 'b', to: Traffic.to(reviews), mirror: { to: reviews }, mirrors: [{ to: reviews }] }), 'test/r', 'routes[1].mirrors', '"(set, with mirror)"', /either mirror/);
    expectProblem(() => route.addRoute({ name: 'c', to: Traffic.to(reviews), cors: { allowOrigins: [StringMatch.exact('https://a')], unmatchedPreflights: 'DROP' as never } }), 'test/r', 'routes[1].cors.unmatchedPreflights', '"DROP"', /FORWARD or UnmatchedPreflights.IGNORE/);
  });
});
