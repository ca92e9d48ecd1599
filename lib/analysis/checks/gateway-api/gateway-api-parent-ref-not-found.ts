/** Gateway API form: gatewayApiParentRefNotFound. */
import { Check } from '../../check';
import { GROUP, isGatewayApi, listeners, namespaceAllowed, ns, routeSpec, routes } from './common';

export const gatewayApiParentRefNotFound: Check = {
  name: 'GatewayApiParentRefNotFound',
  code: 'EDGE7001',
  severity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'Gateway'],
  description: 'A route whose parentRef names a Gateway, or a listener (sectionName), that the output does not define, or whose namespace the listener does not admit.',
  details: "A route not attached to a Gateway serves nothing: Istio marks it Accepted: False, and its requests get 404 from the gateway. Name a Gateway and listener of the output whose allowedRoutes admit the route's namespace.",
  run(index, report) {
    for (const route of routes(index)) {
      routeSpec(route).parentRefs?.forEach((p, i) => {
        if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GROUP) !== GROUP) return;
        const gwNs = p.namespace ?? ns(route);
        const gw = index.ofKind('Gateway').find((g) => isGatewayApi(g, 'Gateway') && ns(g) === gwNs && g.metadata?.name === p.name);
        const field = `spec.parentRefs[${i}]`;
        if (!gw) {
          report(route, field, `Gateway ${gwNs}/${p.name} is not in the output, so the route is attached to nothing (Accepted: False): fix the name or namespace, or add the Gateway.`);
          return;
        }
        const candidates = listeners(gw).filter((l) => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
        if (candidates.length === 0) {
          report(route, `${field}.sectionName`, `Gateway ${gwNs}/${p.name} has no listener ${JSON.stringify(p.sectionName)} (it has ${listeners(gw).map((l) => l.name).join(', ')}): use one of them.`);
          return;
        }
        if (candidates.every((l) => namespaceAllowed(l, gwNs, ns(route)) === false)) {
          report(route, field, `The listeners of Gateway ${gwNs}/${p.name} do not admit routes from namespace ${ns(route)} (allowedRoutes): set allowedRoutes.namespaces.from to All or a selector that admits it.`);
        }
      });
    }
  },
};
