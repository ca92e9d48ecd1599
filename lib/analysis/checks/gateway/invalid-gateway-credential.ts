import { X509Certificate } from 'node:crypto';
import { Check } from '../../check';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { fieldsOf, SecretFields } from '../../../model/objects';
import { servers } from '../../../model/istio';
import { credentialNames, gatewayWorkloadNamespace } from './credentials';

/** The value of a Secret key: `stringData` as is, `data` decoded from base64. */
export function secretValue(s: SecretFields, key: string): string | undefined {
  const plain = s.stringData?.[key];
  if (typeof plain === 'string') return plain;
  const encoded = s.data?.[key];
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

/**
 * Why a Secret cannot serve as a gateway credential, as Istio reads one: a certificate and a key
 * under `tls.crt`/`tls.key` (or `cert`/`key`), non-empty, the certificate a parseable PEM
 * certificate. Undefined when it can.
 */
export function credentialProblem(secret: KubernetesObject): string | undefined {
  const s = fieldsOf<SecretFields>(secret);
  const pair = [['tls.crt', 'tls.key'], ['cert', 'key']].find(([c, k]) => secretValue(s, c) !== undefined && secretValue(s, k) !== undefined);
  if (!pair) return 'it has neither tls.crt and tls.key nor cert and key';
  const cert = secretValue(s, pair[0])!;
  if (cert.trim() === '' || secretValue(s, pair[1])!.trim() === '') return `${pair[0]} or ${pair[1]} is empty`;
  try {
    new X509Certificate(cert);
  } catch {
    return `${pair[0]} is not a PEM certificate`;
  }
  return undefined;
}

/** A gateway credential Secret of the set that Istio cannot load (wrong keys, empty, not a certificate). */
export const invalidGatewayCredential: Check = {
  name: 'InvalidGatewayCredential',
  code: 'EDGE1005',
  istioCode: 'IST0161',
  severity: 'error',
  kinds: ['Gateway', 'Secret', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Gateway\'s TLS credential Secret lacks a certificate and key Istio can load.',
  details: 'Istio reads tls.crt and tls.key (a kubernetes.io/tls Secret) or cert and key (a generic Secret); a Secret without them, with empty values, or whose certificate is not PEM, makes the TLS handshake fail. Recreate the Secret with `kubectl create secret tls`.',
  run(index, report) {
    for (const gw of index.istioGateways()) {
      const ns = gatewayWorkloadNamespace(index, gw);
      if (ns === undefined) continue;
      for (const { server, index: i } of servers(gw)) {
        for (const name of credentialNames(server)) {
          const secret = index.get('Secret', ns, name);
          const problem = secret && credentialProblem(secret);
          if (problem) {
            report(gw, `spec.servers[${i}].tls.credentialName`, `Secret "${ns}/${name}" cannot serve as a TLS credential: ${problem}. Create it with tls.crt and tls.key (kubectl create secret tls).`);
          }
        }
      }
    }
  },
};
