/** How durations are written for each consumer: Istio and Envoy, Prometheus, Kubernetes. */
import type { Duration } from 'cdk8s';

/** Renders a Duration the way Istio and Envoy read it: "10s" or "250ms". */
export function istioDuration(value: Duration): string {
  const ms = value.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Renders a Duration in Prometheus' format ("10m", "1h", "90s"). */
export function promDuration(d: Duration): string {
  const s = d.toSeconds();
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
