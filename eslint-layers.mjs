// The import direction of the package (shared/DESIGN.md, Layout), as an ESLint rule:
//   apps -> cli -> infra -> constructs -> synth/gateway-api/explain/analysis -> model/contract -> private
// A module imports its own layer or a lower one. The readers (analysis, explain, gateway-api, synth)
// read model/ and contract/, never a construct file (lib/*.ts); model/ and contract/ import only
// each other and private/; apps/ imports only the public entries. imports/ (generated L1 classes,
// loading cdk8s) is for constructs and above; below them only `import type` from it.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.dirname(new URL(import.meta.url).pathname);

/**
 * The public entries apps/ may import: package.json's exports (the constructs, the analysis, the
 * Pulumi components), explain's entry, and the command-line tool's modules (lib/cli/<command>.ts:
 * the bin and the commands it runs; apps -> cli is the direction's first step).
 */
export const PUBLIC_ENTRIES = ['lib/index.ts', 'lib/analysis/index.ts', 'lib/infra/index.ts', 'lib/infra/testing/index.ts', 'lib/explain/index.ts'];
const isPublicEntry = (rel) => PUBLIC_ENTRIES.includes(rel) || /^lib\/cli\/[^/]+\.ts$/.test(rel);

const RANK = { private: 0, model: 1, contract: 1, synth: 2, 'gateway-api': 2, explain: 2, analysis: 2, constructs: 3, infra: 4, cli: 5, apps: 6 };

/** The layer of a file (relative to the package root), or undefined outside lib/ and apps/. */
export function layerOf(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'apps') return 'apps';
  if (parts[0] === 'imports') return 'imports';
  if (parts[0] !== 'lib') return undefined;
  if (parts.length === 2) return 'constructs'; // lib/*.ts, lib/index.ts
  return parts[1] in RANK ? parts[1] : undefined;
}

/** Why `fromRel` may not import `toRel` (paths relative to the package root), or undefined when it may. */
export function violation(fromRel, toRel, typeOnly) {
  const from = layerOf(fromRel);
  const to = layerOf(toRel);
  if (from === undefined || to === undefined || from === to) return undefined;
  if (from === 'apps') {
    return isPublicEntry(toRel) ? undefined : `apps/ imports only the public entries (${PUBLIC_ENTRIES.join(', ')}, lib/cli/<command>.ts)`;
  }
  if (to === 'imports') {
    return typeOnly || RANK[from] >= RANK.constructs ? undefined : `${from}/ may import the generated classes of imports/ only with \`import type\` (they load cdk8s)`;
  }
  if (RANK[to] > RANK[from]) return `${from}/ may not import ${to === 'constructs' ? 'construct internals (lib/*.ts)' : `${to}/`}: the direction is apps -> cli -> infra -> constructs -> synth/gateway-api/explain/analysis -> model/contract -> private`;
  if (from === 'model' || from === 'contract') return to === 'private' || to === 'model' || to === 'contract' ? undefined : `${from}/ imports only model/, contract/ and private/`;
  return undefined;
}

/** The file an import names (relative to the package root): `<spec>.ts`, else `<spec>/index.ts`. */
function resolve(file, spec) {
  const abs = path.resolve(path.dirname(file), spec);
  const found = [abs, `${abs}.ts`, path.join(abs, 'index.ts')].find((c) => c.endsWith('.ts') && existsSync(c)) ?? `${abs}.ts`;
  return path.relative(ROOT, found).split(path.sep).join('/');
}

const rule = {
  meta: { type: 'problem', docs: { description: 'the import direction of the package (DESIGN.md, Layout)' }, schema: [] },
  create(context) {
    const file = context.filename;
    const fromRel = path.relative(ROOT, file).split(path.sep).join('/');
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const toRel = resolve(file, source);
      const why = violation(fromRel, toRel, typeOnly);
      if (why) context.report({ node, message: `${fromRel} -> ${toRel}: ${why}.` });
    };
    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        check(node, node.source.value, typeOnly);
      },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value, node.exportKind === 'type'); },
      ExportAllDeclaration(node) { if (node.source) check(node, node.source.value, node.exportKind === 'type'); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value, false); },
    };
  },
};

export default { rules: { direction: rule } };
