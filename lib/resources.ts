import { Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fail } from './private/errors';

export { ContainerResources, Cpu };

/**
 * The gateway container's resources recommended by the guide the package grew from:
 * requests cpu 1000m / memory 1Gi, limits cpu 2000m / memory 2Gi.
 */
export const GATEWAY_DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(1000), limit: Cpu.millis(2000) },
  memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
};

/** Default resources of an application container: requests 250m / 256Mi, limits 1000m / 512Mi. */
export const SERVICE_DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(250), limit: Cpu.millis(1000) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};

/** CPU amount in millicores ("1500m" → 1500, "2" → 2000). */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}

/** Renders a memory Size as a Kubernetes quantity: whole gibibytes as "1Gi", otherwise mebibytes ("512Mi"). */
export function memoryQuantity(size: Size): string {
  const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.ceil(mib)}Mi`;
}

/**
 * Checks a container's resources: every amount positive, no request above its limit.
 * @param property the property path shown in the error, for example "resources".
 */
export function validateResources(scope: IConstruct | string, property: string, resources: ContainerResources): ContainerResources {
  if (resources === null || typeof resources !== 'object') fail(scope, property, resources, 'Give { cpu?: { request?, limit? }, memory?: { request?, limit? } }.');
  const cpu = resources.cpu;
  for (const [kind, value] of [['request', cpu?.request], ['limit', cpu?.limit]] as const) {
    if (value !== undefined && (!(value instanceof Cpu) || typeof value.amount !== 'string')) fail(scope, `${property}.cpu.${kind}`, value, 'Use Cpu.millis(500) or Cpu.units(1).');
    if (value && !(cpuMillis(value) > 0)) fail(scope, `${property}.cpu.${kind}`, value.amount, 'Use a positive amount, for example Cpu.millis(500).');
  }
  if (cpu?.request && cpu.limit && cpuMillis(cpu.request) > cpuMillis(cpu.limit)) {
    fail(scope, `${property}.cpu.request`, `${cpu.request.amount} (limit ${cpu.limit.amount})`,
      'A request above its limit is rejected by the API server: lower the request or raise the limit.');
  }
  const mem = resources.memory;
  for (const [kind, value] of [['request', mem?.request], ['limit', mem?.limit]] as const) {
    if (value !== undefined && !(value instanceof Size)) fail(scope, `${property}.memory.${kind}`, value, 'Use Size.mebibytes(256) or Size.gibibytes(1).');
    if (value && !(value.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) < Number.POSITIVE_INFINITY)) fail(scope, `${property}.memory.${kind}`, value.toMebibytes({ rounding: SizeRoundingBehavior.NONE }), 'Use a finite size, for example Size.mebibytes(256).');
    if (value && !(value.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) > 0)) fail(scope, `${property}.memory.${kind}`, memoryQuantity(value), 'Use a positive size, for example Size.mebibytes(256).');
  }
  if (mem?.request && mem.limit && mem.request.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) > mem.limit.toKibibytes({ rounding: SizeRoundingBehavior.NONE })) {
    fail(scope, `${property}.memory.request`, `${memoryQuantity(mem.request)} (limit ${memoryQuantity(mem.limit)})`,
      'A request above its limit is rejected by the API server: lower the request or raise the limit.');
  }
  return resources;
}

/** Renders resources for a k8s L1 container spec. */
export function renderResources(resources: ContainerResources): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (resources.cpu?.request) requests.cpu = k8s.Quantity.fromString(resources.cpu.request.amount);
  if (resources.memory?.request) requests.memory = k8s.Quantity.fromString(memoryQuantity(resources.memory.request));
  if (resources.cpu?.limit) limits.cpu = k8s.Quantity.fromString(resources.cpu.limit.amount);
  if (resources.memory?.limit) limits.memory = k8s.Quantity.fromString(memoryQuantity(resources.memory.limit));
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}
