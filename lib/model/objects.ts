/**
 * The fields of Kubernetes and Istio objects the checks read, as precise read-only interfaces (a
 * subset of the published models: `kubernetes-models` and `@kubernetes-models/istio`, whose
 * classes are ES modules with validation attached; the analysis reads plain parsed YAML, where
 * any field may be missing or of the wrong type, so every field is optional and read through
 * {@link specOf}).
 */
import { KubernetesObject } from './kubernetes-object';

/** A Kubernetes label selector. */
export interface LabelSelector {
  /** Labels a pod must all have. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Set-based requirements a pod must all meet. */
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** An Istio `PortSelector`. */
export interface PortSelector { readonly number?: number }

/** An Istio `Destination`. */
export interface Destination {
  /** The host (a short name resolves in the rule's namespace). */
  readonly host?: string;
  /** A subset of the host's DestinationRule. */
  readonly subset?: string;
  /** The port. */
  readonly port?: PortSelector;
}

/** A weighted destination of a route. */
export interface RouteDestination {
  /** Where the share goes. */
  readonly destination?: Destination;
  /** The share of the route's traffic, in percent. */
  readonly weight?: number;
}

/** An Istio `StringMatch`. */
export interface StringMatch {
  /** Matches this exact value. */
  readonly exact?: string;
  /** Matches values starting with this. */
  readonly prefix?: string;
  /** Matches this RE2 expression. */
  readonly regex?: string;
}

/** An Istio `HTTPMatchRequest`. */
export interface HttpMatchRequest {
  /** The name. */
  readonly name?: string;
  /** The request path. */
  readonly uri?: StringMatch;
  /** The HTTP method. */
  readonly method?: StringMatch;
  /** The authority (Host header). */
  readonly authority?: StringMatch;
  /** Request headers, by name. */
  readonly headers?: Readonly<Record<string, StringMatch>>;
  /** Query parameters, by name. */
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  /** Headers the request must not have, by name. */
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  /** The port. */
  readonly port?: number;
  /** The Gateways (namespace/name) or "mesh" the rule applies to. */
  readonly gateways?: readonly string[];
  readonly [key: string]: unknown;
}

/** An Istio `HTTPRoute`. */
export interface HttpRoute {
  /** The name. */
  readonly name?: string;
  /** The conditions (any of them). */
  readonly match?: readonly HttpMatchRequest[];
  /** The weighted destinations. */
  readonly route?: readonly RouteDestination[];
  /** Where requests are mirrored. */
  readonly mirror?: Destination;
}

/** An Istio `TCPRoute` or `TLSRoute`. */
export interface L4Route {
  /** The conditions (any of them). */
  readonly match?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The weighted destinations. */
  readonly route?: readonly RouteDestination[];
}

/** `VirtualService.spec`. */
export interface VirtualServiceSpec {
  /** The hosts the routes apply to. */
  readonly hosts?: readonly string[];
  /** The Gateways (namespace/name) or "mesh" the rule applies to. */
  readonly gateways?: readonly string[];
  /** The HTTP routes, in order. */
  readonly http?: readonly HttpRoute[];
  /** The TCP routes, in order. */
  readonly tcp?: readonly L4Route[];
  /** The TLS routes (by SNI), in order. */
  readonly tls?: readonly L4Route[];
  /** The namespaces the config is visible from ("." own, "*" all, "~" none). */
  readonly exportTo?: readonly string[];
}

/** An Istio `ServerTLSSettings`. */
export interface ServerTls {
  /** The TLS mode. */
  readonly mode?: string;
  /** Redirects HTTP to HTTPS. */
  readonly httpsRedirect?: boolean;
  /** The Secret holding the certificate (and key or CA). */
  readonly credentialName?: string;
  /** Several credential Secrets. */
  readonly credentialNames?: readonly string[];
  /** A certificate file path. */
  readonly serverCertificate?: string;
  /** A key file path. */
  readonly privateKey?: string;
  /** Certificates given inline. */
  readonly tlsCertificates?: readonly unknown[];
  /** The lowest TLS version accepted. */
  readonly minProtocolVersion?: string;
}

/** An Istio Gateway `Server`. */
export interface Server {
  /** The port. */
  readonly port?: { readonly number?: number; readonly name?: string; readonly protocol?: string };
  /** The hosts. */
  readonly hosts?: readonly string[];
  /** The TLS settings of the server. */
  readonly tls?: ServerTls;
}

/** `Gateway.spec` (networking.istio.io). */
export interface GatewaySpec {
  /** The labels of the gateway pods (in any namespace). */
  readonly selector?: Readonly<Record<string, string>>;
  /** The servers (port, hosts, TLS). */
  readonly servers?: readonly Server[];
}

/** An Istio `ClientTLSSettings`. */
export interface ClientTls {
  /** The TLS mode. */
  readonly mode?: string;
  /** The CA to verify the server's certificate against. */
  readonly caCertificates?: string;
  /** The Secret holding the certificate (and key or CA). */
  readonly credentialName?: string;
  /** Skips verification of the server's certificate. */
  readonly insecureSkipVerify?: boolean;
}

/** An Istio `TrafficPolicy`. */
export interface TrafficPolicy {
  /** The TLS settings. */
  readonly tls?: ClientTls;
  /** Policies for single ports. */
  readonly portLevelSettings?: ReadonlyArray<{ readonly port?: PortSelector; readonly tls?: ClientTls }>;
}

/** A DestinationRule `Subset`. */
export interface Subset {
  /** The name. */
  readonly name?: string;
  /** Labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The traffic policy. */
  readonly trafficPolicy?: TrafficPolicy;
}

/** `DestinationRule.spec`. */
export interface DestinationRuleSpec {
  /** The host (a short name resolves in the rule's namespace). */
  readonly host?: string;
  /** The named subsets. */
  readonly subsets?: readonly Subset[];
  /** The traffic policy. */
  readonly trafficPolicy?: TrafficPolicy;
  /** The namespaces the config is visible from ("." own, "*" all, "~" none). */
  readonly exportTo?: readonly string[];
  /** The workloads it applies to. */
  readonly workloadSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** `ServiceEntry.spec`. */
export interface ServiceEntrySpec {
  /** The hosts. */
  readonly hosts?: readonly string[];
  /** The ports. */
  readonly ports?: ReadonlyArray<{ readonly number?: number; readonly name?: string; readonly protocol?: string }>;
  /** The namespaces the config is visible from ("." own, "*" all, "~" none). */
  readonly exportTo?: readonly string[];
  /** The workloads it applies to. */
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
}

/** A Service port. */
export interface ServicePort {
  /** The name. */
  readonly name?: string;
  /** The port. */
  readonly port?: number;
  /** The container port (number or name) traffic goes to. */
  readonly targetPort?: number | string;
  /** The protocol. */
  readonly protocol?: string;
}

/** `Service.spec`. */
export interface ServiceSpec {
  /** The type. */
  readonly type?: string;
  /** The pods it sends traffic to (in its namespace). */
  readonly selector?: Readonly<Record<string, string>>;
  /** The ports. */
  readonly ports?: readonly ServicePort[];
}

/** A container of a pod template. */
export interface Container {
  /** The name. */
  readonly name?: string;
  /** The image ("auto" for gateway injection). */
  readonly image?: string;
  /** The ports. */
  readonly ports?: ReadonlyArray<{ readonly containerPort?: number; readonly name?: string }>;
  /** Requests and limits. */
  readonly resources?: { readonly requests?: Readonly<Record<string, string | number>>; readonly limits?: Readonly<Record<string, string | number>> };
  /** The security context. */
  readonly securityContext?: SecurityContext;
}

/** A (pod or container) security context. */
export interface SecurityContext {
  /** Runs privileged. */
  readonly privileged?: boolean;
  /** The user id. */
  readonly runAsUser?: number;
  /** Refuses to run as root. */
  readonly runAsNonRoot?: boolean;
  /** Allows privilege escalation. */
  readonly allowPrivilegeEscalation?: boolean;
}

/** A pod spec. */
export interface PodSpec {
  /** The containers. */
  readonly containers?: readonly Container[];
  /** The init containers. */
  readonly initContainers?: readonly Container[];
  /** The security context. */
  readonly securityContext?: SecurityContext;
  /** How pods spread over topology domains. */
  readonly topologySpreadConstraints?: ReadonlyArray<{ readonly topologyKey?: string }>;
  /** Scheduling affinity. */
  readonly affinity?: { readonly podAntiAffinity?: unknown };
}

/** A pod template. */
export interface PodTemplateSpec {
  /** The pod template's metadata. */
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  /** The pod spec. */
  readonly spec?: PodSpec;
}

/** The spec of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
export interface WorkloadSpec {
  /** The number of pods. */
  readonly replicas?: number;
  /** The pods it manages. */
  readonly selector?: LabelSelector;
  /** The pod template. */
  readonly template?: PodTemplateSpec;
}

/** `HorizontalPodAutoscaler.spec` (autoscaling/v2). */
export interface HorizontalPodAutoscalerSpec {
  /** The workload it scales. */
  readonly scaleTargetRef?: { readonly apiVersion?: string; readonly kind?: string; readonly name?: string };
  /** The fewest pods. */
  readonly minReplicas?: number;
  /** The most pods. */
  readonly maxReplicas?: number;
  /** What it scales on. */
  readonly metrics?: ReadonlyArray<{
    /** The type. */
    readonly type?: string;
    /** The resource (cpu, memory) and its target. */
    readonly resource?: { readonly name?: string; readonly target?: { readonly type?: string } };
  }>;
}

/** `PodDisruptionBudget.spec`. */
export interface PodDisruptionBudgetSpec {
  /** The pods it protects (in its namespace). */
  readonly selector?: LabelSelector;
  /** Pods that must stay available (number or percentage). */
  readonly minAvailable?: number | string;
  /** Pods that may be unavailable (number or percentage). */
  readonly maxUnavailable?: number | string;
}

/** `EnvoyFilter.spec`. */
export interface EnvoyFilterSpec {
  /** The order among EnvoyFilters (lower first). */
  readonly priority?: number;
  /** The workloads it applies to. */
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
  /** The patches. */
  readonly configPatches?: ReadonlyArray<{
    /** What the patch applies to. */
    readonly applyTo?: string;
    /** The conditions (any of them). */
    readonly match?: {
      /** The proxies it applies to (by version). */
      readonly proxy?: { readonly proxyVersion?: string };
      /** The listener and filter it applies to. */
      readonly listener?: { readonly filterChain?: { readonly filter?: { readonly name?: string } } };
    };
    /** The operation and its value. */
    readonly patch?: { readonly operation?: string; readonly value?: unknown };
  }>;
}

/** The spec of a policy that selects workloads (AuthorizationPolicy, RequestAuthentication, PeerAuthentication, Telemetry). */
export interface WorkloadPolicySpec {
  /** The labels of the workloads it applies to. */
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  /** A resource it binds to instead of a selector. */
  readonly targetRef?: unknown;
  /** Resources it binds to instead of a selector. */
  readonly targetRefs?: readonly unknown[];
  /** ALLOW, DENY, AUDIT or CUSTOM. */
  readonly action?: string;
  /** The rules. */
  readonly rules?: ReadonlyArray<{ readonly to?: ReadonlyArray<{ readonly operation?: { readonly hosts?: readonly string[] } }> }>;
  /** The mutual TLS mode for the workloads. */
  readonly mtls?: { readonly mode?: string };
  /** Mutual TLS modes by port. */
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string } | undefined>>;
}

/** A Secret's fields. */
export interface SecretFields {
  /** The type. */
  readonly type?: string;
  /** Base64-encoded values, by key. */
  readonly data?: Readonly<Record<string, string>>;
  /** Plain values, by key. */
  readonly stringData?: Readonly<Record<string, string>>;
}

/** A MutatingWebhookConfiguration's webhooks. */
export interface MutatingWebhookFields {
  /** The webhooks. */
  readonly webhooks?: ReadonlyArray<{ readonly name?: string; readonly namespaceSelector?: LabelSelector; readonly objectSelector?: LabelSelector }>;
}

/** An object's `spec`, typed as `T` (every field of which is optional); `{}` when absent or not an object. */
export function specOf<T>(o: KubernetesObject): T {
  const spec = o.spec;
  return (spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? spec : {}) as T;
}

/** The object itself typed as `T` for kinds whose fields are top-level (Secret, webhooks). */
export function fieldsOf<T>(o: KubernetesObject): T {
  return o as unknown as T;
}

/** `value` when it is an array, else `[]`: parsed YAML may hold anything where a list is expected. */
export function list<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [];
}

/** `value` when it is a string map, else `{}`. */
export function labelsOf(value: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
