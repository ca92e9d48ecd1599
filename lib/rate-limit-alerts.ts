/**
 * Alerts on the global rate-limit service (envoyproxy/ratelimit's Prometheus metrics, served by
 * `USE_PROMETHEUS` and merged into the sidecar's 15020 endpoint): its errors, its absence (the
 * gateway then fails open and limits nothing globally), and the rate of requests over a limit.
 * @see https://github.com/envoyproxy/ratelimit#statistics
 */
import { AlertGroup, AlertRule, AlertSeverity, podsOf, RATE_WINDOW } from './alerts';

/** The rate-limit service as the alerts see it. */
export interface RateLimitServiceTarget {
  /** Its Deployment. */
  readonly deployment: string;
  readonly namespace: string;
  /** The configuration's domain (the `domain` label of its limit metrics). */
  readonly domain: string;
}

/** Thresholds of the rate-limit service's alerts. */
export interface RateLimitAlertThresholds {
  /**
   * Requests per second over a global limit above which the 429 rate alert fires.
   * @default 5
   */
  readonly overLimitPerSecond?: number;
}

function rule(alert: string, expr: string, forDuration: string, severity: AlertSeverity, labels: Record<string, string>,
  summary: string, description: string, runbook: string): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity, ...labels }, annotations: { summary, description, runbook } };
}

/** The alert group of a rate-limit service. */
export function rateLimitAlertGroup(target: RateLimitServiceTarget, thresholds: RateLimitAlertThresholds = {}): AlertGroup {
  const overLimit = thresholds.overLimitPerSecond ?? 5;
  if (!(overLimit > 0)) throw new Error(`RateLimitService ${target.namespace}/${target.deployment}: invalid overLimitPerSecond: received ${overLimit}. Use a number of requests per second above 0.`);
  const labels = { component: 'ratelimit', service: `${target.namespace}/${target.deployment}` };
  const ns = `namespace="${target.namespace}"`;
  const pods = `pod=~"${podsOf([target.deployment]).slice(1)}"`;
  return {
    name: `edge-ratelimit-${target.deployment}`,
    interval: '1m',
    rules: [
      rule('EdgeRateLimitServiceErrors', `sum(rate(ratelimit_service_should_rate_limit_error{${ns}, ${pods}}[${RATE_WINDOW}]))\n> 0`, '5m', AlertSeverity.WARNING, labels,
        `Rate-limit service ${target.deployment} fails to answer`,
        'The rate-limit service answered {{ $value | humanize }} calls per second with an error (err_type: Redis unreachable, timeouts): the gateway fails open and these requests are not limited.',
        'Check Redis (the in-cluster pod, or the Azure cache and the Secret with its address and key), and the service\'s logs.'),
      rule('EdgeRateLimitServiceDown', `sum(kube_deployment_status_replicas_available{${ns}, deployment="${target.deployment}"}) < 1\nor absent(kube_deployment_status_replicas_available{${ns}, deployment="${target.deployment}"})`, '5m', AlertSeverity.CRITICAL, labels,
        `Rate-limit service ${target.deployment} has no available pod`,
        'No pod of the rate-limit service is available: the gateway fails open and no global limit applies (only the local backstop).',
        'kubectl describe the pods: a missing Redis Secret, a configuration the service refuses (RateLimitConfigInvalid), or Redis unreachable keep them unready.'),
      rule('EdgeRateLimitOverLimit', `sum(rate(ratelimit_service_rate_limit_over_limit{${ns}, domain="${target.domain}"}[${RATE_WINDOW}]))\n> ${overLimit}`, '10m', AlertSeverity.WARNING, labels,
        `More than ${overLimit} requests per second over a global limit (domain ${target.domain})`,
        `{{ $value | humanize }} requests per second exceed a global limit of domain ${target.domain} and get 429 (threshold ${overLimit}/s).`,
        'Legitimate peak or abuse? See which key is over its limit (the key1 label); raise the limit or block the clients.'),
    ],
  };
}
