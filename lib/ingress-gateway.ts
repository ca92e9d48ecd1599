import { ApiObject, Duration, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import {
  Gateway, GatewaySpec, GatewaySpecServers, GatewaySpecServersTlsMinProtocolVersion, GatewaySpecServersTlsMode,
} from '../imports/istio-networking.istio.io';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication } from '../imports/istio-security.istio.io';
import type { AppRouteOptions } from './app-route';
import { AppRoute } from './app-route';
import { AutoscalingOptions, createHorizontalPodAutoscaler, resolveAutoscaling } from './autoscaling';
import {
  DenyRequestsOptions, operation, principal, RequireJwtOptions, SourceIpAllowListOptions, validateCidrs, validateJwt,
} from './authorization';
import { Certificate, CertificateWorkloadChanges } from './certificate';
import { Disruption } from './disruption';
import {
  fail, validateDnsLabel, validateDnsSubdomain, validateDuration, validateHost, validateLabels, validatePort, validatePositiveInteger,
} from './errors';
import { RateLimit } from './rate-limit';
import { ContainerResources, GATEWAY_DEFAULT_RESOURCES, renderResources, validateResources } from './resources';
import { SpreadPolicy, topologySpread } from './scheduling';

/** TLS mode of an HTTPS server. */
export enum TlsMode {
  /** Server-side TLS with the gateway's certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: clients must present a certificate signed by the CA in the credential (`ca.crt`). */
  MUTUAL = 'MUTUAL',
}

/** TLS protocol versions. */
export enum TlsVersion {
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/**
 * The plain-HTTP server of a gateway.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export interface HttpServerOptions {
  /**
   * Whether the gateway listens for plain HTTP at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
}

/**
 * The HTTPS server of a gateway.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface HttpsServerOptions {
  /**
   * The certificate; its secret becomes the server's `credentialName`. Required.
   */
  readonly certificate: Certificate;
  /**
   * TLS mode.
   * @default TlsMode.SIMPLE
   */
  readonly mode?: TlsMode;
  /**
   * The oldest TLS version accepted.
   * @default TlsVersion.TLSV1_2
   */
  readonly minProtocolVersion?: TlsVersion;
  /**
   * Answer plain-HTTP requests with a 301 redirect to HTTPS.
   * @default false
   */
  readonly redirectHttp?: boolean;
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
}

/** How the load balancer routes external traffic to nodes. */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any gateway pod (Kubernetes' default); the client address is lost. */
  CLUSTER = 'Cluster',
  /** Only nodes running a gateway pod receive traffic; the client address is kept. */
  LOCAL = 'Local',
}

/**
 * Azure load balancer settings of the gateway's LoadBalancer Service (cloud-provider-azure annotations).
 * @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#loadbalancer-annotations
 */
export interface AzureLoadBalancerOptions {
  /**
   * An existing static public IP to use, by name (`azure-pip-name`), and its resource group
   * (`azure-load-balancer-resource-group`) when it is not the cluster's node resource group. Keeps
   * the gateway's address across rebuilds of the Service.
   * @default - Azure allocates a dynamic address
   */
  readonly publicIp?: { readonly name: string; readonly resourceGroup?: string };
  /**
   * Use an internal load balancer (private address in the cluster's virtual network).
   * @default false
   */
  readonly internal?: boolean;
  /**
   * The subnet of an internal load balancer.
   * @default - the cluster's subnet
   */
  readonly internalSubnet?: string;
  /**
   * The DNS label of the public IP (`<label>.<region>.cloudapp.azure.com`).
   * @default - none
   */
  readonly dnsLabel?: string;
  /**
   * The HTTP path the Azure health probe requests on the gateway's status port (15021) for every
   * traffic port. Ignored by Azure with `ExternalTrafficPolicy.LOCAL`, which probes the nodes.
   * @default '/healthz/ready'
   */
  readonly healthProbePath?: string;
  /**
   * External traffic policy of the Service.
   * @default ExternalTrafficPolicy.CLUSTER
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
}

/** Options of a gateway workload the package deploys (gateway injection). */
export interface ManagedGatewayWorkloadOptions {
  /**
   * Name of the Deployment, Service, ServiceAccount and Role.
   * @default 'istio-ingressgateway'
   */
  readonly name?: string;
  /**
   * Labels that identify the gateway pods; the Gateway's selector.
   * @default { istio: 'ingressgateway' }
   */
  readonly labels?: Record<string, string>;
  /**
   * Istio revision (`istio.io/rev` label) whose injector fills in the proxy, for example "asm-1-25"
   * on the AKS add-on or a canary revision of istiod.
   * @default - the default revision
   */
  readonly revision?: string;
}

/** Options of a gateway workload the app does not own. */
export interface ExistingGatewayWorkloadOptions {
  /** The namespace of the gateway pods (credential secrets and EnvoyFilters live there). */
  readonly namespace: string;
  /** Labels of the gateway pods; the Gateway's selector. */
  readonly selector: Record<string, string>;
  /**
   * The gateway pods' service account, for services that accept calls from the gateway (`allowFrom`).
   * @default - unknown: `allowFrom` refuses this gateway
   */
  readonly serviceAccount?: string;
}

/** The AKS Istio add-on's managed ingress gateways. */
export enum AksIngressGateway {
  /** `istio: aks-istio-ingressgateway-external` in `aks-istio-ingress`. */
  EXTERNAL = 'aks-istio-ingressgateway-external',
  /** `istio: aks-istio-ingressgateway-internal` in `aks-istio-ingress`. */
  INTERNAL = 'aks-istio-ingressgateway-internal',
}

/** The pods that serve a Gateway: deployed by this package, or already there. */
export class GatewayWorkload {
  /** Deploy the gateway by gateway injection: ServiceAccount, Deployment, LoadBalancer Service, Role/RoleBinding, HPA, PDB. */
  public static managed(options: ManagedGatewayWorkloadOptions = {}): GatewayWorkload {
    return new GatewayWorkload(options, undefined);
  }

  /** Bind to gateway pods the app does not own: only the Gateway resource (and EnvoyFilters) are emitted. */
  public static existing(options: ExistingGatewayWorkloadOptions): GatewayWorkload {
    return new GatewayWorkload(undefined, options);
  }

  /** Bind to an ingress gateway of the AKS Istio add-on. */
  public static aksAddon(gateway: AksIngressGateway = AksIngressGateway.EXTERNAL, options: { readonly serviceAccount?: string } = {}): GatewayWorkload {
    return GatewayWorkload.existing({ namespace: 'aks-istio-ingress', selector: { istio: gateway }, serviceAccount: options.serviceAccount });
  }

  private constructor(
    /** @internal */ public readonly _managed: ManagedGatewayWorkloadOptions | undefined,
    /** @internal */ public readonly _existing: ExistingGatewayWorkloadOptions | undefined,
  ) {}
}

/**
 * How the gateway pods shut down without dropping connections: the pod is first removed from
 * the load balancer while it keeps serving (`preStopDelay`), then Envoy drains its connections
 * (`drainDuration`), and Kubernetes kills it only after `terminationGracePeriod`.
 */
export interface GracefulShutdownOptions {
  /**
   * Wait before the proxy is told to stop, so load balancers and endpoints stop sending new requests.
   * @default Duration.seconds(5)
   */
  readonly preStopDelay?: Duration;
  /**
   * How long Envoy drains open connections once stopping (`terminationDrainDuration` of the proxy config).
   * @default Duration.seconds(20)
   */
  readonly drainDuration?: Duration;
  /**
   * The pod's termination grace period; must be longer than preStopDelay + drainDuration.
   * @default - preStopDelay + drainDuration + 5 seconds
   */
  readonly terminationGracePeriod?: Duration;
}

/** A Gateway that routes can bind to: one this app defines, or an existing one. */
export interface IIngressGateway extends IConstruct {
  /** The Gateway resource's name. */
  readonly gatewayName: string;
  /** The Gateway resource's namespace. */
  readonly namespace: string;
  /** The hosts the Gateway serves (exact, `*.domain` or `*`). */
  readonly hosts: readonly string[];
}

/** Props of {@link IngressGateway}. */
export interface IngressGatewayProps {
  /**
   * The Gateway resource's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the Gateway and of a managed workload.
   * @default - 'istio-ingress' for a managed workload; the workload's namespace for an existing one
   */
  readonly namespace?: string;
  /**
   * The hosts the gateway serves, exact ("shop.example.com") or wildcard ("*.example.com"). At least one.
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
   */
  readonly hosts: string[];
  /**
   * The plain-HTTP server.
   * @default - port 80 enabled (redirecting to HTTPS when `https.redirectHttp` is set)
   */
  readonly http?: HttpServerOptions;
  /**
   * The HTTPS server.
   * @default - no HTTPS server
   */
  readonly https?: HttpsServerOptions;
  /**
   * The pods that serve the Gateway.
   * @default GatewayWorkload.managed()
   */
  readonly workload?: GatewayWorkload;
  /**
   * Requests and limits of the gateway container (managed workload only).
   * @default - requests cpu 1000m, memory 1Gi; limits cpu 2000m, memory 2Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Horizontal pod autoscaling of the gateway Deployment (managed workload only).
   * @default - 2 to 10 replicas at 70% CPU, unless `replicas` is set
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * A fixed replica count instead of autoscaling (managed workload only).
   * @default - autoscaled
   */
  readonly replicas?: number;
  /**
   * The gateway's PodDisruptionBudget (managed workload only).
   * @default Disruption.minAvailable(1)
   */
  readonly disruption?: Disruption;
  /**
   * How gateway pods spread over zones and nodes (managed workload only).
   * @default SpreadPolicy.PREFERRED
   */
  readonly spread?: SpreadPolicy;
  /**
   * Graceful shutdown of gateway pods (managed workload only).
   * @default - 5s pre-stop delay, 20s drain, 30s grace period
   */
  readonly shutdown?: GracefulShutdownOptions;
  /**
   * Azure load balancer settings (managed workload only).
   * @default - public, dynamic address, probes on /healthz/ready, ExternalTrafficPolicy.CLUSTER
   */
  readonly azure?: AzureLoadBalancerOptions;
  /**
   * Rate limits enforced at the gateway, as EnvoyFilters.
   * @default - none
   */
  readonly rateLimits?: RateLimit[];
}

const STATUS_PORT = 15021;

/**
 * An Istio ingress gateway: the `Gateway` resource and, unless it binds to an existing workload,
 * the gateway pods deployed by gateway injection with production defaults (autoscaled 2-10, a
 * disruption budget, zone spread, zero-downtime rollout, resource requests and limits), and
 * optional rate limits.
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
export class IngressGateway extends Construct implements IIngressGateway {
  /** Refers to a Gateway resource the app does not define, so routes can bind to it. */
  public static fromGatewayAttributes(scope: Construct, id: string, attrs: { readonly name: string; readonly namespace: string; readonly hosts: string[] }): IIngressGateway {
    const ref = new Construct(scope, id);
    validateDnsSubdomain(ref, 'name', attrs.name);
    validateDnsLabel(ref, 'namespace', attrs.namespace);
    if (!attrs.hosts?.length) fail(ref, 'hosts', attrs.hosts, 'List the hosts the existing Gateway serves.');
    attrs.hosts.forEach((h, i) => validateHost(ref, `hosts[${i}]`, h));
    return Object.assign(ref, { gatewayName: attrs.name, namespace: attrs.namespace, hosts: [...attrs.hosts] });
  }

  public readonly gatewayName: string;
  public readonly namespace: string;
  /** Labels of the gateway pods (the Gateway's selector). */
  public readonly selector: Record<string, string>;
  /** Namespace of the gateway pods. */
  public readonly workloadNamespace: string;
  /** The Gateway resource. */
  public readonly gateway: Gateway;
  /** The gateway Deployment, for a managed workload. */
  public readonly deployment?: ApiObject;
  /** The LoadBalancer Service, for a managed workload. */
  public readonly service?: k8s.KubeService;
  /** The HorizontalPodAutoscaler, for a managed, autoscaled workload. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, for a managed workload. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The gateway pods' service account (the caller identity services see), when known. */
  public readonly serviceAccountName?: string;
  /** The name of the gateway Deployment (managed) or of the existing gateway pods' workload. */
  public readonly workloadName: string;
  private readonly _hosts: string[] = [];
  private readonly servers: GatewaySpecServers[];
  private rateLimitCount = 0;
  private readonly authorizationNames = new Set<string>();
  private readonly clientIpKnown: boolean;

  public constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const workload = props.workload ?? GatewayWorkload.managed();
    const managed = workload._managed;
    this.gatewayName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? workload._existing?.namespace ?? 'istio-ingress');
    this.workloadNamespace = managed ? this.namespace : validateDnsLabel(this, 'workload.namespace', workload._existing!.namespace);
    this.workloadName = validateDnsLabel(this, 'workload.name', managed?.name ?? 'istio-ingressgateway');
    this.selector = validateLabels(this, managed ? 'workload.labels' : 'workload.selector',
      managed ? (managed.labels ?? { istio: 'ingressgateway' }) : workload._existing!.selector);
    if (Object.keys(this.selector).length === 0) fail(this, 'workload.labels', this.selector, 'Give at least one label to select the gateway pods by.');

    if (!props.hosts || props.hosts.length === 0) fail(this, 'hosts', props.hosts, 'List at least one host the gateway serves, for example ["shop.example.com"].');
    props.hosts.forEach((h) => this.addHost(h));

    this.servers = this.buildServers(props);
    this.serviceAccountName = managed ? this.workloadName : workload._existing!.serviceAccount;
    this.clientIpKnown = !managed || props.azure?.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL;
    const certificate = props.https?.certificate._render(this, this.workloadNamespace, () => this._hosts, managed !== undefined);
    this.gateway = new Gateway(this, 'Resource', {
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderSpec() }) as GatewaySpec,
    });

    if (!managed) {
      for (const key of ['resources', 'autoscaling', 'replicas', 'disruption', 'spread', 'shutdown', 'azure'] as const) {
        if (props[key] !== undefined) {
          fail(this, key, props[key], 'This setting applies only to a workload the package deploys: remove it, or use GatewayWorkload.managed().');
        }
      }
    } else {
      const created = this.createWorkload(props, managed, certificate);
      this.deployment = created.deployment;
      this.service = created.service;
      this.autoscaler = created.autoscaler;
      this.disruptionBudget = created.disruptionBudget;
    }
    for (const limit of props.rateLimits ?? []) this.addRateLimit(limit);
  }

  /** The hosts the Gateway serves. */
  public get hosts(): readonly string[] {
    return this._hosts;
  }

  /** Serves one more host on every server of the Gateway. */
  public addHost(host: string): void {
    validateHost(this, `hosts[${this._hosts.length}]`, host);
    if (this._hosts.includes(host)) fail(this, 'hosts', host, 'Each host may be listed once: remove the duplicate.');
    this._hosts.push(host);
  }

  /** Adds a route (a VirtualService) bound to this gateway. */
  public addRoute(id: string, options: AppRouteOptions = {}): AppRoute {
    return new AppRoute(this, id, { ...options, gateways: [this] });
  }

  /** Adds a rate limit (an EnvoyFilter on the gateway pods). */
  public addRateLimit(limit: RateLimit): void {
    const index = this.rateLimitCount++;
    limit._create(this, `RateLimit${index}`, `rateLimits[${index}]`, {
      namespace: this.workloadNamespace,
      selector: this.selector,
      baseName: this.workloadName,
      gateway: `${this.namespace}/${this.gatewayName}`,
    });
  }

  /**
   * Lets only clients from `cidrs` reach the gateway (or the given hosts and paths): a DENY policy
   * for every other source address. The gateway must see client addresses: with a managed
   * workload, set `azure.externalTrafficPolicy` to `ExternalTrafficPolicy.LOCAL`.
   */
  public allowSourceIps(name: string, options: SourceIpAllowListOptions): AuthorizationPolicy {
    const at = this.authorizationProperty(name);
    if (!this.clientIpKnown) {
      fail(this, `${at}.cidrs`, options.cidrs, 'With ExternalTrafficPolicy.CLUSTER the gateway sees node addresses, not clients\': set azure.externalTrafficPolicy to ExternalTrafficPolicy.LOCAL.');
    }
    const op = operation(this, at, this._hosts, options);
    return this.authorizationPolicy(name, AuthorizationPolicySpecAction.DENY, [{
      from: [{ source: { notRemoteIpBlocks: validateCidrs(this, `${at}.cidrs`, options.cidrs) } }],
      to: op ? [{ operation: op }] : undefined,
    }]);
  }

  /** Denies matching requests (for example admin paths) at the gateway. */
  public denyRequests(name: string, options: DenyRequestsOptions): AuthorizationPolicy {
    const at = this.authorizationProperty(name);
    const op = operation(this, at, this._hosts, options, options.methods);
    if (!op) fail(this, at, options, 'Say which requests to deny: hosts, paths or methods (denying everything would close the gateway).');
    return this.authorizationPolicy(name, AuthorizationPolicySpecAction.DENY, [{ to: [{ operation: op }] }]);
  }

  /**
   * Requires a valid JWT from `issuer` on matching requests: a RequestAuthentication that validates
   * tokens, and a DENY policy for requests without a principal.
   */
  public requireJwt(name: string, options: RequireJwtOptions): AuthorizationPolicy {
    const at = this.authorizationProperty(name);
    validateJwt(this, at, options);
    const op = operation(this, at, this._hosts, options);
    new RequestAuthentication(this, `Jwt-${name}`, {
      metadata: { name: `${this.workloadName}-${name}`, namespace: this.workloadNamespace },
      spec: {
        selector: { matchLabels: this.selector },
        jwtRules: [{ issuer: options.issuer, jwksUri: options.jwksUri, audiences: options.audiences, forwardOriginalToken: options.forwardOriginalToken ?? true }],
      },
    });
    return this.authorizationPolicy(name, AuthorizationPolicySpecAction.DENY, [{
      from: [{ source: { notRequestPrincipals: ['*'] } }],
      to: op ? [{ operation: op }] : undefined,
    }]);
  }

  /** The principal (SPIFFE identity) of the gateway pods, when their service account is known. */
  public get principal(): string | undefined {
    return this.serviceAccountName ? principal(this.workloadNamespace, this.serviceAccountName) : undefined;
  }

  private authorizationProperty(name: string): string {
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      fail(this, 'authorization name', name, 'Use a DNS-1123 label such as "block-admin".');
    }
    if (this.authorizationNames.has(name)) fail(this, 'authorization name', name, 'Each authorization rule of a gateway needs its own name.');
    this.authorizationNames.add(name);
    return `authorization["${name}"]`;
  }

  private authorizationPolicy(name: string, action: AuthorizationPolicySpecAction, rules: object[]): AuthorizationPolicy {
    return new AuthorizationPolicy(this, `Authz-${name}`, {
      metadata: { name: `${this.workloadName}-${name}`, namespace: this.workloadNamespace },
      spec: { selector: { matchLabels: this.selector }, action, rules: rules as never },
    });
  }

  /** The ports of the Gateway's servers. */
  public get serverPorts(): number[] {
    return this.servers.map((s) => s.port!.number!);
  }

  private buildServers(props: IngressGatewayProps): GatewaySpecServers[] {
    const servers: GatewaySpecServers[] = [];
    const https = props.https;
    const httpEnabled = props.http?.enabled ?? true;
    if (httpEnabled) {
      const port = validatePort(this, 'http.port', props.http?.port ?? 80);
      servers.push({
        port: { number: port, name: 'http', protocol: 'HTTP' },
        hosts: this._hosts,
        tls: https?.redirectHttp ? { httpsRedirect: true } : undefined,
      });
    }
    if (https) {
      if (!(https.certificate instanceof Certificate)) {
        fail(this, 'https.certificate', https.certificate, 'An HTTPS server needs a credential: set certificate to Certificate.fromSecret("<tls secret in the gateway namespace>").');
      }
      const port = validatePort(this, 'https.port', https.port ?? 443);
      if (httpEnabled && servers[0].port!.number === port) fail(this, 'https.port', port, 'The HTTP and HTTPS servers need different ports.');
      servers.push({
        port: { number: port, name: 'https', protocol: 'HTTPS' },
        hosts: this._hosts,
        tls: {
          mode: (https.mode ?? TlsMode.SIMPLE) as string as GatewaySpecServersTlsMode,
          credentialName: https.certificate.credentialName,
          minProtocolVersion: (https.minProtocolVersion ?? TlsVersion.TLSV1_2) as string as GatewaySpecServersTlsMinProtocolVersion,
        },
      });
    } else if (props.http?.enabled === false) {
      fail(this, 'http.enabled', false, 'A gateway needs at least one server: keep HTTP enabled or configure https.');
    }
    if (https?.redirectHttp && !httpEnabled) fail(this, 'https.redirectHttp', true, 'Redirecting HTTP needs the HTTP server: remove redirectHttp or enable http.');
    return servers;
  }

  private renderSpec(): GatewaySpec {
    return { selector: this.selector, servers: this.servers.map((s) => ({ ...s, hosts: [...this._hosts] })) };
  }

  private createWorkload(props: IngressGatewayProps, managed: ManagedGatewayWorkloadOptions, certificate?: CertificateWorkloadChanges) {
    const name = this.workloadName;
    const namespace = this.namespace;
    const podLabels: Record<string, string> = { app: name, ...this.selector, 'sidecar.istio.io/inject': 'true', ...certificate?.podLabels };
    if (managed.revision !== undefined) podLabels['istio.io/rev'] = validateDnsLabel(this, 'workload.revision', managed.revision);
    const matchLabels = { app: name, ...this.selector };

    const resources = validateResources(this, 'resources', props.resources ?? GATEWAY_DEFAULT_RESOURCES);
    if (props.replicas !== undefined && props.autoscaling !== undefined) {
      fail(this, 'replicas', props.replicas, 'Set either replicas or autoscaling, not both: an autoscaler owns the replica count.');
    }
    if (props.replicas !== undefined) validatePositiveInteger(this, 'replicas', props.replicas);
    const scaling = props.replicas === undefined
      ? resolveAutoscaling(this, 'autoscaling', props.autoscaling ?? {}, [{ name: 'istio-proxy', resources }])
      : undefined;

    const shutdown = props.shutdown ?? {};
    const preStop = validateDuration(this, 'shutdown.preStopDelay', shutdown.preStopDelay ?? Duration.seconds(5));
    const drain = validateDuration(this, 'shutdown.drainDuration', shutdown.drainDuration ?? Duration.seconds(20));
    const minGrace = preStop.toSeconds() + drain.toSeconds();
    const grace = shutdown.terminationGracePeriod ?? Duration.seconds(minGrace + 5);
    if (grace.toSeconds() <= minGrace) {
      fail(this, 'shutdown.terminationGracePeriod', grace,
        `It must be longer than preStopDelay + drainDuration (${minGrace}s), or Kubernetes kills the proxy while it drains: use at least ${minGrace + 1}s.`);
    }

    const saAnnotations = certificate?.serviceAccountAnnotations ?? {};
    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace, labels: matchLabels, annotations: Object.keys(saAnnotations).length ? saAnnotations : undefined },
    });
    // Rendered through KubeDeployment.manifest (typed) into a plain ApiObject, so that the JSON patch
    // below is not filtered by the L1 class: its types predate the native preStop sleep action.
    const deployment = new ApiObject(this, 'Deployment', k8s.KubeDeployment.manifest({
      metadata: { name, namespace, labels: matchLabels },
      spec: {
        // No replicas when an autoscaler drives the Deployment: server-side apply would fight it.
        replicas: scaling ? undefined : props.replicas,
        selector: { matchLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: {
            labels: podLabels,
            annotations: {
              'inject.istio.io/templates': 'gateway',
              'proxy.istio.io/config': JSON.stringify({ terminationDrainDuration: `${drain.toSeconds()}s` }),
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': '15020',
              'prometheus.io/path': '/stats/prometheus',
            },
          },
          spec: {
            serviceAccountName: sa.name,
            terminationGracePeriodSeconds: grace.toSeconds(),
            // Lets the unprivileged proxy bind ports 80 and 443: the only exception the gateway needs.
            securityContext: {
              runAsNonRoot: true,
              seccompProfile: { type: 'RuntimeDefault' },
              sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
            },
            topologySpreadConstraints: topologySpread(matchLabels, props.spread ?? SpreadPolicy.PREFERRED),
            containers: [{
              name: 'istio-proxy',
              // "auto": the injection webhook fills in the proxy image of the matching revision.
              image: 'auto',
              ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
              resources: renderResources(resources),
              securityContext: {
                capabilities: { drop: ['ALL'] },
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsUser: 1337,
                runAsGroup: 1337,
                runAsNonRoot: true,
              },
            }],
          },
        },
      },
    }));
    // The native sleep action (Kubernetes 1.30+) needs no shell in the proxy image.
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle', {
      preStop: { sleep: { seconds: preStop.toSeconds() } },
    }));
    if (certificate?.volumes.length) {
      deployment.addJsonPatch(
        JsonPatch.add('/spec/template/spec/volumes', certificate.volumes),
        JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', certificate.volumeMounts),
      );
    }

    const service = new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace, labels: matchLabels, annotations: this.azureAnnotations(props.azure ?? {}) },
      spec: {
        type: 'LoadBalancer',
        selector: matchLabels,
        externalTrafficPolicy: props.azure?.externalTrafficPolicy ?? ExternalTrafficPolicy.CLUSTER,
        ports: [
          { name: 'status-port', port: STATUS_PORT, targetPort: k8s.IntOrString.fromNumber(STATUS_PORT), protocol: 'TCP' },
          ...this.servers.map((s) => ({
            name: s.port!.name === 'http' ? 'http2' : 'https',
            port: s.port!.number!,
            targetPort: k8s.IntOrString.fromNumber(s.port!.number!),
            protocol: 'TCP',
          })),
        ],
      },
    });

    const role = new k8s.KubeRole(this, 'Role', {
      metadata: { name, namespace, labels: matchLabels },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace, labels: matchLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name }],
    });

    const target = { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace };
    const autoscaler = scaling ? createHorizontalPodAutoscaler(this, 'Autoscaler', target, scaling) : undefined;
    const disruption = props.disruption ?? Disruption.minAvailable(1);
    const floor = scaling ? scaling.minReplicas : props.replicas!;
    const problem = disruption._checkAgainst(this, 'disruption', floor, scaling ? 'autoscaling.minReplicas' : 'replicas');
    if (problem) throw new Error(problem);
    const disruptionBudget = disruption._create(this, 'DisruptionBudget', name, namespace, matchLabels);
    return { deployment, service, autoscaler, disruptionBudget };
  }

  private azureAnnotations(azure: AzureLoadBalancerOptions): Record<string, string> | undefined {
    const prefix = 'service.beta.kubernetes.io/';
    const a: Record<string, string> = {};
    if (azure.publicIp) {
      if (azure.internal) fail(this, 'azure.publicIp', azure.publicIp, 'An internal load balancer has no public IP: remove publicIp or internal.');
      a[`${prefix}azure-pip-name`] = validateAzureName(this, 'azure.publicIp.name', azure.publicIp.name);
      if (azure.publicIp.resourceGroup !== undefined) {
        a[`${prefix}azure-load-balancer-resource-group`] = validateAzureName(this, 'azure.publicIp.resourceGroup', azure.publicIp.resourceGroup);
      }
    }
    if (azure.internal) a[`${prefix}azure-load-balancer-internal`] = 'true';
    if (azure.internalSubnet !== undefined) {
      if (!azure.internal) fail(this, 'azure.internalSubnet', azure.internalSubnet, 'A subnet applies only to an internal load balancer: set internal: true.');
      a[`${prefix}azure-load-balancer-internal-subnet`] = validateAzureName(this, 'azure.internalSubnet', azure.internalSubnet);
    }
    if (azure.dnsLabel !== undefined) {
      if (azure.internal) fail(this, 'azure.dnsLabel', azure.dnsLabel, 'A DNS label names a public IP: remove it for an internal load balancer.');
      a[`${prefix}azure-dns-label-name`] = validateDnsLabel(this, 'azure.dnsLabel', azure.dnsLabel);
    }
    if ((azure.externalTrafficPolicy ?? ExternalTrafficPolicy.CLUSTER) === ExternalTrafficPolicy.CLUSTER) {
      const path = azure.healthProbePath ?? '/healthz/ready';
      if (!path.startsWith('/')) fail(this, 'azure.healthProbePath', path, 'Use an absolute path such as "/healthz/ready".');
      // Probe every traffic port on the status port, which reports the proxy's readiness.
      for (const s of this.servers) {
        const p = s.port!.number!;
        a[`${prefix}port_${p}_health-probe_protocol`] = 'http';
        a[`${prefix}port_${p}_health-probe_port`] = String(STATUS_PORT);
        a[`${prefix}port_${p}_health-probe_request-path`] = path;
      }
    } else if (azure.healthProbePath !== undefined) {
      fail(this, 'azure.healthProbePath', azure.healthProbePath, 'With ExternalTrafficPolicy.LOCAL Azure probes the nodes\' health check port: remove healthProbePath.');
    }
    return Object.keys(a).length ? a : undefined;
  }
}

function validateAzureName(scope: IConstruct, property: string, value: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$|^[A-Za-z0-9]$/.test(value)) {
    fail(scope, property, value, 'Use an Azure resource name: 1-90 letters, digits, ".", "_", "-", "(" or ")", not ending in ".".');
  }
  return value;
}
