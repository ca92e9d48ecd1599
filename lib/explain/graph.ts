/**
 * The picture of an edge, from its manifests: client → public IP and load balancer → gateway
 * servers and hosts → VirtualServices and their routes in order (with matches, rewrite targets,
 * timeouts, retries and the global rate limits each is subject to; a dotted "no match" arrow leads
 * to the next route) → services (or ServiceEntries) and versions (with weights), mesh routes entered
 * from their callers by name, and the policies (authorization, JWT, rate limits, traffic policy) as
 * marks. One graph model, rendered as Graphviz DOT (laid out to SVG by Graphviz compiled to
 * WebAssembly, @viz-js/viz; each box a table, to fit a laptop screen) and as a Mermaid flowchart for
 * Markdown code review.
 */
import { text } from '../private/text';
import { writeFileSync } from 'node:fs';
import { makeDirectories } from '../private/fs';
import * as path from 'node:path';
import { KubernetesObject } from '../model/kubernetes-object';
import { ObjectIndex } from '../model/object-index';
import { policyApplies, Workload } from './authz';
import { DEFAULT_ROOT_NAMESPACES, describeMatch } from './explain';
import { rateLimitConfigs, routeRateLimits } from './rate-limits';
import { arr, labels, num, rec, str, strings } from '../model/json';
import { resolveHost } from '../contract/hosts';
import { AZURE_LB_RESOURCE_GROUP_ANNOTATION, AZURE_PIP_NAME_ANNOTATION } from '../contract/keys';
import { isRollout, RolloutSpec } from '../model/rollout';
import { list, specOf } from '../model/objects';
import { describeCanaryStep, RolloutStepSummary } from './rollout';
import { layoutSvg } from './graphviz';

/** What a node stands for (its colour). */
export type EdgeNodeKind = 'client' | 'loadbalancer' | 'server' | 'redirect' | 'virtualservice' | 'route' | 'service' | 'external' | 'version' | 'policy' | 'mesh';

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
  /**
   * The Argo Rollouts canary step the objects are at ({@link LoadedEdge.atRolloutStep}): its mark
   * names the current step and the weights in force.
   * @default - the Rollouts' steps are drawn without a current one
   */
  readonly rolloutStep?: RolloutStepSummary;
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
      let lines: string[] | undefined;
      if (o.kind === 'AuthorizationPolicy' && policyApplies(o, workload, roots) !== false) {
        const spec = rec(o.spec);
        lines = [`${str(spec.action) ?? 'ALLOW'} ${o.metadata?.name}`, ...wrap(summarizeRules(spec))];
      } else if (o.kind === 'RequestAuthentication' && policyApplies(o, workload, roots) !== false) {
        lines = [`JWT ${o.metadata?.name}`, ...arr(rec(o.spec).jwtRules).flatMap((r) => wrap(`issuer ${str(rec(r).issuer) ?? '(none)'}`))];
      } else if (o.kind === 'EnvoyFilter' && policyApplies(o, workload, roots, 'workloadSelector') !== false) {
        const text = JSON.stringify(o.spec);
        if (/local_ratelimit/.test(text)) {
          const tb = findTokenBucket(o.spec);
          lines = [`RATE LIMIT ${o.metadata?.name}`, tb ? `local: ${String(tb.tokens_per_fill ?? tb.max_tokens)} requests / ${String(tb.fill_interval)} per gateway pod` : 'local'];
        } else if (/envoy\.filters\.http\.ratelimit/.test(text)) {
          const typed = arr(rec(o.spec).configPatches).map((p) => rec(rec(rec(p).patch).value).typed_config).map(rec).find((t) => str(t.domain) !== undefined);
          const domain = str(typed?.domain);
          const cluster = str(rec(rec(rec(typed?.rate_limit_service).grpc_service).envoy_grpc).cluster_name);
          const service = cluster?.split('|');
          lines = [`RATE LIMIT ${o.metadata?.name}`, ...wrap(`global: rate-limit service${service?.length === 4 ? ` ${service[3].replace(/\.svc\.cluster\.local$/, '')}:${service[1]}` : ''}${domain ? `, domain ${domain}` : ''}; the limits are on the routes`)];
        } else lines = [`ENVOYFILTER ${o.metadata?.name}`];
      }
      if (lines) {
        const id = add({ id: idOf('policy', o.kind, nsOf(o), o.metadata?.name ?? ''), kind: 'policy', lines, cluster });
        links.push({ from: attachTo, to: id, dashed: true });
      }
    }
  };

  // Gateways, their workloads, and the load balancers in front of them (and the client, when there is a gateway).
  const gateways = index.ofKind('Gateway').filter((g) => str(g.apiVersion)?.startsWith('networking.istio.io/'));
  if (gateways.length) add({ id: 'client', kind: 'client', lines: ['Client (internet)'] });
  const serverIds = new Map<string, { id: string; port: number }[]>(); // gateway ref → HTTP(S) server nodes that route
  const gatewayFilters = new Map<string, KubernetesObject[]>(); // gateway ref → the EnvoyFilters on its workload
  for (const gw of gateways) {
    const gid = idOf('gw', nsOf(gw), gw.metadata?.name ?? '');
    clusters.push({ id: gid, label: `Gateway ${ref(gw)}` });
    const selector = labels(rec(gw.spec).selector);
    const pods = Object.keys(selector).length ? index.podsMatching(selector) : [];
    const workload: Workload = pods.length ? { namespace: pods[0].namespace, labels: pods[0].labels } : { namespace: nsOf(gw), labels: selector };
    gatewayFilters.set(ref(gw), index.ofKind('EnvoyFilter').filter((f) => policyApplies(f, workload, roots, 'workloadSelector') !== false));
    const lbs = index.ofKind('Service').filter((s) => str(rec(s.spec).type) === 'LoadBalancer' && nsOf(s) === workload.namespace
      && Object.entries(labels(rec(s.spec).selector)).every(([k, v]) => workload.labels[k] === v) && Object.keys(labels(rec(s.spec).selector)).length > 0);
    const entry: string[] = [];
    for (const lb of lbs) {
      const a = labels(lb.metadata?.annotations);
      const pip = a[AZURE_PIP_NAME_ANNOTATION];
      const rg = a[AZURE_LB_RESOURCE_GROUP_ANNOTATION];
      const ports = arr(rec(lb.spec).ports).map((p) => num(rec(p).port)).filter((p) => p !== undefined && p !== 15021);
      const id = add({ id: idOf('lb', nsOf(lb), lb.metadata?.name ?? ''), kind: 'loadbalancer', lines: [`Public IP ${pip ?? '(assigned by Azure)'}`, ...(rg ? [`in ${rg}`] : []), `LoadBalancer ${ref(lb)}`, `ports ${ports.join(', ')}`] });
      links.push({ from: 'client', to: id });
      entry.push(id);
    }
    const gwPolicyAnchor = idOf(gid, 'workload');
    add({ id: gwPolicyAnchor, kind: 'server', lines: [`workload ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ')}`, `in ${workload.namespace}`], cluster: gid });
    for (const e of entry.length ? entry : ['client']) links.push({ from: e, to: gwPolicyAnchor });
    const routing: { id: string; port: number }[] = [];
    arr(rec(gw.spec).servers).map(rec).forEach((server, i) => {
      const port = rec(server.port);
      const tls = rec(server.tls);
      const sid = add({ id: idOf(gid, 'server', String(i)), kind: 'server', cluster: gid, lines: [`${str(port.name) ?? `server ${i}`}: ${String(port.number)}/${str(port.protocol)}`, ...strings(server.hosts), ...(str(tls.credentialName) ? [`TLS ${str(tls.mode) ?? 'SIMPLE'} (${str(tls.credentialName)})`] : [])] });
      links.push({ from: gwPolicyAnchor, to: sid });
      if (tls.httpsRedirect === true) {
        const rid = add({ id: idOf(gid, 'redirect', String(i)), kind: 'redirect', cluster: gid, lines: ['301 → https://'] });
        links.push({ from: sid, to: rid });
      } else routing.push({ id: sid, port: num(port.number) ?? 0 });
    });
    serverIds.set(ref(gw), routing);
    policyMarks(workload, gwPolicyAnchor, gid);
  }

  // Services (or ServiceEntries) and their versions.
  const services = new Map<string, { cluster: string; versions: Map<string, string>; node: string }>();
  const serviceCluster = (host: string, fromNamespace: string): { cluster: string; versions: Map<string, string>; node: string } => {
    let s = services.get(host);
    if (s) return s;
    const svc = index.services.get(host);
    const cid = idOf('svc', host);
    const name = host.split('.').slice(0, 2).join('.');
    const dr = (index.destinationRules.get(host) ?? [])[0];
    const tp = rec(rec(dr?.spec).trafficPolicy);
    const policy = [str(rec(tp.loadBalancer).simple), tp.outlierDetection ? `outlier ${text(rec(tp.outlierDetection).consecutive5xxErrors)}×5xx` : undefined, str(rec(tp.tls).mode)].filter(Boolean).join(', ');
    const drLines = dr ? [`DestinationRule ${ref(dr)}`, ...(policy ? [policy] : [])] : [];
    const entry = svc ? undefined : index.registryHost(host, fromNamespace);
    let node: string;
    if (entry?.source.kind === 'ServiceEntry') {
      // An external host (or one the mesh learns from a ServiceEntry): its location, resolution and ports.
      const es = rec(entry.source.spec);
      const ports = arr(es.ports).map(rec).map((p) => `${text(p.number)}/${str(p.protocol) ?? 'TCP'}`);
      clusters.push({ id: cid, label: `ServiceEntry ${ref(entry.source)}` });
      node = add({ id: idOf(cid, 'service'), kind: 'external', cluster: cid, lines: [host, `${str(es.location) ?? 'MESH_EXTERNAL'}, resolution ${str(es.resolution) ?? 'NONE'}${ports.length ? `, ports ${ports.join(', ')}` : ''}`, ...drLines] });
    } else {
      const ports = svc ? arr(rec(svc.spec).ports).map((p) => num(rec(p).port)).filter((p) => p !== undefined) : [];
      clusters.push({ id: cid, label: `Service ${name}${ports.length ? ` :${ports.join(', ')}` : ''}${svc ? '' : ' (not in these manifests)'}` });
      node = add({ id: idOf(cid, 'service'), kind: 'service', cluster: cid, lines: [host, ...drLines] });
    }
    s = { cluster: cid, versions: new Map(), node };
    services.set(host, s);
    if (svc) {
      const sel = labels(rec(svc.spec).selector);
      const pods = Object.keys(sel).length ? index.podsMatching(sel, nsOf(svc)) : [];
      policyMarks(pods.length ? { namespace: nsOf(svc), labels: pods[0].labels } : { namespace: nsOf(svc), labels: sel }, node, cid);
    }
    return s;
  };
  const versionNode = (host: string, subset: string | undefined, fromNamespace: string): string => {
    const s = serviceCluster(host, fromNamespace);
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

  // VirtualServices and their routes.
  for (const vs of index.ofKind('VirtualService')) {
    const spec = rec(vs.spec);
    const gws = strings(spec.gateways).map((g) => (g.includes('/') || g === 'mesh' ? g : `${nsOf(vs)}/${g}`));
    const vid = idOf('vs', nsOf(vs), vs.metadata?.name ?? '');
    clusters.push({ id: vid, label: `VirtualService ${ref(vs)}` });
    const hosts = strings(spec.hosts);
    const head = add({ id: idOf(vid, 'hosts'), kind: 'virtualservice', cluster: vid, lines: ['hosts:', ...hosts] });
    const entries = gws.length === 0 ? ['mesh'] : gws;
    const http = arr(spec.http).map(rec);
    for (const g of entries) {
      if (g === 'mesh') {
        for (const caller of meshCallers(index, vs, http, roots)) {
          const id = add({ id: idOf('caller', caller.id), kind: 'mesh', lines: caller.lines });
          links.push({ from: id, to: head });
        }
      } else for (const s of serverIds.get(g) ?? []) links.push({ from: s.id, to: head });
    }
    const gatewaySet = new Set(entries.filter((g) => g !== 'mesh'));
    const ports = [...gatewaySet].flatMap((g) => (serverIds.get(g) ?? []).map((s) => s.port));
    const filters = [...new Set([...gatewaySet].flatMap((g) => gatewayFilters.get(g) ?? []))];
    http.forEach((route, i) => {
      const matches = arr(route.match).map((m) => describeMatch(rec(m))).filter(Boolean);
      const limits = filters.length ? routeRateLimits(filters, { gateways: gatewaySet, ports, hosts, name: str(route.name) }, configs) : [];
      const dests = arr(route.route).map(rec);
      const lines = [
        `${i + 1}. route ${str(route.name) ?? `#${i}`}`,
        ...(matches.length ? matches.map((m, j) => `${j ? 'or ' : ''}${m}`) : ['every request']),
        ...(route.rewrite !== undefined ? [describeRewrite(rec(route.rewrite))] : []),
        ...[[str(route.timeout) ? `timeout ${str(route.timeout)}` : undefined, route.retries !== undefined ? describeRetries(rec(route.retries)) : undefined].filter(Boolean).join(', ')].filter(Boolean),
        ...[[route.fault !== undefined ? 'fault injection' : undefined, route.mirror !== undefined || route.mirrors !== undefined ? 'mirror' : undefined, route.corsPolicy !== undefined ? 'CORS' : undefined].filter(Boolean).join(', ')].filter(Boolean),
        ...limits.map((l) => `rate limit ${l.limit ? `${l.limit.value}/${l.limit.unit}` : l.unlimited ? 'unlimited' : '(no limit in the service configuration)'} per ${l.descriptor}${l.source === 'virtual host' ? ' (virtual host)' : ''}`),
      ];
      const rid = add({ id: idOf(vid, 'route', String(i)), kind: 'route', cluster: vid, lines });
      // Routes are tried in order: the first is entered from the hosts, each next one when the previous does not match.
      links.push(i === 0 ? { from: head, to: rid } : { from: idOf(vid, 'route', String(i - 1)), to: rid, label: 'no match', fallthrough: true });
      if (route.redirect !== undefined) {
        const r = rec(route.redirect);
        const to = add({ id: idOf(rid, 'redirect'), kind: 'redirect', cluster: vid, lines: [`${String(num(r.redirectCode) ?? 301)} → ${[str(r.scheme), str(r.authority), str(r.uri)].filter(Boolean).join(' ')}`] });
        links.push({ from: rid, to });
        return;
      }
      if (route.directResponse !== undefined) {
        const to = add({ id: idOf(rid, 'direct'), kind: 'redirect', cluster: vid, lines: [`answers ${String(rec(route.directResponse).status)}`] });
        links.push({ from: rid, to });
        return;
      }
      for (const d of dests) {
        const dest = rec(d.destination);
        const host = resolveHost(str(dest.host) ?? '', nsOf(vs));
        const weight = num(d.weight) ?? (dests.length > 1 ? 0 : 100);
        const port = num(rec(dest.port).number);
        const to = versionNode(host, str(dest.subset), nsOf(vs));
        // The port only where the destination has several (or is not among the manifests).
        const ports = index.registryHost(host, nsOf(vs))?.ports ?? [];
        links.push({ from: rid, to, label: `${weight}% → ${str(dest.subset) ?? (host.endsWith('.svc.cluster.local') ? host.split('.')[0] : host)}${port !== undefined && ports.length !== 1 ? ` :${port}` : ''}` });
      }
    });
  }
  // Argo Rollouts canaries: their steps, as a mark on the Service whose subsets (or Services) they shift.
  for (const r of objects.filter(isRollout)) {
    const canary = specOf<RolloutSpec>(r).strategy?.canary;
    const drName = canary?.trafficRouting?.istio?.destinationRule?.name;
    const dr = drName ? index.get('DestinationRule', nsOf(r), drName) : undefined;
    const host = dr ? resolveHost(str(rec(dr.spec).host) ?? '', nsOf(dr)) : canary?.stableService ? resolveHost(canary.stableService, nsOf(r)) : undefined;
    const s = host ? services.get(host) : undefined;
    if (!s || !canary) continue;
    const at = options.rolloutStep?.rollout === ref(r) ? options.rolloutStep : undefined;
    const steps = list(canary.steps);
    const mark = (i: number) => (at?.step === i ? ' (now)' : '');
    const lines = [`ROLLOUT ${ref(r)}`, ...steps.map((step, i) => `${i}. ${describeCanaryStep(step)}${mark(i)}`), `${steps.length}. promoted${mark(steps.length)}`,
      ...(at ? [`canary ${at.canaryWeight}%, stable ${at.stableWeight}%${at.maxWeight !== 100 ? ` of ${at.maxWeight}` : ''}`] : [])];
    const id = add({ id: idOf('rollout', nsOf(r), r.metadata?.name ?? ''), kind: 'policy', lines, cluster: s.cluster });
    links.push({ from: s.node, to: id, dashed: true });
  }
  // Versions in the order their DestinationRule lists its subsets (v1 above v2), not in the order the routes name them.
  const subsetOrder = (n: EdgeNode) => {
    const host = [...services.entries()].find(([, s]) => s.cluster === n.cluster)?.[0];
    const subsets = arr(rec((index.destinationRules.get(host ?? '') ?? [])[0]?.spec).subsets).map((x) => str(rec(x).name));
    const i = subsets.indexOf(n.lines[0]?.replace(/^version /, ''));
    return i < 0 ? subsets.length : i;
  };
  const versions = nodes.filter((n) => n.kind === 'version').sort((a, b) => subsetOrder(a) - subsetOrder(b));
  // Each cluster's version slots, filled in subset order.
  const ordered = nodes.map((n) => (n.kind === 'version' ? versions.splice(versions.findIndex((x) => x.cluster === n.cluster), 1)[0] : n));
  return { title: options.title ?? 'Edge', nodes: ordered, clusters, links };
}

/** A rewrite in words, with its target: "rewrite /api → /v2/", "rewrite regex ^/api/? → /", "authority x". */
function describeRewrite(r: Record<string, unknown>): string {
  const regex = rec(r.uriRegexRewrite);
  const parts = [
    str(r.uri) !== undefined ? `uri → ${str(r.uri)}` : undefined,
    str(regex.match) !== undefined ? `${str(regex.match)} → ${str(regex.rewrite) ?? ''}` : undefined,
    str(r.authority) !== undefined ? `authority → ${str(r.authority)}` : undefined,
  ].filter(Boolean);
  return `rewrite ${parts.length ? parts.join(', ') : '(nothing)'}`;
}

/** Retries in words: "retries 3 × 2s on 5xx, connect-failure". */
function describeRetries(r: Record<string, unknown>): string {
  const attempts = num(r.attempts);
  if (attempts === 0) return 'no retries';
  return `retries ${attempts ?? 'default'}${str(r.perTryTimeout) ? ` × ${str(r.perTryTimeout)}` : ''}${str(r.retryOn) ? ` on ${str(r.retryOn)?.split(',').join(', ')}` : ''}`;
}

/**
 * Who calls a mesh VirtualService: the senders its routes name (`sourceLabels`, `sourceNamespace`),
 * else the principals and namespaces the destination's ALLOW policies admit, else any sidecar.
 */
function meshCallers(index: ObjectIndex, vs: KubernetesObject, http: readonly Record<string, unknown>[], roots: readonly string[]): { id: string; lines: string[] }[] {
  const out: { id: string; lines: string[] }[] = [];
  const push = (id: string, lines: string[]) => {
    if (!out.some((c) => c.id === id)) out.push({ id, lines });
  };
  for (const m of http.flatMap((h) => arr(h.match).map(rec))) {
    const sl = labels(m.sourceLabels);
    const sns = str(m.sourceNamespace);
    if (!Object.keys(sl).length && sns === undefined) continue;
    const named = Object.keys(sl).length ? index.ofKind('Service').find((s) => (sns === undefined || nsOf(s) === sns)
      && Object.keys(labels(rec(s.spec).selector)).length > 0 && Object.entries(labels(rec(s.spec).selector)).every(([k, v]) => sl[k] === v)) : undefined;
    const who = named ? `${ref(named)}` : Object.keys(sl).length ? Object.entries(sl).map(([k, v]) => `${k}=${v}`).join(', ') : `namespace ${sns}`;
    push(`${sns ?? ''}_${who}`, [`Caller ${who}`, ...(Object.keys(sl).length && sns ? [`in ${sns}`] : []), '(sidecar)']);
  }
  if (out.length) return out;
  // The callers the destination admits.
  for (const d of http.flatMap((h) => arr(h.route).map((r) => rec(rec(r).destination)))) {
    const svc = index.services.get(resolveHost(str(d.host) ?? '', nsOf(vs)));
    if (!svc) continue;
    const sel = labels(rec(svc.spec).selector);
    const pods = Object.keys(sel).length ? index.podsMatching(sel, nsOf(svc)) : [];
    const workload: Workload = { namespace: nsOf(svc), labels: pods[0]?.labels ?? sel };
    for (const p of index.ofKind('AuthorizationPolicy')) {
      if ((str(rec(p.spec).action) ?? 'ALLOW') !== 'ALLOW' || policyApplies(p, workload, roots) === false) continue;
      for (const source of arr(rec(p.spec).rules).flatMap((r) => arr(rec(r).from).map((f) => rec(rec(f).source)))) {
        for (const principal of strings(source.principals)) {
          const sa = /^[^/]+\/ns\/([^/]+)\/sa\/(.+)$/.exec(principal);
          push(`sa_${principal}`, sa ? [`Caller ${sa[1]}/${sa[2]}`, '(service account)'] : [`Caller ${principal}`]);
        }
        for (const ns of strings(source.namespaces)) push(`ns_${ns}`, [`Callers in namespace ${ns}`]);
      }
    }
  }
  if (out.length === 0) push('mesh', ['Any sidecar in the mesh']);
  return out;
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
  // Rules that differ only in their paths are one line: "without a JWT; paths /a, /a/*".
  const merged: { rest: string[]; paths: string[] }[] = [];
  for (const r of rules) {
    const rest: string[] = [];
    const paths: string[] = [];
    for (const f of arr(r.from).map((x) => rec(rec(x).source))) {
      for (const [k, v] of Object.entries(f)) {
        const values = strings(v);
        if (k === 'notRequestPrincipals' && values.length === 1 && values[0] === '*') rest.push('without a JWT');
        else if (k === 'requestPrincipals' && values.length === 1 && values[0] === '*') rest.push('with a JWT');
        else rest.push(`${k === 'principals' ? 'from' : k} ${values.map((s) => s.replace(/^[^/]+\/ns\/([^/]+)\/sa\//, '$1/')).join(', ')}`);
      }
    }
    for (const t of arr(r.to).map((x) => rec(rec(x).operation))) {
      for (const [k, v] of Object.entries(t)) {
        if (k === 'paths') paths.push(...strings(v));
        else if (k === 'hosts') {
          // "h" and "h:*" (any port) are one host to a reader.
          const hs = strings(v);
          rest.push(`hosts ${hs.filter((h) => !(h.endsWith(':*') && hs.includes(h.slice(0, -2)))).join(', ')}`);
        } else if (k === 'notPorts') rest.push(`except port ${strings(v).join(', ')}`);
        else if (k === 'ports') rest.push(`port ${strings(v).join(', ')}`);
        else rest.push(`${k} ${strings(v).join(', ')}`);
      }
    }
    for (const w of arr(r.when).map(rec)) rest.push(`when ${String(w.key)}`);
    const same = merged.find((m) => m.rest.join('; ') === rest.join('; ') && m.paths.length > 0 && paths.length > 0);
    if (same) same.paths.push(...paths);
    else merged.push({ rest, paths });
  }
  return merged.map((m) => [...m.rest, ...(m.paths.length ? [`paths ${m.paths.join(', ')}`] : [])].join('; ') || 'every request').join(' | ');
}

/** Breaks text into lines of about `width` characters, at spaces (and inside long words after "/"). */
function wrap(text: string, width = 44): string[] {
  const words = text.split(' ').flatMap((w) => (w.length <= width ? [w] : w.match(new RegExp(`.{1,${width}}(/|$)|.{1,${width}}`, 'g')) ?? [w]));
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
  route: '#f5f3ff', service: '#dcfce7', external: '#fae8ff', version: '#bbf7d0', policy: '#fee2e2', mesh: '#f1f5f9',
};

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The graph in Graphviz DOT, laid out left to right to fit a laptop screen: the client above the
 * load balancers, then the Gateways, the VirtualServices and the Services. Each box (a Gateway, a
 * VirtualService, a Service) is one table whose rows are its nodes (servers, policies, routes in
 * order, versions), so a route's matches, rewrite, timeout, retries and rate limits are in its own
 * row; a labelled arrow (a weight) starts at a cell of its own at the right end of its row. Links
 * inside one box (a route to the next, a service to its versions) are the order of its rows.
 */
export function toDot(g: EdgeGraph): string {
  const boxOf = new Map(g.nodes.filter((n) => n.cluster).map((n) => [n.id, n.cluster!]));
  const end = (id: string, side: string) => (boxOf.has(id) ? `${boxOf.get(id)}:${id}:${side}` : id);
  const out: string[] = [];
  out.push(`digraph ${dotString(g.title)} {`);
  out.push(`  graph [rankdir=LR, newrank=true, fontname="Helvetica", fontsize=14, label=${dotString(g.title)}, labelloc=t, nodesep=0.25, ranksep=0.4, pad=0.2];`);
  out.push('  node [shape=plain, fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=10, color="#475569", fontcolor="#1e293b"];');
  // A labelled arrow from a row to another box starts at a cell of its own at the row's right end,
  // which holds the label (a route's weight): the label cannot drift from its arrow or its route.
  const outgoing = (n: EdgeNode) => g.links.filter((l) => l.from === n.id && l.label && boxOf.get(l.to) !== n.cluster);
  const tailPort = new Map<EdgeLink, string>();
  for (const c of g.clusters) {
    const members = g.nodes.filter((x) => x.cluster === c.id);
    const wide = members.some((n) => outgoing(n).length > 0);
    const span = wide ? ' COLSPAN="2"' : '';
    const rows = members.map((n) => {
      const [first, ...rest] = n.lines.map(html);
      const cell = (attrs: string) => `<TD PORT="${n.id}" ID="${n.id}" TOOLTIP="${html(n.lines.join(' '))}" BGCOLOR="${COLORS[n.kind]}" ALIGN="LEFT" BALIGN="LEFT"${attrs}><B>${first ?? ''}</B>${rest.map((l) => `<BR/>${l}`).join('')}</TD>`;
      const arrows = outgoing(n);
      if (arrows.length === 0) return `<TR>${cell(span)}</TR>`;
      return arrows.map((l, i) => {
        const port = `${n.id}__${i}`;
        tailPort.set(l, `${c.id}:${port}:e`);
        const label = `<TD PORT="${port}" ID="${port}" TOOLTIP="${html(`${n.lines[0]}: ${l.label}`)}" BGCOLOR="#ffffff" ALIGN="RIGHT"><B>${html(l.label ?? '')}</B></TD>`;
        return `<TR>${i === 0 ? cell(arrows.length > 1 ? ` ROWSPAN="${arrows.length}"` : '') : ''}${label}</TR>`;
      }).join('');
    });
    out.push(`  ${c.id} [label=<<TABLE BORDER="1" STYLE="ROUNDED" COLOR="#64748b" CELLBORDER="0" CELLSPACING="3" CELLPADDING="4"><TR><TD${span}><FONT POINT-SIZE="11"><B>${html(c.label)}</B></FONT></TD></TR>${rows.join('')}</TABLE>>];`);
  }
  for (const n of g.nodes.filter((x) => !x.cluster)) {
    const shape = n.kind === 'client' ? 'oval' : 'box';
    out.push(`  ${n.id} [shape=${shape}, style="rounded,filled", color="#475569", fillcolor="${COLORS[n.kind]}", margin="0.15,0.06", label=${dotString(n.lines.join('\n'))}];`);
  }
  // The way in, one column: the client above the load balancers in front of the gateways.
  const front = [...new Set(g.links.filter((l) => l.from === 'client').map((l) => l.to))].filter((id) => !boxOf.has(id));
  if (g.nodes.some((n) => n.id === 'client') && front.length) out.push(`  { rank=same; client; ${front.map((id) => `${id}; `).join('')}}`);
  g.links.forEach((l, i) => {
    if (boxOf.has(l.from) && boxOf.get(l.from) === boxOf.get(l.to)) return;
    const tail = tailPort.get(l);
    const attrs = [l.label && !tail ? `label=${dotString(l.label)}` : '', l.dashed ? 'style=dashed, arrowhead=none' : '', l.fallthrough ? 'style=dotted' : ''].filter(Boolean).join(', ');
    out.push(`  ${tail ?? end(l.from, 'e')} -> ${end(l.to, 'w')} [id="link_${i}"${attrs ? `, ${attrs}` : ''}];`);
  });
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

/**
 * Lays the graph out with Graphviz (WebAssembly, @viz-js/viz) and returns the SVG. The layout runs
 * in a worker thread (started on the first call, it does not hold the process open when idle), so
 * a caller can go on with other work until it awaits the picture; where no worker can be started,
 * in this thread. The same SVG either way.
 */
export async function renderSvg(g: EdgeGraph): Promise<string> {
  return layoutSvg(toDot(g));
}

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
