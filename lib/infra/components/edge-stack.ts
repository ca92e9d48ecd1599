import * as authorization from '@pulumi/azure-native/authorization';
import * as resources from '@pulumi/azure-native/resources';
import * as pulumi from '@pulumi/pulumi';
import { AlertGroup } from '../../alerts';
import { KeyVaultFact, ObjectReference } from '../../deployment-facts';
import { KubernetesObject } from '../../model/kubernetes-object';
import { AksCluster } from './aks-cluster';
import { ArgoRollouts } from './argo-rollouts';
import { controllerOwnedFields, needsArgoRollouts } from '../program/controller-owned';
import { AuditLogs } from './audit-logs';
import { AzureMonitoring } from './azure-monitoring';
import { StackConfig } from '../program/config';
import { EdgeDeployment } from './edge-deployment';
import { GatewayKeyVault } from './gateway-key-vault';
import { IngressPublicIp } from './ingress-public-ip';
import { IstioControlPlane } from './istio-control-plane';
import { ManagedRedis } from './managed-redis';
import { keyVaultName } from '../program/names';
import type { ClusterInputs } from '../program/previous-deployment';
import { Admins, Deployer, deployerPrincipalType } from './role-assignment';

/** Inputs of {@link EdgeStack}. */
export interface EdgeStackArgs {
  /** The validated stack configuration. */
  readonly config: StackConfig;
  /** The synthesized edge objects for the stack's environment. */
  readonly objects: readonly KubernetesObject[];
  /**
   * For each object, the indexes of the objects it is applied after (the constructs' dependencies:
   * `synthesizeEdge`'s `dependencies`).
   */
  readonly dependencies: ReadonlyArray<readonly number[]>;
  /**
   * The gateway's public IP, as the edge app's IngressGateway names it (`azure.publicIp`): the
   * resource group is created with this name and holds the cluster and the IP; the Service that
   * asks for it (when given) waits for it.
   */
  readonly publicIp: { readonly name: string; readonly resourceGroup: string; readonly service?: ObjectReference };
  /** The hosts the gateway serves. */
  readonly hostnames: readonly string[];
  /**
   * The edge's alert rule groups, created as Azure Monitor Prometheus rule groups.
   * @default - none
   */
  readonly alertGroups?: readonly AlertGroup[];
  /**
   * The gateway's certificate in Key Vault, as the app's constructs recorded it: the values the
   * synthesized objects carry (the environment's, which a GitOps user commits), the objects that
   * name them and the gateway pods' service account. The stack creates the vault and identity and
   * applies their real values instead.
   * @default - no Key Vault
   */
  readonly keyVault?: KeyVaultFact;
  /**
   * Azure's managed Redis for the rate-limit service, and the Secret (namespace and name) that
   * `RateLimitRedis.fromSecret` reads. See lib/infra/managed-redis.ts.
   * @default - no managed Redis (the edge uses an in-cluster Redis, or none)
   */
  readonly managedRedis?: {
    readonly cacheName: string;
    readonly secret: { readonly namespace: string; readonly name: string };
    /**
     * The objects that read the Secret (the rate-limit Deployment): they wait for it.
     * @default - none
     */
    readonly readers?: readonly ObjectReference[];
  };
  /**
   * The Kubernetes version and node counts to send, from `refuseChangesAzureRefuses` (what the
   * live cluster runs, never undone).
   * @default - a new cluster: the configured version, each pool at its `minCount`
   */
  readonly cluster?: ClusterInputs;
  /**
   * Who administers the cluster, the vault and Grafana: the `entraId` groups and the bootstrap
   * deployers `refuseChangesAzureRefuses` returned (every deployer that ran with it, until revoked).
   * @default - nobody but what the cluster's `adminGroupObjectIDs` names
   */
  readonly admins?: Admins;
}

/**
 * Everything the edge needs on Azure, and the edge itself: a resource group, the AKS cluster, a
 * zone-redundant static public IP for the gateway, the Istio control plane, the gateway's Key Vault
 * and identity, monitoring, and the synthesized objects applied after them. Call
 * `refuseChangesAzureRefuses` first (the program does).
 */
export class EdgeStack extends pulumi.ComponentResource {
  /** The resource group of the cluster, the IP, the vault and the monitoring. */
  public readonly resourceGroup: resources.ResourceGroup;
  /** The cluster. */
  public readonly aks: AksCluster;
  /** The gateway's public IP. */
  public readonly ingressIp: IngressPublicIp;
  /** The Log Analytics workspace of the audit logs and Defender, and the cluster's diagnostic setting. */
  public readonly auditLogs?: AuditLogs;
  /** Istio. */
  public readonly istio: IstioControlPlane;
  /** The applied edge objects. */
  public readonly edge: EdgeDeployment;
  /** The gateway's Key Vault, identity and access, when its certificate comes from Key Vault. */
  public readonly keyVault?: GatewayKeyVault;
  /** Azure Managed Prometheus, the alert rule groups and Grafana, when monitoring is on. */
  public readonly monitoring?: AzureMonitoring;
  /** Azure's managed Redis and its Secret, for the rate-limit service (issue 16). */
  public readonly redis?: ManagedRedis;
  /** The Argo Rollouts controller, when the objects have Rollouts (or `argoRollouts.install`). */
  public readonly argoRollouts?: ArgoRollouts;

  public constructor(name: string, args: EdgeStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:index:EdgeStack', name, {}, opts);
    const { config } = args;
    const client = authorization.getClientConfigOutput({ parent: this });
    const deployer: Deployer = {
      objectId: client.objectId,
      principalType: client.clientId.apply((id) => deployerPrincipalType(id, config.deployerPrincipalType)),
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
    };
    this.resourceGroup = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: args.publicIp.resourceGroup,
      location: config.location,
      tags: config.tags,
    }, { parent: this, protect: config.production });
    // The workspace exists before the cluster (Defender names it); the audit logs flow once the cluster does.
    if (config.security.auditLogs || config.security.defender) {
      this.auditLogs = new AuditLogs(`${name}-audit`, {
        workspaceName: `log-${config.clusterName}`, resourceGroupName: this.resourceGroup.name, location: config.location,
        retentionDays: config.security.auditLogRetentionDays, tags: config.tags,
      }, { parent: this });
    }
    this.aks = new AksCluster(`${name}-aks`, {
      config, resourceGroupName: this.resourceGroup.name, deployer, cluster: args.cluster, admins: args.admins, logAnalyticsWorkspaceId: this.auditLogs?.workspace.id,
    }, { parent: this });
    if (config.security.auditLogs) this.auditLogs?.sendClusterLogs(this.aks.cluster.id);
    this.ingressIp = new IngressPublicIp(`${name}-ingress`, {
      name: args.publicIp.name,
      resourceGroupName: this.resourceGroup.name,
      resourceGroupId: this.resourceGroup.id,
      location: config.location,
      zones: config.zones,
      clusterPrincipalId: this.aks.principalId,
      subscriptionId: client.subscriptionId,
      tags: config.tags,
      protect: config.production,
    }, { parent: this });
    if (args.keyVault) {
      const kv = args.keyVault;
      const vaultName = config.keyVault.name
        ?? (config.keyVault.existingResourceGroup ? kv.vaultName : client.subscriptionId.apply((s) => keyVaultName(config.environment, s, args.publicIp.resourceGroup)));
      this.keyVault = new GatewayKeyVault(`${name}-keyvault`, {
        vaultName,
        existingResourceGroup: config.keyVault.existingResourceGroup,
        resourceGroupName: this.resourceGroup.name,
        location: config.location,
        oidcIssuerUrl: this.aks.cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ''),
        serviceAccount: { namespace: kv.serviceAccount.namespace ?? 'default', name: kv.serviceAccount.name },
        production: config.production,
        recover: config.keyVault.recover,
        identityName: `id-${config.clusterName}-gateway`,
        deployer,
        admins: args.admins,
        tags: config.tags,
      }, { parent: this });
      // GitOps users commit the values into the manifests: say when theirs are stale (only once
      // they are known: in preview they are not, and nothing is decided on them).
      pulumi.all([this.keyVault.clientId, this.keyVault.tenantId, this.keyVault.vaultName]).apply(([clientId, tenantId, vault]) => {
        const stale = [['clientId', kv.clientId, clientId], ['tenantId', kv.tenantId, tenantId], ['vaultName', kv.vaultName, vault]]
          .filter(([, committed, real]) => real && committed !== real);
        if (stale.length) {
          void pulumi.log.warn(`The stack applies the gateway's real Key Vault values, but the environment's keyVault (what \`npm run synth\` writes for GitOps) differs: ${stale.map(([k, committed, real]) => `${k} is "${committed}", Azure's is "${real}"`).join('; ')}. Set them in the environment so the committed manifests match.`, this);
        }
      });
    }
    this.istio = new IstioControlPlane(`${name}-istio`, { istio: config.istio, provider: this.aks.provider, gatewayApi: config.gatewayApi }, { parent: this });
    // Argo Rollouts when the app has Rollouts (not always in production: a stack without one would
    // run a controller for nothing), unless argoRollouts.install says otherwise. Its release
    // installs the CRDs; every Rollout and analysis template waits for it, as the Istio objects
    // wait for istiod.
    if (config.argoRollouts.install ?? needsArgoRollouts(args.objects)) {
      this.argoRollouts = new ArgoRollouts(`${name}-argo-rollouts`, { chartRepository: config.argoRollouts.chartRepository, provider: this.aks.provider }, { parent: this });
    }
    const argo = this.argoRollouts;
    const argoObjects = argo ? args.objects.filter((o) => o.apiVersion.startsWith('argoproj.io/')).map((o) => ({
      object: { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? '' },
      dependsOn: [argo.release],
    })) : [];
    // The managed Redis's Secret is declared after the objects (it needs its namespace, which the
    // objects create); the objects that read it wait for it through this promise.
    let redisSecret: (secret: pulumi.Resource) => void = () => undefined;
    const redisSecretDeclared = new Promise<pulumi.Resource>((resolve) => { redisSecret = resolve; });
    this.edge = new EdgeDeployment(`${name}-edge`, {
      objects: args.objects,
      dependencies: args.dependencies,
      provider: this.aks.provider,
      dependsOn: this.istio.ready,
      waits: [
        // The IP must exist (and be usable by the cluster) before the gateway Service asks for it.
        ...(args.publicIp.service ? [{ object: args.publicIp.service, dependsOn: [this.ingressIp] }] : []),
        ...(args.managedRedis?.readers ?? []).map((object) => ({ object, dependsOn: [redisSecretDeclared] })),
        ...argoObjects,
      ],
      // What the Argo Rollouts controller writes during a rollout (weights, subset labels): never reset by a later `up`.
      controllerOwned: controllerOwnedFields(args.objects),
      keyVault: this.keyVault && args.keyVault ? {
        clientId: this.keyVault.clientId,
        tenantId: this.keyVault.tenantId,
        vaultName: this.keyVault.vaultName,
        fact: args.keyVault,
        dependsOn: this.keyVault.ready,
      } : undefined,
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
        deployer,
        admins: args.admins,
      }, { parent: this });
    }
    // --- Managed Redis for the rate-limit service (issue 16): kept to this block. ---
    if (args.managedRedis) {
      // The Secret needs its namespace when the edge objects create it (and only that: the
      // rate-limit Deployment waits on this Secret).
      const namespace = this.edge.namespace(args.managedRedis.secret.namespace);
      this.redis = new ManagedRedis(`${name}-redis`, {
        cacheName: args.managedRedis.cacheName,
        resourceGroupName: this.resourceGroup.name,
        location: config.location,
        zones: config.zones,
        secret: args.managedRedis.secret,
        provider: this.aks.provider,
        secretDependsOn: namespace ? [namespace] : [],
        tags: config.tags,
        protect: config.production,
      }, { parent: this });
      redisSecret(this.redis.secret);
    }
    this.registerOutputs({});
  }
}
