/**
 * A Pulumi program for any edge: the user's edge definition (a function from the stack's facts to
 * a cdk8s App) is synthesized in-process, and exactly what it synthesizes is deployed on the
 * cluster the stack creates. What the cluster side needs from the edge (the gateway's public IP,
 * its Key Vault certificate, the rate-limit service's Redis Secret, the hosts, the gateways'
 * minimum replicas, the alert rule groups) is what the app's constructs recorded
 * (lib/deployment-facts.ts, the EdgeMonitoring constructs), and the objects are applied in the
 * order of the constructs' dependencies (lib/synth/apply-order.ts): nothing is read back from the
 * synthesized objects, so the two cannot drift.
 */
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { AlertGroup } from '../../alerts';
import { EdgeMonitoring } from '../../edge-monitoring';
import type { GatewayApiOptions } from '../../gateway-api/convert';
import { collectDeploymentFacts, DeploymentFacts, KeyVaultFact, PublicIpFact, RedisSecretFact } from '../../deployment-facts';
import { KubernetesObject } from '../../model/kubernetes-object';
import { applyDependencies } from '../../synth/apply-order';
import { checkNamespaces } from '../../synth/namespaces';
import { convertToGatewayApi, synthesizeApp } from '../../synth/synth';
import { analyze } from '../../analysis/analyze';
import { TARGET_CHECKS } from '../../analysis/checks/target/aks-addon';
import { CONFIG_NAMESPACE, ConfigError, IstioMode, parseStackConfig, StackConfig, workloadRevision } from './config';
import { EdgeStack, EdgeStackArgs } from '../components/edge-stack';
import { DeployedFacts, deployedFacts, IstioStep, istioStep, refuseChangesAzureRefuses } from './previous-deployment';

/** What an edge definition is given: the stack's environment and the facts of the cluster it runs on. */
export interface EdgeFacts {
  /** The Pulumi stack's name. */
  readonly stack: string;
  /** The environment the stack deploys (config `istio-aks-edge:environment`). */
  readonly environment: string;
  /** Whether production rules apply (config `istio-aks-edge:production`). */
  readonly production: boolean;
  /**
   * The `istio.io/rev` label of the namespaces and the gateway: the revision tag in helm mode with
   * revisions ("prod-stable", which the stack points at the serving revision), the serving
   * revision with the AKS add-on ("asm-1-30"), or the configured revision.
   * @default - the default revision
   */
  readonly istioRevision?: string;
  /** Whether Istio CNI is installed (helm mode), so sidecars need no NET_ADMIN init container. */
  readonly istioCni: boolean;
  /**
   * The stack's override of the gateway's hosts (config `istio-aks-edge:hostnames`).
   * @default - the edge's own hosts
   */
  readonly hostnames?: readonly string[];
  /**
   * The stack's override of the TLS secret's name (config `istio-aks-edge:tlsSecretName`).
   * @default - the edge's own secret name
   */
  readonly tlsSecretName?: string;
  /**
   * Whether the stack deploys the Kubernetes Gateway API form (config `istio-aks-edge:gatewayApi`);
   * the program converts the app itself, the definition need not look at it.
   */
  readonly gatewayApi: boolean;
}

/** Azure Managed Redis for the edge's rate-limit service (see lib/infra/components/managed-redis.ts). */
export interface EdgeManagedRedis {
  /** The cache's name (globally unique in Azure). */
  readonly cacheName: string;
  /**
   * The Secret the program writes the cache's address and key to: one a RateLimitService of the
   * app reads (`RateLimitRedis.fromSecret`).
   * @default - the Secret the app's RateLimitService reads, when exactly one reads a Secret
   */
  readonly secret?: { readonly namespace: string; readonly name: string };
}

/** What an edge definition may return besides its App. */
export interface EdgeDefinitionResult {
  /** The edge. */
  readonly app: App;
  /**
   * Azure's managed Redis for the rate-limit service, created by the program.
   * @default - none (the edge runs Redis in the cluster, or has no global rate limit)
   */
  readonly managedRedis?: EdgeManagedRedis;
}

/** The user's edge: a cdk8s App (one or more charts) for the stack's facts, or the App and the Azure resources it needs. */
export type EdgeDefinition = (facts: EdgeFacts) => App | EdgeDefinitionResult;

/** What {@link synthesizeEdge} reads from an edge definition's App. */
export interface SynthesizedEdge {
  /** Every object of every chart, in the order `cdk8s synth` writes them (in the form asked for). */
  readonly objects: KubernetesObject[];
  /** For each object, the indexes of the objects it is applied after: its constructs' dependencies (see `applyDependencies`). */
  readonly dependencies: number[][];
  /** What the app's constructs recorded for the deployment (public IPs, Key Vault, Redis Secrets, gateways). */
  readonly facts: DeploymentFacts;
  /** The alert rule groups of the app's EdgeMonitoring constructs. */
  readonly alertGroups: AlertGroup[];
  /**
   * The gateway's public IP, as its IngressGateway was given it (`azure.publicIp`), when it names a resource group.
   * @default - none
   */
  readonly publicIp?: PublicIpFact & { readonly resourceGroup: string };
  /**
   * The gateway's Key Vault certificate, as its IngressGateway was given it (`Certificate.fromKeyVault`).
   * @default - none
   */
  readonly keyVault?: KeyVaultFact;
  /** The hosts the app's IngressGateways serve. */
  readonly hostnames: string[];
  /** The smallest number of gateway pods the app runs (its managed gateways' autoscaler minimums or replicas; 1 when it deploys none). */
  readonly gatewayMinReplicas: number;
}

/**
 * Synthesizes an edge definition's App (construct validations included), in the Istio form or, with
 * `gatewayApi`, in the Kubernetes Gateway API form, and collects what the cluster side needs from
 * the app's constructs (never from the synthesized objects).
 */
export function synthesizeEdge(app: App, gatewayApi?: GatewayApiOptions): SynthesizedEdge {
  const charts = synthesizeApp(app);
  const istio = charts.flatMap((c) => c.objects);
  const converted = gatewayApi ? convertToGatewayApi(app, charts, gatewayApi) : undefined;
  const objects = converted ? converted.charts.flatMap((c) => c.objects) : istio;
  const dependencies = applyDependencies(app, objects, converted);
  const alertGroups = app.node.findAll().filter((c): c is EdgeMonitoring => c instanceof EdgeMonitoring).flatMap((m) => m.alertGroups);
  const facts = collectDeploymentFacts(app);
  const ip = facts.publicIps.find((p) => p.resourceGroup !== undefined);
  const publicIp = ip?.resourceGroup !== undefined ? { ...ip, resourceGroup: ip.resourceGroup } : undefined;
  const hostnames = [...new Set(facts.gateways.flatMap((g) => g.hosts))];
  const minimums = facts.gateways.flatMap((g) => (g.minReplicas === undefined ? [] : [g.minReplicas]));
  return {
    objects, dependencies, facts, alertGroups, publicIp, keyVault: facts.keyVaults[0], hostnames,
    gatewayMinReplicas: minimums.length ? Math.min(...minimums) : 1,
  };
}

/** Options of {@link edgeProgram}. */
export interface EdgeProgramOptions {
  /** The environments a stack may deploy (config `istio-aks-edge:environment` must be one of them). */
  readonly environments: readonly string[];
  /**
   * The conversion options of the Kubernetes Gateway API form, for stacks with `gatewayApi: true`
   * (for example `{ omit: [GatewayApiOmission.RETRIES] }`: what that form is allowed to leave out).
   * @default - nothing may be left out: what the Gateway API form cannot say fails the program
   */
  readonly gatewayApi?: GatewayApiOptions;
}

/** The stack outputs of {@link edgeProgram}. */
export interface EdgeProgramOutputs {
  /** The cluster's kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The AKS cluster's name. */
  readonly clusterName: pulumi.Output<string>;
  /** The resource group holding the cluster and the gateway's IP. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The gateway's public IP address. */
  readonly ingressIp: pulumi.Output<string | undefined>;
  /** The hosts the gateway serves. */
  readonly hostnames: string[];
  /** The Azure Monitor workspace, when monitoring is on. */
  readonly monitoringWorkspaceId?: pulumi.Output<string>;
  /** The gateway's Key Vault, when its certificate comes from Key Vault. */
  readonly keyVaultName?: pulumi.Output<string>;
  /** The gateway identity's client ID, when its certificate comes from Key Vault. */
  readonly gatewayIdentityClientId?: pulumi.Output<string>;
  /** The tenant of the Key Vault, when its certificate comes from Key Vault. */
  readonly tenantId?: pulumi.Output<string>;
  /** Azure Managed Grafana's endpoint, when Grafana is on. */
  readonly grafanaEndpoint?: pulumi.Output<string | undefined>;
  /** What the stack deployed, read back by its next run to refuse changes Azure refuses (lib/infra/previous-deployment.ts). */
  readonly deployed: DeployedFacts;
  /** The managed Redis's host, when the edge asks for one. */
  readonly rateLimitRedisHost?: pulumi.Output<string>;
  /** The Istio control plane's revisions, what workloads are labelled with, and the upgrade step this run makes. */
  readonly istio: IstioStep;
}

/** The managed Redis of an edge definition, with the Secret a RateLimitService of the app reads and its readers. */
function managedRedisSecret(where: string, redis: EdgeManagedRedis, facts: readonly RedisSecretFact[]): EdgeStackArgs['managedRedis'] {
  const named = (f: RedisSecretFact) => `${f.secret.namespace}/${f.secret.name} (${f.path})`;
  const wanted = redis.secret;
  const matching = wanted ? facts.filter((f) => f.secret.namespace === wanted.namespace && f.secret.name === wanted.name) : facts;
  if (matching.length === 0) {
    throw new ConfigError(`${where}: invalid managedRedis.secret: received ${wanted ? `"${wanted.namespace}/${wanted.name}"` : 'none'}. ${facts.length ? `The app's RateLimitServices read ${facts.map(named).join(', ')}` : 'No RateLimitService of the app reads a Secret (RateLimitRedis.fromSecret)'}: name the Secret one of them reads, or give the RateLimitService RateLimitRedis.fromSecret({ secretName }).`);
  }
  if (!wanted && new Set(matching.map((f) => `${f.secret.namespace}/${f.secret.name}`)).size > 1) {
    throw new ConfigError(`${where}: invalid managedRedis.secret: received none. The app's RateLimitServices read ${matching.map(named).join(', ')}: name the one the managed Redis is for.`);
  }
  return { cacheName: redis.cacheName, secret: matching[0].secret, readers: matching.flatMap((f) => f.readers) };
}

/** Every key of the project's namespace the stack sets (unknown ones are refused, not ignored). */
function namespaceConfig(): Record<string, string> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(Object.entries(pulumi.runtime.allConfig())
    .filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/**
 * The Pulumi program of an edge: reads and validates the stack's configuration (namespace
 * `istio-aks-edge`), synthesizes `definition` for the stack's facts, refuses changes Azure refuses
 * (zones, region, system pool size, against the stack's previous deployment), and creates the
 * cluster, the gateway's public IP, the Istio control plane, Key Vault access, managed Redis and
 * monitoring for it, then applies the synthesized objects unchanged. Use it as the program's export:
 * `export = edgeProgram((facts) => buildMyEdge(facts), { environments: ['dev', 'prod'] })`.
 */
export function edgeProgram(definition: EdgeDefinition, options: EdgeProgramOptions): () => Promise<EdgeProgramOutputs> {
  return async () => {
    const stackName = pulumi.getStack();
    // Production's two-replica rule is checked below on the synthesized objects themselves.
    const permissive = Object.fromEntries(options.environments.map((e) => [e, { gatewayMinReplicas: Number.MAX_SAFE_INTEGER }]));
    const config: StackConfig = parseStackConfig(namespaceConfig(), stackName, permissive);
    const defined = definition({
      stack: stackName,
      environment: config.environment,
      production: config.production,
      istioRevision: workloadRevision(config.istio),
      istioCni: config.istio.mode === IstioMode.HELM,
      hostnames: config.hostnames,
      tlsSecretName: config.tlsSecretName,
      gatewayApi: config.gatewayApi,
    });
    const { app, managedRedis } = defined instanceof App ? { app: defined, managedRedis: undefined } : defined;
    const where = `Pulumi stack "${stackName}"`;
    if (!(app instanceof App)) {
      throw new ConfigError(`${where}: the edge definition given to edgeProgram returned ${app === null ? 'null' : typeof app}, not a cdk8s App: return the App (or { app, managedRedis }) from the function.`);
    }
    const edge = synthesizeEdge(app, config.gatewayApi ? options.gatewayApi ?? {} : undefined);
    // Every namespace of the objects must be created by the app or exist: the program's own count
    // (Istio's control plane: istio-system in helm mode, the add-on's aks-istio-system).
    checkNamespaces(app, edge.objects, [config.istio.mode === IstioMode.HELM ? 'istio-system' : 'aks-istio-system']);
    const ips = edge.facts.publicIps;
    if (ips.length > 1) {
      throw new ConfigError(`${where}: the edge of environment "${config.environment}" asks for ${ips.length} public IPs (${ips.map((p) => `${p.path}: "${p.name}"`).join(', ')}); the stack creates one: give azure.publicIp to one IngressGateway only.`);
    }
    if (!edge.publicIp) {
      throw new ConfigError(`${where}: the edge of environment "${config.environment}" has no IngressGateway with a public IP in a resource group${ips.length ? ` (${ips[0].path} names "${ips[0].name}" without resourceGroup)` : ''}: give the IngressGateway \`azure: { publicIp: { name, resourceGroup } }\`; the program creates both.`);
    }
    if (edge.facts.keyVaults.length > 1) {
      throw new ConfigError(`${where}: the edge of environment "${config.environment}" reads ${edge.facts.keyVaults.length} Key Vault certificates (${edge.facts.keyVaults.map((k) => k.path).join(', ')}); the stack creates one vault and one gateway identity: use Certificate.fromKeyVault on one IngressGateway.`);
    }
    const redis = managedRedis ? managedRedisSecret(where, managedRedis, edge.facts.redisSecrets) : undefined;
    if (config.production && edge.gatewayMinReplicas < 2) {
      throw new ConfigError(`${where}: invalid config ${CONFIG_NAMESPACE}:environment: received "${config.environment}". Its gateway runs with at least ${edge.gatewayMinReplicas} replica(s); production needs at least 2 so a pod restart or a node drain never takes the edge down: raise the gateway's autoscaling.minReplicas.`);
    }
    if (!config.monitoring.enabled && edge.objects.some((o) => o.apiVersion.startsWith('azmonitoring.coreos.com/'))) {
      throw new ConfigError(`${where}: invalid config ${CONFIG_NAMESPACE}:monitoring.enabled: received false. The edge's PodMonitors are for Azure Managed Prometheus, whose CRDs the metrics add-on installs: enable monitoring, or scrape with the Prometheus Operator (EdgeMonitoring backend).`);
    }
    // What the install mode refuses (the AKS add-on blocks some Istio kinds) stops the program here;
    // what it leaves outside Azure's support (EnvoyFilters) is a warning.
    const target = analyze(edge.objects, { checks: TARGET_CHECKS, target: config.istio.mode === IstioMode.AKS_ADDON ? 'aks-addon' : 'helm' });
    for (const f of target.filter((x) => x.severity !== 'error')) void pulumi.log.warn(`${f.check} ${f.object}: ${f.message}`);
    const refused = target.filter((x) => x.severity === 'error');
    if (refused.length > 0) {
      throw new ConfigError(`${where}: the edge has objects the Istio install mode "${config.istio.mode}" refuses:\n${refused.map((f) => `  ${f.check} ${f.object}: ${f.message}`).join('\n')}`);
    }
    // Zones, region, system pool size, the Kubernetes version and the pools' counts: compared with
    // the previous deployment and the live cluster before anything is declared.
    const previous = await refuseChangesAzureRefuses(config, edge.publicIp.resourceGroup);
    const stack = new EdgeStack('edge', {
      config, objects: edge.objects, alertGroups: edge.alertGroups, publicIp: edge.publicIp, hostnames: edge.hostnames, keyVault: edge.keyVault, managedRedis: redis,
      dependencies: edge.dependencies, cluster: previous.cluster, admins: previous.admins,
    });
    return {
      kubeconfig: stack.aks.kubeconfig,
      clusterName: stack.aks.cluster.name,
      resourceGroupName: stack.resourceGroup.name,
      ingressIp: stack.ingressIp.ipAddress,
      hostnames: edge.hostnames,
      monitoringWorkspaceId: stack.monitoring?.workspace.id,
      keyVaultName: stack.keyVault?.vaultName,
      gatewayIdentityClientId: stack.keyVault?.clientId,
      tenantId: stack.keyVault?.tenantId,
      grafanaEndpoint: stack.monitoring?.grafana?.properties.apply((p) => p.endpoint),
      deployed: deployedFacts(config, previous.admins),
      rateLimitRedisHost: stack.redis?.url,
      istio: istioStep(config.istio, previous.facts),
    };
  };
}
