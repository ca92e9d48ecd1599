/**
 * A Grafana dashboard generated from the edge, with the same PromQL as the alerts: traffic,
 * latency and errors by service and version side by side (canary against stable), the gateway's
 * CPU and memory against its limits, autoscalers against their bounds, rate-limited requests.
 * Importable into Azure Managed Grafana; shipped as a ConfigMap for Grafana's sidecar.
 */
import { GatewayTarget, queries, ServiceTarget } from './alerts';

/** One panel's query. */
export interface DashboardQuery {
  readonly panel: string;
  readonly expr: string;
  readonly legend: string;
}

/** The queries of every panel, in order (also checked by promtool as recording rules). */
export function dashboardQueries(gw: GatewayTarget, services: readonly ServiceTarget[]): DashboardQuery[][] {
  const panels: DashboardQuery[][] = [
    [{ panel: 'Gateway requests per second by service and version', expr: queries.gatewayRequests(gw), legend: '{{destination_service_name}} {{destination_version}}' }],
    [
      { panel: 'Gateway 5xx and 4xx share', expr: queries.gatewayErrorRatio(gw, '5..'), legend: '5xx' },
      { panel: 'Gateway 5xx and 4xx share', expr: queries.gatewayErrorRatio(gw, '4..'), legend: '4xx' },
    ],
    [{ panel: 'Rate-limited requests (429) per second', expr: queries.gatewayRequests(gw, { response_code: '429' }, 'source_workload'), legend: '429' }],
    [{ panel: 'Gateway CPU against its limit', expr: queries.gatewayCpuOfLimit(gw), legend: '{{pod}}' }],
    [{ panel: 'Gateway memory against its limit', expr: queries.gatewayMemoryOfLimit(gw), legend: '{{pod}}' }],
  ];
  if (gw.autoscaler) {
    panels.push([
      { panel: 'Gateway replicas against autoscaler bounds', expr: queries.hpaCurrent(gw.namespace, [gw.autoscaler]), legend: 'current' },
      { panel: 'Gateway replicas against autoscaler bounds', expr: queries.hpaMin(gw.namespace, [gw.autoscaler]), legend: 'min' },
      { panel: 'Gateway replicas against autoscaler bounds', expr: queries.hpaMax(gw.namespace, [gw.autoscaler]), legend: 'max' },
    ]);
  }
  for (const svc of services) {
    const title = `${svc.namespace}/${svc.name}`;
    panels.push([{ panel: `${title}: requests per second by version`, expr: queries.serviceRequests(svc), legend: '{{destination_version}}' }]);
    panels.push([0.5, 0.95, 0.99].map((q) => ({ panel: `${title}: latency P50/P95/P99 by version (ms)`, expr: queries.serviceLatency(svc, q), legend: `P${q * 100} {{destination_version}}` })));
    panels.push([
      { panel: `${title}: 5xx and 4xx by version`, expr: queries.serviceRequests(svc, { response_code: '~5..' }), legend: '5xx {{destination_version}}' },
      { panel: `${title}: 5xx and 4xx by version`, expr: queries.serviceRequests(svc, { response_code: '~4..' }), legend: '4xx {{destination_version}}' },
    ]);
    if (svc.autoscalers.length) {
      panels.push(['Current', 'Min', 'Max'].map((kind) => ({
        panel: `${title}: replicas against autoscaler bounds`,
        expr: kind === 'Current' ? queries.hpaCurrent(svc.namespace, svc.autoscalers) : kind === 'Min' ? queries.hpaMin(svc.namespace, svc.autoscalers) : queries.hpaMax(svc.namespace, svc.autoscalers),
        legend: `${kind.toLowerCase()} {{horizontalpodautoscaler}}`,
      })));
    }
  }
  return panels;
}

/** The dashboard, as Grafana's JSON model. */
export function grafanaDashboard(title: string, uid: string, gw: GatewayTarget, services: readonly ServiceTarget[]): object {
  const panels = dashboardQueries(gw, services).map((targets, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: targets[0].panel,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: /share|against its limit/.test(targets[0].panel) ? 'percentunit' : /latency/.test(targets[0].panel) ? 'ms' : /per second/.test(targets[0].panel) ? 'reqps' : 'short',
      },
      overrides: [],
    },
    targets: targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend, datasource: { type: 'prometheus', uid: '${datasource}' } })),
  }));
  return {
    uid,
    title,
    tags: ['istio', 'edge', 'generated'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels,
  };
}
