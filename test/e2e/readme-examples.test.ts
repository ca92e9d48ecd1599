// The README's TypeScript examples type-check against the package's entry points (a TypeScript
// program of its own, about 12 s: in the end-to-end command, `npm run test:e2e`).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../support/exports';

const ROOT = resolve(__dirname, '..', '..');

/** The ```ts blocks of a Markdown file. */
function tsBlocks(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

describe('README', () => {
  it('every TypeScript example type-checks, with the package imported by its public names', () => {
    const blocks = tsBlocks(join(ROOT, 'README.md'));
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    // Under build/ (ignored by git) so that cdk8s and the others resolve from this repository.
    const dir = join(ROOT, 'build', 'readme-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // A block with imports starts a file; the blocks after it without imports continue it (the
    // guide's running example: chart, gateway, api, ...), with the package's other names in scope.
    const groups: string[][] = [];
    for (const code of blocks) {
      if (/^import /m.test(code) || groups.length === 0) groups.push([code]);
      else groups[groups.length - 1].push(code);
    }
    const packageNames = exportedNames(join(ROOT, 'lib', 'index.ts'));
    const files = groups.map((group, i) => {
      const code = group.join('\n');
      const imported = new Set([...code.matchAll(/^import (?:type )?\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim())));
      const missing = (names: string[]) => names.filter((n) => !imported.has(n) && new RegExp(`\\b${n}\\b`).test(code));
      const declared = (name: string) => new RegExp(`(const|let) ${name}\\b`).test(code);
      const free = [['chart', 'Chart'], ['gateway', 'IngressGateway'], ['api', 'VersionedService'], ['storefront', 'VersionedService'], ['reviews', 'VersionedService']]
        .filter(([n]) => new RegExp(`\\b${n}\\b`).test(code) && !declared(n));
      // The types of the free names are imported too (an example may name "api" only in a path string).
      const freeTypes = new Set(free.map(([, t]) => t));
      const more = [...new Set([...missing(packageNames), ...[...freeTypes].filter((t) => t !== 'Chart' && !imported.has(t))])];
      const cdk8s = [...new Set([...missing(['ApiObject', 'App', 'Chart', 'Duration', 'Size']), ...(freeTypes.has('Chart') && !imported.has('Chart') ? ['Chart'] : [])])];
      const prelude = [
        more.length ? `import { ${more.join(', ')} } from 'istio-aks-edge';` : '',
        cdk8s.length ? `import { ${cdk8s.join(', ')} } from 'cdk8s';` : '',
        ...free.map(([n, t]) => `declare const ${n}: ${t};`),
      ].filter(Boolean).join('\n');
      const file = join(dir, `example-${i + 1}.ts`);
      writeFileSync(file, `${code}\n${prelude}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true,
      noEmit: true, skipLibCheck: true, esModuleInterop: true, types: ['node'],
      paths: {
        'istio-aks-edge': [join(ROOT, 'lib', 'index.ts')],
        'istio-aks-edge/analysis': [join(ROOT, 'lib', 'analysis', 'index.ts')],
        'istio-aks-edge/explain': [join(ROOT, 'lib', 'explain', 'index.ts')],
        'istio-aks-edge/pulumi': [join(ROOT, 'lib', 'infra', 'index.ts')],
        'istio-aks-edge/pulumi/testing': [join(ROOT, 'lib', 'infra', 'testing', 'index.ts')],
      },
    });
    const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(resolve(d.file.fileName)))
      .map((d) => `${d.file!.fileName.replace(`${dir}/`, '')}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 120_000);
});

