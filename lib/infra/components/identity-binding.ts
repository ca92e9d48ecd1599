import * as pulumi from '@pulumi/pulumi';
import { KubernetesObject } from '../../model/kubernetes-object';
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from '../../contract/keys';

/** The annotation that tells Pulumi's Kubernetes provider not to wait for a workload to be ready. */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/** The service account annotation workload identity reads the client ID from (defined in contract/keys). */
export { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION };

/** The Key Vault and identity values as the synthesized objects carry them (committed by a GitOps user). */
export interface CommittedKeyVault {
  /** The identity's client ID in the environment. */
  readonly clientId: string;
  /** The tenant ID in the environment. */
  readonly tenantId: string;
  /** The vault's name in the environment. */
  readonly vaultName: string;
}

/** The real values, from the resources the stack created, and what must exist before a pod reads the vault. */
export interface KeyVaultBinding {
  /** The identity's client ID (an output of the created identity). */
  readonly clientId: pulumi.Input<string>;
  /** The identity's tenant ID. */
  readonly tenantId: pulumi.Input<string>;
  /** The vault's name. */
  readonly vaultName: pulumi.Input<string>;
  /** What the synthesized objects carry, to find the places to substitute. */
  readonly committed: CommittedKeyVault;
  /** The identity, its federated credential and its role on the vault. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** A synthesized object with the stack's real values substituted, and whether it needs the identity. */
export interface BoundObject {
  /** The object as applied: the synthesized one, or a copy whose substituted fields are outputs. */
  readonly object: Record<string, unknown>;
  /** It reads the vault as the identity (or names it): apply it after {@link KeyVaultBinding.dependsOn}. */
  readonly needsIdentity: boolean;
}

interface PodTemplateVolume { readonly csi?: { readonly driver?: string; readonly volumeAttributes?: Record<string, string> } }
interface WorkloadShape {
  readonly spec?: { readonly template?: { readonly metadata?: { readonly labels?: Record<string, string> }; readonly spec?: { readonly volumes?: readonly PodTemplateVolume[] } } };
}

function skipAwait(b: BoundObject, o: KubernetesObject, needsIdentity: boolean): BoundObject {
  return { object: { ...b.object, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, [SKIP_AWAIT_ANNOTATION]: 'true' } } }, needsIdentity };
}

/**
 * Substitutes the stack's real Key Vault values into the synthesized objects, so a first
 * `pulumi up` applies what Azure returned instead of what the environment committed:
 * - a SecretProviderClass (provider azure) that names the committed vault or client ID: its
 *   `clientID`, `tenantId` and `keyvaultName`;
 * - a ServiceAccount annotated with the committed client ID: the annotation;
 * - a Deployment, StatefulSet or DaemonSet mounting such a SecretProviderClass: nothing substituted,
 *   but it waits for the identity, and Pulumi does not wait for its pods (annotation
 *   `pulumi.com/skipAwait`), whose CSI volume mounts only once the certificate is in the vault;
 * - a Service selecting those pods: the same annotation (Pulumi would wait for ready endpoints).
 * Everything else is returned unchanged. In preview the substituted fields are unknown, never the
 * committed placeholders.
 */
export function bindKeyVault(objects: readonly KubernetesObject[], binding: KeyVaultBinding): BoundObject[] {
  const { committed } = binding;
  const bound = new Set<string>();
  const first = objects.map((o): BoundObject => {
    const plain = o as unknown as Record<string, unknown>;
    const ns = o.metadata?.namespace ?? '';
    if (o.kind === 'SecretProviderClass') {
      const spec = (plain.spec ?? {}) as { provider?: string; parameters?: Record<string, string> };
      const p = spec.parameters ?? {};
      if (spec.provider === 'azure' && (p.keyvaultName === committed.vaultName || p.clientID === committed.clientId)) {
        bound.add(`${ns}/${o.metadata?.name}`);
        return {
          object: { ...plain, spec: { ...spec, parameters: { ...p, clientID: binding.clientId, tenantId: binding.tenantId, keyvaultName: binding.vaultName } } },
          needsIdentity: true,
        };
      }
    }
    if (o.kind === 'ServiceAccount' && o.metadata?.annotations?.[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION] === committed.clientId) {
      return {
        object: { ...plain, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: binding.clientId } } },
        needsIdentity: true,
      };
    }
    return { object: plain, needsIdentity: false };
  });
  // Workloads mounting a bound SecretProviderClass: their pods start once the certificate is imported.
  const waiting: { namespace: string; labels: Record<string, string> }[] = [];
  const second = first.map((b, i) => {
    const o = objects[i];
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) return b;
    const template = (o as unknown as WorkloadShape).spec?.template;
    const mounts = (template?.spec?.volumes ?? []).some((v) => v.csi?.driver === 'secrets-store.csi.k8s.io'
      && bound.has(`${o.metadata?.namespace ?? ''}/${v.csi.volumeAttributes?.secretProviderClass}`));
    if (!mounts) return b;
    waiting.push({ namespace: o.metadata?.namespace ?? '', labels: template?.metadata?.labels ?? {} });
    return skipAwait(b, o, true);
  });
  return second.map((b, i) => {
    const o = objects[i];
    if (o.kind !== 'Service') return b;
    const selector = ((o as unknown as { spec?: { selector?: Record<string, string> } }).spec?.selector) ?? {};
    const keys = Object.keys(selector);
    const selectsWaiting = keys.length > 0 && waiting.some((w) => w.namespace === (o.metadata?.namespace ?? '') && keys.every((k) => w.labels[k] === selector[k]));
    return selectsWaiting ? skipAwait(b, o, false) : b;
  });
}
