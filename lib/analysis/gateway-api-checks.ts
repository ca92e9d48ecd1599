/**
 * Checks of the Kubernetes Gateway API form (gateway.networking.k8s.io/v1): what Istio reports in a
 * route's or a Gateway's status conditions (ResolvedRefs, Accepted, Conflicted), found before the
 * cluster does.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { KubernetesObject } from '../kubernetes-object';
import type { Check, Report } from './checks';
import { ObjectIndex } from './object-index';

const GROUP = 'gateway.networking.k8s.io';

interface Listener {
  readonly name: string; readonly hostname?: string; readonly port: number; readonly protocol: string;
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: string; readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } } };
}
interface ParentRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }
interface BackendRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly port?: number; readonly weight?: number }
interface RouteSpec {
  readonly parentRefs?: readonly ParentRef[];
  readonly hostnames?: readonly string[];
  readonly rules?: ReadonlyArray<{ readonly backendRefs?: readonly BackendRef[]; readonly filters?: ReadonlyArray<{ readonly requestMirror?: { readonly backendRef: BackendRef } }> }>;
}

function isGatewayApi(o: KubernetesObject, kind: string): boolean {
  return o.kind === kind && o.apiVersion.startsWith(`${GROUP}/`);
}

function ns(o: KubernetesObject): string {
  return o.metadata?.namespace ?? 'default';
}

function listeners(gw: KubernetesObject): readonly Listener[] {
  return ((gw.spec as { listeners?: readonly Listener[] } | undefined)?.listeners) ?? [];
}

function routes(index: ObjectIndex): KubernetesObject[] {
  return ['HTTPRoute', 'GRPCRoute', 'TLSRoute'].flatMap((k) => index.ofKind(k).filter((o) => isGatewayApi(o, k)));
}

function routeSpec(o: KubernetesObject): RouteSpec {
  return (o.spec as RouteSpec | undefined) ?? {};
}

/** Whether a listener hostname (exact, `*.suffix` or none) accepts a route hostname. */
function hostnameAccepts(listener: string | undefined, route: string): boolean {
  if (!listener) return true;
  if (listener === route) return true;
  if (listener.startsWith('*.')) {
    const suffix = listener.slice(1);
    return route.startsWith('*.') ? route.slice(1).endsWith(suffix) : route.endsWith(suffix) && route.length > suffix.length;
  }
  return route.startsWith('*.') && listener.endsWith(route.slice(1));
}

function namespaceAllowed(listener: Listener, gatewayNamespace: string, routeNamespace: string): boolean | undefined {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gatewayNamespace;
  const labels = listener.allowedRoutes?.namespaces?.selector?.matchLabels;
  if (labels && Object.keys(labels).length === 1 && labels['kubernetes.io/metadata.name']) return labels['kubernetes.io/metadata.name'] === routeNamespace;
  return undefined; // other selectors depend on namespace labels the output may not hold
}

/** Whether a ReferenceGrant in `toNamespace` lets `fromKind` objects of `fromNamespace` refer to the `kind`/`name`. */
function granted(index: ObjectIndex, fromKind: string, fromNamespace: string, toNamespace: string, kind: string, name: string): boolean {
  return index.ofKind('ReferenceGrant').some((g) => isGatewayApi(g, 'ReferenceGrant') && ns(g) === toNamespace && (() => {
    const spec = g.spec as { from?: ReadonlyArray<{ group?: string; kind?: string; namespace?: string }>; to?: ReadonlyArray<{ group?: string; kind?: string; name?: string }> } | undefined;
    const fromOk = (spec?.from ?? []).some((f) => f.group === GROUP && f.kind === fromKind && f.namespace === fromNamespace);
    const toOk = (spec?.to ?? []).some((t) => (t.group ?? '') === '' && t.kind === kind && (t.name === undefined || t.name === name));
    return fromOk && toOk;
  })());
}

function eachBackend(route: KubernetesObject, fn: (b: BackendRef, field: string) => void): void {
  routeSpec(route).rules?.forEach((rule, i) => {
    rule.backendRefs?.forEach((b, j) => fn(b, `spec.rules[${i}].backendRefs[${j}]`));
    rule.filters?.forEach((f, j) => { if (f.requestMirror) fn(f.requestMirror.backendRef, `spec.rules[${i}].filters[${j}].requestMirror.backendRef`); });
  });
}

const parentRefCheck: Check = {
  name: 'GatewayApiParentRefNotFound',
  severity: 'error',
  description: 'A route whose parentRef names a Gateway, or a listener (sectionName), that the output does not define, or whose namespace the listener does not admit.',
  run(index: ObjectIndex, report: Report) {
    for (const route of routes(index)) {
      routeSpec(route).parentRefs?.forEach((p, i) => {
        if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GROUP) !== GROUP) return;
        const gwNs = p.namespace ?? ns(route);
        const gw = index.ofKind('Gateway').find((g) => isGatewayApi(g, 'Gateway') && ns(g) === gwNs && g.metadata?.name === p.name);
        const field = `spec.parentRefs[${i}]`;
        if (!gw) {
          report(route, field, `Gateway ${gwNs}/${p.name} is not in the output, so the route is attached to nothing (Accepted: False): fix the name or namespace, or add the Gateway.`);
          return;
        }
        const candidates = listeners(gw).filter((l) => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
        if (candidates.length === 0) {
          report(route, `${field}.sectionName`, `Gateway ${gwNs}/${p.name} has no listener ${JSON.stringify(p.sectionName)} (it has ${listeners(gw).map((l) => l.name).join(', ')}): use one of them.`);
          return;
        }
        if (candidates.every((l) => namespaceAllowed(l, gwNs, ns(route)) === false)) {
          report(route, field, `The listeners of Gateway ${gwNs}/${p.name} do not admit routes from namespace ${ns(route)} (allowedRoutes): set allowedRoutes.namespaces.from to All or a selector that admits it.`);
        }
      });
    }
  },
};

const hostnameCheck: Check = {
  name: 'GatewayApiHostnameNotAccepted',
  severity: 'error',
  description: 'A route hostname that no listener of its parent Gateways accepts: requests for it get 404.',
  run(index: ObjectIndex, report: Report) {
    for (const route of routes(index)) {
      const spec = routeSpec(route);
      const parents = (spec.parentRefs ?? []).filter((p) => (p.kind ?? 'Gateway') === 'Gateway').map((p) => ({
        p, gw: index.ofKind('Gateway').find((g) => isGatewayApi(g, 'Gateway') && ns(g) === (p.namespace ?? ns(route)) && g.metadata?.name === p.name),
      }));
      if (parents.length === 0 || parents.some((x) => !x.gw)) continue; // reported by GatewayApiParentRefNotFound
      const open = parents.flatMap(({ p, gw }) => listeners(gw as KubernetesObject).filter((l) => p.sectionName === undefined || l.name === p.sectionName));
      spec.hostnames?.forEach((h, i) => {
        if (!open.some((l) => hostnameAccepts(l.hostname, h))) {
          report(route, `spec.hostnames[${i}]`, `No listener of the parent Gateways accepts ${JSON.stringify(h)} (they accept ${open.map((l) => l.hostname ?? '*').join(', ')}): add a listener for it or remove the hostname.`);
        }
      });
    }
  },
};

const backendCheck: Check = {
  name: 'GatewayApiBackendNotFound',
  severity: 'error',
  description: 'A backendRef to a Service the output does not define, or to a port the Service does not expose (ResolvedRefs: False; requests get 500).',
  run(index: ObjectIndex, report: Report) {
    for (const route of routes(index)) {
      eachBackend(route, (b, field) => {
        if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
        const svcNs = b.namespace ?? ns(route);
        const svc = index.get('Service', svcNs, b.name);
        if (!svc) {
          report(route, field, `Service ${svcNs}/${b.name} is not in the output: requests to this backend get 500. Fix the name, or add the Service.`);
          return;
        }
        const ports = ((svc.spec as { ports?: ReadonlyArray<{ port: number }> } | undefined)?.ports ?? []).map((p) => p.port);
        if (b.port !== undefined && !ports.includes(b.port)) {
          report(route, `${field}.port`, `Service ${svcNs}/${b.name} exposes ${ports.join(', ')}, not ${b.port}: use one of its ports.`);
        }
      });
    }
  },
};

const grantCheck: Check = {
  name: 'GatewayApiReferenceNotPermitted',
  severity: 'error',
  description: 'A reference to another namespace (a route\'s backend, a listener\'s certificate) without the ReferenceGrant that permits it (RefNotPermitted).',
  run(index: ObjectIndex, report: Report) {
    for (const route of routes(index)) {
      eachBackend(route, (b, field) => {
        if (b.namespace === undefined || b.namespace === ns(route)) return;
        if (!granted(index, route.kind, ns(route), b.namespace, b.kind ?? 'Service', b.name)) {
          report(route, field, `The reference to ${b.kind ?? 'Service'} ${b.namespace}/${b.name} crosses namespaces without a ReferenceGrant in ${b.namespace} from ${route.kind}s of ${ns(route)}: add one.`);
        }
      });
    }
    for (const gw of index.ofKind('Gateway').filter((g) => isGatewayApi(g, 'Gateway'))) {
      listeners(gw).forEach((l, i) => {
        const refs = (l as { tls?: { certificateRefs?: ReadonlyArray<{ name: string; namespace?: string; kind?: string }> } }).tls?.certificateRefs ?? [];
        refs.forEach((r, j) => {
          if (r.namespace === undefined || r.namespace === ns(gw)) return;
          if (!granted(index, 'Gateway', ns(gw), r.namespace, r.kind ?? 'Secret', r.name)) {
            report(gw, `spec.listeners[${i}].tls.certificateRefs[${j}]`, `The certificate ${r.namespace}/${r.name} is in another namespace and no ReferenceGrant there permits Gateways of ${ns(gw)} to use it: add one.`);
          }
        });
      });
    }
  },
};

const listenerConflictCheck: Check = {
  name: 'GatewayApiConflictingListeners',
  severity: 'error',
  description: 'Listeners of a Gateway with the same port and hostname, or the same port and different protocols that cannot share it (Conflicted: True).',
  run(index: ObjectIndex, report: Report) {
    const httpFamily = new Set(['HTTP', 'HTTPS', 'TLS']);
    for (const gw of index.ofKind('Gateway').filter((g) => isGatewayApi(g, 'Gateway'))) {
      const ls = listeners(gw);
      const names = new Set<string>();
      ls.forEach((l, i) => {
        if (names.has(l.name)) report(gw, `spec.listeners[${i}].name`, `Listener name ${JSON.stringify(l.name)} is used twice: names must be unique.`);
        names.add(l.name);
        for (let j = 0; j < i; j++) {
          const o = ls[j];
          if (o.port !== l.port) continue;
          if ((o.hostname ?? '') === (l.hostname ?? '') && o.protocol === l.protocol) {
            report(gw, `spec.listeners[${i}]`, `Listeners ${o.name} and ${l.name} both take port ${l.port} for ${l.hostname ?? 'every host'}: merge them or change one's hostname.`);
          } else if (o.protocol !== l.protocol && !(httpFamily.has(o.protocol) && httpFamily.has(l.protocol) && o.protocol !== 'HTTP' && l.protocol !== 'HTTP')) {
            report(gw, `spec.listeners[${i}].protocol`, `Listeners ${o.name} (${o.protocol}) and ${l.name} (${l.protocol}) share port ${l.port}: use another port for one of them.`);
          }
        }
      });
    }
  },
};

const weightsCheck: Check = {
  name: 'GatewayApiAllWeightsZero',
  severity: 'error',
  description: 'A route rule whose backendRefs all have weight 0: every request to it gets 500.',
  run(index: ObjectIndex, report: Report) {
    for (const route of routes(index)) {
      routeSpec(route).rules?.forEach((rule, i) => {
        const refs = rule.backendRefs ?? [];
        if (refs.length > 0 && refs.every((b) => b.weight === 0)) {
          report(route, `spec.rules[${i}].backendRefs`, 'Every backend of this rule has weight 0, so it answers every request with 500: give one a positive weight.');
        }
      });
    }
  },
};

/** The Gateway API checks. */
export const GATEWAY_API_CHECKS: readonly Check[] = [parentRefCheck, hostnameCheck, backendCheck, grantCheck, listenerConflictCheck, weightsCheck];
