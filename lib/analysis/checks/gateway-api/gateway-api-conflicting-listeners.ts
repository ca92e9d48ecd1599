/** Gateway API form: gatewayApiConflictingListeners. */
import { Check } from '../../check';
import { isGatewayApi, listeners } from './common';

export const gatewayApiConflictingListeners: Check = {
  name: 'GatewayApiConflictingListeners',
  code: 'EDGE7005',
  severity: 'error',
  kinds: ['Gateway'],
  description: 'Listeners of a Gateway with the same port and hostname, or the same port and different protocols that cannot share it (Conflicted: True).',
  details: 'Two listeners on one port for the same hostname and protocol, or with protocols that cannot share a port, are Conflicted: Istio serves neither as intended. Merge them, or change a hostname or a port.',
  run(index, report) {
    const httpFamily = new Set(['HTTP', 'HTTPS', 'TLS']);
    for (const gw of index.ofKind('Gateway').filter((g) => isGatewayApi(g, 'Gateway'))) {
      const ls = listeners(gw);
      const names = new Set<string>();
      ls.forEach((l, i) => {
        if (names.has(l.name)) report(gw, `spec.listeners[${i}].name`, `Listener name ${JSON.stringify(l.name)} is used twice: names must be unique.`);
        names.add(l.name);
        for (let j = 0; j < i; j++) {
          const o = ls[j];
          if (o.port !== l.port) continue;
          if ((o.hostname ?? '') === (l.hostname ?? '') && o.protocol === l.protocol) {
            report(gw, `spec.listeners[${i}]`, `Listeners ${o.name} and ${l.name} both take port ${l.port} for ${l.hostname ?? 'every host'}: merge them or change one's hostname.`);
          } else if (o.protocol !== l.protocol && !(httpFamily.has(o.protocol) && httpFamily.has(l.protocol) && o.protocol !== 'HTTP' && l.protocol !== 'HTTP')) {
            report(gw, `spec.listeners[${i}].protocol`, `Listeners ${o.name} (${o.protocol}) and ${l.name} (${l.protocol}) share port ${l.port}: use another port for one of them.`);
          }
        }
      });
    }
  },
};
