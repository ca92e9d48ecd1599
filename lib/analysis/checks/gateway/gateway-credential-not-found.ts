import { Check } from '../../check';
import { servers } from '../../../model/istio';
import { credentialNames, gatewayWorkloadNamespace } from './credentials';

/**
 * A server's `credentialName` that is not a Secret of the set in the gateway workload's namespace
 * (where Istio reads it, not the Gateway's namespace). A warning: the Secret may be created
 * outside the manifests (cert-manager, Key Vault sync).
 */
export const gatewayCredentialNotFound: Check = {
  name: 'GatewayCredentialNotFound',
  code: 'EDGE1004',
  istioCode: 'IST0101',
  severity: 'warning',
  kinds: ['Gateway', 'Secret', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Gateway server\'s TLS credential is not a Secret of the set in the gateway workload\'s namespace.',
  details: 'The gateway proxy reads credentialName from its own namespace. If the Secret is created outside these manifests (cert-manager, the Key Vault bootstrap), make sure it lands there before traffic arrives, or the TLS handshake fails.',
  run(index, report) {
    for (const gw of index.istioGateways()) {
      const ns = gatewayWorkloadNamespace(index, gw);
      if (ns === undefined) continue; // GatewaySelectorMatchesNoWorkload reports it
      for (const { server, index: i } of servers(gw)) {
        for (const name of credentialNames(server)) {
          if (!index.get('Secret', ns, name)) {
            report(gw, `spec.servers[${i}].tls.credentialName`, `Secret "${name}" is not in the set in namespace "${ns}" (the gateway workload's, where Istio reads it): create it there before traffic arrives, or the TLS handshake fails.`);
          }
        }
      }
    }
  },
};
