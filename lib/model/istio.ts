/** Readings of Istio objects shared by several checks: gateway references, destinations, servers, hosts. */
import { KubernetesObject } from './kubernetes-object';
import {
  Destination, DestinationRuleSpec, GatewaySpec, HttpRoute, L4Route, labelsOf, list, Server, specOf, VirtualServiceSpec,
} from './objects';
import { isIstioGateway, namespaceOf, ObjectIndex, PodTemplate } from './object-index';
import { resolveHost } from '../contract/hosts';
import { bareHost, hostsMatch, splitNamespaced } from '../contract/hosts';

/** The literal that binds a VirtualService to the sidecars of the mesh; never namespace-qualified. */
export const MESH_GATEWAY = 'mesh';

/** The Gateways a VirtualService refers to, resolved to namespace/name ("mesh" excluded). */
export function gatewayRefs(vs: KubernetesObject): Array<{ ref: string; namespace: string; name: string; field: string }> {
  const ns = namespaceOf(vs);
  return list(specOf<VirtualServiceSpec>(vs).gateways).flatMap((g, i) => {
    if (typeof g !== 'string' || g === MESH_GATEWAY) return [];
    const { namespace: gns = ns, name } = splitNamespaced(g);
    return [{ ref: g, namespace: gns, name, field: `spec.gateways[${i}]` }];
  });
}

/**
 * {@link gatewayRefs}, read once per analysis (several checks read them): the list is shared, so
 * callers must not change it.
 */
export function gatewayRefsOf(index: ObjectIndex, vs: KubernetesObject): ReadonlyArray<{ readonly ref: string; readonly namespace: string; readonly name: string; readonly field: string }> {
  return index.memo('gatewayRefs', vs, gatewayRefs);
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

/**
 * {@link destinations}, read once per analysis (several checks read them): the list is shared, so
 * callers must not change it.
 */
export function destinationsOf(index: ObjectIndex, vs: KubernetesObject): readonly AnnotatedDestination[] {
  return index.memo('destinations', vs, destinations);
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
    const { namespace: ns, name: host } = splitNamespaced(h);
    if (ns === undefined) return [h];
    const scope = ns === '.' ? gwNs : ns;
    return scope === '*' || scope === vsNamespace ? [host] : [];
  });
}

/** Host rules, re-exported for the checks (defined in contract/hosts). */
export { bareHost, hostsMatch };

/** The FQDN a DestinationRule's host resolves to. */
export function destinationRuleFqdn(dr: KubernetesObject): string | undefined {
  const host = specOf<DestinationRuleSpec>(dr).host;
  return typeof host === 'string' ? resolveHost(host, namespaceOf(dr)) : undefined;
}

/** Whether `o` is an Istio Gateway (re-exported for checks). */
export { isIstioGateway };
