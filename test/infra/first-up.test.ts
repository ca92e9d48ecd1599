// Issue 15's acceptance: a first `pulumi up` of a new stack under mocks, in up and preview mode;
// production's Entra ID cluster and its provider; what AKS changes later is ignored; changes Azure
// refuses are refused before anything is sent.
import * as pulumi from '@pulumi/pulumi';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import edgeProgram from '../../apps/pulumi';
import { environments } from '../../apps/environments';
import { stackConfig } from '../../apps/plan';
import { AKS_SERVER_APP_ID } from '../../lib/infra/components/aks-cluster';
import { SKIP_AWAIT_ANNOTATION } from '../../lib/infra/components/identity-binding';
import { EdgeMocks, MOCK_AKS_TOKEN, MOCK_DEPLOYER, RecordedResource, settle, UNKNOWN } from '../../lib/infra/testing';
import { runExampleProgram } from '../support/program';
import { PLACEHOLDER_GUID } from '../../lib/infra/program/config';
import { deterministicGuid } from '../../lib/infra/program/names';
import { deployerPrincipalType } from '../../lib/infra/components/role-assignment';

const run = runExampleProgram;

const find = (mocks: EdgeMocks, kind: string, name?: string) => mocks.resources.find((r) => r.type.startsWith('kubernetes:') && r.inputs.kind === kind && (!name || r.inputs.metadata?.name === name))!;
const one = (mocks: EdgeMocks, type: string, suffix = '') => mocks.ofType(type).find((r) => r.name.endsWith(suffix))!;

afterEach(() => { vi.restoreAllMocks(); });

describe('a first `pulumi up` of a new prod stack', () => {
  // Azure returns IDs that appear nowhere in the repository.
  const azure = { clientId: 'c0ffee00-1234-4abc-8def-0123456789ab', tenantId: 'f00dcafe-5678-4abc-9def-ba9876543210' };

  it('applies the SecretProviderClass and ServiceAccount with the IDs Azure returned, after the identity, its federated credential and its role', async () => {
    const { mocks, values } = await run('prod', { gatewayIdentity: azure });
    const committed = JSON.stringify(environments.prod.keyVault);
    expect(committed).not.toContain(azure.clientId);
    expect(committed).not.toContain(azure.tenantId);

    const spc = find(mocks, 'SecretProviderClass');
    expect(spc.inputs.spec.parameters).toMatchObject({ clientID: azure.clientId, tenantId: azure.tenantId, keyvaultName: values.keyVaultName });
    const sa = find(mocks, 'ServiceAccount', 'istio-ingressgateway');
    expect(sa.inputs.metadata.annotations['azure.workload.identity/client-id']).toBe(azure.clientId);
    expect(values).toMatchObject({ gatewayIdentityClientId: azure.clientId, tenantId: azure.tenantId });

    const identity = one(mocks, 'azure-native:managedidentity:UserAssignedIdentity');
    const federation = one(mocks, 'azure-native:managedidentity:FederatedIdentityCredential');
    const role = one(mocks, 'azure-native:authorization:RoleAssignment', 'secrets-user');
    const gateway = find(mocks, 'Deployment', 'istio-ingressgateway');
    for (const r of [spc, sa, gateway]) expect(r.dependencies, r.name).toEqual(expect.arrayContaining([identity.urn, federation.urn, role.urn]));
    // Objects that do not read the vault do not wait for it.
    expect(find(mocks, 'Deployment', 'storefront-v1').dependencies).not.toContain(identity.urn);
  });

  it('does not hang on a certificate that is not imported yet: Pulumi does not wait for the pods that mount the vault', async () => {
    const { mocks } = await run('prod', { gatewayIdentity: azure });
    const gateway = find(mocks, 'Deployment', 'istio-ingressgateway');
    expect(gateway.inputs.metadata.annotations).toEqual({ [SKIP_AWAIT_ANNOTATION]: 'true' });
    expect(gateway.inputs.spec.template.spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'keyvault-certificate' })]));
    // Nor for the endpoints of the Service in front of them (Pulumi waits for ready endpoints).
    const service = find(mocks, 'Service', 'istio-ingressgateway');
    expect(service.inputs.metadata.annotations[SKIP_AWAIT_ANNOTATION]).toBe('true');
    const skipped = mocks.resources.filter((r) => r.inputs.metadata?.annotations?.[SKIP_AWAIT_ANNOTATION]);
    expect(skipped.map((r) => `${r.inputs.kind}/${r.inputs.metadata.name}`).sort()).toEqual(['Deployment/istio-ingressgateway', 'Service/istio-ingressgateway']);
  });

  it('says that the committed IDs are stale, and the deployer may import the certificate', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const { mocks, values } = await run('prod', { gatewayIdentity: azure });
    const messages = warn.mock.calls.map((c) => c[0]);
    expect(messages).toContainEqual(expect.stringContaining(`clientId is "${environments.prod.keyVault!.clientId}", Azure's is "${azure.clientId}"; tenantId is "${environments.prod.keyVault!.tenantId}", Azure's is "${azure.tenantId}"; vaultName is "kv-shop-prod", Azure's is "${values.keyVaultName}"`));
    const officer = one(mocks, 'azure-native:authorization:RoleAssignment', `certificates-officer-deployer-${MOCK_DEPLOYER.objectId}`);
    expect(officer.inputs).toMatchObject({ principalId: MOCK_DEPLOYER.objectId, scope: `${one(mocks, 'azure-native:keyvault:Vault').name}-id` });
  });

  it('no warning when the environment already carries Azure\'s values', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const kv = environments.prod.keyVault!;
    await run('prod', { gatewayIdentity: { clientId: kv.clientId, tenantId: kv.tenantId } }, { 'istio-aks-edge:keyVault': JSON.stringify({ name: kv.vaultName }) });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('the production cluster: Entra ID, Azure RBAC, no local accounts, and a provider without kubelogin', () => {
  it('Entra ID with Azure RBAC and local accounts disabled, the deployer cluster admin, a token-based provider with no exec plugin', async () => {
    const { mocks } = await run('prod');
    const cluster = one(mocks, 'azure-native:containerservice:ManagedCluster');
    // The committed admin group is the placeholder (accepted under mocks only).
    expect(cluster.inputs.aadProfile).toEqual({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [PLACEHOLDER_GUID] });
    expect(cluster.inputs.disableLocalAccounts).toBe(true);

    // prod sets entraId.bootstrapDeployer: the deployer is an admin next to the group.
    const admin = one(mocks, 'azure-native:authorization:RoleAssignment', `cluster-admin-deployer-${MOCK_DEPLOYER.objectId}`);
    expect(admin.inputs).toMatchObject({ principalId: MOCK_DEPLOYER.objectId, scope: `${cluster.name}-id` });
    expect(admin.inputs.roleDefinitionId).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b');

    const [provider] = mocks.ofType('pulumi:providers:kubernetes');
    const kubeconfig = load(provider.inputs.kubeconfig.value) as any;
    expect(kubeconfig.users).toEqual([{ name: 'clusterUser', user: { token: MOCK_AKS_TOKEN } }]);
    expect(provider.inputs.kubeconfig.value).not.toMatch(/exec|kubelogin/);
    // The token is the deployer's, for the AKS server application; the provider waits for the role.
    expect(mocks.calls.find((c) => c.token === 'azure-native:authorization:getClientToken')!.inputs).toEqual({ endpoint: AKS_SERVER_APP_ID });
    expect(provider.dependencies).toContain(admin.urn);
  });

  it('Grafana: the admin groups (and the bootstrap deployer) are Grafana admins', async () => {
    const group = '6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f';
    const { mocks } = await run('prod', {}, { 'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: [group], bootstrapDeployer: true }) });
    const grafana = one(mocks, 'azure-native:dashboard:Grafana');
    const admins = mocks.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.inputs.roleDefinitionId.endsWith('22926164-76b3-42b3-bc55-97df8dab3e41'));
    expect(admins.map((r) => [r.inputs.principalId, r.inputs.principalType, r.inputs.scope])).toEqual([
      [group, 'Group', `${grafana.name}-id`], [MOCK_DEPLOYER.objectId, 'ServicePrincipal', `${grafana.name}-id`],
    ]);
    const groupOnly = await run('prod', {}, { 'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: [group] }) });
    expect(groupOnly.mocks.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === MOCK_DEPLOYER.objectId)).toEqual([]);
    expect(one(mocks, 'azure-native:containerservice:ManagedCluster').inputs.aadProfile.adminGroupObjectIDs).toEqual([group]);
  });
});

describe('the deployer\'s role assignments name its principal type (azure-native would send "User")', () => {
  it('derived from the sign-in: a person through the Azure CLI is a User, anything else a ServicePrincipal', () => {
    expect(deployerPrincipalType('04b07795-8ddb-461a-bbee-02f9e1bf7b46')).toBe('User');
    expect(deployerPrincipalType('9a1b7c55-0000-4000-8000-000000000001')).toBe('ServicePrincipal');
    expect(deployerPrincipalType('9a1b7c55-0000-4000-8000-000000000001', 'User')).toBe('User');
  });

  it('every assignment to the deployer carries it; the configuration can name it', async () => {
    const deployerRoles = (m: EdgeMocks) => m.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === MOCK_DEPLOYER.objectId);
    const derived = deployerRoles((await run('prod')).mocks);
    expect(derived.map((r) => r.name).sort()).toEqual([
      `edge-aks-cluster-admin-deployer-${MOCK_DEPLOYER.objectId}`, `edge-keyvault-certificates-officer-deployer-${MOCK_DEPLOYER.objectId}`, `edge-monitoring-grafana-admin-deployer-${MOCK_DEPLOYER.objectId}`,
    ]);
    for (const r of derived) expect(r.inputs.principalType).toBe('ServicePrincipal');
    for (const r of deployerRoles((await run('prod', {}, { 'istio-aks-edge:deployerPrincipalType': 'User' })).mocks)) expect(r.inputs.principalType).toBe('User');
  });
});

describe.each(['dev', 'prod'] as const)('stack %s: what AKS and the autoscaler change is read from the cluster, not ignored; production is protected', (stack) => {
  it('no ignoreChanges (it would send the state\'s stale version and counts again), protect and create-before-delete', async () => {
    const { mocks } = await run(stack);
    const cluster = one(mocks, 'azure-native:containerservice:ManagedCluster');
    // A new stack: the configured minor version (test/infra/day2.test.ts covers a deployed one).
    expect(cluster.options.ignoreChanges).toEqual([]);
    expect(cluster.inputs.kubernetesVersion).toBe(stack === 'prod' ? '1.35' : '1.36');
    const [pool] = mocks.ofType('azure-native:containerservice:AgentPool');
    expect(pool.options).toEqual({ protect: false, ignoreChanges: [], deleteBeforeReplace: false, aliases: [] });
    // The pool's AKS name carries its VM size: a size change is a new pool, created before the old one goes.
    expect(pool.inputs.agentPoolName).toMatch(/^apps[0-9a-f]{4}$/);
    const protectedTypes = mocks.resources.filter((r) => r.options.protect).map((r) => r.type).sort();
    expect(protectedTypes).toEqual(stack === 'prod' ? [
      'azure-native:containerservice:ManagedCluster', 'azure-native:keyvault:Vault', 'azure-native:network:PublicIPAddress', 'azure-native:redisenterprise:Database', 'azure-native:redisenterprise:RedisEnterprise', 'azure-native:resources:ResourceGroup',
    ] : []);
  });

  it('every autoscaled pool starts with a node in every zone (issue 13)', async () => {
    const { mocks } = await run(stack);
    const cluster = one(mocks, 'azure-native:containerservice:ManagedCluster');
    for (const p of [...cluster.inputs.agentPoolProfiles, ...mocks.ofType('azure-native:containerservice:AgentPool').map((x) => x.inputs)]) {
      expect(p.minCount).toBeGreaterThanOrEqual(p.availabilityZones.length);
      expect(p.count).toBe(p.minCount);
    }
  });

  it('role assignments have deterministic names', async () => {
    const first = (await run(stack)).mocks.ofType('azure-native:authorization:RoleAssignment').map((r) => [r.name, r.inputs.roleAssignmentName]);
    const second = (await run(stack)).mocks.ofType('azure-native:authorization:RoleAssignment').map((r) => [r.name, r.inputs.roleAssignmentName]);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    for (const [, guid] of first) expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(first.map(([, g]) => g)).size).toBe(first.length);
    const network = (await run(stack)).mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith('network-contributor'))!;
    expect(network.inputs.roleAssignmentName).toBe(deterministicGuid(network.inputs.scope.toLowerCase(), network.inputs.principalId, '4d97b98b-1d4f-4787-a291-c67834d212e7'));
  });
});

describe('changes Azure refuses are refused before anything is sent', () => {
  it('a zone change on a deployed stack: nothing reaches Azure', async () => {
    const mocks = new EdgeMocks({ previousOutputs: { deployed: { zones: ['1', '2'], location: 'westeurope', systemPoolVmSize: 'Standard_D4ds_v5' } } });
    await mocks.install('istio-aks-edge', 'prod', stackConfig('prod'));
    await expect(edgeProgram()).rejects.toThrow('Pulumi stack "prod": invalid config istio-aks-edge:zones: received ["1","2","3"]. The stack was deployed with zones ["1","2"]; Azure fixes the zones');
    await settle();
    expect(mocks.resources.filter((r) => r.type.startsWith('azure-native:'))).toEqual([]);
    expect(mocks.resources.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
    // The stack read its own previous deployment.
    expect(mocks.ofType('pulumi:pulumi:StackReference').map((r) => r.inputs.name)).toEqual(['organization/istio-aks-edge/prod']);
  });

  it('the same facts as before: the run proceeds', async () => {
    const { mocks, values } = await run('prod', {
      previousOutputs: { deployed: { zones: ['1', '2', '3'], location: 'westeurope', systemPoolVmSize: 'Standard_D4ds_v5' } },
      liveCluster: { kubernetesVersion: '1.35.4', poolCounts: {} },
    });
    expect(values.deployed).toEqual({
      zones: ['1', '2', '3'], location: 'westeurope', systemPoolVmSize: 'Standard_D4ds_v5', bootstrapDeployers: [{ objectId: MOCK_DEPLOYER.objectId, principalType: 'ServicePrincipal' }],
      istioRevisions: ['1-30-3'], istioActiveRevision: '1-30-3',
    });
    expect(mocks.ofType('azure-native:containerservice:ManagedCluster')).toHaveLength(1);
  });
});

describe.each(['dev', 'prod'] as const)('preview of a new %s stack (computed outputs unknown, as azure-native returns them)', (stack) => {
  it('nothing is decided on an unknown value', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const { mocks, values } = await run(stack, { preview: true });
    expect(pulumi.runtime.isDryRun()).toBe(true);
    // What Azure computes is unknown: names, IDs, the IP, the kubeconfig.
    expect(values).toMatchObject({ clusterName: UNKNOWN, resourceGroupName: UNKNOWN, ingressIp: UNKNOWN, kubeconfig: UNKNOWN });
    const [provider] = mocks.ofType('pulumi:providers:kubernetes');
    // Unknown, and still secret (Pulumi >= 3.2xx keeps the secret mark on an unknown value).
    expect(provider.rawInputs.kubeconfig).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: UNKNOWN });
    // The credentials are not fetched for a cluster that does not exist yet.
    expect(mocks.calls.filter((c) => c.token === 'azure-native:containerservice:listManagedClusterUserCredentials')).toEqual([]);
    // Role assignments on unknown scopes or principals: unknown names, not guesses.
    for (const r of mocks.ofType('azure-native:authorization:RoleAssignment')) expect(r.rawInputs.roleAssignmentName, r.name).toBe(UNKNOWN);
    // The edge objects are still planned, all of them.
    expect(mocks.resources.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v3:Release').length).toBe(stack === 'prod' ? 57 : 56);
    expect(warn).not.toHaveBeenCalled();
  });

  if (stack === 'prod') {
    it('the certificate objects carry unknown IDs (never the committed placeholders) and still wait for the identity', async () => {
      const { mocks, values } = await run(stack, { preview: true });
      expect(values).toMatchObject({ gatewayIdentityClientId: UNKNOWN, tenantId: UNKNOWN });
      const spc = find(mocks, 'SecretProviderClass');
      const params = (spc.rawInputs.spec as { parameters: Record<string, unknown> }).parameters;
      expect(params.clientID).toBe(UNKNOWN);
      expect(params.tenantId).toBe(UNKNOWN);
      const sa = find(mocks, 'ServiceAccount', 'istio-ingressgateway');
      expect((sa.rawInputs.metadata as { annotations: Record<string, unknown> }).annotations['azure.workload.identity/client-id']).toBe(UNKNOWN);
      const identity = one(mocks, 'azure-native:managedidentity:UserAssignedIdentity');
      const federation = one(mocks, 'azure-native:managedidentity:FederatedIdentityCredential');
      const role = one(mocks, 'azure-native:authorization:RoleAssignment', 'secrets-user');
      for (const r of [spc, sa]) expect(r.dependencies, r.name).toEqual(expect.arrayContaining([identity.urn, federation.urn, role.urn]));
      // The vault's name is derived from the subscription (known in preview): it is decided.
      expect(values.keyVaultName).toBe(UNKNOWN);
      expect(one(mocks, 'azure-native:keyvault:Vault').inputs.vaultName).toMatch(/^kv-prod-[0-9a-f]{8}$/);
    });
  }
});

/** Keep the recorded type in use for readers of this file. */
export type { RecordedResource };
