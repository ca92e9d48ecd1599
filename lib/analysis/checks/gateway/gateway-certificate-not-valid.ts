import { X509Certificate } from 'node:crypto';
import { Check } from '../../check';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { fieldsOf, SecretFields } from '../../../model/objects';
import { servers } from '../../../model/istio';
import { credentialNames, gatewayWorkloadNamespace } from './credentials';
import { credentialProblem, secretValue } from './invalid-gateway-credential';

/** The validity window of a credential Secret's certificate (the first of tls.crt or cert, as istiod reads it). */
function validity(secret: KubernetesObject): { notBefore: Date; notAfter: Date; subject: string } | undefined {
  if (credentialProblem(secret)) return undefined; // InvalidGatewayCredential reports it
  const s = fieldsOf<SecretFields>(secret);
  const pem = secretValue(s, 'tls.crt') ?? secretValue(s, 'cert');
  if (pem === undefined) return undefined;
  const cert = new X509Certificate(pem);
  return { notBefore: new Date(Date.parse(cert.validFrom)), notAfter: new Date(Date.parse(cert.validTo)), subject: cert.subject.replace(/\n/g, ', ') };
}

/**
 * A gateway credential Secret whose certificate is expired or not yet valid: istiod refuses to
 * send it to the gateway (pilot/pkg/xds/sds.go ValidateCertificate), so the TLS server has no
 * certificate. istioctl 1.30.3 reports it as InvalidGatewayCredential (IST0161; testdata
 * gateway-secrets-validation.yaml, defaultgateway-expired).
 */
export const gatewayCertificateNotValid: Check = {
  name: 'GatewayCertificateNotValid',
  code: 'EDGE1015',
  istioCode: 'IST0161',
  severity: 'error',
  kinds: ['Gateway', 'Secret', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Gateway\'s TLS credential holds a certificate that is expired or not yet valid.',
  details: 'istiod checks the certificate of a credential Secret before it sends it to the gateway, and refuses one whose validity window does not include the current time: the server\'s TLS handshakes fail. Renew the certificate (or wait for its start). The time checked is the analysis\'s `now` option, the current time by default.',
  run(index, report, context) {
    const now = context.now ?? new Date();
    for (const gw of index.istioGateways()) {
      const ns = gatewayWorkloadNamespace(index, gw);
      if (ns === undefined) continue;
      for (const { server, index: i } of servers(gw)) {
        for (const name of credentialNames(server)) {
          const secret = index.get('Secret', ns, name);
          const window = secret && validity(secret);
          if (!window) continue;
          const when = `${window.notBefore.toISOString()} to ${window.notAfter.toISOString()}`;
          if (now > window.notAfter) {
            report(gw, `spec.servers[${i}].tls.credentialName`, `The certificate of Secret "${ns}/${name}" (${window.subject}) expired on ${window.notAfter.toISOString()} (valid ${when}); istiod refuses it, so TLS handshakes on this server fail: renew the certificate.`);
          } else if (now < window.notBefore) {
            report(gw, `spec.servers[${i}].tls.credentialName`, `The certificate of Secret "${ns}/${name}" (${window.subject}) is not valid before ${window.notBefore.toISOString()} (valid ${when}); istiod refuses it until then: use a certificate valid now.`);
          }
        }
      }
    }
  },
};
