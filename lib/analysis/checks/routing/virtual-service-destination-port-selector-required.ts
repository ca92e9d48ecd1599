import { Check } from '../../check';
import { destinationsOf } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';

/** A destination without a port, to a host with several ports. */
export const virtualServiceDestinationPortSelectorRequired: Check = {
  name: 'VirtualServiceDestinationPortSelectorRequired',
  code: 'EDGE2006',
  istioCode: 'IST0112',
  severity: 'error',
  kinds: ['VirtualService', 'Service', 'ServiceEntry'],
  description: 'A destination without a port, to a Service or ServiceEntry with several ports.',
  details: 'With several ports on the destination, Istio cannot tell which one a route means. Set destination.port.number.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const { destination, field } of destinationsOf(index, vs)) {
        if (destination.port?.number !== undefined || typeof destination.host !== 'string') continue;
        const entry = index.registryHost(destination.host, namespaceOf(vs));
        if (entry && entry.ports.length > 1) {
          report(vs, `${field}.port`, `"${destination.host}" has ports ${entry.ports.join(', ')}: choose one with port.number.`);
        }
      }
    }
  },
};
