// private/compact.ts: what cdk8s and constructs keep per construct, trimmed (issue 28's memory),
// without changing what the constructs render or what their methods still do afterwards.
import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { compactConstruct, compactTree } from '../lib/private/compact';
import { synthesizeApp } from '../lib/synth/synth';
import { DestinationRule } from '../imports/istio-networking.istio.io';

interface Internals {
  props: Record<string, unknown>;
  metadata: { _additionalAttributes: Record<string, unknown> };
}

function objects(): { app: App; chart: Chart; plain: ApiObject; rule: DestinationRule } {
  const app = new App();
  const chart = new Chart(app, 'c', { labels: { team: 'a' } });
  const scope = new Construct(chart, 'scope');
  const plain = new ApiObject(scope, 'plain', {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'ns', labels: { app: 'x' }, annotations: { note: 'n' } },
    data: { key: Lazy.any({ produce: () => 'later' }) },
  });
  const rule = new DestinationRule(scope, 'rule', { metadata: { name: 'dr', labels: { app: 'x' } }, spec: { host: 'x' } });
  return { app, chart, plain, rule };
}

describe('compactTree', () => {
  it('renders the same objects, and the metadata and patch methods still reach the output', () => {
    const before = objects();
    const after = objects();
    compactTree(after.chart);
    // cdk8s's own rendering and the package's fast one.
    expect(after.plain.toJson()).toEqual(before.plain.toJson());
    expect(after.rule.toJson()).toEqual(before.rule.toJson());
    expect(synthesizeApp(after.app)).toEqual(synthesizeApp(before.app));
    for (const { plain, rule } of [before, after]) {
      plain.metadata.addLabel('added', 'yes');
      plain.metadata.add('generateName', 'cm-');
      plain.metadata.addFinalizers('example.com/f');
      rule.addJsonPatch(JsonPatch.add('/spec/exportTo', ['.']));
      rule.node.addValidation({ validate: () => [] });
    }
    expect(synthesizeApp(after.app)).toEqual(synthesizeApp(before.app));
    const cm = synthesizeApp(after.app)[0].objects[0];
    expect(cm.metadata).toEqual({ name: 'cm', namespace: 'ns', labels: { added: 'yes', app: 'x', team: 'a' }, annotations: { note: 'n' }, finalizers: ['example.com/f'], generateName: 'cm-' });
  });

  it('drops only the copies toJson never reads, keeping every key in its order', () => {
    const { chart, plain } = objects();
    const internals = plain as unknown as Internals;
    const keys = Object.keys(internals.metadata._additionalAttributes);
    const propKeys = Object.keys(internals.props);
    compactTree(chart);
    expect(Object.keys(internals.metadata._additionalAttributes)).toEqual(keys);
    expect(internals.metadata._additionalAttributes.labels).toBeUndefined();
    expect(internals.metadata._additionalAttributes.annotations).toEqual({ note: 'n' });
    expect(Object.keys(internals.props)).toEqual(propKeys);
    expect(internals.props.metadata).toBeUndefined();
    // The scopes and paths are what they were.
    expect(plain.node.scopes.map((s) => s.node.id)).toEqual(['', 'c', 'scope', 'plain']);
    expect(plain.node.root).toBe(chart.node.root);
  });

  it('leaves alone what does not look as cdk8s makes it', () => {
    const { plain } = objects();
    const internals = plain as unknown as Internals;
    const labels = (plain.metadata as unknown as { labels: object }).labels;
    internals.metadata._additionalAttributes.labels = labels;
    compactConstruct(plain);
    expect(internals.metadata._additionalAttributes.labels).toBe(labels);
  });
});
