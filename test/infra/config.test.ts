import { describe, expect, it } from 'vitest';
import { ConfigError, IstioMode, parseStackConfig } from '../../lib/infra/config';

const environments = { dev: { gatewayMinReplicas: 2 }, prod: { gatewayMinReplicas: 3 }, lab: { gatewayMinReplicas: 1 } };
const valid = {
  environment: 'prod',
  monitoring: '{"emails":["oncall@example.com"]}',
  location: 'westeurope',
  kubernetesVersion: '1.33',
  systemPool: JSON.stringify({ name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 }),
  userPools: JSON.stringify([{ name: 'apps', vmSize: 'Standard_D8ds_v5', minCount: 3, maxCount: 12 }]),
};

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
  it('applies the defaults: zones 1-3, standard load balancer, Istio by Helm at the pinned release', () => {
    const c = parseStackConfig(valid, 'prod', environments);
    expect(c.zones).toEqual(['1', '2', '3']);
    expect(c.loadBalancerSku).toBe('standard');
    expect(c.istio).toEqual({ mode: IstioMode.HELM, version: '1.30.3', revision: undefined });
    expect(c.production).toBe(true);
    expect(c.autoUpgradeChannel).toBe('patch');
    expect(c.clusterName).toBe('aks-prod');
    expect(c.tags).toEqual({ environment: 'prod', 'managed-by': 'pulumi' });
    expect(c.systemPool).toEqual({ name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 });
  });

  it('reads the AKS add-on, Entra ID and tags', () => {
    const c = parseStackConfig({
      ...valid, istio: '{"mode":"aks-addon","revision":"asm-1-27"}', tags: '{"costCenter":"shop"}',
      entraId: '{"adminGroupObjectIds":["6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f"]}',
    }, 'prod', environments);
    expect(c.istio).toEqual({ mode: IstioMode.AKS_ADDON, version: '1.30.3', revision: 'asm-1-27' });
    expect(c.entraId).toEqual({ adminGroupObjectIds: ['6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f'], azureRbac: true, disableLocalAccounts: true });
    expect(c.tags.costCenter).toBe('shop');
  });

  it('zones outside 1-3, or fewer than two in prod', () => {
    expect(problem({ zones: '["1","4"]' })).toBe('Pulumi stack "prod": invalid config istio-aks-edge:zones: received ["1","4"]. Use a list of distinct availability zones among "1", "2", "3"; zones are fixed when a pool is created.');
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
    expect(problem({ istio: '{"mode":"aks-addon","revision":"1.27"}' })).toMatch(/config istio-aks-edge:istio.revision: received "1.27"\. The AKS add-on needs a revision it supports, such as "asm-1-27"/);
    expect(problem({ istio: '{"mode":"aks-addon"}' })).toMatch(/istio.revision: received undefined/);
    expect(problem({ istio: '{"revision":"Canary_1"}' })).toMatch(/istio.revision: received "Canary_1"\. Use a DNS-1123 label/);
    expect(problem({ istio: '{"version":"1.29.0"}' })).toMatch(/istio.version: received "1.29.0"\. Use a 1.30 patch release/);
    expect(problem({ istio: '{"mode":"operator"}' })).toMatch(/istio.mode: received "operator"/);
  });

  it('min > max on a pool, and other pool mistakes', () => {
    expect(problem({ userPools: '[{"name":"apps","vmSize":"Standard_D8ds_v5","minCount":5,"maxCount":3}]' }))
      .toMatch(/config istio-aks-edge:userPools\[0\].minCount: received "5 \(maxCount 3\)"\. minCount must not exceed maxCount/);
    expect(problem({ systemPool: '{"name":"system","vmSize":"Standard_D4ds_v5","minCount":0,"maxCount":3}' })).toMatch(/systemPool.minCount: received 0\. Use an integer of at least 1/);
    expect(problem({ userPools: '[{"name":"System-Pool","vmSize":"D4","minCount":1,"maxCount":3}]' })).toMatch(/userPools\[0\].name: received "System-Pool"[\s\S]*userPools\[0\].vmSize: received "D4"/);
    expect(problem({ userPools: '[{"name":"system","vmSize":"Standard_D4ds_v5","minCount":1,"maxCount":3}]' })).toMatch(/userPools\[0\].name: received "system"\. Pool names must be unique/);
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
    expect([c.networkPolicy, c.azurePolicy, c.apiServerAuthorizedIpRanges, c.keyVaultExistingResourceGroup]).toEqual(['cilium', true, [], undefined]);
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
