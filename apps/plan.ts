// `npm run plan -- <stack> [--json]`: runs the Pulumi program under Pulumi's mocks, loaded the way
// `pulumi up` loads it (CommonJS `require` of Pulumi.yaml's main, through tsx), with the stack's
// committed configuration, and prints what `pulumi up` would create. No cloud, no Pulumi CLI.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EdgeMocks, settle, UNKNOWN, valueOf } from '../lib/infra/mocks';

const ROOT = path.join(__dirname, '..');

/** The stack's configuration as the Pulumi CLI hands it to the program: "<ns>:<key>" → string. */
export function stackConfig(stack: string): Record<string, string> {
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`No stack "${stack}": ${path.relative(ROOT, file)} does not exist (stacks: dev, prod).`);
  const config = (parse(readFileSync(file, 'utf8'))?.config ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** One line of the plan. */
export interface PlanRow {
  readonly type: string;
  readonly name: string;
  readonly details: string;
}

/** The last segment of a resource ID, or <unknown> (preview). */
function last(id: unknown): string {
  return typeof id === 'string' ? id.split('/').pop()! : '<unknown>';
}

function details(type: string, inputs: Record<string, any>): string {
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return `${inputs.resourceGroupName} in ${inputs.location}`;
    case 'azure-native:containerservice:ManagedCluster': {
      const pool = inputs.agentPoolProfiles[0];
      const net = inputs.networkProfile;
      return [
        `k8s ${inputs.kubernetesVersion}`, `tier ${inputs.sku.tier}`, `lb ${net.loadBalancerSku}`, `${net.networkPlugin}/${net.networkPluginMode}`,
        `pool ${pool.name} (${pool.mode}) ${pool.vmSize} ${pool.minCount}-${pool.maxCount} zones ${pool.availabilityZones.join(',')}`,
        `upgrade ${inputs.autoUpgradeProfile.upgradeChannel}`, inputs.serviceMeshProfile ? `istio add-on ${inputs.serviceMeshProfile.istio.revisions}` : '',
        inputs.aadProfile ? `entra-id${inputs.aadProfile.enableAzureRBAC ? ' + azure rbac' : ''}${inputs.disableLocalAccounts ? ', no local accounts' : ''}` : 'local accounts',
        inputs.supportPlan === 'AKSLongTermSupport' ? 'long-term support' : '', `network policy ${net.networkPolicy}`,
        `add-ons ${Object.entries(inputs.addonProfiles ?? {}).filter(([, a]: [string, any]) => a.enabled).map(([k]) => k).join('+')}`,
        inputs.apiServerAccessProfile ? `api ranges ${inputs.apiServerAccessProfile.authorizedIPRanges.join(',')}` : '',
      ].filter(Boolean).join(', ');
    }
    case 'azure-native:containerservice:AgentPool':
      return `${inputs.agentPoolName} (${inputs.mode}) ${inputs.vmSize} ${inputs.minCount}-${inputs.maxCount} zones ${inputs.availabilityZones.join(',')}`;
    case 'azure-native:network:PublicIPAddress':
      return `${inputs.publicIpAddressName} ${inputs.sku.name} ${inputs.publicIPAllocationMethod} zones ${inputs.zones.join(',')}`;
    case 'azure-native:authorization:RoleAssignment':
      return `role ${last(inputs.roleDefinitionId)} on ${last(inputs.scope)}`;
    case 'azure-native:monitor:AzureMonitorWorkspace':
      return `${inputs.azureMonitorWorkspaceName} (Managed Prometheus)`;
    case 'azure-native:monitor:DataCollectionRule':
      return `${inputs.dataCollectionRuleName}: ${inputs.dataFlows.map((f: any) => f.streams.join(',')).join('; ')} to the workspace`;
    case 'azure-native:monitor:DataCollectionEndpoint':
      return inputs.dataCollectionEndpointName;
    case 'azure-native:monitor:DataCollectionRuleAssociation':
      return `${inputs.associationName} on the cluster`;
    case 'azure-native:monitor:ActionGroup':
      return `${inputs.actionGroupName}: ${inputs.emailReceivers.length} e-mail, ${inputs.webhookReceivers.length} webhook receiver(s)`;
    case 'azure-native:alertsmanagement:PrometheusRuleGroup':
      return `${inputs.ruleGroupName}: ${inputs.rules.length} alert rules every ${inputs.interval}`;
    case 'azure-native:dashboard:Grafana':
      return `${inputs.workspaceName} ${inputs.sku.name}, linked to the workspace`;
    case 'azure-native:keyvault:Vault':
      return `${inputs.vaultName}: RBAC, soft delete${inputs.properties.enablePurgeProtection ? ', purge protection' : ''}`;
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return inputs.resourceName;
    case 'azure-native:managedidentity:FederatedIdentityCredential':
      return inputs.subject;
    case 'azure-native:redis:Redis':
      return `${inputs.name} ${inputs.sku.name} ${inputs.sku.family}${inputs.sku.capacity} zones ${(inputs.zones ?? []).join(',')}, TLS ${inputs.minimumTlsVersion} only, public network ${inputs.publicNetworkAccess}`;
    case 'kubernetes:helm.sh/v3:Release':
      return `${inputs.chart} ${inputs.version} in ${inputs.namespace}`;
    default:
      return inputs.metadata?.name ? `${inputs.metadata.namespace ? `${inputs.metadata.namespace}/` : ''}${inputs.metadata.name}` : '';
  }
}

/** Runs the program for `stack` under mocks and returns the plan and the stack outputs. */
export async function plan(stack: string, options: { preview?: boolean } = {}): Promise<{ rows: PlanRow[]; counts: Record<string, number>; outputs: Record<string, unknown>; mocks: EdgeMocks }> {
  const mocks = new EdgeMocks({ preview: options.preview });
  await mocks.install('istio-aks-edge', stack, stackConfig(stack));
  // Loaded like Pulumi's language host loads a CommonJS program: require(main), then call it.
   
  const program = require(path.join(ROOT, 'apps', 'pulumi.ts')) as () => Promise<Record<string, unknown>>;
  const exported = await program();
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exported)) outputs[k] = await valueOf(v as never);
  await settle();
  const custom = mocks.resources.filter((r) => r.custom && !r.type.startsWith('pulumi:providers:') && r.type !== 'pulumi:pulumi:StackReference');
  const counts: Record<string, number> = {};
  for (const r of custom) counts[r.type] = (counts[r.type] ?? 0) + 1;
  const rows = custom
    .filter((r) => !(r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v3:Release'))
    .map((r) => ({ type: r.type, name: r.name, details: details(r.type, r.inputs) }));
  return { rows, counts, outputs, mocks };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const stack = args.find((a) => !a.startsWith('-'));
  if (!stack) throw new Error('Usage: npm run plan -- <stack> [--json] [--preview]   (stacks: dev, prod)');
  const preview = args.includes('--preview');
  const started = process.hrtime.bigint();
  const { rows, counts, outputs } = await plan(stack, { preview });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const shownOutputs = Object.fromEntries(Object.entries({ ...outputs, kubeconfig: outputs.kubeconfig === UNKNOWN ? UNKNOWN : '[secret]' })
    .map(([k, v]) => [k, v === UNKNOWN ? '<unknown>' : v]));
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ stack, rows, counts, outputs: shownOutputs }, null, 2)}\n`);
    return;
  }
  const width = (f: (r: PlanRow) => string) => Math.max(...rows.map((r) => f(r).length));
  const tw = width((r) => r.type);
  const nw = width((r) => r.name);
  console.log(`Plan for stack "${stack}" (under mocks: what \`pulumi ${preview ? 'preview' : 'up'}\` would create${preview ? '; unknown until Azure creates it: <unknown>' : ''})\n`);
  for (const r of rows) console.log(`+ ${r.type.padEnd(tw)}  ${r.name.padEnd(nw)}  ${r.details}`);
  const k8sKinds = Object.entries(counts).filter(([t]) => t.startsWith('kubernetes:') && t !== 'kubernetes:helm.sh/v3:Release');
  console.log(`\nEdge objects applied (${k8sKinds.reduce((s, [, n]) => s + n, 0)}):`);
  for (const [t, n] of k8sKinds.sort()) console.log(`  ${String(n).padStart(3)}  ${t.slice('kubernetes:'.length)}`);
  console.log('\nOutputs:');
  for (const [k, v] of Object.entries(shownOutputs)) console.log(`  ${k}: ${v === '<unknown>' ? v : JSON.stringify(v)}`);
  console.log(`\n${Object.values(counts).reduce((a, b) => a + b, 0)} resources; program ran in ${ms.toFixed(0)} ms under mocks.`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
