import { Check } from '../../check';
import { definedElsewhere } from '../../../contract/defined-elsewhere';
import { list, specOf, VirtualServiceSpec } from '../../../model/objects';
import { gatewayRefs, hostsMatch, serverHostsFor, servers } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';

/**
 * For each Gateway a VirtualService binds to: none of the VirtualService's hosts is served by that
 * Gateway (as Istio reads server hosts: `ns/host` applies to VirtualServices of `ns`, `./host` to
 * those of the Gateway's namespace, `*` or a bare host to all). A missing Gateway serves nothing.
 */
export const virtualServiceHostNotFoundInGateway: Check = {
  name: 'VirtualServiceHostNotFoundInGateway',
  code: 'EDGE2002',
  istioCode: 'IST0132',
  severity: 'error',
  kinds: ['VirtualService', 'Gateway'],
  description: 'A Gateway a VirtualService binds to serves none of its hosts.',
  details: 'A gateway only uses a VirtualService for hosts its servers list (and expose to the VirtualService\'s namespace); otherwise requests get 404. Add the host to the Gateway\'s server hosts (namespace-qualified if needed), or bind the VirtualService to the right Gateway.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      const ns = namespaceOf(vs);
      const hosts = list(specOf<VirtualServiceSpec>(vs).hosts).filter((h): h is string => typeof h === 'string');
      const elsewhere = definedElsewhere(vs.metadata?.annotations);
      for (const g of gatewayRefs(vs)) {
        const gw = index.get('Gateway', g.namespace, g.name);
        if (!gw && elsewhere.has(`Gateway ${g.namespace}/${g.name}`)) continue; // an imported Gateway: its servers are not in the set
        const served = gw ? servers(gw).flatMap(({ server }) => serverHostsFor(gw, server, ns)) : [];
        if (!hosts.some((h) => served.some((s) => hostsMatch(s, h)))) {
          report(vs, g.field, `Hosts ${hosts.join(', ')} are not served by Gateway ${g.namespace}/${g.name} (${gw ? `it offers ${served.length ? served.join(', ') : 'no host'} to namespace "${ns}"` : 'not defined'}), so requests get 404: add a host to the Gateway's servers or bind to another Gateway.`);
        }
      }
    }
  },
};
