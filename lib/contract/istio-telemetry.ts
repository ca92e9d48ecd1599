/**
 * The metrics and labels the edge's Istio telemetry produces, as its PodMonitors scrape them: what
 * a PromQL expression of the edge (alerts, dashboard, rollout gates) may name.
 * @see https://istio.io/latest/docs/reference/config/metrics/
 */

/** Istio's standard HTTP/gRPC/TCP metrics (histograms by their series: `_bucket`, `_sum`, `_count`). */
export const ISTIO_METRICS: readonly string[] = [
  'istio_requests_total',
  ...['istio_request_duration_milliseconds', 'istio_request_bytes', 'istio_response_bytes'].flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
  'istio_request_messages_total',
  'istio_response_messages_total',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
  'istio_tcp_connections_opened_total',
  'istio_tcp_connections_closed_total',
];

/** The labels of Istio's standard metrics (the default tags of the Prometheus provider). */
export const ISTIO_METRIC_LABELS: readonly string[] = [
  'reporter',
  'source_workload', 'source_workload_namespace', 'source_principal', 'source_app', 'source_version',
  'source_canonical_service', 'source_canonical_revision', 'source_cluster',
  'destination_workload', 'destination_workload_namespace', 'destination_principal', 'destination_app', 'destination_version',
  'destination_service', 'destination_service_name', 'destination_service_namespace',
  'destination_canonical_service', 'destination_canonical_revision', 'destination_cluster',
  'request_protocol', 'response_code', 'grpc_response_status', 'response_flags', 'connection_security_policy',
];

/**
 * Labels the scrape adds (Prometheus' `job` and `instance`; the edge's PodMonitors relabel
 * `namespace` and `pod`) and the histogram buckets' `le`.
 */
export const SCRAPE_LABELS: readonly string[] = ['job', 'instance', 'namespace', 'pod', 'container', 'le', '__name__'];

/** The values of the `reporter` label. */
export const ISTIO_REPORTERS: readonly string[] = ['source', 'destination', 'waypoint'];
