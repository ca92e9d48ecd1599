import { describe, expect, it } from 'vitest';
import { aksOwnsKubernetesVersion, ConfigError, IstioMode, parseStackConfig, PLACEHOLDER_GUID } from '../../lib/infra/program/config';
import { changesAzureRefuses, deployedFacts } from '../../lib/infra/program/previous-deployment';

const environments = { dev: { gatewayMinReplicas: 2 }, prod: { gatewayMinReplicas: 3 }, lab: { gatewayMinReplicas: 1 } };
const valid = {
  environment: 'prod',
  monitoring: '{"emails":["oncall@example.com"]}',
  location: 'westeurope',
  kubernetesVersion: '1.35',
  systemPool: JSON.stringify({ name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 }),
  userPools: JSON.stringify([{ name: 'apps', vmSize: 'Standard_D8ds_v5', minCount: 3, maxCount: 12 }]),
  entraId: JSON.stringify({ adminGroupObjectIds: [PLACEHOLDER_GUID] }),
  apiServerAuthorizedIpRanges: '["198.51.100.0/24"]',
};
const P = 'Pulumi stack "prod": invalid config istio-aks-edge:';

function problem(overrides: Record<string, unknown>, env = environments): string {
  try {
    parseStackConfig({ ...valid, ...overrides }, 'prod', env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseStackConfig', () => {
  it('applies the defaults: zones 1-3, standard load balancer, Istio by Helm at the pinned release, Entra ID in production', () => {
    const c = parseStackConfig(valid, 'prod', environments);
    expect(c.zones).toEqual(['1', '2', '3']);
    expect(c.loadBalancerSku).toBe('standard');
    expect(c.istio).toEqual({ mode: IstioMode.HELM, version: '1.30.3', revision: undefined, chartRepository: 'https://istio-release.storage.googleapis.com/charts', hub: 'docker.io/istio', revisions: [] });
    expect(parseStackConfig({ ...valid, istio: '{"version":"1.31.2","hub":"myregistry.azurecr.io/istio"}' }, 'prod', environments).istio).toMatchObject({ version: '1.31.2', hub: 'myregistry.azurecr.io/istio' });
    expect(c.production).toBe(true);
    expect(c.autoUpgradeChannel).toBe('patch');
    expect(c.clusterName).toBe('aks-prod');
    expect(c.tags).toEqual({ environment: 'prod', 'managed-by': 'pulumi' });
    expect(c.systemPool).toEqual({ name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5, maxSurge: '33%' });
    expect(c.security).toEqual({ privateCluster: false, auditLogs: true, auditLogRetentionDays: 90, defender: true, imageCleaner: true });
    expect(c.entraId).toEqual({ adminGroupObjectIds: [PLACEHOLDER_GUID], azureRbac: true, disableLocalAccounts: true, bootstrapDeployer: false, revokedDeployers: [] });
    expect(c.keyVault).toEqual({ recover: false });
    expect(c.longTermSupport).toBe(false);
    const dev = parseStackConfig({ ...valid, environment: 'dev', entraId: undefined }, 'dev', environments);
    expect(dev.entraId).toBeUndefined();
  });

  it('reads the AKS add-on, Entra ID and tags', () => {
    const c = parseStackConfig({
      ...valid, istio: '{"mode":"aks-addon","revision":"asm-1-30"}', tags: '{"costCenter":"shop"}',
      entraId: '{"adminGroupObjectIds":["6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f"]}',
    }, 'prod', environments);
    expect(c.istio).toMatchObject({ mode: IstioMode.AKS_ADDON, version: '1.30.3', revision: 'asm-1-30' });
    expect(c.entraId).toEqual({ adminGroupObjectIds: ['6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f'], azureRbac: true, disableLocalAccounts: true, bootstrapDeployer: false, revokedDeployers: [] });
    expect(c.tags.costCenter).toBe('shop');
    expect(parseStackConfig({ ...valid, entraId: '{"enabled":false}' }, 'prod', environments).entraId).toBeUndefined();
  });

  it('zones outside 1-3, or fewer than two in prod', () => {
    expect(problem({ zones: '["1","4"]' })).toBe(`${P}zones: received ["1","4"]. Use a list of distinct availability zones among "1", "2", "3"; zones are fixed when a pool is created.`);
    expect(problem({ zones: '["1"]' })).toMatch(/config istio-aks-edge:zones: received \["1"\]\. Production needs at least two zones/);
    expect(parseStackConfig({ ...valid, environment: 'dev', zones: '["1"]' }, 'dev', environments).zones).toEqual(['1']);
  });

  it('a Basic load balancer', () => {
    expect(problem({ loadBalancerSku: 'basic' })).toMatch(/config istio-aks-edge:loadBalancerSku: received "basic"\. Use "standard": the Basic load balancer is retired/);
  });

  it('a gateway with fewer than 2 replicas in prod', () => {
    expect(problem({ environment: 'lab', production: 'true' })).toMatch(/config istio-aks-edge:environment: received "lab"\. Environment "lab" runs the gateway with minReplicas 1; production needs at least 2/);
  });

  it('an unknown environment', () => {
    expect(problem({ environment: 'staging' })).toMatch(/config istio-aks-edge:environment: received "staging"\. Use one of the app's environments: dev, prod, lab/);
  });

  it('a malformed revision or version', () => {
    expect(problem({ istio: '{"mode":"aks-addon"}' })).toMatch(/istio.revision: received undefined/);
    expect(problem({ istio: '{"revision":"Canary_1"}' })).toMatch(/istio.revision: received "Canary_1"\. Use a DNS-1123 label/);
    expect(problem({ istio: '{"version":"1.29.0"}' })).toMatch(/istio.version: received "1.29.0"\. Use a quoted patch release of a minor Istio supports: 1.30, 1.31 /);
    expect(problem({ istio: '{"chartRepository":"ftp://x"}' })).toMatch(/istio.chartRepository: received "ftp:\/\/x"\. Use an https:\/\/ or oci:\/\/ Helm repository/);
    expect(problem({ istio: '{"mode":"operator"}' })).toMatch(/istio.mode: received "operator"/);
  });

  it('min > max on a pool, and other pool mistakes', () => {
    expect(problem({ userPools: '[{"name":"apps","vmSize":"Standard_D8ds_v5","minCount":5,"maxCount":3}]' }))
      .toMatch(/config istio-aks-edge:userPools\[0\].minCount: received "5 \(maxCount 3\)"\. minCount must not exceed maxCount/);
    expect(problem({ systemPool: '{"name":"system","vmSize":"Standard_D4ds_v5","minCount":0,"maxCount":3}' })).toMatch(/systemPool.minCount: received 0\. Use an integer of at least 3/);
    expect(problem({ userPools: '[{"name":"System-Pool","vmSize":"D4","minCount":3,"maxCount":3}]' })).toMatch(/userPools\[0\].name: received "System-Pool"[\s\S]*userPools\[0\].vmSize: received "D4"/);
    expect(problem({ userPools: '[{"name":"system","vmSize":"Standard_D4ds_v5","minCount":3,"maxCount":3}]' })).toMatch(/userPools\[0\].name: received "system"\. Pool names must be unique/);
    expect(problem({ userPools: '[{"name":"applications","vmSize":"Standard_D4ds_v5","minCount":3,"maxCount":3}]' }))
      .toBe(`${P}userPools[0].name: received "applications". Use at most 8 lower-case letters and digits, starting with a letter (AKS names the pool <name><4 characters of the VM size>, at most 12).`);
  });

  it('pools whose minimum leaves a zone without a node (issue 13)', () => {
    expect(problem({ userPools: '[{"name":"apps","vmSize":"Standard_D8ds_v5","minCount":2,"maxCount":12}]' }))
      .toBe(`${P}userPools[0].minCount: received 2. Use at least 3, the number of zones (1, 2, 3): the autoscaler's minimum then keeps a node in every zone, so losing one zone leaves the others serving.`);
    expect(problem({ systemPool: '{"name":"system","vmSize":"Standard_D4ds_v5","minCount":1,"maxCount":3}' }))
      .toMatch(/systemPool.minCount: received 1\. Use at least 3, the number of zones/);
    // Two zones: two nodes suffice.
    const two = parseStackConfig({ ...valid, zones: '["1","2"]', userPools: '[{"name":"apps","vmSize":"Standard_D8ds_v5","minCount":2,"maxCount":4}]' }, 'prod', environments);
    expect(two.userPools[0].minCount).toBe(2);
  });

  it('monitoring: receivers are required in production, and must be well formed', () => {
    expect(parseStackConfig(valid, 'prod', environments).monitoring).toEqual({ enabled: true, emails: ['oncall@example.com'], webhooks: [], grafana: false });
    expect(problem({ monitoring: '{}' })).toMatch(/config istio-aks-edge:monitoring: received \{\}\. Production alerts need someone to notify/);
    expect(problem({ monitoring: '{"emails":["not-an-address"],"webhooks":["http://plain.example.com"]}' }))
      .toMatch(/monitoring.emails: received \["not-an-address"\][\s\S]*monitoring.webhooks: received \["http:\/\/plain.example.com"\]\. List HTTPS URLs/);
    expect(parseStackConfig({ ...valid, environment: 'dev', monitoring: undefined }, 'dev', environments).monitoring.enabled).toBe(true);
  });

  it('cluster hardening options', () => {
    const c = parseStackConfig(valid, 'prod', environments);
    expect([c.networkPolicy, c.azurePolicy, c.apiServerAuthorizedIpRanges, c.keyVault.existingResourceGroup]).toEqual(['cilium', true, ['198.51.100.0/24'], undefined]);
    expect(problem({ systemPool: JSON.stringify({ name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5, maxSurge: '150%' }) })).toMatch(/systemPool.maxSurge: received "150%"\. Use a quoted node count/);
    expect(problem({ maintenance: '{"kubernetes":{"durationHours":2}}' })).toMatch(/maintenance.kubernetes.durationHours: received 2\. Use 4 to 24 hours/);
    expect(parseStackConfig({ ...valid, environment: 'dev' }, 'dev', environments).azurePolicy).toBe(false);
    expect(problem({ apiServerAuthorizedIpRanges: '["10.0.0.1"]' })).toMatch(/apiServerAuthorizedIpRanges: received \["10.0.0.1"\]\. List IPv4 CIDR ranges/);
    expect(problem({ networkPolicy: 'none' })).toMatch(/networkPolicy: received "none"\. Use "cilium"/);
    expect(problem({ keyVault: '{"existingResourceGroup":""}' })).toMatch(/keyVault.existingResourceGroup: received ""/);
  });

  it('reports every problem at once, before any resource', () => {
    const message = problem({ location: 'West Europe', kubernetesVersion: 'latest', autoUpgradeChannel: 'weekly' });
    expect(message.split('\n')).toHaveLength(3);
  });
});

describe('parseStackConfig: strict configuration (issue 15, point 5)', () => {
  it('unknown keys are refused, with the nearest known key', () => {
    expect(problem({ zone: '["1","2","3"]' }))
      .toBe(`${P}zone: received "[\\"1\\",\\"2\\",\\"3\\"]". Unknown key: did you mean "zones"? Remove it (pulumi config rm istio-aks-edge:zone); the stack reads environment, production, location, kubernetesVersion, longTermSupport, zones, systemPool, userPools, loadBalancerSku, istio, autoUpgradeChannel, entraId, monitoring, tags, clusterName, hostnames, tlsSecretName, keyVault, apiServerAuthorizedIpRanges, networkPolicy, azurePolicy, deployerPrincipalType, gatewayApi, maintenance, security, argoRollouts, argoRolloutsClientSecret.`);
    expect(problem({ systemPool: '{"name":"system","vmSize":"Standard_D4ds_v5","minCount":3,"maxCount":5,"maxPods":50}' }))
      .toBe(`${P}systemPool.maxPods: received 50. Unknown key. systemPool takes name, vmSize, minCount, maxCount, maxSurge.`);
    expect(problem({ monitoring: '{"emails":["oncall@example.com"],"grafanna":true}' }))
      .toBe(`${P}monitoring.grafanna: received true. Unknown key: did you mean "grafana"? monitoring takes enabled, emails, webhooks, grafana.`);
  });

  it('wrong types: a YAML number where the version string is due says to quote it; booleans must be booleans', () => {
    // Unquoted `kubernetesVersion: 1.30` reaches the program as "1.3".
    expect(problem({ kubernetesVersion: '1.3' }))
      .toBe(`${P}kubernetesVersion: received "1.3". A YAML number: quote the version ("1.30", not 1.30, which YAML reads as 1.3). Use a version AKS and Istio 1.30 both support: "1.35", "1.36" (the window is kept in lib/infra/program/support-window.ts; az aks get-versions -l <location>).`);
    expect(problem({ kubernetesVersion: 1.35 })).toMatch(/kubernetesVersion: received 1\.35\. A YAML number: quote the version/);
    expect(problem({ production: '"yes"' })).toBe(`${P}production: received "yes". Use true or false (a YAML boolean, unquoted).`);
    expect(problem({ entraId: `{"azureRbac":"true","adminGroupObjectIds":["${PLACEHOLDER_GUID}"]}` })).toBe(`${P}entraId.azureRbac: received "true". Use true or false (a YAML boolean, unquoted).`);
    expect(problem({ systemPool: '["system"]' })).toMatch(/systemPool: received \["system"\]\. Use an object/);
  });

  it('Kubernetes versions outside the window AKS and Istio 1.30 share; long-term support', () => {
    expect(problem({ kubernetesVersion: '1.33' }))
      .toBe(`${P}kubernetesVersion: received "1.33". Use a version AKS and Istio 1.30 both support: "1.35", "1.36" (the window is kept in lib/infra/program/support-window.ts; az aks get-versions -l <location>). 1.33 is only in long-term support: set longTermSupport: true (Premium tier).`);
    expect(problem({ kubernetesVersion: '1.37' })).toMatch(/kubernetesVersion: received "1.37"\. Use a version AKS and Istio 1.30 both support: "1.35", "1.36"/);
    expect(problem({ kubernetesVersion: '1.31', longTermSupport: 'true' }))
      .toBe(`${P}kubernetesVersion: received "1.31". Use a version AKS and Istio 1.30 both support: "1.33", "1.34", "1.35", "1.36" (long-term support) (the window is kept in lib/infra/program/support-window.ts; az aks get-versions -l <location>).`);
    const lts = parseStackConfig({ ...valid, kubernetesVersion: '1.33', longTermSupport: 'true' }, 'prod', environments);
    expect([lts.kubernetesVersion, lts.longTermSupport]).toEqual(['1.33', true]);
    expect(problem({ kubernetesVersion: '1.33', longTermSupport: 'true', autoUpgradeChannel: 'stable' }))
      .toBe(`${P}autoUpgradeChannel: received "stable". Long-term support keeps a minor version: use "patch" (or "none", "node-image"); "stable" and "rapid" would move the cluster off it.`);
  });

  it('a pinned patch under the "patch" channel (AKS would be asked to downgrade after its first upgrade)', () => {
    expect(problem({ kubernetesVersion: '1.35.2' }))
      .toBe(`${P}kubernetesVersion: received "1.35.2". With autoUpgradeChannel "patch", give the minor version only ("1.35"): AKS picks and upgrades the patch, and a pinned patch would ask for a downgrade after the first automatic upgrade.`);
    expect(parseStackConfig({ ...valid, kubernetesVersion: '1.35.2', autoUpgradeChannel: 'none' }, 'prod', environments).kubernetesVersion).toBe('1.35.2');
    expect(aksOwnsKubernetesVersion({ autoUpgradeChannel: 'stable' })).toBe(true);
    expect(aksOwnsKubernetesVersion({ autoUpgradeChannel: 'patch' })).toBe(false);
  });

  it('the cluster name is its DNS prefix: at most 54 characters, no underscore', () => {
    expect(problem({ clusterName: 'aks_prod' }))
      .toBe(`${P}clusterName: received "aks_prod". The cluster name is also its DNS prefix: use 1-54 letters, digits and "-", starting and ending with a letter or digit (no "_").`);
    expect(problem({ clusterName: 'a'.repeat(55) })).toMatch(/clusterName: received "a{55}"\. The cluster name is also its DNS prefix/);
    expect(parseStackConfig({ ...valid, clusterName: 'a'.repeat(54) }, 'prod', environments).clusterName).toHaveLength(54);
  });

  it('location typos', () => {
    expect(problem({ location: 'westeurpe' }))
      .toBe(`${P}location: received "westeurpe". Use an Azure region name: did you mean "westeurope"? (az account list-locations --query [].name).`);
    expect(problem({ location: 'mars' })).toMatch(/location: received "mars"\. Use an Azure region name such as "westeurope"/);
  });

  it('add-on revisions come from the list AKS supports', () => {
    expect(problem({ istio: '{"mode":"aks-addon","revision":"asm-1-20"}' }))
      .toBe(`${P}istio.revision: received "asm-1-20". Use a revision the AKS add-on supports: "asm-1-29", "asm-1-30" (kept in lib/infra/program/support-window.ts; az aks mesh get-revisions -l <location>).`);
  });

  it('Istio by revision: at most two, oldest first, the serving one among them, inside the support window', () => {
    const istio = (v: unknown) => parseStackConfig({ ...valid, istio: JSON.stringify(v) }, 'prod', environments).istio;
    expect(istio({ revisions: ['1-30-3', '1-31-1'], activeRevision: '1-30-3' })).toMatchObject({
      mode: IstioMode.HELM, version: '1.31.1', revisions: ['1-30-3', '1-31-1'], activeRevision: '1-30-3', tag: 'prod-stable', revision: undefined,
    });
    expect(istio({ revisions: ['1-31-1'], tag: 'default' })).toMatchObject({ version: '1.31.1', activeRevision: '1-31-1', tag: 'default' });
    expect(istio({ mode: 'aks-addon', revisions: ['asm-1-29', 'asm-1-30'], activeRevision: 'asm-1-29' })).toMatchObject({ revisions: ['asm-1-29', 'asm-1-30'], activeRevision: 'asm-1-29' });
    expect(istio({ mode: 'aks-addon', revision: 'asm-1-30' })).toMatchObject({ revisions: ['asm-1-30'], activeRevision: 'asm-1-30', revision: 'asm-1-30' });
    const bad = (v: unknown) => problem({ istio: JSON.stringify(v) });
    expect(bad({ revisions: ['1-30-1', '1-30-2', '1-31-1'] })).toBe(`${P}istio.revisions: received ["1-30-1","1-30-2","1-31-1"]. List one revision, or two during an upgrade (the serving one first, the new one second), for example ["1-30-3", "1-31-1"].`);
    expect(bad({ revisions: ['1-31-1', '1-30-3'], activeRevision: '1-30-3' })).toBe(`${P}istio.revisions: received ["1-31-1","1-30-3"]. During an upgrade the second revision is the new one, newer than the first: list them oldest first (["1-30-3", "1-31-1"]).`);
    expect(bad({ revisions: ['1-30-3', '1-31-1'] })).toBe(`${P}istio.activeRevision: received undefined. During an upgrade name the revision that serves the workloads: "1-30-3" (the canary step), then "1-31-1" (the switch); remove "1-30-3" from istio.revisions only after that.`);
    expect(bad({ revisions: ['1-30-3', '1-31-1'], activeRevision: '1-32-0' })).toBe(`${P}istio.activeRevision: received "1-32-0". Use one of istio.revisions: "1-30-3", "1-31-1".`);
    expect(bad({ revisions: ['1-29-4'] })).toBe(`${P}istio.revisions[0]: received "1-29-4". Name a helm revision for the Istio release it installs, dots as dashes ("1-30-3" installs 1.30.3), of a minor Istio supports: 1.30, 1.31 (lib/infra/program/support-window.ts).`);
    expect(bad({ revisions: ['canary'] })).toMatch(/istio.revisions\[0\]: received "canary"\. Name a helm revision for the Istio release/);
    expect(bad({ revisions: ['1-30-3'], version: '1.30.2' })).toBe(`${P}istio.version: received "1.30.2". With istio.revisions each revision's name gives its release, and base and cni follow the newest (1.30.3): leave istio.version out.`);
    expect(bad({ revisions: ['1-30-3'], tag: '1-30-3' })).toMatch(/istio.tag: received "1-30-3"\. Use a DNS-1123 label that is not a revision's name/);
    expect(bad({ revision: 'x', tag: 'prod-stable' })).toMatch(/istio.tag: received "prod-stable"\. A revision tag points at one of istio.revisions/);
    expect(bad({ mode: 'aks-addon', revisions: ['asm-1-30'], tag: 'prod-stable' })).toBe(`${P}istio.tag: received "prod-stable". The AKS add-on has no revision tags: namespaces and the gateway are labelled with istio.activeRevision itself; leave tag out.`);
    expect(bad({ mode: 'aks-addon', revisions: ['asm-1-30', 'asm-1-29'], activeRevision: 'asm-1-30' })).toMatch(/istio.revisions: received \["asm-1-30","asm-1-29"\]\. During an upgrade the second revision is the new one/);
    expect(bad({ mode: 'aks-addon', revisions: ['asm-1-28'] })).toMatch(/istio.revisions\[0\]: received "asm-1-28"\. Use a revision the AKS add-on supports: "asm-1-29", "asm-1-30"/);
    expect(bad({ mode: 'aks-addon', revision: 'asm-1-30', revisions: ['asm-1-30'] })).toMatch(/istio.revision: received "asm-1-30"\. Give istio.revisions \(and istio.activeRevision with two\) or istio.revision, not both/);
  });

  it('Key Vault: a name that Azure would refuse; recovery only for a created vault', () => {
    expect(problem({ keyVault: '{"name":"kv--shop"}' }))
      .toBe(`${P}keyVault.name: received "kv--shop". Use a Key Vault name: 3-24 letters, digits and "-", starting with a letter, no "--"; globally unique. Leave it out for a derived one.`);
    expect(problem({ keyVault: '{"existingResourceGroup":"rg-sec","recover":true}' }))
      .toBe(`${P}keyVault.recover: received true. Recovering applies to a vault the stack creates: leave recover out with existingResourceGroup.`);
    expect(parseStackConfig({ ...valid, keyVault: '{"name":"kv-shop-prod-7","recover":true}' }, 'prod', environments).keyVault).toEqual({ name: 'kv-shop-prod-7', recover: true });
  });

  it('the deployer\'s principal type', () => {
    expect(problem({ deployerPrincipalType: 'Robot' }))
      .toBe(`${P}deployerPrincipalType: received "Robot". Use "User" or "ServicePrincipal" (a managed identity is a ServicePrincipal), or leave it out to derive it from the sign-in.`);
  });

  it('Entra ID: admin groups are GUIDs; no way in is refused', () => {
    expect(problem({ entraId: '{"adminGroupObjectIds":["ops"]}' }))
      .toBe(`${P}entraId.adminGroupObjectIds: received ["ops"]. List the object IDs (GUIDs) of the Entra ID groups that administer the cluster, for example ["6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f"] (az ad group show -g <name> --query id -o tsv).`);
    expect(problem({ entraId: '{"adminGroupObjectIds":[]}' }))
      .toBe(`${P}entraId.adminGroupObjectIds: received []. Production names its admins as Entra ID groups, not whoever runs \`pulumi up\`: give the object ID of at least one group (az ad group show -g <name> --query id -o tsv). Set entraId.bootstrapDeployer: true as well if the identity running the first \`pulumi up\` is not in it.`);
    expect(problem({ entraId: '{"azureRbac":false}' }))
      .toContain(`${P}entraId.azureRbac: received false. With local accounts disabled and no admin group, only Azure RBAC can let the deploying identity in: keep azureRbac true or list adminGroupObjectIds.`);
  });
});

describe('changes Azure refuses, against the previous deployment', () => {
  const config = parseStackConfig(valid, 'prod', environments);
  it('a new stack, or the same facts: nothing to refuse', () => {
    expect(changesAzureRefuses(undefined, config, 'prod')).toEqual([]);
    expect(changesAzureRefuses(deployedFacts(config), config, 'prod')).toEqual([]);
  });

  it('zones, region and system pool VM size changes', () => {
    const previous = { zones: ['1', '2'], location: 'northeurope', systemPoolVmSize: 'Standard_D2ds_v5' };
    expect(changesAzureRefuses(previous, config, 'prod')).toEqual([
      `${P}zones: received ["1","2","3"]. The stack was deployed with zones ["1","2"]; Azure fixes the zones of a node pool and of the public IP at creation and refuses to change them. Set zones back to ["1","2"], or build a new stack (new pools and IP) and move traffic to it.`,
      `${P}location: received "westeurope". The stack was deployed in northeurope; a region change would delete and rebuild the cluster, the vault and the IP. Set location back to "northeurope", or deploy a new stack in the new region.`,
      `${P}systemPool.vmSize: received "Standard_D4ds_v5". The system pool runs Standard_D2ds_v5; the cluster's inline system pool cannot change VM size. Set it back to "Standard_D2ds_v5" (user pools can change: they are replaced create-before-delete).`,
    ]);
  });
});

describe('parseStackConfig: argoRollouts', () => {
  it('defaults, a mirror, the reader\'s object ID and the client secret; bad values named', () => {
    expect(parseStackConfig(valid, 'prod', environments).argoRollouts).toEqual({ install: undefined, chartRepository: 'https://argoproj.github.io/argo-helm' });
    const id = '6F1B1C3E-1D2A-4C2B-9F43-2D4A5C6B7E8F';
    expect(parseStackConfig({ ...valid, argoRollouts: JSON.stringify({ install: true, chartRepository: 'oci://mirror.example.com/argo', prometheusReaderObjectId: id }), argoRolloutsClientSecret: 's3cret' }, 'prod', environments).argoRollouts)
      .toEqual({ install: true, chartRepository: 'oci://mirror.example.com/argo', prometheusReaderObjectId: id.toLowerCase(), clientSecret: 's3cret' });
    const message = problem({ argoRollouts: JSON.stringify({ chartRepository: 'argo', prometheusReaderObjectId: 'me', install: 'yes' }), argoRolloutsClientSecret: '' });
    expect(message).toContain(`${P}argoRollouts.chartRepository: received "argo". Use an https:// or oci:// Helm repository`);
    expect(message).toContain(`${P}argoRollouts.prometheusReaderObjectId: received "me". Give the object ID (a GUID)`);
    expect(message).toContain(`${P}argoRollouts.install: received "yes". Use true or false`);
    expect(message).toContain(`${P}argoRolloutsClientSecret: received "(secret)". Set the client secret as a string`);
  });
});
