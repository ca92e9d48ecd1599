// The Kubernetes Gateway API form: converted from the same constructs, validated against the
// vendored v1.5.1 standard CRDs, and proven to route as the Istio form does (explain on both).
import { App, Chart, Duration } from 'cdk8s';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../apps/edge';
import { environments } from '../apps/environments';
import {
  analyze, AppRoute, validateAndAnalyze, Certificate, HttpMethod, IngressGateway, KubernetesObject, PathMatch, StringMatch, Traffic, VersionedService, GatewayWorkload,
} from '../lib';
import { gatewayApiCrdSchemas } from '../lib/analysis/schema/gateway-api-crd';
import { explainRequest, ExplainRequest, Explanation, parseRequestTable } from '../lib/explain';
import { GatewayApiOmission } from '../lib/gateway-api/convert';
import { UnmatchedPreflights } from '../lib/app-route';
import { gatewayApiToIstio } from '../lib/gateway-api/to-istio';
import { synthesizeApp, synthesizeGatewayApi } from '../lib/synth/synth';
import { expectValid } from './support/synth';

function shopApp(): App {
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'shop-gateway', {
    namespace: 'istio-ingress',
    hosts: ['shop.example.com', 'www.shop.example.com'],
    https: { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true },
  });
  const api = new VersionedService(chart, 'api', {
    namespace: 'shop', port: 8080,
    versions: [{ name: 'v1', image: 'x/api:1', replicas: 2 }, { name: 'v2', image: 'x/api:2', replicas: 2 }],
  });
  const web = new VersionedService(chart, 'web', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'x/web:1', replicas: 2 }] });
  gateway.addRoute('shop', {
    namespace: 'shop',
    routes: [
      {
        name: 'api',
        // Istio's pattern for an element-wise prefix: exactly /api, or below /api/.
        match: [{ path: PathMatch.exact('/api') }, { path: PathMatch.prefix('/api/') }],
        rewrite: { uri: '/' },
        to: Traffic.canary(api.version('v1'), api.version('v2'), { percent: 10, header: { name: 'x-canary', value: 'true' } }),
        timeout: Duration.seconds(10),
      },
      { name: 'login', match: [{ path: PathMatch.exact('/login'), method: HttpMethod.POST }], to: Traffic.to(web) },
      { name: 'old-shop', match: [{ path: PathMatch.exact('/old') }], redirect: { uri: '/new', code: 302 } },
      { name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')), headers: { response: { set: { 'x-edge': 'shop' } } } },
    ],
  });
  return app;
}

const objectsOf = (charts: ReadonlyArray<{ objects: KubernetesObject[] }>) => charts.flatMap((c) => c.objects);

/** The comparable part of an answer: a version Service of the Gateway API form stands for its subset. */
function outcome(e: Explanation, versionOf: (host: string) => { host: string; subset?: string }) {
  return {
    decision: e.decision,
    status: e.status,
    redirect: e.redirect,
    rewrite: e.rewrite,
    timeout: e.timeout,
    destinations: e.destinations.map((d) => {
      const v = versionOf(d.host);
      return { host: v.host, subset: d.subset ?? v.subset, port: d.port, weight: d.weight };
    }),
  };
}

const REQUESTS: ExplainRequest[] = [
  { host: 'shop.example.com', path: '/api/items', scheme: 'https' },
  { host: 'shop.example.com', path: '/api', scheme: 'https' },
  { host: 'shop.example.com', path: '/api/items', scheme: 'https', headers: { 'x-canary': 'true' } },
  { host: 'shop.example.com', path: '/apix', scheme: 'https' },
  { host: 'www.shop.example.com', path: '/login', method: 'POST', scheme: 'https' },
  { host: 'www.shop.example.com', path: '/login', method: 'GET', scheme: 'https' },
  { host: 'shop.example.com', path: '/old', scheme: 'https' },
  { host: 'shop.example.com', path: '/products/1', scheme: 'https' },
  { host: 'shop.example.com', path: '/api/items', scheme: 'http' },
  { host: 'other.example.com', path: '/', scheme: 'https' },
];

describe('the Gateway API form', () => {
  it('is a Gateway with a listener per server and host, HTTPRoutes, version Services, and Istio\'s deployment customized', async () => {
    const { charts, omitted } = synthesizeGatewayApi(shopApp());
    const objects = objectsOf(charts);
    expect(omitted).toEqual([]);
    const kinds = objects.map((o) => o.kind);
    expect(kinds).not.toContain('VirtualService');
    expect(objects.filter((o) => o.kind === 'Gateway').map((o) => o.apiVersion)).toEqual(['gateway.networking.k8s.io/v1']);
    // Istio deploys the gateway pods: our Deployment, LoadBalancer Service, HPA and PDB become overlays.
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata?.name === 'istio-ingressgateway')).toBe(false);
    const options = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'shop-gateway-gateway-options') as { data: Record<string, string> } | undefined;
    expect(Object.keys(options?.data ?? {}).sort()).toEqual(['deployment', 'horizontalPodAutoscaler', 'podDisruptionBudget', 'service']);
    expect(options?.data.horizontalPodAutoscaler).toContain('minReplicas: 2');
    expect(options?.data.deployment).toContain('gateway.networking.k8s.io/gateway-name: shop-gateway');
    const gw = objects.find((o) => o.kind === 'Gateway') as any;
    expect(gw.metadata.annotations).toEqual({ 'gateway.istio.io/name-override': 'istio-ingressgateway', 'gateway.istio.io/service-account': 'istio-ingressgateway' });
    expect(gw.spec.listeners.map((l: any) => `${l.name}:${l.port}`)).toEqual(['http-0:80', 'http-1:80', 'https-0:443', 'https-1:443']);
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata?.name === 'shop') as any;
    expect(route.spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https-0', 'https-1']);
    expect(route.spec.rules.map((r: any) => r.name)).toEqual(['api-canary-override', 'api', 'login', 'old-shop', 'web']);
    expect(route.spec.rules[1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
    expect(route.spec.rules[1].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'api-v1', port: 8080, weight: 90 },
      { group: '', kind: 'Service', name: 'api-v2', port: 8080, weight: 10 },
    ]);
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata?.name).sort()).toEqual(['api', 'api-v1', 'api-v2', 'web', 'web-v1']);
    // Cross-namespace: the route (shop) reaches nothing outside shop, so no grant is needed here.
    expect(kinds).not.toContain('ReferenceGrant');
  });

  it('validates against the Gateway API v1.5.1 CRDs (OpenAPI and CEL) and the published schemas', async () => {
    const objects = objectsOf(synthesizeGatewayApi(shopApp()).charts);
    expect(gatewayApiCrdSchemas().validate(objects)).toEqual([]);
    await expectValid(objects.filter((o) => !o.apiVersion.startsWith('gateway.networking.k8s.io/')));
  });

  it('routes every request as the Istio form does (explain on both forms)', () => {
    const istio = objectsOf(synthesizeApp(shopApp()));
    const gatewayApi = objectsOf(synthesizeGatewayApi(shopApp()).charts);
    const versions = new Map<string, { host: string; subset?: string }>();
    for (const o of gatewayApi) {
      const labels = o.metadata?.labels;
      if (o.kind === 'Service' && labels?.version) versions.set(String(o.metadata?.name), { host: labels.app, subset: labels.version });
      // A rollout's subsets (stable, canary) select by the app label alone: their Services are "<app>-<subset>".
      else if (o.kind === 'Service' && labels?.app && String(o.metadata?.name).startsWith(`${labels.app}-`)) {
        versions.set(String(o.metadata?.name), { host: labels.app, subset: String(o.metadata?.name).slice(labels.app.length + 1) });
      }
    }
    const short = (host: string) => host.split('.')[0];
    const read = gatewayApiToIstio(gatewayApi);
    for (const request of REQUESTS) {
      const a = explainRequest(istio, request);
      const b = explainRequest(read, request);
      expect(outcome(b, (h) => versions.get(short(h)) ?? { host: short(h) }), JSON.stringify(request))
        .toEqual(outcome(a, (h) => ({ host: short(h) })));
    }
    // The answers are real ones, not both "unknown".
    expect(explainRequest(istio, REQUESTS[0]).decision).toBe('routed');
    expect(explainRequest(read, REQUESTS[6]).decision).toBe('redirected');
  });

  it('what it cannot say is a named error with the route, the property and the alternative', () => {
    const make = (route: Parameters<IngressGateway['addRoute']>[1], workload?: GatewayWorkload) => {
      const app = new App();
      const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
      const gateway = new IngressGateway(chart, 'gw', { namespace: 'shop', hosts: ['a.example.com'], workload });
      const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'x/api:1' }] });
      gateway.addRoute('r', { ...route, routes: (route?.routes ?? []).map((r) => ({ ...r, to: r.redirect ? undefined : Traffic.to(api) })) });
      return app;
    };
    const error = (app: App, options = {}) => {
      try {
        synthesizeGatewayApi(app, options);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(error(make({ routes: [{ name: 'a', retries: { attempts: 3 } }] })))
      .toContain('edge/gw/r: invalid routes["a"].retries: received {"attempts":3}. HTTPRoute retries are not in the Gateway API v1.5 standard channel');
    expect(error(make({ routes: [{ name: 'a', retries: { attempts: 3 } }] }), { omit: [GatewayApiOmission.RETRIES] })).toBe('');
    expect(error(make({ routes: [{ name: 'a', fault: { abort: { httpStatus: 503, percent: 1 } } }] }))).toContain('invalid routes["a"].fault');
    expect(error(make({ routes: [{ name: 'a', match: [{ path: PathMatch.prefix('/api') }], rewrite: { uri: '/' } }] })))
      .toContain('invalid routes["a"].rewrite.uriRegexRewrite: received {"match":"^/api/?","rewrite":"/"}. The Gateway API has no regex rewrite');
    expect(error(make({ routes: [{ name: 'a', match: [{ path: PathMatch.prefix('/api'), ignoreUriCase: true }] }] })))
      .toContain('invalid routes["a"].match[0].ignoreUriCase: received true. The Gateway API has no ignoreUriCase match');
    // Istio ranks Gateway API rules by precedence: a catch-all prefix "/" would come before a regex.
    expect(error(make({ routes: [{ name: 'api', match: [{ path: PathMatch.prefix('/api') }] }, { name: 'all', match: [{ path: PathMatch.prefix('/') }] }] })))
      .toContain('invalid routes["all"]: received "all". Istio orders Gateway API rules by precedence');
    expect(error(make({ routes: [{ name: 'a' }] }, GatewayWorkload.aksAddon())))
      .toContain('edge/gw: invalid workload: received {"istio":"aks-istio-ingressgateway-external"}. In the Gateway API form Istio deploys the gateway pods itself');
    expect(error(make({ routes: [{ name: 'a', match: [{ headers: { 'x-a': StringMatch.prefix('b') } }] }] }))).toBe('');
    // A rule without matches is defaulted to PathPrefix "/" by the API server, which istiod ranks before any regex.
    expect(error(make({ routes: [{ name: 'one', match: [{ path: PathMatch.prefix('/one') }] }, { name: 'rest' }] })))
      .toContain('invalid routes["rest"]: received "rest". Istio orders Gateway API rules by precedence');
  });

  it('CORS: unmatched preflights forwarded (Istio\'s default) are a named error; IGNORE, what istiod gives a Gateway API CORS filter, converts', () => {
    const make = (unmatchedPreflights?: UnmatchedPreflights) => {
      const app = new App();
      const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
      const gateway = new IngressGateway(chart, 'gw', { namespace: 'shop', hosts: ['a.example.com'] });
      const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'x/api:1' }] });
      gateway.addRoute('r', { routes: [{ name: 'a', to: Traffic.to(api), cors: { allowOrigins: [StringMatch.exact('https://a.example.com')], unmatchedPreflights } }] });
      return app;
    };
    expect(() => synthesizeGatewayApi(make())).toThrow(
      /edge\/gw\/r: invalid routes\["a"\]\.cors\.unmatchedPreflights: received "FORWARD \(Istio's default\)"\. Istio answers CORS preflights .* set cors\.unmatchedPreflights to UnmatchedPreflights\.IGNORE, or keep the Istio form\. Or allow the omission: omit: \[GatewayApiOmission\.UNMATCHED_PREFLIGHTS\]/);
    expect(() => synthesizeGatewayApi(make(UnmatchedPreflights.FORWARD))).toThrow(/invalid routes\["a"\]\.cors\.unmatchedPreflights: received "FORWARD"/);
    expect(synthesizeGatewayApi(make(), { omit: [GatewayApiOmission.UNMATCHED_PREFLIGHTS] }).omitted).toEqual(['edge/gw/r: routes["a"].cors.unmatchedPreflights left out (Gateway API has no standard field for it)']);
    const objects = objectsOf(synthesizeGatewayApi(make(UnmatchedPreflights.IGNORE)).charts);
    const filter = (objects.find((o) => o.kind === 'HTTPRoute') as any).spec.rules[0].filters[0];
    expect(filter).toEqual({ type: 'CORS', cors: { allowOrigins: ['https://a.example.com'] } });
    // Read back as istiod reads it: the same policy as the Istio form's.
    const read = gatewayApiToIstio(objects).find((o) => o.kind === 'VirtualService') as any;
    const istio = objectsOf(synthesizeApp(make(UnmatchedPreflights.IGNORE))).find((o) => o.kind === 'VirtualService') as any;
    expect(read.spec.http[0].corsPolicy).toMatchObject(istio.spec.http[0].corsPolicy);
  });

  it('objects that selected the Istio form\'s gateway pods select the pods Istio deploys for the Gateway, and rate-limit route patches name its listeners', () => {
    const istio = objectsOf(synthesizeApp(buildEdgeApp(environments.prod)));
    const objects = objectsOf(synthesizeGatewayApi(buildEdgeApp(environments.prod), { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] }).charts);
    const own = { 'gateway.networking.k8s.io/gateway-name': 'shop-gateway' };
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;
    const ratelimit = find('EnvoyFilter', 'istio-ingressgateway-ratelimit');
    expect(ratelimit.spec.workloadSelector).toEqual({ labels: own });
    expect(find('EnvoyFilter', 'istio-ingressgateway-local-ratelimit').spec.workloadSelector).toEqual({ labels: own });
    // istiod names the route configuration of an HTTPS listener after the Gateway it builds for that listener.
    const listeners = (find('Gateway', 'shop-gateway').spec.listeners as Array<{ name: string; protocol: string }>).filter((l) => l.protocol === 'HTTPS').map((l) => l.name);
    expect(listeners.length).toBeGreaterThan(0);
    const routePatches = ratelimit.spec.configPatches.filter((p: any) => p.applyTo === 'HTTP_ROUTE');
    const istioRoutePatches = (istio.find((o) => o.metadata?.name === 'istio-ingressgateway-ratelimit') as any).spec.configPatches.filter((p: any) => p.applyTo === 'HTTP_ROUTE');
    expect(routePatches.map((p: any) => p.match.routeConfiguration.gateway)).toEqual(
      istioRoutePatches.flatMap(() => listeners.map((l) => `istio-ingress/shop-gateway~istio-autogenerated-k8s-gateway~${l}`)));
    expect(routePatches.map((p: any) => p.match.routeConfiguration.vhost)).toEqual(istioRoutePatches.flatMap((p: any) => listeners.map(() => p.match.routeConfiguration.vhost)));
    for (const [kind, name] of [['AuthorizationPolicy', 'istio-ingressgateway-block-admin'], ['RequestAuthentication', 'istio-ingressgateway-orders-jwt'],
      ['AuthorizationPolicy', 'istio-ingressgateway-orders-jwt'], ['Telemetry', 'istio-ingressgateway-access-logs'], ['PodMonitor', 'istio-ingressgateway-envoy-stats']]) {
      expect(find(kind, name).spec.selector, `${kind} ${name}`).toEqual({ matchLabels: own });
    }
    const fromGateways = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'allow-from-gateways') as any[];
    expect(fromGateways.length).toBeGreaterThan(0);
    for (const np of fromGateways) expect(np.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: own });
    // Nothing else in the output still selects by the Istio form's selector alone.
    const left = objects.filter((o) => JSON.stringify(o.spec ?? {}).includes('"istio":"ingressgateway"') && o.kind !== 'Gateway' && o.kind !== 'ConfigMap');
    expect(left.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual([]);
  });
});

describe('Istio\'s bookinfo Gateway API sample, re-expressed with the constructs', () => {
  // samples/bookinfo/gateway-api/bookinfo-gateway.yaml: a Gateway "bookinfo-gateway" of class istio
  // with one HTTP listener on 80, and an HTTPRoute "bookinfo" sending /productpage (exact),
  // /static (prefix), /login, /logout (exact) and /api/v1/products (prefix) to productpage:9080.
  it('gives the sample\'s Gateway and HTTPRoute', () => {
    const app = new App();
    const chart = new Chart(app, 'bookinfo', { disableResourceNameHashes: true });
    const gateway = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'default', hosts: ['*'] });
    const productpage = new VersionedService(chart, 'productpage', { namespace: 'default', port: 9080, versions: [{ name: 'v1', image: 'docker.io/istio/examples-bookinfo-productpage-v1:1.20.3' }] });
    const elementPrefix = (p: string) => [{ path: PathMatch.exact(p) }, { path: PathMatch.prefix(`${p}/`) }];
    gateway.addRoute('bookinfo', {
      namespace: 'default',
      routes: [{
        name: 'productpage',
        match: [
          { path: PathMatch.exact('/productpage') }, ...elementPrefix('/static'), { path: PathMatch.exact('/login') },
          { path: PathMatch.exact('/logout') }, ...elementPrefix('/api/v1/products'),
        ],
        to: Traffic.to(productpage),
      }],
    });
    const objects = objectsOf(synthesizeGatewayApi(app).charts);
    const gw = objects.find((o) => o.kind === 'Gateway') as any;
    expect(gw.spec.gatewayClassName).toBe('istio');
    expect(gw.spec.listeners).toEqual([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]);
    const route = objects.find((o) => o.kind === 'HTTPRoute') as any;
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }],
      rules: [{
        name: 'productpage',
        matches: [
          { path: { type: 'Exact', value: '/productpage' } },
          { path: { type: 'PathPrefix', value: '/static' } },
          { path: { type: 'Exact', value: '/login' } },
          { path: { type: 'Exact', value: '/logout' } },
          { path: { type: 'PathPrefix', value: '/api/v1/products' } },
        ],
        backendRefs: [{ group: '', kind: 'Service', name: 'productpage', port: 9080 }],
      }],
    });
    expect(gatewayApiCrdSchemas().validate(objects)).toEqual([]);
  });
});

describe('analysis of the Gateway API form', () => {
  const gateway = (listeners: object[], name = 'gw', namespace = 'edge') => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'istio', listeners },
  });
  const http = (name: string, hostname?: string, from = 'All') => ({ name, port: 80, protocol: 'HTTP', hostname, allowedRoutes: { namespaces: { from } } });
  const service = (name: string, namespace = 'shop', port = 8080) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ port }] } });
  const route = (spec: object, namespace = 'shop') => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace }, spec });
  const parent = (extra: object = {}) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'edge', ...extra });
  const backend = (extra: object = {}) => ({ group: '', kind: 'Service', name: 'api', port: 8080, ...extra });
  const findings = (objects: object[]) => analyze(objects as KubernetesObject[]).filter((f) => f.check.startsWith('GatewayApi')).map((f) => `${f.check} ${f.field}`);
  const good = [gateway([http('http', 'a.example.com')]), service('api'), route({ parentRefs: [parent()], hostnames: ['a.example.com'], rules: [{ backendRefs: [backend()] }] })];

  it('a well-formed edge has no finding', () => {
    expect(findings(good)).toEqual([]);
  });

  it('GatewayApiParentRefNotFound: a missing Gateway, listener, or a namespace the listener does not admit', () => {
    expect(findings([good[0], good[1], route({ parentRefs: [parent({ name: 'gw2' })], rules: [{ backendRefs: [backend()] }] })])).toEqual(['GatewayApiParentRefNotFound spec.parentRefs[0]']);
    expect(findings([good[0], good[1], route({ parentRefs: [parent({ sectionName: 'https' })], rules: [{ backendRefs: [backend()] }] })])).toEqual(['GatewayApiParentRefNotFound spec.parentRefs[0].sectionName']);
    expect(findings([gateway([http('http', undefined, 'Same')]), good[1], route({ parentRefs: [parent()], rules: [{ backendRefs: [backend()] }] })])).toEqual(['GatewayApiParentRefNotFound spec.parentRefs[0]']);
  });

  it('GatewayApiHostnameNotAccepted: a hostname no listener accepts', () => {
    expect(findings([good[0], good[1], route({ parentRefs: [parent()], hostnames: ['b.example.com'], rules: [{ backendRefs: [backend()] }] })])).toEqual(['GatewayApiHostnameNotAccepted spec.hostnames[0]']);
    expect(findings([gateway([http('http', '*.example.com')]), good[1], route({ parentRefs: [parent()], hostnames: ['b.example.com'], rules: [{ backendRefs: [backend()] }] })])).toEqual([]);
  });

  it('GatewayApiBackendNotFound: a missing Service or port', () => {
    expect(findings([good[0], good[1], route({ parentRefs: [parent()], rules: [{ backendRefs: [backend({ name: 'apx' })] }] })])).toEqual(['GatewayApiBackendNotFound spec.rules[0].backendRefs[0]']);
    expect(findings([good[0], good[1], route({ parentRefs: [parent()], rules: [{ backendRefs: [backend({ port: 9090 })] }] })])).toEqual(['GatewayApiBackendNotFound spec.rules[0].backendRefs[0].port']);
  });

  it('GatewayApiReferenceNotPermitted: a backend in another namespace without a ReferenceGrant', () => {
    const cross = route({ parentRefs: [parent()], rules: [{ backendRefs: [backend({ namespace: 'shop' })] }] }, 'edge');
    expect(findings([good[0], good[1], cross])).toEqual(['GatewayApiReferenceNotPermitted spec.rules[0].backendRefs[0]']);
    const grant = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'shop' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service', name: 'api' }] },
    };
    expect(findings([good[0], good[1], cross, grant])).toEqual([]);
  });

  it('GatewayApiConflictingListeners: same port and hostname, or protocols that cannot share a port', () => {
    expect(findings([gateway([http('a', 'a.example.com'), http('b', 'a.example.com')])])).toEqual(['GatewayApiConflictingListeners spec.listeners[1]']);
    expect(findings([gateway([http('a', 'a.example.com'), { name: 'b', port: 80, protocol: 'TCP' }])])).toEqual(['GatewayApiConflictingListeners spec.listeners[1].protocol']);
    expect(findings([gateway([http('a', 'a.example.com'), http('b', 'b.example.com')])])).toEqual([]);
  });

  it('GatewayApiAllWeightsZero: every backend of a rule at weight 0', () => {
    expect(findings([good[0], good[1], route({ parentRefs: [parent()], rules: [{ backendRefs: [backend({ weight: 0 })] }] })])).toEqual(['GatewayApiAllWeightsZero spec.rules[0].backendRefs']);
    expect(findings([good[0], good[1], route({ parentRefs: [parent()], rules: [{ backendRefs: [backend({ weight: 0 }), backend({ weight: 1 })] }] })])).toEqual([]);
  });

  it('the converted shop edge validates and analyzes clean, in production mode', async () => {
    const objects = objectsOf(synthesizeGatewayApi(shopApp()).charts);
    expect((await validateAndAnalyze(objects, { production: true })).map((f) => `${f.check} ${f.object} ${f.message}`)).toEqual([]);
  });
});

describe('the example in both forms', () => {
  it.each(['dev', 'prod'] as const)('%s: validates and analyzes clean, and every request of its table routes the same on both forms', async (name) => {
    const env = environments[name];
    const istio = objectsOf(synthesizeApp(buildEdgeApp(env)));
    const gatewayApi = objectsOf(synthesizeGatewayApi(buildEdgeApp(env), { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] }).charts);
    expect((await validateAndAnalyze(gatewayApi, { production: env.production, zones: env.zones })).map((f) => `${f.check} ${f.object} ${f.message}`)).toEqual([]);
    const versions = new Map<string, { host: string; subset?: string }>();
    for (const o of gatewayApi) {
      const labels = o.metadata?.labels;
      if (o.kind === 'Service' && labels?.version) versions.set(String(o.metadata?.name), { host: labels.app, subset: labels.version });
      // A rollout's subsets (stable, canary) select by the app label alone: their Services are "<app>-<subset>".
      else if (o.kind === 'Service' && labels?.app && String(o.metadata?.name).startsWith(`${labels.app}-`)) {
        versions.set(String(o.metadata?.name), { host: labels.app, subset: String(o.metadata?.name).slice(labels.app.length + 1) });
      }
    }
    const short = (host: string) => host.split('.')[0];
    const read = gatewayApiToIstio(gatewayApi);
    const cases = parseRequestTable(readFileSync(`apps/requests/${name}.yaml`, 'utf8'));
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const a = explainRequest(istio, c.request);
      const b = explainRequest(read, c.request);
      expect(outcome(b, (h) => versions.get(short(h)) ?? { host: short(h) }), c.name).toEqual(outcome(a, (h) => ({ host: short(h) })));
      expect(b.jwt.required, c.name).toEqual(a.jwt.required);
    }
  });

  it('without the retries omission, the example\'s explicit retries are a named error', () => {
    expect(() => synthesizeGatewayApi(buildEdgeApp(environments.prod))).toThrow(/invalid routes\["orders"\]\.retries: received .*HTTPRoute retries are not in the Gateway API v1\.5 standard channel/);
  });
});

describe('Istio\'s bookinfo Gateway API mesh samples (GAMMA), re-expressed with the constructs', () => {
  // samples/bookinfo/gateway-api/route-reviews-v1.yaml: an HTTPRoute "reviews" whose parent is the
  // Service reviews (port 9080), sending everything to reviews-v1; route-reviews-50-v3.yaml: 50/50
  // between reviews-v1 and reviews-v3.
  const reviewsApp = (to: (reviews: VersionedService) => Traffic) => {
    const app = new App();
    const chart = new Chart(app, 'bookinfo', { disableResourceNameHashes: true, namespace: 'default' });
    const reviews = new VersionedService(chart, 'reviews', {
      namespace: 'default', port: 9080, versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3` })),
    });
    new AppRoute(chart, 'reviews-route', { name: 'reviews', namespace: 'default', routes: [{ name: 'reviews', to: to(reviews) }] });
    return app;
  };
  const route = (app: App) => objectsOf(synthesizeGatewayApi(app).charts).find((o) => o.kind === 'HTTPRoute') as any;

  it('route-reviews-v1: the Service is the parent, everything to reviews-v1', () => {
    const app = reviewsApp((r) => Traffic.to(r.version('v1')));
    expect(route(app).spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }],
      rules: [{ name: 'reviews', backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v1', port: 9080 }] }],
    });
    const objects = objectsOf(synthesizeGatewayApi(reviewsApp((r) => Traffic.to(r.version('v1')))).charts);
    expect(gatewayApiCrdSchemas().validate(objects)).toEqual([]);
    // The version Service selects the version's pods, as the sample's reviews-v1 Service does.
    expect((objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'reviews-v1') as any).spec.selector).toEqual({ app: 'reviews', version: 'v1' });
  });

  it('route-reviews-50-v3: 50/50 between reviews-v1 and reviews-v3, and explain agrees on both forms for a mesh request', () => {
    const app = () => reviewsApp((r) => Traffic.split([{ to: r.version('v1'), weight: 50 }, { to: r.version('v3'), weight: 50 }]));
    expect(route(app()).spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'reviews-v1', port: 9080, weight: 50 },
      { group: '', kind: 'Service', name: 'reviews-v3', port: 9080, weight: 50 },
    ]);
    const request = { host: 'reviews', path: '/reviews/0', source: { namespace: 'default', labels: { app: 'productpage' } } };
    const a = explainRequest(objectsOf(synthesizeApp(app())), request);
    const b = explainRequest(gatewayApiToIstio(objectsOf(synthesizeGatewayApi(app()).charts)), request);
    expect(a.destinations.map((d) => [d.subset, d.weight])).toEqual([['v1', 50], ['v3', 50]]);
    expect(b.destinations.map((d) => [d.host.split('.')[0], d.weight])).toEqual([['reviews-v1', 50], ['reviews-v3', 50]]);
    expect(b.decision).toBe(a.decision);
  });
});
