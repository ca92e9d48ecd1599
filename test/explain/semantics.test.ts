// Istio's documented matching semantics, on hand-written manifests (explain reads objects, not our
// constructs): route order, prefix vs exact, RE2 regex, header presence and absence, query
// parameters, host wildcards, a request no route matches; then rewrites, redirects, destinations,
// DestinationRule policy, authorization and mesh requests.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ExplainRequest, explainRequest as explain } from '../../lib/explain';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

function yaml(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

const GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ["*"]
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
metadata: { name: other, namespace: app }
spec: { selector: { app: other }, ports: [{ name: http, port: 9090 }] }
`;

/** A gateway on port 80 for "*" and one VirtualService whose http routes are `routes`. */
function withRoutes(routes: string, hosts = '["example.com"]'): KubernetesObject[] {
  return yaml(`${GATEWAY}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs, namespace: app }
spec:
  hosts: ${hosts}
  gateways: [edge/gw]
  http:
${routes}`);
}

const req = (r: Partial<ExplainRequest>): ExplainRequest => ({ host: 'example.com', ...r });
const routeOf = (objects: KubernetesObject[], r: Partial<ExplainRequest>) => {
  const e = explain(objects, req(r));
  return e.decision === 'routed' ? e.route?.name : e.decision;
};

describe('route order and match blocks', () => {
  const objects = withRoutes(`
    - name: first
      match: [{ uri: { prefix: /a } }]
      route: [{ destination: { host: web } }]
    - name: second
      match: [{ uri: { prefix: /a/b } }]
      route: [{ destination: { host: other } }]
    - name: either
      match: [{ uri: { exact: /x } }, { method: { exact: POST } }]
      route: [{ destination: { host: other } }]
    - name: both
      match: [{ uri: { exact: /y }, method: { exact: PUT } }]
      route: [{ destination: { host: other } }]`);

  it('the first route that matches wins, even when a later one is more specific', () => {
    expect(routeOf(objects, { path: '/a/b/c' })).toBe('first');
  });

  it('the entries of a match block are ORed', () => {
    expect(routeOf(objects, { path: '/x' })).toBe('either');
    expect(routeOf(objects, { path: '/z', method: 'POST' })).toBe('either');
  });

  it('the conditions of an entry are ANDed', () => {
    expect(routeOf(objects, { path: '/y', method: 'PUT' })).toBe('both');
    expect(routeOf(objects, { path: '/y', method: 'GET' })).toBe('no-route');
  });

  it('a request no route matches gets 404 with every route listed as tried', () => {
    const e = explain(objects, req({ path: '/nothing' }));
    expect(e.decision).toBe('no-route');
    expect(e.status).toBe(404);
    expect(e.steps.filter((s) => s.includes(': no ('))).toHaveLength(5);
  });

  it('a route without match takes every request', () => {
    const all = withRoutes(`
    - name: all
      route: [{ destination: { host: web } }]`);
    expect(routeOf(all, { path: '/anything', method: 'DELETE' })).toBe('all');
  });
});

describe('path matching', () => {
  const objects = withRoutes(`
    - name: exact
      match: [{ uri: { exact: /api } }]
      route: [{ destination: { host: web } }]
    - name: prefix
      match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: other } }]
    - name: regex
      match: [{ uri: { regex: "/v[0-9]+/items" } }]
      route: [{ destination: { host: web } }]
    - name: nocase
      match: [{ uri: { prefix: /Docs }, ignoreUriCase: true }]
      route: [{ destination: { host: web } }]`);

  it('exact matches only the whole path', () => {
    expect(routeOf(objects, { path: '/api' })).toBe('exact');
    expect(routeOf(objects, { path: '/api/' })).toBe('prefix');
  });

  it('prefix is a plain string prefix (Envoy route prefix): /api matches /api/x and /apix', () => {
    expect(routeOf(objects, { path: '/api/x' })).toBe('prefix');
    expect(routeOf(objects, { path: '/apix' })).toBe('prefix');
    expect(routeOf(objects, { path: '/ap' })).toBe('no-route');
  });

  it('the query string is not part of the path', () => {
    expect(routeOf(objects, { path: '/api?x=1' })).toBe('exact');
  });

  it('regex is RE2 and must match the whole path', () => {
    expect(routeOf(objects, { path: '/v2/items' })).toBe('regex');
    expect(routeOf(objects, { path: '/v2/items/7' })).toBe('no-route');
    expect(routeOf(objects, { path: '/x/v2/items' })).toBe('no-route');
  });

  it('ignoreUriCase folds the case of the path', () => {
    expect(routeOf(objects, { path: '/docs/intro' })).toBe('nocase');
    expect(routeOf(objects, { path: '/DOCS' })).toBe('nocase');
  });

  it('a regex RE2 rejects (lookahead) is reported, never guessed', () => {
    const bad = withRoutes(`
    - name: lookahead
      match: [{ uri: { regex: "/(?!admin).*" } }]
      route: [{ destination: { host: web } }]`);
    const e = explain(bad, req({ path: '/x' }));
    expect(e.decision).toBe('unknown');
    expect(e.unknowns.join(' ')).toMatch(/not a valid RE2 expression/);
  });
});

describe('headers and query parameters', () => {
  const objects = withRoutes(`
    - name: present
      match: [{ headers: { x-debug: {} } }]
      route: [{ destination: { host: web } }]
    - name: exact-header
      match: [{ headers: { x-user: { exact: alice } } }]
      route: [{ destination: { host: web } }]
    - name: regex-header
      match: [{ headers: { x-user: { regex: "b.*" } } }]
      route: [{ destination: { host: web } }]
    - name: absent
      match: [{ uri: { prefix: /secure }, withoutHeaders: { x-token: {} } }]
      route: [{ destination: { host: other } }]
    - name: not-bob
      match: [{ uri: { prefix: /team }, withoutHeaders: { x-team: { exact: red } } }]
      route: [{ destination: { host: other } }]
    - name: query-exact
      match: [{ queryParams: { version: { exact: "2" } } }]
      route: [{ destination: { host: other } }]
    - name: query-regex
      match: [{ queryParams: { id: { regex: "[0-9]+" } } }]
      route: [{ destination: { host: other } }]
    - name: query-present
      match: [{ queryParams: { preview: {} } }]
      route: [{ destination: { host: other } }]`);

  it('an empty StringMatch tests presence', () => {
    expect(routeOf(objects, { path: '/', headers: { 'X-Debug': '' } })).toBe('present');
  });

  it('header names are case-insensitive, values are compared exactly or by RE2', () => {
    expect(routeOf(objects, { path: '/', headers: { 'X-User': 'alice' } })).toBe('exact-header');
    expect(routeOf(objects, { path: '/', headers: { 'x-user': 'Alice' } })).toBe('no-route');
    expect(routeOf(objects, { path: '/', headers: { 'x-user': 'bob' } })).toBe('regex-header');
  });

  it('withoutHeaders matches when the header is absent', () => {
    expect(routeOf(objects, { path: '/secure' })).toBe('absent');
    expect(routeOf(objects, { path: '/secure', headers: { 'x-token': 'abc' } })).toBe('no-route');
  });

  it('withoutHeaders with a value matches other values and absence', () => {
    expect(routeOf(objects, { path: '/team', headers: { 'x-team': 'blue' } })).toBe('not-bob');
    expect(routeOf(objects, { path: '/team' })).toBe('not-bob');
    expect(routeOf(objects, { path: '/team', headers: { 'x-team': 'red' } })).toBe('no-route');
  });

  it('query parameters match exactly, by RE2 or by presence, from the path or --query', () => {
    expect(routeOf(objects, { path: '/?version=2' })).toBe('query-exact');
    expect(routeOf(objects, { path: '/', query: { version: '2' } })).toBe('query-exact');
    expect(routeOf(objects, { path: '/?version=3' })).toBe('no-route');
    expect(routeOf(objects, { path: '/?id=42' })).toBe('query-regex');
    expect(routeOf(objects, { path: '/?id=42a' })).toBe('no-route');
    expect(routeOf(objects, { path: '/?preview' })).toBe('query-present');
  });
});

describe('hosts', () => {
  const objects = yaml(`${GATEWAY}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: wildcard, namespace: app }
spec:
  hosts: ["*.example.com"]
  gateways: [edge/gw]
  http: [{ name: wildcard, route: [{ destination: { host: other } }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: exact, namespace: app }
spec:
  hosts: [shop.example.com]
  gateways: [edge/gw]
  http: [{ name: exact, route: [{ destination: { host: web } }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: deeper, namespace: app }
spec:
  hosts: ["*.eu.example.com"]
  gateways: [edge/gw]
  http: [{ name: deeper, route: [{ destination: { host: web } }] }]`);

  it('an exact host wins over a wildcard', () => {
    expect(routeOf(objects, { host: 'shop.example.com' })).toBe('exact');
    expect(routeOf(objects, { host: 'SHOP.example.com:80' })).toBe('exact');
  });

  it('the longest wildcard suffix wins; a wildcard covers any depth but not the bare domain', () => {
    expect(routeOf(objects, { host: 'api.example.com' })).toBe('wildcard');
    expect(routeOf(objects, { host: 'a.b.example.com' })).toBe('wildcard');
    expect(routeOf(objects, { host: 'shop.eu.example.com' })).toBe('deeper');
    expect(routeOf(objects, { host: 'example.com' })).toBe('no-route');
  });

  it('a VirtualService not bound to the gateway, or not exported to it, does not serve it', () => {
    const objs = yaml(`${GATEWAY}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mesh-only, namespace: app }
spec: { hosts: [a.example.com], http: [{ route: [{ destination: { host: web } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: private, namespace: app }
spec: { hosts: [b.example.com], gateways: [edge/gw], exportTo: ["."], http: [{ route: [{ destination: { host: web } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: short-ref, namespace: edge }
spec: { hosts: [c.example.com], gateways: [gw], http: [{ name: c, route: [{ destination: { host: web.app.svc.cluster.local } }] }] }`);
    expect(routeOf(objs, { host: 'a.example.com' })).toBe('no-route');
    expect(routeOf(objs, { host: 'b.example.com' })).toBe('no-route');
    expect(routeOf(objs, { host: 'c.example.com' })).toBe('c');
  });

  it('a server host "ns/host" admits only VirtualServices of that namespace', () => {
    const objs = yaml(GATEWAY.replace('hosts: ["*"]', 'hosts: ["other/*"]') + `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs, namespace: app }
spec: { hosts: [example.com], gateways: [edge/gw], http: [{ route: [{ destination: { host: web } }] }] }`);
    expect(explain(objs, req({})).decision).toBe('no-route');
  });

  it('TLS: the server is chosen by SNI; a name no server lists fails the handshake', () => {
    const objs = yaml(GATEWAY.replace('- port: { number: 80, name: http, protocol: HTTP }\n      hosts: ["*"]',
      '- port: { number: 443, name: https, protocol: HTTPS }\n      hosts: ["*.example.com"]\n      tls: { mode: SIMPLE, credentialName: cert }') + `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs, namespace: app }
spec: { hosts: ["*.example.com"], gateways: [edge/gw], http: [{ name: tls, route: [{ destination: { host: web } }] }] }`);
    expect(routeOf(objs, { host: 'a.example.com', scheme: 'https' })).toBe('tls');
    const e = explain(objs, req({ host: 'a.example.org', scheme: 'https' }));
    expect(e.decision).toBe('no-route');
    expect(e.steps.join(' ')).toMatch(/TLS handshake fails/);
    expect(explain(objs, req({ host: 'a.example.com', port: 443, scheme: 'http' })).decision).toBe('no-route');
  });
});

describe('route actions', () => {
  it('a prefix rewrite replaces the matched prefix only (Envoy prefix_rewrite)', () => {
    const objects = withRoutes(`
    - match: [{ uri: { prefix: /api/ } }]
      rewrite: { uri: /v1/ }
      route: [{ destination: { host: web } }]
    - match: [{ uri: { prefix: /old } }]
      rewrite: { uri: / }
      route: [{ destination: { host: web } }]
    - match: [{ uri: { prefix: /re } }]
      rewrite: { uriRegexRewrite: { match: "^/re/(.*)$", rewrite: "/new/\\\\1" }, authority: backend.internal }
      route: [{ destination: { host: web } }]`);
    expect(explain(objects, req({ path: '/api/items' })).rewrite).toEqual({ path: '/v1/items' });
    expect(explain(objects, req({ path: '/old/x' })).rewrite).toEqual({ path: '//x' });
    expect(explain(objects, req({ path: '/re/a/b' })).rewrite).toEqual({ path: '/new/a/b', authority: 'backend.internal' });
  });

  it('redirects and direct responses', () => {
    const objects = withRoutes(`
    - match: [{ uri: { exact: /moved } }]
      redirect: { uri: /new, authority: www.example.com, redirectCode: 308 }
    - match: [{ uri: { exact: /gone } }]
      directResponse: { status: 410 }`);
    const r = explain(objects, req({ path: '/moved?a=1' }));
    expect([r.decision, r.status, r.redirect?.location]).toEqual(['redirected', 308, 'http://www.example.com/new?a=1']);
    const d = explain(objects, req({ path: '/gone' }));
    expect([d.decision, d.status]).toEqual(['direct-response', 410]);
  });

  it('weights, subsets, ports, retries, timeout, fault, mirror and CORS are reported', () => {
    const objects = withRoutes(`
    - name: split
      route:
        - { destination: { host: web, subset: a }, weight: 75 }
        - { destination: { host: web, subset: b }, weight: 25 }
        - { destination: { host: other }, weight: 0 }
      timeout: 3s
      retries: { attempts: 5 }
      fault: { abort: { httpStatus: 503, percentage: { value: 1 } } }
      mirror: { host: other }
      corsPolicy: { allowOrigins: [{ exact: "https://example.com" }] }`) .concat(yaml(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: app }
spec:
  host: web
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    connectionPool: { http: { http1MaxPendingRequests: 10 } }
    portLevelSettings: [{ port: { number: 8080 }, loadBalancer: { simple: LEAST_REQUEST } }]
  subsets:
    - { name: a, labels: { version: a } }
    - { name: b, labels: { version: b }, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } } }`));
    const e = explain(objects, req({}));
    expect(e.destinations.map((d) => [d.host, d.subset, d.port, d.weight])).toEqual([
      ['web.app.svc.cluster.local', 'a', 8080, 75], ['web.app.svc.cluster.local', 'b', 8080, 25],
    ]);
    expect(e.destinations[0].trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: { http: { http1MaxPendingRequests: 10 } } });
    expect(e.destinations[1].trafficPolicy?.outlierDetection).toEqual({ consecutive5xxErrors: 3 });
    expect([e.timeout, e.retries, e.fault !== undefined, e.mirror !== undefined, e.cors !== undefined]).toEqual(['3s', { attempts: 5 }, true, true, true]);
  });

  it('without retries or timeout, Istio\'s defaults are named', () => {
    const e = explain(withRoutes('    - route: [{ destination: { host: web } }]'), req({}));
    expect(e.timeout).toBe('none');
    expect(e.retries).toMatchObject({ attempts: 2, source: 'mesh default' });
  });

  it('a subset missing from the DestinationRule is a problem (503), an unknown Service is undecided', () => {
    const e = explain(withRoutes('    - route: [{ destination: { host: web, subset: v9 } }]'), req({}));
    expect(e.destinations[0].problems.join(' ')).toMatch(/subset v9 needs a DestinationRule/);
    const u = explain(withRoutes('    - route: [{ destination: { host: elsewhere.example.net } }]'), req({}));
    expect(u.unknowns.join(' ')).toMatch(/not among the manifests/);
  });
});

describe('authorization', () => {
  const policies = (extra: string) => withRoutes('    - route: [{ destination: { host: web } }]').concat(yaml(extra));

  it('DENY is evaluated before ALLOW; with ALLOW policies a request no rule allows is denied', () => {
    const objects = policies(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-delete, namespace: edge }
spec: { selector: { matchLabels: { istio: ingressgateway } }, action: DENY, rules: [{ to: [{ operation: { methods: [DELETE] } }] }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-public, namespace: edge }
spec: { selector: { matchLabels: { istio: ingressgateway } }, action: ALLOW, rules: [{ to: [{ operation: { paths: ["/public/*"] } }] }] }`);
    expect(explain(objects, req({ path: '/public/a', method: 'DELETE' })).authorization?.policy).toBe('edge/deny-delete');
    expect(explain(objects, req({ path: '/public/a' })).decision).toBe('routed');
    const d = explain(objects, req({ path: '/private' }));
    expect([d.decision, d.status]).toEqual(['denied', 403]);
    expect(d.authorization?.reason).toMatch(/none matches/);
  });

  it('a CUSTOM policy or a client-address rule without --source-ip is undecided', () => {
    const custom = policies(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext, namespace: edge }
spec: { action: CUSTOM, provider: { name: oauth2 }, rules: [{}] }`);
    expect(explain(custom, req({})).decision).toBe('unknown');
    const ip = policies(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: office, namespace: edge }
spec: { action: ALLOW, rules: [{ from: [{ source: { remoteIpBlocks: [203.0.113.0/24] } }] }] }`);
    expect(explain(ip, req({})).decision).toBe('unknown');
    expect(explain(ip, req({ sourceIp: '203.0.113.9' })).decision).toBe('routed');
    expect(explain(ip, req({ sourceIp: '198.51.100.1' })).decision).toBe('denied');
  });

  it('JWT: requestPrincipals make a token required; a token of another issuer gets 401', () => {
    const objects = policies(`
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: edge }
spec: { selector: { matchLabels: { istio: ingressgateway } }, jwtRules: [{ issuer: https://issuer.example.com }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: need-token, namespace: edge }
spec: { selector: { matchLabels: { istio: ingressgateway } }, action: ALLOW, rules: [{ from: [{ source: { requestPrincipals: ["https://issuer.example.com/*"] } }] }] }`);
    const without = explain(objects, req({}));
    expect([without.decision, without.jwt.required]).toEqual(['denied', true]);
    expect(explain(objects, req({ headers: { Authorization: 'Bearer x.y.z' } })).decision).toBe('routed');
    expect(explain(objects, req({ jwt: { issuer: 'https://issuer.example.com', subject: 'u1' } })).decision).toBe('routed');
    expect(explain(objects, req({ jwt: { issuer: 'https://other.example.com' } })).status).toBe(401);
  });

  it('the destination\'s sidecar decides with the gateway\'s identity and the rewritten path', () => {
    const objects = policies(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: app }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web }] } } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web-callers, namespace: app }
spec: { selector: { matchLabels: { app: web } }, action: ALLOW, rules: [{ from: [{ source: { principals: [cluster.local/ns/edge/sa/someone-else] } }] }] }`);
    const e = explain(objects, req({}));
    expect([e.decision, e.status]).toEqual(['denied', 403]);
    expect(e.destinations[0].authorization?.reason).toMatch(/none matches/);
  });
});

describe('mesh requests', () => {
  const objects = yaml(`${GATEWAY}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: app }
spec:
  hosts: [web]
  http:
    - name: from-canary-clients
      match: [{ sourceLabels: { track: canary } }]
      route: [{ destination: { host: other } }]
    - name: default
      route: [{ destination: { host: web } }]`);

  it('a VirtualService without gateways routes sidecar traffic; sourceLabels select the sender', () => {
    expect(routeOf(objects, { host: 'web', source: { namespace: 'app', labels: { track: 'canary' } } })).toBe('from-canary-clients');
    expect(routeOf(objects, { host: 'web.app.svc.cluster.local', source: { namespace: 'other', labels: {} } })).toBe('default');
  });

  it('it does not serve the gateway', () => {
    expect(explain(objects, req({ host: 'web' })).decision).toBe('no-route');
  });

  it('without a VirtualService the default route goes to the Service', () => {
    const e = explain(objects, { host: 'other', source: { namespace: 'app' } });
    expect([e.decision, e.destinations[0]?.host, e.destinations[0]?.port]).toEqual(['routed', 'other.app.svc.cluster.local', 9090]);
  });
});

describe('policies that apply', () => {
  it('rate limits: EnvoyFilters on the gateway workload, for its port and virtual host', () => {
    const objects = withRoutes('    - route: [{ destination: { host: web } }]').concat(yaml(`
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: global, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: GATEWAY, listener: { filterChain: { filter: { name: envoy.filters.network.http_connection_manager } } } }
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.ratelimit
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit
            domain: shop
            rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: outbound|8081||ratelimit.rl.svc.cluster.local } } }
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: other-port, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: GATEWAY, listener: { portNumber: 443 } }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.local_ratelimit } }
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: sidecars-only, namespace: edge }
spec:
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: SIDECAR_INBOUND }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.local_ratelimit } }
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: per-host, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - applyTo: VIRTUAL_HOST
      match: { context: GATEWAY, routeConfiguration: { vhost: { name: "example.com:80" } } }
      patch: { operation: MERGE, value: { rate_limits: [{ actions: [{ remote_address: {} }] }] } }`));
    const e = explain(objects, req({}));
    expect(e.rateLimits.map((r) => [r.name, r.kind])).toEqual([['edge/global', 'global'], ['edge/per-host', 'global']]);
    expect(e.rateLimits[0].detail).toBe('the rate-limit service, domain shop (outbound|8081||ratelimit.rl.svc.cluster.local): remote_address=<client address> → limit not in the manifests');
    expect(explain(objects, req({ host: 'www.example.com' })).rateLimits.map((r) => r.name)).toEqual(['edge/global']);
  });

  it('DestinationRules: the client\'s namespace first, then the service\'s; exportTo is respected', () => {
    const objects = withRoutes('    - route: [{ destination: { host: web } }]').concat(yaml(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: from-app, namespace: app }
spec: { host: web.app.svc.cluster.local, trafficPolicy: { loadBalancer: { simple: RANDOM } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: from-edge, namespace: edge }
spec: { host: web.app.svc.cluster.local, trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } } }`));
    expect(explain(objects, req({})).destinations[0].destinationRule).toBe('edge/from-edge');
    const hidden = objects.filter((o) => o.metadata?.name !== 'from-edge').map((o) => (o.metadata?.name === 'from-app' ? { ...o, spec: { ...(o.spec as object), exportTo: ['.'] } } : o));
    expect(explain(hidden, req({})).destinations[0].destinationRule).toBeUndefined();
  });
});

describe('what explain does not evaluate', () => {
  it('reads Gateway API Gateways and HTTPRoutes back as istiod does, and evaluates them', () => {
    const objects = yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: edge }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: web, port: 8080 }] }] }`);
    const e = explain(objects, req({}));
    expect([e.decision, e.route?.virtualService, e.destinations.map((d) => `${d.host}:${d.port}`)]).toEqual(['routed', 'edge/r', ['web.edge.svc.cluster.local:8080']]);
  });

  it('Gateway API routes explain does not read back (GRPCRoute) make a "no route" undecided', () => {
    const objects = yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: r, namespace: edge }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: web, port: 8080 }] }] }`);
    const e = explain(objects, req({}));
    expect(e.decision).toBe('unknown');
    expect(e.unknowns.join(' ')).toMatch(/Kubernetes Gateway API objects \(GRPCRoute\) that explain does not read back may route this request/);
  });

  it('delegation and TLS passthrough are said to be undecided', () => {
    const delegating = withRoutes(`
    - match: [{ uri: { prefix: /team } }]
      delegate: { name: team-routes, namespace: team }`);
    expect(explain(delegating, req({ path: '/team/a' })).unknowns.join(' ')).toMatch(/delegates to another VirtualService/);
    const passthrough = yaml(GATEWAY.replace('- port: { number: 80, name: http, protocol: HTTP }\n      hosts: ["*"]',
      '- port: { number: 443, name: tls, protocol: TLS }\n      hosts: ["*"]\n      tls: { mode: PASSTHROUGH }'));
    const e = explain(passthrough, req({ scheme: 'https' }));
    expect([e.decision, e.unknowns.join(' ')]).toEqual(['unknown', expect.stringMatching(/TLS passthrough or TCP/)]);
  });
});

describe('the library entry', () => {
  it('a request without host is an error that says what to give', () => {
    expect(() => explain([], { host: '' })).toThrow(/request host: received ""/);
  });
});
