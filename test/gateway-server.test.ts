import { describe, expect, it } from 'vitest';
import { Certificate, GatewayServer, GatewayWorkload, HttpProtocol, IngressGateway, TlsMode, TlsVersion, validateAndAnalyze } from '../lib';
import { expectProblem, find, newChart, synthValid } from './support/synth';

describe('GatewayServer', () => {
  it('any number of servers, each with its hosts, protocol and TLS; the Service ports follow', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      servers: [
        GatewayServer.http({ httpsRedirect: true }),
        GatewayServer.https({ certificate: Certificate.fromSecret('shop-tls'), minProtocolVersion: TlsVersion.TLSV1_3 }),
        GatewayServer.https({
          portName: 'https-partners', hosts: ['partners/api.partners.example.com'], mode: TlsMode.OPTIONAL_MUTUAL,
          certificate: Certificate.fromSecret('partners-mtls'), subjectAltNames: ['spiffe://partners/client'],
          cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'], maxProtocolVersion: TlsVersion.TLSV1_3,
        }),
        GatewayServer.http({ port: 8080, protocol: HttpProtocol.GRPC, hosts: ['./grpc.example.com'], name: 'grpc' }),
        GatewayServer.tls({ port: 15443, hosts: ['*.internal.example.com'] }),
        GatewayServer.https({ port: 15444, portName: 'https-mesh', hosts: ['*.mesh.example.com'], mode: TlsMode.ISTIO_MUTUAL }),
        GatewayServer.tcp({ port: 31400, hosts: ['*'] }),
      ],
    });
    expect(gateway.hosts).toEqual(['shop.example.com', 'api.partners.example.com', 'grpc.example.com', '*.internal.example.com', '*.mesh.example.com', '*']);
    gateway.addHost('www.shop.example.com');
    const objects = await synthValid(chart);
    const servers = find(objects, 'Gateway').spec.servers;
    expect(servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', 'www.shop.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com', 'www.shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls', minProtocolVersion: 'TLSV1_3' } },
      {
        port: { number: 443, name: 'https-partners', protocol: 'HTTPS' }, hosts: ['partners/api.partners.example.com'],
        tls: { mode: 'OPTIONAL_MUTUAL', credentialName: 'partners-mtls', minProtocolVersion: 'TLSV1_2', maxProtocolVersion: 'TLSV1_3', cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'], subjectAltNames: ['spiffe://partners/client'] },
      },
      { name: 'grpc', port: { number: 8080, name: 'grpc', protocol: 'GRPC' }, hosts: ['./grpc.example.com'] },
      { port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.internal.example.com'], tls: { mode: 'PASSTHROUGH' } },
      { port: { number: 15444, name: 'https-mesh', protocol: 'HTTPS' }, hosts: ['*.mesh.example.com'], tls: { mode: 'ISTIO_MUTUAL', minProtocolVersion: 'TLSV1_2' } },
      { port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] },
    ]);
    const svc = objects.find((o) => o.kind === 'Service') as any;
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['status-port', 15021], ['http2', 80], ['https', 443], ['grpc', 8080], ['tls', 15443], ['https-15444', 15444], ['tcp', 31400],
    ]);
    const errors = (await validateAndAnalyze(objects)).filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.check} ${f.field}`)).toEqual([]);
  });

  it('an HTTP server that only redirects, with servers of their own hosts and no gateway hosts', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      servers: [GatewayServer.http({ hosts: ['shop.example.com'], httpsRedirect: true }), GatewayServer.https({ hosts: ['shop.example.com'], certificate: Certificate.fromSecret('tls') })],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
    });
    const servers = find(await synthValid(chart), 'Gateway').spec.servers;
    expect(servers[0]).toEqual({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } });
  });

  it('createNamespace creates the Gateway\'s namespace, labelled restricted', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', { namespace: 'edge', hosts: ['shop.example.com'], createNamespace: true });
    const ns = find(await synthValid(chart), 'Namespace');
    expect(ns.metadata.name).toBe('edge');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  describe('bad input', () => {
    const make = (servers: GatewayServer[]) => () => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], servers });
    it('credentials by mode, versions, ports and hosts', () => {
      expectProblem(make([GatewayServer.https({})]), 'test/edge', 'servers[0].certificate', 'undefined', /TLS mode SIMPLE needs a credential/);
      expectProblem(make([GatewayServer.tls({ port: 15443, certificate: Certificate.fromSecret('x') })]), 'test/edge', 'servers[0].certificate', '"(set)"', /PASSTHROUGH uses no credential/);
      expectProblem(make([GatewayServer.https({ mode: TlsMode.ISTIO_MUTUAL, certificate: Certificate.fromSecret('x') })]), 'test/edge', 'servers[0].certificate', '"(set)"', /mesh's certificates/);
      expectProblem(make([GatewayServer.https({ certificate: Certificate.fromSecret('x'), minProtocolVersion: TlsVersion.TLSV1_3, maxProtocolVersion: TlsVersion.TLSV1_2 })]),
        'test/edge', 'servers[0].maxProtocolVersion', '"TLSV1_2"', /cannot be older/);
      expectProblem(make([GatewayServer.http(), GatewayServer.tcp({ port: 80 })]), 'test/edge', 'servers[1].port', '80', /already a HTTP server/);
      expectProblem(make([GatewayServer.http(), GatewayServer.http({ port: 8080 })]), 'test/edge', 'servers[1].portName', '"http"', /unique within a Gateway/);
      expectProblem(make([GatewayServer.http({ hosts: ['bad/ns/host'] })]), 'test/edge', 'servers[0].hosts[0]', '"bad/ns/host"', /./);
      expectProblem(() => new IngressGateway(newChart(), 'edge', { servers: [GatewayServer.http()] }), 'test/edge', 'hosts', 'undefined', /every server its own hosts/);
      expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['a.example.com'], servers: [GatewayServer.http()], http: { port: 81 } }),
        'test/edge', 'servers', '"(set, with http or https)"', /either servers or the http\/https shorthands/);
      expectProblem(make([{} as GatewayServer]), 'test/edge', 'servers[0]', '{}', /GatewayServer.http/);
    });
  });
  it('certificates from files: serverCertificate, privateKey and caCertificates on the server (the pre-SDS mode), the Secret mounted at their folder', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['httpbin.example.com'],
      servers: [
        GatewayServer.https({ certificate: Certificate.fromFiles({ serverCertificate: '/etc/istio/ingressgateway-certs/tls.crt', privateKey: '/etc/istio/ingressgateway-certs/tls.key', mountSecret: 'istio-ingressgateway-certs' }) }),
        GatewayServer.https({ port: 8443, portName: 'https-mtls', mode: TlsMode.MUTUAL, certificate: Certificate.fromFiles({
          serverCertificate: '/etc/istio/ingressgateway-certs/tls.crt', privateKey: '/etc/istio/ingressgateway-certs/tls.key', caCertificates: '/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem' }) }),
      ],
    });
    const objects = await synthValid(chart);
    expect(find(objects, 'Gateway').spec.servers.map((s: any) => s.tls)).toEqual([
      { mode: 'SIMPLE', serverCertificate: '/etc/istio/ingressgateway-certs/tls.crt', privateKey: '/etc/istio/ingressgateway-certs/tls.key', minProtocolVersion: 'TLSV1_2' },
      { mode: 'MUTUAL', serverCertificate: '/etc/istio/ingressgateway-certs/tls.crt', privateKey: '/etc/istio/ingressgateway-certs/tls.key', caCertificates: '/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem', minProtocolVersion: 'TLSV1_2' },
    ]);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'certs-istio-ingressgateway-certs', secret: { secretName: 'istio-ingressgateway-certs', optional: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'certs-istio-ingressgateway-certs', mountPath: '/etc/istio/ingressgateway-certs', readOnly: true });
    expect((await validateAndAnalyze(objects)).filter((f) => f.severity === 'error').map((f) => f.check)).toEqual([]);
  });

  it('certificates from files: a mutual mode without caCertificates, a relative path, files in two folders with mountSecret are refused', () => {
    const files = { serverCertificate: '/certs/tls.crt', privateKey: '/certs/tls.key' };
    expectProblem(() => new IngressGateway(newChart(), 'edge', { servers: [GatewayServer.https({ mode: TlsMode.MUTUAL, certificate: Certificate.fromFiles(files) })] }),
      'test/edge', 'servers[0].certificate', '"Certificate.fromFiles(...)"', /give caCertificates/);
    expectProblem(() => Certificate.fromFiles({ ...files, privateKey: 'tls.key' }), 'Certificate.fromFiles', 'privateKey', '"tls.key"', /absolute path/);
    expectProblem(() => Certificate.fromFiles({ ...files, caCertificates: '/ca/ca.crt', mountSecret: 'certs' }), 'Certificate.fromFiles', 'mountSecret', '"certs"', /files are in \/certs, \/ca/);
  });
});
