import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { cpuMillis, GATEWAY_DEFAULT_RESOURCES, memoryQuantity, renderResources, validateResources } from '../lib/resources';

describe('resources', () => {
  it('parses CPU and renders memory as Kubernetes quantities', () => {
    expect(cpuMillis(Cpu.millis(1500))).toBe(1500);
    expect(cpuMillis(Cpu.units(2))).toBe(2000);
    expect(memoryQuantity(Size.gibibytes(2))).toBe('2Gi');
    expect(memoryQuantity(Size.mebibytes(1536))).toBe('1536Mi');
  });

  it('renders the guide defaults', () => {
    expect(renderResources(GATEWAY_DEFAULT_RESOURCES)).toEqual({
      requests: { cpu: expect.objectContaining({ value: '1000m' }), memory: expect.objectContaining({ value: '1Gi' }) },
      limits: { cpu: expect.objectContaining({ value: '2000m' }), memory: expect.objectContaining({ value: '2Gi' }) },
    });
  });

  it('rejects requests above limits and non-positive amounts', () => {
    expect(() => validateResources('x', 'resources', { cpu: { request: Cpu.millis(0) } })).toThrow(/x: invalid resources.cpu.request: received "0m"/);
    expect(() => validateResources('x', 'resources', { memory: { request: Size.mebibytes(600), limit: Size.mebibytes(512) } })).toThrow(/600Mi \(limit 512Mi\)/);
    expect(validateResources('x', 'resources', GATEWAY_DEFAULT_RESOURCES)).toBe(GATEWAY_DEFAULT_RESOURCES);
  });
});
