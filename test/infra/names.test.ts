import { describe, expect, it } from 'vitest';
import { bindKeyVault, SKIP_AWAIT_ANNOTATION } from '../../lib/infra/components/identity-binding';
import { deterministicGuid, KEY_VAULT_NAME, keyVaultName, userPoolAksName } from '../../lib/infra/program/names';
import { closest } from '../../lib/infra/program/support-window';
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
  const committed = { clientId: 'committed-client', tenantId: 'committed-tenant', vaultName: 'kv-committed' };
  const binding = { clientId: 'real-client', tenantId: 'real-tenant', vaultName: 'kv-real', committed, dependsOn: [] };
  const spc: KubernetesObject = {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'tls-keyvault', namespace: 'gw' },
    spec: { provider: 'azure', parameters: { usePodIdentity: 'false', clientID: 'committed-client', tenantId: 'committed-tenant', keyvaultName: 'kv-committed', objects: 'x' } },
  };
  const sa: KubernetesObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gw', namespace: 'gw', annotations: { 'azure.workload.identity/client-id': 'committed-client' } } };
  const workload = (namespace: string, spcName: string): KubernetesObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace },
    spec: { template: { metadata: { labels: { app: 'gw', tier: 'edge' } }, spec: { volumes: [{ name: 'kv', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: spcName } } }] } } },
  });
  const service = (namespace: string, selector: Record<string, string>): KubernetesObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace }, spec: { type: 'LoadBalancer', selector } });
  const other: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'gw' } };

  it('substitutes the real values where the committed ones are, and marks what needs the identity', () => {
    const [b1, b2, b3, b4] = bindKeyVault([spc, sa, workload('gw', 'tls-keyvault'), other], binding);
    expect(b1).toEqual({ object: { ...spc, spec: { provider: 'azure', parameters: { usePodIdentity: 'false', clientID: 'real-client', tenantId: 'real-tenant', keyvaultName: 'kv-real', objects: 'x' } } }, needsIdentity: true });
    expect(b2.object.metadata).toEqual({ name: 'gw', namespace: 'gw', annotations: { 'azure.workload.identity/client-id': 'real-client' } });
    expect(b2.needsIdentity).toBe(true);
    expect((b3.object.metadata as { annotations: Record<string, string> }).annotations).toEqual({ [SKIP_AWAIT_ANNOTATION]: 'true' });
    expect(b3.needsIdentity).toBe(true);
    expect(b4).toEqual({ object: other, needsIdentity: false });
    // The Service in front of those pods: Pulumi would wait for ready endpoints.
    const [, svc, otherSvc, elsewhere] = bindKeyVault([spc, service('gw', { app: 'gw' }), service('gw', { app: 'other' }), service('elsewhere', { app: 'gw' }), workload('gw', 'tls-keyvault')], binding).slice(0, 4);
    expect(svc.object.metadata).toEqual({ name: 'gw', namespace: 'gw', annotations: { [SKIP_AWAIT_ANNOTATION]: 'true' } });
    expect(svc.needsIdentity).toBe(false);
    expect(otherSvc.object.metadata).toEqual({ name: 'gw', namespace: 'gw' });
    expect(elsewhere.object.metadata).toEqual({ name: 'gw', namespace: 'elsewhere' });
    // The inputs are not modified.
    expect((spc.spec as { parameters: { clientID: string } }).parameters.clientID).toBe('committed-client');
  });

  it('leaves alone what names another vault or identity, and workloads mounting another SecretProviderClass', () => {
    const foreign = { ...spc, spec: { provider: 'azure', parameters: { clientID: 'x', tenantId: 'y', keyvaultName: 'kv-other' } } };
    const otherSa = { ...sa, metadata: { ...sa.metadata, annotations: { 'azure.workload.identity/client-id': 'x' } } };
    const bound = bindKeyVault([foreign, otherSa, workload('gw', 'tls-keyvault'), workload('elsewhere', 'tls-keyvault')], binding);
    expect(bound.map((b) => b.needsIdentity)).toEqual([false, false, false, false]);
    expect(bound[0].object).toBe(foreign);
  });
});
