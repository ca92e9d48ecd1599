/**
 * `istio-aks-edge plan <stack> [--json] [--preview] [--dir <project>]`: runs a Pulumi project's
 * program under Pulumi's mocks, loaded the way `pulumi up` loads it (CommonJS `require` of
 * Pulumi.yaml's `main`, TypeScript through tsx), with the stack's committed configuration
 * (Pulumi.<stack>.yaml), and prints what `pulumi up` would create. No cloud, no Pulumi CLI.
 * Exit status: 0 planned, 1 the program failed (its configuration error is printed), 2 usage or
 * project errors.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '../model/read-manifests';
import { EdgeMocks, settle, UNKNOWN, valueOf } from '../infra/testing';
import { CommandIo, PROCESS_IO, UsageError } from './io';

/** The usage text of `plan`. */
export const PLAN_USAGE = `Usage: istio-aks-edge plan <stack> [--json] [--quiet] [--preview] [--dir <pulumi project folder>]

Runs the Pulumi program of the project (Pulumi.yaml's main) for a stack under Pulumi's mocks, with
the stack's committed config (Pulumi.<stack>.yaml), and prints what \`pulumi up\` would create.

Options:
  --json      the plan as JSON (rows, counts by type, stack outputs)
  --quiet     only the last line (resources and time)
  --preview   as \`pulumi preview\` sees it: what Azure computes is <unknown>
  --dir <d>   the Pulumi project's folder (default: the current folder)
  --help      show this help

Exit status: 0 planned, 1 the program failed, 2 a usage error or no such project or stack.`;

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? v as Record<string, unknown> : {});

/**
 * A project file read and parsed as YAML: a file that is not a regular file (a folder, a FIFO that
 * would block the read), that cannot be read, or that is not YAML is a usage error (exit 2), named.
 */
function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UsageError(`${file} is not a regular file: ${what} must be a YAML file.`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  try {
    return parseYaml(text, file);
  } catch (e) {
    throw new UsageError(`${(e as Error).message} Fix ${what}.`);
  }
}

/** Pulumi's stack names: letters, digits, "-", "_" and "." (a path here would read another file). */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A Pulumi project's name and program, from its Pulumi.yaml. */
export function pulumiProject(root: string): { name: string; main: string } {
  const file = path.join(root, 'Pulumi.yaml');
  if (!existsSync(file)) throw new UsageError(`No Pulumi project in ${root}: Pulumi.yaml does not exist (run plan in the project's folder, or give --dir).`);
  const parsed = readYamlFile(file, 'the Pulumi project file');
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file}: expected a mapping (name, runtime, main); received ${JSON.stringify(parsed)}. Fix the Pulumi project file.`);
  const project = rec(parsed);
  if (typeof project.name !== 'string' || project.name === '') throw new UsageError(`${file}: invalid name: received ${JSON.stringify(project.name)}. Give the project a name.`);
  if (project.main !== undefined && typeof project.main !== 'string') throw new UsageError(`${file}: invalid main: received ${JSON.stringify(project.main)}. Give the program's path, or leave main out.`);
  const main = typeof project.main === 'string' ? project.main : '.';
  return { name: project.name, main: path.resolve(root, main) };
}

/** The stack's configuration as the Pulumi CLI hands it to the program: "<ns>:<key>" → string. */
export function stackConfig(stack: string, root: string = process.cwd()): Record<string, string> {
  if (!STACK_NAME.test(stack)) throw new UsageError(`invalid stack name: received ${JSON.stringify(stack)}. Stack names are letters, digits, "-", "_" and ".".`);
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new UsageError(`No stack "${stack}": ${path.relative(process.cwd(), file) || file} does not exist. Create it (pulumi stack init ${stack}) or name a committed stack.`);
  const parsed = readYamlFile(file, `the configuration of stack "${stack}"`);
  if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new UsageError(`${file}: expected a mapping with a "config" mapping; received ${JSON.stringify(parsed)}. Fix the stack's configuration.`);
  const configValue = rec(parsed).config;
  if (configValue !== undefined && configValue !== null && (typeof configValue !== 'object' || Array.isArray(configValue))) throw new UsageError(`${file}: "config" must be a mapping of "<namespace>:<key>" to values; received ${JSON.stringify(configValue)}. Fix the stack's configuration.`);
  const config = rec(configValue);
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
/** The last segment of a resource ID, or <unknown> (preview). */
const last = (id: unknown): string => (typeof id === 'string' ? id.split('/').pop() ?? id : '<unknown>');

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
        i('aadProfile') ? `entra-id${i('aadProfile', 'enableAzureRBAC') ? ' + azure rbac' : ''}${i('disableLocalAccounts') ? ', no local accounts' : ''}` : 'local accounts',
        i('supportPlan') === 'AKSLongTermSupport' ? 'long-term support' : '', `network policy ${net('networkPolicy')}`, `add-ons ${addons}`,
        i('apiServerAccessProfile', 'enablePrivateCluster') ? 'private API server' : i('apiServerAccessProfile') ? `api ranges ${list(i('apiServerAccessProfile', 'authorizedIPRanges'))}` : '',
        i('securityProfile', 'defender') ? 'defender' : '', i('securityProfile', 'imageCleaner', 'enabled') ? 'image cleaner' : '',
        `max surge ${str(pool('upgradeSettings', 'maxSurge'))}`,
      ].filter(Boolean).join(', ');
    }
    case 'azure-native:containerservice:AgentPool':
      return `${str(i('agentPoolName'))} (${str(i('mode'))}) ${str(i('vmSize'))} ${str(i('minCount'))}-${str(i('maxCount'))} zones ${list(i('availabilityZones'))}, max surge ${str(i('upgradeSettings', 'maxSurge'))}`;
    case 'azure-native:network:PublicIPAddress':
      return `${str(i('publicIpAddressName'))} ${str(i('sku', 'name'))} ${str(i('publicIPAllocationMethod'))} zones ${list(i('zones'))}`;
    case 'azure-native:authorization:RoleAssignment':
      return `role ${last(i('roleDefinitionId'))} on ${last(i('scope'))} for ${str(i('principalType'))} ${typeof i('principalId') === 'string' ? str(i('principalId')) : '<unknown>'}`;
    case 'azure-native:containerservice:MaintenanceConfiguration': {
      const w = (...k: string[]) => i('maintenanceWindow', ...k);
      return `${str(i('configName'))}: every ${str(w('schedule', 'weekly', 'intervalWeeks'))} week(s) on ${str(w('schedule', 'weekly', 'dayOfWeek'))} ${str(w('startTime'))} UTC${str(w('utcOffset')).replace('+00:00', '')} for ${str(w('durationHours'))} h`;
    }
    case 'azure-native:operationalinsights:Workspace':
      return `${str(i('workspaceName'))} (Log Analytics, ${str(i('retentionInDays'))} days)`;
    case 'azure-native:monitor:DiagnosticSetting':
      return `${str(i('name'))}: ${Array.isArray(i('logs')) ? (i('logs') as unknown[]).map((l) => str(rec(l).category)).join(', ') : ''} to the Log Analytics workspace`;
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
    case 'azure-native:redisenterprise:RedisEnterprise':
      return `${str(i('clusterName'))} (Azure Managed Redis) ${str(i('sku', 'name'))}, high availability ${str(i('highAvailability'))}, TLS ${str(i('minimumTlsVersion'))}+, public network ${str(i('publicNetworkAccess'))}`;
    case 'azure-native:redisenterprise:Database':
      return `${str(i('databaseName'))}: port ${str(i('port'))} ${str(i('clientProtocol'))}, ${str(i('clusteringPolicy'))}, eviction ${str(i('evictionPolicy'))}, access keys ${str(i('accessKeysAuthentication'))}`;
    case 'kubernetes:helm.sh/v3:Release': {
      const revision = i('values', 'revision');
      const tags = i('values', 'revisionTags');
      const defaultRevision = i('values', 'defaultRevision');
      return [
        `${str(i('chart'))} ${str(i('version'))} in ${str(i('namespace'))}`,
        typeof revision === 'string' && revision ? `revision ${revision}` : '',
        Array.isArray(tags) && tags.length ? `tag ${list(tags)}` : '',
        typeof defaultRevision === 'string' && defaultRevision !== 'default' ? `default revision ${defaultRevision}` : '',
      ].filter(Boolean).join(', ');
    }
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

/** Options of {@link plan}. */
export interface PlanOptions {
  /**
   * The Pulumi project's folder.
   * @default - the current folder
   */
  readonly root?: string;
  /**
   * Plan as `pulumi preview` does: what Azure computes (IDs, the kubeconfig) is unknown.
   * @default false
   */
  readonly preview?: boolean;
}

/** What {@link plan} found. */
export interface Plan {
  /** The cloud resources and Helm releases, in creation order. */
  readonly rows: PlanRow[];
  /** The number of resources of each type (the Kubernetes objects applied included). */
  readonly counts: Record<string, number>;
  /** The stack outputs ({@link UNKNOWN} where unknown in preview). */
  readonly outputs: Record<string, unknown>;
  /** The mocks, with every registered resource. */
  readonly mocks: EdgeMocks;
}

/** Runs the program of the Pulumi project for `stack` under mocks; returns the plan and the stack outputs. */
export async function plan(stack: string, options: PlanOptions = {}): Promise<Plan> {
  const root = options.root ?? process.cwd();
  const project = pulumiProject(root);
  const config = stackConfig(stack, root);
  const mocks = new EdgeMocks({ preview: options.preview });
  await mocks.install(project.name, stack, config);
  registerTypeScript();
  // Loaded like Pulumi's language host loads a CommonJS program: require(main), then call it if a function.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(project.main) as unknown;
  const exported = typeof loaded === 'function' ? (loaded as () => unknown)() : loaded;
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec(await Promise.resolve(exported)))) outputs[k] = await valueOf(v as never);
  await settle();
  const custom = mocks.resources.filter((r) => r.custom && !r.type.startsWith('pulumi:providers:') && r.type !== 'pulumi:pulumi:StackReference');
  const counts: Record<string, number> = {};
  for (const r of custom) counts[r.type] = (counts[r.type] ?? 0) + 1;
  const rows = custom
    .filter((r) => !(r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v3:Release'))
    .map((r) => ({ type: r.type, name: r.name, details: details(r.type, r.inputs as Record<string, unknown>) }));
  return { rows, counts, outputs, mocks };
}

/** The `plan` command; returns the exit status. */
export async function runPlan(args: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${PLAN_USAGE}\n`);
    return 0;
  }
  let dir: string | undefined;
  const positional: string[] = [];
  for (let n = 0; n < args.length; n++) {
    const a = args[n];
    if (a === '--dir') {
      dir = args[++n];
      if (dir === undefined || dir.startsWith('-')) throw new UsageError(`--dir takes the Pulumi project's folder.\n\n${PLAN_USAGE}`);
    } else if (a === '--json' || a === '--preview' || a === '--quiet' || a === '-q') continue;
    else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}.\n\n${PLAN_USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(`Give one stack name; received ${positional.length ? positional.join(' ') : 'none'}.\n\n${PLAN_USAGE}`);
  const [stack] = positional;
  const preview = args.includes('--preview');
  const started = process.hrtime.bigint();
  let result: Plan;
  try {
    result = await plan(stack, { root: dir ? path.resolve(dir) : undefined, preview });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // The program's own error (a configuration error names the key, the value and the fix).
    io.stderr(`plan: the program of stack "${stack}" failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const { rows, counts, outputs } = result;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const shown = (v: unknown) => (v === UNKNOWN ? '<unknown>' : v);
  const shownOutputs = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, k === 'kubeconfig' && v !== UNKNOWN ? '[secret]' : shown(v)]));
  if (args.includes('--json')) {
    io.stdout(`${JSON.stringify({ stack, rows, counts, outputs: shownOutputs }, null, 2)}\n`);
    return 0;
  }
  const total = `${Object.values(counts).reduce((a, b) => a + b, 0)} resources; program ran in ${ms.toFixed(0)} ms under mocks.`;
  if (args.includes('--quiet') || args.includes('-q')) {
    io.stdout(`${total}\n`);
    return 0;
  }
  const width = (f: (r: PlanRow) => string) => Math.max(0, ...rows.map((r) => f(r).length));
  const tw = width((r) => r.type);
  const nw = width((r) => r.name);
  const lines = [`Plan for stack "${stack}" (under mocks: what \`pulumi ${preview ? 'preview' : 'up'}\` would create${preview ? '; unknown until Azure creates it: <unknown>' : ''})`, ''];
  for (const r of rows) lines.push(`+ ${r.type.padEnd(tw)}  ${r.name.padEnd(nw)}  ${r.details}`);
  const k8sKinds = Object.entries(counts).filter(([t]) => t.startsWith('kubernetes:') && t !== 'kubernetes:helm.sh/v3:Release');
  lines.push('', `Edge objects applied (${k8sKinds.reduce((s, [, n]) => s + n, 0)}):`);
  for (const [t, n] of k8sKinds.sort()) lines.push(`  ${String(n).padStart(3)}  ${t.slice('kubernetes:'.length)}`);
  const istio = rec(outputs.istio);
  if (typeof istio.step === 'string') lines.push('', `Istio (${str(istio.mode)}): ${istio.step}`);
  lines.push('', 'Outputs:');
  for (const [k, v] of Object.entries(shownOutputs)) lines.push(`  ${k}: ${v === '<unknown>' ? v : JSON.stringify(v)}`);
  lines.push('', total);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
