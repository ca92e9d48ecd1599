/**
 * The Gateway API form read back the way Istio reads it: Gateways and HTTPRoutes turned into the
 * Istio Gateways and VirtualServices istiod builds from them internally (a gateway per listener,
 * routes ordered by Gateway API precedence, element-wise path prefixes), plus the pods Istio's
 * automated deployment runs. `explain` evaluates the result, so the two forms of an edge can be
 * compared request by request.
 * @see https://github.com/istio/istio/blob/master/pilot/pkg/config/kube/gateway/conversion.go
 */
import { KubernetesObject } from '../model/kubernetes-object';
import { escapeRe2 } from '../private/re2';
import { EXPLAIN_ROUTE_IDS_ANNOTATION, GATEWAY_NAME_OVERRIDE_ANNOTATION, GATEWAY_SERVICE_ACCOUNT_ANNOTATION, NAMESPACE_NAME_LABEL } from '../contract/keys';
import { serviceFqdnOf } from '../contract/hosts';
import { GATEWAY_NAME_LABEL, INTERNAL_SERVER_PORT_NAME, internalGatewayRef } from './workload-selectors';


interface GwStringMatch { readonly type?: string; readonly name?: string; readonly value: string }
interface GwMatch {
  readonly path?: GwStringMatch;
  readonly headers?: readonly GwStringMatch[];
  readonly queryParams?: readonly GwStringMatch[];
  readonly method?: string;
}
interface GwBackendRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly port?: number; readonly weight?: number }
interface GwFilter {
  readonly type: string;
  readonly requestRedirect?: { readonly scheme?: string; readonly hostname?: string; readonly port?: number; readonly statusCode?: number; readonly path?: { readonly type: string; readonly replaceFullPath?: string; readonly replacePrefixMatch?: string } };
  readonly urlRewrite?: { readonly hostname?: string; readonly path?: { readonly type: string; readonly replaceFullPath?: string; readonly replacePrefixMatch?: string } };
  readonly requestHeaderModifier?: HeaderModifier;
  readonly responseHeaderModifier?: HeaderModifier;
  readonly requestMirror?: { readonly backendRef: GwBackendRef; readonly percent?: number };
  readonly cors?: { readonly allowOrigins?: readonly string[]; readonly allowMethods?: readonly string[]; readonly allowHeaders?: readonly string[]; readonly exposeHeaders?: readonly string[]; readonly maxAge?: number; readonly allowCredentials?: boolean };
}
interface HeaderModifier { readonly set?: ReadonlyArray<{ name: string; value: string }>; readonly add?: ReadonlyArray<{ name: string; value: string }>; readonly remove?: readonly string[] }
interface GwRule {
  readonly name?: string;
  readonly matches?: readonly GwMatch[];
  readonly filters?: readonly GwFilter[];
  readonly backendRefs?: readonly GwBackendRef[];
  readonly timeouts?: { readonly request?: string };
}
interface GwParentRef { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly sectionName?: string }
interface GwListener {
  readonly name: string; readonly hostname?: string; readonly port: number; readonly protocol: string;
  readonly tls?: { readonly mode?: string; readonly certificateRefs?: ReadonlyArray<{ readonly name: string }> };
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: string; readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } } };
}

function isGw(o: KubernetesObject, kind: string): boolean {
  return o.kind === kind && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('gateway.networking.k8s.io/');
}


/** The objects with Gateway API Gateways and HTTPRoutes replaced by their Istio reading. */
export function gatewayApiToIstio(objects: readonly KubernetesObject[]): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  const listenerGateways = new Map<string, string[]>();
  for (const o of objects) {
    if (isGw(o, 'Gateway')) {
      out.push(...readGateway(o, listenerGateways));
    } else if (!isGw(o, 'HTTPRoute') && !isGw(o, 'ReferenceGrant')) {
      out.push(o);
    }
  }
  for (const o of objects) if (isGw(o, 'HTTPRoute')) out.push(...readRoute(o, listenerGateways));
  return out;
}

function readGateway(gw: KubernetesObject, listenerGateways: Map<string, string[]>): KubernetesObject[] {
  const name = gw.metadata?.name ?? '';
  const namespace = gw.metadata?.namespace ?? 'default';
  const spec = gw.spec as { listeners?: readonly GwListener[]; infrastructure?: { labels?: Record<string, string> } };
  const labels = { ...spec.infrastructure?.labels, [GATEWAY_NAME_LABEL]: name };
  const result: KubernetesObject[] = [];
  const names: string[] = [];
  for (const l of spec.listeners ?? []) {
    const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
    const ns = from === 'All' ? '*' : from === 'Same' ? namespace : l.allowedRoutes?.namespaces?.selector?.matchLabels?.[NAMESPACE_NAME_LABEL] ?? '*';
    // istiod's names: a Gateway per listener, each with one server whose port is named "default".
    const istioName = internalGatewayRef(namespace, name, l.name).slice(namespace.length + 1);
    names.push(istioName);
    const https = l.protocol === 'HTTPS';
    result.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: istioName, namespace },
      spec: {
        selector: labels,
        servers: [{
          port: { number: l.port, name: INTERNAL_SERVER_PORT_NAME, protocol: l.protocol },
          hosts: [`${ns}/${l.hostname ?? '*'}`],
          tls: https ? { mode: 'SIMPLE', credentialName: l.tls?.certificateRefs?.[0]?.name } : undefined,
        }],
      },
    });
    listenerGateways.set(`${namespace}/${name}/${l.name}`, [istioName]);
  }
  listenerGateways.set(`${namespace}/${name}`, names);
  // The pods Istio's automated deployment runs for the Gateway, with the names the annotations ask for.
  const annotations = gw.metadata?.annotations ?? {};
  const deploymentName = annotations[GATEWAY_NAME_OVERRIDE_ANNOTATION] ?? `${name}-istio`;
  result.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName, namespace, annotations: { 'explain.istio-aks-edge.io/generated': 'the pods Istio deploys for the Gateway' } },
    spec: {
      selector: { matchLabels: { [GATEWAY_NAME_LABEL]: name } },
      template: {
        metadata: { labels },
        spec: { serviceAccountName: annotations[GATEWAY_SERVICE_ACCOUNT_ANNOTATION] ?? deploymentName, containers: [{ name: 'istio-proxy', image: 'auto' }] },
      },
    },
  });
  return result;
}

interface RankedRoute { readonly route: Record<string, unknown>; readonly id: string; readonly rank: number; readonly length: number; readonly method: boolean; readonly headers: number; readonly query: number; readonly order: number }

function readRoute(route: KubernetesObject, listenerGateways: ReadonlyMap<string, string[]>): KubernetesObject[] {
  const name = route.metadata?.name ?? '';
  const namespace = route.metadata?.namespace ?? 'default';
  const spec = route.spec as { parentRefs?: readonly GwParentRef[]; hostnames?: readonly string[]; rules?: readonly GwRule[] };
  const gateways: string[] = [];
  const meshHosts: string[] = [];
  for (const p of spec.parentRefs ?? []) {
    const ns = p.namespace ?? namespace;
    if ((p.kind ?? 'Gateway') === 'Gateway') {
      const key = p.sectionName ? `${ns}/${p.name}/${p.sectionName}` : `${ns}/${p.name}`;
      for (const g of listenerGateways.get(key) ?? []) gateways.push(`${ns}/${g}`);
    } else if (p.kind === 'Service') {
      meshHosts.push(serviceFqdnOf(p.name, ns));
    }
  }
  const ranked: RankedRoute[] = [];
  let order = 0;
  (spec.rules ?? []).forEach((rule, r) => {
    const matches = rule.matches?.length ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } }];
    for (const m of matches) ranked.push({ ...readRule(rule, m, namespace, order++), id: `${namespace}/${name}#rules[${r}]` });
  });
  // Istio's order for Gateway API rules (conversion.go, sortHTTPRoutes): exact > prefix > regex,
  // longer first, then method, header count, query count; stable otherwise.
  ranked.sort((a, b) => {
    if (a.rank !== b.rank) return b.rank - a.rank;
    if (a.length !== b.length) return b.length - a.length;
    if (a.method !== b.method) return a.method ? -1 : 1;
    if (a.headers !== b.headers) return b.headers - a.headers;
    if (a.query !== b.query) return b.query - a.query;
    return a.order - b.order;
  });
  const http = ranked.map((r) => r.route);
  // Each route names the HTTPRoute rule it came from (a rule with several matches gives several routes).
  const annotations = { [EXPLAIN_ROUTE_IDS_ANNOTATION]: JSON.stringify(ranked.map((r) => r.id)) };
  const result: KubernetesObject[] = [];
  if (gateways.length) {
    result.push({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { name, namespace, annotations },
      spec: { hosts: spec.hostnames?.length ? [...spec.hostnames] : ['*'], gateways, http },
    });
  }
  if (meshHosts.length) {
    result.push({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { name: gateways.length ? `${name}-mesh` : name, namespace, annotations },
      spec: { hosts: meshHosts, gateways: ['mesh'], http },
    });
  }
  return result;
}

function readRule(rule: GwRule, given: GwMatch, namespace: string, order: number): Omit<RankedRoute, 'id'> {
  // The API server defaults a match's path to PathPrefix "/" (the CRD's default) before istiod reads it.
  const m: GwMatch = given.path ? given : { ...given, path: { type: 'PathPrefix', value: '/' } };
  const match: Record<string, unknown> = {};
  let rank = -1;
  let length = 0;
  let prefix: string | undefined;
  if (m.path) {
    const type = m.path.type ?? 'PathPrefix';
    const value = m.path.value;
    if (type === 'Exact') {
      match.uri = { exact: value };
      rank = 3;
    } else if (type === 'PathPrefix') {
      // Element-wise: "/api" matches "/api" and "/api/x", not "/apix"; a trailing "/" is ignored.
      prefix = value === '/' ? '/' : value.replace(/\/$/, '');
      match.uri = prefix === '/' ? { prefix: '/' } : { regex: `${escapeRe2(prefix)}(/.*)?` };
      rank = 2;
    } else {
      match.uri = { regex: value };
      rank = 1;
    }
    length = value.length;
  }
  const strings = (list?: readonly GwStringMatch[]) => (list?.length
    ? Object.fromEntries(list.map((h) => [h.name ?? '', (h.type ?? 'Exact') === 'Exact' ? { exact: h.value } : { regex: h.value }]))
    : undefined);
  if (m.headers?.length) match.headers = strings(m.headers);
  if (m.queryParams?.length) match.queryParams = strings(m.queryParams);
  if (m.method) match.method = { exact: m.method };
  const out: Record<string, unknown> = { name: rule.name, match: [match] };
  const headers: Record<string, unknown> = {};
  for (const f of rule.filters ?? []) {
    if (f.requestRedirect) {
      const r = f.requestRedirect;
      out.redirect = {
        scheme: r.scheme, authority: r.hostname, port: r.port, redirectCode: r.statusCode ?? 302,
        uri: r.path?.type === 'ReplaceFullPath' ? r.path.replaceFullPath : undefined,
      };
    }
    if (f.urlRewrite) {
      const r = f.urlRewrite;
      const rewrite: Record<string, unknown> = { authority: r.hostname };
      if (r.path?.type === 'ReplaceFullPath') rewrite.uri = r.path.replaceFullPath;
      if (r.path?.type === 'ReplacePrefixMatch' && prefix !== undefined) {
        // istiod keeps the replacement without its trailing "/" (conversion.go, createRewriteFilter)
        // and Envoy replaces the matched path elements: P becomes R and P/x becomes R/x; a "/"
        // replacement leaves no "//".
        const replacement = (r.path.replacePrefixMatch ?? '/').replace(/\/+$/, '') || '/';
        rewrite.uriRegexRewrite = prefix === '/'
          ? { match: '^/', rewrite: replacement.endsWith('/') ? replacement : `${replacement}/` }
          : replacement === '/' ? { match: `^${escapeRe2(prefix)}/?`, rewrite: '/' } : { match: `^${escapeRe2(prefix)}`, rewrite: replacement };
      }
      out.rewrite = rewrite;
    }
    if (f.requestHeaderModifier) headers.request = modifier(f.requestHeaderModifier);
    if (f.responseHeaderModifier) headers.response = modifier(f.responseHeaderModifier);
    if (f.requestMirror) {
      out.mirror = destination(f.requestMirror.backendRef, namespace);
      if (f.requestMirror.percent !== undefined) out.mirrorPercentage = { value: f.requestMirror.percent };
    }
    if (f.cors) {
      out.corsPolicy = {
        allowOrigins: f.cors.allowOrigins?.map((o) => ({ exact: o })), allowMethods: f.cors.allowMethods, allowHeaders: f.cors.allowHeaders,
        exposeHeaders: f.cors.exposeHeaders, maxAge: f.cors.maxAge === undefined ? undefined : `${f.cors.maxAge}s`, allowCredentials: f.cors.allowCredentials,
        // istiod gives every Gateway API CORS filter IGNORE (conversion.go, createCorsFilter).
        unmatchedPreflights: 'IGNORE',
      };
    }
  }
  if (Object.keys(headers).length) out.headers = headers;
  if (rule.backendRefs?.length) {
    const weighted = rule.backendRefs.length > 1;
    out.route = rule.backendRefs.map((b) => ({ destination: destination(b, namespace), weight: weighted ? b.weight ?? 1 : undefined }));
  }
  if (rule.timeouts?.request) out.timeout = rule.timeouts.request;
  return {
    route: out, rank, length, method: m.method !== undefined, headers: m.headers?.length ?? 0, query: m.queryParams?.length ?? 0, order,
  };
}

function modifier(m: HeaderModifier): Record<string, unknown> {
  const rec = (l?: ReadonlyArray<{ name: string; value: string }>) => (l ? Object.fromEntries(l.map((h) => [h.name, h.value])) : undefined);
  return { set: rec(m.set), add: rec(m.add), remove: m.remove };
}

function destination(b: GwBackendRef, namespace: string): Record<string, unknown> {
  const ns = b.namespace ?? namespace;
  return { host: ns === namespace ? b.name : serviceFqdnOf(b.name, ns), port: b.port === undefined ? undefined : { number: b.port } };
}
