import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as pulumi from '@pulumi/pulumi';
import { Admins, assignAdmins, assignRole, BUILT_IN_ROLES, Deployer } from './role-assignment';

/** The built-in "Key Vault Secrets User" role (read secrets, and certificates as secrets). */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = BUILT_IN_ROLES.keyVaultSecretsUser;

/** Inputs of {@link GatewayKeyVault}. */
export interface GatewayKeyVaultArgs {
  /** The vault's name (derived, configured, or the existing vault's). */
  readonly vaultName: pulumi.Input<string>;
  /**
   * Use an existing vault in this resource group instead of creating one.
   * @default - the vault is created
   */
  readonly existingResourceGroup?: string;
  /** The resource group of the vault (when created) and of the identity. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The Azure region. */
  readonly location: string;
  /** The cluster's OIDC issuer URL, trusted for the gateway's service account tokens. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /** The gateway pods' service account. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /**
   * Production: purge protection (a deleted vault stays recoverable for its retention period) and
   * `protect` on the vault.
   */
  readonly production: boolean;
  /**
   * Recover a soft-deleted vault of the same name instead of creating a new one.
   * @default false
   */
  readonly recover?: boolean;
  /** The user-assigned identity's name. */
  readonly identityName: string;
  /** The deploying identity and subscription, from `getClientConfig`. */
  readonly deployer: Deployer;
  /**
   * Who may import and renew certificates on a created vault ("Key Vault Certificates Officer").
   * @default - nobody
   */
  readonly admins?: Admins;
  /** Tags of the vault and the identity. */
  readonly tags: Record<string, string>;
}

/**
 * The gateway's certificates in Azure Key Vault: the vault (RBAC authorization, soft delete,
 * purge protection and `protect` in production) or a reference to an existing one, a user-assigned
 * identity federated with the gateway's service account (workload identity), "Key Vault Secrets
 * User" for it on the vault, and "Key Vault Certificates Officer" for the admins (groups, bootstrap
 * deployers) on a created vault (so `az keyvault certificate import` works right after the first `pulumi up`).
 * The AKS Key Vault Secrets Provider add-on syncs the certificate.
 */
export class GatewayKeyVault extends pulumi.ComponentResource {
  /** The vault's resource ID. */
  public readonly vaultId: pulumi.Output<string>;
  /** The vault's name. */
  public readonly vaultName: pulumi.Output<string>;
  /** The gateway's identity. */
  public readonly identity: managedidentity.UserAssignedIdentity;
  /** The identity's client ID: the SecretProviderClass's `clientID`, the service account's annotation. */
  public readonly clientId: pulumi.Output<string>;
  /** The identity's tenant: the SecretProviderClass's `tenantId`. */
  public readonly tenantId: pulumi.Output<string>;
  /**
   * What a pod reading the vault as the identity needs to exist first: the identity, its federated
   * credential and its role on the vault.
   */
  public readonly ready: pulumi.Resource[];

  public constructor(name: string, args: GatewayKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:GatewayKeyVault', name, {}, opts);
    const ready: pulumi.Resource[] = [];
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
          tenantId: args.deployer.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          // Purge protection cannot be turned off again: production only.
          enablePurgeProtection: args.production ? true : undefined,
          createMode: args.recover ? keyvault.CreateMode.Recover : undefined,
        },
        tags: args.tags,
      }, { parent: this, protect: args.production });
      this.vaultId = vault.id;
      this.vaultName = vault.name;
      ready.push(vault);
      // The admins import the certificate (README): the vault authorizes the data plane by RBAC only.
      if (args.admins) assignAdmins(`${name}-certificates-officer`, args.admins, 'keyVaultCertificatesOfficer', vault.id, args.deployer.subscriptionId, { parent: this },
        { deployer: `${name}-deployer-certificates-officer` });
    }
    this.identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
      resourceName: args.identityName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
    }, { parent: this });
    this.clientId = this.identity.clientId;
    this.tenantId = this.identity.tenantId;
    const federation = new managedidentity.FederatedIdentityCredential(`${name}-federation`, {
      resourceName: this.identity.name,
      resourceGroupName: args.resourceGroupName,
      federatedIdentityCredentialResourceName: `${args.serviceAccount.namespace}-${args.serviceAccount.name}`,
      issuer: args.oidcIssuerUrl,
      subject: `system:serviceaccount:${args.serviceAccount.namespace}:${args.serviceAccount.name}`,
      audiences: ['api://AzureADTokenExchange'],
    }, { parent: this });
    const secretsUser = assignRole(`${name}-secrets-user`, {
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      role: 'keyVaultSecretsUser',
      scope: this.vaultId,
      subscriptionId: args.deployer.subscriptionId,
    }, { parent: this });
    this.ready = [...ready, this.identity, federation, secretsUser];
    this.registerOutputs({ clientId: this.clientId, tenantId: this.tenantId, vaultName: this.vaultName });
  }
}
