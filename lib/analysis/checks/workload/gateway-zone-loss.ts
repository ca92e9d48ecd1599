/**
 * The zone-loss check: how many gateway pods are left, at worst, when one availability zone is
 * lost, computed from the pods' spread rules, the minimum replica count and the number of zones.
 * Self-contained (one function for the arithmetic, one check) so that it can live in its own file
 * of the checks.
 */
import type { Check, Report } from '../../check';
import type { ObjectIndex, PodTemplate } from '../../../model/object-index';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { ZONE_TOPOLOGY_KEY } from '../../../contract/keys';

const ZONE = ZONE_TOPOLOGY_KEY;

/** The worst case of losing one zone. */
export interface ZoneLossWorstCase {
  /** Pods the scheduler places at the minimum replica count (fewer when rules leave some Pending). */
  readonly scheduled: number;
  /** The most pods one zone can hold. */
  readonly maxInOneZone: number;
  /** Pods left, at worst, after the zone holding the most is lost. */
  readonly survivors: number;
  /** Which rule bounds the worst case, in words. */
  readonly bound: string;
}

/** The part of a topology spread constraint the arithmetic reads. */
interface SpreadRule {
  readonly maxSkew: number;
  readonly minDomains: number;
  readonly honorsTaints: boolean;
}

/** The zone spread rules of a pod spec that the scheduler enforces (`DoNotSchedule`); the strictest first. */
export function requiredZoneSpread(podSpec: unknown): SpreadRule | undefined {
  const constraints = field(podSpec, 'topologySpreadConstraints');
  if (!Array.isArray(constraints)) return undefined;
  let best: SpreadRule | undefined;
  for (const c of constraints as unknown[]) {
    if (field(c, 'topologyKey') !== ZONE || (field(c, 'whenUnsatisfiable') ?? 'DoNotSchedule') !== 'DoNotSchedule') continue;
    const skew = field(c, 'maxSkew');
    const minDomains = field(c, 'minDomains');
    const rule: SpreadRule = {
      maxSkew: typeof skew === 'number' && skew >= 1 ? skew : 1,
      minDomains: typeof minDomains === 'number' && minDomains >= 1 ? minDomains : 1,
      honorsTaints: field(c, 'nodeTaintsPolicy') === 'Honor',
    };
    if (!best || rule.maxSkew < best.maxSkew) best = rule;
  }
  return best;
}

/** True when a required pod anti-affinity keeps two of the pods out of one zone. */
function zoneAntiAffinity(podSpec: unknown): boolean {
  const terms = field(field(field(podSpec, 'affinity'), 'podAntiAffinity'), 'requiredDuringSchedulingIgnoredDuringExecution');
  return Array.isArray(terms) && (terms as unknown[]).some((t) => field(t, 'topologyKey') === ZONE);
}

/**
 * The worst case after one of `zones` zones is lost, for `replicas` pods whose spec is `podSpec`.
 * With a `DoNotSchedule` zone spread of skew s over z zones (at least `minDomains` of them), every
 * placement keeps a zone at most s pods above the emptiest, so the fullest zone holds the largest x
 * with x + (z - 1) * max(0, x - s) <= replicas; below `minDomains` zones a zone holds at most s.
 * A `ScheduleAnyway` spread is a preference: at worst every pod sits in one zone.
 */
export function worstCaseAfterZoneLoss(replicas: number, zones: number, podSpec: unknown): ZoneLossWorstCase {
  const rule = requiredZoneSpread(podSpec);
  const antiAffinity = zoneAntiAffinity(podSpec);
  let scheduled = replicas;
  let maxInOneZone = replicas;
  let bound = 'no required zone spread: every pod may sit in one zone';
  if (rule) {
    if (zones < rule.minDomains) {
      scheduled = Math.min(replicas, zones * rule.maxSkew);
      maxInOneZone = Math.min(rule.maxSkew, scheduled);
      bound = `fewer zones (${zones}) than minDomains ${rule.minDomains}: at most maxSkew ${rule.maxSkew} pod(s) a zone`;
    } else {
      let x = replicas;
      while (x > 0 && x + (zones - 1) * Math.max(0, x - rule.maxSkew) > replicas) x--;
      maxInOneZone = x;
      bound = `DoNotSchedule zone spread, maxSkew ${rule.maxSkew}, over ${zones} zone(s)`;
    }
  }
  if (antiAffinity) {
    scheduled = Math.min(scheduled, zones);
    maxInOneZone = Math.min(maxInOneZone, 1);
    bound = 'required pod anti-affinity on zones: one pod a zone';
  }
  if (zones <= 1) {
    maxInOneZone = scheduled;
    bound = 'one zone';
  }
  return { scheduled, maxInOneZone, survivors: scheduled - maxInOneZone, bound };
}

/** The pods the Gateways of the set select. */
function gatewayPodTemplates(index: ObjectIndex): PodTemplate[] {
  const found = new Set<PodTemplate>();
  for (const gw of index.ofKind('Gateway')) {
    const selector = field(field(gw, 'spec'), 'selector');
    if (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0) continue;
    for (const p of index.podsMatching(selector as Record<string, string>)) found.add(p);
  }
  return [...found];
}

/** Gateway pods left after one zone is lost, at least: in production 2, elsewhere 1. */
export function zoneLossRequirement(production: boolean): number {
  return production ? 2 : 1;
}

/**
 * `GatewayZoneLoss`: gateway pods that one lost zone can take below the requirement (in production
 * 2 pods left, an error; elsewhere 1, a warning), and zone spreads that leave replacement pods
 * Pending while a zone is down.
 */
export const GATEWAY_ZONE_LOSS: Check = {
  name: 'GatewayZoneLoss',
  code: 'EDGE1014',
  severity: 'error',
  kinds: ['Deployment', 'HorizontalPodAutoscaler'],
  details: 'A zone outage takes every pod of that zone. With the spread rules the scheduler enforces (DoNotSchedule on topology.kubernetes.io/zone, minDomains) and the minimum replica count, the package computes the most gateway pods one zone can hold; production needs at least 2 left (one can restart or drain meanwhile), other environments 1. Raise the minimum replicas or make the zone spread required (the IngressGateway default).',
  description: 'Gateway pods that the loss of one availability zone can take below 2 (production) or 1, from the spread rules, the minimum replicas and the zones.',
  run(index, report: Report, context) {
    const zones = context.zones ?? 3;
    const needed = zoneLossRequirement(context.production);
    for (const pod of gatewayPodTemplates(index)) {
      const replicas = index.minimumPods(pod);
      if (replicas === undefined) continue;
      const worst = worstCaseAfterZoneLoss(replicas, zones, pod.spec);
      const workload: KubernetesObject = pod.workload;
      if (worst.survivors < needed) {
        report(workload, 'spec.template.spec.topologySpreadConstraints',
          `At the minimum of ${replicas} pod(s) over ${zones} zone(s) (${worst.bound}), losing one zone leaves ${worst.survivors} gateway pod(s); ${context.production ? 'production' : 'this environment'} needs at least ${needed}: `
          + `spread over zones with whenUnsatisfiable DoNotSchedule (SpreadPolicy.REQUIRED) and run at least ${minimumReplicas(needed, zones)} pods (replicas or the autoscaler's minReplicas).`,
          context.production ? 'error' : 'warning');
      }
      const rule = requiredZoneSpread(pod.spec);
      if (rule && zones >= 2 && (!rule.honorsTaints || rule.minDomains >= zones)) {
        report(workload, 'spec.template.spec.topologySpreadConstraints',
          `The DoNotSchedule zone spread ${!rule.honorsTaints ? 'counts tainted nodes (nodeTaintsPolicy is not Honor), so the nodes of a lost zone still count as an empty zone' : `needs minDomains ${rule.minDomains} of ${zones} zones`}: replacement and surge pods stay Pending while a zone is down. `
          + `Set nodeTaintsPolicy: Honor and minDomains at most ${zones - 1}.`,
          'warning');
      }
    }
  },
};

/** The fewest pods that leave `needed` after one of `zones` zones is lost with a DoNotSchedule spread of skew 1. */
export function minimumReplicas(needed: number, zones: number): number {
  if (zones <= 1) return Number.POSITIVE_INFINITY;
  let n = needed;
  while (worstCaseAfterZoneLoss(n, zones, { topologySpreadConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] }).survivors < needed) n++;
  return n;
}

function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
}
