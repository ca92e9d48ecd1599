import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AlertGroup, AppNamespace, Certificate, Disruption, EdgeMonitoring, ExternalTrafficPolicy, GatewayWorkload, IngressGateway, KubernetesObject, LoadBalancer, MetricsBackend, PathMatch, PodSecurityLevel,
  ProgressiveRollout, PrometheusSource, RateLimit, RateLimitDescriptor, RateLimitRedis, RateLimitService, RateLimitUnit, RolloutGate, RolloutStep, SUPPRESS_ANNOTATION_PREFIX, synthesizeApp, synthesizeGatewayApi,
  Traffic, VersionedService,
} from '../lib';
import type { GatewayApiOptions } from '../lib';
import { EdgeEnvironment } from './environments';

/** Namespace of the gateway workload and its Gateway. */
export const GATEWAY_NAMESPACE = 'istio-ingress';
/** Namespace of the shop's services. */
export const APP_NAMESPACE = 'shop';
/** Namespace of the rate-limit service (and of the in-cluster Redis). */
export const RATE_LIMIT_NAMESPACE = 'ratelimit';

/**
 * The example edge: an HTTPS gateway redirecting HTTP, a `storefront` service at "/", and an `api`
 * service at "/api" (rewritten to "/") with a canary and an `x-canary: true` override: a fixed
 * 90/10 split between v1 and v2 (dev), or a progressive rollout of v2 by Argo Rollouts, 10, 25 and
 * 50 percent, each step gated by the canary's success rate, latency and errors at the gateway
 * (prod); a global per-client limit on the API route (Envoy's rate-limit service with Redis) and a
 * local per-pod limit as a backstop.
 */
export class EdgeChart extends Chart {
  public readonly gateway: IngressGateway;
  public readonly storefront: VersionedService;
  public readonly api: VersionedService;
  public readonly monitoring: EdgeMonitoring;
  public readonly rateLimitService: RateLimitService;
  /** The api's progressive rollout, where the environment has one. */
  public readonly apiRollout?: ProgressiveRollout;

  public constructor(scope: Construct, id: string, env: EdgeEnvironment, options: EdgeOptions = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    const revision = options.istioRevision ?? env.istioRevision;

    // Global limits are counted by Envoy's rate-limit service in Redis: in the cluster (dev), or
    // Azure's managed Redis, whose address and key the Pulumi program writes into a Secret (prod).
    const redis = env.globalRateLimit.redis;
    this.rateLimitService = new RateLimitService(this, 'ratelimit', {
      domain: 'shop-edge',
      namespace: RATE_LIMIT_NAMESPACE,
      redis: redis.kind === 'azure-managed' ? RateLimitRedis.fromSecret({ secretName: redis.secretName }) : RateLimitRedis.inCluster(),
    });

    this.gateway = new IngressGateway(this, 'shop-gateway', {
      namespace: GATEWAY_NAMESPACE,
      // The gateway pods meet Pod Security "restricted" (non-root, seccomp, the safe unprivileged-port sysctl).
      createNamespace: true,
      workload: GatewayWorkload.managed({ revision }),
      hosts: env.hosts,
      https: {
        certificate: env.keyVault ? Certificate.fromKeyVault({ ...env.keyVault, secretName: env.tlsSecret }) : Certificate.fromSecret(env.tlsSecret),
        redirectHttp: true,
      },
      resources: env.gatewayResources,
      autoscaling: env.gatewayAutoscaling,
      zones: env.zones,
      disruption: Disruption.minAvailable(1),
      // Local: the gateway sees clients' addresses (per-client limits), and Azure probes the nodes.
      azure: { publicIp: env.publicIp, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
      rateLimits: [
        // Per client on the API route (the route "api" and its canary override), counted across gateway pods.
        RateLimit.global({
          service: this.rateLimitService,
          routeLimits: { api: [RateLimitDescriptor.remoteAddress().limit(env.globalRateLimit.apiRequestsPerMinutePerClient, RateLimitUnit.MINUTE)] },
        }),
        // The backstop: a token bucket per pod that holds even when the rate-limit service is down.
        RateLimit.local({ maxTokens: env.requestsPerSecondPerPod, fillInterval: Duration.seconds(1) }),
      ],
    });
    // The certificate's Secret is created outside these manifests: synced from Key Vault by the CSI
    // driver, or created by hand (README: "Reaching the gateway").
    ApiObject.of(this.gateway.gateway).metadata.addAnnotation(`${SUPPRESS_ANNOTATION_PREFIX}GatewayCredentialNotFound`,
      env.keyVault ? 'the TLS secret is synced from Azure Key Vault by the Secrets Store CSI driver' : 'the TLS secret is created by the certificate process, not by these manifests');
    // Authorization at the gateway: no admin paths from outside (a JWT on the order API, below).
    this.gateway.denyRequests('block-admin', { paths: ['/admin', '/admin/*'] });

    // The shop's namespace: sidecars (of the default revision, or of the named one such as the AKS
    // add-on's asm-1-XX), STRICT mutual TLS, NetworkPolicies that admit the gateway. With the add-on
    // the sidecars' istio-init container needs NET_ADMIN, which only "privileged" admits.
    new AppNamespace(this, 'AppNamespace', {
      name: APP_NAMESPACE,
      istioRevision: revision,
      podSecurity: options.istioCni === false ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED,
      gateways: [this.gateway],
    });

    // The rate-limit service's namespace: in the mesh, admitting the gateway's calls.
    new AppNamespace(this, 'RateLimitNamespace', { name: RATE_LIMIT_NAMESPACE, istioRevision: revision, gateways: [this.gateway],
      podSecurity: options.istioCni === false ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED });

    this.storefront = new VersionedService(this, 'storefront', {
      namespace: APP_NAMESPACE,
      port: 8080,
      versions: [{ name: 'v1', image: 'ghcr.io/acme/storefront:2.3.1', replicas: env.appReplicas }],
    });

    const progressive = env.progressiveApi;
    this.api = new VersionedService(this, 'api', {
      namespace: APP_NAMESPACE,
      port: 8080,
      trafficPolicy: {
        loadBalancer: LoadBalancer.LEAST_REQUEST,
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) },
      },
      // With a progressive rollout, its Rollout runs every api pod (stable and canary).
      versions: progressive ? [] : [
        { name: 'v1', image: 'ghcr.io/acme/api:1.4.0', autoscaling: env.apiAutoscaling },
        { name: 'v2', image: 'ghcr.io/acme/api:1.5.0', replicas: env.appReplicas },
      ],
    });

    let canary: Traffic;
    if (progressive) {
      // The same gates at each step: the AnalysisTemplates (api-success, api-p95, api-gateway) are shared.
      const gates = [
        RolloutGate.successRate({ name: 'success', minimum: 0.99 }),
        RolloutGate.latency({ name: 'p95', quantile: 0.95, maximumMs: env.alertThresholds.latencyP95Ms ?? 500 }),
        RolloutGate.gatewayErrors({ name: 'gateway', maximumRatio: 0.02 }),
      ];
      this.apiRollout = new ProgressiveRollout(this, 'api-rollout', {
        service: this.api,
        // The release being rolled out: v1 (1.4.0) is what runs when it starts.
        version: { name: 'v2', image: 'ghcr.io/acme/api:1.5.0', autoscaling: env.apiAutoscaling },
        prometheus: PrometheusSource.azureManaged({
          queryEndpoint: progressive.queryEndpoint, tenantId: progressive.tenantId, clientId: progressive.clientId,
          clientSecret: { secretName: progressive.clientSecretName },
        }),
        steps: [
          RolloutStep.setWeight(10),
          RolloutStep.gate(...gates),
          RolloutStep.setWeight(25),
          RolloutStep.gate(...gates),
          RolloutStep.setWeight(50),
          RolloutStep.gate(...gates),
        ],
      });
      canary = this.apiRollout.traffic({ header: { name: 'x-canary', value: 'true' } });
    } else {
      canary = Traffic.canary(this.api.version('v1'), this.api.version('v2'), { percent: 10, header: { name: 'x-canary', value: 'true' } });
    }
    const shop = this.gateway.addRoute('shop', {
      namespace: APP_NAMESPACE,
      routes: [
        {
          // The order API: the same service, behind a JWT (below).
          name: 'orders',
          // Element-wise prefixes (exactly P, or below P/), which mean the same in the Gateway API
          // form (PathPrefix); the regex rewrite replaces P without leaving "//".
          match: [{ path: PathMatch.exact('/api/orders') }, { path: PathMatch.prefix('/api/orders/') }],
          rewrite: { uriRegex: { match: '^/api/orders', rewrite: '/orders' } },
          to: canary,
          retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'connect-failure', 'reset'] },
          timeout: Duration.seconds(10),
        },
        {
          name: 'api',
          match: [{ path: PathMatch.exact('/api') }, { path: PathMatch.prefix('/api/') }],
          rewrite: { uriRegex: { match: '^/api/?', rewrite: '/' } },
          to: canary,
          retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'connect-failure', 'reset'] },
          timeout: Duration.seconds(10),
        },
        {
          name: 'storefront',
          match: [{ path: PathMatch.prefix('/') }],
          to: Traffic.to(this.storefront.version('v1')),
          timeout: Duration.seconds(15),
        },
      ],
    });

    // A JWT on exactly the requests the orders route takes (prefix /api/orders, so /api/orders* too).
    this.gateway.requireJwt('orders-jwt', { ...env.jwt, routes: [shop.route('orders')] });

    // Behind the gateway, each service accepts only its callers.
    this.storefront.allowFrom(this.gateway);
    this.api.allowFrom(this.gateway, this.storefront);

    // Scraped by Azure Managed Prometheus (the Pulumi program turns the alerts into Azure Monitor rule groups).
    this.monitoring = new EdgeMonitoring(this, 'monitoring', {
      gateway: this.gateway,
      services: [this.storefront, this.api],
      backend: MetricsBackend.AZURE_MANAGED_PROMETHEUS,
      thresholds: env.alertThresholds,
      tracingSamplingPercent: env.tracingSamplingPercent,
      rateLimitService: this.rateLimitService,
    });
  }
}

/** Options of the example edge that depend on the cluster rather than on the environment. */
export interface EdgeOptions {
  /**
   * The Istio revision that injects the proxies (`istio.io/rev`), for example the AKS add-on's.
   * @default - the default revision
   */
  readonly istioRevision?: string;
  /**
   * Where `app.synth()` writes (cdk8s's own writer; `npm run synth` uses lib/synth.ts instead).
   * @default - cdk8s's default, "dist"
   */
  readonly outdir?: string;
  /**
   * Whether the sidecars start without the NET_ADMIN istio-init container (Istio CNI, which the
   * Pulumi program installs in helm mode); false with the AKS add-on.
   * @default true
   */
  readonly istioCni?: boolean;
}

/** Builds the example edge for one environment as a cdk8s App. */
export function buildEdgeApp(env: EdgeEnvironment, options: EdgeOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  new EdgeChart(app, 'edge', env, options);
  return app;
}

/** The EdgeChart of an app built by {@link buildEdgeApp}. */
export function edgeChartOf(app: App): EdgeChart {
  return app.node.findChild('edge') as EdgeChart;
}

/**
 * The objects `npm run synth` writes for an environment, synthesized in-process by the same code,
 * and its alert rule groups (the Pulumi program applies the objects and creates the groups).
 */
export function synthEdge(env: EdgeEnvironment, options: EdgeOptions & { readonly gatewayApi?: GatewayApiOptions } = {}): {
  objects: KubernetesObject[];
  alertGroups: AlertGroup[];
  gatewayServiceAccount: { namespace: string; name: string };
} {
  const app = buildEdgeApp(env, options);
  const chart = edgeChartOf(app);
  return {
    // The Kubernetes Gateway API form when asked (the same omissions as `npm run synth` allows).
    objects: (options.gatewayApi ? synthesizeGatewayApi(app, options.gatewayApi).charts : synthesizeApp(app)).flatMap((c) => c.objects),
    alertGroups: chart.monitoring.alertGroups,
    gatewayServiceAccount: { namespace: chart.gateway.workloadNamespace, name: chart.gateway.serviceAccountName! },
  };
}
