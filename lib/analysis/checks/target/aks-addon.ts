/**
 * What the AKS Istio add-on (Azure's managed Istio, revisions `asm-1-x`) refuses or leaves outside
 * Azure's support, from Microsoft's documentation of the add-on: "Customization of mesh through the
 * following custom resources is currently blocked - ProxyConfig, WorkloadEntry, WorkloadGroup,
 * IstioOperator, WasmPlugin" (blocked by the add-on's admission webhooks), and EnvoyFilters are
 * allowed but "outside the support scope" (the support policy's "allowed" category).
 * @see https://learn.microsoft.com/azure/aks/istio-about#limitations
 * @see https://learn.microsoft.com/azure/aks/istio-support-policy#allowed-supported-and-blocked-customizations
 */
import { Check } from '../../check';

/** The Istio kinds the AKS add-on's admission webhooks refuse. */
export const AKS_ADDON_BLOCKED_KINDS: readonly string[] = ['ProxyConfig', 'WorkloadEntry', 'WorkloadGroup', 'IstioOperator', 'WasmPlugin'];

const SUPPORT_POLICY = 'https://learn.microsoft.com/azure/aks/istio-support-policy';

const isIstio = (apiVersion: string): boolean => apiVersion.split('/')[0].endsWith('istio.io');

/** An object of a kind the AKS Istio add-on blocks, when the target is the add-on. */
export const aksAddonBlockedKind: Check = {
  name: 'AksAddonBlockedKind',
  code: 'EDGE9001',
  severity: 'error',
  kinds: AKS_ADDON_BLOCKED_KINDS,
  description: 'With `--target aks-addon`: an object of an Istio kind the AKS Istio add-on blocks (ProxyConfig, WorkloadEntry, WorkloadGroup, IstioOperator, WasmPlugin).',
  details: `The add-on's admission webhooks refuse these kinds ("blocked" in its support policy, ${SUPPORT_POLICY}), so applying the object fails. Express the need another way (MeshConfig through the add-on's shared ConfigMap, ServiceEntry endpoints instead of WorkloadEntry), or install Istio with Helm (--target helm).`,
  run(index, report, context) {
    if (context.target !== 'aks-addon') return;
    for (const kind of AKS_ADDON_BLOCKED_KINDS) {
      for (const o of index.ofKind(kind).filter((x) => isIstio(x.apiVersion))) {
        report(o, 'kind', `The AKS Istio add-on blocks ${kind} (its admission webhooks refuse it; "blocked" in the add-on's support policy, ${SUPPORT_POLICY}), so this object cannot be applied: remove it, or install Istio with Helm.`);
      }
    }
  },
};

/** An EnvoyFilter, when the target is the AKS Istio add-on: allowed, but outside Azure's support. */
export const aksAddonUnsupportedEnvoyFilter: Check = {
  name: 'AksAddonUnsupportedEnvoyFilter',
  code: 'EDGE9002',
  severity: 'warning',
  kinds: ['EnvoyFilter'],
  description: 'With `--target aks-addon`: an EnvoyFilter, which the AKS Istio add-on allows but Azure does not support.',
  details: `The add-on accepts EnvoyFilters, but issues arising from them are outside the support scope of the add-on ("allowed", not "supported", in its support policy, ${SUPPORT_POLICY}). Keep them few, tested against each asm revision before an upgrade, or suppress this warning with a reason.`,
  run(index, report, context) {
    if (context.target !== 'aks-addon') return;
    for (const o of index.ofKind('EnvoyFilter').filter((x) => isIstio(x.apiVersion))) {
      report(o, 'kind', `The AKS Istio add-on allows EnvoyFilters but they are outside Azure's support (support policy: ${SUPPORT_POLICY}): problems they cause (a filter broken by an asm revision upgrade, for example) are yours to solve.`);
    }
  },
};

/** The checks of the install target (they report only when the target is the AKS add-on). */
export const TARGET_CHECKS: readonly Check[] = [aksAddonBlockedKind, aksAddonUnsupportedEnvoyFilter];
