import { Check } from '../../check';
import { labelsOf, list, ServiceSpec, specOf, WorkloadPolicySpec } from '../../../model/objects';
import { bareHost, gatewayPods, servers } from '../../../model/istio';
import { matchesLabels, namespaceOf } from '../../../model/object-index';
import { AZURE_LB_INTERNAL_ANNOTATION } from '../../../contract/keys';

const INTERNAL_LB = AZURE_LB_INTERNAL_ANNOTATION;

/** In production, a host of a public gateway that no AuthorizationPolicy on the gateway covers. */
export const gatewayHostWithoutAuthorization: Check = {
  name: 'GatewayHostWithoutAuthorization',
  code: 'EDGE1010',
  severity: 'error',
  kinds: ['Gateway', 'Service', 'AuthorizationPolicy', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  productionOnly: true,
  description: 'In production, a host of a public gateway that no AuthorizationPolicy on the gateway covers.',
  details: 'A public LoadBalancer gateway without authorization lets every client of the internet reach every path. Add IP allow-lists, deny rules or a JWT requirement on the gateway workload.',
  run(index, report, context) {
    if (!context.production) return;
    for (const gw of index.istioGateways()) {
      const pods = gatewayPods(index, gw);
      if (pods.length === 0) continue;
      const isPublic = pods.flatMap((p) => index.servicesSelecting(p)).some((s) => specOf<ServiceSpec>(s).type === 'LoadBalancer'
        && s.metadata?.annotations?.[INTERNAL_LB] !== 'true');
      if (!isPublic) continue;
      const policies = index.ofKind('AuthorizationPolicy').filter((ap) => pods.some((p) => p.namespace === namespaceOf(ap)
        && matchesLabels(labelsOf(specOf<WorkloadPolicySpec>(ap).selector?.matchLabels), p.labels)));
      const covers = (host: string) => policies.some((ap) => {
        const spec = specOf<WorkloadPolicySpec>(ap);
        // No rules: the policy applies to every request (for DENY and ALLOW alike).
        const rules: NonNullable<WorkloadPolicySpec['rules']> = Array.isArray(spec.rules) ? spec.rules : [{}];
        return rules.some((r) => {
          const ops = list(r?.to).map((t): { hosts?: readonly string[] } => t?.operation ?? {});
          return ops.length === 0 || ops.some((op) => !op.hosts || op.hosts.includes(host) || op.hosts.includes(`${host}:*`));
        });
      });
      for (const { server, index: i } of servers(gw)) {
        for (const host of list(server.hosts).map(bareHost)) {
          if (!covers(host)) report(gw, `spec.servers[${i}].hosts`, `Public host "${host}" has no AuthorizationPolicy on the gateway: every client on the internet reaches every path. Add IP allow-lists, deny rules or a JWT requirement (gateway.allowSourceIps / denyRequests / requireJwt).`);
        }
      }
    }
  },
};
