/** Where a Gateway's TLS credentials live: the gateway workload's namespace, as Istio reads them. */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { Server } from '../../../model/objects';
import { gatewayPods } from '../../../model/istio';
import { ObjectIndex } from '../../../model/object-index';

/** The namespace of the gateway workload (the first pod template the selector picks), if any. */
export function gatewayWorkloadNamespace(index: ObjectIndex, gw: KubernetesObject): string | undefined {
  return gatewayPods(index, gw)[0]?.namespace;
}

/** The credential names of a server (`credentialName` and `credentialNames`). */
export function credentialNames(server: Server): string[] {
  const tls = server.tls;
  if (!tls || typeof tls !== 'object') return [];
  const names: readonly unknown[] = Array.isArray(tls.credentialNames) ? (tls.credentialNames as readonly unknown[]) : [];
  return [tls.credentialName, ...names].filter((n): n is string => typeof n === 'string' && n !== '');
}
