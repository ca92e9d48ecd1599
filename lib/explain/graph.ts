/**
 * The picture of an edge, from its manifests: client → public IP and load balancer → gateway
 * servers and hosts → VirtualServices and their routes in order (with matches; a dotted "no match"
 * arrow leads to the next route) → services and versions
 * (with weights), and the policies (authorization, JWT, rate limits, traffic policy) as marks.
 * One graph model, rendered as Graphviz DOT (laid out to SVG by Graphviz compiled to WebAssembly,
 * @viz-js/viz) and as a Mermaid flowchart for Markdown code review.
 */
import { text } from '../private/text';
import { writeFileSync } from 'node:fs';
import { makeDirectories } from '../private/fs';
import * as path from 'node:path';
import { KubernetesObject } from '../model/kubernetes-object';
import { ObjectIndex } from '../model/object-index';
import { policyApplies, Workload } from './authz';
import { DEFAULT_ROOT_NAMESPACES, describeMatch } from './explain';
import { rateLimitConfigs, serviceLimits } from './rate-limits';
import { arr, labels, num, rec, str, strings } from '../model/json';
import { resolveHost } from '../contract/hosts';
import { AZURE_LB_RESOURCE_GROUP_ANNOTATION, AZURE_PIP_NAME_ANNOTATION } from '../contract/keys';

/** What a node stands for (its colour). */
export type EdgeNodeKind = 'client' | 'loadbalancer' | 'server' | 'redirect' | 'virtualservice' | 'route' | 'service' | 'version' | 'policy' | 'mesh';

/** A node: an id (stable, DOT- and Mermaid-safe) and its label lines. */
export interface EdgeNode {
  readonly id: string;
  readonly kind: EdgeNodeKind;
  readonly lines: readonly string[];
  /** The id of the cluster that holds it. */
  readonly cluster?: string;
}

/** A box around nodes (a Gateway, a VirtualService, a Service). */
export interface EdgeCluster {
  readonly id: string;
  readonly label: string;
}

/** An arrow; `dashed` (no arrowhead) for policy marks, `fallthrough` (dotted) from a route to the next one. */
export interface EdgeLink {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashed?: boolean;
  readonly fallthrough?: boolean;
}

/** The graph of an edge. */
export interface EdgeGraph {
  readonly title: string;
  readonly nodes: readonly EdgeNode[];
  readonly clusters: readonly EdgeCluster[];
  readonly links: readonly EdgeLink[];
}

const ref = (o: KubernetesObject) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? '<unnamed>'}`;
const nsOf = (o: KubernetesObject) => o.metadata?.namespace ?? 'default';
const idOf = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');

/** Options of {@link buildEdgeGraph}. */
export interface EdgeGraphOptions {
  /**
   * The graph's title.
   * @default "Edge"
   */
  readonly title?: string;
  /**
   * Namespaces whose policies apply to every workload.
   * @default DEFAULT_ROOT_NAMESPACES
   */
  readonly rootNamespaces?: readonly string[];
}

/** Builds the graph of the edge the manifests describe. */
export function buildEdgeGraph(objects: readonly KubernetesObject[], options: EdgeGraphOptions = {}): EdgeGraph {
  const index = new ObjectIndex(objects);
  const roots = options.rootNamespaces ?? DEFAULT_ROOT_NAMESPACES;
  const configs = rateLimitConfigs(index.ofKind('ConfigMap'));
  const nodes: EdgeNode[] = [];
  const clusters: EdgeCluster[] = [];
  const links: EdgeLink[] = [];
  const add = (n: EdgeNode) => {
    if (!nodes.some((x) => x.id === n.id)) nodes.push(n);
    return n.id;
  };
  const policyMarks = (workload: Workload, attachTo: string, cluster: string | undefined) => {
    for (const o of objects) {
      let line: string | undefined;
      if (o.kind === 'AuthorizationPolicy' && policyApplies(o, workload, roots) !== false) {
        const spec = rec(o.spec);
        line = `${str(spec.action) ?? 'ALLOW'} ${o.metadata?.name}: ${summarizeRules(spec)}`;
      } else if (o.kind === 'RequestAuthentication' && policyApplies(o, workload, roots) !== false) {
        line = `JWT ${o.metadata?.name}: ${arr(rec(o.spec).jwtRules).map((r) => str(rec(r).issuer)).join(', ')}`;
      } else if (o.kind === 'EnvoyFilter' && policyApplies(o, workload, roots, 'workloadSelector') !== false) {
        const text = JSON.stringify(o.spec);
        if (/local_ratelimit/.test(text)) {
          const tb = findTokenBucket(o.spec);
          line = `RATE LIMIT ${o.metadata?.name}: ${tb ? `${String(tb.max_tokens)} req / ${String(tb.fill_interval)} per pod` : 'local'}`;
        } else if (/envoy\.filters\.http\.ratelimit/.test(text)) {
          // The service's limits for the filter's domain, "route=api, remote_address 300/minute".
          const domain = arr(rec(o.spec).configPatches).map((p) => str(rec(rec(rec(rec(p).patch).value).typed_config).domain)).find((d) => d !== undefined);
          const limits = domain !== undefined ? serviceLimits(configs.get(domain) ?? []) : [];
          line = `RATE LIMIT ${o.metadata?.name}: global${domain ? `, domain ${domain}` : ''}${limits.length ? `: ${limits.join('; ')}` : ' (rate-limit service)'}`;
        }
        else line = `ENVOYFILTER ${o.metadata?.name}`;
      }
      if (line) {
        const id = add({ id: idOf('policy', o.kind, nsOf(o), o.metadata?.name ?? ''), kind: 'policy', lines: wrap(line), cluster });
        links.push({ from: attachTo, to: id, dashed: true });
      }
    }
  };

  add({ id: 'client', kind: 'client', lines: ['Client (internet)'] });
  // Gateways, their workloads, and the load balancers in front of them.
  const gateways = index.ofKind('Gateway').filter((g) => str(g.apiVersion)?.startsWith('networking.istio.io/'));
  const serverIds = new Map<string, string[]>(); // gateway ref → HTTP(S) server node ids that route
  for (const gw of gateways) {
    const gid = idOf('gw', nsOf(gw), gw.metadata?.name ?? '');
    clusters.push({ id: gid, label: `Gateway ${ref(gw)}` });
    const selector = labels(rec(gw.spec).selector);
    const pods = Object.keys(selector).length ? index.podsMatching(selector) : [];
    const workload: Workload = pods.length ? { namespace: pods[0].namespace, labels: pods[0].labels } : { namespace: nsOf(gw), labels: selector };
    const lbs = index.ofKind('Service').filter((s) => str(rec(s.spec).type) === 'LoadBalancer' && nsOf(s) === workload.namespace
      && Object.entries(labels(rec(s.spec).selector)).every(([k, v]) => workload.labels[k] === v) && Object.keys(labels(rec(s.spec).selector)).length > 0);
    const entry: string[] = [];
    for (const lb of lbs) {
      const a = labels(lb.metadata?.annotations);
      const pip = a[AZURE_PIP_NAME_ANNOTATION];
      const rg = a[AZURE_LB_RESOURCE_GROUP_ANNOTATION];
      const ports = arr(rec(lb.spec).ports).map((p) => num(rec(p).port)).filter((p) => p !== undefined && p !== 15021);
      const id = add({ id: idOf('lb', nsOf(lb), lb.metadata?.name ?? ''), kind: 'loadbalancer', lines: [`Public IP ${pip ?? '(assigned by Azure)'}${rg ? ` (${rg})` : ''}`, `LoadBalancer ${ref(lb)}`, `ports ${ports.join(', ')}`] });
      links.push({ from: 'client', to: id });
      entry.push(id);
    }
    const gwPolicyAnchor = idOf(gid, 'workload');
    add({ id: gwPolicyAnchor, kind: 'server', lines: [`workload ${JSON.stringify(selector).replace(/"/g, '')}`, `in ${workload.namespace}`], cluster: gid });
    for (const e of entry.length ? entry : ['client']) links.push({ from: e, to: gwPolicyAnchor });
    const routing: string[] = [];
    arr(rec(gw.spec).servers).map(rec).forEach((server, i) => {
      const port = rec(server.port);
      const tls = rec(server.tls);
      const sid = add({ id: idOf(gid, 'server', String(i)), kind: 'server', cluster: gid, lines: [`${str(port.name) ?? `server ${i}`}: ${String(port.number)}/${str(port.protocol)}`, ...strings(server.hosts), ...(str(tls.credentialName) ? [`TLS ${str(tls.mode) ?? 'SIMPLE'} (${str(tls.credentialName)})`] : [])] });
      links.push({ from: gwPolicyAnchor, to: sid });
      if (tls.httpsRedirect === true) {
        const rid = add({ id: idOf(gid, 'redirect', String(i)), kind: 'redirect', cluster: gid, lines: ['301 → https://'] });
        links.push({ from: sid, to: rid });
      } else routing.push(sid);
    });
    serverIds.set(ref(gw), routing);
    policyMarks(workload, gwPolicyAnchor, gid);
  }

  // VirtualServices and their routes.
  const services = new Map<string, { cluster: string; versions: Map<string, string>; node: string }>();
  const serviceCluster = (host: string): { cluster: string; versions: Map<string, string>; node: string } => {
    let s = services.get(host);
    if (s) return s;
    const svc = index.services.get(host);
    const cid = idOf('svc', host);
    const name = host.split('.').slice(0, 2).join('.');
    const dr = (index.destinationRules.get(host) ?? [])[0];
    const tp = rec(rec(dr?.spec).trafficPolicy);
    const ports = svc ? arr(rec(svc.spec).ports).map((p) => num(rec(p).port)).filter((p) => p !== undefined) : [];
    clusters.push({ id: cid, label: `Service ${name}${ports.length ? ` :${ports.join(', ')}` : ''}${svc ? '' : ' (not in these manifests)'}` });
    const policy = [str(rec(tp.loadBalancer).simple), tp.outlierDetection ? `outlier ${text(rec(tp.outlierDetection).consecutive5xxErrors)}×5xx` : undefined, str(rec(tp.tls).mode)].filter(Boolean).join(', ');
    const node = add({ id: idOf(cid, 'service'), kind: 'service', cluster: cid, lines: [host, ...(dr ? [`DestinationRule ${ref(dr)}${policy ? `: ${policy}` : ''}`] : [])] });
    s = { cluster: cid, versions: new Map(), node };
    services.set(host, s);
    if (svc) {
      const sel = labels(rec(svc.spec).selector);
      const pods = Object.keys(sel).length ? index.podsMatching(sel, nsOf(svc)) : [];
      policyMarks(pods.length ? { namespace: nsOf(svc), labels: pods[0].labels } : { namespace: nsOf(svc), labels: sel }, node, cid);
    }
    return s;
  };
  const versionNode = (host: string, subset: string | undefined): string => {
    const s = serviceCluster(host);
    if (!subset) return s.node;
    let id = s.versions.get(subset);
    if (id) return id;
    const dr = (index.destinationRules.get(host) ?? [])[0];
    const def = arr(rec(dr?.spec).subsets).map(rec).find((x) => x.name === subset);
    const sl = labels(def?.labels);
    const svc = index.services.get(host);
    const pods = svc && Object.keys(sl).length ? index.podsMatching({ ...labels(rec(svc.spec).selector), ...sl }, nsOf(svc)) : [];
    const images = [...new Set(pods.flatMap((p) => arr(rec(p.spec).containers).map((c) => str(rec(c).image)).filter((i): i is string => !!i)))];
    id = add({ id: idOf(s.cluster, 'version', subset), kind: 'version', cluster: s.cluster, lines: [`version ${subset}`, ...Object.entries(sl).map(([k, v]) => `${k}=${v}`), ...images, ...(def ? [] : ['(subset not defined)'])] });
    s.versions.set(subset, id);
    links.push({ from: s.node, to: id, dashed: true });
    return id;
  };

  let meshId: string | undefined;
  for (const vs of index.ofKind('VirtualService')) {
    const spec = rec(vs.spec);
    const gws = strings(spec.gateways).map((g) => (g.includes('/') || g === 'mesh' ? g : `${nsOf(vs)}/${g}`));
    const vid = idOf('vs', nsOf(vs), vs.metadata?.name ?? '');
    clusters.push({ id: vid, label: `VirtualService ${ref(vs)}` });
    const head = add({ id: idOf(vid, 'hosts'), kind: 'virtualservice', cluster: vid, lines: ['hosts:', ...strings(spec.hosts)] });
    const entries = gws.length === 0 ? ['mesh'] : gws;
    for (const g of entries) {
      if (g === 'mesh') {
        meshId ??= add({ id: 'mesh', kind: 'mesh', lines: ['Sidecars (mesh)'] });
        links.push({ from: meshId, to: head });
      } else for (const sid of serverIds.get(g) ?? []) links.push({ from: sid, to: head });
    }
    arr(spec.http).map(rec).forEach((http, i) => {
      const matches = arr(http.match).map((m) => describeMatch(rec(m))).filter(Boolean);
      const extras = [
        http.rewrite !== undefined ? `rewrite ${[str(rec(http.rewrite).uri), str(rec(http.rewrite).authority)].filter(Boolean).join(' ')}` : undefined,
        str(http.timeout) ? `timeout ${str(http.timeout)}` : undefined,
        http.retries !== undefined ? `retries ${text(rec(http.retries).attempts)}` : undefined,
        http.fault !== undefined ? 'fault injection' : undefined,
        http.mirror !== undefined || http.mirrors !== undefined ? 'mirror' : undefined,
        http.corsPolicy !== undefined ? 'CORS' : undefined,
      ].filter(Boolean).join(' · ');
      const rid = add({ id: idOf(vid, 'route', String(i)), kind: 'route', cluster: vid, lines: [`${i + 1}. route ${str(http.name) ?? `#${i}`}`, ...(matches.length ? matches.map((m, j) => `${j ? 'or ' : ''}${m}`) : ['every request']), ...(extras ? [extras] : [])] });
      // Routes are tried in order: the first is entered from the hosts, each next one when the previous does not match.
      links.push(i === 0 ? { from: head, to: rid } : { from: idOf(vid, 'route', String(i - 1)), to: rid, label: 'no match', fallthrough: true });
      if (http.redirect !== undefined) {
        const r = rec(http.redirect);
        const to = add({ id: idOf(rid, 'redirect'), kind: 'redirect', cluster: vid, lines: [`${String(num(r.redirectCode) ?? 301)} → ${[str(r.scheme), str(r.authority), str(r.uri)].filter(Boolean).join(' ')}`] });
        links.push({ from: rid, to });
        return;
      }
      if (http.directResponse !== undefined) {
        const to = add({ id: idOf(rid, 'direct'), kind: 'redirect', cluster: vid, lines: [`answers ${String(rec(http.directResponse).status)}`] });
        links.push({ from: rid, to });
        return;
      }
      const dests = arr(http.route).map(rec);
      for (const d of dests) {
        const dest = rec(d.destination);
        const host = resolveHost(str(dest.host) ?? '', nsOf(vs));
        const weight = num(d.weight) ?? (dests.length > 1 ? 0 : 100);
        const port = num(rec(dest.port).number);
        links.push({ from: rid, to: versionNode(host, str(dest.subset)), label: `weight ${weight}${port ? ` :${port}` : ''}` });
      }
    });
  }
  return { title: options.title ?? 'Edge', nodes, clusters, links };
}

function findTokenBucket(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (o.token_bucket !== undefined) return rec(o.token_bucket);
  for (const v of Object.values(o)) {
    const r = findTokenBucket(v);
    if (r) return r;
  }
  return undefined;
}

function summarizeRules(spec: Record<string, unknown>): string {
  const rules = arr(spec.rules).map(rec);
  if (rules.length === 0) return str(spec.action) === 'DENY' ? 'no rules' : 'no rules (denies all)';
  return rules.map((r) => {
    const parts: string[] = [];
    for (const f of arr(r.from).map((x) => rec(rec(x).source))) {
      for (const [k, v] of Object.entries(f)) parts.push(`${k} ${strings(v).map((s) => s.replace(/^cluster\.local\/ns\/([^/]+)\/sa\//, '$1/')).join(', ')}`);
    }
    for (const t of arr(r.to).map((x) => rec(rec(x).operation))) {
      for (const [k, v] of Object.entries(t)) parts.push(`${k} ${strings(v).join(', ')}`);
    }
    for (const w of arr(r.when).map(rec)) parts.push(`when ${String(w.key)}`);
    return parts.join('; ') || 'every request';
  }).join(' | ');
}

function wrap(text: string, width = 48): string[] {
  const words = text.split(' ');
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

const COLORS: Record<EdgeNodeKind, string> = {
  client: '#ffffff', loadbalancer: '#dbeafe', server: '#e0f2fe', redirect: '#fef3c7', virtualservice: '#ede9fe',
  route: '#f5f3ff', service: '#dcfce7', version: '#bbf7d0', policy: '#fee2e2', mesh: '#f1f5f9',
};

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The graph in Graphviz DOT (left to right, one box per Gateway, VirtualService and Service). */
export function toDot(g: EdgeGraph): string {
  const out: string[] = [];
  out.push(`digraph ${dotString(g.title)} {`);
  out.push(`  graph [rankdir=LR, fontname="Helvetica", fontsize=12, label=${dotString(g.title)}, labelloc=t, nodesep=0.3, ranksep=0.6, ordering=out];`);
  out.push('  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, color="#475569"];');
  out.push('  edge [fontname="Helvetica", fontsize=9, color="#475569"];');
  const nodeLine = (n: EdgeNode, indent: string) => `${indent}${n.id} [label=${dotString(n.lines.join('\n'))}, fillcolor="${COLORS[n.kind]}"${n.kind === 'policy' ? ', shape=note, style="filled"' : ''}${n.kind === 'client' ? ', shape=oval, style="filled"' : ''}];`;
  for (const c of g.clusters) {
    out.push(`  subgraph cluster_${c.id} {`);
    out.push(`    label=${dotString(c.label)}; style="rounded"; color="#94a3b8";`);
    for (const n of g.nodes.filter((x) => x.cluster === c.id)) out.push(nodeLine(n, '    '));
    out.push('  }');
  }
  for (const n of g.nodes.filter((x) => !x.cluster)) out.push(nodeLine(n, '  '));
  for (const l of g.links) {
    const attrs = [l.label ? `label=${dotString(l.label)}` : '', l.dashed ? 'style=dashed, arrowhead=none' : '', l.fallthrough ? 'style=dotted' : ''].filter(Boolean).join(', ');
    out.push(`  ${l.from} -> ${l.to}${attrs ? ` [${attrs}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** The same graph as a Mermaid flowchart (for Markdown code review). */
export function toMermaid(g: EdgeGraph): string {
  const out: string[] = ['flowchart LR'];
  const nodeLine = (n: EdgeNode, indent: string) => {
    const label = `"${n.lines.map(mermaidText).join('<br/>')}"`;
    return `${indent}${n.id}${n.kind === 'client' ? `([${label}])` : n.kind === 'policy' ? `[/${label}/]` : `[${label}]`}`;
  };
  for (const c of g.clusters) {
    out.push(`  subgraph ${c.id}["${mermaidText(c.label)}"]`);
    for (const n of g.nodes.filter((x) => x.cluster === c.id)) out.push(nodeLine(n, '    '));
    out.push('  end');
  }
  for (const n of g.nodes.filter((x) => !x.cluster)) out.push(nodeLine(n, '  '));
  for (const l of g.links) out.push(`  ${l.from} ${l.dashed ? '-.-' : l.fallthrough ? '-.->' : '-->'}${l.label ? `|"${mermaidText(l.label)}"|` : ''} ${l.to}`);
  return `${out.join('\n')}\n`;
}

/** A Markdown page with the Mermaid flowchart. */
export function toMermaidMarkdown(g: EdgeGraph): string {
  return `# ${g.title}\n\nGenerated from the manifests beside this file (client → load balancer → gateway servers → routes → services and versions; dashed: policies). The same graph is drawn in edge.svg.\n\n\`\`\`mermaid\n${toMermaid(g)}\`\`\`\n`;
}

/** Lays the graph out with Graphviz (WebAssembly, @viz-js/viz) and returns the SVG. */
export async function renderSvg(g: EdgeGraph): Promise<string> {
  // Loaded when the first picture is drawn, and one instance for all of them.
  graphviz ??= import('@viz-js/viz').then((viz) => viz.instance());
  return (await graphviz).renderString(toDot(g), { format: 'svg', engine: 'dot' });
}

let graphviz: Promise<Awaited<ReturnType<typeof import('@viz-js/viz').instance>>> | undefined;

/**
 * Writes the picture of the edge beside its manifests: `<outdir>/edge.svg` (Graphviz) and
 * `<outdir>/edge.md` (Mermaid). Returns the graph.
 */
export async function writeEdgePictures(objects: readonly KubernetesObject[], outdir: string, options: EdgeGraphOptions = {}): Promise<EdgeGraph> {
  const g = buildEdgeGraph(objects, options);
  makeDirectories(outdir);
  writeFileSync(path.join(outdir, 'edge.svg'), await renderSvg(g));
  writeFileSync(path.join(outdir, 'edge.md'), toMermaidMarkdown(g));
  return g;
}
