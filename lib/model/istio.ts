/** Readings of Istio objects shared by several checks: gateway references, destinations, servers, hosts. */
import { KubernetesObject } from './kubernetes-object';
import {
  Destination, DestinationRuleSpec, GatewaySpec, HttpRoute, L4Route, labelsOf, list, Server, specOf, VirtualServiceSpec,
} from './objects';
import { isIstioGateway, namespaceOf, ObjectIndex, PodTemplate, serviceFqdn } from './object-index';

/** The literal that binds a VirtualService to the sidecars of the mesh; never namespace-qualified. */
export const MESH_GATEWAY = 'mesh';

/** The Gateways a VirtualService refers to, resolved to namespace/name ("mesh" excluded). */
export function gatewayRefs(vs: KubernetesObject): Array<{ ref: string; namespace: string; name: string; field: string }> {
  const ns = namespaceOf(vs);
  return list(specOf<VirtualServiceSpec>(vs).gateways).flatMap((g, i) => {
    if (typeof g !== 'string' || g === MESH_GATEWAY) return [];
    const slash = g.indexOf('/');
    const [gns, name] = slash >= 0 ? [g.slice(0, slash), g.slice(slash + 1)] : [ns, g];
    return [{ ref: g, namespace: gns, name, field: `spec.gateways[${i}]` }];
  });
}

/** Whether a VirtualService applies to the sidecars of the mesh (no gateways, or `mesh` among them). */
export function appliesToMesh(vs: KubernetesObject): boolean {
  const gateways = list(specOf<VirtualServiceSpec>(vs).gateways);
  return gateways.length === 0 || gateways.includes(MESH_GATEWAY);
}

/** A destination of a VirtualService, with its field path. */
export interface AnnotatedDestination {
  readonly destination: Destination;
  readonly field: string;
  /** "http", "tcp", "tls" or "mirror". */
  readonly kind: string;
}

/** Every route destination (and HTTP mirror) of a VirtualService. */
export function destinations(vs: KubernetesObject): AnnotatedDestination[] {
  const spec = specOf<VirtualServiceSpec>(vs);
  const out: AnnotatedDestination[] = [];
  const routes = (kind: 'http' | 'tcp' | 'tls', rs: ReadonlyArray<HttpRoute | L4Route>) => rs.forEach((route, i) => {
    list(route?.route).forEach((r, j) => {
      if (r?.destination && typeof r.destination === 'object') out.push({ destination: r.destination, field: `spec.${kind}[${i}].route[${j}].destination`, kind });
    });
    const mirror = kind === 'http' ? (route as HttpRoute | null)?.mirror : undefined;
    if (mirror && typeof mirror === 'object') out.push({ destination: mirror, field: `spec.http[${i}].mirror`, kind: 'mirror' });
  });
  routes('http', list(spec.http));
  routes('tcp', list(spec.tcp));
  routes('tls', list(spec.tls));
  return out;
}

/** The servers of a Gateway with their index. */
export function servers(gw: KubernetesObject): Array<{ server: Server; index: number }> {
  return list(specOf<GatewaySpec>(gw).servers).map((server, index) => ({ server: server ?? {}, index }));
}

/** The selector of a Istio Gateway. */
export function gatewaySelector(gw: KubernetesObject): Readonly<Record<string, string>> {
  return labelsOf(specOf<GatewaySpec>(gw).selector);
}

/** The selector as `k=v,k=v` (sorted), as Kubernetes prints it. */
export function selectorString(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The pod templates a Gateway's selector picks (in any namespace); none for an empty selector. */
export function gatewayPods(index: ObjectIndex, gw: KubernetesObject): PodTemplate[] {
  const selector = gatewaySelector(gw);
  return Object.keys(selector).length ? index.podsMatching(selector) : [];
}

/** The pod templates that serve an Istio Gateway of the set (each once). */
export function gatewayWorkloads(index: ObjectIndex): PodTemplate[] {
  const found = new Set<PodTemplate>();
  for (const gw of index.istioGateways()) for (const p of gatewayPods(index, gw)) found.add(p);
  return [...found];
}

/**
 * The hosts a Gateway server offers to VirtualServices of `vsNamespace`, as Istio reads
 * `namespace/host`: `*` or the VirtualService's namespace apply, `./host` means the Gateway's own
 * namespace; a bare host applies to every namespace.
 */
export function serverHostsFor(gw: KubernetesObject, server: Server, vsNamespace: string): string[] {
  const gwNs = namespaceOf(gw);
  return list(server.hosts).flatMap((h) => {
    if (typeof h !== 'string') return [];
    const slash = h.indexOf('/');
    if (slash < 0) return [h];
    const ns = h.slice(0, slash);
    const host = h.slice(slash + 1);
    const scope = ns === '.' ? gwNs : ns;
    return scope === '*' || scope === vsNamespace ? [host] : [];
  });
}

/** A server host without its `namespace/` part. */
export function bareHost(h: string): string {
  const slash = h.indexOf('/');
  return slash < 0 ? h : h.slice(slash + 1);
}

/**
 * Istio's `host.Name.Matches`: whether two hosts (exact or `*.suffix` wildcards, or `*`) have
 * requests in common.
 */
export function hostsMatch(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return false;
}

/** The FQDN a DestinationRule's host resolves to. */
export function destinationRuleFqdn(dr: KubernetesObject): string | undefined {
  const host = specOf<DestinationRuleSpec>(dr).host;
  return typeof host === 'string' ? serviceFqdn(host, namespaceOf(dr)) : undefined;
}

/** Whether `o` is an Istio Gateway (re-exported for checks). */
export { isIstioGateway };
