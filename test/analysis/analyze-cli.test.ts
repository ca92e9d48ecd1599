// `npm run analyze`: on hand-written broken manifests, and on the example app's output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../../apps/edge';
import { writeApp } from '../../lib';
import { environments } from '../../apps/environments';
import { CHECKS } from '../../lib';
import { testCrd } from '../support/crd';

function analyze(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/analyze.ts', ...args], { encoding: 'utf8' });
}

describe('npm run analyze', () => {
  it('reports every check by name on the broken manifests, with file and object, and exits 1', () => {
    const { stdout, status } = analyze('test/fixtures/broken', '--production');
    expect(status).toBe(1);
    for (const name of [...CHECKS.map((c) => c.name), 'SchemaInvalid', 'CustomResourceInvalid']) {
      expect(stdout, name).toMatch(new RegExp(`^(ERROR|WARNING|INFO) +${name} test/fixtures/broken/\\w+\\.yaml: \\w+ ([a-z-]+/)?[a-z-]+`, 'm'));
    }
    expect(stdout).toMatch(/CustomResourceInvalid test\/fixtures\/broken\/schema.yaml: VirtualService schema\/no-timeout spec.http\[0\].timeout: must be a valid duration greater than 1ms/);
    expect(stdout).toMatch(/^31 objects: \d+ errors, \d+ warnings, 0 infos\.$/m);
  });

  it('gives JSON on request', () => {
    const { stdout, status } = analyze('test/fixtures/broken/scaling.yaml', '--json');
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.objects).toBe(3);
    expect(report.findings.map((f: any) => f.check).sort()).toEqual([
      'HorizontalPodAutoscalerTargetWithoutRequests', 'PodDisruptionBudgetBlocksEviction', 'PrivilegedOrRootContainer', 'ReplicasWithHorizontalPodAutoscaler',
    ]);
    expect(report.findings[0]).toEqual({ check: expect.any(String), severity: expect.any(String), object: expect.any(String), field: expect.any(String), message: expect.any(String), file: 'test/fixtures/broken/scaling.yaml' });
  });

  it.each(['dev', 'prod'] as const)('passes the example app\'s %s output (exit 0)', (name) => {
    const outdir = mkdtempSync(join(tmpdir(), 'edge-analyze-'));
    writeApp(buildEdgeApp(environments[name]), outdir);
    const { stdout, status } = analyze(outdir, ...(environments[name].production ? ['--production'] : []));
    expect(stdout).toMatch(new RegExp(`^${name === 'prod' ? 40 : 39} objects: 0 errors, 0 warnings, 0 infos\\.$`, 'm'));
    expect(status).toBe(0);
  });

  it('validates custom resources against the CRDs given with --crds (schema and CEL)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-crds-'));
    writeFileSync(join(dir, 'widget-crd.yaml'), testCrd('Widget', `
type: object
properties:
  min: { type: integer }
  max: { type: integer }
x-kubernetes-validations:
- rule: self.min <= self.max
  message: min must not exceed max
`));
    const manifests = join(dir, 'widget.yaml');
    writeFileSync(manifests, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: ns }\nspec: { min: 5, max: 1 }\n');
    const { stdout, status } = analyze(manifests, '--crds', dir);
    expect(stdout).toMatch(/ERROR +CustomResourceInvalid .*widget.yaml: Widget ns\/w spec: min must not exceed max/);
    expect(status).toBe(1);
  });

  it('explains its usage', () => {
    const { stderr, status } = analyze();
    expect(status).toBe(2);
    expect(stderr).toMatch(/Usage: istio-aks-edge analyze <files or folders>/);
  });
});
