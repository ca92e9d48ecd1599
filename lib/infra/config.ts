/**
 * The Pulumi stack's configuration: read as plain values, validated before any resource is
 * declared, so a wrong zone list or load balancer SKU (both fixed at cluster creation) never
 * reaches Azure. Pure functions: tested without Pulumi's mocks.
 */
import { describeProblem } from '../errors';

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
  /** Helm chart version (helm mode). */
  readonly version: string;
  /** The revision: required for the AKS add-on ("asm-1-27"); optional in helm mode. */
  readonly revision?: string;
}

/** Microsoft Entra ID integration of the cluster. */
export interface EntraIdConfig {
  /** Object IDs of the groups that get cluster-admin. */
  readonly adminGroupObjectIds: string[];
  /** Authorize Kubernetes API calls with Azure RBAC. */
  readonly azureRbac: boolean;
  /** Disable the cluster's local accounts (the kubeconfig then needs kubelogin). */
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

/** The validated configuration of a stack. */
export interface StackConfig {
  /** The edge environment deployed (a key of the app's environments). */
  readonly environment: string;
  /** Production rules apply (at least two zones, two gateway replicas). */
  readonly production: boolean;
  readonly location: string;
  readonly kubernetesVersion: string;
  /** Availability zones of every node pool and of the public IP. */
  readonly zones: string[];
  readonly systemPool: PoolConfig;
  readonly userPools: PoolConfig[];
  readonly loadBalancerSku: 'standard';
  readonly istio: IstioConfig;
  readonly autoUpgradeChannel: string;
  readonly entraId?: EntraIdConfig;
  readonly monitoring: MonitoringConfig;
  /** An existing Key Vault's resource group, when the gateway's vault is not created by the stack. */
  readonly keyVaultExistingResourceGroup?: string;
  /** Address ranges allowed to reach the API server (none: unrestricted). */
  readonly apiServerAuthorizedIpRanges: string[];
  /** The network policy engine (NetworkPolicies need one). */
  readonly networkPolicy: 'cilium' | 'azure' | 'calico';
  /** The Azure Policy add-on. */
  readonly azurePolicy: boolean;
  readonly tags: Record<string, string>;
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

/** Every key the stack reads, without the namespace. */
export const CONFIG_KEYS = [
  'environment', 'production', 'location', 'kubernetesVersion', 'zones', 'systemPool', 'userPools', 'loadBalancerSku',
  'istio', 'autoUpgradeChannel', 'entraId', 'monitoring', 'tags', 'clusterName', 'hostnames', 'tlsSecretName',
  'keyVault', 'apiServerAuthorizedIpRanges', 'networkPolicy', 'azurePolicy',
] as const;

/**
 * Validates a stack's configuration.
 * @param values the raw values by key (without namespace): strings as Pulumi stores them, or
 *   already-parsed values.
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
      return JSON.parse(v);
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

  const environment = str('environment');
  if (environment === undefined || !(environment in environments)) {
    bad('environment', environment, `Use one of the app's environments: ${Object.keys(environments).join(', ')} (pulumi config set environment <name>).`);
  }
  const productionRaw = json('production');
  if (productionRaw !== undefined && typeof productionRaw !== 'boolean') bad('production', productionRaw, 'Use true or false.');
  const production = typeof productionRaw === 'boolean' ? productionRaw : environment === 'prod';

  const location = str('location');
  if (location === undefined || !/^[a-z][a-z0-9]+$/.test(location)) bad('location', location, 'Use an Azure region name such as "westeurope" (pulumi config set location westeurope).');
  const kubernetesVersion = str('kubernetesVersion');
  if (kubernetesVersion === undefined || !/^1\.\d+(\.\d+)?$/.test(kubernetesVersion)) {
    bad('kubernetesVersion', kubernetesVersion, 'Use a Kubernetes version AKS offers, such as "1.33" (az aks get-versions -l <location>).');
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
    if (!p || typeof p !== 'object') {
      bad(key, p, 'Use an object { "name": "...", "vmSize": "Standard_D4ds_v5", "minCount": 2, "maxCount": 5 }.');
      return undefined;
    }
    const o = p as Record<string, unknown>;
    const name = o.name ?? (system ? 'system' : undefined);
    if (typeof name !== 'string' || !/^[a-z][a-z0-9]{0,11}$/.test(name)) bad(`${key}.name`, name, 'Use at most 12 lower-case letters and digits, starting with a letter.');
    if (typeof o.vmSize !== 'string' || !/^Standard_[A-Za-z0-9_]+$/.test(o.vmSize)) bad(`${key}.vmSize`, o.vmSize, 'Use an Azure VM size such as "Standard_D4ds_v5".');
    const min = o.minCount;
    const max = o.maxCount;
    const floor = system ? 1 : 0;
    if (!Number.isInteger(min) || (min as number) < floor) bad(`${key}.minCount`, min, `Use an integer of at least ${floor}.`);
    if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 1000) bad(`${key}.maxCount`, max, 'Use an integer between 1 and 1000.');
    else if (Number.isInteger(min) && (min as number) > (max as number)) bad(`${key}.minCount`, `${min} (maxCount ${max})`, 'minCount must not exceed maxCount: lower minCount or raise maxCount.');
    return { name: name as string, vmSize: o.vmSize as string, minCount: min as number, maxCount: max as number };
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
  let istio: IstioConfig = { mode: IstioMode.HELM, version: PINNED_ISTIO_VERSION };
  if (!istioRaw || typeof istioRaw !== 'object') {
    bad('istio', istioRaw, 'Use { "mode": "helm" } or { "mode": "aks-addon", "revision": "asm-1-27" }.');
  } else {
    const o = istioRaw as Record<string, unknown>;
    const mode = o.mode ?? IstioMode.HELM;
    if (mode !== IstioMode.HELM && mode !== IstioMode.AKS_ADDON) bad('istio.mode', mode, 'Use "helm" or "aks-addon".');
    const version = o.version ?? PINNED_ISTIO_VERSION;
    if (typeof version !== 'string' || !/^1\.30\.\d+$/.test(version)) {
      bad('istio.version', version, `Use a 1.30 patch release (default ${PINNED_ISTIO_VERSION}): the constructs are generated from Istio ${PINNED_ISTIO_VERSION}'s CRDs.`);
    }
    const revision = o.revision;
    if (mode === IstioMode.AKS_ADDON) {
      if (typeof revision !== 'string' || !/^asm-1-\d+$/.test(revision)) {
        bad('istio.revision', revision, 'The AKS add-on needs a revision it supports, such as "asm-1-27" (az aks mesh get-revisions -l <location>).');
      }
    } else if (revision !== undefined && (typeof revision !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(revision))) {
      bad('istio.revision', revision, 'Use a DNS-1123 label such as "1-30-3", or leave it out for the default revision.');
    }
    istio = { mode: mode as IstioMode, version: version as string, revision: revision as string | undefined };
  }

  const autoUpgradeChannel = str('autoUpgradeChannel', 'patch')!;
  if (!AUTO_UPGRADE_CHANNELS.includes(autoUpgradeChannel)) bad('autoUpgradeChannel', autoUpgradeChannel, `Use one of ${AUTO_UPGRADE_CHANNELS.join(', ')}.`);

  const entraRaw = json('entraId');
  let entraId: EntraIdConfig | undefined;
  if (entraRaw !== undefined) {
    const o = (entraRaw ?? {}) as Record<string, unknown>;
    const groups = o.adminGroupObjectIds;
    if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== 'string' || !GUID.test(g))) {
      bad('entraId.adminGroupObjectIds', groups, 'List the object IDs (GUIDs) of the Entra ID groups that administer the cluster.');
    }
    entraId = { adminGroupObjectIds: groups as string[], azureRbac: o.azureRbac !== false, disableLocalAccounts: o.disableLocalAccounts !== false };
  }

  const monRaw = (json('monitoring') ?? {}) as Record<string, unknown>;
  const monitoring: MonitoringConfig = { enabled: true, emails: [], webhooks: [], grafana: false };
  if (!monRaw || typeof monRaw !== 'object' || Array.isArray(monRaw)) {
    bad('monitoring', monRaw, 'Use { "emails": ["ops@example.com"], "webhooks": ["https://..."], "grafana": true }.');
  } else {
    const list = (key: string, ok: (v: string) => boolean, fix: string): string[] => {
      const v = monRaw[key] ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !ok(x))) {
        bad(`monitoring.${key}`, v, fix);
        return [];
      }
      return v as string[];
    };
    const enabled = monRaw.enabled ?? true;
    const grafana = monRaw.grafana ?? false;
    if (typeof enabled !== 'boolean') bad('monitoring.enabled', enabled, 'Use true or false.');
    if (typeof grafana !== 'boolean') bad('monitoring.grafana', grafana, 'Use true or false.');
    Object.assign(monitoring, {
      enabled: enabled === true,
      grafana: grafana === true,
      emails: list('emails', (x) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(x), 'List e-mail addresses, for example ["ops@example.com"].'),
      webhooks: list('webhooks', (x) => /^https:\/\/[^\s]+$/.test(x), 'List HTTPS URLs.'),
    });
    if (production && monitoring.enabled && monitoring.emails.length + monitoring.webhooks.length === 0) {
      bad('monitoring', monRaw, 'Production alerts need someone to notify: give monitoring.emails or monitoring.webhooks.');
    }
  }

  const kvRaw = json('keyVault') as Record<string, unknown> | undefined;
  let keyVaultExistingResourceGroup: string | undefined;
  if (kvRaw !== undefined) {
    const rg = kvRaw && typeof kvRaw === 'object' ? kvRaw.existingResourceGroup : kvRaw;
    if (typeof rg !== 'string' || !/^[-\w._()]{1,90}$/.test(rg)) bad('keyVault.existingResourceGroup', rg, 'Give the resource group of the existing vault, or leave keyVault out to create the vault.');
    else keyVaultExistingResourceGroup = rg;
  }
  const ranges = json('apiServerAuthorizedIpRanges') ?? [];
  const cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
  if (!Array.isArray(ranges) || ranges.some((r) => typeof r !== 'string' || !cidr.test(r))) {
    bad('apiServerAuthorizedIpRanges', ranges, 'List IPv4 CIDR ranges, for example ["203.0.113.0/24"]; include where `pulumi up` runs from.');
  }
  const networkPolicy = str('networkPolicy', 'cilium')!;
  if (!['cilium', 'azure', 'calico'].includes(networkPolicy)) bad('networkPolicy', networkPolicy, 'Use "cilium" (default), "azure" or "calico": the edge\'s NetworkPolicies need an engine.');
  const azurePolicyRaw = json('azurePolicy') ?? production;
  if (typeof azurePolicyRaw !== 'boolean') bad('azurePolicy', azurePolicyRaw, 'Use true or false.');

  const tagsRaw = json('tags') ?? {};
  if (!tagsRaw || typeof tagsRaw !== 'object' || Array.isArray(tagsRaw) || Object.values(tagsRaw).some((v) => typeof v !== 'string')) {
    bad('tags', tagsRaw, 'Use an object of string values, for example { "costCenter": "shop" }.');
  }
  const clusterName = str('clusterName', `aks-${environment ?? stack}`)!;
  if (!/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/.test(clusterName)) bad('clusterName', clusterName, 'Use 2-63 letters, digits, "-" or "_".');

  const hostnames = json('hostnames');
  if (hostnames !== undefined && (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.some((h) => typeof h !== 'string'))) {
    bad('hostnames', hostnames, 'Use a list of host names, or leave it out to use the environment\'s.');
  }
  const tlsSecretName = str('tlsSecretName');

  if (environment && environment in environments && production && environments[environment].gatewayMinReplicas < 2) {
    bad('environment', environment,
      `Environment "${environment}" runs the gateway with minReplicas ${environments[environment].gatewayMinReplicas}; production needs at least 2 so a pod restart or a node drain never takes the edge down: raise gatewayAutoscaling.minReplicas.`);
  }

  if (errors.length) throw new ConfigError(errors.join('\n'));
  return {
    environment: environment!, production, location: location!, kubernetesVersion: kubernetesVersion!, zones,
    systemPool: systemPool!, userPools, loadBalancerSku: 'standard', istio, autoUpgradeChannel, entraId, monitoring,
    keyVaultExistingResourceGroup, apiServerAuthorizedIpRanges: Array.isArray(ranges) ? ranges as string[] : [],
    networkPolicy: networkPolicy as StackConfig['networkPolicy'], azurePolicy: azurePolicyRaw === true,
    tags: { environment: environment!, 'managed-by': 'pulumi', ...(tagsRaw as Record<string, string>) },
    clusterName, hostnames: hostnames as string[] | undefined, tlsSecretName,
  };
}
