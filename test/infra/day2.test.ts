// Issue 24 (day 2 on Azure), under Pulumi's mocks in up and preview mode: a stack keeps what AKS and
// the autoscaler changed, admins are groups, upgrades have windows, Istio moves by revision.
import * as pulumi from '@pulumi/pulumi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import edgeProgram from '../../apps/pulumi';
import { stackConfig } from '../../apps/plan';
import { ConfigError, parseStackConfig, PLACEHOLDER_GUID, placeholdersIn } from '../../lib/infra/program/config';
import { userPoolAksName } from '../../lib/infra/program/names';
import { refusePlaceholders } from '../../lib/infra/program/previous-deployment';
import { EdgeMocks, EdgeMocksOptions, MOCK_DEPLOYER, settle } from '../../lib/infra/testing';
import { runExampleProgram } from '../support/program';

const run = runExampleProgram;

/** Runs the program expecting it to fail before anything is declared; returns the message. */
async function refused(stack: 'dev' | 'prod', options: EdgeMocksOptions, overrides: Record<string, string> = {}): Promise<{ message: string; mocks: EdgeMocks }> {
  const mocks = new EdgeMocks(options);
  await mocks.install('istio-aks-edge', stack, { ...stackConfig(stack), ...overrides });
  let message = '';
  await edgeProgram().catch((e: unknown) => { message = e instanceof Error ? e.message : String(e); });
  await settle();
  expect(message).not.toBe('');
  expect(mocks.resources.filter((r) => r.type.startsWith('azure-native:') || r.type.startsWith('kubernetes:'))).toEqual([]);
  return { message, mocks };
}

const cluster = (mocks: EdgeMocks) => mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
const deployed = (stack: 'dev' | 'prod') => ({
  deployed: { zones: ['1', '2', '3'], location: 'westeurope', systemPoolVmSize: stack === 'prod' ? 'Standard_D4ds_v5' : 'Standard_D2ds_v5' },
});
const APPS_PROD = userPoolAksName('apps', 'Standard_D8ds_v5');
const APPS_DEV = userPoolAksName('apps', 'Standard_D4ds_v5');

beforeEach(() => { vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve()); });
afterEach(() => { vi.restoreAllMocks(); });

describe.each([false, true])('Kubernetes version and node counts: never older than what runs (preview: %s)', (preview) => {
  it('prod ("stable" channel): AKS moved the cluster to 1.36.2; the update sends "1.36", not the configured "1.35", and says so', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const { mocks } = await run('prod', { preview, previousOutputs: deployed('prod'), liveCluster: { kubernetesVersion: '1.36.2', poolCounts: {} } });
    expect(cluster(mocks).inputs.kubernetesVersion).toBe('1.36');
    expect(cluster(mocks).options.ignoreChanges).toEqual([]);
    expect(mocks.calls.filter((c) => c.token === 'azure-native:containerservice:getManagedCluster').map((c) => c.inputs))
      .toEqual([{ resourceGroupName: 'rg-shop-prod', resourceName: 'aks-prod' }]);
    expect(warn.mock.calls.map((c) => c[0])).toContainEqual(expect.stringContaining('The cluster runs Kubernetes 1.36.2 (AKS upgraded it on the "stable" channel); the configuration says "1.35". The stack sends "1.36"'));
  });

  it('dev ("patch" channel, the configuration owns the minor): a cluster at 1.37.1 against "1.36" fails before anything is declared, naming both', async () => {
    const { message } = await refused('dev', { preview, previousOutputs: deployed('dev'), liveCluster: { kubernetesVersion: '1.37.1', poolCounts: {} } });
    expect(message).toBe('Pulumi stack "dev": invalid config istio-aks-edge:kubernetesVersion: received "1.36". The cluster runs Kubernetes 1.37.1, newer than "1.36", and AKS refuses downgrades. Set kubernetesVersion to "1.37" (or newer, to upgrade); nothing was sent.');
  });

  it('a patch AKS applied is not a downgrade; a bump in the configuration upgrades', async () => {
    const same = await run('dev', { preview, previousOutputs: deployed('dev'), liveCluster: { kubernetesVersion: '1.36.9', poolCounts: {} } });
    expect(cluster(same.mocks).inputs.kubernetesVersion).toBe('1.36');
    const bump = await run('prod', { preview, previousOutputs: deployed('prod'), liveCluster: { kubernetesVersion: '1.35.7', poolCounts: {} } }, { 'istio-aks-edge:kubernetesVersion': '1.36' });
    expect(cluster(bump.mocks).inputs.kubernetesVersion).toBe('1.36');
  });

  it('the counts the autoscaler set are sent back, raised to a new minimum; a new stack starts at the minimum and reads no cluster', async () => {
    const { mocks } = await run('prod', { preview, previousOutputs: deployed('prod'), liveCluster: { kubernetesVersion: '1.35.7', poolCounts: { system: 4, [APPS_PROD]: 9 } } });
    expect(cluster(mocks).inputs.agentPoolProfiles[0].count).toBe(4);
    expect(mocks.ofType('azure-native:containerservice:AgentPool')[0].inputs.count).toBe(9);
    const raised = await run('prod', { preview, previousOutputs: deployed('prod'), liveCluster: { kubernetesVersion: '1.35.7', poolCounts: { system: 3, [APPS_PROD]: 3 } } },
      { 'istio-aks-edge:userPools': JSON.stringify([{ name: 'apps', vmSize: 'Standard_D8ds_v5', minCount: 6, maxCount: 12 }]) });
    expect(raised.mocks.ofType('azure-native:containerservice:AgentPool')[0].inputs.count).toBe(6);
    const fresh = await run('dev', { preview });
    expect(cluster(fresh.mocks).inputs.agentPoolProfiles[0].count).toBe(3);
    expect(fresh.mocks.ofType('azure-native:containerservice:AgentPool')[0].inputs.count).toBe(3);
    expect(fresh.mocks.calls.filter((c) => c.token === 'azure-native:containerservice:getManagedCluster')).toEqual([]);
  });

  it('a maxCount below the nodes a pool runs is refused before anything is declared', async () => {
    const { message } = await refused('dev', { preview, previousOutputs: deployed('dev'), liveCluster: { kubernetesVersion: '1.36.2', poolCounts: { system: 3, [APPS_DEV]: 5 } } },
      { 'istio-aks-edge:userPools': JSON.stringify([{ name: 'apps', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 4 }]) });
    expect(message).toBe(`Pulumi stack "dev": invalid config istio-aks-edge:userPools[0].maxCount: received 4. Pool "${APPS_DEV}" runs 5 nodes, more than maxCount 4: AKS would remove 1 busy node(s) at once. Keep maxCount at 5 or more for this run, and lower it once the autoscaler has scaled the pool down (or scale it down first).`);
  });
});

describe.each([false, true])('admins are Entra ID groups; a deployer\'s assignments survive other deployers (preview: %s)', (preview) => {
  const SECOND = { clientId: '9a1b7c55-0000-4000-8000-000000000001', objectId: '55555555-5555-4555-8555-555555555555' };
  const roles = (m: EdgeMocks) => m.ofType('azure-native:authorization:RoleAssignment');
  const byName = (m: EdgeMocks) => Object.fromEntries(roles(m).map((r) => [r.name, r.inputs]));

  it('a second deployer leaves the first admin group\'s and the first deployer\'s assignments in place, and adds its own', async () => {
    const first = await run('prod', { preview: false });
    expect(first.values.deployed).toMatchObject({ bootstrapDeployers: [{ objectId: MOCK_DEPLOYER.objectId, principalType: 'ServicePrincipal' }] });
    // The admin groups' assignments (the committed placeholder group; the Prometheus reader for the
    // rollout gates, edge-analysis-reader, commits the same nil GUID and is not an admin group).
    const group = roles(first.mocks).filter((r) => r.inputs.principalId === PLACEHOLDER_GUID && r.name.includes('-group-'));
    expect(group.map((r) => r.name).sort()).toEqual([
      `edge-aks-cluster-admin-group-${PLACEHOLDER_GUID}`, `edge-aks-cluster-user-group-${PLACEHOLDER_GUID}`,
      `edge-keyvault-certificates-officer-group-${PLACEHOLDER_GUID}`, `edge-monitoring-grafana-admin-group-${PLACEHOLDER_GUID}`,
    ]);
    for (const r of group) expect(r.inputs.principalType).toBe('Group');

    const second = await run('prod', {
      preview, deployer: SECOND, previousOutputs: { deployed: first.values.deployed }, liveCluster: { kubernetesVersion: '1.35.4', poolCounts: {} },
    });
    const before = byName(first.mocks);
    const after = byName(second.mocks);
    // Every assignment of the first run is declared again, unchanged (same Pulumi name, same inputs):
    // Pulumi neither replaces nor deletes it.
    for (const [name, inputs] of Object.entries(before)) {
      if (preview) expect(Object.keys(after), name).toContain(name);
      else expect(after[name], name).toEqual(inputs);
    }
    const added = Object.keys(after).filter((n) => !(n in before)).sort();
    expect(added).toEqual([
      `edge-aks-cluster-admin-deployer-${SECOND.objectId}`, `edge-keyvault-certificates-officer-deployer-${SECOND.objectId}`, `edge-monitoring-grafana-admin-deployer-${SECOND.objectId}`,
    ]);
    expect(second.values.deployed).toMatchObject({ bootstrapDeployers: [
      { objectId: MOCK_DEPLOYER.objectId, principalType: 'ServicePrincipal' }, { objectId: SECOND.objectId, principalType: 'ServicePrincipal' },
    ] });
    // The provider (the second deployer's token) waits for every cluster-admin assignment.
    const provider = second.mocks.ofType('pulumi:providers:kubernetes')[0];
    for (const r of roles(second.mocks).filter((x) => x.name.startsWith('edge-aks-cluster-admin-'))) expect(provider.dependencies).toContain(r.urn);
  });

  it('without bootstrapDeployer a new deployer gets nothing; revokedDeployers removes a recorded one', async () => {
    const previous = { deployed: { ...deployed('prod').deployed, bootstrapDeployers: [{ objectId: MOCK_DEPLOYER.objectId, principalType: 'User' }] } };
    const live = { kubernetesVersion: '1.35.4', poolCounts: {} };
    const kept = await run('prod', { preview, deployer: SECOND, previousOutputs: previous, liveCluster: live },
      { 'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: [PLACEHOLDER_GUID] }) });
    expect(roles(kept.mocks).filter((r) => r.inputs.principalId === SECOND.objectId)).toEqual([]);
    expect(roles(kept.mocks).filter((r) => r.inputs.principalId === MOCK_DEPLOYER.objectId).map((r) => r.inputs.principalType)).toEqual(['User', 'User', 'User']);
    const revoked = await run('prod', { preview, deployer: SECOND, previousOutputs: previous, liveCluster: live },
      { 'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: [PLACEHOLDER_GUID], revokedDeployers: [MOCK_DEPLOYER.objectId] }) });
    expect(roles(revoked.mocks).filter((r) => r.inputs.principalId === MOCK_DEPLOYER.objectId)).toEqual([]);
    expect(revoked.values.deployed).not.toHaveProperty('bootstrapDeployers');
  });
});

describe('assignments renamed since 0.1.0 keep their Azure resources (aliases: names, known in preview as in up)', () => {
  const preview = false;
  // Before 0.2.0 (c07b42c^ and earlier) the deployer had one assignment per role, named for the
  // role, and Grafana's admin groups were numbered; the same principal, role and scope now have
  // per-principal names. Without an alias Pulumi would create the new name and delete the old one,
  // and the old one's delete removes the Azure assignment both stand for (its Azure name is a GUID
  // of scope, principal and role).
  const SECOND = { clientId: '9a1b7c55-0000-4000-8000-000000000001', objectId: '55555555-5555-4555-8555-555555555555' };
  const aliasesOf = (m: EdgeMocks) => Object.fromEntries(m.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.options.aliases.length).map((r) => [r.name, r.options.aliases]));

  it('the running deployer\'s and the groups\' assignments alias their former names; a recorded former deployer\'s do not', async () => {
    // A stack deployed before 0.2.0: it recorded no bootstrap deployers.
    const previous = { previousOutputs: deployed('prod'), liveCluster: { kubernetesVersion: '1.35.4', poolCounts: {} } };
    const { mocks } = await run('prod', { preview, ...previous });
    expect(aliasesOf(mocks)).toEqual({
      [`edge-aks-cluster-admin-deployer-${MOCK_DEPLOYER.objectId}`]: ['edge-aks-deployer-cluster-admin'],
      [`edge-keyvault-certificates-officer-deployer-${MOCK_DEPLOYER.objectId}`]: ['edge-keyvault-deployer-certificates-officer'],
      [`edge-monitoring-grafana-admin-deployer-${MOCK_DEPLOYER.objectId}`]: ['edge-monitoring-grafana-admin-deployer'],
      [`edge-monitoring-grafana-admin-group-${PLACEHOLDER_GUID}`]: ['edge-monitoring-grafana-admin-group-1'],
    });
    // Each former name is the alias of one resource (Pulumi refuses two resources with the same alias):
    // another deployer running later carries it, the one recorded before it does not.
    const later = await run('prod', { preview, ...previous, deployer: SECOND, previousOutputs: { deployed: { ...deployed('prod').deployed, bootstrapDeployers: [{ objectId: MOCK_DEPLOYER.objectId, principalType: 'ServicePrincipal' }] } } });
    const names = Object.keys(aliasesOf(later.mocks));
    expect(names.filter((n) => n.endsWith(MOCK_DEPLOYER.objectId))).toEqual([]);
    expect(names.filter((n) => n.endsWith(SECOND.objectId))).toHaveLength(3);
    // Without bootstrapDeployer the former deployer assignments have no successor: Pulumi deletes them (the groups administer).
    const groupsOnly = await run('prod', { preview, ...previous }, { 'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: [PLACEHOLDER_GUID] }) });
    expect(Object.values(aliasesOf(groupsOnly.mocks))).toEqual([['edge-monitoring-grafana-admin-group-1']]);
  });
});

// The Istio revision tests' helpers: the config, the Helm releases, the live cluster, the previous outputs, the labels.
const istio = (v: unknown) => ({ 'istio-aks-edge:istio': JSON.stringify(v) });
const releases = (m: EdgeMocks) => Object.fromEntries(m.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart !== 'argo-rollouts').map((r) => [r.name, r]));
const live = { kubernetesVersion: '1.35.4', poolCounts: {} };
const previous = (revisions: string[], active: string) => ({ deployed: { ...deployed('prod').deployed, istioRevisions: revisions, istioActiveRevision: active } });
const labels = (m: EdgeMocks) => ({
  gateway: m.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata.name === 'istio-ingressgateway')!.inputs.spec.template.metadata.labels['istio.io/rev'],
  // The namespaces with sidecars (the gateway's own namespace has none: its pods carry the label).
  namespaces: m.ofType('kubernetes:v1:Namespace').map((r) => r.inputs.metadata.labels ?? {})
    .filter((l: Record<string, string>) => 'istio.io/rev' in l || 'istio-injection' in l).map((l: Record<string, string>) => l['istio.io/rev'] ?? `istio-injection=${l['istio-injection']}`),
});

describe.each([false, true])('Istio upgrades by revision (preview: %s)', (preview) => {

  it('canary: a second istiod beside the first; the tag stays on the serving one; base and CNI at the new release; workloads carry the tag', async () => {
    const { mocks, values } = await run('prod', { preview, previousOutputs: previous(['1-30-3'], '1-30-3'), liveCluster: live },
      istio({ revisions: ['1-30-3', '1-31-1'], activeRevision: '1-30-3' }));
    const r = releases(mocks);
    expect(Object.keys(r)).toEqual(['edge-istio-base', 'edge-istio-cni', 'edge-istio-istiod-1-31-1', 'edge-istio-istiod-1-30-3']);
    expect(r['edge-istio-base'].inputs).toMatchObject({ chart: 'base', version: '1.31.1', values: { defaultRevision: '1-30-3' } });
    expect(r['edge-istio-cni'].inputs).toMatchObject({ chart: 'cni', version: '1.31.1' });
    expect(r['edge-istio-istiod-1-30-3'].inputs).toMatchObject({ name: 'istiod-1-30-3', chart: 'istiod', version: '1.30.3', values: { revision: '1-30-3', revisionTags: ['prod-stable'] } });
    expect(r['edge-istio-istiod-1-31-1'].inputs).toMatchObject({ name: 'istiod-1-31-1', chart: 'istiod', version: '1.31.1', values: { revision: '1-31-1' } });
    expect(r['edge-istio-istiod-1-31-1'].inputs.values).not.toHaveProperty('revisionTags');
    // Helm refuses a resource another release owns: the tag's holder is upgraded after the others.
    expect(r['edge-istio-istiod-1-30-3'].dependencies).toContain(r['edge-istio-istiod-1-31-1'].urn);
    expect(r['edge-istio-istiod-1-31-1'].dependencies).not.toContain(r['edge-istio-istiod-1-30-3'].urn);
    expect(labels(mocks).gateway).toBe('prod-stable');
    expect(labels(mocks).namespaces.length).toBeGreaterThan(0);
    expect(labels(mocks).namespaces.every((l) => l === 'prod-stable')).toBe(true);
    // The edge waits for both control planes.
    const gateway = mocks.resources.find((x) => x.type === 'kubernetes:apps/v1:Deployment' && x.inputs.metadata.name === 'istio-ingressgateway')!;
    expect(gateway.dependencies).toEqual(expect.arrayContaining([r['edge-istio-istiod-1-30-3'].urn, r['edge-istio-istiod-1-31-1'].urn]));
    expect(values.istio).toMatchObject({ revisions: ['1-30-3', '1-31-1'], activeRevision: '1-30-3', workloadLabel: 'prod-stable' });
    expect((values.istio as { step: string }).step).toBe('canary: install 1-31-1 beside 1-30-3 (tag "prod-stable" → 1-30-3); next: istio.activeRevision "1-31-1" (switch), or remove "1-31-1" from istio.revisions (roll back)');
    expect(values.deployed).toMatchObject({ istioRevisions: ['1-30-3', '1-31-1'], istioActiveRevision: '1-30-3' });
  });
});

// The other steps decide nothing on values Azure computes: up mode only (the test time budget).
describe('Istio upgrades by revision: switch, remove, refusals, the add-on', () => {
  const preview = false;

  it('switch: the tag moves to the new revision (its release after the old one drops it), base validates with it; remove: the old release goes', async () => {
    const { mocks, values } = await run('prod', { preview, previousOutputs: previous(['1-30-3', '1-31-1'], '1-30-3'), liveCluster: live },
      istio({ revisions: ['1-30-3', '1-31-1'], activeRevision: '1-31-1' }));
    const r = releases(mocks);
    expect(r['edge-istio-istiod-1-31-1'].inputs.values.revisionTags).toEqual(['prod-stable']);
    expect(r['edge-istio-istiod-1-30-3'].inputs.values).not.toHaveProperty('revisionTags');
    expect(r['edge-istio-istiod-1-31-1'].dependencies).toContain(r['edge-istio-istiod-1-30-3'].urn);
    expect(r['edge-istio-base'].inputs.values).toEqual({ defaultRevision: '1-31-1' });
    expect(labels(mocks).gateway).toBe('prod-stable');
    expect((values.istio as { step: string }).step).toMatch(/^switch: tag "prod-stable" → 1-31-1 \(was 1-30-3\); restart the workloads so their proxies come from 1-31-1; next, once every workload runs 1-31-1's proxies: istio.revisions \["1-31-1"\]/);
    const removed = await run('prod', { preview, previousOutputs: previous(['1-30-3', '1-31-1'], '1-31-1'), liveCluster: live }, istio({ revisions: ['1-31-1'] }));
    expect(Object.keys(releases(removed.mocks))).toEqual(['edge-istio-base', 'edge-istio-cni', 'edge-istio-istiod-1-31-1']);
    expect((removed.values.istio as { step: string }).step).toBe('remove 1-30-3 (tag "prod-stable" → 1-31-1)');
  });

  it('refused before anything is declared: removing the revision that served, or replacing every revision at once', async () => {
    const served = await refused('prod', { preview, previousOutputs: previous(['1-30-3', '1-31-1'], '1-30-3'), liveCluster: live }, istio({ revisions: ['1-31-1'] }));
    expect(served.message).toBe('Pulumi stack "prod": invalid config istio-aks-edge:istio.revisions: received ["1-31-1"]. "1-30-3" served the workloads in the last `up`: their proxies still come from it. Move istio.activeRevision off it in one `up`, restart the workloads, then remove it in a later `up`.');
    const jump = await refused('prod', { preview, previousOutputs: previous(['1-30-3'], '1-30-3'), liveCluster: live }, istio({ revisions: ['1-31-1'] }));
    expect(jump.message).toBe('Pulumi stack "prod": invalid config istio-aks-edge:istio.revisions: received ["1-31-1"]. The stack runs 1-30-3; replacing every revision at once leaves the workloads\' proxies without their control plane. Upgrade by steps: istio.revisions ["1-30-3", "1-31-1"] with activeRevision "1-30-3" first.');
  });

  it('AKS add-on: two consecutive revisions during the canary upgrade; namespaces and the gateway labelled with the serving one', async () => {
    const { mocks, values } = await run('prod', { preview, previousOutputs: previous(['asm-1-29'], 'asm-1-29'), liveCluster: live },
      istio({ mode: 'aks-addon', revisions: ['asm-1-29', 'asm-1-30'], activeRevision: 'asm-1-29' }));
    expect(cluster(mocks).inputs.serviceMeshProfile).toEqual({ mode: 'Istio', istio: { revisions: ['asm-1-29', 'asm-1-30'] } });
    expect(mocks.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart !== 'argo-rollouts')).toEqual([]);
    expect(labels(mocks).gateway).toBe('asm-1-29');
    expect(labels(mocks).namespaces.length).toBeGreaterThan(0);
    expect(labels(mocks).namespaces.every((l) => l === 'asm-1-29')).toBe(true);
    expect((values.istio as { step: string }).step).toBe('canary: install asm-1-30 beside asm-1-29 (namespaces labelled istio.io/rev=asm-1-29); next: istio.activeRevision "asm-1-30" (switch), or remove "asm-1-30" from istio.revisions (roll back)');
  });
});

describe('committed placeholders', () => {
  it('the plan and the tests accept them; a real `pulumi up` (no mocks) refuses them, naming each', () => {
    const values = Object.fromEntries(Object.entries(stackConfig('prod')).filter(([k]) => k.startsWith('istio-aks-edge:')).map(([k, v]) => [k.slice('istio-aks-edge:'.length), v]));
    const config = parseStackConfig({ ...values, apiServerAuthorizedIpRanges: '["203.0.113.0/24"]' }, 'prod', { prod: { gatewayMinReplicas: 2 } });
    expect(placeholdersIn(config)).toEqual([`entraId.adminGroupObjectIds: "${PLACEHOLDER_GUID}"`, 'apiServerAuthorizedIpRanges: "203.0.113.0/24"', `argoRollouts.prometheusReaderObjectId: "${PLACEHOLDER_GUID}"`]);
    expect(() => refusePlaceholders(config, 'prod', true)).not.toThrow();
    expect(() => refusePlaceholders(config, 'prod', false)).toThrow(new ConfigError([
      `Pulumi stack "prod": invalid config istio-aks-edge:entraId.adminGroupObjectIds: received "${PLACEHOLDER_GUID}". This is the committed placeholder (accepted by the offline plan and the tests only): set the real value in Pulumi.<stack>.yaml (pulumi config set --path ...).`,
      'Pulumi stack "prod": invalid config istio-aks-edge:apiServerAuthorizedIpRanges: received "203.0.113.0/24". This is the committed placeholder (accepted by the offline plan and the tests only): set the real value in Pulumi.<stack>.yaml (pulumi config set --path ...).',
      `Pulumi stack "prod": invalid config istio-aks-edge:argoRollouts.prometheusReaderObjectId: received "${PLACEHOLDER_GUID}". This is the committed placeholder (accepted by the offline plan and the tests only): set the real value in Pulumi.<stack>.yaml (pulumi config set --path ...).`,
    ].join('\n')));
  });
});

describe.each([false, true])('upgrades on a schedule, closed by default (preview: %s)', (preview) => {
  it('prod: both AKS maintenance windows, max surge 33% on every pool', async () => {
    const { mocks } = await run('prod', { preview });
    const windows = mocks.ofType('azure-native:containerservice:MaintenanceConfiguration');
    expect(windows.map((w) => [w.inputs.configName, w.inputs.maintenanceWindow])).toEqual([
      ['aksManagedAutoUpgradeSchedule', { schedule: { weekly: { dayOfWeek: 'Sunday', intervalWeeks: 1 } }, startTime: '01:00', durationHours: 4, utcOffset: '+00:00' }],
      ['aksManagedNodeOSUpgradeSchedule', { schedule: { weekly: { dayOfWeek: 'Saturday', intervalWeeks: 1 } }, startTime: '01:00', durationHours: 4, utcOffset: '+00:00' }],
    ]);
    for (const w of windows) expect(w.parent).toBe('istio-aks-edge:azure:AksCluster::edge-aks');
    const pools = [...cluster(mocks).inputs.agentPoolProfiles, ...mocks.ofType('azure-native:containerservice:AgentPool').map((p) => p.inputs)];
    for (const p of pools) expect(p.upgradeSettings).toEqual({ maxSurge: '33%' });
    const dev = await run('dev', { preview }, { 'istio-aks-edge:maintenance': JSON.stringify({ kubernetes: { day: 'Wednesday', start: '22:30', utcOffset: '+01:00' } }) });
    expect(dev.mocks.ofType('azure-native:containerservice:MaintenanceConfiguration')[0].inputs.maintenanceWindow)
      .toEqual({ schedule: { weekly: { dayOfWeek: 'Wednesday', intervalWeeks: 1 } }, startTime: '22:30', durationHours: 4, utcOffset: '+01:00' });
    for (const p of dev.mocks.ofType('azure-native:containerservice:AgentPool')) expect(p.inputs.upgradeSettings).toEqual({ maxSurge: '10%' });
  });

  it('prod: API server restricted, audit logs (kube-audit-admin, guard, cluster-autoscaler) to a Log Analytics workspace the stack creates, Defender and the image cleaner on', async () => {
    const { mocks } = await run('prod', { preview });
    expect(cluster(mocks).inputs.apiServerAccessProfile).toEqual({ authorizedIPRanges: ['203.0.113.0/24'] });
    const [workspace] = mocks.ofType('azure-native:operationalinsights:Workspace');
    expect(workspace.inputs).toMatchObject({ workspaceName: 'log-aks-prod', retentionInDays: 90, sku: { name: 'PerGB2018' } });
    const [setting] = mocks.ofType('azure-native:monitor:DiagnosticSetting');
    expect(setting.inputs.logs).toEqual([
      { category: 'kube-audit-admin', enabled: true }, { category: 'guard', enabled: true }, { category: 'cluster-autoscaler', enabled: true },
    ]);
    expect(setting.inputs.logAnalyticsDestinationType).toBe('Dedicated');
    expect(setting.dependencies).toContain(cluster(mocks).urn);
    if (!preview) expect(setting.inputs).toMatchObject({ resourceUri: 'edge-aks-cluster-id', workspaceId: 'edge-audit-workspace-id' });
    // In preview the profile carries the workspace's unknown ID (test/infra/program.test.ts checks it in up mode).
    if (!preview) expect(cluster(mocks).inputs.securityProfile.imageCleaner).toEqual({ enabled: true, intervalHours: 168 });
    expect(cluster(mocks).dependencies).toContain(workspace.urn);
    // dev: open by default, no workspace; a private cluster on request.
    const dev = await run('dev', { preview }, { 'istio-aks-edge:security': '{"privateCluster":true}' });
    expect(dev.mocks.ofType('azure-native:operationalinsights:Workspace')).toEqual([]);
    expect(cluster(dev.mocks).inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
  });

  it('prod without authorized ranges (and not private) is refused before anything is declared', async () => {
    const { message } = await refused('prod', { preview }, { 'istio-aks-edge:apiServerAuthorizedIpRanges': '[]' });
    expect(message).toContain('Pulumi stack "prod": invalid config istio-aks-edge:apiServerAuthorizedIpRanges: received []. Production does not leave the API server open to the internet');
  });
});
