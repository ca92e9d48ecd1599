import { Check } from '../../check';
import { labelsOf, list, specOf, VirtualServiceSpec, WorkloadPolicySpec } from '../../../model/objects';
import { gatewayPods, gatewayRefsOf } from '../../../model/istio';
import { matchesLabels, namespaceOf } from '../../../model/object-index';
import { ROOT_NAMESPACES } from '../security/root-namespaces';

const CLAIM_PREFIX = '@request.auth.claims';

/**
 * A VirtualService on a gateway that routes on JWT claims (`@request.auth.claims.*` headers)
 * while no RequestAuthentication applies to the gateway pods: the claims are never set, so the
 * claim routes never match.
 */
export const jwtClaimBasedRoutingWithoutRequestAuthN: Check = {
  name: 'JwtClaimBasedRoutingWithoutRequestAuthN',
  code: 'EDGE2008',
  istioCode: 'IST0149',
  severity: 'error',
  kinds: ['VirtualService', 'Gateway', 'RequestAuthentication', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'Routing on JWT claims at a gateway no RequestAuthentication applies to.',
  details: 'Claims are available for routing only after a RequestAuthentication has validated the token on the gateway pods (in their namespace or the root namespace). Add one (IngressGateway.requireJwt does), or route on something else.',
  run(index, report) {
    const authns = index.ofKind('RequestAuthentication');
    for (const vs of index.ofKind('VirtualService')) {
      let key: string | undefined;
      for (const route of list(specOf<VirtualServiceSpec>(vs).http)) {
        for (const m of list(route?.match)) {
          key ??= [...Object.keys(m?.headers ?? {}), ...Object.keys(m?.withoutHeaders ?? {})].find((k) => k.startsWith(CLAIM_PREFIX));
        }
      }
      if (!key) continue;
      for (const g of gatewayRefsOf(index, vs)) {
        const gw = index.get('Gateway', g.namespace, g.name);
        if (!gw) continue;
        const uncovered = gatewayPods(index, gw).filter((pod) => !authns.some((ra) => (namespaceOf(ra) === pod.namespace || ROOT_NAMESPACES.includes(namespaceOf(ra)))
          && matchesLabels(labelsOf(specOf<WorkloadPolicySpec>(ra).selector?.matchLabels), pod.labels)));
        for (const pod of uncovered) {
          report(vs, g.field, `Routes on the JWT claim "${key}" but no RequestAuthentication applies to the pods of Gateway ${g.namespace}/${g.name} (${pod.workload.kind} ${pod.namespace}/${pod.workload.metadata?.name}), so the claim is never set and these routes never match: add a RequestAuthentication selecting the gateway pods.`);
        }
      }
    }
  },
};
