import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import {
  Telemetry, TelemetrySpec, TelemetrySpecMetricsOverridesMatchMetric as Metric, TelemetrySpecMetricsOverridesMatchMode as MetricMode,
  TelemetrySpecMetricsOverridesTagOverridesOperation as TagOperation,
} from '../imports/istio-telemetry.istio.io';
import { AlertGroup, AlertThresholds, edgeAlertGroups, GatewayTarget, resolveThresholds, ServiceTarget } from './alerts';
import { dashboardQueries, grafanaDashboard } from './dashboard';
import { fail } from './private/errors';
import { validateDnsLabel, validateDnsSubdomain, validateDuration, validateId, validateLabels, validatePercent } from './private/validate';
import { IIngressGateway } from './ingress-gateway';
import { promDuration } from './private/duration';
import { lazy } from './private/lazy';
import { rateLimitAlertGroup, RateLimitAlertThresholds } from './rate-limit-alerts';
import type { RateLimitService } from './rate-limit-service';
import { IRoutableService } from './service-reference';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Who scrapes the metrics: the API group of the PodMonitors. */
export enum MetricsBackend {
  /** The Prometheus Operator (kube-prometheus-stack): `monitoring.coreos.com/v1` PodMonitors and a PrometheusRule. */
  PROMETHEUS_OPERATOR = 'monitoring.coreos.com',
  /**
   * Azure Managed Prometheus (the AKS metrics add-on): `azmonitoring.coreos.com/v1` PodMonitors;
   * the alert rules become Azure Monitor rule groups (the Pulumi program creates them).
   */
  AZURE_MANAGED_PROMETHEUS = 'azmonitoring.coreos.com',
}

/** Props of {@link EdgeMonitoring}. */
export interface EdgeMonitoringProps {
  /** The gateway to monitor: one the app defines, or an imported one whose pods are known. */
  readonly gateway: IIngressGateway;
  /**
   * The services behind it (`VersionedService`s, or imported Services).
   * @default - none
   */
  readonly services?: IRoutableService[];
  /**
   * The Deployment name of a gateway the app does not deploy (the AKS add-on's, for example).
   * @default - the gateway's `workloadName`
   */
  readonly gatewayWorkloadName?: string;
  /**
   * Who scrapes the metrics.
   * @default MetricsBackend.PROMETHEUS_OPERATOR
   */
  readonly backend?: MetricsBackend;
  /**
   * Alert thresholds.
   * @default - see AlertThresholds
   */
  readonly thresholds?: AlertThresholds;
  /**
   * Scrape interval.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Access logs of the gateway (Envoy's, in the mesh's access log encoding: JSON with the Pulumi program's Istio).
   * @default true
   */
  readonly accessLogs?: boolean;
  /**
   * Percentage of requests traced, in the services' namespaces.
   * @default 1
   */
  readonly tracingSamplingPercent?: number;
  /**
   * The tracing provider (a `meshConfig.extensionProviders` name).
   * @default - the mesh's default tracing provider
   */
  readonly tracingProvider?: string;
  /**
   * Extra tags on the request metrics of the services, as CEL expressions over request attributes,
   * for example `{ api_route: 'request.url_path.startsWith("/api/v2") ? "v2" : "v1"' }`.
   * @default - Istio's standard tags only
   */
  readonly metricTags?: Record<string, string>;
  /**
   * Labels of the PrometheusRule, for the Operator's rule selector (kube-prometheus-stack's `release` label).
   * @default - none
   */
  readonly ruleLabels?: Record<string, string>;
  /**
   * The dashboard ConfigMap's namespace, or false for no dashboard.
   * @default - the gateway's namespace
   */
  readonly dashboardNamespace?: string | false;
  /**
   * The global rate-limit service to scrape and alert on (its errors, its availability, the rate of
   * requests over a limit).
   * @default - none
   */
  readonly rateLimitService?: RateLimitService;
  /**
   * Thresholds of the rate-limit service's alerts.
   * @default - see RateLimitAlertThresholds
   */
  readonly rateLimitThresholds?: RateLimitAlertThresholds;
}

/**
 * Observability of the edge: PodMonitors that scrape the gateway and the services' sidecars
 * (merged Envoy and Istio metrics on 15020 /stats/prometheus), Istio Telemetry (gateway access
 * logs, tracing sampling, metric tags), alert rules with thresholds per environment (a
 * PrometheusRule for the Operator), and a Grafana dashboard ConfigMap.
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/
 */
export class EdgeMonitoring extends Construct {
  /** The gateway as alerts and dashboard see it. */
  public readonly gatewayTarget: GatewayTarget;
  /** The PrometheusRule (Prometheus Operator backend only). */
  public readonly prometheusRule?: ApiObject;
  private readonly props: EdgeMonitoringProps;

  public constructor(scope: Construct, id: string, props: EdgeMonitoringProps) {
    super(scope, validateId(scope, id));
    checkArgs(this, '', props, req(SHAPES.EdgeMonitoringProps));
    this.props = props;
    const gw = props.gateway;
    if (!gw?.node || typeof gw.gatewayName !== 'string') fail(this, 'gateway', gw, 'Pass the IngressGateway to monitor (or one from IngressGateway.fromGatewayAttributes).');
    if (!gw.selector || !gw.workloadNamespace) {
      fail(this, 'gateway', gw.node.path, 'The gateway\'s pods are unknown, so they cannot be scraped: give selector (and workloadNamespace) in IngressGateway.fromGatewayAttributes(...).');
    }
    const workload = props.gatewayWorkloadName ?? gw.workloadName;
    if (!workload) {
      fail(this, 'gatewayWorkloadName', undefined, 'The gateway binds to pods the app does not deploy: give the name of their Deployment (for example "aks-istio-ingressgateway-external-asm-1-27").');
    }
    validateDnsSubdomain(this, 'gatewayWorkloadName', workload);
    const gatewayPods = { namespace: gw.workloadNamespace, selector: { ...gw.selector } };
    this.gatewayTarget = {
      workload, namespace: gatewayPods.namespace,
      autoscaler: gw.autoscalerName, disruptionBudget: gw.disruptionBudgetName,
    };
    resolveThresholds(this.node.path, props.thresholds); // fail early on bad thresholds
    const backend = props.backend ?? MetricsBackend.PROMETHEUS_OPERATOR;
    const interval = promDuration(validateDuration(this, 'scrapeInterval', props.scrapeInterval ?? Duration.seconds(30)));
    const sampling = validatePercent(this, 'tracingSamplingPercent', props.tracingSamplingPercent ?? 1);
    for (const [tag, expr] of Object.entries(props.metricTags ?? {})) {
      if (!/^[a-z_][a-z0-9_]*$/.test(tag)) fail(this, 'metricTags', tag, 'Use a Prometheus label name: lower-case letters, digits and "_".');
      if (typeof expr !== 'string' || expr.trim() === '') fail(this, `metricTags.${tag}`, expr, 'Give a CEL expression over request attributes.');
    }
    if (props.ruleLabels) validateLabels(this, 'ruleLabels', props.ruleLabels);

    // Scraping: the gateway, and the sidecars of each service namespace.
    this.podMonitor('GatewayMetrics', `${workload}-envoy-stats`, gatewayPods.namespace, { matchLabels: gatewayPods.selector }, backend, interval);
    const namespaces = [...new Set((props.services ?? []).map((s) => s.namespace))];
    for (const ns of namespaces) {
      this.podMonitor(`SidecarMetrics-${ns}`, 'edge-sidecars', ns, {
        matchExpressions: [{ key: 'app', operator: 'In', values: lazy(() => this.services.filter((s) => s.namespace === ns).map((s) => s.name)) }],
      }, backend, interval);
    }

    // The rate-limit service: its metrics merged into the sidecar's endpoint, like the services'.
    const rls = props.rateLimitService;
    if (rls) this.podMonitor('RateLimitMetrics', `${rls.deploymentName}-metrics`, rls.namespace, { matchLabels: { ...rls.selector } }, backend, interval);

    // Istio Telemetry.
    if (props.accessLogs ?? true) {
      new Telemetry(this, 'GatewayAccessLogs', {
        metadata: { name: `${workload}-access-logs`, namespace: gatewayPods.namespace },
        spec: { selector: { matchLabels: gatewayPods.selector }, accessLogging: [{ providers: [{ name: 'envoy' }] }] },
      });
    }
    for (const ns of namespaces) {
      const tags = props.metricTags ?? {};
      const spec: TelemetrySpec = {
        tracing: [{ randomSamplingPercentage: sampling, providers: props.tracingProvider ? [{ name: validateDnsSubdomain(this, 'tracingProvider', props.tracingProvider) }] : undefined }],
        metrics: Object.keys(tags).length ? [{
          providers: [{ name: 'prometheus' }],
          overrides: [Metric.REQUEST_UNDERSCORE_COUNT, Metric.REQUEST_UNDERSCORE_DURATION].map((metric) => ({
            match: { metric, mode: MetricMode.CLIENT_UNDERSCORE_AND_UNDERSCORE_SERVER },
            tagOverrides: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, { operation: TagOperation.UPSERT, value: v }])),
          })),
        }] : undefined,
      };
      new Telemetry(this, `Telemetry-${ns}`, { metadata: { name: 'edge-telemetry', namespace: ns }, spec });
    }

    // Alerts.
    if (backend === MetricsBackend.PROMETHEUS_OPERATOR) {
      this.prometheusRule = new ApiObject(this, 'Rules', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: `${workload}-edge-alerts`, namespace: gatewayPods.namespace, labels: props.ruleLabels },
        spec: { groups: lazy(() => this.alertGroups) },
      });
    }

    // Dashboard.
    if (props.dashboardNamespace !== false) {
      new k8s.KubeConfigMap(this, 'Dashboard', {
        metadata: {
          name: `${workload}-edge-dashboard`,
          namespace: validateDnsLabel(this, 'dashboardNamespace', props.dashboardNamespace ?? gatewayPods.namespace),
          labels: { grafana_dashboard: '1' },
        },
        data: lazy((): Record<string, string> => ({ 'edge-dashboard.json': `${JSON.stringify(this.dashboard, null, 2)}\n` })),
      });
    }
  }

  /** The services as alerts and dashboard see them (versions added later included). */
  public get services(): ServiceTarget[] {
    return (this.props.services ?? []).map((s) => ({
      name: s.serviceName,
      namespace: s.namespace,
      deployments: [...s.deploymentNames],
      autoscalers: [...s.autoscalerNames],
      disruptionBudget: s.disruptionBudgetName,
    }));
  }

  /** The alert rule groups. */
  public get alertGroups(): AlertGroup[] {
    const groups = edgeAlertGroups(this.node.path, this.gatewayTarget, this.services, this.props.thresholds);
    const rls = this.props.rateLimitService;
    return rls ? [...groups, rateLimitAlertGroup({ deployment: rls.deploymentName, namespace: rls.namespace, domain: rls.domain }, this.props.rateLimitThresholds)] : groups;
  }

  /** The Grafana dashboard (JSON model). */
  public get dashboard(): object {
    return grafanaDashboard(`Edge: ${this.gatewayTarget.namespace}/${this.gatewayTarget.workload}`, `edge-${this.gatewayTarget.workload}`.slice(0, 40), this.gatewayTarget, this.services);
  }

  /**
   * A Prometheus rule file: the alert groups, plus the dashboard's queries as recording rules in a
   * group of their own, so that `promtool check rules` checks every expression the edge uses.
   */
  public ruleFile(options: { includeDashboardQueries?: boolean } = {}): string {
    const groups: object[] = [...this.alertGroups];
    if (options.includeDashboardQueries) {
      const records = dashboardQueries(this.gatewayTarget, this.services).flat().map((q, i) => ({ record: `edge:dashboard_query_${i + 1}`, expr: q.expr }));
      groups.push({ name: 'edge-dashboard-queries', rules: records });
    }
    return dump({ groups }, { noRefs: true, lineWidth: -1, quotingType: '"' });
  }

  private podMonitor(id: string, name: string, namespace: string, selector: object, backend: MetricsBackend, interval: string): ApiObject {
    return new ApiObject(this, id, {
      apiVersion: `${backend}/v1`,
      kind: 'PodMonitor',
      metadata: { name, namespace },
      spec: {
        selector,
        namespaceSelector: { matchNames: [namespace] },
        podMetricsEndpoints: [{
          path: '/stats/prometheus',
          interval,
          // Istio's merged metrics (Envoy, the agent and the app) are served by the agent on 15020.
          relabelings: [
            { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(\\d+\\.\\d+\\.\\d+\\.\\d+)', replacement: '$1:15020', targetLabel: '__address__' },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '([A-Fa-f0-9:]+:[A-Fa-f0-9:]*)', replacement: '[$1]:15020', targetLabel: '__address__' },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
          ],
        }],
      },
    });
  }
}
