// Coverage of request tables on hand-written manifests: which routes (per gateway and mesh) and
// which policies (authorization rules where consulted, JWT rules, rate limits) the rows exercise,
// the rule identity explain gives a route in both forms, and what is listed apart.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CoverageReport, formatCoverage, LoadedEdge, parseRequestTable } from '../../lib/explain';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

function yaml(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

const EDGE = yaml(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
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
metadata: { name: db, namespace: app }
spec: { selector: { app: db }, ports: [{ name: tcp, port: 5432 }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: app }
spec:
  hosts: [example.com, web.app.svc.cluster.local]
  gateways: [edge/gw, mesh]
  http:
    - name: api
      match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: web.app.svc.cluster.local } }]
    - name: rest
      route: [{ destination: { host: web.app.svc.cluster.local } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: db, namespace: app }
spec:
  hosts: [db.app.svc.cluster.local]
  tcp: [{ route: [{ destination: { host: db.app.svc.cluster.local } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-admin, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  action: DENY
  rules:
    - to: [{ operation: { paths: [/admin*] } }]
    - to: [{ operation: { methods: [DELETE] } }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-get, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  action: ALLOW
  rules:
    - to: [{ operation: { methods: [GET] } }]
    - to: [{ operation: { methods: [POST] } }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: https://a.example.com }, { issuer: https://b.example.com }]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: local, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: GATEWAY }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.local_ratelimit, typed_config: { token_bucket: { max_tokens: 10, fill_interval: 1s } } } }
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: global, namespace: edge }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: GATEWAY }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.ratelimit, typed_config: { domain: d } } }
    - applyTo: HTTP_ROUTE
      match: { context: GATEWAY, routeConfiguration: { vhost: { route: { name: api } } } }
      patch: { operation: MERGE, value: { route: { rate_limits: [{ actions: [{ generic_key: { descriptor_key: route, descriptor_value: api } }] }] } } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ratelimit, namespace: edge }
data:
  config.yaml: |
    domain: d
    descriptors:
      - { key: route, value: api, rate_limit: { unit: minute, requests_per_unit: 5 } }
      - { key: route, value: other, rate_limit: { unit: minute, requests_per_unit: 7 } }
`);

function coverage(objects: KubernetesObject[], rows: string): CoverageReport {
  const edge = LoadedEdge.load(objects);
  return edge.coverage(edge.checkTable(parseRequestTable(`requests:\n${rows}`)));
}

const ids = (r: CoverageReport, covered: boolean) => r.items.filter((i) => i.covered === covered && !i.notEvaluated).map((i) => `${i.id}${i.via ? ` via ${i.via}` : ''}`);

describe('coverage', () => {
  it('counts each route per gateway and mesh, authorization rules where consulted, JWT rules and rate limits', () => {
    const r = coverage(EDGE, `
  - { name: api, request: { host: example.com, path: /api/x, jwt: { issuer: https://a.example.com } }, expect: { decision: routed, route: api } }
  - { name: admin, request: { host: example.com, path: /admin }, expect: { decision: denied } }
  - { name: mesh, request: { host: web.app.svc.cluster.local, path: /, source: { namespace: app } }, expect: { route: rest } }
`);
    expect(ids(r, true)).toEqual([
      'app/web#http[0] via edge/gw', 'app/web#http[1] via mesh',
      'edge/deny-admin#rules[0]', 'edge/allow-get#rules[0]', 'edge/jwt#jwtRules[0]', 'edge/local', 'd: route=api',
    ]);
    // The admin row is denied before the ALLOW policy is consulted: its GET does not cover allow-get.
    expect(r.items.find((i) => i.id === 'edge/allow-get#rules[0]')?.rows).toEqual(['api']);
    expect(ids(r, false)).toEqual([
      'app/web#http[0] via mesh', 'app/web#http[1] via edge/gw', 'edge/deny-admin#rules[1]', 'edge/allow-get#rules[1]', 'edge/jwt#jwtRules[1]', 'd: route=other',
    ]);
    expect(r.items.filter((i) => i.notEvaluated).map((i) => [i.id, i.via, i.notEvaluated])).toEqual([['app/db#tcp[0]', 'mesh', 'explain does not evaluate TCP routing']]);
    expect([r.routes, r.policies].map((c) => `${c.covered}/${c.total}`)).toEqual(['2/4', '5/9']);
    expect(r.total.percent).toBeCloseTo((7 / 13) * 100);
    expect(r.items.find((i) => i.id === 'app/web#http[0]')?.description).toBe('"api": uri prefix /api');
  });

  it('formats the report: the percentage rounded down, every item, what no row exercises, what is not counted', () => {
    const r = coverage(EDGE, '  - { name: api, request: { host: example.com, path: /api/x }, expect: { route: api } }\n');
    const text = formatCoverage(r);
    expect(text.split('\n')[0]).toBe('Coverage: 30.7% (routes 1 of 4, policies 3 of 9) from 1 row');
    expect(text).toContain('\n  covered  app/web#http[0] via edge/gw  "api": uri prefix /api (1 row)\n');
    expect(text).toContain('\n  MISSING  app/web#http[1] via mesh  "rest": every request\n');
    expect(text).toContain('\nNot counted (explain does not evaluate them):\n  app/db#tcp[0] via mesh: explain does not evaluate TCP routing');
  });

  it('a route read back from a Gateway API HTTPRoute is its rule, per Gateway; a rule with two matches is one item', () => {
    const objects = yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: edge }
spec:
  gatewayClassName: istio
  listeners:
    - { name: a, port: 80, protocol: HTTP, hostname: a.example.com, allowedRoutes: { namespaces: { from: All } } }
    - { name: b, port: 80, protocol: HTTP, hostname: b.example.com, allowedRoutes: { namespaces: { from: All } } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: app }
spec: { selector: { app: web }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: app }
spec:
  parentRefs: [{ name: gw, namespace: edge }]
  hostnames: [a.example.com, b.example.com]
  rules:
    - name: two
      matches: [{ path: { type: PathPrefix, value: /x } }, { path: { type: Exact, value: /yy } }]
      backendRefs: [{ name: web, port: 8080 }]
    - backendRefs: [{ name: web, port: 8080 }]
`);
    const edge = LoadedEdge.load(objects);
    // Istio orders the routes by precedence (the exact /yy first), and each names its rule.
    expect(['/yy', '/x/1', '/z'].map((path) => edge.explain({ host: 'a.example.com', path }).route?.id)).toEqual(['app/r#rules[0]', 'app/r#rules[0]', 'app/r#rules[1]']);
    const r = edge.coverage(edge.checkTable(parseRequestTable('requests:\n  - { name: yy, request: { host: b.example.com, path: /yy }, expect: { decision: routed } }\n')));
    expect(r.items.filter((i) => i.kind === 'route').map((i) => [i.id, i.via, i.covered])).toEqual([
      ['app/r#rules[0]', 'edge/gw', true], ['app/r#rules[1]', 'edge/gw', false],
    ]);
    expect(r.items[0].description).toBe('"two": uri = /yy or uri ~ /x(/.*)?');
  });

  it('the Istio form\'s route identity is the VirtualService, the protocol and the index', () => {
    const e = LoadedEdge.load(EDGE).explain({ host: 'example.com', path: '/' });
    expect(e.route).toEqual({ virtualService: 'app/web', id: 'app/web#http[1]', name: 'rest', index: 1 });
  });
});
