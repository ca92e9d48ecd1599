// The import graph of lib/: no runtime import cycle among its modules (a cycle makes a module see
// another's exports as undefined depending on which is loaded first). Type-only imports are erased
// at compile time and do not count.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = path.join(__dirname, '..', 'lib');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The lib/ modules a module loads at run time (relative imports and re-exports, not `import type`). */
export function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?from\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue; // import type / export type
    const clause = m[3] ?? '';
    // `import { type A, type B } from` is erased too.
    const names = /^\{([^}]*)\}\s*from\s+$/.exec(clause.trim() + ' ')?.[1];
    if (names !== undefined && names.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type '))) continue;
    const base = path.resolve(path.dirname(file), m[4]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(c));
    if (target) out.push(target);
  }
  for (const m of source.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(c));
    if (target) out.push(target);
  }
  return out;
}

/** The cycles of the graph (each as the modules along it), found by a depth-first walk. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('the import graph of lib/', () => {
  const graph = new Map(files(LIB).map((f) => [f, runtimeImports(f)]));
  const rel = (c: string[]) => c.map((f) => path.relative(LIB, f)).join(' -> ');

  it('has no runtime import cycle', () => {
    expect(cycles(graph).map(rel)).toEqual([]);
  });

  it('the walk finds a cycle when there is one (schema.ts -> gateway-api-crd.ts -> crd-schema.ts -> schema.ts, as it was)', () => {
    const f = (n: string) => path.join(LIB, 'analysis', 'schema', n);
    const before = new Map(graph);
    before.set(f('crd-schema.ts'), [...(graph.get(f('crd-schema.ts')) ?? []), f('schema.ts')]);
    const found = cycles(before).map((c) => new Set(c.map((n) => path.relative(LIB, n))));
    expect(found.some((c) => c.size === 3 && ['schema.ts', 'gateway-api-crd.ts', 'crd-schema.ts'].every((n) => c.has(`analysis/schema/${n}`)))).toBe(true);
    expect(runtimeImports(f('schema.ts'))).toContain(f('gateway-api-crd.ts'));
  });
});

describe('the import direction (eslint-layers.mjs, run by npm run lint)', async () => {
  const { violation } = await import('../eslint-layers.mjs');

  it('lets each layer import its own and lower layers', () => {
    expect(violation('lib/app-route.ts', 'lib/contract/keys.ts', false)).toBeUndefined();
    expect(violation('lib/analysis/checks/x/y.ts', 'lib/model/objects.ts', false)).toBeUndefined();
    expect(violation('lib/model/objects.ts', 'lib/contract/hosts.ts', false)).toBeUndefined();
    expect(violation('lib/model/objects.ts', 'imports/k8s.ts', true)).toBeUndefined();
    expect(violation('lib/infra/program/edge-program.ts', 'lib/alerts.ts', false)).toBeUndefined();
    expect(violation('apps/edge.ts', 'lib/index.ts', false)).toBeUndefined();
    expect(violation('apps/analyze.ts', 'lib/cli/main.ts', false)).toBeUndefined();
  });

  it('refuses imports against the direction', () => {
    expect(violation('lib/explain/match.ts', 'lib/app-route.ts', true)).toMatch(/construct internals/);
    expect(violation('lib/gateway-api/convert.ts', 'lib/app-route.ts', false)).toMatch(/construct internals/);
    expect(violation('lib/model/json.ts', 'lib/explain/index.ts', false)).toMatch(/model\/ may not import explain\//);
    expect(violation('lib/contract/keys.ts', 'lib/analysis/analyze.ts', false)).toMatch(/contract\/ may not import analysis\//);
    expect(violation('lib/private/text.ts', 'lib/contract/hosts.ts', false)).toMatch(/private\/ may not import contract\//);
    expect(violation('lib/model/json.ts', 'imports/k8s.ts', false)).toMatch(/only with `import type`/);
    expect(violation('lib/app-route.ts', 'lib/infra/index.ts', false)).toMatch(/may not import infra\//);
    expect(violation('apps/edge.ts', 'lib/app-route.ts', false)).toMatch(/public entries/);
    expect(violation('apps/edge.ts', 'lib/analysis/messages.ts', false)).toMatch(/public entries/);
  });
});
