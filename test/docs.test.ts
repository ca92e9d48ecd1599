// The docs: the API reference in docs/api/ (typedoc, `npm run docs`) documents every export of each
// entry point. The README's TypeScript examples are type-checked in test/e2e/readme-examples.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedNames } from './support/exports';

const ROOT = resolve(__dirname, '..');

describe('API reference (docs/api, `npm run docs`)', () => {
  const pages = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : [e.name.replace(/\.md$/, '')]));

  it.each([['index', 'lib/index.ts'], ['analysis', 'lib/analysis/index.ts'], ['explain', 'lib/explain/index.ts'], ['infra', 'lib/infra/index.ts'], ['infra/testing', 'lib/infra/testing/index.ts']])('documents every export of %s (%s)', (module, source) => {
    const docs = join(ROOT, 'docs', 'api', module);
    expect(existsSync(docs), 'run npm run docs').toBe(true);
    // A name exported by two entry points has one page, under the first.
    const documented = new Set(pages(join(ROOT, 'docs', 'api')));
    const missing = exportedNames(join(ROOT, source)).filter((n) => !documented.has(n));
    expect(missing, 'exports without a page in docs/api: run npm run docs and commit docs/api').toEqual([]);
  });
});
