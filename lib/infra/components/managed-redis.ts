import * as network from '@pulumi/azure-native/network';
import * as privatedns from '@pulumi/azure-native/privatedns';
import * as redis from '@pulumi/azure-native/redis';
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
  /** The cache's name (globally unique: `<name>.redis.cache.windows.net`). */
  readonly cacheName: string;
  /** Its resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Its region. */
  readonly location: string;
  /** Availability zones the cache's nodes spread over (zone-redundant with several). */
  readonly zones: readonly string[];
  /**
   * Capacity of the Premium SKU (P1 = 1).
   * @default 1
   */
  readonly capacity?: number;
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
 * Azure Cache for Redis for the rate-limit service's counters: Premium (zone redundancy needs it),
 * a replica per zone, TLS 1.2 only (no non-TLS port), optionally private, and the Kubernetes Secret
 * with its address ("host:6380") and primary key that `RateLimitRedis.fromSecret` reads.
 * @see https://learn.microsoft.com/azure/azure-cache-for-redis/cache-how-to-zone-redundancy
 */
export class ManagedRedis extends pulumi.ComponentResource {
  /** The cache. */
  public readonly cache: redis.Redis;
  /** The Secret with `url` and `password`. */
  public readonly secret: k8s.core.v1.Secret;
  /** "host:port" of the TLS endpoint. */
  public readonly url: pulumi.Output<string>;

  public constructor(name: string, args: ManagedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:ManagedRedis', name, {}, opts);
    const zones = [...args.zones];
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(args.cacheName) || args.cacheName.includes('--')) {
      throw new Error(`ManagedRedis ${name}: invalid cacheName: received ${JSON.stringify(args.cacheName)}. Use 1-63 lower-case letters, digits and single "-", starting and ending with a letter or digit.`);
    }
    const capacity = args.capacity ?? 1;
    if (![1, 2, 3, 4, 5].includes(capacity)) {
      throw new Error(`ManagedRedis ${name}: invalid capacity: received ${capacity}. Use a Premium capacity from 1 (P1) to 5 (P5).`);
    }
    this.cache = new redis.Redis(`${name}-cache`, {
      name: args.cacheName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: redis.SkuName.Premium, family: redis.SkuFamily.P, capacity },
      zones: zones.length ? zones : undefined,
      // A replica in each further zone: the primary and its replicas never share a zone.
      replicasPerMaster: Math.max(zones.length - 1, 1),
      enableNonSslPort: false,
      minimumTlsVersion: redis.TlsVersion.TlsVersion_1_2,
      publicNetworkAccess: args.privateEndpoint ? redis.PublicNetworkAccess.Disabled : redis.PublicNetworkAccess.Enabled,
      redisVersion: '6',
      tags: args.tags,
    }, { parent: this, protect: args.protect });

    if (args.privateEndpoint) {
      const pe = args.privateEndpoint;
      const endpoint = new network.PrivateEndpoint(`${name}-endpoint`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnet: { id: pe.subnetId },
        privateLinkServiceConnections: [{ name: `${args.cacheName}-redis`, privateLinkServiceId: this.cache.id, groupIds: ['redisCache'] }],
        tags: args.tags,
      }, { parent: this });
      const zone = new privatedns.PrivateZone(`${name}-dns`, {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: 'privatelink.redis.cache.windows.net',
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

    const keys = redis.listRedisKeysOutput({ name: this.cache.name, resourceGroupName: args.resourceGroupName }, { parent: this });
    this.url = pulumi.interpolate`${this.cache.hostName}:${this.cache.sslPort}`;
    this.secret = new k8s.core.v1.Secret(`${name}-secret`, {
      metadata: { name: args.secret.name, namespace: args.secret.namespace },
      type: 'Opaque',
      stringData: { url: this.url, password: pulumi.secret(keys.primaryKey) },
    }, { parent: this, provider: args.provider, dependsOn: args.secretDependsOn, additionalSecretOutputs: ['stringData', 'data'] });
    this.registerOutputs({ url: this.url });
  }
}
