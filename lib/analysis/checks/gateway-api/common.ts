/** What the Gateway API checks share: the shapes they read and how references resolve. */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { ObjectIndex } from '../../../model/object-index';
import { NAMESPACE_NAME_LABEL } from '../../../contract/keys';

export const GROUP = 'gateway.networking.k8s.io';

export interface Listener {
  readonly name: string; readonly hostname?: string; readonly port: number; readonly protocol: string;
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: string; readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } } };
}
export interface ParentRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }
export interface BackendRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly port?: number; readonly weight?: number }
export interface RouteSpec {
  readonly parentRefs?: readonly ParentRef[];
  readonly hostnames?: readonly string[];
  readonly rules?: ReadonlyArray<{ readonly backendRefs?: readonly BackendRef[]; readonly filters?: ReadonlyArray<{ readonly requestMirror?: { readonly backendRef: BackendRef } }> }>;
}

export function isGatewayApi(o: KubernetesObject, kind: string): boolean {
  return o.kind === kind && o.apiVersion.startsWith(`${GROUP}/`);
}

export function ns(o: KubernetesObject): string {
  return o.metadata?.namespace ?? 'default';
}

export function listeners(gw: KubernetesObject): readonly Listener[] {
  return ((gw.spec as { listeners?: readonly Listener[] } | undefined)?.listeners) ?? [];
}

export function routes(index: ObjectIndex): KubernetesObject[] {
  return ['HTTPRoute', 'GRPCRoute', 'TLSRoute'].flatMap((k) => index.ofKind(k).filter((o) => isGatewayApi(o, k)));
}

export function routeSpec(o: KubernetesObject): RouteSpec {
  return (o.spec as RouteSpec | undefined) ?? {};
}

/** Whether a listener hostname (exact, `*.suffix` or none) accepts a route hostname. */
export function hostnameAccepts(listener: string | undefined, route: string): boolean {
  if (!listener) return true;
  if (listener === route) return true;
  if (listener.startsWith('*.')) {
    const suffix = listener.slice(1);
    return route.startsWith('*.') ? route.slice(1).endsWith(suffix) : route.endsWith(suffix) && route.length > suffix.length;
  }
  return route.startsWith('*.') && listener.endsWith(route.slice(1));
}

export function namespaceAllowed(listener: Listener, gatewayNamespace: string, routeNamespace: string): boolean | undefined {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gatewayNamespace;
  const labels = listener.allowedRoutes?.namespaces?.selector?.matchLabels;
  if (labels && Object.keys(labels).length === 1 && labels[NAMESPACE_NAME_LABEL]) return labels[NAMESPACE_NAME_LABEL] === routeNamespace;
  return undefined; // other selectors depend on namespace labels the output may not hold
}

/** Whether a ReferenceGrant in `toNamespace` lets `fromKind` objects of `fromNamespace` refer to the `kind`/`name`. */
export function granted(index: ObjectIndex, fromKind: string, fromNamespace: string, toNamespace: string, kind: string, name: string): boolean {
  return index.ofKind('ReferenceGrant').some((g) => isGatewayApi(g, 'ReferenceGrant') && ns(g) === toNamespace && (() => {
    const spec = g.spec as { from?: ReadonlyArray<{ group?: string; kind?: string; namespace?: string }>; to?: ReadonlyArray<{ group?: string; kind?: string; name?: string }> } | undefined;
    const fromOk = (spec?.from ?? []).some((f) => f.group === GROUP && f.kind === fromKind && f.namespace === fromNamespace);
    const toOk = (spec?.to ?? []).some((t) => (t.group ?? '') === '' && t.kind === kind && (t.name === undefined || t.name === name));
    return fromOk && toOk;
  })());
}

export function eachBackend(route: KubernetesObject, fn: (b: BackendRef, field: string) => void): void {
  routeSpec(route).rules?.forEach((rule, i) => {
    rule.backendRefs?.forEach((b, j) => fn(b, `spec.rules[${i}].backendRefs[${j}]`));
    rule.filters?.forEach((f, j) => { if (f.requestMirror) fn(f.requestMirror.backendRef, `spec.rules[${i}].filters[${j}].requestMirror.backendRef`); });
  });
}

