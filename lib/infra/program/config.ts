/**
 * The Pulumi stack's configuration: read as plain values, validated before any resource is
 * declared, so a wrong zone list or load balancer SKU (both fixed at cluster creation) never
 * reaches Azure. Pure functions: tested without Pulumi's mocks.
 */
import { describeProblem } from '../../private/errors';
import { KEY_VAULT_NAME } from './names';
import {
  AKS_ISTIO_ADDON_REVISIONS, AZURE_REGIONS, closest, DEFAULT_ISTIO_CHART_REPOSITORY, DEFAULT_ISTIO_HUB, LTS_KUBERNETES_MINORS, SUPPORTED_ISTIO_MINORS, SUPPORTED_KUBERNETES_MINORS,
} from './support-window';

/** The Istio release the constructs' CRD imports come from. */
export const PINNED_ISTIO_VERSION = '1.30.3';

/** The configuration namespace (the Pulumi project's name). */
export const CONFIG_NAMESPACE = 'istio-aks-edge';

/** A node pool. */
export interface PoolConfig {
  /** The pool's name (lower-case letters and digits, at most 12). */
  readonly name: string;
  /** The VM size, for example "Standard_D4ds_v5". */
  readonly vmSize: string;
  /** The autoscaler's minimum node count. */
  readonly minCount: number;
  /** The autoscaler's maximum node count. */
  readonly maxCount: number;
  /**
   * Extra nodes AKS adds while upgrading or reimaging the pool: a count ("1") or a percentage of
   * the pool ("33%"), as AKS's `upgradeSettings.maxSurge`.
   * @default - "33%" in production (AKS's advice for production pools), "10%" (AKS's default) elsewhere
   */
  readonly maxSurge: string;
}

/** A weekly maintenance window (an AKS maintenance configuration). */
export interface MaintenanceWindowConfig {
  /** The day of the week ("Sunday" ... "Saturday"). */
  readonly day: string;
  /** The start time, "HH:MM" in `utcOffset`. */
  readonly start: string;
  /** The window's length in hours, 4 to 24 (AKS's bounds). */
  readonly durationHours: number;
  /** The UTC offset of `start`, "+HH:MM" or "-HH:MM". */
  readonly utcOffset: string;
  /** Every how many weeks, 1 to 4. */
  readonly intervalWeeks: number;
}

/** When AKS may upgrade: its managed maintenance configurations. */
export interface MaintenanceConfig {
  /** Kubernetes auto-upgrades (`aksManagedAutoUpgradeSchedule`). */
  readonly kubernetes: MaintenanceWindowConfig;
  /** Node-OS image upgrades (`aksManagedNodeOSUpgradeSchedule`). */
  readonly nodeOS: MaintenanceWindowConfig;
}

/** Who reaches the API server, what is logged, what watches the cluster. */
export interface SecurityConfig {
  /**
   * A private cluster: the API server has no public endpoint (then `apiServerAuthorizedIpRanges`
   * does not apply, and `pulumi up` must run from a network that reaches the cluster's VNet).
   * @default false
   */
  readonly privateCluster: boolean;
  /**
   * Send the API server's audit logs (kube-audit-admin), Entra ID authorization (guard) and the
   * cluster autoscaler's logs to a Log Analytics workspace the stack creates.
   * @default - on in production
   */
  readonly auditLogs: boolean;
  /** Retention of the workspace, in days (30 to 730). @default 90 */
  readonly auditLogRetentionDays: number;
  /** Microsoft Defender for Containers' sensor (`securityProfile.defender`, on the same workspace). @default - on in production */
  readonly defender: boolean;
  /** The image cleaner (`securityProfile.imageCleaner`): removes unused images from nodes. @default - on in production */
  readonly imageCleaner: boolean;
}

/** How the Istio control plane is installed. */
export enum IstioMode {
  /** The official `base` and `istiod` Helm charts, pinned to the imported CRDs' release. */
  HELM = 'helm',
  /** The AKS Istio add-on (`serviceMeshProfile`), at a revision AKS supports. */
  AKS_ADDON = 'aks-addon',
}

/** Istio settings. */
export interface IstioConfig {
  readonly mode: IstioMode;
  /** Helm chart version (helm mode): a patch release of one of {@link SUPPORTED_ISTIO_MINORS}. */
  readonly version: string;
  /**
   * The Helm repository of the `base`, `cni` and `istiod` charts (helm mode).
   * @default DEFAULT_ISTIO_CHART_REPOSITORY
   */
  readonly chartRepository: string;
  /**
   * The registry of Istio's images, the charts' `global.hub` (helm mode).
   * @default DEFAULT_ISTIO_HUB
   */
  readonly hub: string;
  /**
   * The revision workloads use (`istio.io/rev`). Without {@link revisions}: the add-on's single
   * revision ("asm-1-30"), or in helm mode the revision of the one istiod upgraded in place
   * (optional). With {@link revisions}: the revision that serves ({@link activeRevision}).
   */
  readonly revision?: string;
  /**
   * The control plane revisions installed, oldest first: one, or two during an upgrade (the
   * serving one and the new one). Helm mode: istiod per revision, each named for its version
   * ("1-30-3" is Istio 1.30.3; Istio's advice for revision names), the `base` chart (CRDs) and
   * `cni` at the newest. AKS add-on: `serviceMeshProfile.istio.revisions` ("asm-1-29", "asm-1-30":
   * two consecutive revisions during AKS's canary upgrade).
   * @default - none: one control plane without revisions (helm: istiod upgraded in place), or the add-on's `revision`
   */
  readonly revisions: readonly string[];
  /**
   * The revision that serves the workloads, one of {@link revisions}: helm mode points the revision
   * tag at it (and the `base` chart's default revision, which validates unlabelled Istio config); with
   * the add-on, namespaces and the gateway are labelled with it.
   * @default - the only revision; required with two
   */
  readonly activeRevision?: string;
  /**
   * The revision tag namespaces and the gateway carry (`istio.io/rev: <tag>`) in helm mode with
   * {@link revisions}: the istiod chart's `revisionTags` on the active revision's release, so
   * moving the tag moves the workloads (on their next restart) without relabelling anything.
   * "default" also serves `istio-injection: enabled` namespaces.
   * @default "prod-stable" (helm mode with revisions); none otherwise
   */
  readonly tag?: string;
}

/** Istio's version of a helm revision name ("1-30-3" → "1.30.3"), undefined when the name does not encode one. */
export function revisionVersion(revision: string): string | undefined {
  const m = /^1-(\d+)-(\d+)$/.exec(revision);
  return m ? `1.${m[1]}.${m[2]}` : undefined;
}

/** Compares two revisions by the version they name (helm "1-30-3", add-on "asm-1-30"). */
function compareRevisions(a: string, b: string): number {
  const nums = (r: string) => r.replace(/^asm-/, '').split('-').map(Number);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The label value workloads carry (`istio.io/rev`): the tag (helm with revisions), else the revision that serves. */
export function workloadRevision(istio: IstioConfig): string | undefined {
  return istio.tag ?? istio.activeRevision ?? istio.revision;
}

/** Microsoft Entra ID integration of the cluster (on by default in production). */
export interface EntraIdConfig {
  /**
   * Object IDs of the Entra ID groups that administer the stack: cluster admins (AKS
   * `adminGroupObjectIDs` and, with Azure RBAC, "Azure Kubernetes Service RBAC Cluster Admin" and
   * "Cluster User"), "Key Vault Certificates Officer" on a vault the stack creates, "Grafana Admin".
   * Required in production. {@link PLACEHOLDER_GUID} is accepted only under Pulumi's mocks.
   * @default - none (outside production)
   */
  readonly adminGroupObjectIds: string[];
  /**
   * Also make the identity running `pulumi up` an admin (the same roles as the groups), for a first
   * deployment by an identity outside the groups. Every deployer that ran with it keeps its
   * assignments (the stack records them) until listed in {@link revokedDeployers}: a run by another
   * identity never removes them.
   * @default false
   */
  readonly bootstrapDeployer: boolean;
  /**
   * Object IDs of former deployers whose bootstrap assignments the next run removes.
   * @default - none
   */
  readonly revokedDeployers: string[];
  /** Authorize Kubernetes API calls with Azure RBAC. */
  readonly azureRbac: boolean;
  /** Disable the cluster's local accounts (people then sign in with kubelogin). */
  readonly disableLocalAccounts: boolean;
}

/** Azure Managed Prometheus, alerting and Grafana. */
export interface MonitoringConfig {
  /** Enable Azure Managed Prometheus and the alert rule groups. */
  readonly enabled: boolean;
  /** E-mail addresses the action group notifies. */
  readonly emails: string[];
  /** HTTPS webhooks the action group calls. */
  readonly webhooks: string[];
  /** Create Azure Managed Grafana on the workspace. */
  readonly grafana: boolean;
}

/** The gateway's Key Vault, as the stack creates or references it. */
export interface KeyVaultConfig {
  /**
   * An existing vault's resource group: the vault is referenced, not created.
   * @default - the stack creates the vault
   */
  readonly existingResourceGroup?: string;
  /**
   * The vault's name.
   * @default - derived: "kv-<environment>-<hash of subscription, resource group, environment>"
   *   for a created vault; the environment's `vaultName` for an existing one
   */
  readonly name?: string;
  /**
   * Recover a soft-deleted vault of the same name instead of creating it (after a `destroy`, a
   * purge-protected vault's name stays taken for its 90-day retention).
   * @default false
   */
  readonly recover: boolean;
}

/** The Argo project's official Helm repository (the default of `argoRollouts.chartRepository`). */
export const ARGO_HELM_REPOSITORY = 'https://argoproj.github.io/argo-helm';

/** The Argo Rollouts controller and the credentials its analysis uses (config `argoRollouts`, `argoRolloutsClientSecret`). */
export interface ArgoRolloutsConfig {
  /**
   * Install the controller: true, false, or undefined for "when the app's objects have a Rollout
   * or an analysis template".
   * @default - when the app's objects need it
   */
  readonly install?: boolean;
  /** The Helm repository of the `argo-rollouts` chart. */
  readonly chartRepository: string;
  /**
   * The object ID of the service principal whose client secret the AnalysisTemplates read
   * (`PrometheusSource.azureManaged`): it gets "Monitoring Data Reader" on the stack's Azure Monitor workspace.
   * @default - no role assignment (give the role yourself)
   */
  readonly prometheusReaderObjectId?: string;
  /**
   * That service principal's client secret (config `argoRolloutsClientSecret`, set with
   * `pulumi config set --secret`): the program writes it into the Secret the AnalysisTemplates read.
   * @default - the program writes no Secret (create it yourself)
   */
  readonly clientSecret?: string;
}

/** The validated configuration of a stack. */
export interface StackConfig {
  /** The edge environment deployed (a key of the app's environments). */
  readonly environment: string;
  /** Production rules apply (at least two zones, two gateway replicas, Entra ID, protection). */
  readonly production: boolean;
  /** The Azure region (one of {@link AZURE_REGIONS}). */
  readonly location: string;
  /** "1.35" or "1.35.2": inside {@link SUPPORTED_KUBERNETES_MINORS} (or the LTS window). */
  readonly kubernetesVersion: string;
  /** Long-term support: the Premium tier and the `AKSLongTermSupport` plan. */
  readonly longTermSupport: boolean;
  /** Availability zones of every node pool and of the public IP. */
  readonly zones: string[];
  /** The inline system pool. */
  readonly systemPool: PoolConfig;
  /** The user pools (separate AgentPool resources). */
  readonly userPools: PoolConfig[];
  /** Always "standard". */
  readonly loadBalancerSku: 'standard';
  /** How Istio is installed. */
  readonly istio: IstioConfig;
  /** The cluster's auto-upgrade channel. */
  readonly autoUpgradeChannel: string;
  /** Entra ID integration; on by default in production. */
  readonly entraId?: EntraIdConfig;
  /** Azure Managed Prometheus, alerting and Grafana. */
  readonly monitoring: MonitoringConfig;
  /** The gateway's Key Vault. */
  readonly keyVault: KeyVaultConfig;
  /** Address ranges allowed to reach the API server (none: unrestricted; required in production unless private). */
  readonly apiServerAuthorizedIpRanges: string[];
  /** Maintenance windows of AKS's upgrades. */
  readonly maintenance: MaintenanceConfig;
  /** API server access, audit logs, Defender, image cleaner. */
  readonly security: SecurityConfig;
  /** The network policy engine (NetworkPolicies need one). */
  readonly networkPolicy: 'cilium' | 'azure' | 'calico';
  /** The Azure Policy add-on. */
  readonly azurePolicy: boolean;
  /**
   * Deploy the edge in its Kubernetes Gateway API form (Gateway, HTTPRoute) instead of Istio's
   * Gateway and VirtualService; the Gateway API CRDs (v1.5.1, standard channel) are installed first.
   */
  readonly gatewayApi: boolean;
  /** The Argo Rollouts controller and its analysis credentials. */
  readonly argoRollouts: ArgoRolloutsConfig;
  /** Tags of every Azure resource. */
  readonly tags: Record<string, string>;
  /**
   * The deploying identity's principal type, for its role assignments.
   * @default - "User" when `pulumi up` runs with a person's sign-in (Azure CLI, PowerShell, VS Code), else "ServicePrincipal"
   */
  readonly deployerPrincipalType?: 'User' | 'ServicePrincipal';
  /** The cluster's name, also its DNS prefix. */
  readonly clusterName: string;
  /** Override of the environment's hosts (then what is applied differs from `npm run synth`). */
  readonly hostnames?: string[];
  /** Override of the environment's TLS secret name. */
  readonly tlsSecretName?: string;
}

/** What the validator needs to know of the app's environments. */
export interface EnvironmentFacts {
  /** The gateway autoscaler's minimum replicas. */
  readonly gatewayMinReplicas: number;
}

/** A configuration error: names the key, the value and the fix. */
export class ConfigError extends Error {}

const AUTO_UPGRADE_CHANNELS = ['none', 'patch', 'stable', 'rapid', 'node-image'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The placeholder for an object ID a stack file cannot know (the nil GUID, never an Entra ID
 * object): committed so the offline plan and the tests run, refused by a real `pulumi up`
 * (lib/infra/program/previous-deployment.ts, `refusePlaceholders`).
 */
export const PLACEHOLDER_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Address ranges reserved for documentation (RFC 5737): placeholders for the API server's
 * authorized ranges, refused by a real `pulumi up` like {@link PLACEHOLDER_GUID}.
 */
export const PLACEHOLDER_CIDRS: readonly string[] = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];

/** The committed placeholders of a configuration, as "key: value" (empty when there are none). */
export function placeholdersIn(config: StackConfig): string[] {
  const found: string[] = [];
  for (const g of config.entraId?.adminGroupObjectIds ?? []) if (g === PLACEHOLDER_GUID) found.push(`entraId.adminGroupObjectIds: "${g}"`);
  for (const r of config.apiServerAuthorizedIpRanges) if (PLACEHOLDER_CIDRS.includes(r)) found.push(`apiServerAuthorizedIpRanges: "${r}"`);
  return found;
}
/** AKS DNS prefix: 1-54 letters, digits and "-", starting and ending with a letter or digit. */
const DNS_PREFIX = /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,52}[a-zA-Z0-9])?$/;

/** Every key the stack reads, without the namespace. */
export const CONFIG_KEYS = [
  'environment', 'production', 'location', 'kubernetesVersion', 'longTermSupport', 'zones', 'systemPool', 'userPools',
  'loadBalancerSku', 'istio', 'autoUpgradeChannel', 'entraId', 'monitoring', 'tags', 'clusterName', 'hostnames',
  'tlsSecretName', 'keyVault', 'apiServerAuthorizedIpRanges', 'networkPolicy', 'azurePolicy', 'deployerPrincipalType',
  'gatewayApi', 'maintenance', 'security', 'argoRollouts', 'argoRolloutsClientSecret',
] as const;

/** The keys of each object-valued setting. */
const OBJECT_KEYS: Record<string, readonly string[]> = {
  systemPool: ['name', 'vmSize', 'minCount', 'maxCount', 'maxSurge'],
  userPools: ['name', 'vmSize', 'minCount', 'maxCount', 'maxSurge'],
  maintenance: ['kubernetes', 'nodeOS'],
  'maintenance.kubernetes': ['day', 'start', 'durationHours', 'utcOffset', 'intervalWeeks'],
  'maintenance.nodeOS': ['day', 'start', 'durationHours', 'utcOffset', 'intervalWeeks'],
  security: ['privateCluster', 'auditLogs', 'auditLogRetentionDays', 'defender', 'imageCleaner'],
  istio: ['mode', 'version', 'revision', 'revisions', 'activeRevision', 'tag', 'chartRepository', 'hub'],
  entraId: ['enabled', 'adminGroupObjectIds', 'azureRbac', 'disableLocalAccounts', 'bootstrapDeployer', 'revokedDeployers'],
  monitoring: ['enabled', 'emails', 'webhooks', 'grafana'],
  keyVault: ['existingResourceGroup', 'name', 'recover'],
  argoRollouts: ['install', 'chartRepository', 'prometheusReaderObjectId'],
};

/**
 * Validates a stack's configuration: every problem at once, before any resource is declared.
 * @param values the raw values by key (without namespace), every key of the namespace the stack
 *   has (unknown keys are refused): strings as Pulumi hands them over, or already-parsed values.
 * @param stack the stack's name, for messages.
 * @param environments the app's environments by name.
 */
export function parseStackConfig(values: Record<string, unknown>, stack: string, environments: Record<string, EnvironmentFacts>): StackConfig {
  const errors: string[] = [];
  const bad = (key: string, value: unknown, fix: string) => {
    errors.push(describeProblem(`Pulumi stack "${stack}"`, `config ${CONFIG_NAMESPACE}:${key}`, value, fix));
  };
  const raw = (key: string) => values[key];
  const json = (key: string) => {
    const v = raw(key);
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  };
  const str = (key: string, fallback?: string): string | undefined => {
    const v = raw(key);
    if (v === undefined || v === '') return fallback;
    if (typeof v !== 'string') {
      bad(key, v, 'Use a string.');
      return fallback;
    }
    return v;
  };
  const bool = (key: string, v: unknown, fallback: boolean): boolean => {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      bad(key, v, 'Use true or false (a YAML boolean, unquoted).');
      return fallback;
    }
    return v;
  };
  /** An object setting: refuses non-objects and unknown keys; returns {} when absent or wrong. */
  const object = (key: string, v: unknown, shapeKey = key): Record<string, unknown> => {
    if (v === undefined) return {};
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      bad(key, v, `Use an object with the keys ${OBJECT_KEYS[shapeKey].join(', ')}.`);
      return {};
    }
    for (const k of Object.keys(v)) {
      if (!OBJECT_KEYS[shapeKey].includes(k)) {
        const hint = closest(k, OBJECT_KEYS[shapeKey]);
        bad(`${key}.${k}`, (v as Record<string, unknown>)[k], `Unknown key${hint ? `: did you mean "${hint}"?` : '.'} ${key} takes ${OBJECT_KEYS[shapeKey].join(', ')}.`);
      }
    }
    return v as Record<string, unknown>;
  };

  for (const key of Object.keys(values)) {
    if (values[key] !== undefined && !(CONFIG_KEYS as readonly string[]).includes(key)) {
      const hint = closest(key, CONFIG_KEYS);
      bad(key, values[key], `Unknown key${hint ? `: did you mean "${hint}"?` : '.'} Remove it (pulumi config rm ${CONFIG_NAMESPACE}:${key}); the stack reads ${CONFIG_KEYS.join(', ')}.`);
    }
  }

  const environment = str('environment');
  if (environment === undefined || !(environment in environments)) {
    bad('environment', environment, `Use one of the app's environments: ${Object.keys(environments).join(', ')} (pulumi config set environment <name>).`);
  }
  const production = bool('production', json('production'), environment === 'prod');

  const location = str('location');
  if (location === undefined || !AZURE_REGIONS.includes(location)) {
    const hint = location ? closest(location, AZURE_REGIONS) : undefined;
    bad('location', location, `Use an Azure region name${hint ? `: did you mean "${hint}"?` : ' such as "westeurope"'} (az account list-locations --query [].name).`);
  }

  const longTermSupport = bool('longTermSupport', json('longTermSupport'), false);
  const autoUpgradeChannel = str('autoUpgradeChannel', 'patch')!;
  if (!AUTO_UPGRADE_CHANNELS.includes(autoUpgradeChannel)) bad('autoUpgradeChannel', autoUpgradeChannel, `Use one of ${AUTO_UPGRADE_CHANNELS.join(', ')}.`);
  if (longTermSupport && (autoUpgradeChannel === 'stable' || autoUpgradeChannel === 'rapid')) {
    bad('autoUpgradeChannel', autoUpgradeChannel, 'Long-term support keeps a minor version: use "patch" (or "none", "node-image"); "stable" and "rapid" would move the cluster off it.');
  }

  const versionRaw = raw('kubernetesVersion');
  const window = longTermSupport ? LTS_KUBERNETES_MINORS : SUPPORTED_KUBERNETES_MINORS;
  const windowFix = `Use a version AKS and Istio ${PINNED_ISTIO_VERSION.replace(/\.\d+$/, '')} both support: ${window.map((v) => `"${v}"`).join(', ')}${longTermSupport ? ' (long-term support)' : ''} (the window is kept in lib/infra/program/support-window.ts; az aks get-versions -l <location>).`;
  let kubernetesVersion = '';
  if (typeof versionRaw === 'number' || (typeof versionRaw === 'string' && /^1\.\d$/.test(versionRaw))) {
    bad('kubernetesVersion', versionRaw, `A YAML number: quote the version ("1.30", not 1.30, which YAML reads as 1.3). ${windowFix}`);
  } else if (typeof versionRaw !== 'string' || !/^1\.\d+(\.\d+)?$/.test(versionRaw)) {
    bad('kubernetesVersion', versionRaw, `Use a quoted version such as "${SUPPORTED_KUBERNETES_MINORS[0]}". ${windowFix}`);
  } else {
    kubernetesVersion = versionRaw;
    const minor = versionRaw.split('.').slice(0, 2).join('.');
    if (!window.includes(minor)) {
      const lts = !longTermSupport && LTS_KUBERNETES_MINORS.includes(minor) ? ` ${minor} is only in long-term support: set longTermSupport: true (Premium tier).` : '';
      bad('kubernetesVersion', versionRaw, `${windowFix}${lts}`);
    } else if (autoUpgradeChannel === 'patch' && versionRaw !== minor) {
      bad('kubernetesVersion', versionRaw, `With autoUpgradeChannel "patch", give the minor version only ("${minor}"): AKS picks and upgrades the patch, and a pinned patch would ask for a downgrade after the first automatic upgrade.`);
    }
  }

  const zonesRaw = json('zones') ?? ['1', '2', '3'];
  let zones: string[] = ['1', '2', '3'];
  if (!Array.isArray(zonesRaw) || zonesRaw.length === 0 || zonesRaw.some((z) => !['1', '2', '3'].includes(String(z)))
    || new Set(zonesRaw.map(String)).size !== zonesRaw.length) {
    bad('zones', zonesRaw, 'Use a list of distinct availability zones among "1", "2", "3"; zones are fixed when a pool is created.');
  } else {
    zones = zonesRaw.map(String).sort();
    if (production && zones.length < 2) bad('zones', zonesRaw, 'Production needs at least two zones (preferably ["1", "2", "3"]) so one zone can fail.');
  }

  const pool = (key: string, p: unknown, system: boolean): PoolConfig | undefined => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) {
      bad(key, p, `Use an object { "name": "...", "vmSize": "Standard_D4ds_v5", "minCount": ${zones.length}, "maxCount": 6 }.`);
      return undefined;
    }
    const o = object(key, p, system ? 'systemPool' : 'userPools');
    const name = o.name ?? (system ? 'system' : undefined);
    // A user pool's AKS name gets 4 characters of its VM size (create-before-delete on a size change).
    const nameMax = system ? 12 : 8;
    if (typeof name !== 'string' || !new RegExp(`^[a-z][a-z0-9]{0,${nameMax - 1}}$`).test(name)) {
      bad(`${key}.name`, name, `Use at most ${nameMax} lower-case letters and digits, starting with a letter${system ? '' : ' (AKS names the pool <name><4 characters of the VM size>, at most 12)'}.`);
    }
    if (typeof o.vmSize !== 'string' || !/^Standard_[A-Za-z0-9_]+$/.test(o.vmSize)) bad(`${key}.vmSize`, o.vmSize, 'Use an Azure VM size such as "Standard_D4ds_v5".');
    const min = o.minCount;
    const max = o.maxCount;
    if (!Number.isInteger(min) || (min as number) < 1) bad(`${key}.minCount`, min, `Use an integer of at least ${zones.length}.`);
    else if ((min as number) < zones.length) {
      bad(`${key}.minCount`, min, `Use at least ${zones.length}, the number of zones (${zones.join(', ')}): the autoscaler's minimum then keeps a node in every zone, so losing one zone leaves the others serving.`);
    }
    if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 1000) bad(`${key}.maxCount`, max, 'Use an integer between 1 and 1000.');
    else if (Number.isInteger(min) && (min as number) > (max as number)) bad(`${key}.minCount`, `${min as number} (maxCount ${max as number})`, 'minCount must not exceed maxCount: lower minCount or raise maxCount.');
    const maxSurge = o.maxSurge ?? (production ? '33%' : '10%');
    if (typeof maxSurge !== 'string' || !/^([1-9]\d{0,2}|100%|[1-9]\d?%)$/.test(maxSurge)) {
      bad(`${key}.maxSurge`, maxSurge, 'Use a quoted node count such as "1" or a percentage of the pool from "1%" to "100%" (production default "33%").');
    }
    return { name: name as string, vmSize: o.vmSize as string, minCount: min as number, maxCount: max as number, maxSurge: maxSurge as string };
  };
  const systemPool = pool('systemPool', json('systemPool'), true);
  const userPoolsRaw = json('userPools') ?? [];
  const userPools: PoolConfig[] = [];
  if (!Array.isArray(userPoolsRaw)) bad('userPools', userPoolsRaw, 'Use a list of pools.');
  else userPoolsRaw.forEach((p, i) => { const r = pool(`userPools[${i}]`, p, false); if (r) userPools.push(r); });
  const names = [systemPool?.name, ...userPools.map((p) => p.name)];
  names.forEach((n, i) => { if (n && names.indexOf(n) !== i) bad(i === 0 ? 'systemPool.name' : `userPools[${i - 1}].name`, n, 'Pool names must be unique.'); });

  const sku = str('loadBalancerSku', 'standard')!;
  if (sku.toLowerCase() !== 'standard') {
    bad('loadBalancerSku', sku, 'Use "standard": the Basic load balancer is retired, has no availability zones and no SLA; the SKU is fixed at cluster creation.');
  }

  const istioRaw = json('istio') ?? { mode: IstioMode.HELM };
  let istio: IstioConfig = { mode: IstioMode.HELM, version: PINNED_ISTIO_VERSION, chartRepository: DEFAULT_ISTIO_CHART_REPOSITORY, hub: DEFAULT_ISTIO_HUB, revisions: [] };
  if (!istioRaw || typeof istioRaw !== 'object' || Array.isArray(istioRaw)) {
    bad('istio', istioRaw, `Use { "mode": "helm", "revisions": ["1-30-3"] } or { "mode": "aks-addon", "revision": "${AKS_ISTIO_ADDON_REVISIONS[AKS_ISTIO_ADDON_REVISIONS.length - 1]}" }.`);
  } else {
    const o = object('istio', istioRaw);
    const mode = o.mode ?? IstioMode.HELM;
    if (mode !== IstioMode.HELM && mode !== IstioMode.AKS_ADDON) bad('istio.mode', mode, 'Use "helm" or "aks-addon".');
    const supportedMinor = (v: string) => SUPPORTED_ISTIO_MINORS.includes(v.split('.').slice(0, 2).join('.'));
    const chartRepository = o.chartRepository ?? DEFAULT_ISTIO_CHART_REPOSITORY;
    if (typeof chartRepository !== 'string' || !/^(https|oci):\/\/\S+$/.test(chartRepository)) {
      bad('istio.chartRepository', chartRepository, `Use an https:// or oci:// Helm repository (default ${DEFAULT_ISTIO_CHART_REPOSITORY}, from istio.io's Helm install guide).`);
    }
    const hub = o.hub ?? DEFAULT_ISTIO_HUB;
    if (typeof hub !== 'string' || !/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/.test(hub)) {
      bad('istio.hub', hub, `Use an image registry and path such as "${DEFAULT_ISTIO_HUB}" (the default, where Istio publishes its releases) or your mirror.`);
    }
    const addon = mode === IstioMode.AKS_ADDON;
    const addonList = AKS_ISTIO_ADDON_REVISIONS.map((r) => `"${r}"`).join(', ');
    // The revisions installed, oldest first: at most two, the second the newer (the upgrade's target).
    let revisions: string[] = [];
    if (o.revisions !== undefined) {
      const list = o.revisions;
      const example = addon ? `["${AKS_ISTIO_ADDON_REVISIONS[0]}", "${AKS_ISTIO_ADDON_REVISIONS[1]}"]` : '["1-30-3", "1-31-1"]';
      if (!Array.isArray(list) || list.length < 1 || list.length > 2 || list.some((r) => typeof r !== 'string')) {
        bad('istio.revisions', list, `List one revision, or two during an upgrade (the serving one first, the new one second), for example ${example}.`);
      } else if (o.revision !== undefined) {
        bad('istio.revision', o.revision, 'Give istio.revisions (and istio.activeRevision with two) or istio.revision, not both.');
      } else {
        const names = list as string[];
        const valid = names.every((r, i) => {
          if (addon && !AKS_ISTIO_ADDON_REVISIONS.includes(r)) {
            bad(`istio.revisions[${i}]`, r, `Use a revision the AKS add-on supports: ${addonList} (kept in lib/infra/program/support-window.ts; az aks mesh get-revisions -l <location>).`);
            return false;
          }
          const version = addon ? undefined : revisionVersion(r);
          if (!addon && (version === undefined || !supportedMinor(version))) {
            bad(`istio.revisions[${i}]`, r, `Name a helm revision for the Istio release it installs, dots as dashes ("1-30-3" installs 1.30.3), of a minor Istio supports: ${SUPPORTED_ISTIO_MINORS.join(', ')} (lib/infra/program/support-window.ts).`);
            return false;
          }
          return true;
        });
        if (valid && names.length === 2) {
          const [serving, next] = names;
          if (compareRevisions(next, serving) <= 0) {
            bad('istio.revisions', names, `During an upgrade the second revision is the new one, newer than the first: list them oldest first${compareRevisions(next, serving) < 0 ? ` (["${next}", "${serving}"])` : ' (two different releases)'}.`);
          } else if (addon && AKS_ISTIO_ADDON_REVISIONS.indexOf(next) !== AKS_ISTIO_ADDON_REVISIONS.indexOf(serving) + 1) {
            bad('istio.revisions', names, `AKS upgrades the add-on to the next revision only (two consecutive revisions: ${addonList}); go through each in turn.`);
          }
        }
        revisions = names;
      }
    }
    const revision = o.revision;
    if (revisions.length === 0 && addon && o.revisions === undefined) {
      if (typeof revision !== 'string' || !AKS_ISTIO_ADDON_REVISIONS.includes(revision)) {
        bad('istio.revision', revision, `Use a revision the AKS add-on supports: ${addonList} (kept in lib/infra/program/support-window.ts; az aks mesh get-revisions -l <location>).`);
      } else revisions = [revision];
    } else if (revision !== undefined && (typeof revision !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(revision))) {
      bad('istio.revision', revision, 'Use a DNS-1123 label such as "1-30-3", or leave it out for the default revision.');
    }
    const revisioned = o.revisions !== undefined;
    let activeRevision = o.activeRevision;
    if (activeRevision === undefined) {
      if (revisions.length === 2) bad('istio.activeRevision', activeRevision, `During an upgrade name the revision that serves the workloads: "${revisions[0]}" (the canary step), then "${revisions[1]}" (the switch); remove "${revisions[0]}" from istio.revisions only after that.`);
      activeRevision = revisions.length === 1 ? revisions[0] : undefined;
    } else if (!revisioned) {
      bad('istio.activeRevision', activeRevision, 'The serving revision is one of istio.revisions: list them (istio.revisions) or leave activeRevision out.');
      activeRevision = undefined;
    } else if (typeof activeRevision !== 'string' || !revisions.includes(activeRevision)) {
      bad('istio.activeRevision', activeRevision, `Use one of istio.revisions: ${revisions.map((r) => `"${r}"`).join(', ')}.`);
      activeRevision = undefined;
    }
    let tag = o.tag;
    if (tag !== undefined && (addon || !revisioned)) {
      bad('istio.tag', tag, addon
        ? 'The AKS add-on has no revision tags: namespaces and the gateway are labelled with istio.activeRevision itself; leave tag out.'
        : 'A revision tag points at one of istio.revisions: list them (istio.revisions), or leave tag out.');
      tag = undefined;
    } else if (!addon && revisioned) {
      tag = tag ?? 'prod-stable';
      if (typeof tag !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(tag) || revisions.includes(tag)) {
        bad('istio.tag', tag, 'Use a DNS-1123 label that is not a revision\'s name, such as "prod-stable" (the default) or "default" (also serves istio-injection: enabled namespaces).');
      }
    }
    // Helm with revisions: base and CNI at the newest revision's release (CRDs first; CNI works
    // with control planes one minor either side); `version` would say something else.
    let version = o.version ?? PINNED_ISTIO_VERSION;
    if (!addon && revisioned && revisions.length) {
      const newest = revisionVersion(revisions[revisions.length - 1]);
      if (o.version !== undefined && o.version !== newest) {
        bad('istio.version', o.version, `With istio.revisions each revision's name gives its release, and base and cni follow the newest (${newest ?? 'none'}): leave istio.version out.`);
      }
      version = newest ?? version;
    } else if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version) || !supportedMinor(version)) {
      bad('istio.version', version, `Use a quoted patch release of a minor Istio supports: ${SUPPORTED_ISTIO_MINORS.join(', ')} (default ${PINNED_ISTIO_VERSION}, the release of the constructs' CRDs; the window is kept in lib/infra/program/support-window.ts).`);
    }
    istio = {
      mode: mode as IstioMode, version: version as string, revision: revisioned ? undefined : revision as string | undefined,
      chartRepository: chartRepository as string, hub: hub as string, revisions,
      ...(revisioned || addon ? { activeRevision: activeRevision as string | undefined } : {}),
      ...(tag !== undefined ? { tag: tag as string } : {}),
    };
  }

  const entraRaw = object('entraId', json('entraId'));
  let entraId: EntraIdConfig | undefined;
  // On in production; elsewhere on as soon as entraId is configured.
  if (bool('entraId.enabled', entraRaw.enabled, production || json('entraId') !== undefined)) {
    const guids = (key: string, fix: string): string[] => {
      const v = entraRaw[key] ?? [];
      if (!Array.isArray(v) || v.some((g) => typeof g !== 'string' || !GUID.test(g))) {
        bad(`entraId.${key}`, v, fix);
        return [];
      }
      return [...new Set(v.map((g: string) => g.toLowerCase()))];
    };
    entraId = {
      adminGroupObjectIds: guids('adminGroupObjectIds', 'List the object IDs (GUIDs) of the Entra ID groups that administer the cluster, for example ["6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f"] (az ad group show -g <name> --query id -o tsv).'),
      azureRbac: bool('entraId.azureRbac', entraRaw.azureRbac, true),
      disableLocalAccounts: bool('entraId.disableLocalAccounts', entraRaw.disableLocalAccounts, true),
      bootstrapDeployer: bool('entraId.bootstrapDeployer', entraRaw.bootstrapDeployer, false),
      revokedDeployers: guids('revokedDeployers', 'List the object IDs (GUIDs) of former deployers whose bootstrap assignments to remove (the `deployed.bootstrapDeployers` output lists them).'),
    };
    if (production && (entraRaw.adminGroupObjectIds === undefined || (Array.isArray(entraRaw.adminGroupObjectIds) && entraRaw.adminGroupObjectIds.length === 0))) {
      bad('entraId.adminGroupObjectIds', entraRaw.adminGroupObjectIds, 'Production names its admins as Entra ID groups, not whoever runs `pulumi up`: give the object ID of at least one group (az ad group show -g <name> --query id -o tsv). Set entraId.bootstrapDeployer: true as well if the identity running the first `pulumi up` is not in it.');
    }
    if (entraId.disableLocalAccounts && !entraId.azureRbac && entraId.adminGroupObjectIds.length === 0) {
      bad('entraId.azureRbac', false, 'With local accounts disabled and no admin group, only Azure RBAC can let the deploying identity in: keep azureRbac true or list adminGroupObjectIds.');
    }
  }

  const monRaw = object('monitoring', json('monitoring'));
  const monitoring: MonitoringConfig = { enabled: true, emails: [], webhooks: [], grafana: false };
  {
    const list = (key: string, ok: (v: string) => boolean, fix: string): string[] => {
      const v = monRaw[key] ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !ok(x))) {
        bad(`monitoring.${key}`, v, fix);
        return [];
      }
      return v as string[];
    };
    Object.assign(monitoring, {
      enabled: bool('monitoring.enabled', monRaw.enabled, true),
      grafana: bool('monitoring.grafana', monRaw.grafana, false),
      emails: list('emails', (x) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(x), 'List e-mail addresses, for example ["ops@example.com"].'),
      webhooks: list('webhooks', (x) => /^https:\/\/[^\s]+$/.test(x), 'List HTTPS URLs.'),
    });
    if (production && monitoring.enabled && monitoring.emails.length + monitoring.webhooks.length === 0) {
      bad('monitoring', monRaw, 'Production alerts need someone to notify: give monitoring.emails or monitoring.webhooks.');
    }
  }

  const kvRaw = object('keyVault', json('keyVault'));
  const keyVault: { existingResourceGroup?: string; name?: string; recover: boolean } = { recover: bool('keyVault.recover', kvRaw.recover, false) };
  if (kvRaw.existingResourceGroup !== undefined) {
    const rg = kvRaw.existingResourceGroup;
    if (typeof rg !== 'string' || !/^[-\w._()]{1,90}$/.test(rg)) bad('keyVault.existingResourceGroup', rg, 'Give the resource group of the existing vault, or leave keyVault out to create the vault.');
    else keyVault.existingResourceGroup = rg;
  }
  if (kvRaw.name !== undefined) {
    if (typeof kvRaw.name !== 'string' || !KEY_VAULT_NAME.test(kvRaw.name)) {
      bad('keyVault.name', kvRaw.name, 'Use a Key Vault name: 3-24 letters, digits and "-", starting with a letter, no "--"; globally unique. Leave it out for a derived one.');
    } else keyVault.name = kvRaw.name;
  }
  if (keyVault.recover && keyVault.existingResourceGroup) bad('keyVault.recover', true, 'Recovering applies to a vault the stack creates: leave recover out with existingResourceGroup.');

  const ranges = json('apiServerAuthorizedIpRanges') ?? [];
  const cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
  if (!Array.isArray(ranges) || ranges.some((r) => typeof r !== 'string' || !cidr.test(r))) {
    bad('apiServerAuthorizedIpRanges', ranges, 'List IPv4 CIDR ranges, for example ["203.0.113.0/24"]; include where `pulumi up` runs from.');
  }
  const secRaw = object('security', json('security'));
  const security: SecurityConfig = {
    privateCluster: bool('security.privateCluster', secRaw.privateCluster, false),
    auditLogs: bool('security.auditLogs', secRaw.auditLogs, production),
    auditLogRetentionDays: 90,
    defender: bool('security.defender', secRaw.defender, production),
    imageCleaner: bool('security.imageCleaner', secRaw.imageCleaner, production),
  };
  if (secRaw.auditLogRetentionDays !== undefined) {
    const d = secRaw.auditLogRetentionDays;
    if (!Number.isInteger(d) || (d as number) < 30 || (d as number) > 730) bad('security.auditLogRetentionDays', d, 'Use a number of days from 30 to 730 (Log Analytics\' bounds).');
    else Object.assign(security, { auditLogRetentionDays: d });
  }
  if (production && !security.privateCluster && Array.isArray(ranges) && ranges.length === 0) {
    bad('apiServerAuthorizedIpRanges', ranges, 'Production does not leave the API server open to the internet: list the IPv4 CIDR ranges allowed to reach it (your offices, VPN egress, the CI runners\' egress: wherever `pulumi up` and kubectl run), or set security.privateCluster: true.');
  }
  if (security.privateCluster && Array.isArray(ranges) && ranges.length > 0) {
    bad('apiServerAuthorizedIpRanges', ranges, 'A private cluster has no public API server endpoint to restrict: leave apiServerAuthorizedIpRanges out, or set security.privateCluster: false.');
  }

  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const mRaw = object('maintenance', json('maintenance'));
  const maintenanceWindow = (key: 'kubernetes' | 'nodeOS', fallback: MaintenanceWindowConfig): MaintenanceWindowConfig => {
    const w = object(`maintenance.${key}`, mRaw[key]);
    const day = w.day ?? fallback.day;
    const start = w.start ?? fallback.start;
    const durationHours = w.durationHours ?? fallback.durationHours;
    const utcOffset = w.utcOffset ?? fallback.utcOffset;
    const intervalWeeks = w.intervalWeeks ?? fallback.intervalWeeks;
    if (typeof day !== 'string' || !DAYS.includes(day)) bad(`maintenance.${key}.day`, day, `Use a day of the week: ${DAYS.join(', ')}.`);
    if (typeof start !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(start)) bad(`maintenance.${key}.start`, start, 'Use a quoted time "HH:MM" from "00:00" to "23:59".');
    if (!Number.isInteger(durationHours) || (durationHours as number) < 4 || (durationHours as number) > 24) bad(`maintenance.${key}.durationHours`, durationHours, 'Use 4 to 24 hours (AKS needs at least 4).');
    if (typeof utcOffset !== 'string' || !/^[+-](0\d|1[0-4]):[0-5]\d$/.test(utcOffset)) bad(`maintenance.${key}.utcOffset`, utcOffset, 'Use a quoted offset such as "+00:00" or "-05:00".');
    if (!Number.isInteger(intervalWeeks) || (intervalWeeks as number) < 1 || (intervalWeeks as number) > 4) bad(`maintenance.${key}.intervalWeeks`, intervalWeeks, 'Use 1 to 4 weeks.');
    return { day: day as string, start: start as string, durationHours: durationHours as number, utcOffset: utcOffset as string, intervalWeeks: intervalWeeks as number };
  };
  // Kubernetes upgrades at the start of the week's quietest night, node images the night before.
  const maintenance: MaintenanceConfig = {
    kubernetes: maintenanceWindow('kubernetes', { day: 'Sunday', start: '01:00', durationHours: 4, utcOffset: '+00:00', intervalWeeks: 1 }),
    nodeOS: maintenanceWindow('nodeOS', { day: 'Saturday', start: '01:00', durationHours: 4, utcOffset: '+00:00', intervalWeeks: 1 }),
  };

  const networkPolicy = str('networkPolicy', 'cilium')!;
  if (!['cilium', 'azure', 'calico'].includes(networkPolicy)) bad('networkPolicy', networkPolicy, 'Use "cilium" (default), "azure" or "calico": the edge\'s NetworkPolicies need an engine.');
  const azurePolicy = bool('azurePolicy', json('azurePolicy'), production);
  const gatewayApi = bool('gatewayApi', json('gatewayApi'), false);

  const argoRaw = object('argoRollouts', json('argoRollouts'));
  const argoRollouts: { install?: boolean; chartRepository: string; prometheusReaderObjectId?: string; clientSecret?: string } = {
    install: argoRaw.install === undefined ? undefined : bool('argoRollouts.install', argoRaw.install, true),
    chartRepository: ARGO_HELM_REPOSITORY,
  };
  if (argoRaw.chartRepository !== undefined) {
    if (typeof argoRaw.chartRepository !== 'string' || !/^(https|oci):\/\/\S+$/.test(argoRaw.chartRepository)) {
      bad('argoRollouts.chartRepository', argoRaw.chartRepository, `Use an https:// or oci:// Helm repository (default ${ARGO_HELM_REPOSITORY}, the Argo project's) or your mirror.`);
    } else argoRollouts.chartRepository = argoRaw.chartRepository;
  }
  if (argoRaw.prometheusReaderObjectId !== undefined) {
    const id = argoRaw.prometheusReaderObjectId;
    if (typeof id !== 'string' || !GUID.test(id)) {
      bad('argoRollouts.prometheusReaderObjectId', id, 'Give the object ID (a GUID) of the service principal whose client secret the AnalysisTemplates read (az ad sp show --id <client id> --query id -o tsv).');
    } else argoRollouts.prometheusReaderObjectId = id.toLowerCase();
  }
  const clientSecret = raw('argoRolloutsClientSecret');
  if (clientSecret !== undefined) {
    if (typeof clientSecret !== 'string' || clientSecret === '') bad('argoRolloutsClientSecret', '(secret)', 'Set the client secret as a string: pulumi config set --secret argoRolloutsClientSecret <value>.');
    else argoRollouts.clientSecret = clientSecret;
  }

  const tagsRaw = json('tags') ?? {};
  if (!tagsRaw || typeof tagsRaw !== 'object' || Array.isArray(tagsRaw) || Object.values(tagsRaw).some((v) => typeof v !== 'string')) {
    bad('tags', tagsRaw, 'Use an object of string values, for example { "costCenter": "shop" }.');
  }
  const clusterName = str('clusterName', `aks-${environment ?? stack}`)!;
  if (!DNS_PREFIX.test(clusterName)) {
    bad('clusterName', clusterName, 'The cluster name is also its DNS prefix: use 1-54 letters, digits and "-", starting and ending with a letter or digit (no "_").');
  }

  const hostnames = json('hostnames');
  if (hostnames !== undefined && (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.some((h) => typeof h !== 'string'))) {
    bad('hostnames', hostnames, 'Use a list of host names, or leave it out to use the environment\'s.');
  }
  const tlsSecretName = str('tlsSecretName');
  const deployerPrincipalType = str('deployerPrincipalType');
  if (deployerPrincipalType !== undefined && deployerPrincipalType !== 'User' && deployerPrincipalType !== 'ServicePrincipal') {
    bad('deployerPrincipalType', deployerPrincipalType, 'Use "User" or "ServicePrincipal" (a managed identity is a ServicePrincipal), or leave it out to derive it from the sign-in.');
  }

  if (environment && environment in environments && production && environments[environment].gatewayMinReplicas < 2) {
    bad('environment', environment,
      `Environment "${environment}" runs the gateway with minReplicas ${environments[environment].gatewayMinReplicas}; production needs at least 2 so a pod restart or a node drain never takes the edge down: raise gatewayAutoscaling.minReplicas.`);
  }

  if (errors.length) throw new ConfigError(errors.join('\n'));
  return {
    environment: environment!, production, location: location!, kubernetesVersion, longTermSupport, zones,
    systemPool: systemPool!, userPools, loadBalancerSku: 'standard', istio, autoUpgradeChannel, entraId, monitoring, keyVault,
    apiServerAuthorizedIpRanges: ranges as string[], maintenance, security, networkPolicy: networkPolicy as StackConfig['networkPolicy'], azurePolicy, gatewayApi, argoRollouts,
    tags: { environment: environment!, 'managed-by': 'pulumi', ...(tagsRaw as Record<string, string>) },
    clusterName, hostnames: hostnames as string[] | undefined, tlsSecretName,
    deployerPrincipalType: deployerPrincipalType as StackConfig['deployerPrincipalType'],
  };
}

/**
 * Whether AKS, not the configuration, moves the cluster's minor version: with the "stable" or
 * "rapid" channel AKS upgrades it itself, so a configured version older than the running one is
 * raised to the running one (with a warning) instead of refused (lib/infra/program/previous-deployment.ts).
 */
export function aksOwnsKubernetesVersion(config: Pick<StackConfig, 'autoUpgradeChannel'>): boolean {
  return config.autoUpgradeChannel === 'stable' || config.autoUpgradeChannel === 'rapid';
}
