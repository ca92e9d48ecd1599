/**
 * The Azure load balancer in front of a gateway: cloud-provider-azure annotations on the gateway's
 * LoadBalancer Service.
 * @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#loadbalancer-annotations
 */
import { IConstruct } from 'constructs';
import { fail } from './private/errors';
import { validateDnsLabel } from './private/validate';
import { AZURE_LB_INTERNAL_ANNOTATION, AZURE_LB_INTERNAL_SUBNET_ANNOTATION, AZURE_LB_RESOURCE_GROUP_ANNOTATION, AZURE_PIP_NAME_ANNOTATION, AZURE_SERVICE_ANNOTATION_PREFIX } from './contract/keys';

/** How the load balancer routes external traffic to nodes. */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any gateway pod (Kubernetes' default); the client address is lost. */
  CLUSTER = 'Cluster',
  /** Only nodes running a gateway pod receive traffic; the client address is kept. */
  LOCAL = 'Local',
}

/** An existing static public IP. */
export interface PublicIpReference {
  /** The public IP's name (`azure-pip-name`). */
  readonly name: string;
  /**
   * Its resource group (`azure-load-balancer-resource-group`).
   * @default - the cluster's node resource group
   */
  readonly resourceGroup?: string;
}

/**
 * Azure load balancer settings of the gateway's LoadBalancer Service (cloud-provider-azure annotations).
 * @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#loadbalancer-annotations
 */
export interface AzureLoadBalancerOptions {
  /**
   * An existing static public IP to use, by name (`azure-pip-name`), and its resource group
   * (`azure-load-balancer-resource-group`) when it is not the cluster's node resource group. Keeps
   * the gateway's address across rebuilds of the Service.
   * @default - Azure allocates a dynamic address
   */
  readonly publicIp?: PublicIpReference;
  /**
   * Use an internal load balancer (private address in the cluster's virtual network).
   * @default false
   */
  readonly internal?: boolean;
  /**
   * The subnet of an internal load balancer.
   * @default - the cluster's subnet
   */
  readonly internalSubnet?: string;
  /**
   * The DNS label of the public IP (`<label>.<region>.cloudapp.azure.com`).
   * @default - none
   */
  readonly dnsLabel?: string;
  /**
   * The HTTP path the Azure health probe requests on the gateway's status port (15021) for every
   * traffic port. Ignored by Azure with `ExternalTrafficPolicy.LOCAL`, which probes the nodes.
   * @default '/healthz/ready'
   */
  readonly healthProbePath?: string;
  /**
   * External traffic policy of the Service.
   * @default ExternalTrafficPolicy.CLUSTER
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
}

/**
 * The Service annotations for `azure`, probing each of `trafficPorts` on `statusPort`.
 * @internal
 */
export function azureLoadBalancerAnnotations(scope: IConstruct, azure: AzureLoadBalancerOptions, trafficPorts: readonly number[], statusPort: number): Record<string, string> | undefined {
  const prefix = AZURE_SERVICE_ANNOTATION_PREFIX;
  const a: Record<string, string> = {};
  if (azure.publicIp) {
    if (azure.internal) fail(scope, 'azure.publicIp', azure.publicIp, 'An internal load balancer has no public IP: remove publicIp or internal.');
    a[AZURE_PIP_NAME_ANNOTATION] = validateAzureName(scope, 'azure.publicIp.name', azure.publicIp.name);
    if (azure.publicIp.resourceGroup !== undefined) {
      a[AZURE_LB_RESOURCE_GROUP_ANNOTATION] = validateAzureName(scope, 'azure.publicIp.resourceGroup', azure.publicIp.resourceGroup);
    }
  }
  if (azure.internal) a[AZURE_LB_INTERNAL_ANNOTATION] = 'true';
  if (azure.internalSubnet !== undefined) {
    if (!azure.internal) fail(scope, 'azure.internalSubnet', azure.internalSubnet, 'A subnet applies only to an internal load balancer: set internal: true.');
    a[AZURE_LB_INTERNAL_SUBNET_ANNOTATION] = validateAzureName(scope, 'azure.internalSubnet', azure.internalSubnet);
  }
  if (azure.dnsLabel !== undefined) {
    if (azure.internal) fail(scope, 'azure.dnsLabel', azure.dnsLabel, 'A DNS label names a public IP: remove it for an internal load balancer.');
    a[`${prefix}azure-dns-label-name`] = validateDnsLabel(scope, 'azure.dnsLabel', azure.dnsLabel);
  }
  if ((azure.externalTrafficPolicy ?? ExternalTrafficPolicy.CLUSTER) === ExternalTrafficPolicy.CLUSTER) {
    const path = azure.healthProbePath ?? '/healthz/ready';
    if (typeof path !== 'string' || !path.startsWith('/')) fail(scope, 'azure.healthProbePath', path, 'Use an absolute path such as "/healthz/ready".');
    // Probe every traffic port on the status port, which reports the proxy's readiness.
    for (const p of trafficPorts) {
      a[`${prefix}port_${p}_health-probe_protocol`] = 'http';
      a[`${prefix}port_${p}_health-probe_port`] = String(statusPort);
      a[`${prefix}port_${p}_health-probe_request-path`] = path;
    }
  } else if (azure.healthProbePath !== undefined) {
    fail(scope, 'azure.healthProbePath', azure.healthProbePath, 'With ExternalTrafficPolicy.LOCAL Azure probes the nodes\' health check port: remove healthProbePath.');
  }
  return Object.keys(a).length ? a : undefined;
}

function validateAzureName(scope: IConstruct, property: string, value: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$|^[A-Za-z0-9]$/.test(value)) {
    fail(scope, property, value, 'Use an Azure resource name: 1-90 letters, digits, ".", "_", "-", "(" or ")", not ending in ".".');
  }
  return value;
}
