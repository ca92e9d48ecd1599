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
