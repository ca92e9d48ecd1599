import * as resources from '@pulumi/azure-native/resources';
import * as pulumi from '@pulumi/pulumi';
import { AlertGroup } from '../alerts';
import { KubernetesObject } from '../kubernetes-object';
import { AksCluster } from './aks-cluster';
import { AzureMonitoring } from './azure-monitoring';
import { StackConfig } from './config';
import { EdgeDeployment } from './edge-deployment';
import { GatewayKeyVault } from './gateway-key-vault';
import { IngressPublicIp } from './ingress-public-ip';
import { IstioControlPlane } from './istio-control-plane';
import { ManagedRedis } from './managed-redis';

/** Inputs of {@link EdgeStack}. */
export interface EdgeStackArgs {
  /** The validated stack configuration. */
  readonly config: StackConfig;
  /** The synthesized edge objects for the stack's environment. */
  readonly objects: readonly KubernetesObject[];
  /**
   * The gateway's public IP, as the edge app names it in the Service's Azure annotations: the
   * resource group is created with this name and holds the cluster and the IP.
   */
  readonly publicIp: { readonly name: string; readonly resourceGroup: string };
  /** The hosts the gateway serves. */
  readonly hostnames: readonly string[];
  /**
   * The edge's alert rule groups, created as Azure Monitor Prometheus rule groups.
   * @default - none
   */
  readonly alertGroups?: readonly AlertGroup[];
  /**
   * The gateway's certificate in Key Vault: the vault's name and the gateway pods' service account.
   * @default - no Key Vault
   */
  readonly keyVault?: { readonly vaultName: string; readonly clientId: string; readonly serviceAccount: { readonly namespace: string; readonly name: string } };
  /**
   * Azure's managed Redis for the rate-limit service, and the Secret (namespace and name) that
   * `RateLimitRedis.fromSecret` reads. See lib/infra/managed-redis.ts.
   * @default - no managed Redis (the edge uses an in-cluster Redis, or none)
   */
  readonly managedRedis?: { readonly cacheName: string; readonly secret: { readonly namespace: string; readonly name: string } };
}

/**
 * Everything the edge needs on Azure, and the edge itself: a resource group, the AKS cluster, a
 * zone-redundant static public IP for the gateway, the Istio control plane, and the synthesized
 * objects applied after it.
 */
export class EdgeStack extends pulumi.ComponentResource {
  public readonly resourceGroup: resources.ResourceGroup;
  public readonly aks: AksCluster;
  public readonly ingressIp: IngressPublicIp;
  public readonly istio: IstioControlPlane;
  public readonly edge: EdgeDeployment;
  /** The gateway's Key Vault, identity and access, when its certificate comes from Key Vault. */
  public readonly keyVault?: GatewayKeyVault;
  /** Azure Managed Prometheus, the alert rule groups and Grafana, when monitoring is on. */
  public readonly monitoring?: AzureMonitoring;
  /** Azure's managed Redis and its Secret, for the rate-limit service (issue 16). */
  public readonly redis?: ManagedRedis;

  public constructor(name: string, args: EdgeStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:index:EdgeStack', name, {}, opts);
    const { config } = args;
    this.resourceGroup = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: args.publicIp.resourceGroup,
      location: config.location,
      tags: config.tags,
    }, { parent: this });
    this.aks = new AksCluster(`${name}-aks`, { config, resourceGroupName: this.resourceGroup.name }, { parent: this });
    this.ingressIp = new IngressPublicIp(`${name}-ingress`, {
      name: args.publicIp.name,
      resourceGroupName: this.resourceGroup.name,
      resourceGroupId: this.resourceGroup.id,
      location: config.location,
      zones: config.zones,
      clusterPrincipalId: this.aks.principalId,
      tags: config.tags,
      protect: config.production,
    }, { parent: this });
    if (args.keyVault) {
      const kv = args.keyVault;
      this.keyVault = new GatewayKeyVault(`${name}-keyvault`, {
        vaultName: kv.vaultName,
        existingResourceGroup: config.keyVaultExistingResourceGroup,
        resourceGroupName: this.resourceGroup.name,
        location: config.location,
        oidcIssuerUrl: this.aks.cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ''),
        serviceAccount: kv.serviceAccount,
        purgeProtection: config.production,
        identityName: `id-${config.clusterName}-gateway`,
        tags: config.tags,
      }, { parent: this });
      // The manifests carry the identity's client ID (a GitOps user commits it): tell when they differ.
      this.keyVault.clientId.apply((id) => {
        if (id && id !== kv.clientId) {
          pulumi.log.warn(`The gateway identity's client ID is ${id}, but the edge's Key Vault certificate uses ${kv.clientId}: set keyVault.clientId of the environment to ${id} and deploy again, or the certificate cannot be read.`, this);
        }
      });
    }
    this.istio = new IstioControlPlane(`${name}-istio`, { istio: config.istio, provider: this.aks.provider }, { parent: this });
    this.edge = new EdgeDeployment(`${name}-edge`, {
      objects: args.objects,
      provider: this.aks.provider,
      // The IP must exist (and be usable by the cluster) before the gateway Service asks for it.
      dependsOn: [...this.istio.ready, this.ingressIp],
    }, { parent: this });
    if (config.monitoring.enabled) {
      this.monitoring = new AzureMonitoring(`${name}-monitoring`, {
        config: config.monitoring,
        resourceGroupName: this.resourceGroup.name,
        location: config.location,
        clusterName: config.clusterName,
        clusterId: this.aks.cluster.id,
        alertGroups: args.alertGroups ?? [],
        tags: config.tags,
      }, { parent: this });
    }
    // --- Managed Redis for the rate-limit service (issue 16): kept to this block. ---
    if (args.managedRedis) {
      // The Secret needs its namespace, which the edge objects create first (EdgeDeployment applies
      // namespaces before anything else); waiting for all of them would wait on the rate-limit
      // Deployment, which waits on this Secret.
      const namespaceCount = args.objects.filter((o) => o.kind === 'Namespace').length;
      this.redis = new ManagedRedis(`${name}-redis`, {
        cacheName: args.managedRedis.cacheName,
        resourceGroupName: this.resourceGroup.name,
        location: config.location,
        zones: config.zones,
        secret: args.managedRedis.secret,
        provider: this.aks.provider,
        secretDependsOn: this.edge.resources.slice(0, namespaceCount),
        tags: config.tags,
        protect: config.production,
      }, { parent: this });
    }
    this.registerOutputs({});
  }
}
