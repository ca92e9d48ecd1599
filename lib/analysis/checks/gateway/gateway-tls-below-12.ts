import { Check } from '../../check';
import { servers } from '../../../model/istio';

/** A server accepting TLS 1.0 or 1.1. */
export const gatewayTlsBelow12: Check = {
  name: 'GatewayTlsBelow12',
  code: 'EDGE1008',
  severity: 'error',
  kinds: ['Gateway'],
  description: 'An HTTPS server accepting TLS versions below 1.2.',
  details: 'TLS 1.0 and 1.1 are deprecated (RFC 8996). Set tls.minProtocolVersion to TLSV1_2 or TLSV1_3.',
  run(index, report) {
    for (const gw of index.istioGateways()) {
      for (const { server, index: i } of servers(gw)) {
        const min = server.tls?.minProtocolVersion;
        if (min === 'TLSV1_0' || min === 'TLSV1_1') {
          report(gw, `spec.servers[${i}].tls.minProtocolVersion`, `${min} accepts deprecated TLS versions: use TLSV1_2 or TLSV1_3.`);
        }
      }
    }
  },
};
