import { Check } from '../../check';
import { list, ServiceSpec, specOf } from '../../../model/objects';
import { gatewayPods, gatewaySelector, selectorString, servers } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';

/**
 * A Gateway server port that no Service in front of the gateway pods exposes, so no traffic
 * reaches it from outside the pods. As istioctl (gateway analyzer): the server port is where the
 * gateway pod listens, so a TCP Service port's numeric `targetPort` counts, and so does the
 * Service `port` itself.
 */
export const gatewayPortNotDefinedOnService: Check = {
  name: 'GatewayPortNotDefinedOnService',
  code: 'EDGE1003',
  istioCode: 'IST0162',
  severity: 'error',
  kinds: ['Gateway', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Gateway port that the Service in front of its pods does not expose.',
  details: 'Clients reach the gateway through its Service; a Gateway server on a port the Service does not list receives nothing. Add the port to the Service (IngressGateway does this for its servers).',
  run(index, report) {
    for (const gw of index.istioGateways()) {
      const fronting = [...new Set(gatewayPods(index, gw).flatMap((p) => index.servicesSelecting(p)))];
      if (fronting.length === 0) continue;
      const exposed = new Set(fronting.flatMap((s) => list(specOf<ServiceSpec>(s).ports)
        .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
        .flatMap((p) => [p.port, ...(typeof p.targetPort === 'number' || (typeof p.targetPort === 'string' && /^\d+$/.test(p.targetPort)) ? [Number(p.targetPort)] : [])])));
      for (const { server, index: i } of servers(gw)) {
        const port = server.port?.number;
        if (typeof port === 'number' && !exposed.has(port)) {
          report(gw, `spec.servers[${i}].port.number`, `Port ${port} is not a port of Service ${fronting.map((s) => `${namespaceOf(s)}/${s.metadata?.name}`).join(', ')} (${[...exposed].join(', ')}) in front of the pods {${selectorString(gatewaySelector(gw))}}, so no traffic reaches it: add it to the Service.`);
        }
      }
    }
  },
};
