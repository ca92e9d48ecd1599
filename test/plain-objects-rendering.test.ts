// Objects the package writes as plain cdk8s ApiObjects that were generated L1 classes until 0.2
// (the PodDisruptionBudget, lib/disruption.ts; the HorizontalPodAutoscaler, lib/autoscaling.ts; the
// VersionedService's Service, lib/versioned-service.ts).
// This renders the same objects both ways and compares the YAML byte for byte: the generated
// class's mapping (field order, IntOrString and Quantity values) must be what the plain object writes.
import { App, Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { AppProtocol, Disruption, manifestsToYaml, VersionedService, ScalingMetric, ScalingSelectPolicy, synthesizeApp } from '../lib';
import { AutoscalingOptions, createHorizontalPodAutoscaler, resolveAutoscaling, ResolvedAutoscaling, ScaleTarget } from '../lib/autoscaling';

/** The budget as 0.1 wrote it: a KubePodDisruptionBudget. */
function l1Budget(chart: Chart, id: string, d: Disruption, name: string, namespace: string, matchLabels: Record<string, string>): void {
  const value = typeof d.value === 'number' ? k8s.IntOrString.fromNumber(d.value) : k8s.IntOrString.fromString(d.value);
  new k8s.KubePodDisruptionBudget(chart, id, {
    metadata: { name, namespace },
    spec: { selector: { matchLabels }, [d.field]: value, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  });
}

const budgets: Array<[string, Disruption]> = [
  ['max-one', Disruption.maxUnavailable(1)],
  ['max-percent', Disruption.maxUnavailable('25%')],
  ['min-two', Disruption.minAvailable(2)],
  ['min-percent', Disruption.minAvailable('50%', { name: 'named-budget' })],
];

function render(build: (chart: Chart) => void, chartProps: { labels?: Record<string, string>; namespace?: string } = {}): string {
  const app = new App();
  build(new Chart(app, 'c', { disableResourceNameHashes: true, ...chartProps }));
  return manifestsToYaml(synthesizeApp(app).flatMap((c) => c.objects));
}

describe('PodDisruptionBudgets as plain ApiObjects render what KubePodDisruptionBudget rendered', () => {
  for (const chartProps of [{}, { labels: { team: 'shop', app: 'x' }, namespace: 'chart-ns' }]) {
    it(`for every kind of budget${chartProps.labels ? ', with chart labels and namespace' : ''}`, () => {
      const labels = { version: 'v1', app: 'reviews' };
      const ours = render((chart) => budgets.forEach(([id, d]) => d._create(chart, id, 'reviews', 'shop', labels)), chartProps);
      const theirs = render((chart) => budgets.forEach(([id, d]) => l1Budget(chart, id, d, d.options.name ?? 'reviews', 'shop', labels)), chartProps);
      expect(ours).toContain('kind: PodDisruptionBudget');
      expect(ours.split('---').length).toBe(budgets.length);
      expect(ours).toBe(theirs);
    });
  }

  it('tells them apart when they differ (the comparison can fail)', () => {
    const labels = { app: 'reviews' };
    const ours = render((chart) => Disruption.maxUnavailable(1)._create(chart, 'b', 'reviews', 'shop', labels));
    const theirs = render((chart) => l1Budget(chart, 'b', Disruption.maxUnavailable(2), 'reviews', 'shop', labels));
    expect(ours).not.toBe(theirs);
  });
});

/** The autoscaler as 0.1 wrote it: a KubeHorizontalPodAutoscalerV2 over the same settings. */
function l1Autoscaler(chart: Chart, id: string, target: ScaleTarget, scaling: ResolvedAutoscaling): void {
  const metrics: k8s.MetricSpecV2[] = [];
  if (scaling.targetCpuUtilization > 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCpuUtilization } } });
  if (scaling.targetMemoryUtilization !== undefined) metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: scaling.targetMemoryUtilization } } });
  for (const m of scaling.options.metrics ?? []) metrics.push(m._spec);
  const rules = (r?: NonNullable<AutoscalingOptions['scaleUp']>): k8s.HpaScalingRulesV2 | undefined => (r ? {
    stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
    selectPolicy: r.selectPolicy,
    policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
  } : undefined);
  const o = scaling.options;
  new k8s.KubeHorizontalPodAutoscalerV2(chart, id, {
    metadata: { name: o.name ?? target.name, namespace: target.namespace },
    spec: {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics,
      behavior: o.scaleUp || o.scaleDown ? { scaleUp: rules(o.scaleUp), scaleDown: rules(o.scaleDown) } : undefined,
    },
  });
}

const scalings: Array<[string, AutoscalingOptions]> = [
  ['defaults', {}],
  ['memory', { minReplicas: 3, maxReplicas: 30, targetMemoryUtilization: 80, name: 'named-hpa' }],
  ['no-cpu', { targetCpuUtilization: 0, metrics: [ScalingMetric.pods({ metricName: 'rps', averageValue: '100' })] }],
  ['metrics', {
    metrics: [
      ScalingMetric.pods({ metricName: 'rps', averageValue: '250m', selector: { b: '2', a: '1' } }),
      ScalingMetric.object({ metricName: 'hits', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, value: '2k' }),
      ScalingMetric.external({ metricName: 'queue', averageValue: '30', selector: { queue: 'orders' } }),
    ],
    scaleUp: { stabilizationWindow: Duration.seconds(0), selectPolicy: ScalingSelectPolicy.MAX, policies: [{ type: 'Percent', value: 100, period: Duration.seconds(15) }, { type: 'Pods', value: 4, period: Duration.seconds(15) }] },
    scaleDown: { stabilizationWindow: Duration.minutes(5) },
  }],
  ['down-only', { scaleDown: { policies: [{ type: 'Pods', value: 1, period: Duration.minutes(1) }] } }],
];

describe('HorizontalPodAutoscalers as plain ApiObjects render what KubeHorizontalPodAutoscalerV2 rendered', () => {
  const containers = [{ name: 'app', resources: { cpu: { request: '100m' }, memory: { request: '128Mi' } } }] as unknown as Parameters<typeof resolveAutoscaling>[3];
  function both(options: AutoscalingOptions, chartProps: { labels?: Record<string, string>; namespace?: string } = {}, l1Options = options): [string, string] {
    const target: ScaleTarget = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v1', namespace: 'shop' };
    const ours = render((chart) => createHorizontalPodAutoscaler(chart, 'hpa', target, resolveAutoscaling(chart, 'autoscaling', options, containers)), chartProps);
    const theirs = render((chart) => l1Autoscaler(chart, 'hpa', target, resolveAutoscaling(chart, 'autoscaling', l1Options, containers)), chartProps);
    return [ours, theirs];
  }
  for (const [id, options] of scalings) {
    it(`for ${id}`, () => {
      const [ours, theirs] = both(options);
      expect(ours).toContain('kind: HorizontalPodAutoscaler');
      expect(ours).toBe(theirs);
      const [ours2, theirs2] = both(options, { labels: { team: 'shop' }, namespace: 'chart-ns' });
      expect(ours2).toBe(theirs2);
    });
  }

  it('tells them apart when they differ (the comparison can fail)', () => {
    const [ours, theirs] = both({ metrics: [ScalingMetric.pods({ metricName: 'rps', averageValue: '100' })] }, {}, { metrics: [ScalingMetric.pods({ metricName: 'rps', averageValue: '101' })] });
    expect(ours).not.toBe(theirs);
  });
});

describe("VersionedService's Service as a plain ApiObject renders what KubeService rendered", () => {
  /** The Service as 0.1 wrote it, from the ports the new one has. */
  function l1Service(chart: Chart, svc: VersionedService): void {
    const spec = svc.service.toJson().spec as { ports: Array<{ name: string; port: number; targetPort: number; appProtocol: string }> };
    const labels = { app: svc.serviceName };
    new k8s.KubeService(chart, `${svc.node.id}-old`, {
      metadata: { name: svc.serviceName, namespace: svc.namespace, labels },
      spec: {
        selector: labels,
        ports: spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromNumber(p.targetPort), protocol: 'TCP', appProtocol: p.appProtocol })),
      },
    });
  }
  const services: Array<ConstructorParameters<typeof VersionedService>[2]> = [
    { versions: [{ name: 'v1', image: 'a:1' }] },
    { namespace: 'shop', port: 9080, versions: [{ name: 'v1', image: 'a:1' }] },
    { ports: [{ port: 80, targetPort: 8080 }, { port: 9090, protocol: AppProtocol.GRPC, name: 'grpc-api' }, { port: 8443, protocol: AppProtocol.TCP }], versions: [{ name: 'v1', image: 'a:1' }] },
  ];
  for (const chartProps of [{}, { labels: { team: 'shop' }, namespace: 'chart-ns' }]) {
    it(`for one and several ports${chartProps.labels ? ', with chart labels and namespace' : ''}`, () => {
      services.forEach((props, i) => {
        const app = new App();
        const chart = new Chart(app, 'c', { disableResourceNameHashes: true, ...chartProps });
        const svc = new VersionedService(chart, `svc${i}`, props);
        const old = new Chart(app, 'old', { disableResourceNameHashes: true, ...chartProps });
        l1Service(old, svc);
        const [ours, theirs] = synthesizeApp(app).map((c) => manifestsToYaml(c.objects.filter((o) => o.kind === 'Service')));
        expect(ours).toContain('kind: Service');
        expect(ours).toBe(theirs);
      });
    });
  }

  it('tells them apart when they differ (the comparison can fail)', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    new VersionedService(chart, 'svc', { port: 9080, versions: [{ name: 'v1', image: 'a:1' }] });
    const old = new Chart(app, 'old', { disableResourceNameHashes: true });
    l1Service(old, new VersionedService(new Chart(app, 'other', { disableResourceNameHashes: true }), 'svc', { port: 9081, versions: [{ name: 'v1', image: 'a:1' }] }));
    const [ours, theirs] = synthesizeApp(app).map((c) => manifestsToYaml(c.objects.filter((o) => o.kind === 'Service')));
    expect(ours).not.toBe(theirs);
  });
});
