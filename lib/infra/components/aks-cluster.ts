import * as authorization from '@pulumi/azure-native/authorization';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { dump, load } from 'js-yaml';
import { IstioMode, PoolConfig, StackConfig } from '../program/config';
import { userPoolAksName } from '../program/names';
import type { ClusterInputs } from '../program/previous-deployment';
import { Admins, assignAdmins, Deployer } from './role-assignment';

/**
 * The application ID of the AKS Microsoft Entra server ("Azure Kubernetes Service AAD Server"), the
 * same in every tenant: the audience of the tokens an Entra ID cluster accepts (kubelogin's
 * `--server-id`).
 */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/**
 * Replaces every user of a kubeconfig with a bearer token: the Kubernetes provider then calls the
 * API server as the identity the token was issued to, with no exec plugin (no kubelogin, no Azure
 * CLI session).
 */
export function tokenKubeconfig(kubeconfig: string, token: string): string {
  const doc = load(kubeconfig) as { users?: Array<{ name?: string; user?: unknown }> };
  for (const u of doc.users ?? []) u.user = { token };
  return dump(doc, { lineWidth: -1 });
}

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
  /** The deploying identity: its token calls the API server. */
  readonly deployer: Deployer;
  /**
   * The admins (Entra ID groups, bootstrap deployers): cluster admins through Azure RBAC.
   * @default - none
   */
  readonly admins?: Admins;
  /**
   * The Kubernetes version and node counts to send, from the configuration and the live cluster
   * (lib/infra/program/previous-deployment.ts): never older than what runs.
   * @default - a new cluster: the configured version, each pool at its `minCount`
   */
  readonly cluster?: ClusterInputs;
  /**
   * The Log Analytics workspace Microsoft Defender reports to (`config.security.defender`).
   * @default - none: Defender off
   */
  readonly logAnalyticsWorkspaceId?: pulumi.Input<string>;
}

/**
 * An AKS cluster spread over availability zones behind a Standard load balancer: the system pool
 * inline, user pools as separate AgentPool resources (changing an inline pool disturbs the whole
 * cluster), autoscaled pools whose minimum keeps a node in every configured zone, Azure CNI overlay,
 * managed identity, RBAC, OIDC issuer and workload identity, an auto-upgrade channel, Entra ID with
 * Azure RBAC (the admin groups, and bootstrap deployers, made cluster admins) and the optional Istio add-on.
 *
 * What AKS or the autoscaler changed is sent back as it runs, never undone: the version sent is
 * never older than the running one and each pool's count is the running count (`args.cluster`, read
 * from the live cluster before anything is declared; no `ignoreChanges`, which would send the state's
 * stale values again); production protects the cluster from deletion; a user pool's VM size change
 * creates its replacement before deleting it (its AKS name carries the size).
 * Exposes the kubeconfig for people (secret) and a Kubernetes provider for the program.
 */
export class AksCluster extends pulumi.ComponentResource {
  /** The cluster. */
  public readonly cluster: containerservice.ManagedCluster;
  /** The user pools. */
  public readonly userPools: containerservice.AgentPool[];
  /**
   * The user kubeconfig, secret; unknown during preview, never awaited. With Entra ID it
   * authenticates through kubelogin with the Azure CLI's session (`--login azurecli`).
   */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The maintenance configurations: Kubernetes auto-upgrades and node-OS upgrades, in their windows. */
  public readonly maintenance: containerservice.MaintenanceConfiguration[];
  /** A Kubernetes provider for the cluster: pass it explicitly to every Kubernetes resource. */
  public readonly provider: k8s.Provider;
  /** The principal ID of the cluster's system-assigned identity (control plane). */
  public readonly principalId: pulumi.Output<string>;
  /**
   * The admins' role assignments on the cluster (Entra ID with Azure RBAC): "Azure Kubernetes
   * Service RBAC Cluster Admin" for the groups and bootstrap deployers, "Cluster User" for the groups.
   */
  public readonly adminAssignments: pulumi.CustomResource[] = [];

  public constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:AksCluster', name, {}, opts);
    const { config } = args;
    const zones = config.zones;
    const autoscaled = (pool: PoolConfig, aksName: string) => ({
      vmSize: pool.vmSize,
      // What runs (the autoscaler owns the count), inside the bounds; minCount for a new pool.
      count: args.cluster?.poolCounts[aksName] ?? pool.minCount,
      minCount: pool.minCount,
      maxCount: pool.maxCount,
      enableAutoScaling: true,
      availabilityZones: zones,
      type: containerservice.AgentPoolType.VirtualMachineScaleSets,
      osType: containerservice.OSType.Linux,
      osSKU: containerservice.OSSKU.AzureLinux,
      // Extra nodes during upgrades and reimages, so capacity does not drop while nodes drain.
      upgradeSettings: { maxSurge: pool.maxSurge },
    });
    const tier = config.longTermSupport ? containerservice.ManagedClusterSKUTier.Premium
      : config.production ? containerservice.ManagedClusterSKUTier.Standard : containerservice.ManagedClusterSKUTier.Free;

    this.cluster = new containerservice.ManagedCluster(`${name}-cluster`, {
      resourceGroupName: args.resourceGroupName,
      resourceName: config.clusterName,
      location: config.location,
      dnsPrefix: config.clusterName,
      kubernetesVersion: args.cluster?.kubernetesVersion ?? config.kubernetesVersion,
      // Production gets the Standard tier (a financially backed API server SLA over the zones);
      // long-term support needs Premium and the LTS plan.
      sku: { name: containerservice.ManagedClusterSKUName.Base, tier },
      supportPlan: config.longTermSupport ? containerservice.KubernetesSupportPlan.AKSLongTermSupport : undefined,
      identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
      enableRBAC: true,
      agentPoolProfiles: [{
        name: config.systemPool.name,
        mode: containerservice.AgentPoolMode.System,
        ...autoscaled(config.systemPool, config.systemPool.name),
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
      // Closed by default in production: authorized ranges (required there) or a private cluster.
      apiServerAccessProfile: config.security.privateCluster ? { enablePrivateCluster: true }
        : config.apiServerAuthorizedIpRanges.length ? { authorizedIPRanges: config.apiServerAuthorizedIpRanges } : undefined,
      addonProfiles: {
        // Syncs certificates from Key Vault (the gateway's Certificate.fromKeyVault), with rotation.
        azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } },
        azurepolicy: { enabled: config.azurePolicy },
      },
      // Azure Managed Prometheus' collector (with kube-state-metrics), when monitoring is on.
      azureMonitorProfile: config.monitoring.enabled ? { metrics: { enabled: true, kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' } } } : undefined,
      securityProfile: {
        workloadIdentity: { enabled: true },
        ...(config.security.defender && args.logAnalyticsWorkspaceId
          ? { defender: { logAnalyticsWorkspaceResourceId: args.logAnalyticsWorkspaceId, securityMonitoring: { enabled: true } } } : {}),
        // Weekly (AKS's default interval is 7 days = 168 hours).
        ...(config.security.imageCleaner ? { imageCleaner: { enabled: true, intervalHours: 168 } } : {}),
      },
      autoUpgradeProfile: { upgradeChannel: config.autoUpgradeChannel, nodeOSUpgradeChannel: 'NodeImage' },
      aadProfile: config.entraId ? {
        managed: true,
        enableAzureRBAC: config.entraId.azureRbac,
        adminGroupObjectIDs: config.entraId.adminGroupObjectIds.length ? config.entraId.adminGroupObjectIds : undefined,
      } : undefined,
      disableLocalAccounts: config.entraId?.disableLocalAccounts ?? false,
      serviceMeshProfile: config.istio.mode === IstioMode.AKS_ADDON ? {
        mode: containerservice.ServiceMeshMode.Istio,
        // Two consecutive revisions during AKS's canary upgrade (`az aks mesh upgrade start`); one
        // again completes it (the new one kept) or rolls it back (the old one kept).
        istio: { revisions: [...config.istio.revisions] },
      } : undefined,
      tags: config.tags,
    }, {
      parent: this,
      protect: config.production,
    });

    this.userPools = config.userPools.map((pool) => new containerservice.AgentPool(`${name}-pool-${pool.name}`, {
      resourceGroupName: args.resourceGroupName,
      resourceName: this.cluster.name,
      agentPoolName: userPoolAksName(pool.name, pool.vmSize),
      mode: containerservice.AgentPoolMode.User,
      ...autoscaled(pool, userPoolAksName(pool.name, pool.vmSize)),
      tags: config.tags,
    }, { parent: this, deleteBeforeReplace: false }));

    // When AKS may upgrade: its two managed maintenance configurations (names fixed by AKS).
    this.maintenance = ([['aksManagedAutoUpgradeSchedule', config.maintenance.kubernetes], ['aksManagedNodeOSUpgradeSchedule', config.maintenance.nodeOS]] as const)
      .map(([configName, w]) => new containerservice.MaintenanceConfiguration(`${name}-${configName}`, {
        resourceGroupName: args.resourceGroupName,
        resourceName: this.cluster.name,
        configName,
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: w.day, intervalWeeks: w.intervalWeeks } },
          startTime: w.start,
          durationHours: w.durationHours,
          utcOffset: w.utcOffset,
        },
      }, { parent: this }));

    // Entra ID: the admin groups (and bootstrap deployers) are cluster admins through Azure RBAC;
    // the groups may also list the user credentials (the kubeconfig people sign in with). The
    // provider calls the API server with the deployer's own Entra token for the AKS server
    // application (no kubelogin): the deployer must be one of them (a bootstrap deployer or a member).
    const entra = config.entraId !== undefined;
    if (config.entraId?.azureRbac && args.admins) {
      const subscriptionId = args.deployer.subscriptionId;
      this.adminAssignments.push(
        ...assignAdmins(`${name}-cluster-admin`, args.admins, 'aksRbacClusterAdmin', this.cluster.id, subscriptionId, { parent: this }, { deployer: `${name}-deployer-cluster-admin` }),
        ...assignAdmins(`${name}-cluster-user`, { groupObjectIds: args.admins.groupObjectIds, deployers: [] }, 'aksClusterUser', this.cluster.id, subscriptionId, { parent: this }),
      );
    }
    const credentials = containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName: args.resourceGroupName,
      resourceName: this.cluster.name,
      format: entra ? 'exec' : undefined,
    }, { parent: this });
    const raw = credentials.kubeconfigs.apply((k) => Buffer.from(k[0].value, 'base64').toString('utf8'));
    this.kubeconfig = pulumi.secret(entra ? raw.apply(kubeloginAzureCli) : raw);
    let providerKubeconfig: pulumi.Output<string> = this.kubeconfig;
    if (entra) {
      // An access token lives about an hour (Entra ID's default lifetime, 60-90 minutes): enough for
      // one `pulumi up`; each run fetches a new one.
      const token = authorization.getClientTokenOutput({ endpoint: AKS_SERVER_APP_ID }, { parent: this });
      providerKubeconfig = pulumi.secret(pulumi.all([raw, token.token]).apply(([k, t]) => tokenKubeconfig(k, t)));
    }
    this.principalId = this.cluster.identity.apply((i) => i?.principalId ?? '');
    this.provider = new k8s.Provider(`${name}-k8s`, {
      kubeconfig: providerKubeconfig,
      // The token changes on every run: only another cluster replaces the provider (and with it
      // every Kubernetes resource); a new token is an update.
      clusterIdentifier: pulumi.interpolate`${args.resourceGroupName}/${config.clusterName}`,
      enableServerSideApply: true,
    }, { parent: this, dependsOn: [...this.userPools, ...this.adminAssignments] });

    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }
}
