import * as authorization from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';
import { deterministicGuid } from '../program/names';

/** Built-in Azure role definition IDs the stack assigns, by name (the same in every tenant). */
export const BUILT_IN_ROLES = {
  /** Lets the cluster identity attach the public IP to its load balancer. */
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  /** Read secrets (and certificates as secrets): the gateway's identity on the vault. */
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  /** Manage certificates (import, renew): the deployer on the vault, for `az keyvault certificate import`. */
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420b6ab3b',
  /** Full access to the cluster's Kubernetes API through Azure RBAC: the admin groups, bootstrap deployers (and the provider). */
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  /** Lists the cluster's user credentials (the kubeconfig people sign in with): the admin groups. */
  aksClusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
  /** Lets Grafana query the Azure Monitor workspace. */
  monitoringDataReader: 'b0d8363b-8ddd-447d-831f-62ca05bff136',
  /** Administers Azure Managed Grafana (signs in, edits dashboards and data sources). */
  grafanaAdmin: '22926164-76b3-42b3-bc55-97df8dab3e41',
} as const;

/** The principal types the stack assigns roles to. */
export type PrincipalType = 'User' | 'ServicePrincipal' | 'Group';

/**
 * The application IDs of Microsoft's public clients a person signs in with (Azure CLI, Azure
 * PowerShell, Visual Studio Code): an access token whose `appid` is one of these was issued to a
 * user; any other `appid` is a service principal's or a managed identity's own.
 */
export const USER_SIGN_IN_CLIENT_IDS: readonly string[] = [
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46', '1950a258-227b-4e31-a9cf-717495945fc2', 'aebc6443-996d-45c2-90f0-388ff96faa56',
];

/**
 * The deploying identity's principal type, from the client ID azure-native's `getClientConfig`
 * returns (the token's `appid`), unless the configuration names it.
 */
export function deployerPrincipalType(clientId: string, configured?: 'User' | 'ServicePrincipal'): 'User' | 'ServicePrincipal' {
  return configured ?? (USER_SIGN_IN_CLIENT_IDS.includes(clientId.toLowerCase()) ? 'User' : 'ServicePrincipal');
}

/** The identity running `pulumi up`, from azure-native's `getClientConfig`. */
export interface Deployer {
  /** Its object ID. */
  readonly objectId: pulumi.Input<string>;
  /** Its principal type (see {@link deployerPrincipalType}). */
  readonly principalType: pulumi.Input<'User' | 'ServicePrincipal'>;
  /** The subscription deployed to. */
  readonly subscriptionId: pulumi.Input<string>;
  /** Its tenant. */
  readonly tenantId: pulumi.Input<string>;
}

/** Inputs of {@link assignRole}. */
export interface AssignRoleArgs {
  /** The principal's object ID. */
  readonly principalId: pulumi.Input<string>;
  /**
   * The principal's type: azure-native sends "User" when it is left out, and Azure refuses an
   * assignment whose type does not match the principal's.
   */
  readonly principalType: pulumi.Input<PrincipalType>;
  /** A key of {@link BUILT_IN_ROLES}. */
  readonly role: keyof typeof BUILT_IN_ROLES;
  /** The scope's resource ID. */
  readonly scope: pulumi.Input<string>;
  /** The subscription ID (the role definition's scope). */
  readonly subscriptionId: pulumi.Input<string>;
}

/**
 * A role assignment named deterministically from its scope, principal and role (a GUID of them):
 * a rerun, or a run after a lost state, finds the same assignment instead of creating another or
 * failing with RoleAssignmentExists.
 */
export function assignRole(name: string, args: AssignRoleArgs, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  const roleId = BUILT_IN_ROLES[args.role];
  return new authorization.RoleAssignment(name, {
    roleAssignmentName: pulumi.all([args.scope, args.principalId]).apply(([scope, principal]) => deterministicGuid(scope.toLowerCase(), principal, roleId)),
    principalId: args.principalId,
    principalType: args.principalType,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
    scope: args.scope,
  }, opts);
}

/** An identity that ran `pulumi up` with `entraId.bootstrapDeployer`, as the stack records it. */
export interface BootstrapDeployer {
  /** Its object ID. */
  readonly objectId: string;
  /** Its principal type. */
  readonly principalType: 'User' | 'ServicePrincipal';
}

/** Who administers the stack's resources (cluster, vault, Grafana). */
export interface Admins {
  /** Entra ID groups (object IDs). */
  readonly groupObjectIds: readonly string[];
  /** Deployers kept as admins (`entraId.bootstrapDeployer`), every one that ran with it until revoked. */
  readonly deployers: readonly BootstrapDeployer[];
  /**
   * The object ID of the identity running this `up`, when it is one of {@link deployers}: its
   * assignments take over the single "deployer" assignments of a stack deployed before 0.2.0
   * (see {@link FormerNames}).
   * @default - the identity running `up` is not a bootstrap deployer
   */
  readonly running?: string;
}

/**
 * The Pulumi names a role's admin assignments had before 0.2.0 (before admins were Entra ID
 * groups): one assignment for whoever ran `up` (`<component>-deployer-cluster-admin`, ...) and one
 * per configured group by position (`<component>-grafana-admin-group-1`, ...). Each becomes an
 * alias of the assignment that now has the same principal, role and scope, so an existing stack
 * keeps them: without it Pulumi would create the new name and delete the old one, and since the
 * Azure name (a GUID of scope, principal and role) is the same, that delete would remove the
 * assignment the new one stands for.
 */
export interface FormerNames {
  /**
   * The former name of the deployer's assignment: an alias of the running identity's
   * ({@link Admins.running}), the one that ran last in the common case.
   * @default - none
   */
  readonly deployer?: string;
  /**
   * The former name of the i-th configured group's assignment.
   * @default - none
   */
  readonly group?: (index: number) => string;
}

/**
 * Assigns `role` on `scope` to every admin: one assignment per group and per bootstrap deployer,
 * each named `<name>-group-<object ID>` or `<name>-deployer-<object ID>`, so a run by another
 * identity adds its own assignment and never replaces (deletes) another's. `former` gives the
 * names the same assignments had before 0.2.0, kept as aliases.
 */
export function assignAdmins(name: string, admins: Admins, role: keyof typeof BUILT_IN_ROLES, scope: pulumi.Input<string>, subscriptionId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions, former: FormerNames = {}): authorization.RoleAssignment[] {
  const aliased = (formerName: string | undefined): pulumi.CustomResourceOptions =>
    (formerName ? { ...opts, aliases: [...(opts.aliases ?? []), { name: formerName }] } : opts);
  return [
    ...admins.groupObjectIds.map((g, i) => assignRole(`${name}-group-${g}`, { principalId: g, principalType: 'Group', role, scope, subscriptionId }, aliased(former.group?.(i)))),
    ...admins.deployers.map((d) => assignRole(`${name}-deployer-${d.objectId}`, { principalId: d.objectId, principalType: d.principalType, role, scope, subscriptionId },
      aliased(admins.running !== undefined && d.objectId.toLowerCase() === admins.running.toLowerCase() ? former.deployer : undefined))),
  ];
}
