// The Pulumi program under Pulumi's own mocks, for both committed stacks: no cloud, no CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { load } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import edgeProgram from '../../apps/pulumi';
import { ApiObject, Chart } from 'cdk8s';
import { edgeProgram as libEdgeProgram } from '../../lib/infra';
import { buildEdgeApp, synthEdge } from '../../apps/edge';
import { writeApp } from '../../lib';
import { environments } from '../../apps/environments';
import { stackConfig } from '../../apps/plan';
import { kubeloginAzureCli, tokenKubeconfig } from '../../lib/infra/components/aks-cluster';
import { SKIP_AWAIT_ANNOTATION } from '../../lib/infra/components/identity-binding';
import { EdgeMocks, MOCK_AKS_TOKEN, MOCK_DEPLOYER, MOCK_EXEC_KUBECONFIG, MOCK_KUBECONFIG, RecordedResource, settle, valueOf } from '../../lib/infra/testing';
import { keyVaultName } from '../../lib/infra/program/names';

/**
 * The program run once per stack with its committed config, shared by the tests that only read what
 * it declared (the same run each time: running it again per test cost most of this file's time);
 * with overrides, a run of its own.
 */
const committedRuns = new Map<string, ReturnType<typeof runProgram>>();
function run(stack: string, overrides: Record<string, string> = {}): ReturnType<typeof runProgram> {
  if (Object.keys(overrides).length > 0) return runProgram(stack, overrides);
  let shared = committedRuns.get(stack);
  if (!shared) committedRuns.set(stack, shared = runProgram(stack, overrides));
  return shared;
}

async function runProgram(stack: string, overrides: Record<string, string>) {
  const mocks = new EdgeMocks();
  await mocks.install('istio-aks-edge', stack, { ...stackConfig(stack), ...overrides });
  const outputs = await edgeProgram();
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) values[k] = await valueOf(v as never);
  await settle();
  return { mocks, outputs, values };
}

/** What `npm run synth` writes for the environment (the files, read back). */
function synthFiles(name: 'dev' | 'prod'): unknown[] {
  const outdir = mkdtempSync(join(tmpdir(), 'edge-pulumi-'));
  writeApp(buildEdgeApp(environments[name]), outdir);
  return parseAllDocuments(readFileSync(join(outdir, 'edge.k8s.yaml'), 'utf8')).map((d) => d.toJS());
}

// The managed Redis' Secret (test/infra/managed-redis.test.ts) is written by the program, not synthesized.
const isEdgeObject = (r: RecordedResource) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v3:Release' && !r.parent?.startsWith('istio-aks-edge:azure:ManagedRedis::');

describe.each(['dev', 'prod'] as const)('Pulumi program, stack %s', (stack) => {
  it('every node pool has zones 1, 2, 3 and the autoscaler', async () => {
    const { mocks } = await run(stack);
    const [cluster] = mocks.ofType('azure-native:containerservice:ManagedCluster');
    const pools = [...cluster.inputs.agentPoolProfiles, ...mocks.ofType('azure-native:containerservice:AgentPool').map((p) => p.inputs)];
    expect(pools.length).toBeGreaterThanOrEqual(2);
    for (const p of pools) {
      expect(p.availabilityZones).toEqual(['1', '2', '3']);
      expect(p.enableAutoScaling).toBe(true);
      expect(p.type).toBe('VirtualMachineScaleSets');
    }
    expect(cluster.inputs.agentPoolProfiles).toHaveLength(1);
    expect(cluster.inputs.agentPoolProfiles[0].mode).toBe('System');
    expect(mocks.ofType('azure-native:containerservice:AgentPool').every((p) => p.inputs.mode === 'User')).toBe(true);
  });

  it('the cluster: standard load balancer, CNI overlay, managed identity, RBAC, OIDC and workload identity', async () => {
    const { mocks } = await run(stack);
    const { inputs } = mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
    expect(inputs.networkProfile).toMatchObject({ loadBalancerSku: 'standard', networkPlugin: 'azure', networkPluginMode: 'overlay', outboundType: 'loadBalancer' });
    expect(inputs.identity).toEqual({ type: 'SystemAssigned' });
    expect(inputs.enableRBAC).toBe(true);
    expect(inputs.oidcIssuerProfile).toEqual({ enabled: true });
    expect(inputs.securityProfile).toEqual(stack === 'prod' ? {
      workloadIdentity: { enabled: true }, defender: { logAnalyticsWorkspaceResourceId: 'edge-audit-workspace-id', securityMonitoring: { enabled: true } },
      imageCleaner: { enabled: true, intervalHours: 168 },
    } : { workloadIdentity: { enabled: true } });
    expect(inputs.autoUpgradeProfile.upgradeChannel).toBe(stack === 'prod' ? 'stable' : 'patch');
    expect(inputs.sku).toEqual({ name: 'Base', tier: stack === 'prod' ? 'Standard' : 'Free' });
  });

  it('the public IP is Standard, static, zones 1-3, named as the gateway Service says, usable by the cluster', async () => {
    const { mocks, values } = await run(stack);
    const [ip] = mocks.ofType('azure-native:network:PublicIPAddress');
    expect(ip.inputs).toMatchObject({ sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static', zones: ['1', '2', '3'] });
    const svc = mocks.resources.find((r) => r.type === 'kubernetes:v1:Service' && r.inputs.metadata.name === 'istio-ingressgateway')!;
    expect(svc.inputs.metadata.annotations['service.beta.kubernetes.io/azure-pip-name']).toBe(ip.inputs.publicIpAddressName);
    expect(svc.inputs.metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-resource-group']).toBe(ip.inputs.resourceGroupName);
    const role = mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith('network-contributor'))!;
    expect(role.inputs.roleDefinitionId).toMatch(/roleDefinitions\/4d97b98b-1d4f-4787-a291-c67834d212e7$/);
    expect(role.inputs.principalId).toBe('11111111-1111-1111-1111-111111111111');
    expect(role.inputs.scope).toBe(`/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${ip.inputs.resourceGroupName}`);
    expect(values.ingressIp).toBe('20.61.0.10');
  });

  it('the Kubernetes provider comes from the cluster\'s credentials, and every Kubernetes resource uses it', async () => {
    const { mocks } = await run(stack);
    const providers = mocks.ofType('pulumi:providers:kubernetes');
    expect(providers).toHaveLength(1);
    // The kubeconfig reaches the provider as a secret (Pulumi's secret signature wraps the value);
    // in prod (Entra ID) its user is the deployer's token, not the exec plugin AKS returns.
    const expected = stack === 'dev' ? MOCK_KUBECONFIG : tokenKubeconfig(MOCK_EXEC_KUBECONFIG, MOCK_AKS_TOKEN);
    expect(providers[0].inputs.kubeconfig).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: expected });
    const creds = mocks.calls.filter((c) => c.token === 'azure-native:containerservice:listManagedClusterUserCredentials');
    expect(creds).toHaveLength(1);
    expect(creds[0].inputs).toEqual({ resourceGroupName: environments[stack].publicIp!.resourceGroup, resourceName: `aks-${stack}`, ...(stack === 'prod' ? { format: 'exec' } : {}) });
    const k8sResources = mocks.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8sResources.length).toBeGreaterThan(20);
    for (const r of k8sResources) expect(r.provider, r.name).toMatch(new RegExp(`::${providers[0].name}::`));
  });

  it('the Istio install precedes the edge objects; namespaces and DestinationRules go first', async () => {
    const { mocks } = await run(stack);
    // The Istio releases (Argo Rollouts' is test/infra/argo-rollouts.test.ts's).
    const releases = mocks.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart !== 'argo-rollouts');
    // Argo Rollouts where the example has a Rollout (prod's api canary), not in dev.
    expect(mocks.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart === 'argo-rollouts')).toHaveLength(stack === 'prod' ? 1 : 0);
    expect(releases.map((r) => [r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual([
      ['base', '1.30.3', 'istio-system'], ['cni', '1.30.3', 'istio-system'], ['istiod', '1.30.3', 'istio-system'],
    ]);
    expect(releases[1].dependencies).toContain(releases[0].urn);
    expect(releases[2].dependencies).toEqual(expect.arrayContaining([releases[0].urn, releases[1].urn]));
    expect(releases[2].inputs.values.pilot.cni).toEqual({ enabled: true });
    const edge = mocks.resources.filter(isEdgeObject);
    const namespaces = new Map(edge.filter((r) => r.inputs.kind === 'Namespace').map((r) => [r.inputs.metadata.name, r.urn]));
    expect(namespaces.size).toBeGreaterThanOrEqual(3);
    const declared = new Map(mocks.resources.map((r, i) => [r.urn, i]));
    for (const r of edge) {
      expect(r.dependencies, r.name).toEqual(expect.arrayContaining(releases.map((x) => x.urn)));
      // Each object after the namespace it lives in, when the edge creates it (declared before it, too).
      const ns = namespaces.get(r.inputs.metadata.namespace);
      if (ns) expect(r.dependencies, r.name).toContain(ns);
      for (const d of r.dependencies) expect(declared.get(d), `${r.name} after ${d}`).toBeLessThan(declared.get(r.urn)!);
    }
    // Make-before-break: each VirtualService after the DestinationRules of the services it routes to.
    const urnOf = (kind: string, name: string) => edge.find((r) => r.inputs.kind === kind && r.inputs.metadata.name === name)!.urn;
    expect(urnOf('VirtualService', 'shop')).toBeDefined();
    const shop = edge.find((r) => r.inputs.kind === 'VirtualService' && r.inputs.metadata.name === 'shop')!;
    expect(shop.dependencies).toEqual(expect.arrayContaining([urnOf('DestinationRule', 'storefront'), urnOf('DestinationRule', 'api')]));
  });

  it('the kubeconfig output is secret', async () => {
    const { outputs, values } = await run(stack);
    expect(await (outputs.kubeconfig as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
    // For people: prod's is the kubelogin form, signing in with the Azure CLI's session.
    expect(values.kubeconfig).toBe(stack === 'dev' ? MOCK_KUBECONFIG : kubeloginAzureCli(MOCK_EXEC_KUBECONFIG));
    expect(values).toMatchObject({ clusterName: `aks-${stack}`, resourceGroupName: environments[stack].publicIp!.resourceGroup, hostnames: environments[stack].hosts });
  });

  it('applies exactly the objects `npm run synth` writes, but for the Key Vault values Azure returned', async () => {
    const { mocks, values } = await run(stack);
    // A copy: the substitutions below are undone on it, not on the shared run's records.
    const applied = mocks.resources.filter(isEdgeObject).map((r) => structuredClone(r.inputs));
    if (stack === 'prod') {
      // The documented substitutions (README): the identity's IDs and the vault's name, and
      // Pulumi not waiting for the pods that mount the vault. Undo them, then compare.
      const kv = environments.prod.keyVault!;
      const spc = applied.find((o) => o.kind === 'SecretProviderClass')!;
      expect(spc.spec.parameters).toMatchObject({ clientID: values.gatewayIdentityClientId, tenantId: values.tenantId, keyvaultName: values.keyVaultName });
      Object.assign(spc.spec.parameters, { clientID: kv.clientId, tenantId: kv.tenantId, keyvaultName: kv.vaultName });
      const sa = applied.find((o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['azure.workload.identity/client-id'])!;
      expect(sa.metadata.annotations['azure.workload.identity/client-id']).toBe(values.gatewayIdentityClientId);
      sa.metadata.annotations['azure.workload.identity/client-id'] = kv.clientId;
      for (const kind of ['Deployment', 'Service']) {
        const o = applied.find((x) => x.kind === kind && x.metadata.name === 'istio-ingressgateway')!;
        expect(o.metadata.annotations[SKIP_AWAIT_ANNOTATION], kind).toBe('true');
        delete o.metadata.annotations[SKIP_AWAIT_ANNOTATION];
        if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
      }
    }
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const byKey = (objs: any[]) => Object.fromEntries(objs.map((o) => [key(o), o]));
    const written = synthFiles(stack);
    expect(applied).toHaveLength(written.length);
    expect(byKey(applied)).toEqual(byKey(written));
  });
});

describe.each(['dev', 'prod'] as const)('Pulumi program, stack %s: Azure Managed Prometheus', (stack) => {
  it('a workspace, and the data collection endpoint, rule and association that ship the cluster\'s metrics to it', async () => {
    const { mocks } = await run(stack);
    const cluster = mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
    expect(cluster.inputs.azureMonitorProfile).toEqual({ metrics: { enabled: true, kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' } } });
    const [workspace] = mocks.ofType('azure-native:monitor:AzureMonitorWorkspace');
    const [dce] = mocks.ofType('azure-native:monitor:DataCollectionEndpoint');
    const [dcr] = mocks.ofType('azure-native:monitor:DataCollectionRule');
    const [dcra] = mocks.ofType('azure-native:monitor:DataCollectionRuleAssociation');
    expect(dcr.inputs.dataCollectionEndpointId).toBe(`${dce.name}-id`);
    expect(dcr.inputs.destinations).toEqual({ monitoringAccounts: [{ name: 'MonitoringAccount1', accountResourceId: `${workspace.name}-id` }] });
    expect(dcr.inputs.dataFlows).toEqual([{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount1'] }]);
    expect(dcra.inputs).toMatchObject({ resourceUri: `${cluster.name}-id`, dataCollectionRuleId: `${dcr.name}-id` });
  });

  it('the alert rules become Azure Monitor rule groups, identical to the rule file, notifying the action group', async () => {
    const { mocks } = await run(stack);
    const { alertGroups } = synthEdge(environments[stack]);
    const groups = mocks.ofType('azure-native:alertsmanagement:PrometheusRuleGroup');
    const [actions] = mocks.ofType('azure-native:monitor:ActionGroup');
    const [workspace] = mocks.ofType('azure-native:monitor:AzureMonitorWorkspace');
    expect(groups.map((g) => g.inputs.ruleGroupName).sort()).toEqual(alertGroups.map((g) => g.name).sort());
    for (const g of groups) {
      const source = alertGroups.find((a) => a.name === g.inputs.ruleGroupName)!;
      expect(g.inputs.scopes).toEqual([`${workspace.name}-id`, `edge-aks-cluster-id`]);
      expect(g.inputs.rules.map((r: any) => [r.alert, r.expression, r.labels, r.annotations])).toEqual(source.rules.map((r) => [r.alert, r.expr, r.labels, r.annotations]));
      for (const [i, r] of g.inputs.rules.entries()) {
        expect(r.for).toBe(`PT${source.rules[i].for.toUpperCase()}`);
        expect(r.severity).toBe(source.rules[i].labels.severity === 'critical' ? 0 : 2);
        expect(r.actions).toEqual([{ actionGroupId: `${actions.name}-id` }]);
      }
    }
    const expectedEmails = stack === 'prod' ? [{ name: 'email-1', emailAddress: 'platform-oncall@example.com', useCommonAlertSchema: true }] : [];
    expect(actions.inputs.emailReceivers).toEqual(expectedEmails);
  });

  it(stack === 'prod' ? 'Azure Managed Grafana on the workspace, allowed to read it' : 'no Grafana in dev', async () => {
    const { mocks, values } = await run(stack);
    const grafana = mocks.ofType('azure-native:dashboard:Grafana');
    if (stack === 'dev') {
      expect(grafana).toEqual([]);
      return;
    }
    const [workspace] = mocks.ofType('azure-native:monitor:AzureMonitorWorkspace');
    expect(grafana[0].inputs.properties).toEqual({ grafanaIntegrations: { azureMonitorWorkspaceIntegrations: [{ azureMonitorWorkspaceResourceId: `${workspace.name}-id` }] } });
    const reader = mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith('grafana-reader'))!;
    expect(reader.inputs).toMatchObject({ principalId: '44444444-4444-4444-4444-444444444444', scope: `${workspace.name}-id` });
    expect(reader.inputs.roleDefinitionId).toMatch(/b0d8363b-8ddd-447d-831f-62ca05bff136$/);
    expect(values.grafanaEndpoint).toBe('https://amg-aks-prod.weu.grafana.azure.com');
  });
});

describe.each(['dev', 'prod'] as const)('Pulumi program, stack %s: cluster hardening', (stack) => {
  it('the Key Vault Secrets Provider add-on with rotation, Azure Policy in production, Cilium network policy, workload identity', async () => {
    const { mocks } = await run(stack);
    const { inputs } = mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
    expect(inputs.addonProfiles).toEqual({
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } },
      azurepolicy: { enabled: stack === 'prod' },
    });
    expect(inputs.networkProfile).toMatchObject({ networkPolicy: 'cilium', networkDataplane: 'cilium' });
    expect(inputs.securityProfile).toEqual(stack === 'prod' ? {
      workloadIdentity: { enabled: true }, defender: { logAnalyticsWorkspaceResourceId: 'edge-audit-workspace-id', securityMonitoring: { enabled: true } },
      imageCleaner: { enabled: true, intervalHours: 168 },
    } : { workloadIdentity: { enabled: true } });
  });
});

describe('Pulumi program, stack prod: the gateway certificate in Key Vault', () => {
  it('a vault with RBAC, soft delete and purge protection; an identity federated with the gateway\'s service account; Key Vault Secrets User for it', async () => {
    const { mocks, values } = await run('prod');
    const [vault] = mocks.ofType('azure-native:keyvault:Vault');
    expect(vault.inputs.properties).toMatchObject({
      tenantId: '22222222-2222-2222-2222-222222222222', enableRbacAuthorization: true, enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true,
    });
    const [identity] = mocks.ofType('azure-native:managedidentity:UserAssignedIdentity');
    const [federation] = mocks.ofType('azure-native:managedidentity:FederatedIdentityCredential');
    expect(federation.inputs).toMatchObject({
      resourceName: identity.inputs.resourceName,
      subject: 'system:serviceaccount:istio-ingress:istio-ingressgateway',
      audiences: ['api://AzureADTokenExchange'],
      issuer: 'https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/mock/',
    });
    const role = mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith('secrets-user'))!;
    expect(role.inputs).toMatchObject({ principalId: '66666666-6666-6666-6666-666666666666', scope: `${vault.name}-id` });
    expect(role.inputs.roleDefinitionId).toMatch(/4633458b-17de-408a-b874-0445c86b69e6$/);
    // The manifests the program applies carry the identity's client ID and the vault's name.
    const spc = mocks.resources.find((r) => r.inputs.kind === 'SecretProviderClass')!;
    expect(spc.inputs.spec.parameters).toMatchObject({ clientID: values.gatewayIdentityClientId, keyvaultName: values.keyVaultName });
    expect(mocks.ofType('azure-native:keyvault:Vault')).toHaveLength(1);
    // A derived, deterministic name; the deployer may import certificates (the vault authorizes by RBAC).
    expect(vault.inputs.vaultName).toBe(keyVaultName('prod', '00000000-0000-0000-0000-000000000000', 'rg-shop-prod'));
    expect(vault.inputs.vaultName).toMatch(/^kv-prod-[0-9a-f]{8}$/);
    const officer = mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith(`certificates-officer-deployer-${MOCK_DEPLOYER.objectId}`))!;
    expect(officer.inputs).toMatchObject({ principalId: MOCK_DEPLOYER.objectId, scope: `${vault.name}-id` });
    expect(officer.inputs.roleDefinitionId).toMatch(/a4417e6f-fecd-4de8-b567-7b0420b6ab3b$/);
  });

  it('an existing vault is referenced, not created', async () => {
    const { mocks } = await run('prod', { 'istio-aks-edge:keyVault': '{"existingResourceGroup":"rg-security"}' });
    expect(mocks.ofType('azure-native:keyvault:Vault')).toEqual([]);
    const role = mocks.ofType('azure-native:authorization:RoleAssignment').find((r) => r.name.endsWith('secrets-user'))!;
    expect(role.inputs.scope).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-shop-prod');
  });

  it('dev, whose certificate is a plain Secret, has no vault', async () => {
    const { mocks } = await run('dev');
    expect(mocks.ofType('azure-native:keyvault:Vault')).toEqual([]);
    expect(mocks.ofType('azure-native:managedidentity:UserAssignedIdentity')).toEqual([]);
  });
});

describe('Pulumi program, other configurations', () => {
  it('Entra ID in dev on request, with admin groups; API server ranges', async () => {
    const { mocks } = await run('dev', {
      'istio-aks-edge:entraId': '{"adminGroupObjectIds":["6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f"]}',
      'istio-aks-edge:apiServerAuthorizedIpRanges': '["203.0.113.0/24"]',
    });
    const creds = mocks.calls.find((c) => c.token === 'azure-native:containerservice:listManagedClusterUserCredentials')!;
    expect(creds.inputs.format).toBe('exec');
    const kubeconfig = mocks.ofType('pulumi:providers:kubernetes')[0].inputs.kubeconfig.value as string;
    expect((load(kubeconfig) as any).users[0].user).toEqual({ token: MOCK_AKS_TOKEN });
    const { inputs } = mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
    expect(inputs.aadProfile).toEqual({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ['6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f'] });
    expect(inputs.apiServerAccessProfile).toEqual({ authorizedIPRanges: ['203.0.113.0/24'] });
  });

  it('refuses to disable monitoring while the edge scrapes with Azure Managed Prometheus', async () => {
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'dev', { ...stackConfig('dev'), 'istio-aks-edge:monitoring': '{"enabled":false}' });
    await expect(edgeProgram()).rejects.toThrow(/invalid config istio-aks-edge:monitoring.enabled: received false\. The edge's PodMonitors are for Azure Managed Prometheus/);
  });

  it('the AKS Istio add-on: serviceMeshProfile, no Helm releases, workloads on the add-on\'s revision', async () => {
    const { mocks } = await run('prod', { 'istio-aks-edge:istio': '{"mode":"aks-addon","revision":"asm-1-30"}' });
    const cluster = mocks.ofType('azure-native:containerservice:ManagedCluster')[0];
    expect(cluster.inputs.serviceMeshProfile).toEqual({ mode: 'Istio', istio: { revisions: ['asm-1-30'] } });
    expect(mocks.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart !== 'argo-rollouts')).toEqual([]);
    const gateway = mocks.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata.name === 'istio-ingressgateway')!;
    expect(gateway.inputs.spec.template.metadata.labels['istio.io/rev']).toBe('asm-1-30');
    const ns = mocks.resources.find((r) => r.type === 'kubernetes:v1:Namespace' && r.inputs.metadata.name === 'shop')!;
    // The add-on injects with the istio-init container (NET_ADMIN): Pod Security enforces "privileged", warns at "restricted".
    expect(ns.inputs.metadata.labels).toEqual({
      'istio.io/rev': 'asm-1-30', 'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it('the install mode reaches the analysis: the AKS add-on refuses the Istio kinds it blocks (a WasmPlugin) before any resource is declared; helm takes it', async () => {
    const withWasm = libEdgeProgram((facts) => {
      const app = buildEdgeApp({ ...environments[facts.environment as 'dev' | 'prod'] }, { istioRevision: facts.istioRevision, istioCni: facts.istioCni });
      new ApiObject(app.node.children[0] as Chart, 'wasm', { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'basic-auth', namespace: 'shop' }, spec: { url: 'oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0' } });
      return app;
    }, { environments: Object.keys(environments) });
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'prod', { ...stackConfig('prod'), 'istio-aks-edge:istio': '{"mode":"aks-addon","revision":"asm-1-30"}' });
    await expect(withWasm()).rejects.toThrow(/the Istio install mode "aks-addon" refuses:\n {2}AksAddonBlockedKind WasmPlugin shop\/basic-auth: The AKS Istio add-on blocks WasmPlugin/);
    expect(mocks.resources).toEqual([]);
    const helm = new EdgeMocks();
    await helm.install('istio-aks-edge', 'prod', stackConfig('prod'));
    await expect(withWasm()).resolves.toBeDefined();
    await settle();
  });

  it('a bad configuration is rejected before any resource is declared', async () => {
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'prod', { ...stackConfig('prod'), 'istio-aks-edge:zones': '["1"]', 'istio-aks-edge:loadBalancerSku': 'basic' });
    await expect(edgeProgram()).rejects.toThrow(/zones: received \["1"\][\s\S]*loadBalancerSku: received "basic"/);
    await settle();
    expect(mocks.resources).toEqual([]);
    expect(pulumi.runtime.isDryRun()).toBe(false);
  });
});
