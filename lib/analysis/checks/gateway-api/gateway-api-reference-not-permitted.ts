/** Gateway API form: gatewayApiReferenceNotPermitted. */
import { Check } from '../../check';
import { eachBackend, granted, isGatewayApi, listeners, ns, routes } from './common';

export const gatewayApiReferenceNotPermitted: Check = {
  name: 'GatewayApiReferenceNotPermitted',
  code: 'EDGE7004',
  severity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'Gateway', 'ReferenceGrant'],
  description: 'A reference to another namespace (a route\'s backend, a listener\'s certificate) without the ReferenceGrant that permits it (RefNotPermitted).',
  details: 'A reference to another namespace needs a ReferenceGrant in the target namespace from the referring kind and namespace; without it Istio refuses it (RefNotPermitted) and the backend or certificate is not used.',
  run(index, report) {
    for (const route of routes(index)) {
      eachBackend(route, (b, field) => {
        if (b.namespace === undefined || b.namespace === ns(route)) return;
        if (!granted(index, route.kind, ns(route), b.namespace, b.kind ?? 'Service', b.name)) {
          report(route, field, `The reference to ${b.kind ?? 'Service'} ${b.namespace}/${b.name} crosses namespaces without a ReferenceGrant in ${b.namespace} from ${route.kind}s of ${ns(route)}: add one.`);
        }
      });
    }
    for (const gw of index.ofKind('Gateway').filter((g) => isGatewayApi(g, 'Gateway'))) {
      listeners(gw).forEach((l, i) => {
        const refs = (l as { tls?: { certificateRefs?: ReadonlyArray<{ name: string; namespace?: string; kind?: string }> } }).tls?.certificateRefs ?? [];
        refs.forEach((r, j) => {
          if (r.namespace === undefined || r.namespace === ns(gw)) return;
          if (!granted(index, 'Gateway', ns(gw), r.namespace, r.kind ?? 'Secret', r.name)) {
            report(gw, `spec.listeners[${i}].tls.certificateRefs[${j}]`, `The certificate ${r.namespace}/${r.name} is in another namespace and no ReferenceGrant there permits Gateways of ${ns(gw)} to use it: add one.`);
          }
        });
      });
    }
  },
};
