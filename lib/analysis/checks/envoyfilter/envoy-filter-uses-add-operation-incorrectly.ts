import { Check } from '../../check';
import { forEachPatch, NO_ADD_REMOVE_APPLIES_TO } from './patches';

/** An ADD patch on ROUTE_CONFIGURATION or HTTP_ROUTE, which Istio ignores. */
export const envoyFilterUsesAddOperationIncorrectly: Check = {
  name: 'EnvoyFilterUsesAddOperationIncorrectly',
  code: 'EDGE4003',
  istioCode: 'IST0153',
  severity: 'error',
  kinds: ['EnvoyFilter'],
  description: 'An ADD patch on ROUTE_CONFIGURATION or HTTP_ROUTE, where it is ignored.',
  details: 'Istio ignores ADD for route configurations and HTTP routes. Use MERGE, or apply to VIRTUAL_HOST to add routes.',
  run(index, report) {
    forEachPatch(index, (ef, p, i) => {
      if (p.patch?.operation === 'ADD' && NO_ADD_REMOVE_APPLIES_TO.has(p.applyTo ?? '')) {
        report(ef, `spec.configPatches[${i}].patch.operation`, `ADD on ${p.applyTo} is ignored: use MERGE, or apply to VIRTUAL_HOST to add routes.`);
      }
    });
  },
};
