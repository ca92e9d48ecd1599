import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'cdk8s';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp, edgeChartOf } from '../apps/edge';
import { environments } from '../apps/environments';
import {
  AlertRule, EdgeMonitoring, GatewayWorkload, IngressGateway, MetricsBackend, VersionedService,
} from '../lib';
import { promDuration } from '../lib/private/duration';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { itWithPromtool, promtool } from './support/promtool';
import { all, expectProblem, find, newChart, synthValid } from './support/synth';

function smallEdge(backend?: MetricsBackend) {
  const chart = newChart();
  const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  const api = new VersionedService(chart, 'api', {
    namespace: 'shop', versions: [{ name: 'v1', image: 'api:1', autoscaling: { maxReplicas: 6 } }, { name: 'v2', image: 'api:2' }],
  });
  const monitoring = new EdgeMonitoring(chart, 'monitoring', { gateway, services: [api], backend, ruleLabels: { release: 'kube-prometheus-stack' } });
  return { chart, gateway, api, monitoring };
}

describe('EdgeMonitoring', () => {
  it('synthesizes PodMonitors, Telemetry, a PrometheusRule and a dashboard (snapshot)', async () => {
    const { chart } = smallEdge();
    const objects = (await synthValid(chart)).filter((o) => ['PodMonitor', 'Telemetry', 'PrometheusRule', 'ConfigMap'].includes(o.kind));
    expect(objects.map((o) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([
      'PodMonitor istio-ingress/istio-ingressgateway-envoy-stats',
      'PodMonitor shop/edge-sidecars',
      'Telemetry istio-ingress/istio-ingressgateway-access-logs',
      'Telemetry shop/edge-telemetry',
      'PrometheusRule istio-ingress/istio-ingressgateway-edge-alerts',
      'ConfigMap istio-ingress/istio-ingressgateway-edge-dashboard',
    ]);
    expect(objects.filter((o) => o.kind !== 'ConfigMap')).toMatchSnapshot();
  });

  it('scrapes Istio\'s merged metrics on 15020 from the gateway and the services\' sidecars', async () => {
    const { chart } = smallEdge();
    const objects = await synthValid(chart);
    const gw = find(objects, 'PodMonitor', 'istio-ingressgateway-envoy-stats');
    expect(gw.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(gw.spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(gw.spec.podMetricsEndpoints[0]).toMatchObject({ path: '/stats/prometheus', interval: '30s' });
    expect(gw.spec.podMetricsEndpoints[0].relabelings[1]).toEqual({ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(\\d+\\.\\d+\\.\\d+\\.\\d+)', replacement: '$1:15020', targetLabel: '__address__' });
    expect(find(objects, 'PodMonitor', 'edge-sidecars').spec.selector).toEqual({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] });
  });

  it('Telemetry: gateway access logs, tracing sampling, metric tags', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    new EdgeMonitoring(chart, 'monitoring', { gateway, services: [api], tracingSamplingPercent: 12.5, tracingProvider: 'otel', metricTags: { api_major: 'request.url_path.startsWith("/v2") ? "2" : "1"' } });
    const objects = await synthValid(chart);
    expect(find(objects, 'Telemetry', 'istio-ingressgateway-access-logs').spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    const t = find(objects, 'Telemetry', 'edge-telemetry').spec;
    expect(t.tracing).toEqual([{ randomSamplingPercentage: 12.5, providers: [{ name: 'otel' }] }]);
    expect(t.metrics[0].overrides.map((o: any) => o.match.metric)).toEqual(['REQUEST_COUNT', 'REQUEST_DURATION']);
    expect(t.metrics[0].overrides[0].tagOverrides).toEqual({ api_major: { operation: 'UPSERT', value: 'request.url_path.startsWith("/v2") ? "2" : "1"' } });
  });

  it('Azure Managed Prometheus: azmonitoring PodMonitors and no PrometheusRule', async () => {
    const { chart, monitoring } = smallEdge(MetricsBackend.AZURE_MANAGED_PROMETHEUS);
    const objects = await synthValid(chart);
    expect(all(objects, 'PodMonitor').map((o) => o.apiVersion)).toEqual(['azmonitoring.coreos.com/v1', 'azmonitoring.coreos.com/v1']);
    expect(all(objects, 'PrometheusRule')).toEqual([]);
    expect(monitoring.alertGroups.length).toBe(2);
  });

  it('alert groups: the gateway and each service, with severity, summary, description and runbook', () => {
    const { monitoring } = smallEdge();
    const [gw, svc] = monitoring.alertGroups;
    expect(gw.rules.map((r) => r.alert)).toEqual([
      'EdgeGatewayHigh5xxRatio', 'EdgeGateway4xxSurge', 'EdgeGatewayRateLimited', 'EdgeGatewayCpuNearLimit', 'EdgeGatewayMemoryNearLimit',
      'EdgeGatewayPodsNotReady', 'EdgeGatewayAtMaxReplicas', 'EdgeGatewayNoDisruptionAllowed',
    ]);
    expect(svc.rules.map((r) => r.alert)).toEqual([
      'EdgeServiceHigh5xxRatio', 'EdgeService4xxSurge', 'EdgeServiceLatencyP95High', 'EdgeServiceLatencyP99High', 'EdgeServicePodsNotReady',
      'EdgeServiceAtMaxReplicas', 'EdgeServiceNoDisruptionAllowed',
    ]);
    for (const r of [...gw.rules, ...svc.rules]) {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description).toMatch(/\{\{ \$(value|labels)/);
      expect(r.annotations.runbook.length).toBeGreaterThan(20);
    }
    expect(svc.rules[5].expr).toContain('horizontalpodautoscaler=~"api-v1"');
  });

  it('the dashboard shows versions side by side, the gateway against its limits, autoscalers against their bounds', () => {
    const { monitoring } = smallEdge();
    const dashboard = monitoring.dashboard as any;
    const titles = dashboard.panels.map((p: any) => p.title);
    expect(titles).toEqual(expect.arrayContaining([
      'Gateway requests per second by service and version', 'Gateway 5xx and 4xx share', 'Rate-limited requests (429) per second',
      'Gateway CPU against its limit', 'Gateway memory against its limit', 'Gateway replicas against autoscaler bounds',
      'shop/api: requests per second by version', 'shop/api: latency P50/P95/P99 by version (ms)', 'shop/api: 5xx and 4xx by version',
      'shop/api: replicas against autoscaler bounds',
    ]));
    const latency = dashboard.panels.find((p: any) => /latency/.test(p.title));
    expect(latency.targets.map((t: any) => t.legendFormat)).toEqual(['P50 {{destination_version}}', 'P95 {{destination_version}}', 'P99 {{destination_version}}']);
    expect(latency.targets[2].expr).toBe(monitoring.alertGroups[1].rules[3].expr.split('\n>')[0]);
  });

  it('bad input', () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['a.example.com'] });
    expectProblem(() => new EdgeMonitoring(chart, 'm1', { gateway, thresholds: { serverErrorRatio: 5 } }), 'test/m1', 'thresholds.serverErrorRatio', '5', /between 0 \(exclusive\) and 1/);
    expectProblem(() => new EdgeMonitoring(chart, 'm2', { gateway, thresholds: { latencyP95Ms: 900, latencyP99Ms: 800 } }), 'test/m2', 'thresholds.latencyP99Ms', '800', /not be below the P95/);
    expectProblem(() => new EdgeMonitoring(chart, 'm3', { gateway, tracingSamplingPercent: 101 }), 'test/m3', 'tracingSamplingPercent', '101', /between 0 and 100/);
    expectProblem(() => new EdgeMonitoring(chart, 'm4', { gateway, metricTags: { 'Bad-Tag': 'x' } }), 'test/m4', 'metricTags', '"Bad-Tag"', /Prometheus label name/);
    const addon = new IngressGateway(chart, 'addon', { namespace: 'shop', hosts: ['b.example.com'], workload: GatewayWorkload.aksAddon() });
    expectProblem(() => new EdgeMonitoring(chart, 'm5', { gateway: addon }), 'test/m5', 'gatewayWorkloadName', 'undefined', /Deployment/);
    expect(promDuration(Duration.minutes(90))).toBe('90m');
  });
});

describe('PromQL syntax, in every run (the Prometheus parser from npm)', () => {
  /** The syntax errors of an expression, as Prometheus's own Lezer grammar finds them. */
  const syntaxErrors = (expr: string) => {
    const errors: number[] = [];
    parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError) errors.push(n.from); } });
    return errors;
  };

  it('every alert rule and dashboard query of dev and prod parses', () => {
    for (const env of ['dev', 'prod'] as const) {
      const file = parseYaml(edgeChartOf(buildEdgeApp(environments[env])).monitoring.ruleFile({ includeDashboardQueries: true }));
      const exprs: string[] = file.groups.flatMap((g: { rules: { expr: string }[] }) => g.rules.map((r) => r.expr));
      expect(exprs.length).toBeGreaterThan(10);
      for (const e of exprs) expect(syntaxErrors(e), e).toEqual([]);
    }
  });

  it('the parser finds a broken expression', () => {
    expect(syntaxErrors('sum(rate(istio_requests_total[5m]) by (destination_service')).not.toEqual([]);
  });
});

describe('alert rules, exercised with promtool', () => {
  const app = buildEdgeApp(environments.prod);
  const monitoring = edgeChartOf(app).monitoring;
  const rules = new Map<string, AlertRule>(monitoring.alertGroups.flatMap((g) => g.rules.map((r) => [`${r.alert}|${r.labels.component}|${r.labels.service ?? ''}`, r] as const)));
  const dir = mkdtempSync(join(tmpdir(), 'edge-promtool-'));
  writeFileSync(join(dir, 'edge.rules.yaml'), monitoring.ruleFile({ includeDashboardQueries: true }));

  itWithPromtool('promtool checks every generated rule and every dashboard query, for dev and prod', () => {
    for (const env of ['dev', 'prod'] as const) {
      const file = join(dir, `${env}.rules.yaml`);
      writeFileSync(file, edgeChartOf(buildEdgeApp(environments[env])).monitoring.ruleFile({ includeDashboardQueries: true }));
      const { status, output } = promtool('check', 'rules', file);
      expect(output).toMatch(/SUCCESS: \d+ rules found/);
      expect(status).toBe(0);
    }
  });

  /** An expected alert: its rule (for the fixed annotations), its labels, and the rendered description. */
  const expected = (alert: string, component: string, service: string, labels: Record<string, string>, description: string) => {
    const r = rules.get(`${alert}|${component}|${service}`)!;
    return { exp_labels: { ...r.labels, ...labels }, exp_annotations: { summary: r.annotations.summary, runbook: r.annotations.runbook, description } };
  };
  const gw = 'reporter="source", source_workload="istio-ingressgateway", source_workload_namespace="istio-ingress"';
  const api = 'reporter="destination", destination_service_namespace="shop", destination_service_name="api"';
  const buckets = (version: string, le: Record<string, string>) => Object.entries(le).map(([bound, values]) => ({
    series: `istio_request_duration_milliseconds_bucket{${api}, destination_version="${version}", le="${bound}"}`, values,
  }));

  itWithPromtool('promtool test rules: 5xx at 6% fires and at 1% does not; a slow canary fires P99 for that version only; an HPA pinned at max fires', () => {
    const tests = {
      rule_files: ['edge.rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          name: '6% 5xx at the gateway for 20 minutes',
          interval: '1m',
          input_series: [
            { series: `istio_requests_total{${gw}, response_code="200"}`, values: '0+940x30' },
            { series: `istio_requests_total{${gw}, response_code="503"}`, values: '0+60x30' },
          ],
          alert_rule_test: [
            { eval_time: '8m', alertname: 'EdgeGatewayHigh5xxRatio', exp_alerts: [] }, // pending: not yet 10 minutes
            { eval_time: '20m', alertname: 'EdgeGatewayHigh5xxRatio', exp_alerts: [expected('EdgeGatewayHigh5xxRatio', 'ingress-gateway', '', {}, '6% of the requests through istio-ingress/istio-ingressgateway failed with 5xx over the last 5m (threshold 5%).')] },
          ],
        },
        {
          name: '1% 5xx at the gateway stays silent',
          interval: '1m',
          input_series: [
            { series: `istio_requests_total{${gw}, response_code="200"}`, values: '0+990x30' },
            { series: `istio_requests_total{${gw}, response_code="503"}`, values: '0+10x30' },
          ],
          alert_rule_test: [{ eval_time: '20m', alertname: 'EdgeGatewayHigh5xxRatio', exp_alerts: [] }],
        },
        {
          name: 'the canary v2 is slow: its P99 alert fires, stable v1 stays silent',
          interval: '1m',
          input_series: [
            ...buckets('v1', { 100: '0+100x30', 500: '0+100x30', 1000: '0+100x30', 2500: '0+100x30', 5000: '0+100x30', '+Inf': '0+100x30' }),
            ...buckets('v2', { 100: '0+0x30', 500: '0+0x30', 1000: '0+0x30', 2500: '0+0x30', 5000: '0+10x30', '+Inf': '0+10x30' }),
          ],
          alert_rule_test: [{
            eval_time: '20m', alertname: 'EdgeServiceLatencyP99High',
            exp_alerts: [expected('EdgeServiceLatencyP99High', 'service', 'shop/api', { destination_version: 'v2' }, 'P99 latency of shop/api version v2 is 4.975k ms (threshold 1000 ms).')],
          }],
        },
        {
          name: 'the gateway autoscaler pinned at its maximum',
          interval: '1m',
          input_series: [
            { series: 'kube_horizontalpodautoscaler_status_current_replicas{namespace="istio-ingress", horizontalpodautoscaler="istio-ingressgateway"}', values: '12x30' },
            { series: 'kube_horizontalpodautoscaler_spec_max_replicas{namespace="istio-ingress", horizontalpodautoscaler="istio-ingressgateway"}', values: '12x30' },
          ],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'EdgeGatewayAtMaxReplicas', exp_alerts: [] },
            {
              eval_time: '20m', alertname: 'EdgeGatewayAtMaxReplicas',
              exp_alerts: [expected('EdgeGatewayAtMaxReplicas', 'ingress-gateway', '', { namespace: 'istio-ingress', horizontalpodautoscaler: 'istio-ingressgateway' },
                'Autoscaler istio-ingressgateway has run 12 replicas, its maximum, for 15m: it cannot absorb more load.')],
            },
          ],
        },
        {
          name: 'an autoscaler below its maximum stays silent',
          interval: '1m',
          input_series: [
            { series: 'kube_horizontalpodautoscaler_status_current_replicas{namespace="istio-ingress", horizontalpodautoscaler="istio-ingressgateway"}', values: '11x30' },
            { series: 'kube_horizontalpodautoscaler_spec_max_replicas{namespace="istio-ingress", horizontalpodautoscaler="istio-ingressgateway"}', values: '12x30' },
          ],
          alert_rule_test: [{ eval_time: '20m', alertname: 'EdgeGatewayAtMaxReplicas', exp_alerts: [] }],
        },
      ],
    };
    const file = join(dir, 'edge.test.yaml');
    writeFileSync(file, dump(tests, { noRefs: true, lineWidth: -1 }));
    const { status, output } = promtool('test', 'rules', file);
    expect(output).toMatch(/SUCCESS/);
    expect(status).toBe(0);
  });
});
