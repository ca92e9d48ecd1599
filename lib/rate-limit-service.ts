/**
 * Envoy's reference rate-limit service (envoyproxy/ratelimit) for global rate limits: its
 * configuration (a ConfigMap built from the limits that `RateLimit.global({ service })` registers),
 * the Deployment (probes, resources, HPA, PDB, zone spread, hardened pods), its gRPC Service, and
 * the Redis it counts in: an in-cluster one for development, or one whose address and key a Secret
 * holds (Azure's managed Redis, written by the Pulumi program).
 * @see https://github.com/envoyproxy/ratelimit
 * @see https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/
 */
import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { AutoscalingOptions, createHorizontalPodAutoscaler, resolveAutoscaling } from './autoscaling';
import { objectReference, recordDeploymentFact } from './deployment-facts';
import { Disruption } from './disruption';
import { fail } from './private/errors';
import { lazy } from './private/lazy';
import { HARDENED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from './private/security-context';
import { validateDnsLabel, validateDuration } from './private/validate';
import { mergeConfigDescriptors, RateLimitConfigDescriptor } from './rate-limit-descriptor';
import { ContainerResources, renderResources, validateResources } from './resources';
import { SpreadPolicy, topologySpread } from './scheduling';
import { checkArgs, req } from './private/args';
import { validateId } from './private/validate';
import { SHAPES } from './private/arg-shapes';
import { COMPONENT_LABEL } from './contract/keys';
import { serviceFqdnOf } from './contract/hosts';

/** The rate-limit service's image: Istio's rate-limit sample pins the same commit tag (2024/08/01). */
export const RATE_LIMIT_SERVICE_IMAGE = 'docker.io/envoyproxy/ratelimit:30a4ce1a';
/** The in-cluster Redis image (development). */
export const REDIS_IMAGE = 'docker.io/library/redis:7.4.1-alpine';
/** The rate-limit service's gRPC port (the one Envoy's filter calls). */
export const RATE_LIMIT_GRPC_PORT = 8081;
/** Its HTTP port (`/healthcheck`, `/json`). */
export const RATE_LIMIT_HTTP_PORT = 8080;
/** Its Prometheus port (`USE_PROMETHEUS`, `/metrics`). */
export const RATE_LIMIT_METRICS_PORT = 9090;
/** Label marking a ConfigMap as a rate-limit service configuration (the analysis reads it). */
export const RATE_LIMIT_CONFIG_LABEL = 'ratelimit.istio-aks-edge.io/config';
/** The ConfigMap key of the configuration. */
export const RATE_LIMIT_CONFIG_KEY = 'config.yaml';

/** Options of an in-cluster Redis (development). */
export interface InClusterRedisOptions {
  /**
   * The Secret (in the service's namespace) whose `password` key Redis requires and the service
   * sends. Created outside these manifests (`kubectl create secret generic`), never committed.
   * @default - "<service name>-redis"
   */
  readonly passwordSecret?: string;
  /**
   * Requests and limits of the Redis container.
   * @default - requests cpu 100m, memory 128Mi; limits cpu 500m, memory 256Mi
   */
  readonly resources?: ContainerResources;
}

/** Options of a Redis whose address and credential a Secret holds. */
export interface SecretRedisOptions {
  /** The Secret, in the service's namespace (the Pulumi program writes it for Azure's managed Redis). */
  readonly secretName: string;
  /**
   * The key holding "host:port".
   * @default 'url'
   */
  readonly urlKey?: string;
  /**
   * The key holding the password (or "user:password").
   * @default 'password'
   */
  readonly passwordKey?: string;
  /**
   * Connect with TLS (`REDIS_TLS`); Azure Managed Redis accepts TLS only (port 10000).
   * @default true
   */
  readonly tls?: boolean;
}

/**
 * What the service's container needs to reach Redis.
 * @internal
 */
export interface BoundRedis {
  readonly env: k8s.EnvVar[];
  /** The Secret, created outside the app, that the service reads Redis's address and password from. */
  readonly externalSecret?: string;
}

/** Where the rate-limit service keeps its counters. */
export abstract class RateLimitRedis {
  /**
   * A single Redis in the cluster, password-protected, without persistence (counters restart at
   * zero with it): for development.
   */
  public static inCluster(options: InClusterRedisOptions = {}): RateLimitRedis {
    checkArgs('RateLimitRedis.inCluster', 'options', options, SHAPES.InClusterRedisOptions);
    return new InClusterRedis(options);
  }

  /** A Redis outside the cluster (Azure's managed Redis): its address and password from a Secret. */
  public static fromSecret(options: SecretRedisOptions): RateLimitRedis {
    checkArgs('RateLimitRedis.fromSecret', 'options', options, req(SHAPES.SecretRedisOptions));
    return new SecretRedis(options);
  }

  /**
   * Creates what Redis needs (nothing for an external one) and returns the service's environment.
   * @internal
   */
  public abstract _bind(scope: Construct, serviceName: string, namespace: string): BoundRedis;
}

const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

class SecretRedis extends RateLimitRedis {
  public constructor(private readonly options: SecretRedisOptions) {
    super();
  }

  public _bind(scope: Construct): BoundRedis {
    const o = this.options;
    const secret = validateDnsLabel(scope, 'redis.secretName', o?.secretName);
    const key = (property: string, value: string) => {
      if (!/^[-._A-Za-z0-9]+$/.test(value)) fail(scope, `redis.${property}`, value, 'Use a Secret key: letters, digits, "-", "_" or ".".');
      return value;
    };
    return {
      env: [
        secretEnv('REDIS_URL', secret, key('urlKey', o.urlKey ?? 'url')),
        secretEnv('REDIS_AUTH', secret, key('passwordKey', o.passwordKey ?? 'password')),
        { name: 'REDIS_TLS', value: String(o.tls ?? true) },
      ],
      externalSecret: secret,
    };
  }
}

class InClusterRedis extends RateLimitRedis {
  public constructor(private readonly options: InClusterRedisOptions) {
    super();
  }

  public _bind(scope: Construct, serviceName: string, namespace: string): BoundRedis {
    const name = `${serviceName}-redis`;
    const secret = validateDnsLabel(scope, 'redis.passwordSecret', this.options.passwordSecret ?? name);
    const resources = validateResources(scope, 'redis.resources', this.options.resources ?? {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    });
    const labels = { app: name, [COMPONENT_LABEL]: 'ratelimit-redis' };
    new k8s.KubeDeployment(scope, 'RedisDeployment', {
      metadata: { name, namespace, labels },
      spec: {
        // One instance: counters are cheap to lose, a replicated Redis is the production choice.
        replicas: 1,
        selector: { matchLabels: labels },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: RUNTIME_DEFAULT_SECCOMP },
            containers: [{
              name: 'redis',
              image: REDIS_IMAGE,
              // The password from the Secret; no persistence (rate-limit counters expire anyway).
              command: ['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no'],
              env: [secretEnv('REDIS_PASSWORD', secret, 'password')],
              ports: [{ name: 'tcp-redis', containerPort: 6379, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(6379) }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(6379) }, periodSeconds: 10, failureThreshold: 6 },
              resources: renderResources(resources),
              securityContext: { ...HARDENED_CONTAINER, capabilities: { drop: [...HARDENED_CONTAINER.capabilities.drop] } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            }],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
    });
    new k8s.KubeService(scope, 'RedisService', {
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: 'tcp-redis', port: 6379, targetPort: k8s.IntOrString.fromNumber(6379), protocol: 'TCP' }] },
    });
    // A single replica: a budget that allows its eviction, so node drains are never blocked.
    Disruption.maxUnavailable(1)._create(scope, 'RedisDisruptionBudget', name, namespace, labels);
    return {
      env: [
        { name: 'REDIS_URL', value: `${serviceFqdnOf(name, namespace)}:6379` },
        secretEnv('REDIS_AUTH', secret, 'password'),
        { name: 'REDIS_TLS', value: 'false' },
      ],
    };
  }
}

/** Props of {@link RateLimitService}. */
export interface RateLimitServiceProps {
  /**
   * The configuration's domain: the filter sends it with every request.
   * @see https://github.com/envoyproxy/ratelimit#definitions
   */
  readonly domain: string;
  /** Where the counters are kept. */
  readonly redis: RateLimitRedis;
  /**
   * Name of the Deployment, Service, ConfigMap and ServiceAccount.
   * @default 'ratelimit'
   */
  readonly name?: string;
  /**
   * Namespace of the service (in the mesh: the gateway calls it over mTLS).
   * @default 'ratelimit'
   */
  readonly namespace?: string;
  /**
   * Whether the gateway rejects requests (500) when the service does not answer in time.
   * @default false - fail open: an outage of the service or Redis does not take the edge down
   */
  readonly failureModeDeny?: boolean;
  /**
   * How long the gateway waits for the service's answer.
   * @default Duration.millis(100)
   */
  readonly timeout?: Duration;
  /**
   * Requests and limits of the service's container.
   * @default - requests cpu 100m, memory 64Mi; limits cpu 1000m, memory 256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Autoscaling of the service.
   * @default - 2 to 6 replicas at 70% CPU
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * The service's PodDisruptionBudget.
   * @default Disruption.minAvailable(1)
   */
  readonly disruption?: Disruption;
  /**
   * How the pods spread over zones and nodes.
   * @default SpreadPolicy.PREFERRED
   */
  readonly spread?: SpreadPolicy;
  /**
   * The container image.
   * @default RATE_LIMIT_SERVICE_IMAGE
   */
  readonly image?: string;
}

/**
 * Envoy's reference rate-limit service with the configuration of every global limit that uses it.
 * `RateLimit.global({ service })` takes the domain, the gRPC cluster, the timeout and the failure
 * mode from it and registers its descriptors into its configuration.
 */
export class RateLimitService extends Construct {
  /** The configuration's domain. */
  public readonly domain: string;
  /** The Service's name. */
  public readonly serviceName: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The Service's fully qualified host name. */
  public readonly host: string;
  /** The gRPC port. */
  public readonly port: number = RATE_LIMIT_GRPC_PORT;
  /** The gateway's timeout for an answer. */
  public readonly timeout: Duration;
  /** Whether the gateway fails closed. */
  public readonly failureModeDeny: boolean;
  /** The Deployment's name. */
  public readonly deploymentName: string;
  /** The HPA's name. */
  public readonly autoscalerName: string;
  /** Labels of the service's pods. */
  public readonly selector: Readonly<Record<string, string>>;
  /** The ConfigMap holding `config.yaml`. */
  public readonly configMap: k8s.KubeConfigMap;
  private readonly registered: Array<{ property: string; entries: RateLimitConfigDescriptor[] }> = [];

  public constructor(scope: Construct, id: string, props: RateLimitServiceProps) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass { domain, redis }.');
    checkArgs(this, '', props, SHAPES.RateLimitServiceProps);
    if (typeof props.domain !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(props.domain)) {
      fail(this, 'domain', props.domain, 'Use letters, digits, "_", "." or "-", for example "istio-ingress".');
    }
    if (!(props.redis instanceof RateLimitRedis)) fail(this, 'redis', props.redis, 'Use RateLimitRedis.inCluster() or RateLimitRedis.fromSecret({ secretName }).');
    this.domain = props.domain;
    const name = validateDnsLabel(this, 'name', props.name ?? 'ratelimit');
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'ratelimit');
    this.serviceName = name;
    this.deploymentName = name;
    this.namespace = namespace;
    this.host = serviceFqdnOf(name, namespace);
    this.timeout = validateDuration(this, 'timeout', props.timeout ?? Duration.millis(100));
    if (this.timeout.toMilliseconds() < 1) fail(this, 'timeout', this.timeout, 'Give the gateway at least 1ms to get an answer.');
    this.failureModeDeny = props.failureModeDeny ?? false;
    const image = props.image ?? RATE_LIMIT_SERVICE_IMAGE;
    if (typeof image !== 'string' || !/^[^\s:@]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/.test(image) || !/[:@]/.test(image.split('/').pop() ?? '')) {
      fail(this, 'image', image, 'Pin the image by tag or digest, for example "docker.io/envoyproxy/ratelimit:30a4ce1a".');
    }
    const labels = { app: name, [COMPONENT_LABEL]: 'ratelimit' };
    this.selector = labels;
    const resources = validateResources(this, 'resources', props.resources ?? {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(1000) },
      memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
    });
    const scaling = resolveAutoscaling(this, 'autoscaling', { minReplicas: 2, maxReplicas: 6, ...props.autoscaling }, [{ name: 'ratelimit', resources }]);
    const redis = props.redis._bind(this, name, namespace);

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${name}-config`, namespace, labels: { ...labels, [RATE_LIMIT_CONFIG_LABEL]: 'true' } },
      data: lazy((): Record<string, string> => ({ [RATE_LIMIT_CONFIG_KEY]: dump(this.config, { noRefs: true, lineWidth: -1 }) })),
    });
    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace, labels }, automountServiceAccountToken: false });
    const http = k8s.IntOrString.fromNumber(RATE_LIMIT_HTTP_PORT);
    const deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: {
            labels,
            // Istio's metrics merging serves these on the sidecar's 15020 with the proxy's own.
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(RATE_LIMIT_METRICS_PORT), 'prometheus.io/path': '/metrics' },
          },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: RUNTIME_DEFAULT_SECCOMP },
            topologySpreadConstraints: topologySpread(labels, props.spread ?? SpreadPolicy.PREFERRED),
            containers: [{
              name: 'ratelimit',
              image,
              command: ['/bin/ratelimit'],
              env: [
                { name: 'LOG_LEVEL', value: 'warn' },
                { name: 'LOG_FORMAT', value: 'json' },
                { name: 'REDIS_SOCKET_TYPE', value: 'tcp' },
                ...redis.env,
                { name: 'USE_STATSD', value: 'false' },
                { name: 'USE_PROMETHEUS', value: 'true' },
                { name: 'PROMETHEUS_ADDR', value: `:${RATE_LIMIT_METRICS_PORT}` },
                { name: 'RUNTIME_ROOT', value: '/data' },
                { name: 'RUNTIME_SUBDIRECTORY', value: 'ratelimit' },
                { name: 'RUNTIME_WATCH_ROOT', value: 'false' },
                { name: 'RUNTIME_IGNOREDOTFILES', value: 'true' },
                // Not ready until the configuration is loaded: no pod answers "no limit" by mistake.
                { name: 'HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED', value: 'true' },
              ],
              ports: [
                { name: 'http', containerPort: RATE_LIMIT_HTTP_PORT, protocol: 'TCP' },
                { name: 'grpc', containerPort: RATE_LIMIT_GRPC_PORT, protocol: 'TCP' },
                { name: 'http-metrics', containerPort: RATE_LIMIT_METRICS_PORT, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/healthcheck', port: http }, periodSeconds: 5, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthcheck', port: http }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
              resources: renderResources(resources),
              securityContext: { ...HARDENED_CONTAINER, capabilities: { drop: [...HARDENED_CONTAINER.capabilities.drop] } },
              volumeMounts: [{ name: 'config', mountPath: '/data/ratelimit/config', readOnly: true }],
            }],
            volumes: [{ name: 'config', configMap: { name: this.configMap.name } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace, labels },
      spec: {
        selector: labels,
        ports: [
          // "grpc-" tells Istio the protocol: the gateway's calls are HTTP/2, balanced per request.
          { name: 'grpc-ratelimit', port: RATE_LIMIT_GRPC_PORT, targetPort: k8s.IntOrString.fromNumber(RATE_LIMIT_GRPC_PORT), protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'http-ratelimit', port: RATE_LIMIT_HTTP_PORT, targetPort: http, protocol: 'TCP' },
        ],
      },
    });
    const externalSecret = redis.externalSecret;
    if (externalSecret !== undefined) {
      // A Secret from outside the app (the Pulumi program writes it for managed Redis): recorded for the deployment (lib/deployment-facts.ts).
      recordDeploymentFact(this, { type: 'redisSecret', fact: () => ({ path: this.node.path, secret: { namespace, name: externalSecret }, readers: [objectReference(deployment)] }) });
    }
    const autoscaler = createHorizontalPodAutoscaler(this, 'Autoscaler', { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace }, scaling);
    this.autoscalerName = autoscaler.name;
    const disruption = props.disruption ?? Disruption.minAvailable(1);
    const problem = disruption._checkAgainst(this, 'disruption', scaling.minReplicas, 'autoscaling.minReplicas');
    if (problem) throw new Error(problem);
    disruption._create(this, 'DisruptionBudget', name, namespace, labels);
  }

  /** The service's configuration (envoyproxy/ratelimit's YAML format, as an object). */
  public get config(): { domain: string; descriptors: RateLimitConfigDescriptor[] } {
    const entries = this.registered.flatMap((r) => r.entries);
    if (entries.length === 0) {
      fail(this, 'descriptors', 0, 'No global rate limit uses this service: pass it to RateLimit.global({ service, limits }) or remove it.');
    }
    return { domain: this.domain, descriptors: mergeConfigDescriptors(this, 'descriptors', entries) };
  }

  /**
   * Adds configuration entries (from a global rate limit) to the service's configuration.
   * @internal
   */
  public _register(property: string, entries: RateLimitConfigDescriptor[]): void {
    this.registered.push({ property, entries });
    // Fail at the call when the entries contradict earlier ones, not only at synth.
    mergeConfigDescriptors(this, 'descriptors', this.registered.flatMap((r) => r.entries));
  }
}
