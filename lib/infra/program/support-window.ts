/**
 * What Azure and Istio support, kept in one place: the Kubernetes versions the stack may create, the
 * AKS Istio add-on revisions, the Azure regions. Each list says where it comes from and how to move
 * it; the configuration validator (config.ts) reads nothing else.
 */

/**
 * The Kubernetes minor versions a new or updated cluster may run, as of late 2026: the versions
 * both AKS (generally available, community support) and Istio 1.30 support.
 *
 * - Istio 1.30 supports Kubernetes 1.32 to 1.36 (istio.io, docs/releases/supported-releases,
 *   "Support status of Istio releases"; the data file is istio/istio.io
 *   data/compatibility/supportStatus.yml).
 * - Upstream Kubernetes 1.34 reached end of life in October 2026; 1.35 is supported until
 *   February 2027 and 1.36 until June 2027 (kubernetes.io/releases). AKS ends a minor's community
 *   support with upstream and creates clusters only at versions it lists as generally available
 *   (AKS release calendar, learn.microsoft.com/azure/aks/supported-kubernetes-versions;
 *   `az aks get-versions -l <location>`).
 *
 * How to move it: when AKS makes a new minor generally available and the pinned Istio release
 * supports it, add it here; when a minor leaves AKS community support (or the Istio range), remove
 * it, then move `kubernetesVersion` in Pulumi.<stack>.yaml inside the window. A Istio upgrade
 * (PINNED_ISTIO_VERSION) moves the Istio side of the window.
 */
export const SUPPORTED_KUBERNETES_MINORS: readonly string[] = ['1.35', '1.36'];

/**
 * The minors AKS long-term support (Premium tier, support plan `AKSLongTermSupport`) keeps
 * supported in late 2026 that Istio 1.30 also supports: LTS adds a year after community support,
 * two years from AKS general availability (learn.microsoft.com/azure/aks/long-term-support), so
 * 1.33 and 1.34 remain in LTS until mid and late 2027; 1.32 is Istio 1.30's floor. Check
 * `az aks get-versions -l <location>` (each version's `capabilities.supportPlan` lists
 * `AKSLongTermSupport`) before relying on one. Move it like the community window.
 */
export const LTS_KUBERNETES_MINORS: readonly string[] = ['1.33', '1.34', '1.35', '1.36'];

/**
 * The Istio add-on revisions AKS supports in late 2026 (`istio.revision` in aks-addon mode). The
 * add-on calendar (learn.microsoft.com/azure/aks/istio-support-policy) releases a revision about
 * two months after upstream and ends it about six weeks after revision n+2 is out everywhere:
 * asm-1-28 ended in 2026; asm-1-29 and asm-1-30 are current, asm-1-30 matches the constructs'
 * Istio 1.30 CRDs. Check `az aks mesh get-revisions -l <location>`; add new revisions here and
 * drop ended ones.
 */
export const AKS_ISTIO_ADDON_REVISIONS: readonly string[] = ['asm-1-29', 'asm-1-30'];

/**
 * The Istio minor versions the stack installs in helm mode (`istio.version`), following Istio's
 * support policy: a minor is supported until six weeks after the second next minor is released
 * (istio.io, docs/releases/supported-releases, "Support policy"). Release dates, from the tags of
 * istio/istio: 1.29.0 on 2026-02-10, 1.30.0 on 2026-05-15 (1.30.3 on 2026-07-13), 1.31.0-rc.0 on
 * 2026-08-19 (1.31.0 followed). So 1.29 ended six weeks after 1.31.0; 1.30 (the release the
 * constructs' CRD imports come from) and 1.31 are the two newest supported minors in late 2026.
 * Add a minor when Istio releases it (and its supported Kubernetes range covers the window
 * above); drop one when its support ends, after moving the stacks off it.
 */
export const SUPPORTED_ISTIO_MINORS: readonly string[] = ['1.30', '1.31'];

/**
 * Istio's Helm chart repository, as istio.io's Helm install guide names it
 * (`helm repo add istio https://istio-release.storage.googleapis.com/charts`): the default of
 * `istio.chartRepository`.
 */
export const DEFAULT_ISTIO_CHART_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/**
 * Where Istio's release images are published ("Releases are published to docker hub under 'istio'
 * project": manifests/charts/istiod values.yaml, `global.hub`, istio/istio tag 1.30.3): the default
 * of `istio.hub`, set as the charts' `global.hub`.
 */
export const DEFAULT_ISTIO_HUB = 'docker.io/istio';

/**
 * Azure public-cloud regions (the `name` column of `az account list-locations`), for catching
 * typos before anything is sent. Add a region here when Azure opens it.
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
  'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral',
  'denmarkeast', 'eastasia', 'eastus', 'eastus2', 'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral',
  'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'jioindiacentral', 'jioindiawest',
  'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope',
  'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest', 'southcentralus',
  'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'swedensouth', 'switzerlandnorth', 'switzerlandwest',
  'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia', 'westus', 'westus2', 'westus3',
];

/** The closest of `candidates` to `value` (edit distance at most 3), for "did you mean" hints. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of candidates) {
    const d = editDistance(value.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
