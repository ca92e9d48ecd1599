/** Gateway API form: gatewayApiAllWeightsZero. */
import { Check } from '../../check';
import { routeSpec, routes } from './common';

export const gatewayApiAllWeightsZero: Check = {
  name: 'GatewayApiAllWeightsZero',
  code: 'EDGE7006',
  severity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute'],
  description: 'A route rule whose backendRefs all have weight 0: every request to it gets 500.',
  details: 'A rule whose backends all weigh 0 sends nothing anywhere: every request matching it gets 500. Give a backend a positive weight, or remove the rule.',
  run(index, report) {
    for (const route of routes(index)) {
      routeSpec(route).rules?.forEach((rule, i) => {
        const refs = rule.backendRefs ?? [];
        if (refs.length > 0 && refs.every((b) => b.weight === 0)) {
          report(route, `spec.rules[${i}].backendRefs`, 'Every backend of this rule has weight 0, so it answers every request with 500: give one a positive weight.');
        }
      });
    }
  },
};
