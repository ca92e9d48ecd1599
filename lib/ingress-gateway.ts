/**
 * An Istio ingress gateway: the `Gateway` resource, the pods that serve it (gateway-workload.ts),
 * rate limits and authorization at the gateway. Owned (`new IngressGateway`) and imported
 * (`IngressGateway.fromGatewayAttributes`) gateways implement the same {@link IIngressGateway}.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import {
  Gateway, GatewaySpec, GatewaySpecServers, GatewaySpecServersTlsMinProtocolVersion, GatewaySpecServersTlsMode,
} from '../imports/istio-networking.istio.io';
import { AuthorizationPolicy } from '../imports/istio-security.istio.io';
import type { AppRouteOptions } from './app-route';
import { AppRoute } from './app-route';
import { Certificate } from './certificate';
import { fail } from './errors';
import {
  DenyRequestsOptions, GatewayAuthorization, RequireJwtOptions, SourceIpAllowListOptions,
} from './gateway-authorization';
import { HttpServerOptions, HttpsServerOptions, TlsMode, TlsVersion } from './gateway-server';
import { GatewayServicePort, GatewayWorkload, GatewayWorkloadSettings } from './gateway-workload';
import { principal } from './private/identity';
import { validateDnsLabel, validateDnsSubdomain, validateHost, validateLabels, validatePort } from './private/validate';
import { RateLimit } from './rate-limit';

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
  private rateLimitCount = 0;
  private authorization?: GatewayAuthorization;

  public get principal(): string | undefined {
    return this.serviceAccountName && this.workloadNamespace ? principal(this.workloadNamespace, this.serviceAccountName) : undefined;
  }

  public addRoute(id: string, options: AppRouteOptions = {}): AppRoute {
    return new AppRoute(this, id, { ...options, gateways: [this] });
  }

  public addRateLimit(limit: RateLimit): void {
    const index = this.rateLimitCount++;
    if (!(limit instanceof RateLimit)) fail(this, `rateLimits[${index}]`, limit, 'Use RateLimit.local({...}) or RateLimit.global({...}).');
    const pods = this.pods(`rateLimits[${index}]`);
    limit._create(this, `RateLimit${index}`, `rateLimits[${index}]`, {
      namespace: pods.namespace,
      selector: pods.selector,
      baseName: this.baseName,
      gateway: `${this.namespace}/${this.gatewayName}`,
      clientAddressKnown: this.clientIpKnown,
    });
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
      ...this.pods('authorization'), baseName: this.baseName, hosts: this.hosts, clientIpKnown: this.clientIpKnown,
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
  /** The gateway pods' Deployment: the managed one, or the existing one's when given. */
  public readonly workloadName?: string;
  public readonly autoscalerName?: string;
  public readonly disruptionBudgetName?: string;
  protected readonly baseName: string;
  protected readonly clientIpKnown: boolean;
  private readonly _hosts: string[] = [];
  private readonly servers: GatewaySpecServers[];

  public constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass the gateway\'s props, at least { hosts: ["shop.example.com"] }.');
    const workload = props.workload ?? GatewayWorkload.managed();
    if (!(workload instanceof GatewayWorkload)) fail(this, 'workload', workload, 'Use GatewayWorkload.managed(...), GatewayWorkload.existing(...) or GatewayWorkload.aksAddon(...).');
    this.gatewayName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? workload._defaultGatewayNamespace() ?? 'istio-ingress');
    const bound = workload._bind(this, this.namespace, props);
    this.workloadNamespace = bound.namespace;
    this.workloadName = bound.deploymentName;
    this.baseName = bound.name;
    this.selector = bound.selector;
    this.serviceAccountName = bound.serviceAccountName;
    this.clientIpKnown = bound.clientIpKnown;

    if (!Array.isArray(props.hosts) || props.hosts.length === 0) fail(this, 'hosts', props.hosts, 'List at least one host the gateway serves, for example ["shop.example.com"].');
    props.hosts.forEach((h) => this.addHost(h));

    this.servers = this.buildServers(props);
    if (props.https && !(props.https.certificate instanceof Certificate)) {
      fail(this, 'https.certificate', props.https.certificate, 'An HTTPS server needs a credential: set certificate to Certificate.fromSecret("<tls secret in the gateway namespace>").');
    }
    const certificate = props.https?.certificate._bind(this, { namespace: this.workloadNamespace, hosts: () => this._hosts, deploysPods: bound.deploysPods });
    this.gateway = new Gateway(this, 'Resource', {
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderSpec() }) as GatewaySpec,
    });

    const ports: GatewayServicePort[] = this.servers.map((s) => ({
      number: s.port?.number ?? 0,
      name: s.port?.name === 'http' ? 'http2' : 'https',
    }));
    const created = workload._deploy(this, bound, props, ports, certificate);
    this.deployment = created.deployment;
    this.service = created.service;
    this.autoscaler = created.autoscaler;
    this.disruptionBudget = created.disruptionBudget;
    this.autoscalerName = created.autoscaler?.name;
    this.disruptionBudgetName = created.disruptionBudget?.name;
    if (props.rateLimits !== undefined && !Array.isArray(props.rateLimits)) fail(this, 'rateLimits', props.rateLimits, 'Give a list of RateLimit.local(...) or RateLimit.global(...).');
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
      const port = validatePort(this, 'https.port', https.port ?? 443);
      if (httpEnabled && servers[0].port?.number === port) fail(this, 'https.port', port, 'The HTTP and HTTPS servers need different ports.');
      servers.push({
        port: { number: port, name: 'https', protocol: 'HTTPS' },
        hosts: this._hosts,
        tls: {
          mode: tlsMode(this, https.mode ?? TlsMode.SIMPLE),
          credentialName: https.certificate?.credentialName,
          minProtocolVersion: tlsVersion(this, https.minProtocolVersion ?? TlsVersion.TLSV1_2),
        },
      });
    } else if (props.http?.enabled === false) {
      fail(this, 'http.enabled', false, 'A gateway needs at least one server: keep HTTP enabled or configure https.');
    }
    if (https?.redirectHttp && !httpEnabled) fail(this, 'https.redirectHttp', true, 'Redirecting HTTP needs the HTTP server: remove redirectHttp or enable http.');
    return servers;
  }

  private renderSpec(): GatewaySpec {
    return { selector: { ...this.selector }, servers: this.servers.map((s) => ({ ...s, hosts: [...this._hosts] })) };
  }
}

/** The generated enums hold the same values under other names (`TLSV1_UNDERSCORE_2`). */
const TLS_MODES: Record<TlsMode, GatewaySpecServersTlsMode> = {
  [TlsMode.SIMPLE]: GatewaySpecServersTlsMode.SIMPLE,
  [TlsMode.MUTUAL]: GatewaySpecServersTlsMode.MUTUAL,
};
const TLS_VERSIONS: Record<TlsVersion, GatewaySpecServersTlsMinProtocolVersion> = {
  [TlsVersion.TLSV1_2]: GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_2,
  [TlsVersion.TLSV1_3]: GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_3,
};

function tlsMode(scope: IConstruct, mode: TlsMode): GatewaySpecServersTlsMode {
  const found = TLS_MODES[mode];
  if (!found) fail(scope, 'https.mode', mode, `Use one of ${Object.values(TlsMode).map((m) => `TlsMode.${m}`).join(', ')}.`);
  return found;
}

function tlsVersion(scope: IConstruct, version: TlsVersion): GatewaySpecServersTlsMinProtocolVersion {
  const found = TLS_VERSIONS[version];
  if (!found) fail(scope, 'https.minProtocolVersion', version, `Use one of ${Object.values(TlsVersion).map((v) => `TlsVersion.${v}`).join(', ')}.`);
  return found;
}

/** A Gateway defined elsewhere: routes bind to it; what else it can do depends on what is known of its pods. */
class ImportedIngressGateway extends GatewayBase {
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
    super(scope, id);
    if (attrs === null || typeof attrs !== 'object') fail(this, 'attrs', attrs, 'Pass { name, namespace, hosts } of the existing Gateway.');
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
    this.clientIpKnown = attrs.clientIpKnown ?? false;
  }
}
