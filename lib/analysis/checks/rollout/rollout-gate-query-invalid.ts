import { Check } from '../../check';
import { arr as list, rec, str } from '../../../model/json';
import { checkIstioPromql, promqlReferences, promqlSyntaxErrors } from '../../promql';

/**
 * An Argo Rollouts gate (an AnalysisTemplate's Prometheus metric) with no data source, a query
 * Prometheus cannot parse, or one that reads Istio's metrics by names or labels the telemetry does
 * not produce (so it never has data, and the gate is inconclusive or errs at every step).
 */
export const rolloutGateQueryInvalid: Check = {
  name: 'RolloutGateQueryInvalid',
  code: 'EDGE9102',
  severity: 'warning',
  kinds: ['AnalysisTemplate', 'ClusterAnalysisTemplate'],
  description: 'An AnalysisTemplate Prometheus metric with no address, a query that does not parse, or Istio metric names and labels the telemetry does not produce.',
  details: 'Argo Rollouts queries the metric\'s provider.prometheus.address, else the controller\'s ARGO_ROLLOUTS_PROMETHEUS_ADDRESS; without either every measurement errs ("prometheus address is not configured") and consecutiveErrorLimit errors abort the rollout. A query is parsed with Prometheus\' grammar (arguments {{args.x}} read as a name), and one that reads Istio\'s metrics (istio_*) is checked against the metrics and labels the edge\'s telemetry produces (reporter, destination_service_name, destination_version, response_code, ...): a misspelt one matches no series, so the gate never concludes. Give the address (PrometheusSource), or set the controller\'s default and suppress this finding with the reason.',
  run(index, report) {
    for (const t of [...index.ofKind('AnalysisTemplate'), ...index.ofKind('ClusterAnalysisTemplate')]) {
      if (!t.apiVersion.startsWith('argoproj.io/')) continue;
      list(rec(t.spec).metrics).forEach((m, i) => {
        const prometheus = rec(rec(rec(m).provider).prometheus);
        if (rec(rec(m).provider).prometheus === undefined) return;
        const at = `spec.metrics[${i}].provider.prometheus`;
        if (!str(prometheus.address)) {
          report(t, `${at}.address`, `Metric "${str(rec(m).name) ?? i}" names no Prometheus address: it depends on the controller's ARGO_ROLLOUTS_PROMETHEUS_ADDRESS, without which every measurement errs and the rollout aborts. Give the address (PrometheusSource.address or azureManaged), or suppress this with the reason the controller has one.`);
        }
        const query = str(prometheus.query);
        if (query === undefined) return;
        // Argo Rollouts substitutes {{args.name}} before querying: read each as a name.
        const plain = query.replace(/\{\{[^}]*\}\}/g, 'arg');
        const syntax = promqlSyntaxErrors(plain);
        const problems = syntax.length ? syntax
          : promqlReferences(plain).metrics.some((x) => x.name.startsWith('istio_')) ? checkIstioPromql(plain).filter((p) => !/is not a metric the edge/.test(p.message) || /"istio_/.test(p.message)) : [];
        if (problems.length) {
          report(t, `${at}.query`, `The query of metric "${str(rec(m).name) ?? i}" never has the data it expects: ${problems.map((p) => p.message).join('; ')}. Fix it against Istio's standard metrics (https://istio.io/latest/docs/reference/config/metrics/).`);
        }
      });
    }
  },
};
