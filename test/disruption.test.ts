import { describe, expect, it } from 'vitest';
import { Disruption } from '../lib';
import { newChart } from './support/synth';

describe('Disruption', () => {
  it('counts the evictions a budget allows (percentages rounded up, as Kubernetes does)', () => {
    expect(Disruption.minAvailable(1)._allowedDisruptions(2)).toBe(1);
    expect(Disruption.minAvailable(2)._allowedDisruptions(2)).toBe(0);
    expect(Disruption.minAvailable('50%')._allowedDisruptions(3)).toBe(1);
    expect(Disruption.minAvailable('90%')._allowedDisruptions(3)).toBe(0);
    expect(Disruption.maxUnavailable(1)._allowedDisruptions(1)).toBe(1);
    expect(Disruption.maxUnavailable('10%')._allowedDisruptions(3)).toBe(1);
    expect(Disruption.maxUnavailable(0)._allowedDisruptions(5)).toBe(0);
  });

  it('reports a budget that blocks every drain with the replica count it was checked against', () => {
    const scope = newChart();
    expect(Disruption.minAvailable(3)._checkAgainst(scope, 'disruption', 3, 'replicas'))
      .toBe('test: invalid disruption.minAvailable: received 3. With 3 pod(s) (replicas) this budget allows no eviction, so every node drain and cluster upgrade blocks: use a minAvailable below 3, or raise the replicas.');
    expect(Disruption.minAvailable(1)._checkAgainst(scope, 'disruption', 2, 'replicas')).toBeUndefined();
    expect(Disruption.minAvailable(-1)._checkAgainst(scope, 'disruption', 2, 'replicas')).toMatch(/whole number of pods/);
  });
});
