/**
 * The fields of an Argo Rollouts `Rollout` (argoproj.io/v1alpha1, v1.9.1) that decide where
 * requests go during a canary with Istio traffic routing, as read-only interfaces (every field
 * optional: plain parsed YAML may hold anything). The shapes follow the pinned CRD
 * (crds/ of argoproj/argo-rollouts v1.9.1, `pkg/apis/rollouts/v1alpha1/types.go`).
 */
import { KubernetesObject } from './kubernetes-object';
import { StringMatch } from './objects';

/** A VirtualService the controller rewrites (`trafficRouting.istio.virtualService(s)`). */
export interface RolloutVirtualServiceRef {
  /** The name, or "name.namespace" (the Rollout's namespace when not given). */
  readonly name?: string;
  /** The names of the http routes whose weights it sets; when empty, the VirtualService's only (or first unnamed) route. */
  readonly routes?: readonly string[];
  /** The tls routes whose weights it sets, by port and SNI hosts. */
  readonly tlsRoutes?: ReadonlyArray<{ readonly port?: number; readonly sniHosts?: readonly string[] }>;
  /** The tcp routes whose weights it sets, by port. */
  readonly tcpRoutes?: ReadonlyArray<{ readonly port?: number }>;
}

/** The DestinationRule whose subsets the controller points at the stable and canary pods. */
export interface RolloutDestinationRuleRef {
  /** The name (in the Rollout's namespace). */
  readonly name?: string;
  /** The subset that selects the canary (new) pods. */
  readonly canarySubsetName?: string;
  /** The subset that selects the stable pods. */
  readonly stableSubsetName?: string;
  /** Subsets whose route weights the controller leaves as they are. */
  readonly additionalSubsetNames?: readonly string[];
}

/** `setHeaderRoute`: a route the controller adds that sends matching requests to the canary. */
export interface SetHeaderRoute {
  /** The route's name (one of `managedRoutes`). */
  readonly name?: string;
  /** The header conditions (any of them); none removes the route. */
  readonly match?: ReadonlyArray<{ readonly headerName?: string; readonly headerValue?: StringMatch }>;
}

/** `setMirrorRoute`: a route the controller adds that mirrors matching requests to the canary. */
export interface SetMirrorRoute {
  /** The route's name (one of `managedRoutes`). */
  readonly name?: string;
  /** The conditions (any of them; each an AND of method, path and headers); none removes the route. */
  readonly match?: ReadonlyArray<{ readonly method?: StringMatch; readonly path?: StringMatch; readonly headers?: Readonly<Record<string, StringMatch>> }>;
  /** The share of matching requests mirrored, in percent (100 when unset). */
  readonly percentage?: number;
}

/** One canary step (exactly one field is set). */
export interface CanaryStep {
  /** The canary's share of the traffic, out of `maxTrafficWeight`. */
  readonly setWeight?: number;
  /** Waits for a duration, or until promoted when it has none. */
  readonly pause?: { readonly duration?: string | number };
  /** Runs an AnalysisRun and waits for it. */
  readonly analysis?: { readonly templates?: ReadonlyArray<{ readonly templateName?: string; readonly clusterScope?: boolean }> };
  /** Runs an Experiment (its weighted templates add destinations). */
  readonly experiment?: { readonly templates?: ReadonlyArray<{ readonly name?: string; readonly weight?: number }> };
  /** Scales the canary without changing the weight. */
  readonly setCanaryScale?: unknown;
  /** Adds (or removes) a header route. */
  readonly setHeaderRoute?: SetHeaderRoute;
  /** Adds (or removes) a mirror route. */
  readonly setMirrorRoute?: SetMirrorRoute;
  /** A step run by a controller plugin. */
  readonly plugin?: unknown;
}

/** `spec.strategy.canary.trafficRouting`. */
export interface RolloutTrafficRouting {
  /** Istio traffic routing. */
  readonly istio?: {
    readonly virtualService?: RolloutVirtualServiceRef;
    readonly virtualServices?: readonly RolloutVirtualServiceRef[];
    readonly destinationRule?: RolloutDestinationRuleRef;
  };
  /** The routes the controller owns, in the order it puts them on top of the VirtualService. */
  readonly managedRoutes?: ReadonlyArray<{ readonly name?: string }>;
  /** The total the weights count up to (100 when unset). */
  readonly maxTrafficWeight?: number;
  readonly [key: string]: unknown;
}

/** `spec.strategy.canary`. */
export interface CanaryStrategy {
  /** The Service of the canary pods (host-level routing). */
  readonly canaryService?: string;
  /** The Service of the stable pods (host-level routing). */
  readonly stableService?: string;
  /** The steps, in order. */
  readonly steps?: readonly CanaryStep[];
  /** How traffic reaches the canary. */
  readonly trafficRouting?: RolloutTrafficRouting;
}

/** `Rollout.spec` (the fields read). */
export interface RolloutSpec {
  /** The strategy: canary (read here) or blueGreen. */
  readonly strategy?: { readonly canary?: CanaryStrategy; readonly blueGreen?: unknown };
}

/** A Rollout (argoproj.io). */
export interface Rollout extends KubernetesObject { readonly spec?: RolloutSpec }

/** Whether `o` is an Argo Rollouts Rollout. */
export function isRollout(o: KubernetesObject): o is Rollout {
  return o.kind === 'Rollout' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('argoproj.io/');
}
