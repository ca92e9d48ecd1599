import { Check } from '../../check';
import { namespaceOf } from '../../../model/object-index';
import { isMeshNamespace } from './mtls';

/** An application namespace without any NetworkPolicy. */
export const namespaceWithoutNetworkPolicy: Check = {
  name: 'NamespaceWithoutNetworkPolicy',
  code: 'EDGE6002',
  severity: 'error',
  kinds: ['Namespace', 'NetworkPolicy'],
  description: 'An application namespace without any NetworkPolicy, so every pod of the cluster can reach its pods.',
  details: 'Without a NetworkPolicy any pod of the cluster reaches the namespace\'s pods, bypassing the gateway. Deny ingress by default and allow the gateway (AppNamespace does).',
  run(index, report) {
    const withPolicies = new Set(index.ofKind('NetworkPolicy').map(namespaceOf));
    for (const ns of index.ofKind('Namespace')) {
      if (isMeshNamespace(ns) && !withPolicies.has(ns.metadata?.name ?? '')) {
        report(ns, 'metadata.name', `Namespace "${ns.metadata?.name}" has no NetworkPolicy: any pod of the cluster reaches its pods. Deny ingress by default and allow the gateway (AppNamespace does).`);
      }
    }
  },
};
