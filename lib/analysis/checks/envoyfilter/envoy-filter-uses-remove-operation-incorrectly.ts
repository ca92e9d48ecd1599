import { Check } from '../../check';
import { forEachPatch, NO_ADD_REMOVE_APPLIES_TO } from './patches';

/** A REMOVE patch on ROUTE_CONFIGURATION or HTTP_ROUTE, which Istio ignores. */
export const envoyFilterUsesRemoveOperationIncorrectly: Check = {
  name: 'EnvoyFilterUsesRemoveOperationIncorrectly',
  code: 'EDGE4004',
  istioCode: 'IST0154',
  severity: 'error',
  kinds: ['EnvoyFilter'],
  description: 'A REMOVE patch on ROUTE_CONFIGURATION or HTTP_ROUTE, where it is ignored.',
  details: 'Istio ignores REMOVE for route configurations and HTTP routes. Remove the virtual host (VIRTUAL_HOST), or change the VirtualService instead.',
  run(index, report) {
    forEachPatch(index, (ef, p, i) => {
      if (p.patch?.operation === 'REMOVE' && NO_ADD_REMOVE_APPLIES_TO.has(p.applyTo ?? '')) {
        report(ef, `spec.configPatches[${i}].patch.operation`, `REMOVE on ${p.applyTo} is ignored: remove the route's virtual host (VIRTUAL_HOST) or change the VirtualService instead.`);
      }
    });
  },
};
