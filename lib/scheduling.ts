import { k8s } from 'cdk8s-plus-27';
import { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY } from './contract/keys';

/**
 * How strictly pods spread over availability zones and nodes.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export enum SpreadPolicy {
  /** Spread when possible, schedule anyway when a zone or node has no room (`ScheduleAnyway`). */
  PREFERRED = 'ScheduleAnyway',
  /** Never let zones differ by more than one pod; pods stay pending otherwise (`DoNotSchedule`). Nodes stay preferred. */
  REQUIRED = 'DoNotSchedule',
}

/** The node labels of availability zones and host names (defined in contract/keys). */
export { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY };

/** Topology spread constraints over `topology.kubernetes.io/zone` and `kubernetes.io/hostname`. */
export function topologySpread(matchLabels: Record<string, string>, policy: SpreadPolicy): k8s.TopologySpreadConstraint[] {
  return [
    { maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: policy, labelSelector: { matchLabels } },
    { maxSkew: 1, topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: SpreadPolicy.PREFERRED, labelSelector: { matchLabels } },
  ];
}

/**
 * The gateway's spread over `zones` availability zones, built to survive the loss of one zone:
 * - with {@link SpreadPolicy.REQUIRED} no zone holds more than one pod more than another
 *   (`DoNotSchedule`, `maxSkew: 1`), so at `n` pods over `z` zones one zone holds at most
 *   ceil(n / z) of them;
 * - `nodeTaintsPolicy: Honor`: nodes the pods cannot run on (the tainted system pool, and the nodes
 *   of a lost zone, which carry the `node.kubernetes.io/unreachable:NoSchedule` taint) are not
 *   counted as zones, so replacement and surge pods schedule in the zones that remain instead of
 *   staying Pending for the empty lost zone;
 * - `minDomains: zones - 1` (3 zones or more): while fewer zones than that have nodes, at most one
 *   pod goes to each, so pods never pile up in one zone; during the loss of one zone the zones
 *   that remain are still enough, so replacements schedule;
 * - `matchLabelKeys: [pod-template-hash]`: each revision spreads on its own, so a rolling update
 *   ends spread as evenly as the first rollout.
 * Nodes stay preferred (`ScheduleAnyway` on host names).
 */
export function gatewayTopologySpread(matchLabels: Record<string, string>, policy: SpreadPolicy, zones: number): k8s.TopologySpreadConstraint[] {
  const required = policy === SpreadPolicy.REQUIRED;
  return [
    {
      maxSkew: 1,
      topologyKey: ZONE_TOPOLOGY_KEY,
      whenUnsatisfiable: policy,
      minDomains: required && zones >= 3 ? zones - 1 : undefined,
      nodeTaintsPolicy: 'Honor',
      matchLabelKeys: ['pod-template-hash'],
      labelSelector: { matchLabels },
    },
    {
      maxSkew: 1,
      topologyKey: HOSTNAME_TOPOLOGY_KEY,
      whenUnsatisfiable: SpreadPolicy.PREFERRED,
      nodeTaintsPolicy: 'Honor',
      matchLabelKeys: ['pod-template-hash'],
      labelSelector: { matchLabels },
    },
  ];
}
