/** Gateway API form: gatewayApiHostnameNotAccepted. */
import { Check } from '../../check';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { hostnameAccepts, isGatewayApi, listeners, ns, routeSpec, routes } from './common';

export const gatewayApiHostnameNotAccepted: Check = {
  name: 'GatewayApiHostnameNotAccepted',
  code: 'EDGE7002',
  severity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'Gateway'],
  description: 'A route hostname that no listener of its parent Gateways accepts: requests for it get 404.',
  details: 'A listener with a hostname admits only routes for hostnames it matches; a route hostname none accepts is never served (404). Add a listener for the host, widen a listener with a wildcard, or remove the hostname.',
  run(index, report) {
    for (const route of routes(index)) {
      const spec = routeSpec(route);
      const parents = (spec.parentRefs ?? []).filter((p) => (p.kind ?? 'Gateway') === 'Gateway').map((p) => ({
        p, gw: index.ofKind('Gateway').find((g) => isGatewayApi(g, 'Gateway') && ns(g) === (p.namespace ?? ns(route)) && g.metadata?.name === p.name),
      }));
      if (parents.length === 0 || parents.some((x) => !x.gw)) continue; // reported by GatewayApiParentRefNotFound
      const open = parents.flatMap(({ p, gw }) => listeners(gw as KubernetesObject).filter((l) => p.sectionName === undefined || l.name === p.sectionName));
      spec.hostnames?.forEach((h, i) => {
        if (!open.some((l) => hostnameAccepts(l.hostname, h))) {
          report(route, `spec.hostnames[${i}]`, `No listener of the parent Gateways accepts ${JSON.stringify(h)} (they accept ${open.map((l) => l.hostname ?? '*').join(', ')}): add a listener for it or remove the hostname.`);
        }
      });
    }
  },
};
