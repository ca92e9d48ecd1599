import { Check } from '../../check';
import { servers } from '../../../model/istio';

/** In production, a plain-HTTP server that does not redirect to HTTPS. */
export const gatewayHttpWithoutRedirect: Check = {
  name: 'GatewayHttpWithoutRedirect',
  code: 'EDGE1009',
  severity: 'error',
  kinds: ['Gateway'],
  productionOnly: true,
  description: 'In production, a plain-HTTP Gateway server that does not redirect to HTTPS.',
  details: 'Production traffic in clear text can be read and altered on the way. Set tls.httpsRedirect: true on the HTTP server (https.redirectHttp with IngressGateway), or remove it.',
  run(index, report, context) {
    if (!context.production) return;
    for (const gw of index.istioGateways()) {
      for (const { server, index: i } of servers(gw)) {
        if (server.port?.protocol === 'HTTP' && server.tls?.httpsRedirect !== true) {
          report(gw, `spec.servers[${i}].tls.httpsRedirect`, `HTTP server "${server.port?.name}" serves production traffic in clear text: set tls.httpsRedirect: true (https.redirectHttp with IngressGateway) or remove the server.`);
        }
      }
    }
  },
};
