// Sidecar configurations from Istio 1.30.3's reference and tasks, re-expressed with the Sidecar
// construct (written from istio.io's Sidecar reference and the egress-control task, not copied):
// the namespace-wide egress scoping, a workload's own listeners, REGISTRY_ONLY with the external
// hosts declared as ServiceEntries (the egress-gateway pattern), and ALLOW_ANY with an egress proxy.
import { describe, expect, it } from 'vitest';
import { OutboundTrafficMode, ServiceEntry, ServiceProtocol, Sidecar } from '../../lib';
import { find, newChart } from '../support/synth';
import { sampleService, synthClean } from './support';

describe('Istio samples: Sidecar', () => {
  it('the reference\'s namespace default: prod-us1\'s sidecars import their own namespace, prod-apis and istio-system', async () => {
    const chart = newChart('prod-us1');
    new Sidecar(chart, 'default', { egress: [{ hosts: ['prod-us1/*', 'prod-apis/*', 'istio-system/*'] }] });
    const sc = find(await synthClean(chart), 'Sidecar');
    expect(sc.metadata).toEqual({ name: 'default', namespace: 'prod-us1' });
    expect(sc.spec).toEqual({ egress: [{ hosts: ['prod-us1/*', 'prod-apis/*', 'istio-system/*'] }] });
  });

  it('the reference\'s ratings Sidecar: an ingress listener to a Unix socket, an HTTP egress listener on 9080 and a catch-all for istio-system', async () => {
    const chart = newChart('prod-us1');
    sampleService(chart, 'ratings', ['v1']);
    new Sidecar(chart, 'ratings-sidecar', {
      name: 'ratings',
      workloadSelector: { app: 'ratings' },
      ingress: [{ port: { number: 9080, protocol: ServiceProtocol.HTTP, name: 'somename' }, defaultEndpoint: 'unix:///var/run/someuds.sock' }],
      egress: [
        { port: { number: 9080, protocol: ServiceProtocol.HTTP, name: 'egresshttp' }, hosts: ['prod-us1/*'] },
        { hosts: ['istio-system/*'] },
      ],
    });
    const sc = find(await synthClean(chart), 'Sidecar');
    expect(sc.spec.workloadSelector).toEqual({ labels: { app: 'ratings' } });
    expect(sc.spec.egress.map((l: any) => l.port?.number ?? 'all')).toEqual([9080, 'all']);
  });

  it('egress control: REGISTRY_ONLY for a namespace, with the external host a ServiceEntry (edition.cnn.com)', async () => {
    const chart = newChart('default');
    new ServiceEntry(chart, 'cnn', {
      hosts: ['edition.cnn.com'],
      ports: [{ number: 80, name: 'http-port', protocol: ServiceProtocol.HTTP }, { number: 443, name: 'https', protocol: ServiceProtocol.HTTPS }],
    });
    new Sidecar(chart, 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const sc = find(await synthClean(chart), 'Sidecar');
    expect(sc.spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  });

  it('the reference\'s ALLOW_ANY with an egress proxy: unknown hosts go to the proxy\'s subset v1 on 5000', async () => {
    const chart = newChart('default');
    new Sidecar(chart, 'default', {
      outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY,
      egressProxy: { host: 'foo.bar', port: 5000, subset: 'v1' },
    });
    const sc = find(await synthClean(chart), 'Sidecar');
    expect(sc.spec.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY', egressProxy: { host: 'foo.bar', subset: 'v1', port: { number: 5000 } } });
  });
});
