import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppRoute, checkIstioPromql, GatewayApiOmission, promqlReferences, promqlSyntaxErrors, IngressGateway, PathMatch, ProgressiveRollout, PrometheusSource, RolloutGate, RolloutStep, synthesizeGatewayApi, Traffic, validateAndAnalyze, VersionedService,
} from '../lib';
import type { App } from 'cdk8s';
import type { KubernetesObject } from '../lib';
import { all, expectProblem, find, newChart, synth, synthValid } from './support/synth';

const AZURE = PrometheusSource.azureManaged({
  queryEndpoint: 'https://amw-shop.westeurope.prometheus.monitor.azure.com',
  tenantId: '00000000-0000-0000-0000-000000000000',
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: { secretName: 'rollouts-prometheus' },
});

const success = RolloutGate.successRate({ minimum: 0.99 });
const latency = RolloutGate.latency({ maximumMs: 500 });
const gatewayErrors = RolloutGate.gatewayErrors({ maximumRatio: 0.02 });

/** A gateway, a service rolled out progressively, and a route with everything a route can say. */
function edge(steps: RolloutStep[], options: { plainRoute?: boolean; otherRoute?: boolean } = {}) {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'gw', { namespace: 'istio-ingress', hosts: ['shop.example.com'] });
  const api = new VersionedService(chart, 'api', { namespace: 'shop' });
  const web = new VersionedService(chart, 'web', { namespace: 'shop', versions: [{ name: 'v1', image: 'web:1' }] });
  const rollout = new ProgressiveRollout(chart, 'api-rollout', {
    service: api,
    version: { name: 'v2', image: 'ghcr.io/acme/api:1.5.0', autoscaling: { minReplicas: 3, maxReplicas: 10 } },
    prometheus: AZURE,
    steps,
  });
  gateway.addRoute('shop', {
    namespace: 'shop',
    routes: [
      options.plainRoute
        ? { name: 'api', to: rollout.traffic() }
        : {
          name: 'api',
          match: [{ path: PathMatch.exact('/api') }, { path: PathMatch.prefix('/api/') }],
          rewrite: { uriRegex: { match: '^/api/?', rewrite: '/' } },
          retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx'] },
          timeout: Duration.seconds(10),
          headers: { request: { set: { 'x-edge': 'shop' } } },
          to: rollout.traffic({ header: { name: 'x-canary', value: 'true' } }),
        },
      ...(options.otherRoute === false || options.plainRoute ? [] : [{ name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')) }]),
    ],
  });
  return { chart, rollout };
}

const STEPS = [
  RolloutStep.setWeight(10),
  RolloutStep.gate(success, latency, gatewayErrors),
  RolloutStep.setWeight(25),
  RolloutStep.pause(Duration.minutes(5)),
  RolloutStep.gate(success, latency),
  RolloutStep.setWeight(50),
  RolloutStep.pause(),
];

/**
 * What Argo Rollouts v1.9.1 does to the VirtualService at a setWeight step (rollout/trafficrouting/
 * istio/istio.go, processRoutes): in each HTTP route the Rollout names, the weight of the canary
 * subset's destination becomes the step's weight and the stable's the rest; nothing else changes.
 */
function atWeight(vs: KubernetesObject, rollout: KubernetesObject, weight: number): KubernetesObject {
  const istio = (rollout.spec as any).strategy.canary.trafficRouting.istio;
  const names: string[] = istio.virtualServices.flatMap((v: any) => v.routes);
  const copy = structuredClone(vs) as any;
  for (const http of copy.spec.http) {
    if (!names.includes(http.name)) continue;
    for (const d of http.route) {
      if (d.destination.subset === istio.destinationRule.canarySubsetName) d.weight = weight;
      if (d.destination.subset === istio.destinationRule.stableSubsetName) d.weight = 100 - weight;
    }
  }
  return copy;
}

/** The CEL-free subset of Argo Rollouts' expr language the gates use, evaluated as Argo does (utils/evaluate). */
function phase(metric: { successCondition: string; failureCondition: string }, result: number[]): 'Successful' | 'Failed' | 'Inconclusive' | 'Error' {
  // expr fails on an index out of range (a measurement Error; consecutiveErrorLimit of them abort the rollout).
  const list = new Proxy(result, {
    get: (t, p) => {
      if (typeof p === 'string' && /^\d+$/.test(p) && Number(p) >= t.length) throw new Error(`index out of range: ${p} (array length: ${t.length})`);
      return Reflect.get(t, p) as unknown;
    },
  });
  const run = (cond: string) => new Function('len', 'isNaN', 'result', `return ${cond};`)((x: unknown[]) => x.length, Number.isNaN, list) as boolean;
  try {
    const ok = run(metric.successCondition);
    const bad = run(metric.failureCondition);
    return bad ? 'Failed' : ok ? 'Successful' : 'Inconclusive';
  } catch {
    return 'Error';
  }
}

describe('ProgressiveRollout', () => {
  it('writes an Argo Rollouts Rollout over the route\'s VirtualService and the service\'s DestinationRule, valid against the v1.9.1 CRDs', async () => {
    const objects = await synthValid(edge(STEPS).chart);
    const rollout = find(objects, 'Rollout', 'api');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({
      istio: {
        virtualServices: [{ name: 'shop', routes: ['api'] }],
        destinationRule: { name: 'api', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 10 },
      { analysis: { templates: [{ templateName: 'api-success-rate' }, { templateName: 'api-latency-p95' }, { templateName: 'api-gateway-errors' }] } },
      { setWeight: 25 },
      { pause: { duration: '5m' } },
      { analysis: { templates: [{ templateName: 'api-success-rate' }, { templateName: 'api-latency-p95' }] } },
      { setWeight: 50 },
      { pause: {} },
    ]);
    // The Rollout owns the pod template: the version label, the zone spread; the autoscaler targets it.
    expect(rollout.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(rollout.spec.template.metadata.labels).toEqual({ app: 'api', version: 'v2' });
    expect(rollout.spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(all(objects, 'Deployment').map((d) => d.metadata.name)).not.toContain('api-v2');
    // The subsets select the app; the controller adds rollouts-pod-template-hash.
    expect(find(objects, 'DestinationRule', 'api').spec.subsets).toEqual([
      { name: 'stable', labels: { app: 'api' } }, { name: 'canary', labels: { app: 'api' } },
    ]);
    // The route has exactly the stable and canary destinations (100/0); the header pin goes to the canary.
    const vs = find(objects, 'VirtualService', 'shop');
    expect(vs.spec.http.map((h: any) => h.name)).toEqual(['api-canary-override', 'api', 'web']);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', 100], ['canary', 0]]);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'api', subset: 'canary', port: { number: 8080 } } }]);
    // One AnalysisTemplate per gate, shared by the steps that run it.
    expect(all(objects, 'AnalysisTemplate').map((t) => t.metadata.name)).toEqual(['api-success-rate', 'api-latency-p95', 'api-gateway-errors']);
  });

  it('analysis: the Rollout, its templates and its pods raise no finding (no unknown kind, subsets select the Rollout\'s pods)', async () => {
    const objects = synth(edge(STEPS).chart);
    const findings = await validateAndAnalyze(objects);
    // STEPS end in a pause without duration: the one finding is the INFO that says the canary waits there for a person.
    expect(findings.filter((f) => /Rollout|AnalysisTemplate|DestinationRule|HorizontalPodAutoscaler|PodDisruptionBudget/.test(f.object) || f.check.startsWith('Schema'))
      .map((f) => `${f.severity} ${f.check} ${f.object}`)).toEqual(['info RolloutStepsWaitForPromotion Rollout shop/api']);
  });

  it('nothing the route says is lost at any step: the controller\'s weights change, the rest of the VirtualService does not', () => {
    const objects = synth(edge(STEPS).chart);
    const vs = find(objects, 'VirtualService', 'shop');
    const rollout = find(objects, 'Rollout', 'api');
    const weights = rollout.spec.strategy.canary.steps.filter((s: any) => s.setWeight !== undefined).map((s: any) => s.setWeight);
    for (const weight of [...weights, 100]) {
      const at = atWeight(vs, rollout, weight) as any;
      const api = at.spec.http.find((h: any) => h.name === 'api');
      expect(api.route.map((r: any) => r.weight)).toEqual([100 - weight, weight]);
      // Everything but the weights is what the construct wrote.
      const strip = (v: any) => ({ ...v, spec: { ...v.spec, http: v.spec.http.map((h: any) => ({ ...h, route: h.route.map((r: any) => ({ destination: r.destination })) })) } });
      expect(strip(at)).toEqual(strip(vs));
      expect(api.rewrite).toEqual({ uriRegexRewrite: { match: '^/api/?', rewrite: '/' } });
      expect(api.retries).toMatchObject({ attempts: 3 });
      expect(api.timeout).toBe('10s');
      // The header pin is a route of its own, with the route's match, rewrite, retries and timeout.
      const pin = at.spec.http.find((h: any) => h.name === 'api-canary-override');
      expect(pin).toMatchObject({ rewrite: api.rewrite, retries: api.retries, timeout: '10s', headers: api.headers });
      expect(pin.match).toEqual(api.match.map((m: any) => ({ ...m, headers: { 'x-canary': { exact: 'true' } } })));
    }
  });

  it('refuses the controller\'s header route where it would drop the route\'s match, rewrite, retries and timeout (argo-rollouts #3155, #3879)', () => {
    const { chart } = edge([RolloutStep.setWeight(10), RolloutStep.headerRoute({ header: 'x-tester', value: 'yes' }), RolloutStep.setWeight(50)], { otherRoute: false });
    expect(() => synth(chart)).toThrow(/test\/api-rollout: invalid steps\[1\]: received "x-tester-canary"\. The controller's header route would carry none of the match, rewrite, retries, timeout, headers of route "api"/);
  });

  it('refuses a mirror step when the VirtualService has other routes the controller\'s route would capture', () => {
    const { chart } = edge([RolloutStep.mirror({ percent: 20 }), RolloutStep.setWeight(50)]);
    expect(() => synth(chart)).toThrow(/invalid steps\[0\]: received "mirror-canary"\. The controller puts its mirror route first in VirtualService shop\/shop, matching every path, so the requests of its route "api-canary-override"/);
  });

  it('near miss: on a route with nothing to lose, header and mirror steps become managed routes', async () => {
    const { chart } = edge([RolloutStep.headerRoute({ header: 'x-tester', value: 'yes' }), RolloutStep.mirror({ percent: 20 }), RolloutStep.setWeight(50)], { plainRoute: true });
    const objects = await synthValid(chart);
    const rollout = find(objects, 'Rollout', 'api');
    expect(rollout.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'x-tester-canary' }, { name: 'mirror-canary' }]);
    expect(rollout.spec.strategy.canary.steps.slice(0, 2)).toEqual([
      { setHeaderRoute: { name: 'x-tester-canary', match: [{ headerName: 'x-tester', headerValue: { exact: 'yes' } }] } },
      { setMirrorRoute: { name: 'mirror-canary', percentage: 20 } },
    ]);
  });

  it('gates: the edge\'s PromQL for one version, a minimum-traffic guard, and too little traffic is inconclusive (not a pass, not a halt)', () => {
    const objects = synth(edge(STEPS).chart);
    const template = find(objects, 'AnalysisTemplate', 'api-success-rate');
    const metric = template.spec.metrics[0];
    expect(metric).toMatchObject({ name: 'success-rate', interval: '1m', count: 5, failureLimit: 1, inconclusiveLimit: 2 });
    expect(metric.provider.prometheus.query).toContain('destination_version="v2"');
    expect(metric.provider.prometheus.query).toMatch(/and on\(\)\n\(sum\(increase\(istio_requests_total\{[^}]*\}\[5m\]\)\) >= 50\)$/);
    expect(checkIstioPromql(metric.provider.prometheus.query)).toEqual([]);
    // As Argo Rollouts judges a measurement (utils/evaluate: Failed if failureCondition, else Successful if successCondition, else Inconclusive).
    expect(phase(metric, [])).toBe('Inconclusive');
    expect(phase(metric, [NaN])).toBe('Inconclusive');
    expect(phase(metric, [0.995])).toBe('Successful');
    expect(phase(metric, [0.9])).toBe('Failed');
    const gw = find(objects, 'AnalysisTemplate', 'api-gateway-errors').spec.metrics[0];
    expect(gw.provider.prometheus.query).toContain('reporter="source", source_workload="istio-ingressgateway", source_workload_namespace="istio-ingress"');
    expect(gw.provider.prometheus.query).toContain('response_code=~"5..|429"');
    expect(phase(gw, [0.05])).toBe('Failed');
    // Azure Managed Prometheus: OAuth2 client credentials, the secret through an argument from a Secret.
    expect(template.spec.args).toEqual([{ name: 'prometheus-client-secret', valueFrom: { secretKeyRef: { name: 'rollouts-prometheus', key: 'client-secret' } } }]);
    expect(metric.provider.prometheus.authentication.oauth2).toEqual({
      tokenUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token',
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: '{{args.prometheus-client-secret}}',
      scopes: ['https://prometheus.monitor.azure.com/.default'],
    });
  });

  it('PromQL checks: Prometheus\' grammar, Istio\'s metric names and labels', () => {
    expect(checkIstioPromql('sum(rate(istio_requests_total{reporter="destination", destination_version="v2"}[5m]))')).toEqual([]);
    expect(checkIstioPromql('sum(rate(istio_requests_total{reporter="destination"}[5m])').map((p) => p.message)).toEqual([expect.stringMatching(/^syntax error/)]);
    expect(checkIstioPromql('sum(rate(istio_request_total{destination_svc="api"}[5m]))').map((p) => p.message)).toEqual([
      expect.stringMatching(/"istio_request_total" is not a metric the edge's Istio telemetry produces/),
      expect.stringMatching(/"destination_svc" is not a label of the edge's Istio metrics/),
    ]);
    expect(checkIstioPromql('istio_requests_total{reporter="client"}').map((p) => p.message)).toEqual([expect.stringMatching(/reporter="client" is never written/)]);
    expect(checkIstioPromql('sum by (version) (istio_requests_total)').map((p) => p.message)).toEqual([expect.stringMatching(/"version" is not a label/)]);
  });

  it('reads each PromQL expression once: the same answers every time, whatever a caller does with them, past the expressions kept', () => {
    const bad = 'sum(rate(istio_requests_total{reporter="destination"}[5m])';
    const syntax = promqlSyntaxErrors(bad);
    syntax.length = 0;
    expect(promqlSyntaxErrors(bad)).toEqual([{ at: expect.any(Number), message: expect.stringMatching(/^syntax error/) }]);
    const refs = promqlReferences('sum by (destination_version) (rate(istio_requests_total{reporter="destination"}[5m]))');
    (refs.metrics as unknown[]).length = 0;
    // More distinct expressions than are kept: the first ones are read again, with the same answers.
    for (let i = 0; i < 300; i++) expect(promqlReferences(`istio_requests_total{response_code="${i}"}`).labels[0].value).toBe(String(i));
    for (const r of [promqlReferences('sum by (destination_version) (rate(istio_requests_total{reporter="destination"}[5m]))'), refs]) {
      expect(r.labels.map((l) => [l.name, l.value])).toEqual([['destination_version', undefined], ['reporter', 'destination']]);
    }
    expect(promqlReferences('sum by (destination_version) (rate(istio_requests_total{reporter="destination"}[5m]))').metrics.map((m) => m.name)).toEqual(['istio_requests_total']);
    expect(promqlSyntaxErrors(bad)).toHaveLength(1);
  });

  it('named errors: TCP routes, other versions beside the Rollout, no route, a gate that could pass on no data, a bad Azure source', () => {
    const chart = newChart();
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    new ProgressiveRollout(chart, 'r', { service: api, version: { name: 'v2', image: 'api:2' }, steps: [RolloutStep.setWeight(20)] });
    const message = (() => {
      try {
        synth(chart);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('test/api: invalid versions: received [v1, v2]. Version "v2" is rolled out progressively (test/r)');
    expect(message).toContain('test/r: invalid traffic: received []. No route sends traffic through the rollout');

    const tcp = newChart();
    const svc = new VersionedService(tcp, 'db', { namespace: 'shop' });
    const r = new ProgressiveRollout(tcp, 'r', { service: svc, version: { name: 'v2', image: 'db:2' }, steps: [RolloutStep.setWeight(20)] });
    expectProblem(() => new AppRoute(tcp, 'route', { tcpRoutes: [{ to: r.traffic() }] }), 'test/route', 'tcpRoutes[0].to', '"test/r"', /shifts the weights of HTTP routes/);

    expectProblem(() => RolloutGate.successRate({ minimum: 0.99, count: 3, inconclusiveLimit: 3 }), 'RolloutGate.successRate', 'inconclusiveLimit', '3', /could pass on no data/);
    expectProblem(() => RolloutGate.latency({ maximumMs: -1 }), 'RolloutGate.latency', 'maximumMs', '-1', /highest latency/);
    expectProblem(() => PrometheusSource.azureManaged({ queryEndpoint: 'http://x.example.com', tenantId: 't', clientId: 'c', clientSecret: { secretName: 's' } }),
      'PrometheusSource.azureManaged', 'queryEndpoint', '"http://x.example.com"', /https/);
    expectProblem(() => RolloutStep.setWeight(120), 'RolloutStep.setWeight', 'percent', '120', /whole percentage/);
    expectProblem(() => RolloutStep.gate(RolloutGate.latency({ maximumMs: 1 }), RolloutGate.latency({ maximumMs: 2 })), 'RolloutStep.gate', 'gates', '["latency-p95","latency-p95"]', /another name/);
  });

  it('the Gateway API form refuses the Istio traffic routing by name, or (omitted) keeps the Rollout on the version Services, and says so', () => {
    const app = () => edge(STEPS).chart.node.root as App;
    expect(() => synthesizeGatewayApi(app(), { omit: [GatewayApiOmission.RETRIES] }))
      .toThrow(/test\/api\/v2: invalid spec\.strategy\.canary\.trafficRouting\.istio: received .*keep the Istio form for a progressive rollout\. Or allow the omission: omit: \[GatewayApiOmission\.ROLLOUT_TRAFFIC_ROUTING\]/);
    const form = synthesizeGatewayApi(app(), { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] });
    const objects = form.charts.flatMap((c) => c.objects);
    const rollout = find(objects, 'Rollout', 'api');
    expect(rollout.spec.strategy.canary.trafficRouting).toBeUndefined();
    expect(rollout.spec.strategy.canary).toMatchObject({ stableService: 'api-stable', canaryService: 'api-canary' });
    expect(all(objects, 'Service').map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['api-stable', 'api-canary']));
    expect(form.omitted).toContainEqual(expect.stringMatching(/^test\/api\/v2: spec\.strategy\.canary\.trafficRouting left out \(the Gateway API form's weights stay as written, all to stable/));
  });
});
