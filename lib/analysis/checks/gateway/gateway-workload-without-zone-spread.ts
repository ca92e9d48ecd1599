import { Check } from '../../check';
import { gatewayWorkloads } from '../../../model/istio';
import { list } from '../../../model/objects';
import { ZONE_TOPOLOGY_KEY } from '../../../contract/keys';

const ZONE = ZONE_TOPOLOGY_KEY;

/** Gateway pods with no spread over availability zones. */
export const gatewayWorkloadWithoutZoneSpread: Check = {
  name: 'GatewayWorkloadWithoutZoneSpread',
  code: 'EDGE1012',
  severity: 'warning',
  kinds: ['Gateway', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'Gateway pods with no spread over availability zones.',
  details: 'Without a topology spread constraint (or anti-affinity) on topology.kubernetes.io/zone, the scheduler may put every gateway pod in one zone, and a zone outage takes the edge down.',
  run(index, report) {
    for (const pod of gatewayWorkloads(index)) {
      const spread = list(pod.spec.topologySpreadConstraints).some((t) => t?.topologyKey === ZONE);
      const anti = JSON.stringify(pod.spec.affinity?.podAntiAffinity ?? {}).includes(ZONE);
      if (!spread && !anti) {
        report(pod.workload, `${pod.specPath}.topologySpreadConstraints`, `The gateway pods are not spread over ${ZONE}, so one zone can hold them all: add a topology spread constraint on the zone.`);
      }
    }
  },
};
