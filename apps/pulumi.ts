// The Pulumi program (Pulumi.yaml `main`): `pulumi up` on a stack creates the AKS cluster, the
// gateway's public IP, Key Vault and identity, and the Istio control plane, and applies the edge
// objects that `npm run synth` writes for the stack's environment, synthesized in-process (with the
// identity's real client and tenant IDs and the vault's name in place of the committed ones).
import * as pulumi from '@pulumi/pulumi';
import { GatewayApiOmission } from '../lib';
import { CONFIG_NAMESPACE, ConfigError, deployedFacts, EdgeStack, IstioMode, parseStackConfig, refuseChangesAzureRefuses } from '../lib/infra';
import { RATE_LIMIT_NAMESPACE, synthEdge } from './edge';
import { environments } from './environments';

/** Every key of the project's namespace the stack sets (unknown ones are refused, not ignored). */
function namespaceConfig(): Record<string, string> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(Object.entries(pulumi.runtime.allConfig())
    .filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

async function edgeProgram() {
  const facts = Object.fromEntries(Object.entries(environments).map(([name, e]) => [name, { gatewayMinReplicas: e.gatewayAutoscaling.minReplicas ?? 2 }]));
  const config = parseStackConfig(namespaceConfig(), pulumi.getStack(), facts);
  const base = environments[config.environment as keyof typeof environments];
  const env = { ...base, hosts: config.hostnames ?? base.hosts, tlsSecret: config.tlsSecretName ?? base.tlsSecret };
  if (!env.publicIp) {
    throw new ConfigError(`Environment "${config.environment}" has no publicIp: give it { name, resourceGroup } in apps/environments.ts; the program creates both.`);
  }
  const { objects, alertGroups, gatewayServiceAccount } = synthEdge(env, {
    istioRevision: config.istio.revision,
    istioCni: config.istio.mode === IstioMode.HELM,
    // `gatewayApi: true`: the Gateway API form, with the omissions `npm run synth` allows (explicit retries).
    gatewayApi: config.gatewayApi ? { omit: [GatewayApiOmission.RETRIES] } : undefined,
  });
  if (!config.monitoring.enabled && objects.some((o) => o.apiVersion.startsWith('azmonitoring.coreos.com/'))) {
    throw new ConfigError(`Pulumi stack "${pulumi.getStack()}": invalid config istio-aks-edge:monitoring.enabled: received false. The edge's PodMonitors are for Azure Managed Prometheus, whose CRDs the metrics add-on installs: enable monitoring, or scrape with the Prometheus Operator (EdgeMonitoring backend).`);
  }
  // Zones, region, system pool size: compared with the previous deployment before anything is declared.
  await refuseChangesAzureRefuses(config);
  const kv = env.keyVault;
  const stack = new EdgeStack('edge', {
    config, objects, alertGroups, publicIp: env.publicIp, hostnames: env.hosts,
    keyVault: kv ? { vaultName: kv.vaultName, clientId: kv.clientId, tenantId: kv.tenantId, serviceAccount: gatewayServiceAccount } : undefined,
    // Azure's managed Redis and the Secret the rate-limit service reads, where the environment asks for it.
    managedRedis: env.globalRateLimit.redis.kind === 'azure-managed'
      ? { cacheName: env.globalRateLimit.redis.cacheName, secret: { namespace: RATE_LIMIT_NAMESPACE, name: env.globalRateLimit.redis.secretName } }
      : undefined,
  });
  return {
    kubeconfig: stack.aks.kubeconfig,
    clusterName: stack.aks.cluster.name,
    resourceGroupName: stack.resourceGroup.name,
    ingressIp: stack.ingressIp.ipAddress,
    hostnames: env.hosts,
    monitoringWorkspaceId: stack.monitoring?.workspace.id,
    keyVaultName: stack.keyVault?.vaultName,
    gatewayIdentityClientId: stack.keyVault?.clientId,
    tenantId: stack.keyVault?.tenantId,
    grafanaEndpoint: stack.monitoring?.grafana?.properties.apply((p) => p.endpoint),
    // Read back by the next run (lib/infra/previous-deployment.ts) to refuse changes Azure refuses.
    deployed: deployedFacts(config),
    rateLimitRedisHost: stack.redis?.url,
  };
}

export = edgeProgram;
