// Objects the package writes as plain cdk8s ApiObjects that were generated L1 classes until 0.2
// (the PodDisruptionBudget, lib/disruption.ts). This renders the same budgets both ways and compares
// the YAML byte for byte: the generated class's mapping (field order, IntOrString values, fields it
// drops) must be what the plain object writes.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { Disruption, manifestsToYaml, synthesizeApp } from '../lib';

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
