import { k8s } from 'cdk8s-plus-27';

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

/** Topology spread constraints over `topology.kubernetes.io/zone` and `kubernetes.io/hostname`. */
export function topologySpread(matchLabels: Record<string, string>, policy: SpreadPolicy): k8s.TopologySpreadConstraint[] {
  return [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: policy, labelSelector: { matchLabels } },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: SpreadPolicy.PREFERRED, labelSelector: { matchLabels } },
  ];
}
