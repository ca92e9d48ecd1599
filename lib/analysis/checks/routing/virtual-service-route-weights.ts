import { Check } from '../../check';
import { list, specOf, VirtualServiceSpec } from '../../../model/objects';

/** Route weights that do not sum to 100 (or a negative weight). */
export const virtualServiceRouteWeightsNotSum100: Check = {
  name: 'VirtualServiceRouteWeightsNotSum100',
  code: 'EDGE2003',
  severity: 'error',
  kinds: ['VirtualService'],
  description: 'Route weights that do not sum to 100.',
  details: 'Weights are relative shares of a route\'s traffic; a split that does not sum to 100 is not the one written. Make them add up to 100.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      const spec = specOf<VirtualServiceSpec>(vs);
      for (const kind of ['http', 'tcp', 'tls'] as const) {
        list(spec[kind]).forEach((route, i) => {
          const dests = list(route?.route);
          if (dests.length < 2 && dests.every((d) => d?.weight === undefined)) return;
          const weights = dests.map((d) => (typeof d?.weight === 'number' ? d.weight : 0));
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum !== 100 || weights.some((w) => w < 0)) {
            report(vs, `spec.${kind}[${i}].route`, `Weights ${JSON.stringify(weights)} sum to ${sum}, not 100: make them add up to 100 so the split is the one intended.`);
          }
        });
      }
    }
  },
};
