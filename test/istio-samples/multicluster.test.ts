// Istio 1.30.3 samples/multicluster/ re-expressed with the constructs: the east-west gateway's
// servers (expose-services.yaml: 15443 TLS AUTO_PASSTHROUGH "*.local"; expose-istiod.yaml: istiod's
// 15012 and 15017 passed through, routed by a VirtualService to istiod), on the pods
// `istio: eastwestgateway` in istio-system that gen-eastwest-gateway.sh installs.
import { describe, expect, it } from 'vitest';
import { GatewayServer, GatewayWorkload, IngressGateway, TlsMode, Traffic, VersionedService } from '../../lib';
import { expectProblem, find, newChart } from '../support/synth';
import { synthClean } from './support';

const eastWest = GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'eastwestgateway' } });

describe('Istio samples: multicluster', () => {
  it('expose-services.yaml: a TLS server in AUTO_PASSTHROUGH on 15443 for "*.local"', async () => {
    const chart = newChart('istio-system');
    new IngressGateway(chart, 'cross-network-gateway', {
      name: 'cross-network-gateway', namespace: 'istio-system', workload: eastWest,
      servers: [GatewayServer.tls({ port: 15443, hosts: ['*.local'], mode: TlsMode.AUTO_PASSTHROUGH })],
    });
    const gw = find(await synthClean(chart), 'Gateway');
    expect(gw.spec).toEqual({
      selector: { istio: 'eastwestgateway' },
      servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
    });
  });

  it('expose-istiod.yaml: istiod\'s ports 15012 and 15017 passed through and routed to istiod', async () => {
    const chart = newChart('istio-system');
    const gateway = new IngressGateway(chart, 'istiod-gateway', {
      name: 'istiod-gateway', namespace: 'istio-system', workload: eastWest,
      servers: [
        GatewayServer.tls({ port: 15012, portName: 'tls-istiod', hosts: ['*'] }),
        GatewayServer.tls({ port: 15017, portName: 'tls-istiodwebhook', hosts: ['*'] }),
      ],
    });
    const istiod = VersionedService.fromServiceAttributes(chart, 'istiod', { name: 'istiod', namespace: 'istio-system', ports: [15012, 443] });
    gateway.addRoute('istiod-vs', {
      name: 'istiod-vs', hosts: ['*'],
      tlsRoutes: [
        { match: [{ port: 15012, sniHosts: ['*'] }], to: Traffic.to(istiod, { port: 15012 }) },
        { match: [{ port: 15017, sniHosts: ['*'] }], to: Traffic.to(istiod, { port: 443 }) },
      ],
    });
    const objects = await synthClean(chart);
    expect(find(objects, 'Gateway').spec.servers).toEqual([
      { port: { number: 15012, name: 'tls-istiod', protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
      { port: { number: 15017, name: 'tls-istiodwebhook', protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
    ]);
    const vs = find(objects, 'VirtualService').spec;
    expect(vs.tls.map((r: any) => [r.match[0].port, r.route[0].destination])).toEqual([
      [15012, { host: 'istiod', port: { number: 15012 } }],
      [15017, { host: 'istiod', port: { number: 443 } }],
    ]);
  });

  it('the ports the gateway\'s own proxy binds are still refused (15000, 15004, 15020, 15021, 15053, 15090)', () => {
    for (const port of [15000, 15004, 15020, 15021, 15053, 15090]) {
      const chart = newChart();
      expectProblem(() => new IngressGateway(chart, 'edge', { workload: eastWest, servers: [GatewayServer.tls({ port, hosts: ['*'] })] }), 'test/edge', 'servers[0].port', String(port), /belong to the gateway's Istio proxy/);
    }
  });

  it('AUTO_PASSTHROUGH takes no TLS versions nor ciphers, as PASSTHROUGH', () => {
    const chart = newChart();
    expectProblem(() => new IngressGateway(chart, 'edge', { workload: eastWest, servers: [GatewayServer.tls({ port: 15443, hosts: ['*.local'], mode: TlsMode.AUTO_PASSTHROUGH, cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256'] })] }), 'test/edge', 'servers[0].minProtocolVersion', '["ECDHE-RSA-AES128-GCM-SHA256"]', /With AUTO_PASSTHROUGH the gateway does not terminate TLS/);
  });
});
