import { Check } from '../../check';
import { servers } from '../../../model/istio';

/** An HTTPS server that terminates TLS (SIMPLE, MUTUAL, OPTIONAL_MUTUAL) without any credential. */
export const gatewayHttpsWithoutCredential: Check = {
  name: 'GatewayHttpsWithoutCredential',
  code: 'EDGE1007',
  severity: 'error',
  kinds: ['Gateway'],
  description: 'An HTTPS server that terminates TLS without a credential.',
  details: 'A server that terminates TLS needs a certificate: credentialName (a Secret in the gateway\'s namespace) or file paths. Without one Istio rejects the server.',
  run(index, report) {
    for (const gw of index.istioGateways()) {
      for (const { server, index: i } of servers(gw)) {
        const tls = server.tls ?? {};
        const terminates = server.port?.protocol === 'HTTPS' && (tls.mode === undefined || ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'].includes(tls.mode));
        if (terminates && !tls.credentialName && !tls.credentialNames?.length && !tls.serverCertificate && !tls.tlsCertificates?.length) {
          report(gw, `spec.servers[${i}].tls`, `HTTPS server "${server.port?.name}" has no credential: set tls.credentialName to the TLS Secret in the gateway's namespace.`);
        }
      }
    }
  },
};
