/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- Pulumi's runtime.Mocks interface types resource inputs, outputs and call arguments as `any`; these mocks pass them through. */
/**
 * Pulumi's own mocks (`pulumi.runtime.setMocks`) for the edge stack: plausible outputs for the
 * Azure resources and functions the program uses, and a record of every resource registered
 * (type, name, inputs, provider, parent, dependencies). Used by the tests and by `npm run plan`;
 * nothing here reaches Azure or needs the Pulumi CLI.
 */
import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, any>;
  /**
   * The inputs as the program sent them, before the mocks decoded them: an unknown value (preview)
   * is {@link UNKNOWN} here where `inputs` has `undefined`; secrets are `{ 4dabf18193072939515e22adb298388d: ..., value }`.
   */
  readonly rawInputs: Record<string, unknown>;
  /** The provider reference ("<urn>::<id>"), for custom resources. */
  readonly provider?: string;
  readonly parent?: string;
  /** URNs of the resources it depends on. */
  readonly dependencies: string[];
  readonly custom: boolean;
  /** The resource options the mocks interface does not pass on, from the registration request (aliases: former names or URNs, not former types). */
  readonly options: { readonly protect: boolean; readonly ignoreChanges: string[]; readonly deleteBeforeReplace: boolean; readonly aliases: string[] };
}

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** How an unknown value (preview) appears in {@link RecordedResource.rawInputs}. */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** The deploying identity the mocked `getClientConfig` returns. */
export const MOCK_DEPLOYER = { clientId: 'mock-client', objectId: '33333333-3333-3333-3333-333333333333', tenantId: '22222222-2222-2222-2222-222222222222' };

/** The access token the mocked `getClientToken` returns (for the AKS server application). */
export const MOCK_AKS_TOKEN = 'mock-aks-token';

/** What Azure returns for the gateway's user-assigned identity, by default. */
export const MOCK_GATEWAY_IDENTITY = { clientId: 'aaaaaaaa-1111-4222-8333-444444444444', principalId: '66666666-6666-6666-6666-666666666666', tenantId: '22222222-2222-2222-2222-222222222222' };

/** Options of {@link EdgeMocks}. */
export interface EdgeMocksOptions {
  /**
   * Run as `pulumi preview` does: new resources have no ID, and the outputs Azure computes are
   * unknown, as azure-native's preview returns them.
   * @default false
   */
  readonly preview?: boolean;
  /**
   * The client and tenant IDs Azure returns for the gateway's identity.
   * @default MOCK_GATEWAY_IDENTITY
   */
  readonly gatewayIdentity?: { readonly clientId: string; readonly tenantId: string };
  /**
   * The stack's outputs from its previous deployment (what a StackReference to itself reads).
   * @default - none: a new stack
   */
  readonly previousOutputs?: Record<string, unknown>;
  /**
   * What the live cluster runs, as azure-native's `getManagedCluster` returns it (the program reads
   * it for a stack that was deployed): the control plane's version and each pool's node count by
   * its AKS name.
   * @default - none: the program must not read a cluster (a new stack)
   */
  readonly liveCluster?: { readonly kubernetesVersion: string; readonly poolCounts: Readonly<Record<string, number>> };
  /**
   * The identity running `pulumi up`, as `getClientConfig` returns it (another deployer than the last).
   * @default MOCK_DEPLOYER
   */
  readonly deployer?: { readonly clientId: string; readonly objectId: string };
}

/** A kubeconfig in the shape AKS returns, for the mocked credentials call. */
export const MOCK_KUBECONFIG = [
  'apiVersion: v1', 'kind: Config', 'clusters:', '- name: aks', '  cluster: { server: "https://aks.example.invalid:443" }',
  'users:', '- name: clusterUser', '  user: { token: mock }', 'contexts:', '- name: aks', '  context: { cluster: aks, user: clusterUser }',
  'current-context: aks', '',
].join('\n');

/** The kubeconfig AKS returns in the exec format for Entra ID clusters (kubelogin, device code). */
export const MOCK_EXEC_KUBECONFIG = [
  'apiVersion: v1', 'kind: Config', 'clusters:', '- name: aks', '  cluster: { server: "https://aks.example.invalid:443" }',
  'users:', '- name: clusterUser', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1beta1', '      command: kubelogin',
  '      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]',
  'contexts:', '- name: aks', '  context: { cluster: aks, user: clusterUser }', 'current-context: aks', '',
].join('\n');

function computed(type: string, inputs: Record<string, any>, name: string, identity: { clientId: string; tenantId: string }): Record<string, any> {
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return { name: inputs.resourceGroupName ?? name };
    case 'azure-native:containerservice:ManagedCluster':
      return {
        name: inputs.resourceName ?? name,
        identity: { ...inputs.identity, principalId: '11111111-1111-1111-1111-111111111111', tenantId: '22222222-2222-2222-2222-222222222222' },
        fqdn: `${inputs.dnsPrefix}.hcp.${inputs.location}.azmk8s.io`,
        oidcIssuerProfile: { enabled: true, issuerURL: `https://${inputs.location}.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/mock/` },
      };
    case 'azure-native:containerservice:AgentPool':
      return { name: inputs.agentPoolName ?? name };
    case 'azure-native:network:PublicIPAddress':
      return { name: inputs.publicIpAddressName ?? name, ipAddress: '20.61.0.10' };
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { name: inputs.resourceName ?? name, principalId: MOCK_GATEWAY_IDENTITY.principalId, ...identity };
    case 'azure-native:keyvault:Vault':
      return { name: inputs.vaultName ?? name, properties: { ...inputs.properties, vaultUri: `https://${inputs.vaultName}.vault.azure.net/` } };
    case 'azure-native:managedidentity:FederatedIdentityCredential':
      return { name: inputs.federatedIdentityCredentialResourceName ?? name };
    case 'azure-native:authorization:RoleAssignment':
      return { name: inputs.roleAssignmentName ?? name };
    case 'azure-native:dashboard:Grafana':
      return {
        name: inputs.workspaceName ?? name,
        identity: { ...inputs.identity, principalId: '44444444-4444-4444-4444-444444444444' },
        properties: { ...inputs.properties, endpoint: `https://${inputs.workspaceName}.weu.grafana.azure.com` },
      };
    case 'azure-native:redisenterprise:RedisEnterprise':
      return { name: inputs.clusterName ?? name, hostName: `${inputs.clusterName ?? name}.${inputs.location}.redis.azure.net` };
    case 'azure-native:redisenterprise:Database':
      return { name: inputs.databaseName ?? name, port: inputs.port ?? 10000 };
    default:
      return {};
  }
}

function resourceId(type: string, inputs: Record<string, any>, name: string): string {
  if (type === 'azure-native:resources:ResourceGroup') return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName ?? name}`;
  return `${name}-id`;
}

/** In preview, every output Azure computes is unknown: the computed values' keys become unknown. */
function unknownInPreview(computedState: Record<string, any>, inputs: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(computedState)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && inputs[k] && typeof inputs[k] === 'object') {
      // Nested objects: keep what the inputs give, make the rest unknown (identity.principalId, ...).
      out[k] = { ...inputs[k], ...Object.fromEntries(Object.keys(v).filter((x) => !(x in inputs[k])).map((x) => [x, pulumi.unknown])) };
    } else {
      out[k] = pulumi.unknown;
    }
  }
  return out;
}

/** The mocks, recording what the program registers. */
export class EdgeMocks implements pulumi.runtime.Mocks {
  public readonly resources: RecordedResource[] = [];
  public readonly calls: pulumi.runtime.MockCallArgs[] = [];
  private readonly pending = new Map<string, { parent?: string; dependencies: string[]; rawInputs: Record<string, unknown>; options: RecordedResource['options'] }>();

  public constructor(private readonly options: EdgeMocksOptions = {}) {}

  public newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
    const info = this.pending.get(`${args.type}::${args.name}`);
    this.resources.push({
      type: args.type, name: args.name, urn: `${args.type}::${args.name}`, inputs: args.inputs, rawInputs: info?.rawInputs ?? {}, provider: args.provider,
      parent: info?.parent, dependencies: info?.dependencies ?? [], custom: args.custom ?? true,
      options: info?.options ?? { protect: false, ignoreChanges: [], deleteBeforeReplace: false, aliases: [] },
    });
    if (args.type === 'pulumi:pulumi:StackReference') {
      // Read, not created: known in preview too.
      return { id: args.inputs.name, state: { name: args.inputs.name, outputs: this.options.previousOutputs ?? {}, secretOutputNames: [] } };
    }
    const state = computed(args.type, args.inputs, args.name, this.options.gatewayIdentity ?? MOCK_GATEWAY_IDENTITY);
    if (this.options.preview && args.custom !== false && !args.type.startsWith('pulumi:providers:')) {
      return { id: undefined, state: { ...args.inputs, ...unknownInPreview(state, args.inputs) } };
    }
    return { id: resourceId(args.type, args.inputs, args.name), state: { ...args.inputs, ...state } };
  }

  public call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    this.calls.push(args);
    switch (args.token) {
      case 'azure-native:containerservice:listManagedClusterUserCredentials':
        return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(args.inputs.format === 'exec' ? MOCK_EXEC_KUBECONFIG : MOCK_KUBECONFIG).toString('base64') }] };
      case 'azure-native:keyvault:getVault':
        return { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`, name: args.inputs.vaultName };
      case 'azure-native:redisenterprise:listDatabaseKeys':
        return { primaryKey: `mock-primary-key-of-${args.inputs.clusterName}`, secondaryKey: 'mock-secondary-key' };
      case 'azure-native:authorization:getClientConfig':
        return { ...MOCK_DEPLOYER, ...this.options.deployer, subscriptionId: SUBSCRIPTION };
      case 'azure-native:authorization:getClientToken':
        return { token: MOCK_AKS_TOKEN };
      case 'azure-native:containerservice:getManagedCluster': {
        const live = this.options.liveCluster;
        if (!live) throw new Error(`The edge mocks have no live cluster for ${JSON.stringify(args.inputs)}: give EdgeMocks the liveCluster option.`);
        return {
          name: args.inputs.resourceName, currentKubernetesVersion: live.kubernetesVersion, kubernetesVersion: live.kubernetesVersion,
          agentPoolProfiles: Object.entries(live.poolCounts).map(([name, count]) => ({ name, count, currentOrchestratorVersion: live.kubernetesVersion })),
        };
      }
      default:
        throw new Error(`The edge mocks do not know the function ${args.token}: add it to lib/infra/testing/mocks.ts.`);
    }
  }

  /**
   * Installs the mocks for `stack` and records each resource's parent and dependencies (which the
   * mocks interface does not pass on) from the registration requests.
   */
  public async install(project: string, stack: string, config: Record<string, string>): Promise<void> {
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(this, project, stack, this.options.preview ?? false, 'organization');
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: unknown) => {
      this.pending.set(`${req.getType()}::${req.getName()}`, {
        parent: req.getParent() ? keyOfUrn(req.getParent()) : undefined,
        dependencies: (req.getDependenciesList() as string[]).map(keyOfUrn),
        rawInputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        options: {
          protect: req.getProtect() === true, ignoreChanges: req.getIgnorechangesList() as string[], deleteBeforeReplace: req.getDeletebeforereplace() === true,
          // Alias specs (the mock monitor supports them) that rename: the former name, or a full
          // former URN. Those that only name former types (azure-native's API-version types) are left out.
          aliases: (req.getAliasesList() as any[]).map((a) => (a.hasSpec() ? a.getSpec().getName() as string : a.getUrn() as string)).filter((a) => a !== ''),
        },
      });
      return register(req, cb);
    };
  }

  /** The recorded resources of a type. */
  public ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
}

/** "<type>::<name>" of a URN ("urn:pulumi:<stack>::<project>::<parent types$type>::<name>"). */
function keyOfUrn(urn: string): string {
  const [, , qualifiedType, ...name] = urn.split('::');
  return `${qualifiedType.split('$').pop()}::${name.join('::')}`;
}

/**
 * Resolves an output's value under mocks: {@link UNKNOWN} when it is unknown (preview), where
 * `apply` would never call back.
 */
export async function valueOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  // isKnown and promise() are the SDK's own (internal) members of every Output.
  const o = pulumi.output(output) as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
  if (!(await o.isKnown)) return UNKNOWN as unknown as T;
  return o.promise();
}

/** Waits until every registration the program started has been answered. */
export async function settle(): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (wait) await wait();
}
