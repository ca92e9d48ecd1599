// explain applies the caller's Sidecar to a mesh request: the Sidecar istiod picks for the caller
// (workload-selected, else its namespace's, else the root namespace's), whether its egress hosts
// import the destination (namespace/dnsName, per port), REGISTRY_ONLY's 502 for the rest, and the
// VirtualServices it does not import left out.
import { describe, expect, it } from 'vitest';
import { ExplainRequest, LoadedEdge } from '../../lib/explain';
import { parseYaml } from '../../lib/model/read-manifests';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

const docs = (...texts: string[]) => texts.map((t) => parseYaml(t) as KubernetesObject);

const ENTRY = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: cnn, namespace: egress }
spec: { hosts: [edition.cnn.com], resolution: DNS, ports: [{ number: 80, name: http, protocol: HTTP }] }`;
const REVIEWS = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }`;
const VS_ELSEWHERE = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-override, namespace: ops }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http: [{ name: to-v2, route: [{ destination: { host: reviews.shop.svc.cluster.local, subset: v2 } }] }]`;
const sidecar = (ns: string, spec: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: ${ns} }
spec: ${spec}`;

const explain = (objects: KubernetesObject[], r: Partial<ExplainRequest>) => LoadedEdge.load(objects).explain({ host: 'edition.cnn.com', source: { namespace: 'shop' }, ...r });

describe('explain: the caller\'s Sidecar', () => {
  it('REGISTRY_ONLY and a host its egress hosts do not import: 502 from the BlackHole cluster; imported: routed', () => {
    const scoped = sidecar('shop', '{ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }');
    const e = explain(docs(ENTRY, scoped), {});
    expect([e.decision, e.status]).toEqual(['no-route', 502]);
    expect(e.steps.join('\n')).toMatch(/Sidecar shop\/default applies to the caller and its egress hosts \(\.\/\*\) do not import edition\.cnn\.com \(ServiceEntry in egress\)/);
    // Near miss: the egress namespace imported.
    const imported = explain(docs(ENTRY, sidecar('shop', '{ egress: [{ hosts: ["./*", "egress/*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }')), {});
    expect([imported.decision, imported.destinations.map((d) => d.host)]).toEqual(['routed', ['edition.cnn.com']]);
    // By DNS name too, and per port: a listener on another port does not import it.
    expect(explain(docs(ENTRY, sidecar('shop', '{ egress: [{ hosts: ["*/edition.cnn.com"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }')), {}).decision).toBe('routed');
    expect(explain(docs(ENTRY, sidecar('shop', '{ egress: [{ port: { number: 443, protocol: TLS }, hosts: ["*/*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }')), {}).status).toBe(502);
  });

  it('not imported without REGISTRY_ONLY: a passthrough explain does not follow, said as an unknown (and an egress proxy named)', () => {
    const e = explain(docs(ENTRY, sidecar('shop', '{ egress: [{ hosts: ["./*"] }] }')), {});
    expect(e.decision).toBe('unknown');
    expect(e.unknowns.join('\n')).toMatch(/not imported by Sidecar shop\/default: under the mesh's outbound traffic policy/);
    const proxy = explain(docs(ENTRY, sidecar('shop', '{ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: ALLOW_ANY, egressProxy: { host: proxy.ops.svc.cluster.local, port: { number: 3128 } } } }')), {});
    expect(proxy.unknowns.join('\n')).toMatch(/outboundTrafficPolicy\.egressProxy\.host is not evaluated by explain/);
  });

  it('which Sidecar: a workload-selected one before the namespace\'s, the root namespace\'s when the namespace has none', () => {
    const open = sidecar('shop', '{ egress: [{ hosts: ["*/*"] }] }');
    const selected = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: locked, namespace: shop }
spec: { workloadSelector: { labels: { app: locked } }, egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }`;
    expect(explain(docs(ENTRY, open, selected), { source: { namespace: 'shop', labels: { app: 'locked' } } }).status).toBe(502);
    expect(explain(docs(ENTRY, open, selected), { source: { namespace: 'shop', labels: { app: 'other' } } }).decision).toBe('routed');
    const root = sidecar('istio-system', '{ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }');
    expect(explain(docs(ENTRY, root), {}).status).toBe(502);
    expect(explain(docs(ENTRY, root, open), {}).decision).toBe('routed');
  });

  it('a VirtualService in a namespace the Sidecar does not import does not route the caller\'s calls', () => {
    const withVs = (sc: string) => explain(docs(REVIEWS, VS_ELSEWHERE, sc), { host: 'reviews' });
    const onlyOwn = withVs(sidecar('shop', '{ egress: [{ hosts: ["./*"] }] }'));
    expect([onlyOwn.decision, onlyOwn.destinations.map((d) => d.subset)]).toEqual(['routed', [undefined]]);
    const withOps = withVs(sidecar('shop', '{ egress: [{ hosts: ["./*", "ops/*"] }] }'));
    expect(withOps.destinations.map((d) => d.subset)).toEqual(['v2']);
  });
});
