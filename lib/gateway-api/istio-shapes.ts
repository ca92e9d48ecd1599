/**
 * The parts of synthesized Istio and Kubernetes objects the Gateway API conversion reads, typed
 * after the Istio and Kubernetes APIs (only the fields it reads).
 */
import { KubernetesObject } from '../model/kubernetes-object';

/** A StringMatch of Istio. */
export interface IstioStringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** An HTTPMatchRequest. */
export interface IstioHttpMatch {
  readonly name?: string;
  readonly uri?: IstioStringMatch;
  readonly headers?: Readonly<Record<string, IstioStringMatch>>;
  readonly withoutHeaders?: Readonly<Record<string, IstioStringMatch>>;
  readonly queryParams?: Readonly<Record<string, IstioStringMatch>>;
  readonly method?: IstioStringMatch;
  readonly ignoreUriCase?: boolean;
  readonly port?: number;
  readonly authority?: IstioStringMatch;
  readonly scheme?: IstioStringMatch;
  readonly sourceLabels?: Readonly<Record<string, string>>;
  readonly sourceNamespace?: string;
  readonly gateways?: readonly string[];
  readonly statPrefix?: string;
}

/** A Destination. */
export interface IstioDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: { readonly number?: number };
}

/** Header operations. */
export interface IstioHeaderOps {
  readonly set?: Readonly<Record<string, string>>;
  readonly add?: Readonly<Record<string, string>>;
  readonly remove?: readonly string[];
}

/** An HTTPRouteDestination. */
export interface IstioRouteDestination {
  readonly destination: IstioDestination;
  readonly weight?: number;
  readonly headers?: { readonly request?: IstioHeaderOps; readonly response?: IstioHeaderOps };
}

/** An HTTPRoute of a VirtualService. */
export interface IstioHttpRoute {
  readonly name?: string;
  readonly match?: readonly IstioHttpMatch[];
  readonly route?: readonly IstioRouteDestination[];
  readonly redirect?: {
    readonly uri?: string; readonly authority?: string; readonly port?: number; readonly derivePort?: string;
    readonly scheme?: string; readonly redirectCode?: number;
  };
  readonly directResponse?: unknown;
  readonly delegate?: unknown;
  readonly rewrite?: { readonly uri?: string; readonly authority?: string; readonly uriRegexRewrite?: { readonly match?: string; readonly rewrite?: string } };
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly fault?: unknown;
  readonly mirror?: IstioDestination;
  readonly mirrors?: ReadonlyArray<{ readonly destination: IstioDestination; readonly percentage?: { readonly value?: number } }>;
  readonly mirrorPercentage?: { readonly value?: number };
  readonly corsPolicy?: {
    readonly allowOrigins?: readonly IstioStringMatch[]; readonly allowMethods?: readonly string[]; readonly allowHeaders?: readonly string[];
    readonly exposeHeaders?: readonly string[]; readonly maxAge?: string; readonly allowCredentials?: boolean; readonly unmatchedPreflights?: string;
  };
  readonly headers?: { readonly request?: IstioHeaderOps; readonly response?: IstioHeaderOps };
}

/** A VirtualService. */
export interface IstioVirtualService extends KubernetesObject {
  readonly spec: {
    readonly hosts?: readonly string[];
    readonly gateways?: readonly string[];
    readonly http?: readonly IstioHttpRoute[];
    readonly tcp?: readonly unknown[];
    readonly tls?: readonly unknown[];
    readonly exportTo?: readonly string[];
  };
}

/** A Gateway server. */
export interface IstioServer {
  readonly port: { readonly number: number; readonly name?: string; readonly protocol: string; readonly targetPort?: number };
  readonly hosts: readonly string[];
  readonly bind?: string;
  readonly name?: string;
  readonly tls?: {
    readonly httpsRedirect?: boolean; readonly mode?: string; readonly credentialName?: string; readonly credentialNames?: readonly string[];
    readonly minProtocolVersion?: string; readonly maxProtocolVersion?: string; readonly cipherSuites?: readonly string[];
    readonly subjectAltNames?: readonly string[]; readonly serverCertificate?: string; readonly caCertificates?: string;
  };
}

/** An Istio Gateway. */
export interface IstioGateway extends KubernetesObject {
  readonly spec: { readonly selector?: Readonly<Record<string, string>>; readonly servers?: readonly IstioServer[] };
}

/** A DestinationRule. */
export interface IstioDestinationRule extends KubernetesObject {
  readonly spec: {
    readonly host: string;
    readonly trafficPolicy?: Readonly<Record<string, unknown>>;
    readonly subsets?: ReadonlyArray<{ readonly name: string; readonly labels?: Readonly<Record<string, string>>; readonly trafficPolicy?: Readonly<Record<string, unknown>> }>;
    readonly exportTo?: readonly string[];
    readonly workloadSelector?: unknown;
  };
}

/** A Service port. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

/** A Kubernetes Service. */
export interface KubeService extends KubernetesObject {
  readonly spec: {
    readonly type?: string; readonly selector?: Readonly<Record<string, string>>; readonly ports?: readonly ServicePort[];
    readonly externalTrafficPolicy?: string;
  };
}

/** A pod template's container. */
export interface Container {
  readonly name: string;
  readonly resources?: unknown;
  readonly lifecycle?: unknown;
  readonly volumeMounts?: readonly unknown[];
  readonly [key: string]: unknown;
}

/** A Deployment. */
export interface KubeDeployment extends KubernetesObject {
  readonly spec: {
    readonly replicas?: number;
    readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly strategy?: unknown;
    readonly template: {
      readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
      readonly spec: {
        readonly containers: readonly Container[];
        readonly volumes?: readonly unknown[];
        readonly terminationGracePeriodSeconds?: number;
        readonly topologySpreadConstraints?: ReadonlyArray<{ readonly labelSelector?: unknown; readonly [key: string]: unknown }>;
        readonly serviceAccountName?: string;
        readonly securityContext?: unknown;
        readonly [key: string]: unknown;
      };
    };
  };
}

/** Reads `o` as `T` when its kind and API group match. */
export function isKind<T extends KubernetesObject>(o: KubernetesObject, group: string, kind: string): o is T {
  const g = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : '';
  return o.kind === kind && g === group;
}
