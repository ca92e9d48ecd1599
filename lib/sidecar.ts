/**
 * Istio's `Sidecar`: what the sidecars of a namespace (or of some workloads) may reach, and what
 * happens to calls to hosts the mesh does not know.
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { isIP } from 'node:net';
import { Sidecar as SidecarResource, SidecarSpecEgressCaptureMode, SidecarSpecIngressCaptureMode, SidecarSpecOutboundTrafficPolicyMode } from '../imports/istio-networking.istio.io';
import { fail } from './private/errors';
import { ServiceProtocol } from './service-entry';
import { validateDnsLabel, validateDnsSubdomain, validateLabels, validatePort } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs } from './private/args';
import { validateId } from './private/validate';
import { SHAPES } from './private/arg-shapes';

/** What a sidecar does with a call to a host outside its egress hosts (and the mesh's registry). */
export enum OutboundTrafficMode {
  /** Only hosts of the registry it imports: other calls get 502 from the BlackHole cluster. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Other calls pass through to the address the caller resolved (or to the egress proxy). */
  ALLOW_ANY = 'ALLOW_ANY',
}

/** How traffic reaches a listener of the sidecar. */
export enum CaptureMode {
  /** The environment's default (iptables where the sidecar is injected). */
  DEFAULT = 'DEFAULT',
  /** Captured by iptables. */
  IPTABLES = 'IPTABLES',
  /** Not captured: the application connects to the listener's bind address itself. */
  NONE = 'NONE',
}

/** A port of a sidecar listener. */
export interface SidecarPort {
  /**
   * The port number (0 for a Unix domain socket listener, whose `bind` is `unix://...`).
   */
  readonly number: number;
  /** The protocol. */
  readonly protocol: ServiceProtocol;
  /**
   * The port's name.
   * @default - none
   */
  readonly name?: string;
}

/** An egress listener: the hosts the sidecar imports (on one port, or on all). */
export interface SidecarEgressListener {
  /**
   * The hosts, as `namespace/dnsName`: the namespace of the Service, ServiceEntry or VirtualService
   * (`.` the Sidecar's own, `*` any, `~` none) and a DNS name (`*` every host, `*.example.com`).
   * `["./*", "istio-system/*"]` is the usual scoping.
   */
  readonly hosts: string[];
  /**
   * The port this listener applies to.
   * @default - every port (a catch-all listener: at most one, and it must be the last)
   */
  readonly port?: SidecarPort;
  /**
   * The address the listener binds (an IP, or `unix://path` for port 0).
   * @default - the sidecar's default
   */
  readonly bind?: string;
  /**
   * How traffic reaches the listener.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
}

/** An ingress listener: a port of the workload the sidecar accepts traffic on. */
export interface SidecarIngressListener {
  /** The port the sidecar listens on. */
  readonly port: SidecarPort;
  /**
   * Where the sidecar forwards the traffic: `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`,
   * `[::]:<port>`, `:<port>` or `unix:///path`.
   * @default - the workload's port of the same number
   */
  readonly defaultEndpoint?: string;
  /**
   * The address the listener binds (an IP).
   * @default - the pod's address
   */
  readonly bind?: string;
  /**
   * How traffic reaches the listener.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
}

/** An egress proxy for calls to unknown hosts (only with `OutboundTrafficMode.ALLOW_ANY`). */
export interface SidecarEgressProxy {
  /** The proxy's host: a fully qualified name of a Service or ServiceEntry ("egress.proxy.svc.cluster.local"). */
  readonly host: string;
  /** The proxy's port. */
  readonly port: number;
  /**
   * A subset of the proxy's DestinationRule.
   * @default - none
   */
  readonly subset?: string;
}

/** Props of {@link Sidecar}. */
export interface SidecarProps {
  /**
   * The Sidecar's name (`default` is the usual name of a namespace-wide one).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace. A Sidecar without `workloadSelector` in Istio's root namespace (istio-system) is
   * the mesh-wide default.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * Pod labels of the workloads it applies to. A namespace has at most one Sidecar without a
   * selector, and a pod at most one that selects it (the analysis checks both).
   * @default - every workload of the namespace without a Sidecar of its own
   */
  readonly workloadSelector?: Record<string, string>;
  /**
   * The egress listeners: the hosts the workloads may reach (and whose VirtualServices apply).
   * @default - every host of the mesh (Istio's default)
   */
  readonly egress?: SidecarEgressListener[];
  /**
   * The ingress listeners.
   * @default - the workload's ports, as Istio derives them from its Services
   */
  readonly ingress?: SidecarIngressListener[];
  /**
   * What happens to calls to hosts outside the imported registry.
   * @default - the mesh's setting (meshConfig.outboundTrafficPolicy, ALLOW_ANY unless changed)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /**
   * Where calls to unknown hosts go instead of passing through (needs `ALLOW_ANY`).
   * @default - passthrough to the caller's address
   */
  readonly egressProxy?: SidecarEgressProxy;
}

const UNIX = 'unix://';
const CATCH_ALL_FIX = 'There can be one egress listener without a port, and it must be the last (Istio\'s rule): give the others a port, or move it to the end.';

/**
 * A Sidecar: scopes what the sidecars of a namespace (or of the selected workloads) import
 * (egress hosts), sets the outbound traffic policy (REGISTRY_ONLY for an egress-gateway setup, where
 * external hosts are reachable only through the ServiceEntries and the egress gateway's routes),
 * and optionally declares the ingress listeners. Istio's webhook rules are checked here
 * (pkg/config/validation ValidateSidecar).
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
export class Sidecar extends Construct {
  /** The Sidecar's name. */
  public readonly sidecarName: string;
  /** The Sidecar's namespace. */
  public readonly namespace: string;
  /** The Sidecar resource. */
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass { egress, outboundTrafficPolicy, ... }.');
    checkArgs(this, '', props, SHAPES.SidecarProps);
    this.sidecarName = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    if (!props.egress?.length && !props.ingress?.length && props.outboundTrafficPolicy === undefined) {
      fail(this, 'props', '(empty)', 'Istio refuses an empty Sidecar: give egress hosts, ingress listeners or an outboundTrafficPolicy.');
    }
    const selector = props.workloadSelector === undefined ? undefined : this.selector(props.workloadSelector);
    const egress = props.egress?.map((l, i) => this.egressListener(l, i, props.egress!.length));
    const ports = new Set<number>();
    const sockets = new Set<string>();
    egress?.forEach((l, i) => {
      if (!l.port) return;
      if (l.port.number === 0) {
        if (sockets.has(l.bind ?? '')) fail(this, `egress[${i}].bind`, l.bind, 'Istio refuses two listeners on one Unix domain socket: give each its own path.');
        sockets.add(l.bind ?? '');
      } else {
        if (ports.has(l.port.number)) fail(this, `egress[${i}].port.number`, l.port.number, 'Istio refuses two egress listeners on one port: merge their hosts into one listener.');
        ports.add(l.port.number);
      }
    });
    const ingressPorts = new Set<number>();
    const ingress = props.ingress?.map((l, i) => {
      const listener = this.ingressListener(l, i);
      if (ingressPorts.has(listener.port.number)) fail(this, `ingress[${i}].port.number`, listener.port.number, 'Istio refuses two ingress listeners on one port: give each its own.');
      ingressPorts.add(listener.port.number);
      return listener;
    });
    const mode = props.outboundTrafficPolicy;
    if (mode !== undefined && !Object.values(OutboundTrafficMode).includes(mode)) {
      fail(this, 'outboundTrafficPolicy', mode, 'Use OutboundTrafficMode.REGISTRY_ONLY or ALLOW_ANY (ALLOW_ANY_DYNAMIC_DNS exists only in the mesh config).');
    }
    let egressProxy: Record<string, unknown> | undefined;
    if (props.egressProxy !== undefined) {
      if (mode !== OutboundTrafficMode.ALLOW_ANY) fail(this, 'egressProxy', props.egressProxy.host, 'Istio takes an egress proxy only with outboundTrafficPolicy OutboundTrafficMode.ALLOW_ANY: set it, or remove egressProxy.');
      const host = props.egressProxy.host;
      if (typeof host !== 'string' || host.includes('*')) fail(this, 'egressProxy.host', host, 'Give the fully qualified name of the proxy\'s Service or ServiceEntry, without wildcards.');
      validateHost(this, 'egressProxy.host', host, false);
      egressProxy = {
        host,
        port: { number: validatePort(this, 'egressProxy.port', props.egressProxy.port) },
        subset: props.egressProxy.subset === undefined ? undefined : validateDnsLabel(this, 'egressProxy.subset', props.egressProxy.subset),
      };
    }
    this.resource = new SidecarResource(this, 'Resource', {
      metadata: { name: this.sidecarName, namespace: this.namespace },
      spec: {
        workloadSelector: selector ? { labels: selector } : undefined,
        ingress: ingress?.map((l) => ({
          port: l.port, defaultEndpoint: l.defaultEndpoint, bind: l.bind, captureMode: l.captureMode as string as SidecarSpecIngressCaptureMode | undefined,
        })),
        egress: egress?.map((l) => ({
          port: l.port, bind: l.bind, captureMode: l.captureMode as string as SidecarSpecEgressCaptureMode | undefined, hosts: l.hosts,
        })),
        outboundTrafficPolicy: mode === undefined ? undefined : {
          mode: mode as string as SidecarSpecOutboundTrafficPolicyMode,
          egressProxy: egressProxy as { host: string; port?: { number: number }; subset?: string } | undefined,
        },
      },
    });
  }

  private selector(labels: Record<string, string>): Record<string, string> {
    if (labels === null || typeof labels !== 'object' || Object.keys(labels).length === 0) {
      fail(this, 'workloadSelector', labels, 'A selector without labels applies to the whole namespace (Istio warns of it): give the pods\' labels, or leave workloadSelector out for a namespace-wide Sidecar.');
    }
    for (const [k, v] of Object.entries(labels)) {
      if (k.includes('*') || String(v).includes('*')) fail(this, `workloadSelector["${k}"]`, v, 'Istio refuses wildcards in a workload selector: give exact labels.');
    }
    return { ...validateLabels(this, 'workloadSelector', labels) };
  }

  private port(property: string, port: SidecarPort, allowSocket: boolean): SidecarPort {
    if (port === null || typeof port !== 'object') fail(this, property, port, 'Give { number, protocol }.');
    if (!Object.values(ServiceProtocol).includes(port.protocol)) {
      fail(this, `${property}.protocol`, port.protocol, `Use one of ${Object.values(ServiceProtocol).map((v) => `ServiceProtocol.${v}`).join(', ')}.`);
    }
    const number = allowSocket && port.number === 0 ? 0 : validatePort(this, `${property}.number`, port.number);
    return { number, protocol: port.protocol, name: port.name === undefined ? undefined : validateDnsLabel(this, `${property}.name`, port.name) };
  }

  private bind(property: string, bind: string | undefined, socket: boolean): string | undefined {
    if (bind === undefined) {
      if (socket) fail(this, property, bind, 'A listener on port 0 is a Unix domain socket: give bind "unix:///path/to/socket".');
      return undefined;
    }
    if (socket) {
      if (typeof bind !== 'string' || !bind.startsWith(`${UNIX}/`)) fail(this, property, bind, 'A listener on port 0 binds a Unix domain socket: give "unix://" and an absolute path.');
    } else if (typeof bind !== 'string' || isIP(bind) === 0) {
      fail(this, property, bind, 'Give an IP address ("127.0.0.1", "0.0.0.0", "::1"); a Unix domain socket needs port number 0.');
    }
    return bind;
  }

  private captureMode(property: string, mode: CaptureMode | undefined, socket: boolean): CaptureMode | undefined {
    if (mode === undefined) return undefined;
    if (!Object.values(CaptureMode).includes(mode)) fail(this, property, mode, 'Use CaptureMode.DEFAULT, IPTABLES or NONE.');
    if (socket && mode === CaptureMode.IPTABLES) fail(this, property, mode, 'Istio takes capture mode DEFAULT or NONE for a Unix domain socket listener.');
    return mode;
  }

  private egressListener(l: SidecarEgressListener, i: number, count: number): Required<Pick<SidecarEgressListener, 'hosts'>> & SidecarEgressListener {
    const at = `egress[${i}]`;
    if (l === null || typeof l !== 'object') fail(this, at, l, 'Give { hosts: ["./*", "istio-system/*"] }.');
    if (l.port === undefined && i !== count - 1) fail(this, `${at}.port`, l.port, CATCH_ALL_FIX);
    const port = l.port === undefined ? undefined : this.port(`${at}.port`, l.port, true);
    const socket = port?.number === 0;
    const bind = this.bind(`${at}.bind`, l.bind, socket);
    const captureMode = this.captureMode(`${at}.captureMode`, l.captureMode, socket);
    if (!Array.isArray(l.hosts) || l.hosts.length === 0) fail(this, `${at}.hosts`, l.hosts, 'Istio refuses an egress listener without hosts: list them as "namespace/dnsName", for example ["./*", "istio-system/*"].');
    l.hosts.forEach((h, j) => this.egressHost(`${at}.hosts[${j}]`, h));
    return { port, bind, captureMode, hosts: [...l.hosts] };
  }

  /** An egress host as Istio's ValidateNamespaceSlashWildcardHostname reads it for a Sidecar. */
  private egressHost(property: string, host: string): void {
    const fix = 'Give "namespace/dnsName": the namespace ("." this one, "*" any, "~" none, or a name) and a DNS name ("*", "*.example.com" or a fully qualified name).';
    if (typeof host !== 'string') fail(this, property, host, fix);
    const slash = host.indexOf('/');
    if (slash < 0) fail(this, property, host, `Istio refuses a Sidecar host without a namespace. ${fix}`);
    const ns = host.slice(0, slash);
    const name = host.slice(slash + 1);
    if (ns === '' || name === '') fail(this, property, host, fix);
    if (!['*', '.', '~'].includes(ns)) validateDnsLabel(this, `${property} namespace`, ns);
    if (name === '*') return;
    if (!name.includes('.')) fail(this, property, host, `Istio refuses short names in Sidecar hosts: give the fully qualified name ("${name}.<namespace>.svc.cluster.local"), or "${ns}/*".`);
    validateHost(this, property, name, false);
  }

  private ingressListener(l: SidecarIngressListener, i: number): SidecarIngressListener {
    const at = `ingress[${i}]`;
    if (l === null || typeof l !== 'object' || l.port === undefined) fail(this, `${at}.port`, l?.port, 'Istio requires a port on each ingress listener: give { number, protocol }.');
    const port = this.port(`${at}.port`, l.port, false);
    const bind = this.bind(`${at}.bind`, l.bind, false);
    const captureMode = this.captureMode(`${at}.captureMode`, l.captureMode, false);
    const endpoint = l.defaultEndpoint;
    if (endpoint !== undefined) {
      const fix = 'Give "127.0.0.1:<port>", "0.0.0.0:<port>", "[::1]:<port>", "[::]:<port>" or "unix:///path" (Istio\'s rule).';
      if (typeof endpoint !== 'string') fail(this, `${at}.defaultEndpoint`, endpoint, fix);
      if (endpoint.startsWith(UNIX)) {
        if (!endpoint.startsWith(`${UNIX}/`)) fail(this, `${at}.defaultEndpoint`, endpoint, fix);
      } else {
        const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([0-9]+)$/.exec(endpoint);
        const host = m?.[1] ?? m?.[2];
        if (!m || !['', '127.0.0.1', '0.0.0.0', '::1', '::'].includes(host ?? '') || (m[1] === undefined && host!.includes(':'))) fail(this, `${at}.defaultEndpoint`, endpoint, fix);
        validatePort(this, `${at}.defaultEndpoint port`, Number(m[3]));
      }
    }
    return { port, defaultEndpoint: endpoint, bind, captureMode };
  }
}
