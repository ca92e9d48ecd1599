// The picture of the edge: the SVG (Graphviz WebAssembly) and the Mermaid page name every gateway,
// server, route, service, version and weight of the example's output; the prod picture fits a
// laptop screen, and each route's rewrite target, rate limit and weights are drawn in its own row,
// with its arrows leaving from there.
import { describe, expect, it } from 'vitest';
import { synthEdge } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { buildEdgeGraph, renderSvg, toDot, toMermaid, toMermaidMarkdown } from '../../lib/explain';
import { useLayoutWorker } from '../../lib/explain/graphviz';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { parseYaml } from '../../lib/model/read-manifests';

const decode = (s: string) => s.replace(/&#45;/g, '-').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The texts of an SVG's <text> elements, entities decoded. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]));
}

interface Box { x0: number; x1: number; y0: number; y1: number }

/** The table cells of the SVG (Graphviz writes a cell with an ID as `<g id="a_ID">`): id, rectangle, texts. */
function svgCells(svg: string): { id: string; box: Box; texts: string[] }[] {
  return [...svg.matchAll(/<g id="a_([^"]+)"><a [^>]*>([\s\S]*?)<\/a>/g)].map(([, id, body]) => {
    const points = /<polygon [^>]*points="([^"]+)"/.exec(body)![1].trim().split(/\s+/).map((p) => p.split(',').map(Number));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return { id, box: { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) }, texts: [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1])) };
  });
}

/** The arrows of the SVG: where each path starts and where its arrowhead points. */
function svgArrows(svg: string): { start: [number, number]; head: [number, number][] }[] {
  return [...svg.matchAll(/<g id="link_\d+" class="edge">([\s\S]*?)<\/g>/g)].map(([, body]) => {
    const d = /<path [^>]*d="M([-\d.]+),([-\d.]+)/.exec(body)!;
    const head = /<polygon [^>]*points="([^"]+)"/.exec(body);
    return { start: [Number(d[1]), Number(d[2])], head: head ? head[1].trim().split(/\s+/).map((p) => p.split(',').map(Number) as [number, number]) : [] };
  });
}

const px = (length: string) => (length.endsWith('pt') ? (Number(length.slice(0, -2)) * 4) / 3 : Number(length.replace(/px$/, '')));

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
  const weights = [...new Set(destinations.map((d: any) => `${d.weight}% → ${d.subset}`))];
  return { gateways, hosts, routes, services, versions, weights, destinations };
}

/**
 * Each route of the example with what its row must say, read from the objects: its rewrite target
 * (the regex and its replacement), the global limit of the rate-limit service's configuration that
 * its EnvoyFilter route patch sends (value, unit, descriptor), and its weights.
 */
function expectedRoutes(objects: KubernetesObject[]): { title: string; rewrite?: string; limit?: string; weights: { label: string; host: string; subset: string }[] }[] {
  const spec = (o: KubernetesObject) => o.spec as any;
  const filter = objects.find((o) => o.kind === 'EnvoyFilter' && spec(o).configPatches.some((p: any) => p.applyTo === 'HTTP_ROUTE'))!;
  const limitedRoutes = spec(filter).configPatches.filter((p: any) => p.applyTo === 'HTTP_ROUTE').map((p: any) => p.match.routeConfiguration.vhost.route.name);
  const config = parseYaml((objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'ratelimit-config') as any).data['config.yaml']) as any;
  const top = config.descriptors[0];
  const limit = `rate limit ${top.descriptors[0].rate_limit.requests_per_unit}/${top.descriptors[0].rate_limit.unit} per ${top.key}=${top.value}, ${top.descriptors[0].key}`;
  return objects.filter((o) => o.kind === 'VirtualService').flatMap((vs) => spec(vs).http.map((h: any, i: number) => ({
    title: `${i + 1}. route ${h.name}`,
    rewrite: h.rewrite?.uriRegexRewrite ? `rewrite ${h.rewrite.uriRegexRewrite.match} → ${h.rewrite.uriRegexRewrite.rewrite}` : undefined,
    limit: limitedRoutes.includes(h.name) ? limit : undefined,
    weights: h.route.map((r: any) => ({ label: `${r.weight ?? 100}% → ${r.destination.subset}`, host: r.destination.host, subset: r.destination.subset })),
  })));
}

describe.each(['dev', 'prod'] as const)('the %s edge picture', (name) => {
  const objects = synthEdge(environments[name]).objects;
  const graph = buildEdgeGraph(objects, { title: `Edge: ${name}` });
  const x = expectedNames(objects);
  const svg = renderSvg(graph);

  it('the SVG names every gateway, host, route, service, version and weight', async () => {
    const text = await svg;
    expect(text).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
    const texts = svgTexts(text);
    const all = texts.join('\n');
    for (const g of x.gateways) expect(texts).toContain(g);
    for (const h of x.hosts) expect(texts).toContain(h);
    for (const r of x.routes) expect(all).toContain(r);
    for (const s of x.services) expect(all).toContain(s);
    for (const v of x.versions) expect(texts).toContain(v);
    for (const w of x.weights) expect(texts).toContain(w);
    // The canary split is drawn as two arrows from the "api" route: weights 90 and 10 (dev's fixed
    // canary), or 100 and 0 to the rollout's stable and canary subsets as written (prod).
    expect(x.weights).toEqual(expect.arrayContaining(environments[name].progressiveApi
      ? ['100% → stable', '0% → canary', '100% → canary'] : ['90% → v1', '10% → v2', '100% → v2']));
    expect(texts).toEqual(expect.arrayContaining([`Public IP pip-shop-${name}-ingress`, `in rg-shop-${name}`]));
    expect(all).toContain('301 → https://');
    for (const mark of ['DENY istio-ingressgateway-block-admin', 'JWT istio-ingressgateway-orders-jwt', 'RATE LIMIT istio-ingressgateway-local-ratelimit', 'ALLOW api-allow-callers', 'ALLOW storefront-allow-callers']) {
      expect(all).toContain(mark);
    }
    // The global rate limit at the gateway names its service and domain; its values are on the routes.
    const limit = graph.nodes.find((n) => n.lines[0] === 'RATE LIMIT istio-ingressgateway-ratelimit');
    expect(limit?.lines.join(' ')).toBe('RATE LIMIT istio-ingressgateway-ratelimit global: rate-limit service ratelimit.ratelimit:8081, domain shop-edge; the limits are on the routes');
    expect(graph.nodes.find((n) => n.lines[0] === '4. route api')?.lines).toContain(`rate limit ${name === 'prod' ? 300 : 600}/minute per route=api, remote_address`);
    // One <g class="node"> per box and per node outside boxes, one <g class="edge"> per link between boxes.
    const boxed = new Map(graph.nodes.map((n) => [n.id, n.cluster]));
    expect(text.match(/class="node"/g)).toHaveLength(graph.clusters.length + graph.nodes.filter((n) => !n.cluster).length);
    expect(text.match(/class="edge"/g)).toHaveLength(graph.links.filter((l) => !boxed.get(l.from) || boxed.get(l.from) !== boxed.get(l.to)).length);
  });

  it('is the same SVG laid out in the worker thread (renderSvg\'s way) as in this thread', async () => {
    const inWorker = await svg;
    useLayoutWorker(false);
    try {
      expect(await renderSvg(graph)).toBe(inWorker);
    } finally {
      useLayoutWorker(true);
    }
  });

  it('fits a laptop screen: at most 1,600 px wide', async () => {
    const text = await svg;
    const [, width, height] = /<svg width="([^"]+)" height="([^"]+)"/.exec(text)!;
    const viewBox = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(text)!;
    expect(px(width)).toBeLessThanOrEqual(1600);
    expect(px(`${viewBox[3]}pt`)).toBeLessThanOrEqual(1600);
    // Today about 1,470 x 760 px: the whole edge in a 1,600 x 1,000 window.
    expect(px(height)).toBeLessThanOrEqual(1000);
  });

  it('each route\'s rewrite target, rate limit and weights are in its own row, its arrows leave from there', async () => {
    const text = await svg;
    const cells = svgCells(text);
    const arrows = svgArrows(text);
    const inside = (y: number, b: Box) => y >= b.y0 - 0.5 && y <= b.y1 + 0.5;
    const routes = expectedRoutes(objects);
    expect(routes.filter((r) => r.limit).map((r) => r.title)).toEqual(['3. route api-canary-override', '4. route api']);
    expect(routes.filter((r) => r.rewrite)).toHaveLength(4);
    for (const r of routes) {
      const row = cells.find((c) => c.texts[0] === r.title);
      expect(row, r.title).toBeDefined();
      if (r.rewrite) expect(row!.texts, r.title).toContain(r.rewrite);
      if (r.limit) expect(row!.texts, r.title).toContain(r.limit);
      else expect(row!.texts.some((t) => t.startsWith('rate limit')), r.title).toBe(false);
      // Each weight is a cell of the row's right end, within the row's height; its arrow starts at
      // that cell and points at the version's row.
      const weightCells = cells.filter((c) => c.id.startsWith(`${row!.id}__`));
      expect(weightCells.map((c) => c.texts.join(' ')), r.title).toEqual(r.weights.map((w) => w.label));
      r.weights.forEach((w, i) => {
        const cell = weightCells[i];
        expect(cell.box.x0).toBeGreaterThanOrEqual(row!.box.x1);
        expect([inside(cell.box.y0, row!.box), inside(cell.box.y1, row!.box)], w.label).toEqual([true, true]);
        const arrow = arrows.find((a) => Math.abs(a.start[0] - cell.box.x1) < 4 && inside(a.start[1], cell.box));
        expect(arrow, `${r.title}: the arrow of ${w.label}`).toBeDefined();
        const target = cells.find((c) => c.texts[0] === `version ${w.subset}` && c.id.startsWith(`svc_${w.host}_`));
        const tip = arrow!.head.reduce((a, b) => (a[0] > b[0] ? a : b));
        expect(Math.abs(tip[0] - target!.box.x0) < 6 && inside(tip[1], target!.box), `${r.title}: ${w.label} points at its version`).toBe(true);
      });
    }
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

const docs = (text: string) => text.split('\n---\n').map((t) => parseYaml(t) as KubernetesObject);

describe('hand-written manifests', () => {
  it('a mesh VirtualService: routes in order, an unknown destination is marked, callers are any sidecar', () => {
    const graph = buildEdgeGraph([
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' },
        spec: { hosts: ['reviews'], http: [{ name: 'v2-for-jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] }, { route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] } },
    ]);
    const dot = toDot(graph);
    expect(dot).toContain('caller_mesh -> vs_bookinfo_reviews:vs_bookinfo_reviews_hosts:w');
    expect(dot).toContain('Any sidecar in the mesh');
    // Routes in order: the hosts lead to the first, each leads to the next when it does not match
    // (in the model and the Mermaid page; the DOT table lists the routes in that order).
    expect(graph.links).toContainEqual({ from: 'vs_bookinfo_reviews_hosts', to: 'vs_bookinfo_reviews_route_0' });
    expect(graph.links).toContainEqual({ from: 'vs_bookinfo_reviews_route_0', to: 'vs_bookinfo_reviews_route_1', label: 'no match', fallthrough: true });
    expect(toMermaid(graph)).toContain('vs_bookinfo_reviews_route_0 -.->|"no match"| vs_bookinfo_reviews_route_1');
    expect(dot).toContain('Service reviews.bookinfo (not in these manifests)');
    expect(dot).toContain('header end-user = jason');
    expect(dot).toContain('(subset not defined)');
  });

  it('mesh callers by name: the route\'s sourceLabels (the Service they select), else the principals the destination admits', () => {
    const base = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: bookinfo }
spec: { selector: { app: reviews }, ports: [{ port: 9080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: productpage, namespace: bookinfo }
spec: { selector: { app: productpage }, ports: [{ port: 9080 }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reviews-callers, namespace: bookinfo }
spec:
  selector: { matchLabels: { app: reviews } }
  action: ALLOW
  rules: [{ from: [{ source: { principals: [cluster.local/ns/bookinfo/sa/bookinfo-productpage] } }] }]`;
    const bySource = buildEdgeGraph(docs(`${base}\n---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
    - match: [{ sourceLabels: { app: productpage } }]
      route: [{ destination: { host: reviews } }]`));
    const callers = (g: ReturnType<typeof buildEdgeGraph>) => g.nodes.filter((n) => n.kind === 'mesh').map((n) => n.lines.join(' '));
    expect(callers(bySource)).toEqual(['Caller bookinfo/productpage (sidecar)']);
    expect(bySource.links).toContainEqual({ from: bySource.nodes.find((n) => n.kind === 'mesh')!.id, to: 'vs_bookinfo_reviews_hosts' });
    const byPolicy = buildEdgeGraph(docs(`${base}\n---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews } }] }]`));
    expect(callers(byPolicy)).toEqual(['Caller bookinfo/bookinfo-productpage (service account)']);
    expect(toDot(byPolicy)).not.toContain('Sidecars (mesh)');
  });

  it('an external host is drawn as its ServiceEntry, not as a Service missing from the manifests', () => {
    const graph = buildEdgeGraph(docs(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments-api, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }, { number: 80, name: http, protocol: HTTP }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  http: [{ name: pay, timeout: 3s, retries: { attempts: 2, perTryTimeout: 1s }, rewrite: { uri: /v2/ }, route: [{ destination: { host: api.payments.example.com, port: { number: 80 } } }] }]`));
    const dot = toDot(graph);
    expect(graph.clusters.map((c) => c.label)).toContain('ServiceEntry shop/payments-api');
    expect(dot).not.toContain('not in these manifests');
    expect(graph.nodes.find((n) => n.kind === 'external')?.lines).toEqual(['api.payments.example.com', 'MESH_EXTERNAL, resolution DNS, ports 443/HTTPS, 80/HTTP']);
    // The route's values: the rewrite target, the timeout and the retries; the weight names the port of a two-port host.
    expect(graph.nodes.find((n) => n.kind === 'route')?.lines).toEqual(['1. route pay', 'every request', 'rewrite uri → /v2/', 'timeout 3s, retries 2 × 1s']);
    expect(graph.links.find((l) => l.from === 'vs_shop_payments_route_0' && !l.fallthrough)?.label).toBe('100% → api.payments.example.com :80');
    // Mesh only: no client from the internet.
    expect(graph.nodes.some((n) => n.kind === 'client')).toBe(false);
  });
});
