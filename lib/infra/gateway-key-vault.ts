import * as authorization from '@pulumi/azure-native/authorization';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as pulumi from '@pulumi/pulumi';

/** The built-in "Key Vault Secrets User" role (read secrets, and certificates as secrets). */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = '4633458b-17de-408a-b874-0445c86b69e6';

/** Inputs of {@link GatewayKeyVault}. */
export interface GatewayKeyVaultArgs {
  /** The vault's name (the edge's certificate source names it). */
  readonly vaultName: string;
  /**
   * Use an existing vault in this resource group instead of creating one.
   * @default - the vault is created
   */
  readonly existingResourceGroup?: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  /** The cluster's OIDC issuer URL, trusted for the gateway's service account tokens. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /** The gateway pods' service account. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** Purge protection (production): a deleted vault stays recoverable for its retention period. */
  readonly purgeProtection: boolean;
  readonly identityName: string;
  readonly tags: Record<string, string>;
}

/**
 * The gateway's certificates in Azure Key Vault: the vault (RBAC authorization, soft delete,
 * purge protection in production) or a reference to an existing one, a user-assigned identity
 * federated with the gateway's service account (workload identity), and the "Key Vault Secrets
 * User" role for it on the vault. The AKS Key Vault Secrets Provider add-on syncs the certificate.
 */
export class GatewayKeyVault extends pulumi.ComponentResource {
  public readonly vaultId: pulumi.Output<string>;
  public readonly vaultName: pulumi.Output<string>;
  public readonly identity: managedidentity.UserAssignedIdentity;
  /** The identity's client ID: the certificate source's `clientId`. */
  public readonly clientId: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;

  public constructor(name: string, args: GatewayKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:GatewayKeyVault', name, {}, opts);
    const client = authorization.getClientConfigOutput({ parent: this });
    this.tenantId = client.tenantId;
    if (args.existingResourceGroup) {
      const vault = keyvault.getVaultOutput({ vaultName: args.vaultName, resourceGroupName: args.existingResourceGroup }, { parent: this });
      this.vaultId = vault.id;
      this.vaultName = vault.name;
    } else {
      const vault = new keyvault.Vault(`${name}-vault`, {
        vaultName: args.vaultName,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        properties: {
          tenantId: client.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          // Purge protection cannot be turned off again: production only.
          enablePurgeProtection: args.purgeProtection ? true : undefined,
        },
        tags: args.tags,
      }, { parent: this, protect: args.purgeProtection });
      this.vaultId = vault.id;
      this.vaultName = vault.name;
    }
    this.identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
      resourceName: args.identityName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
    }, { parent: this });
    this.clientId = this.identity.clientId;
    new managedidentity.FederatedIdentityCredential(`${name}-federation`, {
      resourceName: this.identity.name,
      resourceGroupName: args.resourceGroupName,
      federatedIdentityCredentialResourceName: `${args.serviceAccount.namespace}-${args.serviceAccount.name}`,
      issuer: args.oidcIssuerUrl,
      subject: `system:serviceaccount:${args.serviceAccount.namespace}:${args.serviceAccount.name}`,
      audiences: ['api://AzureADTokenExchange'],
    }, { parent: this });
    new authorization.RoleAssignment(`${name}-secrets-user`, {
      principalId: this.identity.principalId,
      principalType: authorization.PrincipalType.ServicePrincipal,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE_ID}`,
      scope: this.vaultId,
    }, { parent: this });
    this.registerOutputs({ clientId: this.clientId });
  }
}
