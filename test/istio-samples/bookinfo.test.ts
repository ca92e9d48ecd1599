// Istio's bookinfo networking samples (samples/bookinfo/networking in istio/istio), each written
// with the constructs as a user would, and compared by meaning with what the sample says.
import { Chart, Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppRoute, ClientTls, GatewayWorkload, IngressGateway, LoadBalancer, PathMatch, ServiceEntry, ServiceProtocol, StringMatch, Traffic, VersionedService,
} from '../../lib';
import { newChart } from '../support/synth';
import { meaning, sampleGateway, sampleService, specOf, synthClean } from './support';

interface Bookinfo {
  chart: Chart;
  productpage: VersionedService;
  details: VersionedService;
  reviews: VersionedService;
  ratings: VersionedService;
}

/** The bookinfo services with every version the samples name (destination-rule-all.yaml). */
function bookinfo(options: { mtls?: boolean } = {}): Bookinfo {
  const chart = newChart('default');
  const trafficPolicy = options.mtls ? { tls: ClientTls.ISTIO_MUTUAL } : undefined;
  const svc = (name: string, versions: string[]) => new VersionedService(chart, name, {
    port: 9080, trafficPolicy, versions: versions.map((v) => ({ name: v, image: `docker.io/istio/examples-bookinfo-${name}-${v}:1.20.0` })),
  });
  return {
    chart,
    productpage: svc('productpage', ['v1']),
    details: svc('details', ['v1', 'v2']),
    reviews: svc('reviews', ['v1', 'v2', 'v3']),
    ratings: svc('ratings', ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']),
  };
}

const SINGLE_PORTS = { productpage: 9080, details: 9080, reviews: 9080, ratings: 9080 };
const jason = { headers: { 'end-user': StringMatch.exact('jason') } };

/** A mesh VirtualService "<host>" with the given HTTP routes, as the samples write them. */
const meshVs = (host: string, http: unknown[]) => ({ hosts: [host], http });
const to = (host: string, subset: string, weight?: number) => ({ destination: { host, subset }, ...(weight === undefined ? {} : { weight }) });

describe('bookinfo: the gateway (bookinfo-gateway.yaml)', () => {
  it('a Gateway on port 8080 for every host, and the productpage routes', async () => {
    const { chart, productpage } = bookinfo();
    const gateway = new IngressGateway(chart, 'bookinfo-gateway', {
      namespace: 'default',
      hosts: ['*'],
      http: { port: 8080 },
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
    });
    gateway.addRoute('bookinfo', {
      routes: [{
        name: 'productpage',
        match: [
          { path: PathMatch.exact('/productpage') }, { path: PathMatch.prefix('/static') }, { path: PathMatch.exact('/login') },
          { path: PathMatch.exact('/logout') }, { path: PathMatch.prefix('/api/v1/products') },
        ],
        to: Traffic.to(productpage),
      }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'bookinfo-gateway')).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    const vs = meaning(specOf(objects, 'VirtualService', 'bookinfo'), { singlePorts: SINGLE_PORTS });
    expect(vs).toEqual({
      hosts: ['*'],
      gateways: ['bookinfo-gateway'],
      http: [{
        name: 'productpage',
        match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } }, { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } }],
        route: [{ destination: { host: 'productpage' } }],
      }],
    });
  });
});

describe('bookinfo: the second gateway (bookinfo-gateway2.yaml)', () => {
  it('a Gateway on port 80 of other gateway pods, exact and prefix matches to productpage:9080', async () => {
    const { chart, productpage } = bookinfo();
    const gateway = new IngressGateway(chart, 'bookinfo-gateway2', {
      namespace: 'default', hosts: ['*'],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway2' } }),
    });
    gateway.addRoute('bookinfo2', {
      routes: [{
        name: 'productpage',
        match: [{ path: PathMatch.exact('/productpage') }, { path: PathMatch.exact('/login') }, { path: PathMatch.exact('/logout') }, { path: PathMatch.prefix('/api/v1/products') }],
        to: Traffic.to(productpage, { port: 9080 }),
      }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'bookinfo-gateway2')).toEqual({
      selector: { istio: 'ingressgateway2' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(meaning(specOf(objects, 'VirtualService', 'bookinfo2'))).toEqual({
      hosts: ['*'], gateways: ['bookinfo-gateway2'],
      http: [{
        name: 'productpage',
        match: [{ uri: { exact: '/productpage' } }, { uri: { exact: '/login' } }, { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } }],
        route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
      }],
    });
  });
});

describe('bookinfo: egress-rule-google-apis.yaml', () => {
  it('a ServiceEntry for www.googleapis.com:443, outside the mesh, resolved by DNS', async () => {
    const chart = newChart('default');
    new ServiceEntry(chart, 'googleapis', { hosts: ['www.googleapis.com'], ports: [{ number: 443, name: 'https', protocol: ServiceProtocol.HTTP }] });
    const objects = await synthClean(chart);
    // Istio reads protocols case-insensitively: the sample's "http" is HTTP.
    expect(specOf(objects, 'ServiceEntry', 'googleapis')).toEqual({
      hosts: ['www.googleapis.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTP' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
  });
});

describe('bookinfo: DestinationRules', () => {
  it('destination-rule-all.yaml: a subset per version, no TLS setting (auto mTLS)', async () => {
    const { chart } = bookinfo();
    const objects = await synthClean(chart);
    const subsets = (versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));
    expect(specOf(objects, 'DestinationRule', 'productpage')).toEqual({ host: 'productpage', subsets: subsets(['v1']) });
    expect(specOf(objects, 'DestinationRule', 'reviews')).toEqual({ host: 'reviews', subsets: subsets(['v1', 'v2', 'v3']) });
    expect(specOf(objects, 'DestinationRule', 'ratings')).toEqual({ host: 'ratings', subsets: subsets(['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']) });
    expect(specOf(objects, 'DestinationRule', 'details')).toEqual({ host: 'details', subsets: subsets(['v1', 'v2']) });
  });

  it('destination-rule-all-mtls.yaml: the same with ISTIO_MUTUAL', async () => {
    const { chart } = bookinfo({ mtls: true });
    const objects = await synthClean(chart);
    for (const name of ['productpage', 'reviews', 'ratings', 'details']) {
      expect(specOf(objects, 'DestinationRule', name).trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    }
  });

  it('destination-rule-reviews.yaml: a RANDOM load balancer', async () => {
    const chart = newChart('default');
    new VersionedService(chart, 'reviews', {
      port: 9080, trafficPolicy: { loadBalancer: LoadBalancer.RANDOM },
      versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `reviews:${v}` })),
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'DestinationRule', 'reviews')).toEqual({
      host: 'reviews',
      trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
      subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
  });
});

describe('bookinfo: mesh VirtualServices', () => {
  it('virtual-service-all-v1.yaml: every service to v1, in the mesh (no gateway)', async () => {
    const b = bookinfo();
    for (const s of [b.productpage, b.reviews, b.ratings, b.details]) {
      new AppRoute(b.chart, `${s.serviceName}-vs`, { name: s.serviceName, routes: [{ name: 'v1', to: Traffic.to(s.version('v1')) }] });
    }
    const objects = await synthClean(b.chart);
    for (const name of ['productpage', 'reviews', 'ratings', 'details']) {
      const vs = meaning(specOf(objects, 'VirtualService', name), { singlePorts: SINGLE_PORTS });
      expect(vs).toEqual(meshVs(name, [{ name: 'v1', route: [to(name, 'v1')] }]));
      expect(vs.gateways).toBeUndefined();
    }
  });

  const cases: Array<[string, (b: Bookinfo) => void, Record<string, unknown[]>]> = [
    ['virtual-service-reviews-test-v2.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'jason', match: [jason], to: Traffic.to(b.reviews.version('v2')) }, { name: 'others', to: Traffic.to(b.reviews.version('v1')) }],
    }), { reviews: [{ name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [to('reviews', 'v2')] }, { name: 'others', route: [to('reviews', 'v1')] }] }],
    ['virtual-service-reviews-50-v3.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'split', to: Traffic.split([{ to: b.reviews.version('v1'), weight: 50 }, { to: b.reviews.version('v3'), weight: 50 }]) }],
    }), { reviews: [{ name: 'split', route: [to('reviews', 'v1', 50), to('reviews', 'v3', 50)] }] }],
    ['virtual-service-reviews-80-20.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'split', to: Traffic.canary(b.reviews.version('v1'), b.reviews.version('v2'), { percent: 20 }) }],
    }), { reviews: [{ name: 'split', route: [to('reviews', 'v1', 80), to('reviews', 'v2', 20)] }] }],
    ['virtual-service-reviews-90-10.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'split', to: Traffic.canary(b.reviews.version('v1'), b.reviews.version('v2'), { percent: 10 }) }],
    }), { reviews: [{ name: 'split', route: [to('reviews', 'v1', 90), to('reviews', 'v2', 10)] }] }],
    ['virtual-service-reviews-v2-v3.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'split', to: Traffic.split([{ to: b.reviews.version('v2'), weight: 50 }, { to: b.reviews.version('v3'), weight: 50 }]) }],
    }), { reviews: [{ name: 'split', route: [to('reviews', 'v2', 50), to('reviews', 'v3', 50)] }] }],
    ['virtual-service-reviews-v3.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'v3', to: Traffic.to(b.reviews.version('v3')) }],
    }), { reviews: [{ name: 'v3', route: [to('reviews', 'v3')] }] }],
    ['virtual-service-reviews-jason-v2-v3.yaml', (b) => new AppRoute(b.chart, 'reviews-vs', { name: 'reviews',
      routes: [{ name: 'jason', match: [jason], to: Traffic.to(b.reviews.version('v2')) }, { name: 'others', to: Traffic.to(b.reviews.version('v3')) }],
    }), { reviews: [{ name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [to('reviews', 'v2')] }, { name: 'others', route: [to('reviews', 'v3')] }] }],
    ['virtual-service-ratings-test-delay.yaml', (b) => new AppRoute(b.chart, 'ratings-vs', { name: 'ratings',
      routes: [
        { name: 'jason', match: [jason], fault: { delay: { fixedDelay: Duration.seconds(7), percent: 100 } }, to: Traffic.to(b.ratings.version('v1')) },
        { name: 'others', to: Traffic.to(b.ratings.version('v1')) },
      ],
    }), { ratings: [
      { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } }, route: [to('ratings', 'v1')] },
      { name: 'others', route: [to('ratings', 'v1')] },
    ] }],
    ['virtual-service-ratings-test-abort.yaml', (b) => new AppRoute(b.chart, 'ratings-vs', { name: 'ratings',
      routes: [
        { name: 'jason', match: [jason], fault: { abort: { httpStatus: 500, percent: 100 } }, to: Traffic.to(b.ratings.version('v1')) },
        { name: 'others', to: Traffic.to(b.ratings.version('v1')) },
      ],
    }), { ratings: [
      { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }, route: [to('ratings', 'v1')] },
      { name: 'others', route: [to('ratings', 'v1')] },
    ] }],
    ['fault-injection-details-v1.yaml', (b) => new AppRoute(b.chart, 'details-vs', {
      name: 'details',
      routes: [
        { name: 'abort', fault: { abort: { httpStatus: 555, percent: 100 } }, to: Traffic.to(b.details.version('v1')) },
        { name: 'others', to: Traffic.to(b.details.version('v1')) },
      ],
    }), { details: [
      { name: 'abort', fault: { abort: { httpStatus: 555, percentage: { value: 100 } } }, route: [to('details', 'v1')] },
      { name: 'others', route: [to('details', 'v1')] },
    ] }],
    ['virtual-service-details-v2.yaml', (b) => new AppRoute(b.chart, 'details-vs', { name: 'details',
      routes: [{ name: 'v2', to: Traffic.to(b.details.version('v2')) }],
    }), { details: [{ name: 'v2', route: [to('details', 'v2')] }] }],
    ['virtual-service-ratings-db.yaml', (b) => {
      new AppRoute(b.chart, 'reviews-vs', { name: 'reviews', routes: [{ name: 'v3', to: Traffic.to(b.reviews.version('v3')) }] });
      new AppRoute(b.chart, 'ratings-vs', { name: 'ratings', routes: [{ name: 'v2', to: Traffic.to(b.ratings.version('v2')) }] });
    }, { reviews: [{ name: 'v3', route: [to('reviews', 'v3')] }], ratings: [{ name: 'v2', route: [to('ratings', 'v2')] }] }],
    ['virtual-service-ratings-mysql.yaml', (b) => {
      new AppRoute(b.chart, 'reviews-vs', { name: 'reviews', routes: [{ name: 'v3', to: Traffic.to(b.reviews.version('v3')) }] });
      new AppRoute(b.chart, 'ratings-vs', { name: 'ratings', routes: [{ name: 'v2-mysql', to: Traffic.to(b.ratings.version('v2-mysql')) }] });
    }, { reviews: [{ name: 'v3', route: [to('reviews', 'v3')] }], ratings: [{ name: 'v2-mysql', route: [to('ratings', 'v2-mysql')] }] }],
    ['virtual-service-ratings-mysql-vm.yaml', (b) => {
      new AppRoute(b.chart, 'reviews-vs', { name: 'reviews', routes: [{ name: 'v3', to: Traffic.to(b.reviews.version('v3')) }] });
      new AppRoute(b.chart, 'ratings-vs', { name: 'ratings', routes: [{ name: 'v2-mysql-vm', to: Traffic.to(b.ratings.version('v2-mysql-vm')) }] });
    }, { reviews: [{ name: 'v3', route: [to('reviews', 'v3')] }], ratings: [{ name: 'v2-mysql-vm', route: [to('ratings', 'v2-mysql-vm')] }] }],
  ];

  for (const [file, build, expected] of cases) {
    it(`${file}: same meaning`, async () => {
      const b = bookinfo();
      build(b);
      const objects = await synthClean(b.chart);
      for (const [name, http] of Object.entries(expected)) {
        expect(meaning(specOf(objects, 'VirtualService', name), { singlePorts: SINGLE_PORTS })).toEqual(meshVs(name, http));
      }
    });
  }
});

describe('the cert-manager gateway (samples/certs / cert-manager integration)', () => {
  it('port 80 for every host in istio-system, ACME challenges to the cert-manager resolver', async () => {
    const chart = newChart('istio-system');
    const gateway = sampleGateway(chart, 'cert-manager-gateway', { namespace: 'istio-system' });
    const resolver = VersionedService.fromServiceAttributes(chart, 'resolver', { name: 'cert-manager-resolver', namespace: 'istio-system', ports: [8089] });
    gateway.addRoute('cert-manager', {
      routes: [{ name: 'acme', match: [{ path: PathMatch.prefix('/.well-known/acme-challenge/') }], to: Traffic.to(resolver) }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'cert-manager-gateway')).toEqual({
      selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(meaning(specOf(objects, 'VirtualService', 'cert-manager'), { namespace: 'istio-system' })).toEqual({
      hosts: ['*'],
      gateways: ['cert-manager-gateway'],
      http: [{ name: 'acme', match: [{ uri: { prefix: '/.well-known/acme-challenge/' } }], route: [{ destination: { host: 'cert-manager-resolver', port: { number: 8089 } } }] }],
    });
  });
});

// Keep a reference so the helper is used by at least one test in this file.
void sampleService;
