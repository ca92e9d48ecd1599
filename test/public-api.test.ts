// The public surface: lib/index.ts names every export, the README's Public API section lists
// exactly those, and no internal helper leaks out.
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as lib from '../lib';
import * as pulumiEntry from '../lib/infra';
import * as testingEntry from '../lib/infra/testing';

const ENTRY_MODULES: Record<string, Record<string, unknown>> = { 'lib/infra/index.ts': pulumiEntry, 'lib/infra/testing/index.ts': testingEntry };

/** The names an entry point exports: it has only named export declarations (tested below), so its syntax tells them exactly. */
function exportedNames(file = 'lib/index.ts'): string[] {
  const source = ts.createSourceFile('index.ts', readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      names.push(...statement.exportClause.elements.map((e) => e.name.text));
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      throw new Error(`${file} declares an export itself: ${statement.getText(source)}`);
    }
  }
  return names.sort();
}

/**
 * The names the README's Public API section lists: for `istio-aks-edge`, the bullets before its
 * first subsection; for another entry, the bullets of its subsection ("### `istio-aks-edge/pulumi`").
 */
function readmeNames(entry = 'istio-aks-edge'): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Public API\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start, 'README has a Public API section').toBeGreaterThan(0);
  const section = readme.slice(start, end);
  const parts = section.split(/\n### /);
  const part = entry === 'istio-aks-edge' ? parts[0] : parts.find((p) => p.startsWith(`\`${entry}\`\n`));
  expect(part, `README's Public API has a subsection ### \`${entry}\``).toBeDefined();
  return [...part!.matchAll(/^- \*\*[^*]+\*\*: (.*)$/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((n) => n[1])).sort();
}

describe('public API', () => {
  it('lib/index.ts names its exports one by one (no export *)', () => {
    expect(readFileSync('lib/index.ts', 'utf8')).not.toMatch(/export \*/);
  });

  it('the README lists exactly the exports of lib/index.ts', () => {
    expect(readmeNames()).toEqual(exportedNames());
  });

  it('every runtime export is one lib/index.ts names', () => {
    const named = new Set(exportedNames());
    for (const name of Object.keys(lib)) expect(named.has(name), name).toBe(true);
  });

  it('no internal helper is exported at run time', () => {
    const runtime = Object.keys(lib);
    for (const internal of ['fail', 'describeProblem', 'validateDnsLabel', 'hostCoveredBy', 'istioDuration', 'promDuration', 'operation',
      'principal', 'toCel', 'podsOf', 'renderResources', 'selects', 'resolveAutoscaling', 'topologySpread', 'renderTrafficPolicy', 'serviceHost']) {
      expect(runtime, internal).not.toContain(internal);
    }
  });

  describe.each([['istio-aks-edge/pulumi', 'lib/infra/index.ts'], ['istio-aks-edge/pulumi/testing', 'lib/infra/testing/index.ts']])('%s (%s)', (entry, file) => {
    it('names its exports one by one (no export *), and the README lists exactly them', () => {
      expect(readFileSync(file, 'utf8')).not.toMatch(/export \*/);
      expect(readmeNames(entry)).toEqual(exportedNames(file));
    });

    it('every runtime export is one it names; package.json exports it', () => {
      const named = new Set(exportedNames(file));
      const runtime = Object.keys(ENTRY_MODULES[file]);
      expect(runtime.length).toBeGreaterThan(0);
      for (const name of runtime) expect(named.has(name), name).toBe(true);
      const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { default: string }> };
      expect(pkg.exports[`./${entry.replace(/^istio-aks-edge\//, '')}`].default).toBe(`./build/${file.replace(/\.ts$/, '.js')}`);
    });
  });

  it('the mocks are in the testing entry only, not in istio-aks-edge/pulumi', () => {
    const testing: Record<string, unknown> = testingEntry;
    const pulumi: Record<string, unknown> = pulumiEntry;
    for (const name of ['EdgeMocks', 'settle', 'valueOf', 'UNKNOWN', 'MOCK_KUBECONFIG', 'MOCK_DEPLOYER']) {
      expect(pulumi[name], name).toBeUndefined();
      expect(testing[name], name).toBeDefined();
    }
    expect(exportedNames('lib/infra/index.ts')).not.toContain('EdgeMocksOptions');
  });
});
