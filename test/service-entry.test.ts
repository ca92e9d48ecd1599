import { describe, expect, it } from 'vitest';
import {
  AppRoute, ClientTls, DestinationRule, H2UpgradePolicy, ServiceEntry, ServiceLocation, ServiceProtocol, ServiceResolution, Traffic, validateAndAnalyze, VersionedService,
} from '../lib';
import { expectProblem, find, newChart, synthValid } from './support/synth';

describe('ServiceEntry', () => {
  it('hosts, ports, resolution, location, endpoints, addresses and exportTo; routable by host', async () => {
    const chart = newChart('shop');
    const db = new ServiceEntry(chart, 'payments-db', {
      hosts: ['db.payments.internal', 'replica.payments.internal'],
      // TLS (Postgres behind a TLS proxy): with two hosts, Istio needs a protocol that names its host (SNI).
      ports: [{ number: 5432, protocol: ServiceProtocol.TLS }],
      resolution: ServiceResolution.STATIC,
      location: ServiceLocation.MESH_INTERNAL,
      addresses: ['10.20.0.0/24'],
      endpoints: [{ address: '10.20.0.5', labels: { role: 'primary' }, ports: { tls: 15432 } }, { address: '10.20.0.6', labels: { role: 'replica' }, weight: 2 }],
      exportTo: ['.'],
    });
    const rule = new DestinationRule(chart, 'db-rule', {
      host: db, subsets: [{ name: 'primary', labels: { role: 'primary' } }],
      trafficPolicy: { connectionPool: { tcp: { maxConnections: 50 }, http: { h2UpgradePolicy: H2UpgradePolicy.DO_NOT_UPGRADE, useClientProtocol: true } } },
    });
    // Calls to db: the writer's go to the primary, the others to the replica (the hosts name whose
    // calls the route takes: the routes go to two hosts of the entry, so they are not a default).
    new AppRoute(chart, 'db-route', {
      name: 'db', hosts: ['db.payments.internal'],
      tcpRoutes: [{ match: [{ sourceLabels: { app: 'writer' } }], to: Traffic.to(rule.subset('primary')) }, { to: Traffic.to(db.host('replica.payments.internal')) }],
    });
    const objects = await synthValid(chart);
    expect(find(objects, 'ServiceEntry').spec).toEqual({
      hosts: ['db.payments.internal', 'replica.payments.internal'], addresses: ['10.20.0.0/24'],
      ports: [{ number: 5432, protocol: 'TLS', name: 'tls' }], resolution: 'STATIC', location: 'MESH_INTERNAL',
      endpoints: [{ address: '10.20.0.5', labels: { role: 'primary' }, ports: { tls: 15432 } }, { address: '10.20.0.6', labels: { role: 'replica' }, weight: 2 }],
      exportTo: ['.'],
    });
    expect(find(objects, 'DestinationRule').spec.trafficPolicy.connectionPool.http).toEqual({ h2UpgradePolicy: 'DO_NOT_UPGRADE', useClientProtocol: true });
    const vs = find(objects, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['db.payments.internal']);
    expect(vs.spec.tcp.map((r: any) => r.route[0].destination)).toEqual([
      { host: 'db.payments.internal', subset: 'primary', port: { number: 5432 } }, { host: 'replica.payments.internal', port: { number: 5432 } },
    ]);
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService'));
    expect((await validateAndAnalyze(objects)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('bad input names the property and the fix', () => {
    const chart = newChart('shop');
    const ports = [{ number: 443, protocol: ServiceProtocol.TLS }];
    expectProblem(() => new ServiceEntry(chart, 'a', { hosts: ['*.example.com'], ports }), 'test/a', 'hosts[0]', '"*.example.com"', /resolution ServiceResolution.NONE/);
    expectProblem(() => new ServiceEntry(chart, 'b', { hosts: ['x.example.com'], ports, resolution: ServiceResolution.STATIC }), 'test/b', 'endpoints', 'undefined', /STATIC resolution needs/);
    expectProblem(() => new ServiceEntry(chart, 'c', { hosts: ['x.example.com'], ports, resolution: ServiceResolution.NONE, endpoints: [{ address: '1.2.3.4' }] }), 'test/c', 'endpoints', '"(set)"', /NONE takes no endpoints/);
    expectProblem(() => new ServiceEntry(chart, 'd', { hosts: ['x.example.com'], ports: [{ number: 1, protocol: 'UDP' as never }] }), 'test/d', 'ports[0].protocol', '"UDP"', /ServiceProtocol.HTTP/);
    expectProblem(() => new ServiceEntry(chart, 'e', { hosts: ['x.example.com'], ports, addresses: ['10.0.0.0/8'] }), 'test/e', 'addresses[0]', '"10.0.0.0/8"', /NONE or STATIC/);
    // Istio's webhook: several hosts with a TCP or MONGO port need resolution NONE (nothing tells the hosts apart).
    const two = ['a.example.com', 'b.example.com'];
    expectProblem(() => new ServiceEntry(chart, 'h', { hosts: two, ports: [{ number: 27017, protocol: ServiceProtocol.MONGO }] }), 'test/h', 'ports[0].protocol', '"MONGO"', /cannot tell 2 hosts apart/);
    expectProblem(() => new ServiceEntry(chart, 'i', { hosts: two, ports: [...ports, { number: 5432, protocol: ServiceProtocol.TCP }], resolution: ServiceResolution.STATIC, endpoints: [{ address: '10.0.0.1' }] }), 'test/i', 'ports[1].protocol', '"TCP"', /ServiceResolution.NONE/);
    new ServiceEntry(chart, 'j', { hosts: two, ports: [{ number: 5432, protocol: ServiceProtocol.TCP }], resolution: ServiceResolution.NONE });
    new ServiceEntry(chart, 'k', { hosts: two, ports: [{ number: 443, protocol: ServiceProtocol.HTTPS }, { number: 80, protocol: ServiceProtocol.HTTP }] });
    const ok = new ServiceEntry(chart, 'f', { hosts: ['x.example.com'], ports });
    expectProblem(() => ok.host('y.example.com'), 'test/f', 'host', '"y.example.com"', /x.example.com/);
    expectProblem(() => new DestinationRule(chart, 'g', { host: 'x.example.com' }).subset('v1'), 'test/g', 'subset', '"v1"', /pass the service as host/);
    expectProblem(() => ClientTls.mutual({ credentialName: 'c', clientCertificate: '/a', privateKey: '/b' }), 'ClientTls.mutual', 'credentialName', '"c"', /either credentialName/);
    expectProblem(() => ClientTls.mutual({ clientCertificate: 'relative.pem', privateKey: '/k' }), 'ClientTls.mutual', 'clientCertificate', '"relative.pem"', /absolute file path/);
  });

  it('a DestinationRule for an imported Service in a client namespace uses the FQDN', async () => {
    const chart = newChart('shop');
    const ledger = VersionedService.fromServiceAttributes(chart, 'ledger', { name: 'ledger', namespace: 'payments', ports: [8080] });
    new DestinationRule(chart, 'ledger-from-shop', { host: ledger, namespace: 'shop', exportTo: ['.'], trafficPolicy: { tls: ClientTls.ISTIO_MUTUAL } });
    const dr = find(await synthValid(chart), 'DestinationRule');
    expect(dr.metadata).toEqual({ name: 'ledger-from-shop', namespace: 'shop', annotations: { 'analysis.istio-aks-edge.io/defined-elsewhere': 'Service ledger.payments.svc.cluster.local' } });
    expect(dr.spec).toEqual({ host: 'ledger.payments.svc.cluster.local', exportTo: ['.'], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  });
});
