/**
 * Services outside the mesh's registry (external APIs, databases, VMs) as Istio `ServiceEntry`
 * objects, routable from `AppRoute` like any Service.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceEntry as ServiceEntryResource, ServiceEntrySpecLocation, ServiceEntrySpecResolution } from '../imports/istio-networking.istio.io';
import { fail } from './private/errors';
import { IRoutableService, IRouteTarget } from './service-reference';
import { isIpAddress, isIpOrCidr, validateDnsLabel, validateDnsSubdomain, validateExportToList, validateLabels, validatePort, validatePositiveInteger } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs } from './private/args';
import { validateId } from './private/validate';
import { SHAPES } from './private/arg-shapes';

/** The protocol of a ServiceEntry port. */
export enum ServiceProtocol {
  HTTP = 'HTTP',
  HTTPS = 'HTTPS',
  HTTP2 = 'HTTP2',
  GRPC = 'GRPC',
  TLS = 'TLS',
  TCP = 'TCP',
  MONGO = 'MONGO',
}

/** Protocols whose requests name their host (Host header or SNI): Istio's `IsHTTP() || IsTLS()`. */
const HOST_AWARE_PROTOCOLS: ReadonlySet<string> = new Set([ServiceProtocol.HTTP, ServiceProtocol.HTTPS, ServiceProtocol.HTTP2, ServiceProtocol.GRPC, ServiceProtocol.TLS]);

/** How the proxy finds the endpoints of a ServiceEntry's hosts. */
export enum ServiceResolution {
  /** No resolution: connections go to the address the caller resolved (wildcard hosts, passthrough). */
  NONE = 'NONE',
  /** The addresses listed in `endpoints`. */
  STATIC = 'STATIC',
  /** DNS, every address the name resolves to (asynchronously). */
  DNS = 'DNS',
  /** DNS, the first address only (for hosts with many short-lived addresses). */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
}

/** Whether a ServiceEntry's hosts are outside or inside the mesh. */
export enum ServiceLocation {
  /** Outside the mesh: no mutual TLS, metrics as external. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (VMs with a proxy, for example). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** A port of a ServiceEntry. */
export interface ServiceEntryPort {
  /** The port number. */
  readonly number: number;
  /** The protocol. */
  readonly protocol: ServiceProtocol;
  /**
   * The port's name.
   * @default - the protocol in lower case, suffixed with the number when there are several ports
   */
  readonly name?: string;
  /**
   * The endpoints' port, when it differs.
   * @default - the same as `number`
   */
  readonly targetPort?: number;
}

/** An endpoint of a ServiceEntry (STATIC or DNS resolution). */
export interface ServiceEntryEndpoint {
  /** An IP address, or a DNS name with DNS resolution. */
  readonly address: string;
  /**
   * Per-port-name overrides of the endpoint's ports.
   * @default - the ports' target ports
   */
  readonly ports?: Record<string, number>;
  /**
   * Labels (for DestinationRule subsets).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Locality ("region/zone/subzone").
   * @default - none
   */
  readonly locality?: string;
  /**
   * Load-balancing weight.
   * @default - equal weights
   */
  readonly weight?: number;
}

/** Props of {@link ServiceEntry}. */
export interface ServiceEntryProps {
  /**
   * The ServiceEntry's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /** The hosts (DNS names; a wildcard needs resolution NONE). */
  readonly hosts: string[];
  /** The ports. */
  readonly ports: ServiceEntryPort[];
  /**
   * How endpoints are found.
   * @default ServiceResolution.DNS
   */
  readonly resolution?: ServiceResolution;
  /**
   * Outside or inside the mesh.
   * @default ServiceLocation.MESH_EXTERNAL
   */
  readonly location?: ServiceLocation;
  /**
   * The endpoints (required with STATIC resolution; not allowed with NONE).
   * @default - the hosts themselves (DNS)
   */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Virtual IPs or CIDR ranges of the service (CIDRs only with NONE or STATIC resolution).
   * @default - none
   */
  readonly addresses?: string[];
  /**
   * The namespaces the ServiceEntry is visible to ("." its own, "*" all).
   * @default - all namespaces (Istio's default)
   */
  readonly exportTo?: string[];
}

/**
 * A ServiceEntry: hosts outside the registry added to the mesh, so that sidecars and gateways can
 * route to them (`Traffic.to(serviceEntry)`), apply DestinationRules (TLS origination, for example)
 * and report their metrics.
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
export class ServiceEntry extends Construct implements IRoutableService, IRouteTarget {
  /** The ServiceEntry's name. */
  public readonly serviceName: string;
  public readonly namespace: string;
  /** The hosts. */
  public readonly hosts: readonly string[];
  public readonly servicePorts: readonly number[];
  /** The first host: what routes to the ServiceEntry itself name. */
  public readonly routeHost: string;
  public readonly deploymentNames: readonly string[] = [];
  public readonly autoscalerNames: readonly string[] = [];
  public readonly routableService: IRoutableService = this;
  /** The ServiceEntry resource. */
  public readonly resource: ApiObject;
  private readonly hostTargets = new Map<string, ServiceEntryHost>();

  public constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass { hosts, ports, ... }.');
    checkArgs(this, '', props, SHAPES.ServiceEntryProps);
    this.serviceName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) fail(this, 'hosts', props.hosts, 'List the hosts, for example ["api.stripe.com"].');
    props.hosts.forEach((h, i) => validateHost(this, `hosts[${i}]`, h, false));
    this.hosts = [...props.hosts];
    this.routeHost = this.hosts[0];
    const resolution = props.resolution ?? ServiceResolution.DNS;
    if (!Object.values(ServiceResolution).includes(resolution)) fail(this, 'resolution', resolution, 'Use ServiceResolution.NONE, STATIC, DNS or DNS_ROUND_ROBIN.');
    const location = props.location ?? ServiceLocation.MESH_EXTERNAL;
    if (!Object.values(ServiceLocation).includes(location)) fail(this, 'location', location, 'Use ServiceLocation.MESH_EXTERNAL or MESH_INTERNAL.');
    if (resolution !== ServiceResolution.NONE) {
      props.hosts.forEach((h, i) => {
        if (h.includes('*')) fail(this, `hosts[${i}]`, h, 'A wildcard host cannot be resolved by DNS: use resolution ServiceResolution.NONE, or list the exact hosts.');
      });
    }
    if (!Array.isArray(props.ports) || props.ports.length === 0) fail(this, 'ports', props.ports, 'List the ports, for example [{ number: 443, protocol: ServiceProtocol.TLS }].');
    const ports = props.ports.map((p, i) => {
      if (!Object.values(ServiceProtocol).includes(p?.protocol)) fail(this, `ports[${i}].protocol`, p?.protocol, `Use one of ${Object.values(ServiceProtocol).map((v) => `ServiceProtocol.${v}`).join(', ')}.`);
      const number = validatePort(this, `ports[${i}].number`, p.number);
      return {
        number,
        protocol: p.protocol,
        name: validateDnsLabel(this, `ports[${i}].name`, p.name ?? (props.ports.length > 1 ? `${p.protocol.toLowerCase()}-${number}` : p.protocol.toLowerCase())),
        targetPort: p.targetPort === undefined ? undefined : validatePort(this, `ports[${i}].targetPort`, p.targetPort),
      };
    });
    for (const key of ['number', 'name'] as const) {
      const seen = new Set<unknown>();
      ports.forEach((p, i) => {
        if (seen.has(p[key])) fail(this, `ports[${i}].${key}`, p[key], `Each port ${key} may appear once.`);
        seen.add(p[key]);
      });
    }
    this.servicePorts = ports.map((p) => p.number);
    if (resolution === ServiceResolution.NONE && props.endpoints?.length) fail(this, 'endpoints', '(set)', 'Resolution NONE takes no endpoints: remove them, or use STATIC or DNS.');
    if (resolution === ServiceResolution.STATIC && !props.endpoints?.length) fail(this, 'endpoints', props.endpoints, 'STATIC resolution needs the endpoints\' addresses.');
    if (resolution === ServiceResolution.DNS_ROUND_ROBIN && (props.endpoints?.length ?? 0) > 1) fail(this, 'endpoints', props.endpoints?.length, 'DNS_ROUND_ROBIN takes at most one endpoint: use DNS for several.');
    const endpoints = props.endpoints?.map((e, i) => {
      if (typeof e?.address !== 'string' || e.address === '') fail(this, `endpoints[${i}].address`, e?.address, 'Give an IP address or a DNS name.');
      if (resolution === ServiceResolution.STATIC && !isIpAddress(e.address) && !/^unix:\/\/./.test(e.address)) {
        fail(this, `endpoints[${i}].address`, e.address, 'STATIC resolution takes IP addresses (or unix:// sockets), as Istio\'s webhook checks: use DNS resolution for a name.');
      }
      for (const [name] of Object.entries(e.ports ?? {})) {
        if (!ports.some((p) => p.name === name)) fail(this, `endpoints[${i}].ports`, name, `Name a port of the ServiceEntry (${ports.map((p) => p.name).join(', ')}).`);
      }
      return {
        address: e.address,
        ports: e.ports ? Object.fromEntries(Object.entries(e.ports).map(([k, v]) => [k, validatePort(this, `endpoints[${i}].ports.${k}`, v)])) : undefined,
        labels: e.labels ? { ...validateLabels(this, `endpoints[${i}].labels`, e.labels) } : undefined,
        locality: e.locality,
        weight: e.weight === undefined ? undefined : validatePositiveInteger(this, `endpoints[${i}].weight`, e.weight),
      };
    });
    // Istio's webhook (ValidateServiceEntry): with several hosts, a plain TCP (or MONGO) port cannot
    // tell the hosts apart (no Host header, no SNI), so it is refused unless resolution is NONE.
    if (resolution !== ServiceResolution.NONE && this.hosts.length > 1) {
      const i = ports.findIndex((p) => !HOST_AWARE_PROTOCOLS.has(p.protocol));
      if (i >= 0) {
        fail(this, `ports[${i}].protocol`, ports[i].protocol, `A ${ports[i].protocol} port cannot tell ${this.hosts.length} hosts apart (no Host header or SNI), and Istio's webhook refuses it: give each host its own ServiceEntry, use an HTTP or TLS protocol, or resolution ServiceResolution.NONE.`);
      }
    }
    props.addresses?.forEach((a, i) => {
      if (typeof a !== 'string' || !isIpOrCidr(a)) fail(this, `addresses[${i}]`, a, 'Give an IP address or a CIDR range.');
      if (a.includes('/') && resolution !== ServiceResolution.NONE && resolution !== ServiceResolution.STATIC) {
        fail(this, `addresses[${i}]`, a, 'CIDR ranges need resolution NONE or STATIC.');
      }
    });
    this.resource = new ServiceEntryResource(this, 'Resource', {
      metadata: { name: this.serviceName, namespace: this.namespace },
      spec: {
        hosts: [...this.hosts],
        addresses: props.addresses ? [...props.addresses] : undefined,
        ports,
        resolution: resolution as string as ServiceEntrySpecResolution,
        location: location as string as ServiceEntrySpecLocation,
        endpoints,
        exportTo: validateExportToList(this, 'exportTo', props.exportTo, this.namespace, true),
      },
    });
  }

  /** A route target for one of the hosts (the ServiceEntry itself targets the first). */
  public host(name: string): IRoutableService & IRouteTarget {
    if (!this.hosts.includes(name)) fail(this, 'host', name, `The ServiceEntry has the hosts ${this.hosts.join(', ')}: route to one of them.`);
    if (name === this.routeHost) return this;
    let target = this.hostTargets.get(name);
    if (!target) {
      target = new ServiceEntryHost(this, `Host-${name.replace(/[^a-zA-Z0-9-]/g, '-')}`, this, name);
      this.hostTargets.set(name, target);
    }
    return target;
  }

  public hasSubset(): boolean {
    // Subsets of a ServiceEntry's host are defined by a DestinationRule (destinationRule.subset(...)).
    return false;
  }
}

/** One host of a ServiceEntry as a route target. */
class ServiceEntryHost extends Construct implements IRoutableService, IRouteTarget {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly servicePorts: readonly number[];
  public readonly deploymentNames: readonly string[] = [];
  public readonly autoscalerNames: readonly string[] = [];
  public readonly routableService: IRoutableService = this;

  public constructor(scope: Construct, id: string, entry: ServiceEntry, public readonly routeHost: string) {
    super(scope, id);
    this.serviceName = entry.serviceName;
    this.namespace = entry.namespace;
    this.servicePorts = entry.servicePorts;
  }

  public hasSubset(): boolean {
    return false;
  }
}
