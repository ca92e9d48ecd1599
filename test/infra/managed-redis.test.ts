// Azure Managed Redis for the rate-limit service, under Pulumi's mocks: created in prod with the
// Secret the service reads, absent in dev (in-cluster Redis), private when given a subnet.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import edgeProgram from '../../apps/pulumi';
import { environments } from '../../apps/environments';
import { stackConfig } from '../../apps/plan';
import { ManagedRedis } from '../../lib/infra/components/managed-redis';
import { EdgeMocks, settle, valueOf } from '../../lib/infra/testing';

async function run(stack: string, preview = false) {
  const mocks = new EdgeMocks({ preview });
  await mocks.install('istio-aks-edge', stack, stackConfig(stack));
  const outputs = await edgeProgram();
  const redisHost = await valueOf(outputs.rateLimitRedisHost as never);
  await settle();
  return { mocks, redisHost };
}

const unsecret = (v: any) => (v && v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? v.value : v);

describe('managed Redis for the rate-limit service', () => {
  it('prod: Azure Managed Redis (highly available, TLS only on port 10000, one endpoint) and the Secret with its address and key, after the namespaces', async () => {
    const { mocks, redisHost } = await run('prod');
    const [cache] = mocks.ofType('azure-native:redisenterprise:RedisEnterprise');
    const redis = environments.prod.globalRateLimit.redis;
    if (redis.kind !== 'azure-managed') throw new Error('prod uses the managed Redis');
    expect(cache.inputs).toMatchObject({
      clusterName: redis.cacheName,
      resourceGroupName: environments.prod.publicIp!.resourceGroup,
      sku: { name: 'Balanced_B1' },
      highAvailability: 'Enabled',
      minimumTlsVersion: '1.2',
      publicNetworkAccess: 'Enabled',
    });
    expect(cache.parent).toBe('istio-aks-edge:azure:ManagedRedis::edge-redis');
    expect(mocks.ofType('azure-native:redis:Redis')).toEqual([]);
    // One endpoint (EnterpriseCluster) for envoyproxy/ratelimit's REDIS_TYPE=SINGLE, TLS only, keys on, counters never evicted.
    const [database] = mocks.ofType('azure-native:redisenterprise:Database');
    expect(database.inputs).toEqual({
      clusterName: redis.cacheName, resourceGroupName: environments.prod.publicIp!.resourceGroup, databaseName: 'default', clientProtocol: 'Encrypted', port: 10000,
      clusteringPolicy: 'EnterpriseCluster', evictionPolicy: 'NoEviction', accessKeysAuthentication: 'Enabled',
    });
    expect(database.options.protect).toBe(true);
    const keys = mocks.calls.filter((c) => c.token === 'azure-native:redisenterprise:listDatabaseKeys');
    expect(keys.map((c) => c.inputs)).toEqual([{ clusterName: redis.cacheName, databaseName: 'default', resourceGroupName: environments.prod.publicIp!.resourceGroup }]);

    const [secret] = mocks.ofType('kubernetes:core/v1:Secret').filter((r) => r.parent?.startsWith('istio-aks-edge:azure:ManagedRedis::'));
    expect(secret.inputs.metadata).toEqual({ name: redis.secretName, namespace: 'ratelimit' });
    const data = unsecret(secret.inputs.stringData);
    expect({ url: unsecret(data.url), password: unsecret(data.password) }).toEqual({
      url: `${redis.cacheName}.westeurope.redis.azure.net:10000`, password: `mock-primary-key-of-${redis.cacheName}`,
    });
    expect(redisHost).toBe(`${redis.cacheName}.westeurope.redis.azure.net:10000`);
    // The Secret waits for its namespace ("ratelimit", which the edge creates), not for the rate-limit Deployment.
    const namespace = mocks.resources.find((r) => r.type.startsWith('kubernetes:') && r.inputs.kind === 'Namespace' && r.inputs.metadata.name === 'ratelimit')!;
    expect(secret.dependencies).toContain(namespace.urn);
    expect(secret.dependencies.some((d) => d.includes('deployment-ratelimit-ratelimit'))).toBe(false);
    expect(secret.provider).toMatch(/pulumi:providers:kubernetes/);
    // The service reads that Secret (its RateLimitService recorded it: apps/pulumi.ts names only the
    // cache), and waits for it: a first `up` does not start it before the Secret exists.
    const deployment = mocks.resources.find((r) => r.inputs.kind === 'Deployment' && r.inputs.metadata?.name === 'ratelimit')!;
    const env = deployment.inputs.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'REDIS_URL').valueFrom.secretKeyRef).toEqual({ name: redis.secretName, key: 'url' });
    expect(deployment.dependencies).toContain(secret.urn);
    expect(mocks.resources.filter((r) => r.dependencies.includes(secret.urn)).map((r) => r.name)).toEqual([deployment.name]);
  });

  it('preview (pulumi preview, nothing created yet): the rate-limit Deployment still waits for the Secret, which waits for the database', async () => {
    const { mocks } = await run('prod', true);
    const [secret] = mocks.ofType('kubernetes:core/v1:Secret').filter((r) => r.parent?.startsWith('istio-aks-edge:azure:ManagedRedis::'));
    const [database] = mocks.ofType('azure-native:redisenterprise:Database');
    const deployment = mocks.resources.find((r) => r.inputs.kind === 'Deployment' && r.inputs.metadata?.name === 'ratelimit')!;
    expect(deployment.dependencies).toContain(secret.urn);
    expect(secret.dependencies).toContain(database.urn);
  });

  it('dev: no Azure cache, no Secret written; the in-cluster Redis is among the edge objects', async () => {
    const { mocks, redisHost } = await run('dev');
    expect(mocks.ofType('azure-native:redisenterprise:RedisEnterprise')).toEqual([]);
    expect(mocks.resources.filter((r) => r.parent?.startsWith('istio-aks-edge:azure:ManagedRedis::'))).toEqual([]);
    expect(redisHost).toBeUndefined();
    expect(mocks.resources.some((r) => r.inputs.kind === 'Deployment' && r.inputs.metadata?.name === 'ratelimit-redis')).toBe(true);
  });

  it('with a private endpoint: public access disabled, the endpoint, the privatelink zone linked to the VNet', async () => {
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'prod', stackConfig('prod'));
    const provider = new k8s.Provider('k', { kubeconfig: 'x' });
    new ManagedRedis('r', {
      cacheName: 'redis-private', resourceGroupName: 'rg', location: 'westeurope', zones: ['1', '2', '3'],
      privateEndpoint: { subnetId: '/subnets/pe', virtualNetworkId: '/vnets/v' }, secret: { namespace: 'ratelimit', name: 's' }, provider,
    });
    await settle();
    expect(mocks.ofType('azure-native:redisenterprise:RedisEnterprise')[0].inputs.publicNetworkAccess).toBe('Disabled');
    expect(mocks.ofType('azure-native:network:PrivateEndpoint')[0].inputs).toMatchObject({
      subnet: { id: '/subnets/pe' }, privateLinkServiceConnections: [{ groupIds: ['redisEnterprise'], privateLinkServiceId: 'r-cluster-id' }],
    });
    expect(mocks.ofType('azure-native:privatedns:PrivateZone')[0].inputs.privateZoneName).toBe('privatelink.redis.azure.net');
    expect(mocks.ofType('azure-native:privatedns:VirtualNetworkLink')[0].inputs.virtualNetwork).toEqual({ id: '/vnets/v' });
    expect(mocks.ofType('azure-native:network:PrivateDnsZoneGroup')).toHaveLength(1);
  });

  it('a bad cache name or SKU is refused before anything is declared', async () => {
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'dev', stackConfig('dev'));
    const provider = new k8s.Provider('k', { kubeconfig: 'x' });
    const base = { resourceGroupName: 'rg', location: 'westeurope', zones: ['1'], secret: { namespace: 'n', name: 's' }, provider };
    expect(() => new ManagedRedis('a', { ...base, cacheName: 'Bad_Name' })).toThrow(/ManagedRedis a: invalid cacheName: received "Bad_Name"\. Use 1-60 letters, digits and single "-"/);
    expect(() => new ManagedRedis('b', { ...base, cacheName: 'ok', sku: 'Premium_P1' })).toThrow(/ManagedRedis b: invalid sku: received "Premium_P1"\. Use an Azure Managed Redis size such as "Balanced_B1"/);
    expect(mocks.ofType('azure-native:redisenterprise:RedisEnterprise')).toEqual([]);
  });
});
