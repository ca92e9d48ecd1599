import * as network from '@pulumi/azure-native/network';
import * as privatedns from '@pulumi/azure-native/privatedns';
import * as redisenterprise from '@pulumi/azure-native/redisenterprise';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/** A private endpoint for the cache in the cluster's virtual network. */
export interface RedisPrivateEndpointArgs {
  /** The subnet the endpoint takes an address in (one the cluster's nodes reach). */
  readonly subnetId: pulumi.Input<string>;
  /** The virtual network whose DNS resolves the cache's name to the endpoint. */
  readonly virtualNetworkId: pulumi.Input<string>;
}

/** Inputs of {@link ManagedRedis}. */
export interface ManagedRedisArgs {
  /** The cache's name (globally unique in the region: `<name>.<region>.redis.azure.net`). */
  readonly cacheName: string;
  /** Its resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Its region. */
  readonly location: string;
  /**
   * The stack's availability zones: with several, the cache is highly available (a replica,
   * which Azure Managed Redis spreads over the region's zones itself).
   */
  readonly zones: readonly string[];
  /**
   * The Azure Managed Redis SKU: a Balanced (`Balanced_B0` ... `Balanced_B1000`), Memory
   * Optimized (`MemoryOptimized_M*`) or Compute Optimized (`ComputeOptimized_X*`) size. Rate-limit
   * counters are small and short-lived: the smallest Balanced sizes carry them.
   * @default "Balanced_B1"
   */
  readonly sku?: string;
  /**
   * Reach the cache through a private endpoint only (public network access disabled).
   * @default - public network access, TLS and the access key only: the cluster's VNet is AKS-managed
   */
  readonly privateEndpoint?: RedisPrivateEndpointArgs;
  /** The Secret the rate-limit service reads (`RateLimitRedis.fromSecret`): its namespace and name. */
  readonly secret: { readonly namespace: string; readonly name: string };
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What must exist before the Secret (the namespace it lives in). */
  readonly secretDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Tags of the Azure resources. */
  readonly tags?: Record<string, string>;
  /** Protect the cache from deletion. */
  readonly protect?: boolean;
}

/**
 * Azure Managed Redis (`Microsoft.Cache/redisEnterprise`, the successor of Azure Cache for Redis,
 * which Microsoft retires on 2028-09-30) for the rate-limit service's counters: a cluster (Balanced
 * SKU, high availability, TLS 1.2), its one database (`default`: TLS only on port 10000, the
 * EnterpriseCluster policy, whose single endpoint a non-cluster client uses, which is what
 * envoyproxy/ratelimit's `REDIS_TYPE=SINGLE` is; access keys on, no eviction: a counter evicted
 * early would let traffic through), optionally private, and the Kubernetes Secret with its address
 * ("host:10000") and primary key that `RateLimitRedis.fromSecret` reads.
 * @see https://learn.microsoft.com/azure/redis/overview
 */
export class ManagedRedis extends pulumi.ComponentResource {
  /** The Azure Managed Redis cluster. */
  public readonly cluster: redisenterprise.RedisEnterprise;
  /** Its database. */
  public readonly database: redisenterprise.Database;
  /** The Secret with `url` and `password`. */
  public readonly secret: k8s.core.v1.Secret;
  /** "host:port" of the TLS endpoint. */
  public readonly url: pulumi.Output<string>;

  public constructor(name: string, args: ManagedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:ManagedRedis', name, {}, opts);
    if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,58}[a-zA-Z0-9])?$/.test(args.cacheName) || args.cacheName.includes('--')) {
      throw new Error(`ManagedRedis ${name}: invalid cacheName: received ${JSON.stringify(args.cacheName)}. Use 1-60 letters, digits and single "-", starting and ending with a letter or digit.`);
    }
    const sku = args.sku ?? 'Balanced_B1';
    if (!/^(Balanced_B\d+|MemoryOptimized_M\d+|ComputeOptimized_X\d+|FlashOptimized_A\d+)$/.test(sku)) {
      throw new Error(`ManagedRedis ${name}: invalid sku: received ${JSON.stringify(sku)}. Use an Azure Managed Redis size such as "Balanced_B1" (az redisenterprise list-skus-for-scaling lists a cluster's).`);
    }
    this.cluster = new redisenterprise.RedisEnterprise(`${name}-cluster`, {
      clusterName: args.cacheName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: sku },
      // A replica, in another zone where the region has zones: the counters survive a node or a zone.
      highAvailability: args.zones.length > 1 ? redisenterprise.HighAvailability.Enabled : redisenterprise.HighAvailability.Disabled,
      minimumTlsVersion: redisenterprise.TlsVersion.TlsVersion_1_2,
      publicNetworkAccess: args.privateEndpoint ? redisenterprise.PublicNetworkAccess.Disabled : redisenterprise.PublicNetworkAccess.Enabled,
      tags: args.tags,
    }, { parent: this, protect: args.protect });
    this.database = new redisenterprise.Database(`${name}-database`, {
      clusterName: this.cluster.name,
      resourceGroupName: args.resourceGroupName,
      databaseName: 'default',
      clientProtocol: redisenterprise.Protocol.Encrypted,
      port: 10000,
      clusteringPolicy: redisenterprise.ClusteringPolicy.EnterpriseCluster,
      evictionPolicy: redisenterprise.EvictionPolicy.NoEviction,
      // Keys (off by default in new databases): envoyproxy/ratelimit authenticates with a password
      // (REDIS_AUTH), not with Entra ID.
      accessKeysAuthentication: redisenterprise.AccessKeysAuthentication.Enabled,
    }, { parent: this, protect: args.protect });

    if (args.privateEndpoint) {
      const pe = args.privateEndpoint;
      const endpoint = new network.PrivateEndpoint(`${name}-endpoint`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnet: { id: pe.subnetId },
        privateLinkServiceConnections: [{ name: `${args.cacheName}-redis`, privateLinkServiceId: this.cluster.id, groupIds: ['redisEnterprise'] }],
        tags: args.tags,
      }, { parent: this });
      const zone = new privatedns.PrivateZone(`${name}-dns`, {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: 'privatelink.redis.azure.net',
        location: 'Global',
        tags: args.tags,
      }, { parent: this });
      new privatedns.VirtualNetworkLink(`${name}-dns-link`, {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: zone.name,
        location: 'Global',
        virtualNetwork: { id: pe.virtualNetworkId },
        registrationEnabled: false,
      }, { parent: this });
      new network.PrivateDnsZoneGroup(`${name}-dns-group`, {
        resourceGroupName: args.resourceGroupName,
        privateEndpointName: endpoint.name,
        privateDnsZoneConfigs: [{ name: 'redis', privateDnsZoneId: zone.id }],
      }, { parent: this });
    }

    const keys = redisenterprise.listDatabaseKeysOutput({ clusterName: this.cluster.name, databaseName: this.database.name, resourceGroupName: args.resourceGroupName }, { parent: this });
    this.url = pulumi.interpolate`${this.cluster.hostName}:${this.database.port.apply((p) => p ?? 10000)}`;
    this.secret = new k8s.core.v1.Secret(`${name}-secret`, {
      metadata: { name: args.secret.name, namespace: args.secret.namespace },
      type: 'Opaque',
      stringData: { url: this.url, password: pulumi.secret(keys.primaryKey) },
    }, { parent: this, provider: args.provider, dependsOn: args.secretDependsOn, additionalSecretOutputs: ['stringData', 'data'] });
    this.registerOutputs({ url: this.url });
  }
}
