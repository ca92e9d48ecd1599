/**
 * Changes Azure refuses or only makes by rebuilding, caught before anything is sent: the stack
 * exports what it deployed (`deployed`), reads it back on the next run through a StackReference to
 * itself before declaring anything, and refuses a change of zones, region or system pool VM size.
 */
import * as pulumi from '@pulumi/pulumi';
import { describeProblem } from '../../errors';
import { CONFIG_NAMESPACE, ConfigError, StackConfig } from './config';

/** What the stack exports about its infrastructure, to compare on the next run. */
export interface DeployedFacts {
  /** The pools' and the public IP's availability zones. */
  readonly zones: string[];
  /** The region. */
  readonly location: string;
  /** The inline system pool's VM size. */
  readonly systemPoolVmSize: string;
}

/** The facts of a configuration, as the stack exports them. */
export function deployedFacts(config: StackConfig): DeployedFacts {
  return { zones: [...config.zones], location: config.location, systemPoolVmSize: config.systemPool.vmSize };
}

/**
 * The problems of deploying `config` over the previous deployment's facts (none for a new stack).
 * Zones are fixed when a pool or public IP is created (Azure refuses the update); a region change
 * rebuilds everything; the inline system pool cannot change VM size in place.
 */
export function changesAzureRefuses(previous: unknown, config: StackConfig, stack: string): string[] {
  if (!previous || typeof previous !== 'object') return [];
  const p = previous as Partial<DeployedFacts>;
  const problems: string[] = [];
  const bad = (key: string, value: unknown, fix: string) => problems.push(describeProblem(`Pulumi stack "${stack}"`, `config ${CONFIG_NAMESPACE}:${key}`, value, fix));
  if (Array.isArray(p.zones) && p.zones.join(',') !== config.zones.join(',')) {
    bad('zones', config.zones, `The stack was deployed with zones ${JSON.stringify(p.zones)}; Azure fixes the zones of a node pool and of the public IP at creation and refuses to change them. Set zones back to ${JSON.stringify(p.zones)}, or build a new stack (new pools and IP) and move traffic to it.`);
  }
  if (typeof p.location === 'string' && p.location !== config.location) {
    bad('location', config.location, `The stack was deployed in ${p.location}; a region change would delete and rebuild the cluster, the vault and the IP. Set location back to "${p.location}", or deploy a new stack in the new region.`);
  }
  if (typeof p.systemPoolVmSize === 'string' && p.systemPoolVmSize !== config.systemPool.vmSize) {
    bad('systemPool.vmSize', config.systemPool.vmSize, `The system pool runs ${p.systemPoolVmSize}; the cluster's inline system pool cannot change VM size. Set it back to "${p.systemPoolVmSize}" (user pools can change: they are replaced create-before-delete).`);
  }
  return problems;
}

/**
 * Reads the stack's previous deployment (a StackReference to the stack itself; a new stack has
 * none) and throws a {@link ConfigError} listing the changes Azure refuses. Await it before
 * declaring any resource: a refused change then sends nothing.
 */
export async function refuseChangesAzureRefuses(config: StackConfig): Promise<void> {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
  const previous: unknown = (await self.getOutputDetails('deployed')).value;
  const problems = changesAzureRefuses(previous, config, pulumi.getStack());
  if (problems.length) throw new ConfigError(problems.join('\n'));
}
