import { Check } from '../../check';
import { ServerTls } from '../../../model/objects';
import { gatewaySelector, servers } from '../../../model/istio';
import { matchesLabels, namespaceOf } from '../../../model/object-index';

function sameCertificate(a: ServerTls, b: ServerTls): boolean {
  if (a.credentialName && b.credentialName) return a.credentialName === b.credentialName;
  if (!a.credentialName && !b.credentialName && a.serverCertificate && a.serverCertificate === b.serverCertificate) {
    return !!a.privateKey && a.privateKey === b.privateKey;
  }
  return false;
}

/**
 * Two Gateways on the same workload (the other's selector contains this one's) whose servers use
 * the same certificate: browsers reuse an HTTP/2 connection across the hosts of a certificate and
 * get 404 from the other Gateway's routes.
 */
export const gatewayDuplicateCertificate: Check = {
  name: 'GatewayDuplicateCertificate',
  code: 'EDGE1006',
  istioCode: 'IST0138',
  severity: 'warning',
  kinds: ['Gateway'],
  description: 'The same certificate in servers of two Gateways on the same workload.',
  details: 'Clients reuse an HTTP/2 connection for every host a certificate covers; when two Gateways serve those hosts, requests for one arrive on the other\'s filter chain and get 404. Serve the hosts from one Gateway server, or give each Gateway its own certificate.',
  run(index, report) {
    const gateways = index.istioGateways();
    for (const gw of gateways) {
      const selector = gatewaySelector(gw);
      for (const other of gateways) {
        if (other === gw || !matchesLabels(selector, gatewaySelector(other))) continue;
        const dup = servers(gw).find(({ server }) => server.tls && servers(other).some((o) => o.server.tls && sameCertificate(server.tls!, o.server.tls)));
        if (dup) {
          report(gw, `spec.servers[${dup.index}].tls`, `Gateways ${namespaceOf(gw)}/${gw.metadata?.name} and ${namespaceOf(other)}/${other.metadata?.name} use the same certificate on the same workload: clients reusing an HTTP/2 connection get 404. Serve these hosts from one Gateway server, or use distinct certificates.`);
        }
      }
    }
  },
};
