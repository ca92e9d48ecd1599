/**
 * What the stack must not undo, read before anything is declared:
 * - changes Azure refuses or only makes by rebuilding (zones, region, system pool VM size), against
 *   what the stack exported last time (`deployed`, read back through a StackReference to itself);
 * - what AKS and the autoscaler changed since (the Kubernetes version, the pools' node counts), read
 *   from the live cluster with azure-native's `getManagedCluster`.
 *
 * Why the live cluster: Pulumi's `ignoreChanges` keeps the last input in the state and sends it
 * again on the next update, so after AKS upgrades a cluster a later update would ask for the old
 * version (AKS refuses downgrades), and after the autoscaler grows a pool it would ask for the old
 * count. The previous deployment's outputs are as stale as the state (AKS upgrades between runs),
 * and `pulumi refresh` is a step someone forgets. The `get` costs one call per run, also in preview,
 * and only for a stack that was deployed (a new stack has no cluster to read).
 */
import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { describeProblem } from '../../private/errors';
import { Admins, BootstrapDeployer, deployerPrincipalType } from '../components/role-assignment';
import { aksOwnsKubernetesVersion, CONFIG_NAMESPACE, ConfigError, IstioConfig, IstioMode, placeholdersIn, PoolConfig, StackConfig, workloadRevision } from './config';
import { userPoolAksName } from './names';

/** What the stack exports about its infrastructure, to compare on the next run. */
export interface DeployedFacts {
  /** The pools' and the public IP's availability zones. */
  readonly zones: string[];
  /** The region. */
  readonly location: string;
  /** The inline system pool's VM size. */
  readonly systemPoolVmSize: string;
  /**
   * The deployers kept as admins (`entraId.bootstrapDeployer`): every identity that ran with it,
   * until listed in `entraId.revokedDeployers`, so a run by another identity keeps their assignments.
   */
  readonly bootstrapDeployers?: readonly BootstrapDeployer[];
  /** The Istio control plane revisions installed (`istio.revisions`), oldest first. */
  readonly istioRevisions?: readonly string[];
  /** The revision that served the workloads (`istio.activeRevision`). */
  readonly istioActiveRevision?: string;
}

/** The facts of a configuration, as the stack exports them, with the bootstrap deployers kept. */
export function deployedFacts(config: StackConfig, admins?: Admins): DeployedFacts {
  return {
    zones: [...config.zones], location: config.location, systemPoolVmSize: config.systemPool.vmSize,
    ...(admins?.deployers.length ? { bootstrapDeployers: admins.deployers.map((d) => ({ objectId: d.objectId, principalType: d.principalType })) } : {}),
    ...(config.istio.revisions.length ? { istioRevisions: [...config.istio.revisions] } : {}),
    ...(config.istio.activeRevision ? { istioActiveRevision: config.istio.activeRevision } : {}),
  };
}

/** The Istio control plane of a run, as the stack outputs it and `plan` shows it. */
export interface IstioStep {
  /** "helm" or "aks-addon". */
  readonly mode: string;
  /** The revisions installed, oldest first (none: one control plane upgraded in place). */
  readonly revisions: readonly string[];
  /** The revision that serves the workloads. @default - the only control plane */
  readonly activeRevision?: string;
  /** What namespaces and the gateway carry as `istio.io/rev` (the tag in helm mode). @default - no label: the default revision */
  readonly workloadLabel?: string;
  /** This run's step of an upgrade by revision, against the previous deployment, and what comes next. */
  readonly step: string;
}

/**
 * The upgrade step a configuration makes over the previous deployment (helm mode with revisions, or
 * the add-on): install (a new stack), steady, canary (a second revision installed beside the serving
 * one), switch (the tag, or the add-on's namespace labels, moved), remove (the old revision
 * uninstalled), rollback (the new one uninstalled before it served). Says what to do next.
 */
export function istioStep(istio: IstioConfig, previous: Partial<DeployedFacts> | undefined): IstioStep {
  const label = workloadRevision(istio);
  const base = { mode: istio.mode, revisions: [...istio.revisions], ...(istio.activeRevision ? { activeRevision: istio.activeRevision } : {}), ...(label ? { workloadLabel: label } : {}) };
  if (!istio.revisions.length) return { ...base, step: `one control plane upgraded in place (${istio.version}); list istio.revisions to upgrade by revision` };
  const before = Array.isArray(previous?.istioRevisions) ? previous.istioRevisions.filter((r): r is string => typeof r === 'string') : [];
  const wasActive = typeof previous?.istioActiveRevision === 'string' ? previous.istioActiveRevision : undefined;
  const active = istio.activeRevision;
  const points = istio.tag ? `tag "${istio.tag}" → ${active}` : `namespaces labelled istio.io/rev=${active}`;
  const [oldest, newest] = istio.revisions;
  const added = istio.revisions.filter((r) => !before.includes(r));
  const removed = before.filter((r) => !istio.revisions.includes(r));
  let step: string;
  if (!before.length && previous && istio.mode === IstioMode.HELM) step = `from the in-place istiod to revisions: install ${istio.revisions.join(' and ')} (${points}), uninstall the release "istiod"; restart the workloads`;
  else if (!before.length && newest === undefined) step = `install ${oldest} (${points})`;
  // No previous deployment to compare with (a new stack, the offline plan): the step the configuration describes.
  else if (!before.length) step = active === oldest ? `canary: ${newest} installed beside ${oldest} (${points})` : `switch: ${points}, ${oldest} still installed; restart the workloads so their proxies come from ${newest}`;
  else if (added.length) step = `canary: install ${added.join(', ')} beside ${active} (${points})`;
  else if (removed.length) step = `${removed.every((r) => before.indexOf(r) > 0) ? 'rollback: remove' : 'remove'} ${removed.join(', ')} (${points})`;
  else if (wasActive && wasActive !== active) step = `switch: ${points} (was ${wasActive}); restart the workloads so their proxies come from ${active}`;
  else step = `steady (${points})`;
  const next = newest === undefined ? '' : active === oldest
    ? `; next: istio.activeRevision "${newest}" (switch), or remove "${newest}" from istio.revisions (roll back)`
    : `; next, once every workload runs ${newest}'s proxies: istio.revisions ["${newest}"] (remove ${oldest})`;
  return { ...base, step: step + next };
}

/**
 * The problems of moving the Istio control plane from the previous deployment's revisions to the
 * configured ones (none for a new stack or without revisions): an upgrade goes by steps, the
 * serving revision stays installed until workloads have moved off it.
 */
export function istioStepProblems(previous: Partial<DeployedFacts> | undefined, istio: IstioConfig, stack: string): string[] {
  const before = Array.isArray(previous?.istioRevisions) ? previous.istioRevisions.filter((r): r is string => typeof r === 'string') : [];
  if (!before.length || !istio.revisions.length) return [];
  const problems: string[] = [];
  const bad = (key: string, value: unknown, fix: string) => problems.push(describeProblem(`Pulumi stack "${stack}"`, `config ${CONFIG_NAMESPACE}:${key}`, value, fix));
  const wasActive = typeof previous?.istioActiveRevision === 'string' ? previous.istioActiveRevision : undefined;
  if (!istio.revisions.some((r) => before.includes(r))) {
    bad('istio.revisions', istio.revisions, `The stack runs ${before.join(' and ')}; replacing every revision at once leaves the workloads' proxies without their control plane. Upgrade by steps: istio.revisions ["${wasActive ?? before[0]}", "${istio.revisions[istio.revisions.length - 1]}"] with activeRevision "${wasActive ?? before[0]}" first.`);
  } else if (wasActive && !istio.revisions.includes(wasActive)) {
    bad('istio.revisions', istio.revisions, `"${wasActive}" served the workloads in the last \`up\`: their proxies still come from it. Move istio.activeRevision off it in one \`up\`, restart the workloads, then remove it in a later \`up\`.`);
  }
  return problems;
}

/**
 * The admins of a run: the configured groups, and the bootstrap deployers, i.e. those the previous
 * deployment recorded and the identity running now when `entraId.bootstrapDeployer` is on (always
 * without Entra ID: the deployer then administers the vault and Grafana it creates), less
 * `entraId.revokedDeployers`.
 */
export function runAdmins(config: StackConfig, previous: Partial<DeployedFacts> | undefined, current: BootstrapDeployer): Admins {
  const list: unknown = previous?.bootstrapDeployers;
  const isDeployer = (d: unknown): d is BootstrapDeployer => !!d && typeof d === 'object' && typeof (d as BootstrapDeployer).objectId === 'string'
    && ((d as BootstrapDeployer).principalType === 'User' || (d as BootstrapDeployer).principalType === 'ServicePrincipal');
  const recorded = Array.isArray(list) ? (list as unknown[]).filter(isDeployer) : [];
  const bootstrap = config.entraId ? config.entraId.bootstrapDeployer : true;
  const revoked = new Set((config.entraId?.revokedDeployers ?? []).map((r) => r.toLowerCase()));
  const deployers: BootstrapDeployer[] = [];
  for (const d of [...recorded, ...(bootstrap ? [current] : [])]) {
    const id = d.objectId.toLowerCase();
    if (!revoked.has(id) && !deployers.some((x) => x.objectId.toLowerCase() === id)) deployers.push({ objectId: d.objectId, principalType: d.principalType });
  }
  const running = deployers.find((d) => d.objectId.toLowerCase() === current.objectId.toLowerCase());
  return { groupObjectIds: config.entraId?.adminGroupObjectIds ?? [], deployers, ...(running ? { running: running.objectId } : {}) };
}

/** Whether the program runs under Pulumi's mocks (`pulumi.runtime.setMocks`: the offline plan, the tests). */
function underMocks(): boolean {
  // The SDK does not export its MockMonitor class: its name is the test (stable since Pulumi 2).
  return pulumi.runtime.getMonitor()?.constructor.name === 'MockMonitor';
}

/**
 * Refuses committed placeholders (the nil GUID as an admin group, documentation address ranges)
 * outside Pulumi's mocks: the offline plan and the tests run with them, a real deployment needs
 * the real values.
 */
export function refusePlaceholders(config: StackConfig, stack: string, mocked = underMocks()): void {
  const found = placeholdersIn(config);
  if (found.length && !mocked) {
    throw new ConfigError(found.map((f) => describeProblem(`Pulumi stack "${stack}"`, `config ${CONFIG_NAMESPACE}:${f.split(':')[0]}`, f.slice(f.indexOf(':') + 2).replace(/^"|"$/g, ''),
      'This is the committed placeholder (accepted by the offline plan and the tests only): set the real value in Pulumi.<stack>.yaml (pulumi config set --path ...).')).join('\n'));
  }
}

/** What the live cluster runs, as `getManagedCluster` returns it. */
export interface RunningCluster {
  /** The control plane's version (`currentKubernetesVersion`), for example "1.35.7". */
  readonly kubernetesVersion: string;
  /** The node count of each pool, by its AKS name. */
  readonly poolCounts: Readonly<Record<string, number>>;
}

/** What the stack sends to AKS for the version and the pools' node counts, from the configuration and the live cluster. */
export interface ClusterInputs {
  /** The `kubernetesVersion` sent: never older than what runs. */
  readonly kubernetesVersion: string;
  /** The `count` sent for each pool, by its AKS name: what runs, inside the configured bounds. */
  readonly poolCounts: Readonly<Record<string, number>>;
  /** What the run should say without failing (the version AKS moved past the configuration). */
  readonly warnings: readonly string[];
}

/** "1.35.7" → [1, 35, 7]; "1.35" → [1, 35]. */
function parts(version: string): number[] {
  return version.split('.').map(Number);
}

/**
 * Compares a configured version with a running one at the configured precision: "1.35" against
 * "1.35.7" is equal (a minor version means its newest patch to AKS), "1.35.2" against "1.35.7" is
 * lower. Negative when the configured version is older.
 */
export function compareToRunning(configured: string, running: string): number {
  const c = parts(configured);
  const r = parts(running);
  for (let i = 0; i < c.length; i++) {
    const d = c[i] - (r[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The AKS name of each configured pool and its bounds. */
function pools(config: StackConfig): Array<{ key: string; aksName: string; pool: PoolConfig }> {
  return [
    { key: 'systemPool', aksName: config.systemPool.name, pool: config.systemPool },
    ...config.userPools.map((p, i) => ({ key: `userPools[${i}]`, aksName: userPoolAksName(p.name, p.vmSize), pool: p })),
  ];
}

/**
 * The version and node counts to send, and the problems of sending the configuration over what
 * runs (none for a new stack, `running` undefined):
 * - Kubernetes version: the configured one when it is the running one or newer (a bump upgrades);
 *   older than what runs, AKS would refuse it as a downgrade: under the "stable" or "rapid"
 *   channel, where AKS moves the minor version itself, the running version is sent and the run
 *   warns (raise `kubernetesVersion` to it); under any other channel the configuration owns the
 *   version and the run stops with both versions named.
 * - Node counts: the count that runs, raised to `minCount` or refused above `maxCount` (lowering
 *   `maxCount` below the running count would make AKS remove busy nodes at once: scale the pool
 *   down first, or lower `maxCount` in steps the autoscaler can follow). A new pool starts at `minCount`.
 */
export function clusterInputs(config: StackConfig, running: RunningCluster | undefined, stack: string): { inputs: ClusterInputs; problems: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const bad = (key: string, value: unknown, fix: string) => problems.push(describeProblem(`Pulumi stack "${stack}"`, `config ${CONFIG_NAMESPACE}:${key}`, value, fix));
  let kubernetesVersion = config.kubernetesVersion;
  if (running && config.kubernetesVersion && compareToRunning(config.kubernetesVersion, running.kubernetesVersion) < 0) {
    const runningMinor = running.kubernetesVersion.split('.').slice(0, 2).join('.');
    const suggested = config.autoUpgradeChannel === 'patch' || aksOwnsKubernetesVersion(config) ? runningMinor : running.kubernetesVersion;
    if (aksOwnsKubernetesVersion(config)) {
      kubernetesVersion = runningMinor;
      warnings.push(`The cluster runs Kubernetes ${running.kubernetesVersion} (AKS upgraded it on the "${config.autoUpgradeChannel}" channel); the configuration says "${config.kubernetesVersion}". The stack sends "${runningMinor}" so nothing is downgraded: set ${CONFIG_NAMESPACE}:kubernetesVersion to "${runningMinor}" so the configuration says what runs.`);
    } else {
      bad('kubernetesVersion', config.kubernetesVersion, `The cluster runs Kubernetes ${running.kubernetesVersion}, newer than "${config.kubernetesVersion}", and AKS refuses downgrades. Set kubernetesVersion to "${suggested}" (or newer, to upgrade); nothing was sent.`);
    }
  }
  const poolCounts: Record<string, number> = {};
  for (const { key, aksName, pool } of pools(config)) {
    const now = running?.poolCounts[aksName];
    if (now === undefined) {
      poolCounts[aksName] = pool.minCount;
    } else if (now > pool.maxCount) {
      bad(`${key}.maxCount`, pool.maxCount, `Pool "${aksName}" runs ${now} nodes, more than maxCount ${pool.maxCount}: AKS would remove ${now - pool.maxCount} busy node(s) at once. Keep maxCount at ${now} or more for this run, and lower it once the autoscaler has scaled the pool down (or scale it down first).`);
      poolCounts[aksName] = now;
    } else {
      poolCounts[aksName] = Math.max(now, pool.minCount);
    }
  }
  return { inputs: { kubernetesVersion, poolCounts, warnings }, problems };
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

/** What {@link refuseChangesAzureRefuses} read: what to send, and what the previous deployment exported. */
export interface PreviousDeployment {
  /** The previous deployment's `deployed` output (undefined for a new stack). */
  readonly facts?: Partial<DeployedFacts>;
  /** What the live cluster runs (undefined for a new stack). */
  readonly running?: RunningCluster;
  /** The version and node counts to send. */
  readonly cluster: ClusterInputs;
  /** The admins of this run: the groups and the bootstrap deployers kept. */
  readonly admins: Admins;
}

/**
 * Reads the stack's previous deployment (a StackReference to the stack itself; a new stack has
 * none) and, for a deployed stack, the live cluster in `resourceGroupName`; throws a
 * {@link ConfigError} listing the changes Azure refuses (zones, region, system pool size, a
 * Kubernetes downgrade, a pool's maximum below its running count) or a committed placeholder
 * outside mocks; returns what to send and who the admins are. Await it before declaring any
 * resource: a refused change then sends nothing.
 */
export async function refuseChangesAzureRefuses(config: StackConfig, resourceGroupName?: string): Promise<PreviousDeployment> {
  const stack = pulumi.getStack();
  refusePlaceholders(config, stack);
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${stack}`);
  const previous: unknown = (await self.getOutputDetails('deployed')).value;
  const problems = changesAzureRefuses(previous, config, stack);
  problems.push(...istioStepProblems(previous && typeof previous === 'object' ? previous : undefined, config.istio, stack));
  if (problems.length) throw new ConfigError(problems.join('\n'));
  let running: RunningCluster | undefined;
  if (previous && typeof previous === 'object' && resourceGroupName) {
    const live = await containerservice.getManagedCluster({ resourceGroupName, resourceName: config.clusterName });
    running = {
      kubernetesVersion: live.currentKubernetesVersion,
      poolCounts: Object.fromEntries((live.agentPoolProfiles ?? []).flatMap((p) => (typeof p.count === 'number' ? [[p.name, p.count] as const] : []))),
    };
  }
  const cluster = clusterInputs(config, running, stack);
  problems.push(...cluster.problems);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  for (const w of cluster.inputs.warnings) void pulumi.log.warn(w);
  const facts = previous && typeof previous === 'object' ? previous : undefined;
  // The identity running now, as a plain value: its assignments are keyed by its object ID.
  const client = await authorization.getClientConfig();
  const current: BootstrapDeployer = { objectId: client.objectId, principalType: deployerPrincipalType(client.clientId, config.deployerPrincipalType) };
  return { facts, running, cluster: cluster.inputs, admins: runAdmins(config, facts, current) };
}
