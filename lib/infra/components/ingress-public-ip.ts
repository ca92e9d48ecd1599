import * as network from '@pulumi/azure-native/network';
import * as pulumi from '@pulumi/pulumi';
import { assignRole, BUILT_IN_ROLES } from './role-assignment';

/** The built-in "Network Contributor" role. */
export const NETWORK_CONTRIBUTOR_ROLE_ID = BUILT_IN_ROLES.networkContributor;

/** Inputs of {@link IngressPublicIp}. */
export interface IngressPublicIpArgs {
  /** The IP's name: the gateway Service's `azure-pip-name` annotation. */
  readonly name: string;
  /** Its resource group: the Service's `azure-load-balancer-resource-group` annotation. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The resource group's ID, the scope of the role assignment. */
  readonly resourceGroupId: pulumi.Input<string>;
  readonly location: string;
  /** Availability zones: all of the region's ("1", "2", "3") make it zone-redundant. */
  readonly zones: string[];
  /** The cluster identity that attaches the IP to its load balancer. */
  readonly clusterPrincipalId: pulumi.Input<string>;
  /** The subscription ID (the role definition's scope). */
  readonly subscriptionId: pulumi.Input<string>;
  readonly tags: Record<string, string>;
  /** Protect the IP from deletion (production). */
  readonly protect: boolean;
}

/**
 * A static, Standard-SKU, zone-redundant public IP for the ingress gateway, in a resource group
 * the cluster identity may use (Network Contributor), so the gateway keeps its address when its
 * Service or the cluster is rebuilt.
 */
export class IngressPublicIp extends pulumi.ComponentResource {
  public readonly publicIp: network.PublicIPAddress;
  /** The address. */
  public readonly ipAddress: pulumi.Output<string>;

  public constructor(name: string, args: IngressPublicIpArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:IngressPublicIp', name, {}, opts);
    this.publicIp = new network.PublicIPAddress(`${name}-ip`, {
      publicIpAddressName: args.name,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
      publicIPAllocationMethod: network.IPAllocationMethod.Static,
      publicIPAddressVersion: network.IPVersion.IPv4,
      zones: args.zones,
      tags: args.tags,
    }, { parent: this, protect: args.protect });
    assignRole(`${name}-network-contributor`, {
      principalId: args.clusterPrincipalId,
      principalType: 'ServicePrincipal',
      role: 'networkContributor',
      scope: args.resourceGroupId,
      subscriptionId: args.subscriptionId,
    }, { parent: this });
    this.ipAddress = this.publicIp.ipAddress.apply((a) => a ?? '');
    this.registerOutputs({ ipAddress: this.ipAddress });
  }
}
