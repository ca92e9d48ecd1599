// The public surface: lib/index.ts names every export, the README's Public API section lists
// exactly those, and no internal helper leaks out.
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as lib from '../lib';

/** The names lib/index.ts exports: it has only named export declarations (tested below), so its syntax tells them exactly. */
function exportedNames(): string[] {
  const source = ts.createSourceFile('index.ts', readFileSync('lib/index.ts', 'utf8'), ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      names.push(...statement.exportClause.elements.map((e) => e.name.text));
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      throw new Error(`lib/index.ts declares an export itself: ${statement.getText(source)}`);
    }
  }
  return names.sort();
}

function readmeNames(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Public API\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start, 'README has a Public API section').toBeGreaterThan(0);
  const section = readme.slice(start, end);
  return [...section.matchAll(/^- \*\*[^*]+\*\*: (.*)$/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((n) => n[1])).sort();
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
});
