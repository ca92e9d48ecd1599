/**
 * A small hand-written edge for the diff's tests (Istio form): a gateway with an HTTPS and an HTTP
 * server, a VirtualService with an `api` route (prefix, regex rewrite, 90/10 split) and a `web`
 * route, a JWT required on /api/orders (RequestAuthentication and a DENY policy), a local rate
 * limit at the gateway, and the Services, DestinationRule and workloads behind them. Tests copy it
 * (`baseEdge()` returns fresh objects) and change one thing.
 */
import { parseAllDocuments } from 'yaml';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

export function yamlObjects(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

export const BASE_EDGE = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [shop.example.com]
      tls: { mode: SIMPLE, credentialName: shop-tls }
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: [shop.example.com]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ingressgateway, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  template:
    metadata: { labels: { istio: ingressgateway } }
    spec: { serviceAccountName: ingressgateway, containers: [{ name: istio-proxy, image: auto }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: app }
spec: { selector: { app: web }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: app }
spec: { selector: { app: api }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: app }
spec:
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web }] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v1, namespace: app }
spec:
  selector: { matchLabels: { app: api, version: v1 } }
  template: { metadata: { labels: { app: api, version: v1 } }, spec: { containers: [{ name: api, image: api }] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v2, namespace: app }
spec:
  selector: { matchLabels: { app: api, version: v2 } }
  template: { metadata: { labels: { app: api, version: v2 } }, spec: { containers: [{ name: api, image: api }] } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: app }
spec:
  host: api
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: app }
spec:
  hosts: [shop.example.com]
  gateways: [edge/gw]
  http:
    - name: api
      match: [{ uri: { prefix: /api } }]
      rewrite: { uriRegexRewrite: { match: "^/api/?", rewrite: / } }
      route:
        - { destination: { host: api, subset: v1, port: { number: 8080 } }, weight: 90 }
        - { destination: { host: api, subset: v2, port: { number: 8080 } }, weight: 10 }
    - name: web
      match: [{ uri: { prefix: / } }]
      route: [{ destination: { host: web, port: { number: 8080 } } }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com" }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: require-jwt, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  action: DENY
  rules:
    - from: [{ source: { notRequestPrincipals: ["*"] } }]
      to: [{ operation: { paths: [/api/orders, /api/orders/*] } }]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: local-ratelimit, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  priority: 10
  configPatches:
    - applyTo: HTTP_FILTER
      match:
        context: GATEWAY
        listener: { filterChain: { filter: { name: envoy.filters.network.http_connection_manager, subFilter: { name: envoy.filters.http.router } } } }
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            stat_prefix: http_local_rate_limiter
            token_bucket: { max_tokens: 1000, tokens_per_fill: 1000, fill_interval: 1s }
`;

/** Fresh objects of the base edge. */
export function baseEdge(): KubernetesObject[] {
  return yamlObjects(BASE_EDGE);
}

/** The base edge's object of a kind and name (to change it in place on a fresh copy). */
export function objectOf(objects: KubernetesObject[], kind: string, name: string): any {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

// ---------------------------------------------------------------- random edges (property tests)

/** The values the random edges and the random requests draw from, so that they meet. */
export const POOL = {
  hosts: ['a.example.com', 'b.example.com', '*.example.com'],
  requestHosts: ['a.example.com', 'b.example.com', 'any.example.com', 'other.test'],
  paths: ['/', '/a', '/a/', '/a/b', '/ab', '/b', '/b/c', '/c', '/A', '/a/b/c', '/admin', '/admin/x'],
  prefixes: ['/', '/a', '/a/', '/a/b', '/b', '/admin'],
  headerValues: ['1', '1x', '2'],
  services: ['s0', 's1', 's2'],
};

/** A small deterministic random source (mulberry32), so the property tests need no fast-check shrinking state. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const chance = (r: () => number, p: number) => r() < p;

function randomMatch(r: () => number): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  const kind = pick(r, ['prefix', 'prefix', 'exact', 'regex']);
  if (kind === 'prefix') m.uri = { prefix: pick(r, POOL.prefixes) };
  else if (kind === 'exact') m.uri = { exact: pick(r, POOL.paths) };
  else m.uri = { regex: pick(r, ['/a(/.*)?', '/b/[a-z]+', '/(a|c)']) };
  if (chance(r, 0.3)) m.headers = { 'x-h': pick(r, [{ exact: '1' }, { prefix: '1' }, {}]) };
  if (chance(r, 0.15)) m.method = { exact: pick(r, ['GET', 'POST']) };
  if (chance(r, 0.1)) m.queryParams = { q: { exact: '1' } };
  if (chance(r, 0.1)) m.ignoreUriCase = true;
  return m;
}

function randomRoute(r: () => number, i: number): Record<string, unknown> {
  const route: Record<string, unknown> = { name: `r${i}` };
  const matches = Math.floor(r() * 3);
  if (matches > 0) route.match = Array.from({ length: matches }, () => randomMatch(r));
  const action = r();
  if (action < 0.08) route.redirect = { uri: '/moved' };
  else if (action < 0.14) route.directResponse = { status: 418 };
  else {
    const svc = pick(r, POOL.services);
    if (chance(r, 0.5)) {
      const w = pick(r, [50, 80, 90]);
      route.route = [
        { destination: { host: svc, subset: 'v1', port: { number: 8080 } }, weight: w },
        { destination: { host: svc, subset: 'v2', port: { number: 8080 } }, weight: 100 - w },
      ];
    } else route.route = [{ destination: { host: svc, port: { number: 8080 } } }];
    if (chance(r, 0.3)) route.rewrite = chance(r, 0.5) ? { uri: pick(r, ['/', '/v1/']) } : { uriRegexRewrite: { match: '^/a/?', rewrite: '/' } };
    if (chance(r, 0.3)) route.timeout = pick(r, ['5s', '10s']);
  }
  return route;
}

/** A random edge in the Istio form: a gateway, 1 or 2 VirtualServices, services, maybe a JWT rule, a DENY policy, a rate limit. */
export function randomEdge(seed: number): KubernetesObject[] {
  const r = rng(seed);
  const objects = yamlObjects(BASE_EDGE).filter((o) => !['VirtualService', 'Service', 'DestinationRule', 'RequestAuthentication', 'AuthorizationPolicy', 'EnvoyFilter'].includes(o.kind) && !(o.kind === 'Deployment' && o.metadata?.namespace === 'app'));
  const gw: any = objects.find((o) => o.kind === 'Gateway');
  const hosts = POOL.hosts.filter(() => chance(r, 0.6));
  if (hosts.length === 0) hosts.push('a.example.com');
  gw.spec.servers[0].hosts = [...hosts];
  gw.spec.servers[1].hosts = [...hosts];
  if (chance(r, 0.3)) gw.spec.servers.pop();
  for (const s of POOL.services) {
    objects.push(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: s, namespace: 'app' }, spec: { selector: { app: s }, ports: [{ name: 'http', port: 8080 }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: s, namespace: 'app' }, spec: { host: s, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } },
      ...['v1', 'v2'].map((v) => ({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${s}-${v}`, namespace: 'app' },
        spec: { selector: { matchLabels: { app: s, version: v } }, template: { metadata: { labels: { app: s, version: v } }, spec: { serviceAccountName: s, containers: [{ name: s, image: s }] } } },
      })),
    );
  }
  const vsCount = chance(r, 0.3) ? 2 : 1;
  for (let v = 0; v < vsCount; v++) {
    const vsHosts = vsCount === 1 ? hosts : [hosts[v % hosts.length]];
    const routes = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => randomRoute(r, v * 10 + i));
    objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs${v}`, namespace: 'app' }, spec: { hosts: [...new Set(vsHosts)], gateways: ['edge/gw'], http: routes } });
  }
  if (chance(r, 0.4)) {
    objects.push(
      { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace: 'edge' }, spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: [{ issuer: 'https://issuer.example.com' }] } },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'require-jwt', namespace: 'edge' }, spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: [pick(r, ['/a', '/b/*', '/a/*'])] } }] }] } },
    );
  }
  if (chance(r, 0.3)) objects.push(denyPolicy('block', pick(r, [['/admin', '/admin/*'], ['/c'], ['/a/b*']])));
  if (chance(r, 0.3)) objects.push(yamlObjects(BASE_EDGE).find((o) => o.kind === 'EnvoyFilter')!);
  return objects;
}

/** A DENY policy at the gateway for some paths. */
export function denyPolicy(name: string, paths: string[]): KubernetesObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'edge' }, spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ to: [{ operation: { paths } }] }] } };
}

/** One random change to an edge (a copy), and its name. */
export function mutate(objects: readonly KubernetesObject[], seed: number): { name: string; objects: KubernetesObject[] } {
  const r = rng(seed * 7919 + 1);
  const copy: any[] = JSON.parse(JSON.stringify(objects));
  const vses = copy.filter((o) => o.kind === 'VirtualService');
  const vs = pick(r, vses);
  const http: any[] = vs.spec.http;
  const route = pick(r, http);
  const options: Array<[string, () => boolean]> = [
    ['weight', () => { if (route.route?.length !== 2) return false; route.route[0].weight = 30; route.route[1].weight = 70; return true; }],
    ['prefix', () => { const m = route.match?.find((x: any) => x.uri?.prefix); if (!m) return false; m.uri.prefix = m.uri.prefix === '/' ? '/a' : `${m.uri.prefix.replace(/\/$/, '')}/`; return true; }],
    ['exact', () => { const m = route.match?.[0]; if (!m) return false; m.uri = { exact: pick(r, POOL.paths) }; return true; }],
    ['header', () => { const m = route.match?.[0]; if (!m) return false; m.headers = { 'x-h': { exact: pick(r, POOL.headerValues) } }; return true; }],
    ['remove route', () => { if (http.length < 2) return false; http.splice(http.indexOf(route), 1); return true; }],
    ['swap routes', () => { if (http.length < 2) return false; http.reverse(); return true; }],
    ['rewrite', () => { if (!route.route) return false; route.rewrite = { uri: '/changed/' }; return true; }],
    ['timeout', () => { if (!route.route) return false; route.timeout = '42s'; return true; }],
    ['subset', () => { if (!route.route) return false; route.route[0].destination.subset = 'v2'; return true; }],
    ['deny', () => { copy.push(denyPolicy('new-deny', [pick(r, ['/a', '/a/*', '/b', '/ab*'])])); return true; }],
    ['remove policy', () => { const i = copy.findIndex((o) => o.kind === 'AuthorizationPolicy'); if (i < 0) return false; copy.splice(i, 1); return true; }],
    ['remove rate limit', () => { const i = copy.findIndex((o) => o.kind === 'EnvoyFilter'); if (i < 0) return false; copy.splice(i, 1); return true; }],
    ['host', () => { vs.spec.hosts = [...vs.spec.hosts, pick(r, ['a.example.com', 'b.example.com'])].filter((h, i, a) => a.indexOf(h) === i); return true; }],
    ['remove match', () => { if (!route.match?.length) return false; route.match.pop(); if (route.match.length === 0) delete route.match; return true; }],
  ];
  for (let tries = 0; tries < 20; tries++) {
    const [name, apply] = pick(r, options);
    if (apply()) return { name, objects: copy };
  }
  return { name: 'timeout', objects: (route.timeout = '43s', copy) };
}

/** A random request drawn from the same pools as the random edges. */
export function randomRequest(r: () => number): { host: string; port: number; scheme: 'http' | 'https'; path: string; method: string; headers: Record<string, string>; query: Record<string, string>; jwt?: { issuer: string; subject: string } } {
  const https = chance(r, 0.5);
  const headers: Record<string, string> = {};
  if (chance(r, 0.4)) headers['x-h'] = pick(r, POOL.headerValues);
  const query: Record<string, string> = {};
  if (chance(r, 0.2)) query.q = pick(r, ['1', '2']);
  return {
    host: pick(r, POOL.requestHosts), port: https ? 443 : 80, scheme: https ? 'https' : 'http',
    path: pick(r, POOL.paths), method: pick(r, ['GET', 'GET', 'POST', 'PUT']), headers, query,
    ...(chance(r, 0.3) ? { jwt: { issuer: 'https://issuer.example.com', subject: 'someone' } } : {}),
  };
}
