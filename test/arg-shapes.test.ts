// The run-time argument shapes (lib/private/arg-shapes.ts) are generated from the options
// interfaces of lib/*.ts by scripts/arg-shapes.cjs; this fails when they are stale. In `npm test`
// (building the TypeScript program of lib/ takes about 3 s): a changed options interface without
// `node scripts/arg-shapes.cjs` is the usual way to get here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('run-time argument shapes', () => {
  it('the generated shapes are those of the interfaces (node scripts/arg-shapes.cjs)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { generate, OUT } = require('../scripts/arg-shapes.cjs') as { generate(): string; OUT: string };
    expect(readFileSync(OUT, 'utf8')).toBe(generate());
    expect(OUT).toBe(join(__dirname, '..', 'lib', 'private', 'arg-shapes.ts'));
  }, 60_000);

});
