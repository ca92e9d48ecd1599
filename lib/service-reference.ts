/**
 * What routes, authorization and monitoring need of a Service, owned (`VersionedService`) or
 * imported (`VersionedService.fromServiceAttributes`).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { serviceFqdnOf } from './contract/hosts';

/** A workload identity that calls services in the mesh: a gateway or a service. */
export interface IMeshCaller extends IConstruct {
  /** The principal (SPIFFE identity) of its pods, when known. */
  readonly principal?: string;
}

/** A Service that routes can send traffic to and that monitoring can watch. */
export interface IRoutableService extends IMeshCaller {
  /** The Service's name. */
  readonly serviceName: string;
  /** The Service's namespace. */
  readonly namespace: string;
  /** The Service's ports. */
  readonly servicePorts: readonly number[];
  /** The DestinationRule that defines its subsets, when the app defines one. */
  readonly destinationRule?: ApiObject;
  /** The Deployments running its pods, when known (monitoring watches them). */
  readonly deploymentNames: readonly string[];
  /** The autoscalers of its Deployments, when the app defines them. */
  readonly autoscalerNames: readonly string[];
  /** Its PodDisruptionBudget, when the app defines one. */
  readonly disruptionBudgetName?: string;
  /**
   * The host routes and DestinationRules name, when it is not the Service's cluster DNS name (a
   * ServiceEntry's host, for example).
   * @default - `<name>` in its own namespace, `<name>.<namespace>.svc.cluster.local` elsewhere
   */
  readonly routeHost?: string;
  /**
   * True for an object the app does not define (`fromServiceAttributes`): routes tell the analysis
   * it exists elsewhere.
   * @default false
   */
  readonly imported?: boolean;
  /** Whether the Service's DestinationRule defines this subset. */
  hasSubset(name: string): boolean;
}

/** Something a route can target: a whole Service, or one version (subset) of it. */
export interface IRouteTarget extends IConstruct {
  /** The Service. */
  readonly routableService: IRoutableService;
  /** The subset, for a version. */
  readonly subset?: string;
  /**
   * The DestinationRule that defines the subset, when it is not the service's own (a standalone
   * DestinationRule's subset).
   * @default - the service's
   */
  readonly destinationRule?: ApiObject;
}

/** The host of `service` as seen from `fromNamespace`: the short name in its own namespace, else the FQDN. */
export function serviceHost(service: IRoutableService, fromNamespace: string): string {
  if (service.routeHost !== undefined) return service.routeHost;
  return service.namespace === fromNamespace ? service.serviceName : serviceFqdnOf(service.serviceName, service.namespace);
}
