/**
 * The fields of Kubernetes and Istio objects the checks read, as precise read-only interfaces (a
 * subset of the published models: `kubernetes-models` and `@kubernetes-models/istio`, whose
 * classes are ES modules with validation attached; the analysis reads plain parsed YAML, where
 * any field may be missing or of the wrong type, so every field is optional and read through
 * {@link specOf}).
 */
import { KubernetesObject } from '../kubernetes-object';

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** An Istio `PortSelector`. */
export interface PortSelector { readonly number?: number }

/** An Istio `Destination`. */
export interface Destination {
  readonly host?: string;
  readonly subset?: string;
  readonly port?: PortSelector;
}

/** A weighted destination of a route. */
export interface RouteDestination {
  readonly destination?: Destination;
  readonly weight?: number;
}

/** An Istio `StringMatch`. */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** An Istio `HTTPMatchRequest`. */
export interface HttpMatchRequest {
  readonly name?: string;
  readonly uri?: StringMatch;
  readonly method?: StringMatch;
  readonly authority?: StringMatch;
  readonly headers?: Readonly<Record<string, StringMatch>>;
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  readonly port?: number;
  readonly gateways?: readonly string[];
  readonly [key: string]: unknown;
}

/** An Istio `HTTPRoute`. */
export interface HttpRoute {
  readonly name?: string;
  readonly match?: readonly HttpMatchRequest[];
  readonly route?: readonly RouteDestination[];
  readonly mirror?: Destination;
}

/** An Istio `TCPRoute` or `TLSRoute`. */
export interface L4Route {
  readonly match?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly route?: readonly RouteDestination[];
}

/** `VirtualService.spec`. */
export interface VirtualServiceSpec {
  readonly hosts?: readonly string[];
  readonly gateways?: readonly string[];
  readonly http?: readonly HttpRoute[];
  readonly tcp?: readonly L4Route[];
  readonly tls?: readonly L4Route[];
  readonly exportTo?: readonly string[];
}

/** An Istio `ServerTLSSettings`. */
export interface ServerTls {
  readonly mode?: string;
  readonly httpsRedirect?: boolean;
  readonly credentialName?: string;
  readonly credentialNames?: readonly string[];
  readonly serverCertificate?: string;
  readonly privateKey?: string;
  readonly tlsCertificates?: readonly unknown[];
  readonly minProtocolVersion?: string;
}

/** An Istio Gateway `Server`. */
export interface Server {
  readonly port?: { readonly number?: number; readonly name?: string; readonly protocol?: string };
  readonly hosts?: readonly string[];
  readonly tls?: ServerTls;
}

/** `Gateway.spec` (networking.istio.io). */
export interface GatewaySpec {
  readonly selector?: Readonly<Record<string, string>>;
  readonly servers?: readonly Server[];
}

/** An Istio `ClientTLSSettings`. */
export interface ClientTls {
  readonly mode?: string;
  readonly caCertificates?: string;
  readonly credentialName?: string;
  readonly insecureSkipVerify?: boolean;
}

/** An Istio `TrafficPolicy`. */
export interface TrafficPolicy {
  readonly tls?: ClientTls;
  readonly portLevelSettings?: ReadonlyArray<{ readonly port?: PortSelector; readonly tls?: ClientTls }>;
}

/** A DestinationRule `Subset`. */
export interface Subset {
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trafficPolicy?: TrafficPolicy;
}

/** `DestinationRule.spec`. */
export interface DestinationRuleSpec {
  readonly host?: string;
  readonly subsets?: readonly Subset[];
  readonly trafficPolicy?: TrafficPolicy;
  readonly exportTo?: readonly string[];
  readonly workloadSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** `ServiceEntry.spec`. */
export interface ServiceEntrySpec {
  readonly hosts?: readonly string[];
  readonly ports?: ReadonlyArray<{ readonly number?: number; readonly name?: string; readonly protocol?: string }>;
  readonly exportTo?: readonly string[];
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
}

/** A Service port. */
export interface ServicePort {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
}

/** `Service.spec`. */
export interface ServiceSpec {
  readonly type?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports?: readonly ServicePort[];
}

/** A container of a pod template. */
export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly ports?: ReadonlyArray<{ readonly containerPort?: number; readonly name?: string }>;
  readonly resources?: { readonly requests?: Readonly<Record<string, string | number>>; readonly limits?: Readonly<Record<string, string | number>> };
  readonly securityContext?: SecurityContext;
}

/** A (pod or container) security context. */
export interface SecurityContext {
  readonly privileged?: boolean;
  readonly runAsUser?: number;
  readonly runAsNonRoot?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
}

/** A pod spec. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly securityContext?: SecurityContext;
  readonly topologySpreadConstraints?: ReadonlyArray<{ readonly topologyKey?: string }>;
  readonly affinity?: { readonly podAntiAffinity?: unknown };
}

/** A pod template. */
export interface PodTemplateSpec {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: PodSpec;
}

/** The spec of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
export interface WorkloadSpec {
  readonly replicas?: number;
  readonly selector?: LabelSelector;
  readonly template?: PodTemplateSpec;
}

/** `HorizontalPodAutoscaler.spec` (autoscaling/v2). */
export interface HorizontalPodAutoscalerSpec {
  readonly scaleTargetRef?: { readonly apiVersion?: string; readonly kind?: string; readonly name?: string };
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly metrics?: ReadonlyArray<{
    readonly type?: string;
    readonly resource?: { readonly name?: string; readonly target?: { readonly type?: string } };
  }>;
}

/** `PodDisruptionBudget.spec`. */
export interface PodDisruptionBudgetSpec {
  readonly selector?: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** `EnvoyFilter.spec`. */
export interface EnvoyFilterSpec {
  readonly priority?: number;
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
  readonly configPatches?: ReadonlyArray<{
    readonly applyTo?: string;
    readonly match?: {
      readonly proxy?: { readonly proxyVersion?: string };
      readonly listener?: { readonly filterChain?: { readonly filter?: { readonly name?: string } } };
    };
    readonly patch?: { readonly operation?: string; readonly value?: unknown };
  }>;
}

/** The spec of a policy that selects workloads (AuthorizationPolicy, RequestAuthentication, PeerAuthentication, Telemetry). */
export interface WorkloadPolicySpec {
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly targetRef?: unknown;
  readonly targetRefs?: readonly unknown[];
  readonly action?: string;
  readonly rules?: ReadonlyArray<{ readonly to?: ReadonlyArray<{ readonly operation?: { readonly hosts?: readonly string[] } }> }>;
  readonly mtls?: { readonly mode?: string };
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string } | undefined>>;
}

/** A Secret's fields. */
export interface SecretFields {
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly stringData?: Readonly<Record<string, string>>;
}

/** A MutatingWebhookConfiguration's webhooks. */
export interface MutatingWebhookFields {
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
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a string map, else `{}`. */
export function labelsOf(value: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
