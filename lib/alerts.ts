/**
 * Typed alert definitions for the edge, rendered as Prometheus rule groups: the same groups become
 * a `PrometheusRule` for the Prometheus Operator, a rule file checked by promtool, and Azure
 * Monitor Prometheus rule groups (by the Pulumi program). Expressions use Istio's standard metrics
 * and the kube-state-metrics and cAdvisor names.
 * @see https://istio.io/latest/docs/reference/config/metrics/
 */
import { Duration } from 'cdk8s';
import { fail } from './private/errors';
import { promDuration } from './private/duration';
import { validateDuration } from './private/validate';

/** Alert severities (the `severity` label). */
export enum AlertSeverity {
  /** Someone must act now. */
  CRITICAL = 'critical',
  /** Someone should look soon. */
  WARNING = 'warning',
}

/** Thresholds of the edge alerts; per environment. */
export interface AlertThresholds {
  /**
   * Share of requests answered 5xx above which the 5xx alerts fire (0.05 = 5%).
   * @default 0.05
   */
  readonly serverErrorRatio?: number;
  /**
   * How long the 5xx share must stay above the threshold.
   * @default Duration.minutes(10)
   */
  readonly serverErrorFor?: Duration;
  /**
   * Share of requests answered 4xx above which the 4xx surge alerts fire.
   * @default 0.25
   */
  readonly clientErrorRatio?: number;
  /**
   * How long the 4xx share must stay above the threshold.
   * @default Duration.minutes(15)
   */
  readonly clientErrorFor?: Duration;
  /**
   * P95 request latency, in milliseconds, above which the latency alerts fire (per version).
   * @default 500
   */
  readonly latencyP95Ms?: number;
  /**
   * P99 request latency, in milliseconds.
   * @default 1000
   */
  readonly latencyP99Ms?: number;
  /**
   * How long latency must stay above a threshold.
   * @default Duration.minutes(10)
   */
  readonly latencyFor?: Duration;
  /**
   * Share of the gateway's CPU or memory limit above which the saturation alerts fire.
   * @default 0.9
   */
  readonly saturationRatio?: number;
  /**
   * How long saturation must last.
   * @default Duration.minutes(15)
   */
  readonly saturationFor?: Duration;
  /**
   * How long an autoscaler may sit at its maximum before the alert fires.
   * @default Duration.minutes(15)
   */
  readonly atMaxReplicasFor?: Duration;
  /**
   * How long pods may be not ready.
   * @default Duration.minutes(10)
   */
  readonly notReadyFor?: Duration;
  /**
   * How long a disruption budget may allow no disruption.
   * @default Duration.hours(1)
   */
  readonly noDisruptionAllowedFor?: Duration;
  /**
   * Rate-limited (429) responses per second at the gateway above which the alert fires.
   * @default 5
   */
  readonly rateLimitedPerSecond?: number;
  /**
   * How long the 429 rate must stay above the threshold.
   * @default Duration.minutes(10)
   */
  readonly rateLimitedFor?: Duration;
}

/** One alerting rule, in Prometheus' rule file format. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook: string };
}

/** A group of rules. */
export interface AlertGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: AlertRule[];
}

/** The gateway as the alerts see it. */
export interface GatewayTarget {
  /** The gateway Deployment (and the `source_workload` of its metrics). */
  readonly workload: string;
  readonly namespace: string;
  /** The autoscaler's name, when autoscaled. */
  readonly autoscaler?: string;
  /** The disruption budget's name. */
  readonly disruptionBudget?: string;
}

/** A service as the alerts see it. */
export interface ServiceTarget {
  readonly name: string;
  readonly namespace: string;
  /** Deployments of its versions. */
  readonly deployments: string[];
  /** Autoscalers of its versions. */
  readonly autoscalers: string[];
  readonly disruptionBudget?: string;
}

/** The rate window of every expression. */
export const RATE_WINDOW = '5m';


/** A label matcher set: `{a="x", b=~"y"}`. */
function sel(matchers: Record<string, string>): string {
  return `{${Object.entries(matchers).map(([k, v]) => (v.startsWith('~') ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`)).join(', ')}}`;
}

/** Pods of Deployments, by name: "<deployment>-<replicaset hash>-<pod hash>". */
export function podsOf(deployments: readonly string[]): string {
  return `~(${deployments.join('|')})-[a-z0-9]+-[a-z0-9]+`;
}

/** Share of the requests matching `base` whose response code matches `codes`. */
function errorRatio(base: Record<string, string>, codes: string): string {
  return `sum(rate(istio_requests_total${sel({ ...base, response_code: `~${codes}` })}[${RATE_WINDOW}]))\n/\nsum(rate(istio_requests_total${sel(base)}[${RATE_WINDOW}]))`;
}

/** The matchers of one version of a service, as its sidecars report its requests. */
function versionMatchers(svc: ServiceTarget, version: string): Record<string, string> {
  return { reporter: 'destination', destination_service_namespace: svc.namespace, destination_service_name: svc.name, destination_version: version };
}

/**
 * {@link errorRatio} whose numerator is 0 when no response matched (`or on() vector(0)`), so that
 * a version without errors gives 0, not an empty result; empty only when there was no request.
 */
function completeErrorRatio(base: Record<string, string>, codes: string, window: string): string {
  return `(sum(rate(istio_requests_total${sel({ ...base, response_code: `~${codes}` })}[${window}])) or on() vector(0))\n/\nsum(rate(istio_requests_total${sel(base)}[${window}]))`;
}

/** The PromQL the alerts and the dashboard share. */
export const queries = {
  /** Requests per second seen by the gateway, by destination service and version. */
  gatewayRequests(gw: GatewayTarget, extra: Record<string, string> = {}, by = 'destination_service_name, destination_version'): string {
    return `sum by (${by}) (rate(istio_requests_total${sel({ reporter: 'source', source_workload: gw.workload, source_workload_namespace: gw.namespace, ...extra })}[${RATE_WINDOW}]))`;
  },
  /** Share of the gateway's requests with a response code matching `codes` ("5.."). */
  gatewayErrorRatio(gw: GatewayTarget, codes: string): string {
    return errorRatio({ reporter: 'source', source_workload: gw.workload, source_workload_namespace: gw.namespace }, codes);
  },
  /** Requests per second to a service, as its sidecars report them, by version. */
  serviceRequests(svc: ServiceTarget, extra: Record<string, string> = {}, by = 'destination_version'): string {
    return `sum by (${by}) (rate(istio_requests_total${sel({ reporter: 'destination', destination_service_namespace: svc.namespace, destination_service_name: svc.name, ...extra })}[${RATE_WINDOW}]))`;
  },
  /** Share of a service's requests with a response code matching `codes`. */
  serviceErrorRatio(svc: ServiceTarget, codes: string): string {
    return errorRatio({ reporter: 'destination', destination_service_namespace: svc.namespace, destination_service_name: svc.name }, codes);
  },
  /** A latency quantile of a service, in milliseconds, per version. */
  serviceLatency(svc: ServiceTarget, quantile: number): string {
    return `histogram_quantile(${quantile}, sum by (le, destination_version) (rate(istio_request_duration_milliseconds_bucket${sel({ reporter: 'destination', destination_service_namespace: svc.namespace, destination_service_name: svc.name })}[${RATE_WINDOW}])))`;
  },
  /**
   * Share of the requests to one version of a service, as its sidecars report them, answered with a
   * code matching `codes`: the alerts' {@link queries.serviceErrorRatio} for one version, with no
   * matching response counted as 0 (not as no data); no data only when the version had no request.
   */
  versionErrorRatio(svc: ServiceTarget, version: string, codes: string, window = RATE_WINDOW): string {
    return completeErrorRatio(versionMatchers(svc, version), codes, window);
  },
  /** Requests one version of a service received over `window`, as its sidecars report them. */
  versionRequests(svc: ServiceTarget, version: string, window = RATE_WINDOW): string {
    return `sum(increase(istio_requests_total${sel(versionMatchers(svc, version))}[${window}]))`;
  },
  /** A latency quantile of one version of a service, in milliseconds: the alerts' {@link queries.serviceLatency} for one version. */
  versionLatency(svc: ServiceTarget, version: string, quantile: number, window = RATE_WINDOW): string {
    return `histogram_quantile(${quantile}, sum by (le) (rate(istio_request_duration_milliseconds_bucket${sel(versionMatchers(svc, version))}[${window}])))`;
  },
  /**
   * Share of the gateway's requests to one version of a service answered with a code matching
   * `codes` ("5..|429"), as the gateway reports them: the alerts' {@link queries.gatewayErrorRatio}
   * for one destination version.
   */
  gatewayVersionErrorRatio(gw: GatewayTarget, svc: ServiceTarget, version: string, codes: string, window = RATE_WINDOW): string {
    return completeErrorRatio({
      reporter: 'source', source_workload: gw.workload, source_workload_namespace: gw.namespace,
      destination_service_namespace: svc.namespace, destination_service_name: svc.name, destination_version: version,
    }, codes, window);
  },
  /** Requests of the gateway to one version of a service over `window`. */
  gatewayVersionRequests(gw: GatewayTarget, svc: ServiceTarget, version: string, window = RATE_WINDOW): string {
    return `sum(increase(istio_requests_total${sel({
      reporter: 'source', source_workload: gw.workload, source_workload_namespace: gw.namespace,
      destination_service_namespace: svc.namespace, destination_service_name: svc.name, destination_version: version,
    })}[${window}]))`;
  },
  /** Gateway CPU use as a share of its limit, per pod. */
  gatewayCpuOfLimit(gw: GatewayTarget): string {
    const pods = { namespace: gw.namespace, pod: podsOf([gw.workload]), container: 'istio-proxy' };
    return `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total${sel(pods)}[${RATE_WINDOW}]))\n/ on (namespace, pod)\nsum by (namespace, pod) (kube_pod_container_resource_limits${sel({ ...pods, resource: 'cpu' })})`;
  },
  /** Gateway memory use as a share of its limit, per pod. */
  gatewayMemoryOfLimit(gw: GatewayTarget): string {
    const pods = { namespace: gw.namespace, pod: podsOf([gw.workload]), container: 'istio-proxy' };
    return `sum by (namespace, pod) (container_memory_working_set_bytes${sel(pods)})\n/ on (namespace, pod)\nsum by (namespace, pod) (kube_pod_container_resource_limits${sel({ ...pods, resource: 'memory' })})`;
  },
  /** Current replicas of autoscalers. */
  hpaCurrent(namespace: string, hpas: readonly string[]): string {
    return `kube_horizontalpodautoscaler_status_current_replicas${sel({ namespace, horizontalpodautoscaler: `~${hpas.join('|')}` })}`;
  },
  /** Maximum replicas of autoscalers. */
  hpaMax(namespace: string, hpas: readonly string[]): string {
    return `kube_horizontalpodautoscaler_spec_max_replicas${sel({ namespace, horizontalpodautoscaler: `~${hpas.join('|')}` })}`;
  },
  /** Minimum replicas of autoscalers. */
  hpaMin(namespace: string, hpas: readonly string[]): string {
    return `kube_horizontalpodautoscaler_spec_min_replicas${sel({ namespace, horizontalpodautoscaler: `~${hpas.join('|')}` })}`;
  },
  /** Pods of Deployments that are not ready. */
  notReadyPods(namespace: string, deployments: readonly string[]): string {
    return `sum by (namespace) (kube_pod_status_ready${sel({ namespace, pod: podsOf(deployments), condition: 'false' })})`;
  },
  /** Disruptions a budget allows. */
  disruptionsAllowed(namespace: string, pdb: string): string {
    return `kube_poddisruptionbudget_status_pod_disruptions_allowed${sel({ namespace, poddisruptionbudget: pdb })}`;
  },
};

interface Resolved {
  serverErrorRatio: number; serverErrorFor: string; clientErrorRatio: number; clientErrorFor: string;
  latencyP95Ms: number; latencyP99Ms: number; latencyFor: string; saturationRatio: number; saturationFor: string;
  atMaxReplicasFor: string; notReadyFor: string; noDisruptionAllowedFor: string; rateLimitedPerSecond: number; rateLimitedFor: string;
}

/** Applies the defaults and checks the thresholds. */
export function resolveThresholds(scope: string, t: AlertThresholds = {}): Resolved {
  const ratio = (name: keyof AlertThresholds, v: number) => {
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail(scope, `thresholds.${name}`, v, 'Use a share between 0 (exclusive) and 1, for example 0.05 for 5%.');
    return v;
  };
  const positive = (name: keyof AlertThresholds, v: number) => {
    if (typeof v !== 'number' || !(v > 0)) fail(scope, `thresholds.${name}`, v, 'Use a positive number.');
    return v;
  };
  const dur = (name: keyof AlertThresholds, v: Duration) => promDuration(validateDuration(scope, `thresholds.${name}`, v));
  const r: Resolved = {
    serverErrorRatio: ratio('serverErrorRatio', t.serverErrorRatio ?? 0.05),
    serverErrorFor: dur('serverErrorFor', t.serverErrorFor ?? Duration.minutes(10)),
    clientErrorRatio: ratio('clientErrorRatio', t.clientErrorRatio ?? 0.25),
    clientErrorFor: dur('clientErrorFor', t.clientErrorFor ?? Duration.minutes(15)),
    latencyP95Ms: positive('latencyP95Ms', t.latencyP95Ms ?? 500),
    latencyP99Ms: positive('latencyP99Ms', t.latencyP99Ms ?? 1000),
    latencyFor: dur('latencyFor', t.latencyFor ?? Duration.minutes(10)),
    saturationRatio: ratio('saturationRatio', t.saturationRatio ?? 0.9),
    saturationFor: dur('saturationFor', t.saturationFor ?? Duration.minutes(15)),
    atMaxReplicasFor: dur('atMaxReplicasFor', t.atMaxReplicasFor ?? Duration.minutes(15)),
    notReadyFor: dur('notReadyFor', t.notReadyFor ?? Duration.minutes(10)),
    noDisruptionAllowedFor: dur('noDisruptionAllowedFor', t.noDisruptionAllowedFor ?? Duration.hours(1)),
    rateLimitedPerSecond: positive('rateLimitedPerSecond', t.rateLimitedPerSecond ?? 5),
    rateLimitedFor: dur('rateLimitedFor', t.rateLimitedFor ?? Duration.minutes(10)),
  };
  if (r.latencyP99Ms < r.latencyP95Ms) fail(scope, 'thresholds.latencyP99Ms', r.latencyP99Ms, `The P99 threshold must not be below the P95 one (${r.latencyP95Ms}).`);
  return r;
}

const pct = (v: number) => `${+(v * 100).toFixed(2)}%`;

function rule(alert: string, expr: string, forDuration: string, severity: AlertSeverity, labels: Record<string, string>,
  summary: string, description: string, runbook: string): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity, ...labels }, annotations: { summary, description, runbook } };
}

/**
 * The edge's alert groups: one for the gateway, one per service.
 * @param scope the construct path, for error messages
 */
export function edgeAlertGroups(scope: string, gateway: GatewayTarget, services: readonly ServiceTarget[], thresholds: AlertThresholds = {}): AlertGroup[] {
  const t = resolveThresholds(scope, thresholds);
  const gw = gateway;
  const gwLabels = { component: 'ingress-gateway', gateway: `${gw.namespace}/${gw.workload}` };
  const gateRules: AlertRule[] = [
    rule('EdgeGatewayHigh5xxRatio', `${queries.gatewayErrorRatio(gw, '5..')}\n> ${t.serverErrorRatio}`, t.serverErrorFor, AlertSeverity.CRITICAL, gwLabels,
      `Gateway ${gw.workload} answers more than ${pct(t.serverErrorRatio)} of requests with 5xx`,
      `{{ $value | humanizePercentage }} of the requests through ${gw.namespace}/${gw.workload} failed with 5xx over the last ${RATE_WINDOW} (threshold ${pct(t.serverErrorRatio)}).`,
      'Find the failing destination on the Edge dashboard (5xx by service and version); if a canary, shift its weight back to stable; check the services\' pods and the gateway logs (response flags NR, UH, UF).'),
    rule('EdgeGateway4xxSurge', `${queries.gatewayErrorRatio(gw, '4..')}\n> ${t.clientErrorRatio}`, t.clientErrorFor, AlertSeverity.WARNING, gwLabels,
      `More than ${pct(t.clientErrorRatio)} of requests through gateway ${gw.workload} get 4xx`,
      `{{ $value | humanizePercentage }} of the requests through ${gw.namespace}/${gw.workload} got 4xx over the last ${RATE_WINDOW} (threshold ${pct(t.clientErrorRatio)}).`,
      'Check for 404 (a host or path missing from the routes), 401/403 (authorization) or 429 (rate limits) in the access logs; a release that changed paths is the usual cause.'),
    rule('EdgeGatewayRateLimited', `sum(rate(istio_requests_total${sel({ reporter: 'source', source_workload: gw.workload, source_workload_namespace: gw.namespace, response_code: '429' })}[${RATE_WINDOW}]))\n> ${t.rateLimitedPerSecond}`,
      t.rateLimitedFor, AlertSeverity.WARNING, gwLabels,
      `Gateway ${gw.workload} rejects more than ${t.rateLimitedPerSecond} requests per second with 429`,
      `The gateway answers {{ $value | humanize }} requests per second with 429 (threshold ${t.rateLimitedPerSecond}/s).`,
      'Legitimate peak or abuse? Compare with total traffic; raise the rate limit (tokens per fill) or block the source.'),
    rule('EdgeGatewayCpuNearLimit', `${queries.gatewayCpuOfLimit(gw)}\n> ${t.saturationRatio}`, t.saturationFor, AlertSeverity.WARNING, gwLabels,
      `Gateway pod CPU above ${pct(t.saturationRatio)} of its limit`,
      'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its CPU limit: it is throttled and latency rises.',
      'If the autoscaler is at its maximum, raise maxReplicas; otherwise lower the CPU target or raise the CPU request and limit.'),
    rule('EdgeGatewayMemoryNearLimit', `${queries.gatewayMemoryOfLimit(gw)}\n> ${t.saturationRatio}`, t.saturationFor, AlertSeverity.WARNING, gwLabels,
      `Gateway pod memory above ${pct(t.saturationRatio)} of its limit`,
      'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit: it will be OOM-killed.',
      'Raise the memory limit; check for a surge in connections or configuration size (many hosts or routes).'),
    rule('EdgeGatewayPodsNotReady', `${queries.notReadyPods(gw.namespace, [gw.workload])}\n> 0`, t.notReadyFor, AlertSeverity.CRITICAL, gwLabels,
      `Gateway ${gw.workload} has pods that are not ready`,
      '{{ $value }} gateway pod(s) in {{ $labels.namespace }} have not been ready for the last ' + t.notReadyFor + '.',
      'kubectl describe the pods: failing readiness on 15021 usually means istiod is unreachable or the configuration is rejected.'),
  ];
  if (gw.autoscaler) {
    gateRules.push(rule('EdgeGatewayAtMaxReplicas', `${queries.hpaCurrent(gw.namespace, [gw.autoscaler])}\n>= on (namespace, horizontalpodautoscaler)\n${queries.hpaMax(gw.namespace, [gw.autoscaler])}`,
      t.atMaxReplicasFor, AlertSeverity.WARNING, gwLabels,
      `Gateway autoscaler ${gw.autoscaler} at its maximum`,
      `Autoscaler {{ $labels.horizontalpodautoscaler }} has run {{ $value }} replicas, its maximum, for ${t.atMaxReplicasFor}: it cannot absorb more load.`,
      'Raise maxReplicas (and check the node pools can hold them), or find what drives the load.'));
  }
  if (gw.disruptionBudget) {
    gateRules.push(rule('EdgeGatewayNoDisruptionAllowed', `${queries.disruptionsAllowed(gw.namespace, gw.disruptionBudget)}\n== 0`, t.noDisruptionAllowedFor, AlertSeverity.WARNING, gwLabels,
      `Gateway disruption budget ${gw.disruptionBudget} allows no disruption`,
      `PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has allowed no disruption for ${t.noDisruptionAllowedFor}: node drains and upgrades are blocked.`,
      'Bring the gateway back to its healthy replica count, or lower minAvailable.'));
  }

  const groups: AlertGroup[] = [{ name: `edge-gateway-${gw.namespace}-${gw.workload}`, interval: '1m', rules: gateRules }];
  for (const svc of services) {
    const labels = { component: 'service', service: `${svc.namespace}/${svc.name}` };
    const rules: AlertRule[] = [
      rule('EdgeServiceHigh5xxRatio', `${queries.serviceErrorRatio(svc, '5..')}\n> ${t.serverErrorRatio}`, t.serverErrorFor, AlertSeverity.CRITICAL, labels,
        `Service ${svc.name} answers more than ${pct(t.serverErrorRatio)} of requests with 5xx`,
        `{{ $value | humanizePercentage }} of the requests to ${svc.namespace}/${svc.name} failed with 5xx over the last ${RATE_WINDOW} (threshold ${pct(t.serverErrorRatio)}).`,
        'Compare versions on the dashboard: if one version fails, shift its weight to the other; else check the pods\' logs and their dependencies.'),
      rule('EdgeService4xxSurge', `${queries.serviceErrorRatio(svc, '4..')}\n> ${t.clientErrorRatio}`, t.clientErrorFor, AlertSeverity.WARNING, labels,
        `More than ${pct(t.clientErrorRatio)} of requests to ${svc.name} get 4xx`,
        `{{ $value | humanizePercentage }} of the requests to ${svc.namespace}/${svc.name} got 4xx over the last ${RATE_WINDOW} (threshold ${pct(t.clientErrorRatio)}).`,
        'A client or route change sends requests the service rejects: check recent releases and the rewrite rules.'),
      rule('EdgeServiceLatencyP95High', `${queries.serviceLatency(svc, 0.95)}\n> ${t.latencyP95Ms}`, t.latencyFor, AlertSeverity.WARNING, labels,
        `P95 latency of ${svc.name} above ${t.latencyP95Ms} ms`,
        `P95 latency of ${svc.namespace}/${svc.name} version {{ $labels.destination_version }} is {{ $value | humanize }} ms (threshold ${t.latencyP95Ms} ms).`,
        'If only one version is slow (a canary), shift traffic back; otherwise check saturation (CPU, autoscaler at max) and dependencies.'),
      rule('EdgeServiceLatencyP99High', `${queries.serviceLatency(svc, 0.99)}\n> ${t.latencyP99Ms}`, t.latencyFor, AlertSeverity.WARNING, labels,
        `P99 latency of ${svc.name} above ${t.latencyP99Ms} ms`,
        `P99 latency of ${svc.namespace}/${svc.name} version {{ $labels.destination_version }} is {{ $value | humanize }} ms (threshold ${t.latencyP99Ms} ms).`,
        'If only one version is slow (a canary), shift traffic back; otherwise look for slow dependencies and retries.'),
    ];
    // Pod readiness needs the Deployments' names, unknown for a Service the app does not define.
    if (svc.deployments.length) {
      rules.push(rule('EdgeServicePodsNotReady', `${queries.notReadyPods(svc.namespace, svc.deployments)}\n> 0`, t.notReadyFor, AlertSeverity.WARNING, labels,
        `Service ${svc.name} has pods that are not ready`,
        `{{ $value }} pod(s) of ${svc.namespace}/${svc.name} have not been ready for the last ${t.notReadyFor}.`,
        'kubectl describe the pods: failing probes, image pull errors or crash loops.'));
    }
    if (svc.autoscalers.length) {
      rules.push(rule('EdgeServiceAtMaxReplicas', `${queries.hpaCurrent(svc.namespace, svc.autoscalers)}\n>= on (namespace, horizontalpodautoscaler)\n${queries.hpaMax(svc.namespace, svc.autoscalers)}`,
        t.atMaxReplicasFor, AlertSeverity.WARNING, labels,
        `An autoscaler of ${svc.name} is at its maximum`,
        `Autoscaler {{ $labels.horizontalpodautoscaler }} has run {{ $value }} replicas, its maximum, for ${t.atMaxReplicasFor}.`,
        'Raise maxReplicas or find what drives the load.'));
    }
    if (svc.disruptionBudget) {
      rules.push(rule('EdgeServiceNoDisruptionAllowed', `${queries.disruptionsAllowed(svc.namespace, svc.disruptionBudget)}\n== 0`, t.noDisruptionAllowedFor, AlertSeverity.WARNING, labels,
        `Disruption budget of ${svc.name} allows no disruption`,
        `PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has allowed no disruption for ${t.noDisruptionAllowedFor}: node drains and upgrades are blocked.`,
        'Bring the service back to its healthy replica count, or relax the budget.'));
    }
    groups.push({ name: `edge-service-${svc.namespace}-${svc.name}`, interval: '1m', rules });
  }
  return groups;
}
