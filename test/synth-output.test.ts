// `npm run synth` writes nothing when validation fails: synthesizeChecked validates every target
// before it writes, and writeFilesAtomically writes all files or none. writeApp writes each object
// as it is rendered, all charts or none.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { manifestsToYaml, synthesizeApp, synthesizeChecked, writeApp, writeFilesAtomically } from '../lib';

function app(minAvailable: number): App {
  const a = new App();
  const chart = new Chart(a, 'edge', { disableResourceNameHashes: true });
  const labels = { app: 'web' };
  new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  new ApiObject(chart, 'Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'web', image: 'web:1' }] } } },
  });
  new ApiObject(chart, 'Budget', {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' },
    spec: { minAvailable, selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  });
  return a;
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'synth-'));

describe('synthesizeChecked', () => {
  it('writes every target once all are valid', async () => {
    const out = tmp();
    const outcome = await synthesizeChecked(out, [{ name: 'dev', app: app(1) }, { name: 'prod', app: app(1), extraFiles: () => [{ path: 'alerts/prod.rules.yaml', content: 'groups: []\n' }] }]);
    expect(outcome.written).toBe(true);
    expect(readdirSync(path.join(out, 'dev'))).toEqual(['edge.k8s.yaml']);
    expect(readFileSync(path.join(out, 'alerts', 'prod.rules.yaml'), 'utf8')).toBe('groups: []\n');
  });

  it('writes nothing, not even the valid targets or the extra files, when one target has an error', async () => {
    const out = tmp();
    writeFileSync(path.join(out, 'kept.txt'), 'before');
    const outcome = await synthesizeChecked(out, [
      { name: 'dev', app: app(1), extraFiles: () => [{ path: 'x', content: '' }] },
      { name: 'prod', app: app(2) },
    ]);
    expect(outcome.written).toBe(false);
    expect(outcome.findings.find((f) => f.name === 'prod')!.findings.map((f) => f.check)).toContain('PodDisruptionBudgetBlocksEviction');
    expect(readdirSync(out)).toEqual(['kept.txt']);
  });

  it('asks for the extra files before validating (so that their slow work overlaps it), and raises their failure only when everything is valid', async () => {
    const order: string[] = [];
    const failing = (how: 'throw' | 'reject') => (objects: readonly unknown[]) => {
      order.push(`extra files of ${objects.length} objects`);
      if (how === 'throw') throw new Error('no picture');
      return Promise.reject(new Error('no picture'));
    };
    for (const how of ['throw', 'reject'] as const) {
      const out = tmp();
      order.length = 0;
      // prod is invalid: its findings are the answer, the failure of dev's extra files is not raised.
      const invalid = await synthesizeChecked(out, [{ name: 'dev', app: app(1), extraFiles: failing(how) }, { name: 'prod', app: app(2) }]);
      expect([invalid.written, order]).toEqual([false, ['extra files of 3 objects']]);
      expect(readdirSync(out)).toEqual([]);
      // Everything valid: the failure is raised, nothing is written.
      await expect(synthesizeChecked(out, [{ name: 'dev', app: app(1), extraFiles: failing(how) }, { name: 'prod', app: app(1) }])).rejects.toThrow('no picture');
      expect(readdirSync(out)).toEqual([]);
    }
  });
});

describe('writeFilesAtomically', () => {
  it('leaves every target as it was, and no temporary file, when one file cannot be written', () => {
    const out = tmp();
    mkdirSync(path.join(out, 'dev'));
    writeFileSync(path.join(out, 'dev', 'edge.k8s.yaml'), 'old');
    writeFileSync(path.join(out, 'blocker'), 'a file where a folder is needed');
    expect(() => writeFilesAtomically(out, [
      { path: 'dev/edge.k8s.yaml', content: 'new' },
      { path: 'blocker/prod/edge.k8s.yaml', content: 'new' },
    ])).toThrow();
    expect(readFileSync(path.join(out, 'dev', 'edge.k8s.yaml'), 'utf8')).toBe('old');
    expect(readdirSync(path.join(out, 'dev'))).toEqual(['edge.k8s.yaml']);
    expect(existsSync(path.join(out, 'blocker', 'prod'))).toBe(false);
  });
});

describe('writeApp', () => {
  // Objects enough for several writes to the file (it is written in pieces of 256 KiB).
  function big(a: App, id: string, count: number): Chart {
    const chart = new Chart(a, id, { disableResourceNameHashes: true });
    for (let i = 0; i < count; i++) new ApiObject(chart, `c${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { text: `${i} `.repeat(1000) } });
    return chart;
  }

  it('writes each chart\'s file as manifestsToYaml renders its objects, and says what it wrote', () => {
    const out = tmp();
    const a = new App();
    big(a, 'one', 300);
    big(a, 'two', 1);
    new Chart(a, 'empty');
    const written = writeApp(a, out);
    const expected = synthesizeApp(a);
    expect(written).toEqual(expected.map((c) => ({ name: c.name, file: path.join(out, `${c.name}.k8s.yaml`), objects: c.objects.length })));
    for (const c of expected) expect(readFileSync(path.join(out, `${c.name}.k8s.yaml`), 'utf8')).toBe(manifestsToYaml(c.objects));
    expect(readFileSync(path.join(out, 'one.k8s.yaml'), 'utf8').length).toBeGreaterThan(3 * 2 ** 18);
    expect(readdirSync(out).sort()).toEqual(['empty.k8s.yaml', 'one.k8s.yaml', 'two.k8s.yaml']);
  });

  it('writes nothing when an object of a later chart cannot be rendered: the earlier files stay as they were, no temporary file', () => {
    const out = tmp();
    writeFileSync(path.join(out, 'one.k8s.yaml'), 'old');
    const a = new App();
    big(a, 'one', 300);
    const bad = new Chart(a, 'two', { disableResourceNameHashes: true });
    class Box { constructor(public readonly x: number) {} }
    new ApiObject(bad, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: { box: new Box(1) } });
    expect(() => writeApp(a, out)).toThrow(/Failed serializing construct at path 'two\/bad'.*non-simple object of type 'Box'/);
    expect(readdirSync(out)).toEqual(['one.k8s.yaml']);
    expect(readFileSync(path.join(out, 'one.k8s.yaml'), 'utf8')).toBe('old');
  });
});
