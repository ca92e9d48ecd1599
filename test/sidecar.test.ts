// The Sidecar construct: Istio's webhook rules for Sidecar (pkg/config/validation ValidateSidecar,
// Istio 1.30.3) refused at synth by name, each beside the valid shape next to it.
import { describe, expect, it } from 'vitest';
import { CaptureMode, IngressGateway, OutboundTrafficMode, PathMatch, ServiceProtocol, Sidecar, SidecarProps, toGatewayApi, Traffic, VersionedService } from '../lib';
import { expectProblem, find, newChart, synth, synthValid } from './support/synth';

const make = (props: SidecarProps) => () => new Sidecar(newChart('shop'), 'sc', props);
const PATH = 'test/sc';

describe('Sidecar', () => {
  it('renders egress, ingress, the outbound policy with an egress proxy, and the selector; valid against the pinned CRD', async () => {
    const chart = newChart('shop');
    new Sidecar(chart, 'ratings', {
      workloadSelector: { app: 'ratings' },
      ingress: [{ port: { number: 9080, protocol: ServiceProtocol.HTTP, name: 'somename' }, defaultEndpoint: 'unix:///var/run/someuds.sock' }],
      egress: [
        { port: { number: 9080, protocol: ServiceProtocol.HTTP, name: 'egresshttp' }, hosts: ['prod-us1/*'] },
        { port: { number: 0, protocol: ServiceProtocol.HTTP }, bind: 'unix:///var/run/app.sock', captureMode: CaptureMode.NONE, hosts: ['*/*.example.com'] },
        { hosts: ['istio-system/*'] },
      ],
      outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY,
      egressProxy: { host: 'egress-proxy.egress.svc.cluster.local', port: 3128, subset: 'v1' },
    });
    const sc = find(await synthValid(chart), 'Sidecar');
    expect(sc.apiVersion).toBe('networking.istio.io/v1');
    expect(sc.metadata).toEqual({ name: 'ratings', namespace: 'shop' });
    expect(sc.spec).toEqual({
      workloadSelector: { labels: { app: 'ratings' } },
      ingress: [{ port: { number: 9080, protocol: 'HTTP', name: 'somename' }, defaultEndpoint: 'unix:///var/run/someuds.sock' }],
      egress: [
        { port: { number: 9080, protocol: 'HTTP', name: 'egresshttp' }, hosts: ['prod-us1/*'] },
        { port: { number: 0, protocol: 'HTTP' }, bind: 'unix:///var/run/app.sock', captureMode: 'NONE', hosts: ['*/*.example.com'] },
        { hosts: ['istio-system/*'] },
      ],
      outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'egress-proxy.egress.svc.cluster.local', port: { number: 3128 }, subset: 'v1' } },
    });
  });

  it('an empty Sidecar is refused (Istio: "empty configuration provided"); an outbound policy alone is a Sidecar', () => {
    expectProblem(make({}), PATH, 'props', '"(empty)"', /Istio refuses an empty Sidecar/);
    expect(make({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY })).not.toThrow();
  });

  it('one egress listener without a port, and only as the last', () => {
    expectProblem(make({ egress: [{ hosts: ['./*'] }, { port: { number: 80, protocol: ServiceProtocol.HTTP }, hosts: ['./*'] }] }), PATH, 'egress[0].port', 'undefined', /one egress listener without a port, and it must be the last/);
    expect(make({ egress: [{ port: { number: 80, protocol: ServiceProtocol.HTTP }, hosts: ['./*'] }, { hosts: ['./*'] }] })).not.toThrow();
  });

  it('egress hosts: namespace/dnsName, no short names, no partial wildcards, at least one', () => {
    expectProblem(make({ egress: [{ hosts: ['reviews.default.svc.cluster.local'] }] }), PATH, 'egress[0].hosts[0]', '"reviews.default.svc.cluster.local"', /without a namespace/);
    expectProblem(make({ egress: [{ hosts: ['default/reviews'] }] }), PATH, 'egress[0].hosts[0]', '"default/reviews"', /short names/);
    expectProblem(make({ egress: [{ hosts: ['default/*reviews.example.com'] }] }), PATH, 'egress[0].hosts[0]', '"*reviews.example.com"', /wildcard/);
    expectProblem(make({ egress: [{ hosts: ['Default/*'] }] }), PATH, 'egress[0].hosts[0] namespace', '"Default"', /DNS|label/i);
    expectProblem(make({ egress: [{ hosts: [] }] }), PATH, 'egress[0].hosts', '[]', /without hosts/);
    expect(make({ egress: [{ hosts: ['./*', '~/*', '*/*.example.com', 'istio-system/istiod.istio-system.svc.cluster.local'] }] })).not.toThrow();
  });

  it('ports: unique per listener kind, a Unix socket on port 0 with a unix:// bind, IP binds otherwise', () => {
    const http = (n: number) => ({ number: n, protocol: ServiceProtocol.HTTP });
    expectProblem(make({ egress: [{ port: http(80), hosts: ['./*'] }, { port: http(80), hosts: ['a/*'] }] }), PATH, 'egress[1].port.number', '80', /two egress listeners on one port/);
    expectProblem(make({ egress: [{ port: http(0), hosts: ['./*'] }] }), PATH, 'egress[0].bind', 'undefined', /Unix domain socket/);
    expectProblem(make({ egress: [{ port: http(0), bind: 'unix:///a.sock', captureMode: CaptureMode.IPTABLES, hosts: ['./*'] }] }), PATH, 'egress[0].captureMode', '"IPTABLES"', /DEFAULT or NONE/);
    expectProblem(make({ egress: [{ port: http(80), bind: 'localhost', hosts: ['./*'] }] }), PATH, 'egress[0].bind', '"localhost"', /IP address/);
    expectProblem(make({ ingress: [{ port: http(9080) }, { port: http(9080) }] }), PATH, 'ingress[1].port.number', '9080', /two ingress listeners/);
    expectProblem(make({ ingress: [{ port: http(0) }] }), PATH, 'ingress[0].port.number', '0', /port/);
    expect(make({ egress: [{ port: http(80), bind: '127.0.0.1', hosts: ['./*'] }], ingress: [{ port: http(80), bind: '0.0.0.0' }] })).not.toThrow();
  });

  it('ingress defaultEndpoint: loopback or any address with a port, or a Unix socket', () => {
    const port = { number: 9080, protocol: ServiceProtocol.HTTP };
    expectProblem(make({ ingress: [{ port, defaultEndpoint: '10.0.0.1:8080' }] }), PATH, 'ingress[0].defaultEndpoint', '"10.0.0.1:8080"', /127\.0\.0\.1:<port>/);
    expectProblem(make({ ingress: [{ port, defaultEndpoint: '127.0.0.1' }] }), PATH, 'ingress[0].defaultEndpoint', '"127.0.0.1"', /127\.0\.0\.1:<port>/);
    for (const ok of ['127.0.0.1:8080', '0.0.0.0:8080', '[::1]:8080', '[::]:8080', ':8080', 'unix:///var/run/app.sock']) {
      expect(make({ ingress: [{ port, defaultEndpoint: ok }] }), ok).not.toThrow();
    }
  });

  it('egressProxy only with ALLOW_ANY, a fully qualified host and a port', () => {
    const egressProxy = { host: 'proxy.egress.svc.cluster.local', port: 3128 };
    expectProblem(make({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY, egressProxy }), PATH, 'egressProxy', '"proxy.egress.svc.cluster.local"', /only with outboundTrafficPolicy OutboundTrafficMode\.ALLOW_ANY/);
    expectProblem(make({ egress: [{ hosts: ['./*'] }], egressProxy }), PATH, 'egressProxy', '"proxy.egress.svc.cluster.local"', /ALLOW_ANY/);
    expectProblem(make({ outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY, egressProxy: { host: '*.egress.svc', port: 3128 } }), PATH, 'egressProxy.host', '"*.egress.svc"', /without wildcards/);
    expectProblem(make({ outboundTrafficPolicy: 'ALLOW_ANY_DYNAMIC_DNS' as OutboundTrafficMode }), PATH, 'outboundTrafficPolicy', '"ALLOW_ANY_DYNAMIC_DNS"', /only in the mesh config/);
  });

  it('workloadSelector: labels, without wildcards; an empty one is refused (Istio warns that it selects the whole namespace)', () => {
    expectProblem(make({ workloadSelector: {}, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY }), PATH, 'workloadSelector', '{}', /leave workloadSelector out/);
    expectProblem(make({ workloadSelector: { app: 'rev*' }, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY }), PATH, 'workloadSelector["app"]', '"rev*"', /wildcards/);
  });

  it('the Gateway API form copies the Sidecar unchanged (istiod reads it the same in both forms)', () => {
    const chart = newChart('shop');
    const gateway = new IngressGateway(chart, 'gw', { hosts: ['a.example.com'] });
    const api = new VersionedService(chart, 'api', { versions: [{ name: 'v1', image: 'x/api:1' }] });
    gateway.addRoute('r', { routes: [{ name: 'a', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(api.version('v1')) }] });
    new Sidecar(chart, 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const objects = synth(chart);
    const converted = toGatewayApi(objects).objects;
    expect(converted.filter((o) => o.kind === 'Sidecar')).toEqual(objects.filter((o) => o.kind === 'Sidecar'));
    expect(converted.some((o) => o.kind === 'HTTPRoute')).toBe(true);
  });
});
