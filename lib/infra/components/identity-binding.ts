import * as pulumi from '@pulumi/pulumi';
import { KeyVaultFact, ObjectReference } from '../../deployment-facts';
import { KubernetesObject } from '../../model/kubernetes-object';
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from '../../contract/keys';

/** The annotation that tells Pulumi's Kubernetes provider not to wait for a workload to be ready. */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/** The service account annotation workload identity reads the client ID from (defined in contract/keys). */
export { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION };

/** The real values, from the resources the stack created, and what must exist before a pod reads the vault. */
export interface KeyVaultBinding {
  /** The identity's client ID (an output of the created identity). */
  readonly clientId: pulumi.Input<string>;
  /** The identity's tenant ID. */
  readonly tenantId: pulumi.Input<string>;
  /** The vault's name. */
  readonly vaultName: pulumi.Input<string>;
  /** What the app's constructs recorded: the objects to substitute in, and the ones that read the vault. */
  readonly fact: KeyVaultFact;
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

const sameObject = (o: KubernetesObject, r: ObjectReference) => o.apiVersion === r.apiVersion && o.kind === r.kind
  && (o.metadata?.namespace ?? '') === (r.namespace ?? '') && o.metadata?.name === r.name;

/**
 * Substitutes the stack's real Key Vault values into the objects the gateway's constructs named
 * ({@link KeyVaultFact}), so a first `pulumi up` applies what Azure returned instead of what the
 * environment committed:
 * - the SecretProviderClass: its `clientID`, `tenantId` and `keyvaultName` parameters;
 * - the pods' ServiceAccount: its workload identity client ID annotation;
 * - the readers (the workload mounting the vault, the Service in front of its pods): nothing
 *   substituted, but Pulumi does not wait for them (annotation `pulumi.com/skipAwait`): the CSI
 *   volume mounts only once the certificate is in the vault; the workload waits for the identity.
 * Everything else is returned unchanged. In preview the substituted fields are unknown, never the
 * committed placeholders.
 */
export function bindKeyVault(objects: readonly KubernetesObject[], binding: KeyVaultBinding): BoundObject[] {
  const { fact } = binding;
  return objects.map((o): BoundObject => {
    const plain = o as unknown as Record<string, unknown>;
    if (sameObject(o, fact.secretProviderClass)) {
      const spec = (plain.spec ?? {}) as { parameters?: Record<string, string> };
      return {
        object: { ...plain, spec: { ...spec, parameters: { ...spec.parameters, clientID: binding.clientId, tenantId: binding.tenantId, keyvaultName: binding.vaultName } } },
        needsIdentity: true,
      };
    }
    if (sameObject(o, fact.serviceAccount)) {
      return {
        object: { ...plain, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: binding.clientId } } },
        needsIdentity: true,
      };
    }
    if (fact.readers.some((r) => sameObject(o, r))) {
      return {
        object: { ...plain, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, [SKIP_AWAIT_ANNOTATION]: 'true' } } },
        // The pods read the vault as the identity; the Service in front of them only waits for endpoints.
        needsIdentity: o.kind !== 'Service',
      };
    }
    return { object: plain, needsIdentity: false };
  });
}
