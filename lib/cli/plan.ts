/**
 * `istio-aks-edge plan <stack> [--json] [--dir <project>]`: runs a Pulumi project's program under
 * Pulumi's mocks, loaded the way `pulumi up` loads it (CommonJS `require` of Pulumi.yaml's `main`,
 * TypeScript through tsx), with the stack's committed configuration (Pulumi.<stack>.yaml), and
 * prints what `pulumi up` would create. No cloud, no Pulumi CLI.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EdgeMocks, settle, valueOf } from '../infra/mocks';

/** The usage line of `plan`. */
export const PLAN_USAGE = 'Usage: istio-aks-edge plan <stack> [--json] [--dir <pulumi project folder>]';

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? v as Record<string, unknown> : {});

/** A Pulumi project's name and program, from its Pulumi.yaml. */
export function pulumiProject(root: string): { name: string; main: string } {
  const file = path.join(root, 'Pulumi.yaml');
  if (!existsSync(file)) throw new Error(`No Pulumi project in ${root}: Pulumi.yaml does not exist (run plan in the project's folder, or give --dir).`);
  const project = rec(parse(readFileSync(file, 'utf8')));
  if (typeof project.name !== 'string') throw new Error(`${file}: invalid name: received ${JSON.stringify(project.name)}. Give the project a name.`);
  const main = typeof project.main === 'string' ? project.main : '.';
  return { name: project.name, main: path.resolve(root, main) };
}

/** The stack's configuration as the Pulumi CLI hands it to the program: "<ns>:<key>" → string. */
export function stackConfig(stack: string, root: string = process.cwd()): Record<string, string> {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`No stack "${stack}": ${path.relative(process.cwd(), file) || file} does not exist. Create it (pulumi stack init ${stack}) or name a committed stack.`);
  const config = rec(rec(parse(readFileSync(file, 'utf8'))).config);
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** One line of the plan. */
export interface PlanRow {
  /** The resource type token. */
  readonly type: string;
  /** The resource's Pulumi name. */
  readonly name: string;
  /** What matters of its inputs. */
  readonly details: string;
}

const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => rec(v)[k], o);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === undefined || v === null ? '' : JSON.stringify(v));
const list = (v: unknown, sep = ','): string => (Array.isArray(v) ? v.map(str).join(sep) : str(v));
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

function details(type: string, inputs: Record<string, unknown>): string {
  const i = (...keys: (string | number)[]) => at(inputs, ...keys);
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return `${str(i('resourceGroupName'))} in ${str(i('location'))}`;
    case 'azure-native:containerservice:ManagedCluster': {
      const pool = (...k: string[]) => i('agentPoolProfiles', 0, ...k);
      const net = (k: string) => str(i('networkProfile', k));
      const addons = Object.entries(rec(i('addonProfiles'))).filter(([, a]) => rec(a).enabled).map(([k]) => k).join('+');
      return [
        `k8s ${str(i('kubernetesVersion'))}`, `tier ${str(i('sku', 'tier'))}`, `lb ${net('loadBalancerSku')}`, `${net('networkPlugin')}/${net('networkPluginMode')}`,
        `pool ${str(pool('name'))} (${str(pool('mode'))}) ${str(pool('vmSize'))} ${str(pool('minCount'))}-${str(pool('maxCount'))} zones ${list(pool('availabilityZones'))}`,
        `upgrade ${str(i('autoUpgradeProfile', 'upgradeChannel'))}`, i('serviceMeshProfile') ? `istio add-on ${list(i('serviceMeshProfile', 'istio', 'revisions'))}` : '',
        i('aadProfile') ? 'entra-id' : '', `network policy ${net('networkPolicy')}`, `add-ons ${addons}`,
        i('apiServerAccessProfile') ? `api ranges ${list(i('apiServerAccessProfile', 'authorizedIPRanges'))}` : '',
      ].filter(Boolean).join(', ');
    }
    case 'azure-native:containerservice:AgentPool':
      return `${str(i('agentPoolName'))} (${str(i('mode'))}) ${str(i('vmSize'))} ${str(i('minCount'))}-${str(i('maxCount'))} zones ${list(i('availabilityZones'))}`;
    case 'azure-native:network:PublicIPAddress':
      return `${str(i('publicIpAddressName'))} ${str(i('sku', 'name'))} ${str(i('publicIPAllocationMethod'))} zones ${list(i('zones'))}`;
    case 'azure-native:authorization:RoleAssignment':
      return `role ${str(i('roleDefinitionId')).split('/').pop()} on ${str(i('scope')).split('/').pop()}`;
    case 'azure-native:monitor:AzureMonitorWorkspace':
      return `${str(i('azureMonitorWorkspaceName'))} (Managed Prometheus)`;
    case 'azure-native:monitor:DataCollectionRule': {
      const flows = Array.isArray(i('dataFlows')) ? (i('dataFlows') as unknown[]).map((f) => list(rec(f).streams)).join('; ') : '';
      return `${str(i('dataCollectionRuleName'))}: ${flows} to the workspace`;
    }
    case 'azure-native:monitor:DataCollectionEndpoint':
      return str(i('dataCollectionEndpointName'));
    case 'azure-native:monitor:DataCollectionRuleAssociation':
      return `${str(i('associationName'))} on the cluster`;
    case 'azure-native:monitor:ActionGroup':
      return `${str(i('actionGroupName'))}: ${count(i('emailReceivers'))} e-mail, ${count(i('webhookReceivers'))} webhook receiver(s)`;
    case 'azure-native:alertsmanagement:PrometheusRuleGroup':
      return `${str(i('ruleGroupName'))}: ${count(i('rules'))} alert rules every ${str(i('interval'))}`;
    case 'azure-native:dashboard:Grafana':
      return `${str(i('workspaceName'))} ${str(i('sku', 'name'))}, linked to the workspace`;
    case 'azure-native:keyvault:Vault':
      return `${str(i('vaultName'))}: RBAC, soft delete${i('properties', 'enablePurgeProtection') ? ', purge protection' : ''}`;
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return str(i('resourceName'));
    case 'azure-native:managedidentity:FederatedIdentityCredential':
      return str(i('subject'));
    case 'kubernetes:helm.sh/v3:Release':
      return `${str(i('chart'))} ${str(i('version'))} in ${str(i('namespace'))}`;
    default: {
      const name = str(i('metadata', 'name'));
      const ns = str(i('metadata', 'namespace'));
      return name ? `${ns ? `${ns}/` : ''}${name}` : '';
    }
  }
}

/** Makes `require` load TypeScript (the program's `main`), as Pulumi's nodeargs `--import tsx` does. */
function registerTypeScript(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsx = require('tsx/cjs/api') as { register(): unknown };
  tsx.register();
}

/** Runs the program of the Pulumi project in `root` for `stack` under mocks; returns the plan and the stack outputs. */
export async function plan(stack: string, root: string = process.cwd()): Promise<{ rows: PlanRow[]; counts: Record<string, number>; outputs: Record<string, unknown>; mocks: EdgeMocks }> {
  const project = pulumiProject(root);
  const config = stackConfig(stack, root);
  const mocks = new EdgeMocks();
  await mocks.install(project.name, stack, config);
  registerTypeScript();
  // Loaded like Pulumi's language host loads a CommonJS program: require(main), then call it if a function.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(project.main) as unknown;
  const exported = typeof loaded === 'function' ? (loaded as () => unknown)() : loaded;
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec(await Promise.resolve(exported)))) outputs[k] = await valueOf(v as never);
  await settle();
  const custom = mocks.resources.filter((r) => r.custom && !r.type.startsWith('pulumi:providers:'));
  const counts: Record<string, number> = {};
  for (const r of custom) counts[r.type] = (counts[r.type] ?? 0) + 1;
  const rows = custom
    .filter((r) => !(r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v3:Release'))
    .map((r) => ({ type: r.type, name: r.name, details: details(r.type, r.inputs as Record<string, unknown>) }));
  return { rows, counts, outputs, mocks };
}

/** The `plan` command; returns the exit status. */
export async function planCommand(args: readonly string[], root?: string): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${PLAN_USAGE}\n\nRuns the Pulumi program of the project (Pulumi.yaml's main) for a stack under Pulumi's mocks, with\nthe stack's committed config (Pulumi.<stack>.yaml), and prints what \`pulumi up\` would create.`);
    return 0;
  }
  const dirAt = args.indexOf('--dir');
  const dir = dirAt >= 0 ? args[dirAt + 1] : undefined;
  if (dirAt >= 0 && !dir) throw new Error(PLAN_USAGE);
  const stack = args.find((a, n) => !a.startsWith('-') && (dirAt < 0 || n !== dirAt + 1));
  if (!stack) throw new Error(PLAN_USAGE);
  const started = process.hrtime.bigint();
  const { rows, counts, outputs } = await plan(stack, dir ? path.resolve(dir) : root);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const shownOutputs = { ...outputs, ...('kubeconfig' in outputs ? { kubeconfig: '[secret]' } : {}) };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ stack, rows, counts, outputs: shownOutputs }, null, 2)}\n`);
    return 0;
  }
  const width = (f: (r: PlanRow) => string) => Math.max(0, ...rows.map((r) => f(r).length));
  const tw = width((r) => r.type);
  const nw = width((r) => r.name);
  console.log(`Plan for stack "${stack}" (under mocks: what \`pulumi up\` would create)\n`);
  for (const r of rows) console.log(`+ ${r.type.padEnd(tw)}  ${r.name.padEnd(nw)}  ${r.details}`);
  const k8sKinds = Object.entries(counts).filter(([t]) => t.startsWith('kubernetes:') && t !== 'kubernetes:helm.sh/v3:Release');
  console.log(`\nEdge objects applied (${k8sKinds.reduce((s, [, n]) => s + n, 0)}):`);
  for (const [t, n] of k8sKinds.sort()) console.log(`  ${String(n).padStart(3)}  ${t.slice('kubernetes:'.length)}`);
  console.log('\nOutputs:');
  for (const [k, v] of Object.entries(shownOutputs)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  console.log(`\n${Object.values(counts).reduce((a, b) => a + b, 0)} resources; program ran in ${ms.toFixed(0)} ms under mocks.`);
  return 0;
}
