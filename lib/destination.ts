import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

import { CLUSTER_DOMAIN } from './private/hosts';

export { CLUSTER_DOMAIN };

/** A Service that routes can send traffic to. */
export interface IRoutableService extends IConstruct {
  /** The Service's name. */
  readonly serviceName: string;
  /** The Service's namespace. */
  readonly namespace: string;
  /** The Service's ports. */
  readonly servicePorts: readonly number[];
  /** The DestinationRule that defines its subsets, when the app defines one. */
  readonly destinationRule?: ApiObject;
  /** Whether the Service's DestinationRule defines this subset. */
  hasSubset(name: string): boolean;
}

/** Something a route can target: a whole Service, or one version (subset) of it. */
export interface IRouteTarget extends IConstruct {
  /** The Service. */
  readonly routableService: IRoutableService;
  /** The subset, for a version. */
  readonly subset?: string;
}

/** The host of `service` as seen from `fromNamespace`: the short name in its own namespace, else the FQDN. */
export function serviceHost(service: IRoutableService, fromNamespace: string): string {
  return service.namespace === fromNamespace ? service.serviceName : `${service.serviceName}.${service.namespace}.${CLUSTER_DOMAIN}`;
}
