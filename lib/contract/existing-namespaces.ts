/**
 * How constructs declare a namespace that exists outside the app (an `AppNamespace.fromName`
 * import, or the namespace of an imported Gateway, Service or gateway workload), and how the synth
 * check of namespaces reads it: construct metadata, so that synthesis never imports a construct.
 */
import type { IConstruct } from 'constructs';

/** The type of the construct metadata entry whose data is the name of a namespace that exists outside the app. */
export const EXISTING_NAMESPACE_METADATA = 'istio-aks-edge:existing-namespace';

/** Namespaces every Kubernetes cluster has (the API server creates them). */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Declares on `scope` that `namespace` exists outside the app. */
export function declareExistingNamespace(scope: IConstruct, namespace: string): void {
  scope.node.addMetadata(EXISTING_NAMESPACE_METADATA, namespace, { stackTrace: false });
}

/** The namespaces `scope` declares as existing outside the app. */
export function existingNamespacesOf(scope: IConstruct): string[] {
  return scope.node.metadata.filter((m) => m.type === EXISTING_NAMESPACE_METADATA && typeof m.data === 'string').map((m) => m.data as string);
}
