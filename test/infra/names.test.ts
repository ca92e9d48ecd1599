import { describe, expect, it } from 'vitest';
import { bindKeyVault, SKIP_AWAIT_ANNOTATION } from '../../lib/infra/components/identity-binding';
import { deterministicGuid, KEY_VAULT_NAME, keyVaultName, userPoolAksName } from '../../lib/infra/program/names';
import { closest } from '../../lib/infra/program/support-window';
import { KeyVaultFact } from '../../lib/deployment-facts';
import { KubernetesObject } from '../../lib/model/kubernetes-object';

describe('derived names', () => {
  it('role assignment names: the same parts give the same GUID, other parts another', () => {
    const a = deterministicGuid('/subscriptions/s/resourcegroups/rg', 'p', 'r');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicGuid('/subscriptions/s/resourcegroups/rg', 'p', 'r')).toBe(a);
    expect(deterministicGuid('/subscriptions/s/resourcegroups/rg', 'p2', 'r')).not.toBe(a);
  });

  it('Key Vault names: valid, at most 24 characters, deterministic, different per subscription and resource group', () => {
    const name = keyVaultName('prod', '00000000-0000-0000-0000-000000000000', 'rg-shop-prod');
    expect(name).toMatch(/^kv-prod-[0-9a-f]{8}$/);
    expect(keyVaultName('prod', '00000000-0000-0000-0000-000000000000', 'RG-SHOP-PROD')).toBe(name);
    expect(keyVaultName('prod', '11111111-0000-0000-0000-000000000000', 'rg-shop-prod')).not.toBe(name);
    expect(keyVaultName('prod', '00000000-0000-0000-0000-000000000000', 'rg-other')).not.toBe(name);
    const long = keyVaultName('production_europe_west_2', 's', 'rg');
    expect(long).toMatch(KEY_VAULT_NAME);
    expect(long.length).toBeLessThanOrEqual(24);
    expect(keyVaultName('__', 's', 'rg')).toMatch(/^kv-edge-[0-9a-f]{8}$/);
  });

  it('user pool names carry their VM size', () => {
    expect(userPoolAksName('apps', 'Standard_D8ds_v5')).toMatch(/^apps[0-9a-f]{4}$/);
    expect(userPoolAksName('apps', 'Standard_D8ds_v5')).toBe(userPoolAksName('apps', 'standard_d8ds_v5'));
    expect(userPoolAksName('apps', 'Standard_D16ds_v5')).not.toBe(userPoolAksName('apps', 'Standard_D8ds_v5'));
    expect(userPoolAksName('abcdefgh', 'Standard_D8ds_v5')).toHaveLength(12);
  });

  it('"did you mean"', () => {
    expect(closest('zone', ['zones', 'location'])).toBe('zones');
    expect(closest('xyz', ['zones', 'location'])).toBeUndefined();
  });
});

describe('bindKeyVault', () => {
  const spc: KubernetesObject = {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'tls-keyvault', namespace: 'gw' },
    spec: { provider: 'azure', parameters: { usePodIdentity: 'false', clientID: 'committed-client', tenantId: 'committed-tenant', keyvaultName: 'kv-committed', objects: 'x' } },
  };
  const sa: KubernetesObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gw', namespace: 'gw', annotations: { 'azure.workload.identity/client-id': 'committed-client' } } };
  const workload = (namespace: string): KubernetesObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace },
    spec: { template: { metadata: { labels: { app: 'gw' } }, spec: { volumes: [{ name: 'kv', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: 'tls-keyvault' } } }] } } },
  });
  const service = (namespace: string): KubernetesObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace }, spec: { type: 'LoadBalancer', selector: { app: 'gw' } } });
  const other: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'gw' } };
  // What the gateway's constructs recorded: the objects are named, not found by their contents.
  const fact: KeyVaultFact = {
    path: 'edge/gateway', vaultName: 'kv-committed', clientId: 'committed-client', tenantId: 'committed-tenant',
    secretProviderClass: { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', namespace: 'gw', name: 'tls-keyvault' },
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'gw', name: 'gw' },
    readers: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'gw', name: 'gw' }, { apiVersion: 'v1', kind: 'Service', namespace: 'gw', name: 'gw' }],
  };
  const binding = { clientId: 'real-client', tenantId: 'real-tenant', vaultName: 'kv-real', fact, dependsOn: [] };

  it('substitutes the real values in the objects the constructs named, and marks what needs the identity', () => {
    const [b1, b2, b3, b4, b5] = bindKeyVault([spc, sa, workload('gw'), service('gw'), other], binding);
    expect(b1).toEqual({ object: { ...spc, spec: { provider: 'azure', parameters: { usePodIdentity: 'false', clientID: 'real-client', tenantId: 'real-tenant', keyvaultName: 'kv-real', objects: 'x' } } }, needsIdentity: true });
    expect(b2.object.metadata).toEqual({ name: 'gw', namespace: 'gw', annotations: { 'azure.workload.identity/client-id': 'real-client' } });
    expect(b2.needsIdentity).toBe(true);
    expect((b3.object.metadata as { annotations: Record<string, string> }).annotations).toEqual({ [SKIP_AWAIT_ANNOTATION]: 'true' });
    expect(b3.needsIdentity).toBe(true);
    // The Service in front of those pods: Pulumi would wait for ready endpoints.
    expect(b4.object.metadata).toEqual({ name: 'gw', namespace: 'gw', annotations: { [SKIP_AWAIT_ANNOTATION]: 'true' } });
    expect(b4.needsIdentity).toBe(false);
    expect(b5).toEqual({ object: other, needsIdentity: false });
    // The inputs are not modified.
    expect((spc.spec as { parameters: { clientID: string } }).parameters.clientID).toBe('committed-client');
  });

  it('leaves alone what the constructs did not name, even when it carries the same values', () => {
    const elsewhere = (o: KubernetesObject): KubernetesObject => ({ ...o, metadata: { ...o.metadata, namespace: 'elsewhere' } });
    const bound = bindKeyVault([elsewhere(spc), elsewhere(sa), workload('elsewhere'), service('elsewhere')], binding);
    expect(bound.map((b) => b.needsIdentity)).toEqual([false, false, false, false]);
    expect(bound.map((b) => b.object.metadata)).toEqual([spc, sa, workload('elsewhere'), service('elsewhere')].map((o) => elsewhere(o).metadata));
  });
});
