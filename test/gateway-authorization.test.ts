import { describe, expect, it } from 'vitest';
import { Certificate, ExternalTrafficPolicy, GatewayWorkload, HttpMethod, IngressGateway, VersionedService, analyze } from '../lib';
import { LoadedEdge } from '../lib/explain';
import { all, expectProblem, find, newChart, synthValid } from './support/synth';

const local = { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL };

describe('authorization at the gateway', () => {
  it('source IP allow-lists, deny rules and JWT requirements become policies on the gateway pods', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com', 'admin.example.com'], azure: local });
    gw.allowSourceIps('office-only', { cidrs: ['203.0.113.0/24', '2001:db8::/32'], hosts: ['admin.example.com'] });
    gw.denyRequests('block-admin', { paths: ['/admin', '/admin/*'], methods: [HttpMethod.DELETE] });
    gw.requireJwt('orders', { issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/keys', audiences: ['shop'], paths: ['/api/orders*'] });
    const objects = await synthValid(chart);
    const policies = all(objects, 'AuthorizationPolicy');
    expect(policies.map((p) => [p.metadata.name, p.spec.action])).toEqual([
      ['istio-ingressgateway-office-only', 'DENY'], ['istio-ingressgateway-block-admin', 'DENY'], ['istio-ingressgateway-orders', 'DENY'],
    ]);
    for (const p of policies) expect(p.spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(policies[0].spec.rules).toEqual([{
      from: [{ source: { notRemoteIpBlocks: ['203.0.113.0/24', '2001:db8::/32'] } }],
      to: [{ operation: { hosts: ['admin.example.com', 'admin.example.com:*'] } }],
    }]);
    expect(policies[1].spec.rules).toEqual([{ to: [{ operation: { paths: ['/admin', '/admin/*'], methods: ['DELETE'] } }] }]);
    expect(policies[2].spec.rules).toEqual([{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/orders*'] } }] }]);
    const ra = find(objects, 'RequestAuthentication', 'istio-ingressgateway-orders');
    expect(ra.spec.jwtRules[0]).toMatchObject({ issuer: 'https://issuer.example.com', audiences: ['shop'], forwardOriginalToken: true });
    expect(analyze(objects, { production: true }).filter((f) => f.check === 'GatewayHostWithoutAuthorization')).toEqual([]);
  });

  it('with an HTTP server redirecting to HTTPS, deny rules and JWT requirements leave its port out, so http:// still gets the 301', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https: { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true }, azure: local });
    gw.denyRequests('block-admin', { paths: ['/admin', '/admin/*'] });
    gw.requireJwt('orders', { issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/keys', paths: ['/api/orders*'] });
    gw.allowSourceIps('office', { cidrs: ['203.0.113.0/24'], paths: ['/internal/*'] });
    const objects = await synthValid(chart);
    const rules = (name: string) => find(objects, 'AuthorizationPolicy', `istio-ingressgateway-${name}`).spec.rules;
    // The pods listen on the Service's target port, which the package sets to the server's port.
    expect(find(objects, 'Service', 'istio-ingressgateway').spec.ports).toContainEqual(expect.objectContaining({ port: 80, targetPort: 80 }));
    expect(rules('block-admin')).toEqual([{ to: [{ operation: { paths: ['/admin', '/admin/*'], notPorts: ['80'] } }] }]);
    expect(rules('orders')).toEqual([{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/orders*'], notPorts: ['80'] } }] }]);
    // The HTTP server only redirects: a client outside the allow-list is refused over HTTPS.
    expect(rules('office')).toEqual([{ from: [{ source: { notRemoteIpBlocks: ['203.0.113.0/24'] } }], to: [{ operation: { paths: ['/internal/*'], notPorts: ['80'] } }] }]);
    expect(analyze(objects).filter((f) => f.check === 'AuthorizationShadowsHttpsRedirect')).toEqual([]);
    const edge = LoadedEdge.load(objects);
    for (const path of ['/admin/users', '/api/orders/1', '/internal/x']) {
      expect(edge.explain({ host: 'shop.example.com', path, scheme: 'http', port: 80, sourceIp: '198.51.100.7' }), `http://shop.example.com${path}`).toMatchObject({ decision: 'redirected' });
      expect(edge.explain({ host: 'shop.example.com', path, scheme: 'https', port: 443, sourceIp: '198.51.100.7' }), `https://shop.example.com${path}`).toMatchObject({ decision: 'denied' });
    }
  });

  it('an existing gateway\'s pod ports are not known: its deny rules apply on every port, and the analysis warns', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'], https: { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true },
      workload: GatewayWorkload.existing({ namespace: 'istio-ingress', selector: { istio: 'ingressgateway' } }),
    });
    gw.denyRequests('block-admin', { paths: ['/admin/*'] });
    const objects = await synthValid(chart);
    expect(find(objects, 'AuthorizationPolicy', 'istio-ingressgateway-block-admin').spec.rules).toEqual([{ to: [{ operation: { paths: ['/admin/*'] } }] }]);
    expect(analyze(objects).filter((f) => f.check === 'AuthorizationShadowsHttpsRedirect').map((f) => f.message)).toEqual([expect.stringMatching(/get 403 instead of the 301 to https:\/\/.*add notPorts: \["80"\]/)]);
  });

  it('bad input', () => {
    const make = () => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], azure: local });
    expectProblem(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'] }).allowSourceIps('ips', { cidrs: ['10.0.0.0/8'] }),
      'test/edge', 'authorization["ips"].cidrs', '["10.0.0.0/8"]', /ExternalTrafficPolicy.LOCAL/);
    expectProblem(() => make().allowSourceIps('ips', { cidrs: ['10.0.0.0/33'] }), 'test/edge', 'authorization["ips"].cidrs[0]', '"10.0.0.0/33"', /CIDR/);
    expectProblem(() => make().allowSourceIps('ips', { cidrs: ['10.0.0.0/8'], hosts: ['other.example.com'] }), 'test/edge', 'authorization["ips"].hosts[0]', '"other.example.com"', /host the gateway serves/);
    expectProblem(() => make().denyRequests('deny', {}), 'test/edge', 'authorization["deny"]', '{}', /Say which requests to deny/);
    expectProblem(() => make().denyRequests('deny', { paths: ['admin'] }), 'test/edge', 'authorization["deny"].paths[0]', '"admin"', /starting with "\/"/);
    expectProblem(() => make().requireJwt('jwt', { issuer: 'i', jwksUri: 'http://keys' }), 'test/edge', 'authorization["jwt"].jwksUri', '"http://keys"', /https URL/);
    const gw = make();
    gw.denyRequests('deny', { paths: ['/x'] });
    expectProblem(() => gw.denyRequests('deny', { paths: ['/y'] }), 'test/edge', 'authorization name', '"deny"', /its own name/);
  });
});

describe('VersionedService.allowFrom', () => {
  it('accepts its callers\' principals and nothing else; each service runs as its own service account', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    const web = new VersionedService(chart, 'web', { namespace: 'shop', versions: [{ name: 'v1', image: 'web:1' }] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    api.allowFrom(gw);
    api.allowFrom(web, gw);
    const objects = await synthValid(chart);
    expect(find(objects, 'AuthorizationPolicy', 'api-allow-callers').spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway', 'cluster.local/ns/shop/sa/web'] } }] }],
    });
    expect(find(objects, 'Deployment', 'web-v1').spec.template.spec.serviceAccountName).toBe('web');
    expect(web.principal).toBe('cluster.local/ns/shop/sa/web');
  });

  it('refuses a gateway whose service account is unknown', () => {
    const chart = newChart();
    const addon = new IngressGateway(chart, 'edge', { namespace: 'shop', hosts: ['shop.example.com'], workload: GatewayWorkload.aksAddon() });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    expectProblem(() => api.allowFrom(addon), 'test/api', 'allowFrom[0]', '"test/edge"', /service account is unknown/);
    const known = new IngressGateway(chart, 'edge2', {
      namespace: 'shop', hosts: ['b.example.com'], workload: GatewayWorkload.aksAddon(undefined, { serviceAccount: 'aks-istio-ingressgateway-external' }),
    });
    api.allowFrom(known);
    expect(known.principal).toBe('cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-external');
  });
});
