import { Size } from 'cdk8s';
import { AlertThresholds, AutoscalingOptions, ContainerResources, Cpu, KeyVaultCertificateOptions } from '../lib';

/** What differs between the environments of the example edge. */
export interface EdgeEnvironment {
  /** The environment's name: the folder under dist/ and the Pulumi stack. */
  readonly name: string;
  /** Production rules apply (analysis: HTTPS redirects, authorization on public hosts). */
  readonly production: boolean;
  /** Hosts served by the gateway. */
  readonly hosts: string[];
  /** The TLS secret (in the gateway namespace) holding the certificate for the hosts. */
  readonly tlsSecret: string;
  /**
   * Sync the certificate from Azure Key Vault into `tlsSecret`. The Pulumi program creates the
   * vault, the gateway's identity and its access, and applies their real vault name, client ID
   * and tenant ID (outputs keyVaultName, gatewayIdentityClientId, tenantId) in place of these;
   * they matter for the manifests `npm run synth` writes for GitOps: set them from the outputs
   * after the first deployment (the program warns while they differ).
   */
  readonly keyVault?: Omit<KeyVaultCertificateOptions, 'secretName'>;
  /** Issuer and key set of the JWTs required on the order API. */
  readonly jwt: { readonly issuer: string; readonly jwksUri: string };
  /** Gateway container resources. */
  readonly gatewayResources: ContainerResources;
  /**
   * Availability zones the cluster's user nodes span (the `zones` of Pulumi.<env>.yaml): the
   * gateway spreads over them and the analysis checks that losing one leaves enough gateway pods
   * (2 in production, 1 elsewhere).
   */
  readonly zones: number;
  /** Gateway autoscaling. */
  readonly gatewayAutoscaling: AutoscalingOptions;
  /**
   * Static public IP of the gateway and its resource group. The Pulumi program creates both (the
   * resource group also holds the cluster); the gateway Service names them in its annotations.
   */
  readonly publicIp?: { readonly name: string; readonly resourceGroup: string };
  /** Local rate limit per gateway pod: requests per second (the backstop behind the global limit). */
  readonly requestsPerSecondPerPod: number;
  /**
   * The global per-client limit on the API route (requests per minute per client address), counted
   * by the rate-limit service in Redis: an in-cluster one, or Azure's managed Redis that the Pulumi
   * program creates (with the Secret the service reads).
   */
  readonly globalRateLimit: {
    readonly apiRequestsPerMinutePerClient: number;
    readonly redis: { readonly kind: 'in-cluster' } | { readonly kind: 'azure-managed'; readonly cacheName: string; readonly secretName: string };
  };
  /** Replicas of each application version. */
  readonly appReplicas: number;
  /** Autoscaling of the api's stable version. */
  readonly apiAutoscaling: AutoscalingOptions;
  /** Alert thresholds. */
  readonly alertThresholds: AlertThresholds;
  /** Percentage of requests traced. */
  readonly tracingSamplingPercent: number;
  /**
   * Roll the api out progressively (Argo Rollouts, gated by the edge's metrics in Azure Managed
   * Prometheus) instead of the fixed 90/10 canary. The Pulumi program creates the workspace's
   * reader application and the Secret the gates read; these are its GitOps placeholders.
   */
  readonly progressiveApi?: {
    /** The Azure Monitor workspace's query endpoint. */
    readonly queryEndpoint: string;
    /** The Entra tenant and the application (client) ID that queries it. */
    readonly tenantId: string;
    readonly clientId: string;
    /** The Secret (in the app namespace) holding the application's client secret. */
    readonly clientSecretName: string;
  };
  /**
   * The `istio.io/rev` label of the namespaces and the gateway: the revision tag of the stack's
   * `istio.revisions` (Pulumi.<env>.yaml `istio.tag`, "prod-stable" by default), which the stack
   * points at the serving istiod; the Pulumi program's own value (the add-on's revision) wins.
   * @default - none: the default revision (`istio-injection: enabled`)
   */
  readonly istioRevision?: string;
}

export const environments: Record<'dev' | 'prod', EdgeEnvironment> = {
  dev: {
    name: 'dev',
    production: false,
    hosts: ['shop.dev.example.com'],
    tlsSecret: 'shop-dev-tls',
    jwt: { issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', jwksUri: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys' },
    gatewayResources: {
      cpu: { request: Cpu.millis(500), limit: Cpu.millis(1000) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    zones: 3,
    gatewayAutoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 70 },
    publicIp: { name: 'pip-shop-dev-ingress', resourceGroup: 'rg-shop-dev' },
    requestsPerSecondPerPod: 100,
    globalRateLimit: { apiRequestsPerMinutePerClient: 600, redis: { kind: 'in-cluster' } },
    appReplicas: 2,
    apiAutoscaling: { minReplicas: 2, maxReplicas: 4 },
    alertThresholds: { serverErrorRatio: 0.1, latencyP95Ms: 800, latencyP99Ms: 1500 },
    tracingSamplingPercent: 10,
  },
  prod: {
    name: 'prod',
    production: true,
    // The revision tag Pulumi.prod.yaml's istio.revisions are upgraded under (README, "Upgrading Istio").
    istioRevision: 'prod-stable',
    hosts: ['shop.example.com', 'www.shop.example.com'],
    tlsSecret: 'shop-prod-tls',
    // GitOps placeholders until the first `pulumi up` (which substitutes its real values): the
    // vault name, client ID and tenant it outputs (keyVaultName, gatewayIdentityClientId, tenantId).
    keyVault: { vaultName: 'kv-shop-prod', certificateName: 'shop-prod-tls', tenantId: '00000000-0000-0000-0000-000000000000', clientId: '11111111-2222-3333-4444-555555555555' },
    jwt: { issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', jwksUri: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys' },
    gatewayResources: {
      cpu: { request: Cpu.millis(1000), limit: Cpu.millis(2000) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
    },
    zones: 3,
    gatewayAutoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuUtilization: 70 },
    publicIp: { name: 'pip-shop-prod-ingress', resourceGroup: 'rg-shop-prod' },
    requestsPerSecondPerPod: 1000,
    globalRateLimit: { apiRequestsPerMinutePerClient: 300, redis: { kind: 'azure-managed', cacheName: 'redis-shop-prod-ratelimit', secretName: 'ratelimit-azure-redis' } },
    appReplicas: 3,
    apiAutoscaling: { minReplicas: 3, maxReplicas: 20 },
    alertThresholds: { serverErrorRatio: 0.05, latencyP95Ms: 500, latencyP99Ms: 1000 },
    tracingSamplingPercent: 1,
    progressiveApi: {
      queryEndpoint: 'https://amw-shop-prod.westeurope.prometheus.monitor.azure.com',
      tenantId: '00000000-0000-0000-0000-000000000000',
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecretName: 'rollouts-prometheus',
    },
  },
};
