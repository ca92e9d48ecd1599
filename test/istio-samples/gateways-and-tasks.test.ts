// Istio's httpbin, helloworld, websockets and tcp-echo gateways, and the traffic-management tasks
// (circuit breaking, mirroring, retries, CORS, redirects, TLS origination), written with the
// constructs and compared by meaning with the samples and docs.
import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppProtocol, AppRoute, ClientTls, DestinationRule, GatewayServer, GatewayWorkload, HttpMethod, IngressGateway, PathMatch, RedirectPort,
  ServiceEntry, ServiceProtocol, ServiceResolution, StringMatch, Traffic, UnmatchedPreflights, VersionedService,
} from '../../lib';
import { newChart } from '../support/synth';
import { meaning, sampleGateway, sampleService, specOf, synthClean } from './support';

const HTTP80 = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] };

describe('sample gateways', () => {
  it('httpbin-gateway.yaml: every path to httpbin:8000', async () => {
    const chart = newChart('default');
    const httpbin = sampleService(chart, 'httpbin', ['v1'], 8000);
    sampleGateway(chart, 'httpbin-gateway').addRoute('httpbin', { namespace: 'default', routes: [{ name: 'all', to: Traffic.to(httpbin) }] });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'httpbin-gateway')).toEqual({ selector: { istio: 'ingressgateway' }, servers: [HTTP80] });
    expect(meaning(specOf(objects, 'VirtualService', 'httpbin'))).toEqual({
      hosts: ['*'], gateways: ['httpbin-gateway'], http: [{ name: 'all', route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }],
    });
  });

  it('helloworld-gateway.yaml: exact /hello to helloworld:5000', async () => {
    const chart = newChart('default');
    const hello = sampleService(chart, 'helloworld', ['v1', 'v2'], 5000);
    sampleGateway(chart, 'helloworld-gateway').addRoute('helloworld', {
      namespace: 'default', routes: [{ name: 'hello', match: [{ path: PathMatch.exact('/hello') }], to: Traffic.to(hello) }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'helloworld-gateway').servers).toEqual([HTTP80]);
    expect(meaning(specOf(objects, 'VirtualService', 'helloworld'))).toEqual({
      hosts: ['*'], gateways: ['helloworld-gateway'],
      http: [{ name: 'hello', match: [{ uri: { exact: '/hello' } }], route: [{ destination: { host: 'helloworld', port: { number: 5000 } } }] }],
    });
  });

  it('websockets route.yaml: prefix / to tornado (websocket upgrades need no setting)', async () => {
    const chart = newChart('default');
    const tornado = sampleService(chart, 'tornado', ['v1'], 8888);
    sampleGateway(chart, 'tornado-gateway').addRoute('tornado', {
      namespace: 'default', routes: [{ name: 'all', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(tornado) }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'tornado-gateway').servers).toEqual([HTTP80]);
    expect(meaning(specOf(objects, 'VirtualService', 'tornado'), { singlePorts: { tornado: 8888 } })).toEqual({
      hosts: ['*'], gateways: ['tornado-gateway'], http: [{ name: 'all', match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'tornado' } }] }],
    });
  });

  it('tcp-echo-all-v1.yaml and tcp-echo-20-v2.yaml: a TCP server on 31400, TCP routes to subsets', async () => {
    const chart = newChart('default');
    const echo = new VersionedService(chart, 'tcp-echo', {
      ports: [{ port: 9000, protocol: AppProtocol.TCP, name: 'tcp' }, { port: 9001, protocol: AppProtocol.TCP, name: 'tcp-other' }],
      versions: [{ name: 'v1', image: 'istio/tcp-echo-server:1.3' }, { name: 'v2', image: 'istio/tcp-echo-server:1.3' }],
    });
    const gateway = new IngressGateway(chart, 'tcp-echo-gateway', {
      namespace: 'default',
      servers: [GatewayServer.tcp({ port: 31400, hosts: ['*'] })],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
    });
    gateway.addRoute('tcp-echo', {
      tcpRoutes: [{ match: [{ port: 31400 }], to: Traffic.canary(echo.version('v1'), echo.version('v2'), { percent: 20, port: 9000 }) }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'Gateway', 'tcp-echo-gateway')).toEqual({
      selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] }],
    });
    expect(meaning(specOf(objects, 'VirtualService', 'tcp-echo'))).toEqual({
      hosts: ['*'], gateways: ['tcp-echo-gateway'],
      tcp: [{
        match: [{ port: 31400 }],
        route: [
          { destination: { host: 'tcp-echo', subset: 'v1', port: { number: 9000 } }, weight: 80 },
          { destination: { host: 'tcp-echo', subset: 'v2', port: { number: 9000 } }, weight: 20 },
        ],
      }],
    });
  });
});

describe('traffic-management tasks', () => {
  it('circuit breaking: a connection pool and outlier detection on httpbin', async () => {
    const chart = newChart('default');
    new VersionedService(chart, 'httpbin', {
      port: 8000,
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
        outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(3), maxEjectionPercent: 100 },
      },
      versions: [{ name: 'v1', image: 'kong/httpbin:0.1.0' }],
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'DestinationRule', 'httpbin').trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
      outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '180s', maxEjectionPercent: 100 },
    });
  });

  it('mirroring: all traffic to v1, mirrored to v2 (100%), and several mirrors', async () => {
    const chart = newChart('default');
    const httpbin = sampleService(chart, 'httpbin', ['v1', 'v2', 'v3'], 8000);
    new AppRoute(chart, 'httpbin-vs', {
      name: 'httpbin',
      routes: [
        { name: 'mirrored', match: [{ path: PathMatch.prefix('/one') }], to: Traffic.to(httpbin.version('v1')), mirror: { to: httpbin.version('v2'), percent: 100 } },
        { name: 'mirrors', to: Traffic.to(httpbin.version('v1')), mirrors: [{ to: httpbin.version('v2'), percent: 50 }, { to: httpbin.version('v3'), percent: 10 }] },
      ],
    });
    const vs = meaning(specOf(await synthClean(chart), 'VirtualService', 'httpbin'), { singlePorts: { httpbin: 8000 } });
    expect(vs.hosts).toEqual(['httpbin']);
    expect(vs.http[0]).toEqual({
      name: 'mirrored', match: [{ uri: { prefix: '/one' } }],
      route: [{ destination: { host: 'httpbin', subset: 'v1' } }],
      mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 },
    });
    expect(vs.http[1].mirrors).toEqual([
      { destination: { host: 'httpbin', subset: 'v2', port: { number: 8000 } }, percentage: { value: 50 } },
      { destination: { host: 'httpbin', subset: 'v3', port: { number: 8000 } }, percentage: { value: 10 } },
    ]);
  });

  it('retries with backoff, timeouts and remote localities', async () => {
    const chart = newChart('default');
    const ratings = sampleService(chart, 'ratings', ['v1']);
    new AppRoute(chart, 'ratings-vs', {
      name: 'ratings',
      routes: [{
        name: 'retried', to: Traffic.to(ratings.version('v1')), timeout: Duration.seconds(10),
        retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['gateway-error', 'connect-failure', 'refused-stream'], backoff: Duration.millis(100), retryRemoteLocalities: true },
      }],
    });
    const http = specOf(await synthClean(chart), 'VirtualService', 'ratings').http[0];
    expect(http.timeout).toBe('10s');
    expect(http.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,refused-stream', backoff: '100ms', retryRemoteLocalities: true });
  });

  it('CORS: origins, methods, headers, max age, unmatched preflights', async () => {
    const chart = newChart('default');
    const ratings = sampleService(chart, 'ratings', ['v1']);
    new AppRoute(chart, 'ratings-vs', {
      name: 'ratings',
      routes: [{
        name: 'cors', to: Traffic.to(ratings.version('v1')),
        cors: {
          allowOrigins: [StringMatch.exact('https://example.com')], allowMethods: [HttpMethod.POST, HttpMethod.GET], allowCredentials: false,
          allowHeaders: ['X-Foo-Bar'], maxAge: Duration.hours(24), unmatchedPreflights: UnmatchedPreflights.IGNORE,
        },
      }],
    });
    expect(specOf(await synthClean(chart), 'VirtualService', 'ratings').http[0].corsPolicy).toEqual({
      allowOrigins: [{ exact: 'https://example.com' }], allowMethods: ['POST', 'GET'], allowCredentials: false,
      allowHeaders: ['X-Foo-Bar'], maxAge: '86400s', unmatchedPreflights: 'IGNORE',
    });
  });

  it('redirects with a new path, authority, port and scheme, or a derived port', async () => {
    const chart = newChart('default');
    const ratings = sampleService(chart, 'ratings', ['v1']);
    new AppRoute(chart, 'ratings-vs', {
      name: 'ratings',
      routes: [
        { name: 'moved', match: [{ path: PathMatch.exact('/v1/getProductRatings') }], redirect: { uri: '/v1/bookRatings', authority: 'newratings.default.svc.cluster.local', port: 8443, scheme: 'https' } },
        { name: 'secure', match: [{ path: PathMatch.prefix('/old') }], redirect: { scheme: 'https', derivePort: RedirectPort.FROM_PROTOCOL_DEFAULT, code: 308 } },
        { name: 'rest', to: Traffic.to(ratings) },
      ],
    });
    const http = specOf(await synthClean(chart), 'VirtualService', 'ratings').http;
    expect(http[0].redirect).toEqual({ uri: '/v1/bookRatings', authority: 'newratings.default.svc.cluster.local', port: 8443, scheme: 'https', redirectCode: 301 });
    expect(http[1].redirect).toEqual({ scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT', redirectCode: 308 });
  });

  it('TLS origination (egress-tls-origination): a ServiceEntry for edition.cnn.com, port 80 sent as TLS to 443', async () => {
    const chart = newChart('default');
    const cnn = new ServiceEntry(chart, 'edition-cnn-com', {
      hosts: ['edition.cnn.com'],
      ports: [{ number: 80, name: 'http-port', protocol: ServiceProtocol.HTTP, targetPort: 443 }, { number: 443, name: 'https-port', protocol: ServiceProtocol.HTTPS }],
      resolution: ServiceResolution.DNS,
    });
    new DestinationRule(chart, 'edition-cnn-com-tls', {
      name: 'edition-cnn-com', host: cnn, trafficPolicy: { portLevelSettings: [{ port: 80, tls: ClientTls.simple() }] },
    });
    const objects = await synthClean(chart);
    expect(specOf(objects, 'ServiceEntry', 'edition-cnn-com')).toEqual({
      hosts: ['edition.cnn.com'],
      ports: [{ number: 80, name: 'http-port', protocol: 'HTTP', targetPort: 443 }, { number: 443, name: 'https-port', protocol: 'HTTPS' }],
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
    });
    expect(specOf(objects, 'DestinationRule', 'edition-cnn-com')).toEqual({
      host: 'edition.cnn.com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] },
    });
  });

  it('mutual TLS origination with a client certificate, the rule in the client\'s namespace', async () => {
    const chart = newChart('default');
    const nginx = new ServiceEntry(chart, 'nginx', { namespace: 'mesh-external', hosts: ['my-nginx.mesh-external.svc.cluster.local'], ports: [{ number: 443, protocol: ServiceProtocol.TLS, name: 'tls' }] });
    new DestinationRule(chart, 'originate-mtls-for-nginx', {
      host: nginx, namespace: 'shop', exportTo: ['.'],
      trafficPolicy: { tls: ClientTls.mutual({ credentialName: 'client-credential', sni: 'my-nginx.mesh-external.svc.cluster.local' }) },
    });
    const dr = (await synthClean(chart)).find((o) => o.kind === 'DestinationRule') as any;
    expect(dr.metadata.namespace).toBe('shop');
    expect(dr.spec).toEqual({
      host: 'my-nginx.mesh-external.svc.cluster.local', exportTo: ['.'],
      trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: 'my-nginx.mesh-external.svc.cluster.local' } },
    });
  });

  it('routes to an external host through the ServiceEntry, with a timeout (egress task)', async () => {
    const chart = newChart('default');
    const httpbin = new ServiceEntry(chart, 'httpbin-ext', { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: ServiceProtocol.HTTP }] });
    new AppRoute(chart, 'httpbin-ext-vs', { name: 'httpbin-ext', routes: [{ name: 'slow', timeout: Duration.seconds(3), to: Traffic.to(httpbin) }] });
    const vs = specOf(await synthClean(chart), 'VirtualService', 'httpbin-ext');
    expect(vs).toEqual({ hosts: ['httpbin.org'], http: [{ name: 'slow', timeout: '3s', route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] }] });
  });
});
