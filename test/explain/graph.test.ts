// The picture of the edge: the SVG (Graphviz WebAssembly) and the Mermaid page name every gateway,
// server, route, service, version and weight of the example's output.
import { describe, expect, it } from 'vitest';
import { synthEdge } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { buildEdgeGraph, renderSvg, toDot, toMermaid, toMermaidMarkdown } from '../../lib/explain';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

/** The texts of an SVG's <text> elements, entities decoded. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#45;/g, '-').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

/** What the picture must name, read from the objects (not from the graph). */
function expectedNames(objects: KubernetesObject[]) {
  const spec = (o: KubernetesObject) => o.spec as any;
  const gateways = objects.filter((o) => o.kind === 'Gateway').map((o) => `Gateway ${o.metadata?.namespace}/${o.metadata?.name}`);
  const hosts = objects.filter((o) => o.kind === 'Gateway').flatMap((o) => spec(o).servers.flatMap((s: any) => s.hosts));
  const vses = objects.filter((o) => o.kind === 'VirtualService');
  const routes = vses.flatMap((o) => spec(o).http.map((h: any) => `route ${h.name}`));
  const destinations = vses.flatMap((o) => spec(o).http.flatMap((h: any) => h.route.map((r: any) => ({ ...r.destination, weight: r.weight ?? 100 }))));
  const services = [...new Set(destinations.map((d: any) => `Service ${d.host}.${'shop'}`))];
  const versions = [...new Set(destinations.map((d: any) => `version ${d.subset}`))];
  const weights = [...new Set(destinations.map((d: any) => `weight ${d.weight} :${d.port.number}`))];
  return { gateways, hosts, routes, services, versions, weights, destinations };
}

describe.each(['dev', 'prod'] as const)('the %s edge picture', (name) => {
  const objects = synthEdge(environments[name]).objects;
  const graph = buildEdgeGraph(objects, { title: `Edge: ${name}` });
  const x = expectedNames(objects);

  it('the SVG names every gateway, host, route, service, version and weight', async () => {
    const svg = await renderSvg(graph);
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
    const texts = svgTexts(svg);
    const all = texts.join('\n');
    for (const g of x.gateways) expect(texts).toContain(g);
    for (const h of x.hosts) expect(texts).toContain(h);
    for (const r of x.routes) expect(all).toContain(r);
    for (const s of x.services) expect(all).toContain(s);
    for (const v of x.versions) expect(texts).toContain(v);
    for (const w of x.weights) expect(texts).toContain(w);
    // The canary split is drawn as two arrows from the "api" route, weights 90 and 10.
    expect(x.weights).toEqual(expect.arrayContaining(['weight 90 :8080', 'weight 10 :8080', 'weight 100 :8080']));
    expect(all).toContain(`Public IP pip-shop-${name}-ingress (rg-shop-${name})`);
    expect(all).toContain('301 → https://');
    for (const mark of ['DENY istio-ingressgateway-block-admin', 'JWT istio-ingressgateway-orders-jwt', 'RATE LIMIT istio-ingressgateway-local-ratelimit', 'ALLOW api-allow-callers', 'ALLOW storefront-allow-callers']) {
      expect(all).toContain(mark);
    }
    // The global rate limit shows its domain and the service's limits, not a bare "global".
    const limit = graph.nodes.find((n) => n.lines.join(' ').startsWith('RATE LIMIT istio-ingressgateway-ratelimit'));
    expect(limit?.lines.join(' ')).toBe(`RATE LIMIT istio-ingressgateway-ratelimit: global, domain shop-edge: route=api, remote_address ${name === 'prod' ? 300 : 600}/minute`);
    // One <g class="node"> per node, one <g class="edge"> per link.
    expect(svg.match(/class="node"/g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/class="edge"/g)).toHaveLength(graph.links.length);
  });

  it('the Mermaid page draws the same graph', () => {
    const md = toMermaidMarkdown(graph);
    expect(md).toContain('```mermaid\nflowchart LR\n');
    for (const n of graph.nodes) expect(md).toContain(`${n.id}`);
    for (const name of [...x.gateways, ...x.routes, ...x.services, ...x.versions, ...x.weights]) expect(md).toContain(name);
    expect(toMermaid(graph).split('\n').filter((l) => / (-->|-\.-)/.test(l))).toHaveLength(graph.links.length);
  });

  it('node ids are unique and every link joins two nodes', () => {
    const ids = graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of graph.links) expect([ids.includes(l.from), ids.includes(l.to)]).toEqual([true, true]);
    expect(toDot(graph)).toMatch(/^digraph "Edge: (dev|prod)" \{/);
  });
});

describe('hand-written manifests', () => {
  it('a mesh VirtualService hangs off the sidecars; an unknown destination is marked', () => {
    const graph = buildEdgeGraph([
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' },
        spec: { hosts: ['reviews'], http: [{ name: 'v2-for-jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] }, { route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] } },
    ]);
    const dot = toDot(graph);
    expect(dot).toContain('mesh -> vs_bookinfo_reviews_hosts');
    // Routes in order: the hosts lead to the first, each leads to the next when it does not match.
    expect(dot).toContain('vs_bookinfo_reviews_hosts -> vs_bookinfo_reviews_route_0;');
    expect(dot).toContain('vs_bookinfo_reviews_route_0 -> vs_bookinfo_reviews_route_1 [label="no match", style=dotted];');
    expect(toMermaid(graph)).toContain('vs_bookinfo_reviews_route_0 -.->|"no match"| vs_bookinfo_reviews_route_1');
    expect(dot).toContain('Service reviews.bookinfo (not in these manifests)');
    expect(dot).toContain('header end-user = jason');
    expect(dot).toContain('(subset not defined)');
  });
});
