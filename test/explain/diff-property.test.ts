// The diff's property on random edges and single random changes (fixed seed, a few seconds; a
// larger run is in test/e2e/diff-property.test.ts): see test/support/diff-property.ts.
import { describe, expect, it } from 'vitest';
import { runDiffProperty } from '../support/diff-property';

describe('diff property', () => {
  it('every request on which explain differs falls in a reported class, and every reported example differs', () => {
    const r = runDiffProperty(1000, 16, 40);
    expect(r.failures).toEqual([]);
    // The run is not vacuous: most changes change something, and random requests meet them.
    expect(r.changedCases).toBeGreaterThanOrEqual(9);
    expect(r.differing).toBeGreaterThan(40);
  });
});
