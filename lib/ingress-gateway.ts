/**
 * An Istio ingress gateway: the `Gateway` resource, the pods that serve it (gateway-workload.ts),
 * rate limits and authorization at the gateway. Owned (`new IngressGateway`) and imported
 * (`IngressGateway.fromGatewayAttributes`) gateways implement the same {@link IIngressGateway}.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Gateway, GatewaySpec } from '../imports/istio-networking.istio.io';
import { AuthorizationPolicy } from '../imports/istio-security.istio.io';
import { PodSecurityLevel, podSecurityLabels } from './app-namespace';
import type { AppRouteOptions } from './app-route';
import { AppRoute } from './app-route';
import { Certificate, CertificateBinding, CertificateWorkloadChanges } from './certificate';
import { fail } from './private/errors';
import {
  DenyRequestsOptions, GatewayAuthorization, RequireJwtOptions, SourceIpAllowListOptions,
} from './gateway-authorization';
import { GatewayServer, HttpServerOptions, HttpsServerOptions, RenderedServer, serverHostName } from './gateway-server';
import { GatewayServicePort, GatewayWorkload, GatewayWorkloadSettings } from './gateway-workload';
import { DEFINED_ELSEWHERE_ANNOTATION } from './contract/defined-elsewhere';
import { declareExistingNamespace } from './contract/existing-namespaces';
import { objectReference, recordDeploymentFact } from './deployment-facts';
import { principal } from './private/identity';
import { validateDnsLabel, validateDnsSubdomain, validateId, validateLabels } from './private/validate';
import { validateGatewayHost, validateHost } from './contract/hosts';
import { RateLimit } from './rate-limit';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/**
 * A Gateway that routes bind to and that namespaces, monitoring and authorization refer to: one
 * this app defines, or an existing one. What is unknown of an imported gateway is undefined, and
 * the constructs that need it say so.
 */
export interface IIngressGateway extends IConstruct {
  /** The Gateway resource's name. */
  readonly gatewayName: string;
  /** The Gateway resource's namespace. */
  readonly namespace: string;
  /** The hosts the Gateway serves (exact, `*.domain` or `*`). */
  readonly hosts: readonly string[];
  /** Labels of the gateway pods (the Gateway's selector), when known. */
  readonly selector?: Readonly<Record<string, string>>;
  /** Namespace of the gateway pods, when known. */
  readonly workloadNamespace?: string;
  /** Name of the gateway pods' Deployment, when known. */
  readonly workloadName?: string;
  /** The gateway pods' service account, when known. */
  readonly serviceAccountName?: string;
  /** The principal (SPIFFE identity) of the gateway pods, when their service account is known. */
  readonly principal?: string;
  /** Name of the gateway's HorizontalPodAutoscaler, when the app defines one. */
  readonly autoscalerName?: string;
  /**
   * True for a Gateway the app does not define (`fromGatewayAttributes`): routes tell the analysis
   * it exists elsewhere.
   * @default false
   */
  readonly imported?: boolean;
  /** Name of the gateway's PodDisruptionBudget, when the app defines one. */
  readonly disruptionBudgetName?: string;
  /** Adds a route (a VirtualService) bound to this gateway. */
  addRoute(id: string, options?: AppRouteOptions): AppRoute;
  /** Adds a rate limit (an EnvoyFilter on the gateway pods). */
  addRateLimit(limit: RateLimit): void;
  /** Lets only clients from `cidrs` reach the gateway (or the given hosts and paths). */
  allowSourceIps(name: string, options: SourceIpAllowListOptions): AuthorizationPolicy;
  /** Denies matching requests (for example admin paths) at the gateway. */
  denyRequests(name: string, options: DenyRequestsOptions): AuthorizationPolicy;
  /** Requires a valid JWT on matching requests. */
  requireJwt(name: string, options: RequireJwtOptions): AuthorizationPolicy;
}

/** What is known of a Gateway the app does not define. */
export interface GatewayAttributes {
  /** The Gateway resource's name. */
  readonly name: string;
  /** The Gateway resource's namespace. */
  readonly namespace: string;
  /** The hosts it serves. */
  readonly hosts: string[];
  /**
   * Labels of its pods (its selector): needed for rate limits, authorization, namespaces that
   * admit it, and monitoring.
   * @default - unknown
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace of its pods.
   * @default - the Gateway's namespace, when `selector` is given
   */
  readonly workloadNamespace?: string;
  /**
   * Its pods' service account: needed by services that admit it (`allowFrom`).
   * @default - unknown
   */
  readonly serviceAccountName?: string;
  /**
   * Its pods' Deployment: needed by monitoring.
   * @default - unknown
   */
  readonly workloadName?: string;
  /**
   * Whether it sees clients' addresses (needed by `allowSourceIps`).
   * @default false
   */
  readonly clientIpKnown?: boolean;
}

/**
 * What owned and imported gateways share: routes, rate limits and authorization, all derived from
 * the gateway's names, hosts and pods.
 */
abstract class GatewayBase extends Construct implements IIngressGateway {
  public abstract readonly gatewayName: string;
  public abstract readonly namespace: string;
  public abstract readonly hosts: readonly string[];
  public abstract readonly selector?: Readonly<Record<string, string>>;
  public abstract readonly workloadNamespace?: string;
  public abstract readonly workloadName?: string;
  public abstract readonly serviceAccountName?: string;
  public readonly autoscalerName?: string;
  public readonly disruptionBudgetName?: string;
  /** Base of default object names (the workload's name). */
  protected abstract readonly baseName: string;
  /** Whether the gateway sees clients' addresses. */
  protected abstract readonly clientIpKnown: boolean;

  /**
   * Where patches of this Gateway's route configurations match: by Gateway for its TLS servers, by
   * port for its plain-HTTP servers (their route configuration, `http.<port>`, carries no Gateway
   * name). An imported Gateway's servers are not known: by Gateway.
   */
  /**
   * The ports the gateway pods listen on for plain-HTTP servers that redirect to HTTPS, when
   * known: the DENY rules of `allowSourceIps`, `denyRequests` and `requireJwt` leave them out. An imported Gateway's
   * servers and pod ports are not known: none.
   */
  protected redirectPodPorts(): readonly number[] {
    return [];
  }

  protected routeConfigurations(): ReadonlyArray<{ readonly gateway: string } | { readonly portNumber: number }> {
    return [{ gateway: `${this.namespace}/${this.gatewayName}` }];
  }
  private rateLimitCount = 0;
  private authorization?: GatewayAuthorization;

  public get principal(): string | undefined {
    return this.serviceAccountName && this.workloadNamespace ? principal(this.workloadNamespace, this.serviceAccountName) : undefined;
  }

  public addRoute(id: string, options: AppRouteOptions = {}): AppRoute {
    return new AppRoute(this, id, { ...options, gateways: [this] });
  }

  public addRateLimit(limit: RateLimit): void {
    checkArgs(this, `rateLimits[${this.rateLimitCount}]`, limit, req('o'));
    const index = this.rateLimitCount++;
    if (!(limit instanceof RateLimit)) fail(this, `rateLimits[${index}]`, limit, 'Use RateLimit.local({...}) or RateLimit.global({...}).');
    const pods = this.pods(`rateLimits[${index}]`);
    limit._create(this, `RateLimit${index}`, `rateLimits[${index}]`, {
      namespace: pods.namespace,
      selector: pods.selector,
      baseName: this.baseName,
      gateway: `${this.namespace}/${this.gatewayName}`,
      clientAddressKnown: this.clientIpKnown,
      httpRoutes: () => this.boundHttpRoutes(),
      routeConfigurations: () => this.routeConfigurations(),
    });
  }

  /**
   * The HTTP routes of the app's AppRoutes bound to this Gateway (this construct, or another import
   * of the same namespace/name: Envoy sees them all in the gateway's route configuration), by the
   * name each was given, with the names of the HTTP routes each renders (a canary's override too).
   */
  private boundHttpRoutes(): ReadonlyMap<string, readonly string[]> {
    const key = `${this.namespace}/${this.gatewayName}`;
    const out = new Map<string, string[]>();
    for (const c of this.node.root.node.findAll()) {
      if (!(c instanceof AppRoute) || !c.gateways.some((g) => g === this || `${g.namespace}/${g.gatewayName}` === key)) continue;
      for (const [name, rendered] of c._renderedRouteNames()) {
        const names = out.get(name) ?? [];
        for (const n of rendered) if (!names.includes(n)) names.push(n);
        out.set(name, names);
      }
    }
    return out;
  }

  /**
   * Lets only clients from `cidrs` reach the gateway (or the given hosts and paths): a DENY policy
   * for every other source address. The gateway must see client addresses: with a managed
   * workload, set `azure.externalTrafficPolicy` to `ExternalTrafficPolicy.LOCAL`.
   */
  public allowSourceIps(name: string, options: SourceIpAllowListOptions): AuthorizationPolicy {
    return this.authorizationRules().allowSourceIps(name, options);
  }

  public denyRequests(name: string, options: DenyRequestsOptions): AuthorizationPolicy {
    return this.authorizationRules().denyRequests(name, options);
  }

  /**
   * Requires a valid JWT from `issuer` on matching requests: a RequestAuthentication that validates
   * tokens, and a DENY policy for requests without a principal.
   */
  public requireJwt(name: string, options: RequireJwtOptions): AuthorizationPolicy {
    return this.authorizationRules().requireJwt(name, options);
  }

  private authorizationRules(): GatewayAuthorization {
    this.authorization ??= new GatewayAuthorization(this, () => ({
      ...this.pods('authorization'), baseName: this.baseName, hosts: this.hosts, clientIpKnown: this.clientIpKnown, redirectPorts: this.redirectPodPorts(),
    }));
    return this.authorization;
  }

  private pods(property: string): { namespace: string; selector: Readonly<Record<string, string>> } {
    if (!this.selector || !this.workloadNamespace) {
      fail(this, property, undefined, 'The gateway\'s pods are unknown: give selector (and workloadNamespace) in IngressGateway.fromGatewayAttributes(...).');
    }
    return { namespace: this.workloadNamespace, selector: this.selector };
  }
}

/** Props of {@link IngressGateway}. */
export interface IngressGatewayProps extends GatewayWorkloadSettings {
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
   * The hosts the gateway serves, exact ("shop.example.com") or wildcard ("*.example.com"): the
   * hosts of every server without hosts of its own.
   * @default - none: every server of `servers` must list its hosts
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
   */
  readonly hosts?: string[];
  /**
   * The servers: any number of ports, protocols, hosts and TLS settings. Give this or the
   * `http`/`https` shorthands.
   * @default - the shorthands: HTTP on port 80, and HTTPS on 443 when `https` is set
   */
  readonly servers?: GatewayServer[];
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
   * Create the Gateway's namespace (labelled for Pod Security "restricted", which the managed
   * gateway pods meet). Leave it false when the namespace exists or another construct creates it.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Rate limits enforced at the gateway, as EnvoyFilters.
   * @default - none
   */
  readonly rateLimits?: RateLimit[];
}

/**
 * An Istio ingress gateway: the `Gateway` resource and, unless it binds to an existing workload,
 * the gateway pods deployed by gateway injection with production defaults (autoscaled 2-10, a
 * disruption budget, zone spread, zero-downtime rollout, resource requests and limits), and
 * optional rate limits.
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
export class IngressGateway extends GatewayBase {
  /** Refers to a Gateway resource the app does not define; usable wherever a gateway is. */
  public static fromGatewayAttributes(scope: Construct, id: string, attrs: GatewayAttributes): IIngressGateway {
    return new ImportedIngressGateway(scope, id, attrs);
  }

  public readonly gatewayName: string;
  public readonly namespace: string;
  /** Labels of the gateway pods (the Gateway's selector). */
  public readonly selector: Readonly<Record<string, string>>;
  /** Namespace of the gateway pods. */
  public readonly workloadNamespace: string;
  /** The Gateway resource. */
  public readonly gateway: Gateway;
  /** The namespace, when `createNamespace` is set. */
  public readonly namespaceObject?: k8s.KubeNamespace;
  /** The gateway Deployment, for a managed workload. */
  public readonly deployment?: ApiObject;
  /** The LoadBalancer Service, for a managed workload. */
  public readonly service?: k8s.KubeService;
  /** The HorizontalPodAutoscaler, for a managed, autoscaled workload: a plain cdk8s `ApiObject` of kind HorizontalPodAutoscaler (`autoscaling/v2`). */
  public readonly autoscaler?: ApiObject;
  /**
   * The PodDisruptionBudget, for a managed workload: a plain cdk8s `ApiObject` of kind
   * PodDisruptionBudget (change it with `addJsonPatch`, `metadata.addLabel`/`addAnnotation`).
   */
  public readonly disruptionBudget?: ApiObject;
  /** The gateway pods' service account (the caller identity services see), when known. */
  public readonly serviceAccountName?: string;
  /** The gateway pods' Deployment: the managed one, or the existing one's when given. */
  public readonly workloadName?: string;
  public readonly autoscalerName?: string;
  public readonly disruptionBudgetName?: string;
  protected readonly baseName: string;
  protected readonly clientIpKnown: boolean;

  /**
   * The HTTP servers redirecting to HTTPS, as ports of the gateway pods: known when the package
   * deploys the gateway's Service (its target ports are the server ports); Istio listens on the
   * Service's target port, which is what an AuthorizationPolicy's `ports` match.
   */
  protected override redirectPodPorts(): readonly number[] {
    if (!this.service) return [];
    return [...new Set(this.servers.filter((s) => s.server.tls?.httpsRedirect === true).map((s) => s.server.port.number))];
  }

  protected override routeConfigurations(): ReadonlyArray<{ readonly gateway: string } | { readonly portNumber: number }> {
    const protocol = (s: RenderedServer) => s.server.port.protocol;
    const tls = this.servers.some((s) => protocol(s) === 'HTTPS' && !['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(s.server.tls?.mode ?? 'SIMPLE'));
    const plain = this.servers.filter((s) => ['HTTP', 'HTTP2', 'GRPC'].includes(protocol(s)) && s.server.tls === undefined).map((s) => s.server.port.number);
    const out = [...(tls ? [{ gateway: `${this.namespace}/${this.gatewayName}` }] : []), ...[...new Set(plain)].map((portNumber) => ({ portNumber }))];
    return out.length ? out : super.routeConfigurations();
  }
  private readonly _hosts: string[] = [];
  private readonly servers: RenderedServer[];

  public constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass the gateway\'s props, at least { hosts: ["shop.example.com"] }.');
    checkArgs(this, '', props, SHAPES.IngressGatewayProps);
    const workload = props.workload ?? GatewayWorkload.managed();
    if (!(workload instanceof GatewayWorkload)) fail(this, 'workload', workload, 'Use GatewayWorkload.managed(...), GatewayWorkload.existing(...) or GatewayWorkload.aksAddon(...).');
    this.gatewayName = validateDnsLabel(this, 'name', props.name ?? id); // Istio refers to Gateways as namespace/name: a DNS label
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? workload._defaultGatewayNamespace() ?? 'istio-ingress');
    if (props.createNamespace) {
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: this.namespace, labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) } });
    }
    const bound = workload._bind(this, this.namespace, props);
    this.workloadNamespace = bound.namespace;
    this.workloadName = bound.deploymentName;
    this.baseName = bound.name;
    this.selector = bound.selector;
    this.serviceAccountName = bound.serviceAccountName;
    this.clientIpKnown = bound.clientIpKnown;

    if (props.hosts !== undefined && !Array.isArray(props.hosts)) fail(this, 'hosts', props.hosts, 'List at least one host the gateway serves, for example ["shop.example.com"].');
    if (props.hosts === undefined && props.servers === undefined) fail(this, 'hosts', props.hosts, 'List at least one host the gateway serves, for example ["shop.example.com"].');
    (props.hosts ?? []).forEach((h) => this.addHost(h));

    this.servers = this.buildServers(props);
    if (this._hosts.length === 0 && this.servers.some((s) => !s.ownHosts)) {
      fail(this, 'hosts', props.hosts, 'List at least one host the gateway serves, for example ["shop.example.com"] (or give every server its own hosts).');
    }
    const certificate = bindCertificates(this, this.servers, { namespace: this.workloadNamespace, hosts: () => this.hosts, deploysPods: bound.deploysPods });
    this.gateway = new Gateway(this, 'Resource', {
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderSpec() }) as GatewaySpec,
    });
    // Pods the app does not deploy: the analysis is told they run elsewhere (not a missing workload).
    if (!bound.deploysPods) {
      this.gateway.metadata.addAnnotation(DEFINED_ELSEWHERE_ANNOTATION, `Workload ${bound.namespace}`);
      // The pods run there, so the namespace exists (the AKS add-on's aks-istio-ingress, for example).
      declareExistingNamespace(this, bound.namespace);
    }

    const created = workload._deploy(this, bound, props, servicePorts(this.servers), certificate);
    this.deployment = created.deployment;
    this.service = created.service;
    this.autoscaler = created.autoscaler;
    this.disruptionBudget = created.disruptionBudget;
    this.autoscalerName = created.autoscaler?.name;
    this.disruptionBudgetName = created.disruptionBudget?.name;
    const deployment = created.deployment;
    recordDeploymentFact(this, {
      type: 'gateway',
      fact: () => ({
        path: this.node.path, gateway: objectReference(this.gateway), hosts: [...this.hosts],
        ...(deployment ? { minReplicas: created.minReplicas, deployment: objectReference(deployment) } : {}),
      }),
    });
    if (props.rateLimits !== undefined && !Array.isArray(props.rateLimits)) fail(this, 'rateLimits', props.rateLimits, 'Give a list of RateLimit.local(...) or RateLimit.global(...).');
    for (const limit of props.rateLimits ?? []) this.addRateLimit(limit);
  }

  /** The hosts the Gateway serves: the gateway's, and those of servers with their own ("ns/" removed). */
  public get hosts(): readonly string[] {
    const all = [...this._hosts];
    for (const s of this.servers ?? []) {
      if (!s.ownHosts) continue;
      for (const h of s.server.hosts.map(serverHostName)) if (!all.includes(h)) all.push(h);
    }
    return all;
  }

  /** Serves one more host on every server of the Gateway that has no hosts of its own. */
  public addHost(host: string): void {
    checkArgs(this, 'hosts', host, req('s'));
    validateGatewayHost(this, `hosts[${this._hosts.length}]`, host);
    if (this._hosts.includes(host)) fail(this, 'hosts', host, 'Each host may be listed once: remove the duplicate.');
    this._hosts.push(host);
  }

  private buildServers(props: IngressGatewayProps): RenderedServer[] {
    if (props.servers !== undefined) {
      if (props.http !== undefined || props.https !== undefined) fail(this, 'servers', '(set, with http or https)', 'Give either servers or the http/https shorthands, not both.');
      if (!Array.isArray(props.servers) || props.servers.length === 0) fail(this, 'servers', props.servers, 'List at least one server, for example [GatewayServer.http()].');
      const rendered = props.servers.map((s, i) => {
        if (!(s instanceof GatewayServer)) fail(this, `servers[${i}]`, s, 'Use GatewayServer.http(...), GatewayServer.https(...), GatewayServer.tls(...) or GatewayServer.tcp(...).');
        return s._render(this, `servers[${i}]`);
      });
      checkServers(this, rendered, (i) => `servers[${i}]`);
      return rendered;
    }
    // The shorthands: a plain-HTTP server (port 80) and an optional HTTPS server (port 443).
    const servers: RenderedServer[] = [];
    const https = props.https;
    const httpEnabled = props.http?.enabled ?? true;
    if (httpEnabled) {
      servers.push(GatewayServer.http({ port: props.http?.port ?? 80, httpsRedirect: https?.redirectHttp })._render(this, 'http'));
    }
    if (https) {
      if (!(https.certificate instanceof Certificate)) {
        fail(this, 'https.certificate', https.certificate, 'An HTTPS server needs a credential: set certificate to Certificate.fromSecret("<tls secret in the gateway namespace>").');
      }
      const server = GatewayServer.https({ certificate: https.certificate, mode: https.mode, minProtocolVersion: https.minProtocolVersion, port: https.port })._render(this, 'https');
      if (httpEnabled && servers[0].server.port.number === server.server.port.number) fail(this, 'https.port', server.server.port.number, 'The HTTP and HTTPS servers need different ports.');
      servers.push(server);
    } else if (props.http?.enabled === false) {
      fail(this, 'http.enabled', false, 'A gateway needs at least one server: keep HTTP enabled or configure https.');
    }
    if (https?.redirectHttp && !httpEnabled) fail(this, 'https.redirectHttp', true, 'Redirecting HTTP needs the HTTP server: remove redirectHttp or enable http.');
    return servers;
  }

  private renderSpec(): GatewaySpec {
    return { selector: { ...this.selector }, servers: this.servers.map((s) => ({ ...s.server, hosts: s.ownHosts ? [...s.server.hosts] : [...this._hosts] })) };
  }
}

/** Servers on one port share a protocol; port names are unique; a server without hosts needs the gateway's. */
function checkServers(scope: IConstruct, servers: readonly RenderedServer[], at: (i: number) => string): void {
  const protocols = new Map<number, string>();
  const names = new Set<string>();
  servers.forEach((s, i) => {
    const { number, protocol, name } = s.server.port;
    const other = protocols.get(number);
    if (other !== undefined && other !== protocol) fail(scope, `${at(i)}.port`, number, `Port ${number} is already a ${other} server: servers on one port share a protocol; use another port.`);
    protocols.set(number, protocol ?? '');
    if (names.has(name ?? '')) fail(scope, `${at(i)}.portName`, name, 'Port names must be unique within a Gateway: set portName.');
    names.add(name ?? '');
  });
}

/** The gateway's Service ports: one per server port, named for the protocol (http2, https, tls, tcp, grpc). */
function servicePorts(servers: readonly RenderedServer[]): GatewayServicePort[] {
  const ports: GatewayServicePort[] = [];
  for (const s of servers) {
    const number = s.server.port.number;
    if (ports.some((p) => p.number === number)) continue;
    const name = ports.some((p) => p.name === s.servicePortName) ? `${s.servicePortName}-${number}` : s.servicePortName;
    ports.push({ number, name });
  }
  return ports;
}

/** Binds each distinct certificate of the servers and merges what they add to the gateway pods. */
function bindCertificates(scope: Construct, servers: readonly RenderedServer[], binding: CertificateBinding): CertificateWorkloadChanges | undefined {
  const certificates = [...new Set(servers.flatMap((s) => (s.certificate ? [s.certificate] : [])))];
  if (certificates.length === 0) return undefined;
  const changes = certificates.map((c, i) => c._bind(i === 0 ? scope : new Construct(scope, `Certificate${i}`), binding));
  return {
    volumes: changes.flatMap((c) => c.volumes),
    volumeMounts: changes.flatMap((c) => c.volumeMounts),
    serviceAccountAnnotations: Object.assign({}, ...changes.map((c) => c.serviceAccountAnnotations)) as Record<string, string>,
    podLabels: Object.assign({}, ...changes.map((c) => c.podLabels)) as Record<string, string>,
    keyVaults: changes.flatMap((c) => c.keyVaults ?? []),
  };
}

/** A Gateway defined elsewhere: routes bind to it; what else it can do depends on what is known of its pods. */
class ImportedIngressGateway extends GatewayBase {
  public readonly imported = true;
  public readonly gatewayName: string;
  public readonly namespace: string;
  public readonly hosts: readonly string[];
  public readonly selector?: Readonly<Record<string, string>>;
  public readonly workloadNamespace?: string;
  public readonly workloadName?: string;
  public readonly serviceAccountName?: string;
  protected readonly baseName: string;
  protected readonly clientIpKnown: boolean;

  public constructor(scope: Construct, id: string, attrs: GatewayAttributes) {
    super(scope, validateId(scope, id));
    if (attrs === null || typeof attrs !== 'object') fail(this, 'attrs', attrs, 'Pass { name, namespace, hosts } of the existing Gateway.');
    checkArgs(this, '', attrs, SHAPES.GatewayAttributes);
    this.gatewayName = validateDnsSubdomain(this, 'name', attrs.name);
    this.namespace = validateDnsLabel(this, 'namespace', attrs.namespace);
    if (!Array.isArray(attrs.hosts) || attrs.hosts.length === 0) fail(this, 'hosts', attrs.hosts, 'List the hosts the existing Gateway serves.');
    attrs.hosts.forEach((h, i) => validateHost(this, `hosts[${i}]`, h));
    this.hosts = [...attrs.hosts];
    if (attrs.selector !== undefined) {
      this.selector = { ...validateLabels(this, 'selector', attrs.selector) };
      if (Object.keys(this.selector).length === 0) fail(this, 'selector', attrs.selector, 'Give at least one label of the gateway pods, or leave selector out.');
    }
    if (attrs.workloadNamespace !== undefined && attrs.selector === undefined) {
      fail(this, 'workloadNamespace', attrs.workloadNamespace, 'The pods\' namespace is only useful with their labels: give selector too.');
    }
    this.workloadNamespace = attrs.selector === undefined ? undefined : validateDnsLabel(this, 'workloadNamespace', attrs.workloadNamespace ?? attrs.namespace);
    this.serviceAccountName = attrs.serviceAccountName === undefined ? undefined : validateDnsLabel(this, 'serviceAccountName', attrs.serviceAccountName);
    this.workloadName = attrs.workloadName === undefined ? undefined : validateDnsSubdomain(this, 'workloadName', attrs.workloadName);
    this.baseName = this.workloadName ?? this.gatewayName;
    // The Gateway and its pods exist, so their namespaces do: objects of the app may go there.
    for (const ns of new Set([this.namespace, ...(this.workloadNamespace ? [this.workloadNamespace] : [])])) declareExistingNamespace(this, ns);
    this.clientIpKnown = attrs.clientIpKnown ?? false;
  }
}
