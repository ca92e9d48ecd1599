// The shapes issue 25 added to the constructs, through the Gateway API form and explain (both
// forms): a header presence match, an exact ":method" pseudo-header match, ":authority" set in the
// request headers (Istio's host rewrite), abort.grpcStatus, TLS AUTO_PASSTHROUGH and certificates
// from files. Each converts with the same meaning (CRD-valid, and explain answers the same on both
// forms) or is refused by name.
import { describe, expect, it } from 'vitest';
import {
  Certificate, GatewayServer, GatewayWorkload, IngressGateway, KubernetesObject, PathMatch, StringMatch, TlsMode, toGatewayApi, Traffic, VersionedService,
} from '../lib';
import { explainRequest, ExplainRequest } from '../lib/explain';
import { gatewayApiCrdSchemas } from '../lib/analysis/schema/gateway-api-crd';
import { newChart, synth } from './support/synth';

function edge(configure: (gw: IngressGateway, api: VersionedService) => void, servers?: GatewayServer[]): KubernetesObject[] {
  const chart = newChart('shop');
  const gw = new IngressGateway(chart, 'gw', { hosts: ['a.example.com'], ...(servers ? { servers } : {}) });
  const api = new VersionedService(chart, 'api', { versions: [{ name: 'v1', image: 'x/api:1' }] });
  configure(gw, api);
  return synth(chart);
}

const conversionError = (objects: KubernetesObject[]): string => {
  try {
    toGatewayApi(objects);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

/** explain on both forms: the Istio objects and their Gateway API form. */
function both(objects: KubernetesObject[], request: ExplainRequest) {
  const form = toGatewayApi(objects).objects;
  expect(gatewayApiCrdSchemas().validate(form)).toEqual([]);
  // The version Service of the Gateway API form (api-v1) stands for the subset v1 of the Istio form.
  const outcome = (e: ReturnType<typeof explainRequest>) => [e.decision, e.status, e.route?.name, e.destinations.map((d) => d.host.replace(/^api-v1\./, 'api.')), e.rewrite?.authority];
  return { istio: outcome(explainRequest(objects, request)), gatewayApi: outcome(explainRequest(form, request)), form };
}

describe('the new shapes in the Gateway API form and explain', () => {
  const objects = edge((gw, api) => gw.addRoute('r', {
    routes: [
      { name: 'present', match: [{ path: PathMatch.prefix('/p'), headers: { 'x-user': StringMatch.present() } }], to: Traffic.to(api.version('v1')) },
      { name: 'pseudo', match: [{ path: PathMatch.prefix('/m'), headers: { ':method': StringMatch.exact('POST') } }], to: Traffic.to(api.version('v1')) },
      { name: 'authority', match: [{ path: PathMatch.prefix('/a') }], headers: { request: { set: { ':authority': 'b.example.com', 'x-a': '1' } } }, to: Traffic.to(api.version('v1')) },
    ],
  }));
  const request = (r: Partial<ExplainRequest>): ExplainRequest => ({ host: 'a.example.com', scheme: 'http', ...r });

  it('a header presence match: a regular expression taking any value, present only (CRD-valid); explain matches it only when present', () => {
    const { form } = both(objects, request({ path: '/p' }));
    const rule = (form.find((o) => o.kind === 'HTTPRoute') as any).spec.rules.find((r: any) => r.name === 'present');
    expect(rule.matches[0].headers).toEqual([{ name: 'x-user', type: 'RegularExpression', value: '.*' }]);
    for (const headers of [{ 'x-user': '' }, { 'x-user': 'ann' }, {}] as Array<Record<string, string>>) {
      const { istio, gatewayApi } = both(objects, request({ path: '/p', headers }));
      expect(gatewayApi, JSON.stringify(headers)).toEqual(istio);
      expect(istio[0], JSON.stringify(headers)).toBe('x-user' in headers ? 'routed' : 'no-route');
    }
  });

  it('an exact ":method" pseudo-header match is the match\'s method; explain reads :method from the request', () => {
    const { form } = both(objects, request({ path: '/m' }));
    const rule = (form.find((o) => o.kind === 'HTTPRoute') as any).spec.rules.find((r: any) => r.name === 'pseudo');
    expect(rule.matches[0]).toEqual({ path: { type: 'RegularExpression', value: '/m.*' }, method: 'POST' });
    for (const method of ['POST', 'GET']) {
      const { istio, gatewayApi } = both(objects, request({ path: '/m', method }));
      expect(gatewayApi).toEqual(istio);
      expect(istio[0], method).toBe(method === 'POST' ? 'routed' : 'no-route');
    }
  });

  it('other pseudo-headers (":authority", ":scheme", a ":method" that is not exact) are refused by name', () => {
    const other = edge((gw, api) => gw.addRoute('r', { routes: [{ name: 'x', match: [{ headers: { ':scheme': StringMatch.exact('https'), ':authority': StringMatch.prefix('a.') } }], to: Traffic.to(api.version('v1')) }] }));
    const message = conversionError(other);
    expect(message).toMatch(/invalid routes\["x"\]\.match\[0\]\.headers\[":scheme"\]: .*no match on the :scheme pseudo-header/);
    expect(message).toMatch(/headers\[":authority"\]: .*route by the route's hosts/);
    expect(explainRequest(other, request({ path: '/', scheme: 'http' })).decision).toBe('no-route');
  });

  it('":authority" set on the request is a host rewrite: the URLRewrite\'s hostname, the other headers kept; explain reports the rewrite on both forms', () => {
    const { istio, gatewayApi, form } = both(objects, request({ path: '/a' }));
    const rule = (form.find((o) => o.kind === 'HTTPRoute') as any).spec.rules.find((r: any) => r.name === 'authority');
    expect(rule.filters).toEqual([
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }] } },
      { type: 'URLRewrite', urlRewrite: { hostname: 'b.example.com' } },
    ]);
    expect(istio).toEqual(['routed', undefined, 'authority', ['api.shop.svc.cluster.local'], 'b.example.com']);
    expect(gatewayApi).toEqual(istio);
  });

  it('abort.grpcStatus is a fault: refused by name (the Gateway API has no fault injection); explain reports the fault', () => {
    const faulty = edge((gw, api) => gw.addRoute('r', { routes: [{ name: 'g', fault: { abort: { grpcStatus: 'UNAVAILABLE', percent: 100 } }, to: Traffic.to(api.version('v1')) }] }));
    expect(conversionError(faulty)).toMatch(/invalid routes\["g"\]\.fault: received "\(set\)"\. The Gateway API has no fault injection/);
    expect(explainRequest(faulty, request({ path: '/' })).fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } });
  });

  it('AUTO_PASSTHROUGH (a TLS server) and certificates from files: refused by name; explain says it does not route TLS passthrough', () => {
    const eastWest = (() => {
      const chart = newChart('istio-system');
      new IngressGateway(chart, 'cross-network', {
        workload: GatewayWorkload.managed(), servers: [GatewayServer.tls({ port: 15443, hosts: ['*.local'], mode: TlsMode.AUTO_PASSTHROUGH })],
      });
      return synth(chart);
    })();
    expect(conversionError(eastWest)).toMatch(/invalid servers\[0\]\.port\.protocol: received "TLS"\. Only HTTP and HTTPS servers are converted/);
    const e = explainRequest(eastWest, { host: 'api.shop.svc.cluster.local', port: 15443, scheme: 'https' });
    expect([e.decision, e.unknowns.join(' ')]).toEqual(['unknown', expect.stringMatching(/TLS passthrough or TCP\): explain evaluates HTTP routing only/)]);
    const files = edge(() => undefined, [GatewayServer.https({ port: 443, hosts: ['a.example.com'], certificate: Certificate.fromFiles({ serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' }) })]);
    expect(conversionError(files)).toMatch(/serverCertificate: received "\/etc\/certs\/tls.crt"\. The Gateway API form cannot say servers\[\]\.tls\.serverCertificate: file-mounted certificates have no listener form/);
  });
});
