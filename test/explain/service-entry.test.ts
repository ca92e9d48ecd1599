// A ServiceEntry host is known to explain on its own (a mesh request to an external API), and the
// port's declared protocol picks HTTP or TLS handling: an http route must not answer a TLS request
// on the ServiceEntry's HTTPS port; a tls route whose sniHosts match does.
import { describe, expect, it } from 'vitest';
import { ExplainRequest, LoadedEdge } from '../../lib/explain';
import { parseYaml } from '../../lib/model/read-manifests';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

const docs = (text: string) => text.split('\n---\n').map((t) => parseYaml(t) as KubernetesObject);

const ENTRY = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments-api, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
    - { number: 443, name: https, protocol: HTTPS }
    - { number: 80, name: http, protocol: HTTP }`;

const EGRESS = `
apiVersion: v1
kind: Service
metadata: { name: egress, namespace: shop }
spec: { selector: { app: egress }, ports: [{ name: http, port: 8080 }, { name: tls, port: 8443 }] }`;

const FROM_SHOP = { namespace: 'shop' } as const;
const explain = (objects: KubernetesObject[], r: Partial<ExplainRequest>) => LoadedEdge.load(objects).explain({ host: 'api.payments.example.com', source: FROM_SHOP, ...r });

describe('explain: ServiceEntry hosts and the port protocol', () => {
  it('a mesh request to a ServiceEntry host with no VirtualService goes to that host', () => {
    const e = explain(docs(ENTRY), { scheme: 'https', port: 443 });
    expect(e.unknowns).toEqual([]);
    expect([e.decision, e.destinations.map((d) => [d.host, d.port, d.serviceFound])]).toEqual(['routed', [['api.payments.example.com', 443, true]]]);
    expect(e.steps.join('\n')).toMatch(/Port 443 of api\.payments\.example\.com is declared HTTPS: TLS, routed by SNI/);
    const plain = explain(docs(ENTRY), { port: 80 });
    expect([plain.decision, plain.destinations[0]?.port, plain.timeout]).toEqual(['routed', 80, 'none']);
  });

  it('an http route does not answer a TLS request on the HTTPS port; it answers on the HTTP port', () => {
    const objects = docs(`${ENTRY}\n---\n${EGRESS}\n---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  http:
    - name: via-egress
      route: [{ destination: { host: egress, port: { number: 8080 } } }]`);
    const tls = explain(objects, { scheme: 'https', port: 443 });
    expect([tls.decision, tls.route, tls.destinations.map((d) => `${d.host}:${d.port}`)]).toEqual(['routed', undefined, ['api.payments.example.com:443']]);
    const http = explain(objects, { port: 80 });
    expect([http.decision, http.route?.name, http.destinations.map((d) => `${d.host}:${d.port}`)]).toEqual(['routed', 'via-egress', ['egress.shop.svc.cluster.local:8080']]);
  });

  it('a tls route whose sniHosts match takes the TLS request', () => {
    const objects = docs(`${ENTRY}\n---\n${EGRESS}\n---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  http:
    - name: via-egress
      route: [{ destination: { host: egress, port: { number: 8080 } } }]
  tls:
    - match: [{ port: 443, sniHosts: [other.example.com] }]
      route: [{ destination: { host: other, port: { number: 443 } } }]
    - match: [{ port: 443, sniHosts: [api.payments.example.com] }]
      route: [{ destination: { host: egress, port: { number: 8443 } } }]`);
    const e = explain(objects, { scheme: 'https', port: 443 });
    expect([e.decision, e.route, e.destinations.map((d) => `${d.host}:${d.port}`)]).toEqual(['routed', { virtualService: 'shop/payments', id: 'shop/payments#tls[1]', index: 1, match: 0, protocol: 'tls' }, ['egress.shop.svc.cluster.local:8443']]);
    const plain = explain(objects, { scheme: 'http', port: 443 });
    expect(plain.decision).toBe('no-route');
  });

  it('a host neither Service nor ServiceEntry declares stays unknown', () => {
    const e = explain([], { host: 'nowhere.example.com', scheme: 'https', port: 443 });
    expect(e.decision).toBe('unknown');
  });
});
