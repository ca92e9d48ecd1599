import { describe, expect, it } from 'vitest';
import { ScalingMetric } from '../lib';
import { createHorizontalPodAutoscaler, resolveAutoscaling } from '../lib/autoscaling';
import { GATEWAY_DEFAULT_RESOURCES } from '../lib/resources';
import { newChart, synthValid } from './support/synth';

const containers = [{ name: 'app', resources: GATEWAY_DEFAULT_RESOURCES }];

describe('autoscaling', () => {
  it('defaults to 2..10 replicas at 70% CPU', () => {
    const r = resolveAutoscaling(newChart(), 'autoscaling', {}, containers);
    expect([r.minReplicas, r.maxReplicas, r.targetCpuUtilization, r.targetMemoryUtilization]).toEqual([2, 10, 70, undefined]);
  });

  it('can scale on custom metrics only', async () => {
    const chart = newChart();
    const r = resolveAutoscaling(chart, 'autoscaling', {
      targetCpuUtilization: 0, metrics: [ScalingMetric.pods({ metricName: 'rps', averageValue: '100' })],
    }, [{ name: 'app' }]);
    createHorizontalPodAutoscaler(chart, 'hpa', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', namespace: 'ns' }, r);
    const [hpa] = await synthValid(chart) as any[];
    expect(hpa.spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }]);
  });

  it('refuses an autoscaler without any metric, and out-of-range behaviour', () => {
    expect(() => resolveAutoscaling(newChart(), 'autoscaling', { targetCpuUtilization: 0 }, containers))
      .toThrow(/test: invalid autoscaling.targetCpuUtilization: received 0\. An autoscaler needs at least one metric/);
    expect(() => resolveAutoscaling(newChart(), 'autoscaling', { targetCpuUtilization: 12.5 }, containers)).toThrow(/whole percentage/);
  });
});
