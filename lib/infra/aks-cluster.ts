import * as containerservice from '@pulumi/azure-native/containerservice';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { dump, load } from 'js-yaml';
import { IstioMode, PoolConfig, StackConfig } from './config';

/** Rewrites a kubelogin exec kubeconfig to log in with the Azure CLI's session (`--login azurecli`). */
export function kubeloginAzureCli(kubeconfig: string): string {
  const doc = load(kubeconfig) as { users?: Array<{ user?: { exec?: { command?: string; args?: string[] } } }> };
  for (const u of doc.users ?? []) {
    const exec = u.user?.exec;
    if (!exec || !/kubelogin$/.test(exec.command ?? '')) continue;
    const args = exec.args ?? [];
    const serverId = args[args.indexOf('--server-id') + 1];
    exec.args = ['get-token', '--login', 'azurecli', ...(args.includes('--server-id') ? ['--server-id', serverId] : [])];
  }
  return dump(doc, { lineWidth: -1 });
}

/** Inputs of {@link AksCluster}. */
export interface AksClusterArgs {
  /** The validated stack configuration. */
  readonly config: StackConfig;
  /** The resource group of the cluster. */
  readonly resourceGroupName: pulumi.Input<string>;
}

/**
 * An AKS cluster spread over availability zones behind a Standard load balancer: the system pool
 * inline, user pools as separate AgentPool resources (changing an inline pool disturbs the whole
 * cluster), autoscaled pools in every configured zone, Azure CNI overlay, managed identity, RBAC,
 * OIDC issuer and workload identity, an auto-upgrade channel, optional Entra ID integration and the
 * optional Istio add-on. Exposes the kubeconfig (secret) and a Kubernetes provider built from it.
 */
export class AksCluster extends pulumi.ComponentResource {
  public readonly cluster: containerservice.ManagedCluster;
  public readonly userPools: containerservice.AgentPool[];
  /** The user kubeconfig, secret; unknown during preview, never awaited. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** A Kubernetes provider for the cluster: pass it explicitly to every Kubernetes resource. */
  public readonly provider: k8s.Provider;
  /** The principal ID of the cluster's system-assigned identity (control plane). */
  public readonly principalId: pulumi.Output<string>;

  public constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:AksCluster', name, {}, opts);
    const { config } = args;
    const zones = config.zones;
    const autoscaled = (pool: PoolConfig) => ({
      vmSize: pool.vmSize,
      count: Math.max(pool.minCount, 1),
      minCount: pool.minCount,
      maxCount: pool.maxCount,
      enableAutoScaling: true,
      availabilityZones: zones,
      type: containerservice.AgentPoolType.VirtualMachineScaleSets,
      osType: containerservice.OSType.Linux,
      osSKU: containerservice.OSSKU.AzureLinux,
    });

    this.cluster = new containerservice.ManagedCluster(`${name}-cluster`, {
      resourceGroupName: args.resourceGroupName,
      resourceName: config.clusterName,
      location: config.location,
      dnsPrefix: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      // Production gets the Standard tier: a financially backed API server SLA over the zones.
      sku: {
        name: containerservice.ManagedClusterSKUName.Base,
        tier: config.production ? containerservice.ManagedClusterSKUTier.Standard : containerservice.ManagedClusterSKUTier.Free,
      },
      identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
      enableRBAC: true,
      agentPoolProfiles: [{
        name: config.systemPool.name,
        mode: containerservice.AgentPoolMode.System,
        ...autoscaled(config.systemPool),
        // Keep application pods, the gateway included, on the user pools.
        nodeTaints: config.userPools.length ? ['CriticalAddonsOnly=true:NoSchedule'] : undefined,
      }],
      networkProfile: {
        networkPlugin: containerservice.NetworkPlugin.Azure,
        networkPluginMode: containerservice.NetworkPluginMode.Overlay,
        // The engine that enforces the edge's NetworkPolicies (Cilium: Azure CNI powered by Cilium).
        networkDataplane: config.networkPolicy === 'cilium' ? 'cilium' : undefined,
        networkPolicy: config.networkPolicy,
        podCidr: '10.244.0.0/16',
        loadBalancerSku: containerservice.LoadBalancerSku.Standard,
        outboundType: containerservice.OutboundType.LoadBalancer,
      },
      oidcIssuerProfile: { enabled: true },
      apiServerAccessProfile: config.apiServerAuthorizedIpRanges.length ? { authorizedIPRanges: config.apiServerAuthorizedIpRanges } : undefined,
      addonProfiles: {
        // Syncs certificates from Key Vault (the gateway's Certificate.fromKeyVault), with rotation.
        azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } },
        azurepolicy: { enabled: config.azurePolicy },
      },
      // Azure Managed Prometheus' collector (with kube-state-metrics), when monitoring is on.
      azureMonitorProfile: config.monitoring.enabled ? { metrics: { enabled: true, kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' } } } : undefined,
      securityProfile: { workloadIdentity: { enabled: true } },
      autoUpgradeProfile: { upgradeChannel: config.autoUpgradeChannel, nodeOSUpgradeChannel: 'NodeImage' },
      aadProfile: config.entraId ? {
        managed: true,
        enableAzureRBAC: config.entraId.azureRbac,
        adminGroupObjectIDs: config.entraId.adminGroupObjectIds,
      } : undefined,
      disableLocalAccounts: config.entraId?.disableLocalAccounts ?? false,
      serviceMeshProfile: config.istio.mode === IstioMode.AKS_ADDON ? {
        mode: containerservice.ServiceMeshMode.Istio,
        istio: { revisions: [config.istio.revision!] },
      } : undefined,
      tags: config.tags,
    }, { parent: this });

    this.userPools = config.userPools.map((pool) => new containerservice.AgentPool(`${name}-pool-${pool.name}`, {
      resourceGroupName: args.resourceGroupName,
      resourceName: this.cluster.name,
      agentPoolName: pool.name,
      mode: containerservice.AgentPoolMode.User,
      ...autoscaled(pool),
      tags: config.tags,
    }, { parent: this }));

    // With Entra ID and no local accounts, the kubeconfig authenticates through kubelogin: ask for
    // the exec format, and log in with the Azure CLI's session (as `pulumi up` runs with it).
    const entra = config.entraId?.disableLocalAccounts === true;
    const credentials = containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName: args.resourceGroupName,
      resourceName: this.cluster.name,
      format: entra ? 'exec' : undefined,
    }, { parent: this });
    this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((k) => {
      const kubeconfig = Buffer.from(k[0].value, 'base64').toString('utf8');
      return entra ? kubeloginAzureCli(kubeconfig) : kubeconfig;
    }));
    this.principalId = this.cluster.identity.apply((i) => i?.principalId ?? '');
    this.provider = new k8s.Provider(`${name}-k8s`, {
      kubeconfig: this.kubeconfig,
      enableServerSideApply: true,
    }, { parent: this, dependsOn: this.userPools });

    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }
}
