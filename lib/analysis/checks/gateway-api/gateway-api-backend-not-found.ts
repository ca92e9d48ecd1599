/** Gateway API form: gatewayApiBackendNotFound. */
import { Check } from '../../check';
import { eachBackend, ns, routes } from './common';

export const gatewayApiBackendNotFound: Check = {
  name: 'GatewayApiBackendNotFound',
  code: 'EDGE7003',
  severity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'Service'],
  description: 'A backendRef to a Service the output does not define, or to a port the Service does not expose (ResolvedRefs: False; requests get 500).',
  details: 'Istio answers requests for a backend it cannot resolve with 500 (ResolvedRefs: False). Reference a Service of the output and one of its ports.',
  run(index, report) {
    for (const route of routes(index)) {
      eachBackend(route, (b, field) => {
        if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
        const svcNs = b.namespace ?? ns(route);
        const svc = index.get('Service', svcNs, b.name);
        if (!svc) {
          report(route, field, `Service ${svcNs}/${b.name} is not in the output: requests to this backend get 500. Fix the name, or add the Service.`);
          return;
        }
        const ports = ((svc.spec as { ports?: ReadonlyArray<{ port: number }> } | undefined)?.ports ?? []).map((p) => p.port);
        if (b.port !== undefined && !ports.includes(b.port)) {
          report(route, `${field}.port`, `Service ${svcNs}/${b.name} exposes ${ports.join(', ')}, not ${b.port}: use one of its ports.`);
        }
      });
    }
  },
};
