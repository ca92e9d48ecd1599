/**
 * The fields of Kubernetes and Istio objects the checks read, as precise read-only interfaces (a
 * subset of the published models: `kubernetes-models` and `@kubernetes-models/istio`, whose
 * classes are ES modules with validation attached; the analysis reads plain parsed YAML, where
 * any field may be missing or of the wrong type, so every field is optional and read through
 * {@link specOf}). The same interfaces serve every reader: the analysis, the Gateway API
 * conversion, explain and the picture; `isKind` narrows an object to one of the typed kinds below.
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
  /** Header operations for this destination. */
  readonly headers?: Headers;
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
  /** Matches paths case-insensitively. */
  readonly ignoreUriCase?: boolean;
  /** The URI scheme. */
  readonly scheme?: StringMatch;
  /** The labels of the calling workload (mesh only). */
  readonly sourceLabels?: Readonly<Record<string, string>>;
  /** The namespace of the calling workload (mesh only). */
  readonly sourceNamespace?: string;
  /** The prefix of the match's statistics. */
  readonly statPrefix?: string;
  readonly [key: string]: unknown;
}

/** An Istio `HeaderOperations`. */
export interface HeaderOperations {
  /** Headers to overwrite. */
  readonly set?: Readonly<Record<string, string>>;
  /** Headers to append. */
  readonly add?: Readonly<Record<string, string>>;
  /** Headers to remove. */
  readonly remove?: readonly string[];
}

/** An Istio `Headers`: operations on the request and on the response. */
export interface Headers {
  /** On the request. */
  readonly request?: HeaderOperations;
  /** On the response. */
  readonly response?: HeaderOperations;
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
  /** Several mirrors, each with its share. */
  readonly mirrors?: ReadonlyArray<{ readonly destination?: Destination; readonly percentage?: { readonly value?: number } }>;
  /** The share of requests mirrored. */
  readonly mirrorPercentage?: { readonly value?: number };
  /** A redirect instead of a route. */
  readonly redirect?: {
    readonly uri?: string; readonly authority?: string; readonly port?: number; readonly derivePort?: string;
    readonly scheme?: string; readonly redirectCode?: number;
  };
  /** A fixed response instead of a route. */
  readonly directResponse?: unknown;
  /** A delegate VirtualService. */
  readonly delegate?: unknown;
  /** Rewrites of the path and authority. */
  readonly rewrite?: { readonly uri?: string; readonly authority?: string; readonly uriRegexRewrite?: { readonly match?: string; readonly rewrite?: string } };
  /** The request timeout. */
  readonly timeout?: string;
  /** The retry policy. */
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  /** Fault injection. */
  readonly fault?: unknown;
  /** The CORS policy. */
  readonly corsPolicy?: {
    readonly allowOrigins?: readonly StringMatch[]; readonly allowMethods?: readonly string[]; readonly allowHeaders?: readonly string[];
    readonly exposeHeaders?: readonly string[]; readonly maxAge?: string; readonly allowCredentials?: boolean; readonly unmatchedPreflights?: string;
  };
  /** Header operations. */
  readonly headers?: Headers;
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
  /** The highest TLS version accepted. */
  readonly maxProtocolVersion?: string;
  /** The cipher suites accepted. */
  readonly cipherSuites?: readonly string[];
  /** The SANs a client certificate must carry. */
  readonly subjectAltNames?: readonly string[];
  /** A CA file path for client certificates. */
  readonly caCertificates?: string;
}

/** An Istio Gateway `Server`. */
export interface Server {
  /** The port. */
  readonly port?: { readonly number?: number; readonly name?: string; readonly protocol?: string; readonly targetPort?: number };
  /** The hosts. */
  readonly hosts?: readonly string[];
  /** The TLS settings of the server. */
  readonly tls?: ServerTls;
  /** The address the server binds to. */
  readonly bind?: string;
  /** The name. */
  readonly name?: string;
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
  /** The SNI sent in the handshake. */
  readonly sni?: string;
  /** The names accepted in the server's certificate. */
  readonly subjectAltNames?: readonly string[];
}

/** An Istio `TrafficPolicy` (the fields read by name; the others are carried as they are). */
export interface TrafficPolicy {
  /** The TLS settings. */
  readonly tls?: ClientTls;
  /** Policies for single ports. */
  readonly portLevelSettings?: ReadonlyArray<{ readonly port?: PortSelector; readonly tls?: ClientTls }>;
  readonly [key: string]: unknown;
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
  /** The application protocol (Istio reads it before the port name). */
  readonly appProtocol?: string;
}

/** `Service.spec`. */
export interface ServiceSpec {
  /** The type. */
  readonly type?: string;
  /** The pods it sends traffic to (in its namespace). */
  readonly selector?: Readonly<Record<string, string>>;
  /** The ports. */
  readonly ports?: readonly ServicePort[];
  /** Cluster or Local: whether a LoadBalancer Service keeps the client's address. */
  readonly externalTrafficPolicy?: string;
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
  /** Hooks at start and stop. */
  readonly lifecycle?: unknown;
  /** The volumes it mounts. */
  readonly volumeMounts?: readonly unknown[];
  readonly [key: string]: unknown;
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
  readonly topologySpreadConstraints?: ReadonlyArray<{ readonly topologyKey?: string; readonly labelSelector?: unknown; readonly [key: string]: unknown }>;
  /** Scheduling affinity. */
  readonly affinity?: { readonly podAntiAffinity?: unknown };
  /** The volumes. */
  readonly volumes?: readonly unknown[];
  /** Seconds between SIGTERM and SIGKILL. */
  readonly terminationGracePeriodSeconds?: number;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccountName?: string;
  readonly [key: string]: unknown;
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
  /** How pods are replaced. */
  readonly strategy?: unknown;
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

/** A VirtualService (networking.istio.io). */
export interface VirtualService extends KubernetesObject { readonly spec?: VirtualServiceSpec }
/** A Gateway (networking.istio.io). */
export interface IstioGateway extends KubernetesObject { readonly spec?: GatewaySpec }
/** A DestinationRule (networking.istio.io). */
export interface DestinationRule extends KubernetesObject { readonly spec?: DestinationRuleSpec }
/** A ServiceEntry (networking.istio.io). */
export interface ServiceEntry extends KubernetesObject { readonly spec?: ServiceEntrySpec }
/** A Service (core). */
export interface Service extends KubernetesObject { readonly spec?: ServiceSpec }
/** A workload (apps: Deployment, StatefulSet, DaemonSet, ReplicaSet; batch: Job). */
export interface Workload extends KubernetesObject { readonly spec?: WorkloadSpec }

/*
 * Checked views: the same interfaces where the fields the pinned CRDs and the Kubernetes API
 * require are present. A reader uses them for objects that passed schema validation (the Gateway
 * API conversion reads the package's own synthesized objects); hand-written YAML is read through
 * the interfaces above. They extend those interfaces, so both read the same names.
 */

/** A `Destination` of a schema-valid object: `host` is required. */
export interface CheckedDestination extends Destination { readonly host: string }
/** A weighted destination of a schema-valid object. */
export interface CheckedRouteDestination extends RouteDestination { readonly destination: CheckedDestination }
/** An `HTTPRoute` of a schema-valid VirtualService. */
export interface CheckedHttpRoute extends HttpRoute {
  readonly route?: readonly CheckedRouteDestination[];
  readonly mirror?: CheckedDestination;
  readonly mirrors?: ReadonlyArray<{ readonly destination: CheckedDestination; readonly percentage?: { readonly value?: number } }>;
}
/** A schema-valid VirtualService's spec. */
export interface CheckedVirtualServiceSpec extends VirtualServiceSpec { readonly http?: readonly CheckedHttpRoute[] }
/** A schema-valid VirtualService. */
export interface CheckedVirtualService extends VirtualService { readonly spec: CheckedVirtualServiceSpec }
/** A `Server` of a schema-valid Gateway: port (number, protocol) and hosts are required. */
export interface CheckedServer extends Server {
  readonly port: { readonly number: number; readonly name?: string; readonly protocol: string; readonly targetPort?: number };
  readonly hosts: readonly string[];
}
/** A schema-valid Istio Gateway's spec. */
export interface CheckedGatewaySpec extends GatewaySpec { readonly servers?: readonly CheckedServer[] }
/** A schema-valid Istio Gateway. */
export interface CheckedIstioGateway extends IstioGateway { readonly spec: CheckedGatewaySpec }
/** A subset of a schema-valid DestinationRule: `name` is required. */
export interface CheckedSubset extends Subset { readonly name: string }
/** A schema-valid DestinationRule's spec: `host` is required. */
export interface CheckedDestinationRuleSpec extends DestinationRuleSpec { readonly host: string; readonly subsets?: readonly CheckedSubset[] }
/** A schema-valid DestinationRule. */
export interface CheckedDestinationRule extends DestinationRule { readonly spec: CheckedDestinationRuleSpec }
/** A port of a schema-valid Service: `port` is required. */
export interface CheckedServicePort extends ServicePort { readonly port: number }
/** A schema-valid Service's spec. */
export interface CheckedServiceSpec extends ServiceSpec { readonly ports?: readonly CheckedServicePort[] }
/** A schema-valid Service. */
export interface CheckedService extends Service { readonly spec: CheckedServiceSpec }
/** A container of a schema-valid pod: `name` is required. */
export interface CheckedContainer extends Container { readonly name: string }
/** A schema-valid pod spec: the containers are required. */
export interface CheckedPodSpec extends PodSpec { readonly containers: readonly CheckedContainer[] }
/** A schema-valid pod template. */
export interface CheckedPodTemplateSpec extends PodTemplateSpec { readonly spec: CheckedPodSpec }
/** A schema-valid workload's spec: the pod template is required. */
export interface CheckedWorkloadSpec extends WorkloadSpec { readonly template: CheckedPodTemplateSpec }
/** A schema-valid workload. */
export interface CheckedWorkload extends Workload { readonly spec: CheckedWorkloadSpec }

/** Whether `o` is of `kind` in API `group` ("" for core), narrowing it to `T` (whose fields stay optional). */
export function isKind<T extends KubernetesObject>(o: KubernetesObject, group: string, kind: string): o is T {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const g = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return o.kind === kind && g === group;
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
