// The diff's property at scale (test:e2e): 300 random edges with a random single change each, 60
// random requests per case (test/support/diff-property.ts; npm test runs 16 cases).
import { describe, expect, it } from 'vitest';
import { runDiffProperty } from '../support/diff-property';

describe('diff property, larger run', () => {
  it('holds for 300 random edges and changes', () => {
    const r = runDiffProperty(50_000, 300, 60);
    expect(r.failures.slice(0, 20)).toEqual([]);
    expect(r.changedCases).toBeGreaterThan(150);
  }, 600_000);
});
