/** Mutual TLS readings shared by checks. */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { specOf, WorkloadPolicySpec } from '../../../model/objects';
import { namespaceOf, ObjectIndex } from '../../../model/object-index';
import { ROOT_NAMESPACES } from './root-namespaces';
import { ISTIO_INJECTION_LABEL, ISTIO_REVISION_LABEL } from '../../../contract/keys';

/** Namespaces that run sidecars: the application namespaces of the mesh. */
export function isMeshNamespace(ns: KubernetesObject): boolean {
  const labels = ns.metadata?.labels ?? {};
  return labels[ISTIO_INJECTION_LABEL] === 'enabled' || labels[ISTIO_REVISION_LABEL] !== undefined;
}

/** The STRICT PeerAuthentication covering a whole namespace (its own, or the mesh-wide one), if any. */
export function strictMtls(index: ObjectIndex, namespace: string): KubernetesObject | undefined {
  return index.ofKind('PeerAuthentication').find((pa) => (namespaceOf(pa) === namespace || ROOT_NAMESPACES.includes(namespaceOf(pa)))
    && !specOf<WorkloadPolicySpec>(pa).selector && specOf<WorkloadPolicySpec>(pa).mtls?.mode === 'STRICT');
}
