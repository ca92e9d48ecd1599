// A simulation of the example's synthesized output (dev and prod) on the Pulumi stacks' node pools
// at their minimum (Pulumi.<env>.yaml, read as data): the worst-case placement of every workload's
// pods by the scheduler's topology spread filter, the pods left after any one zone is lost and
// whether their replacements schedule, node drains against every PodDisruptionBudget (all pods
// healthy; one pod down), and a rolling update's progress against the budget.
//
// The scheduler model is kube-scheduler's PodTopologySpread filter for DoNotSchedule rules: a pod
// may go to domain d when count(d) + 1 - globalMin <= maxSkew, where globalMin is 0 while fewer
// eligible domains than minDomains exist; with nodeTaintsPolicy Honor only nodes whose taints the
// pod tolerates are eligible (the system pool's CriticalAddonsOnly taint, the unreachable taint of
// a lost zone's nodes). ScheduleAnyway rules are preferences: the adversary ignores them. The
// adversary tries every placement order and keeps the worst; it is independent of the arithmetic
// of lib/analysis/checks/workload/gateway-zone-loss.ts, which the test compares against it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { analyze, KubernetesObject, synthesizeApp } from '../../lib';
import { worstCaseAfterZoneLoss, zoneLossRequirement } from '../../lib/analysis/checks/workload/gateway-zone-loss';

interface Pool { readonly name: string; readonly minCount: number; readonly zones?: string[]; readonly nodeTaints?: string[] }
interface StackConfig { readonly zones: string[]; readonly systemPool: Pool; readonly userPools: Pool[] }
interface Node { readonly name: string; readonly zone: string; readonly tainted: boolean }

function stackConfig(env: string): StackConfig {
  const doc = load(readFileSync(path.join(__dirname, '..', '..', `Pulumi.${env}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  const c = doc.config;
  return { zones: c['istio-aks-edge:zones'] as string[], systemPool: c['istio-aks-edge:systemPool'] as Pool, userPools: (c['istio-aks-edge:userPools'] ?? []) as Pool[] };
}

/**
 * The nodes at every pool's minimum. AKS balances a zonal pool's nodes over its zones (node i in
 * zone i mod n). The system pool carries CriticalAddonsOnly=true:NoSchedule when user pools exist
 * (lib/infra/aks-cluster.ts), which the workloads do not tolerate.
 */
function nodesAtMinimum(config: StackConfig): Node[] {
  const pools = [{ ...config.systemPool, tainted: config.userPools.length > 0 }, ...config.userPools.map((p) => ({ ...p, tainted: (p.nodeTaints ?? []).length > 0 }))];
  return pools.flatMap((p) => Array.from({ length: p.minCount }, (_, i) => {
    const zones = p.zones ?? config.zones;
    return { name: `${p.name}-${i}`, zone: zones[i % zones.length], tainted: p.tainted };
  }));
}

interface Workload { readonly name: string; readonly labels: Record<string, string>; readonly minPods: number; readonly spec: any; readonly strategy: any }

function workloads(objects: KubernetesObject[]): Workload[] {
  const all = objects as any[];
  return all.filter((o) => o.kind === 'Deployment').map((d) => {
    const hpa = all.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.spec.scaleTargetRef.name === d.metadata.name && h.metadata.namespace === d.metadata.namespace);
    return { name: d.metadata.name, labels: d.spec.template.metadata.labels, minPods: hpa ? hpa.spec.minReplicas : d.spec.replicas ?? 1, spec: d.spec.template.spec, strategy: d.spec.strategy };
  });
}

interface ZoneRule { readonly maxSkew: number; readonly minDomains: number; readonly honor: boolean }

function zoneRule(spec: any): ZoneRule | undefined {
  const c = (spec.topologySpreadConstraints ?? []).find((t: any) => t.topologyKey === 'topology.kubernetes.io/zone' && t.whenUnsatisfiable === 'DoNotSchedule');
  return c && { maxSkew: c.maxSkew, minDomains: c.minDomains ?? 1, honor: c.nodeTaintsPolicy === 'Honor' };
}

/** The zones that count as domains for the pods, given the nodes (tainted nodes out when honoured). */
function domains(nodes: Node[], rule: ZoneRule | undefined, lostZone?: string): string[] {
  const eligible = nodes.filter((n) => (!rule?.honor || (!n.tainted && n.zone !== lostZone)));
  return [...new Set(eligible.map((n) => n.zone))];
}

/** Zones a pod may be placed in (schedulable nodes only: untainted, not in the lost zone). */
function placeable(counts: Map<string, number>, nodes: Node[], rule: ZoneRule | undefined, lostZone?: string): string[] {
  const schedulable = [...new Set(nodes.filter((n) => !n.tainted && n.zone !== lostZone).map((n) => n.zone))];
  if (!rule) return schedulable;
  const ds = domains(nodes, rule, lostZone);
  const globalMin = ds.length < rule.minDomains ? 0 : Math.min(...ds.map((d) => counts.get(d) ?? 0));
  return schedulable.filter((z) => (counts.get(z) ?? 0) + 1 - globalMin <= rule.maxSkew);
}

/** Every reachable placement of `n` more pods (pods that fit nowhere stay Pending), as zone counts. */
function placements(start: Map<string, number>, n: number, nodes: Node[], rule: ZoneRule | undefined, lostZone?: string): Array<{ counts: Map<string, number>; pending: number }> {
  if (n === 0) return [{ counts: start, pending: 0 }];
  const options = placeable(start, nodes, rule, lostZone);
  if (options.length === 0) return [{ counts: start, pending: n }];
  return options.flatMap((z) => placements(new Map([...start, [z, (start.get(z) ?? 0) + 1]]), n - 1, nodes, rule, lostZone));
}

interface ZoneLossResult { readonly survivors: number; readonly pendingReplacements: number }

/** The worst case over every placement and every lost zone: pods left, and replacements left Pending. */
function simulateZoneLoss(w: Workload, nodes: Node[]): ZoneLossResult {
  const rule = zoneRule(w.spec);
  let survivors = Number.POSITIVE_INFINITY;
  let pendingReplacements = 0;
  for (const { counts, pending } of placements(new Map(), w.minPods, nodes, rule)) {
    for (const lost of new Set(nodes.map((n) => n.zone))) {
      const left = new Map([...counts].filter(([z]) => z !== lost));
      const alive = [...left.values()].reduce((a, b) => a + b, 0);
      survivors = Math.min(survivors, alive);
      const replacements = w.minPods - pending - alive;
      for (const after of placements(left, replacements, nodes, rule, lost)) pendingReplacements = Math.max(pendingReplacements, after.pending);
    }
  }
  return { survivors, pendingReplacements };
}

interface Budget { readonly name: string; readonly field: 'minAvailable' | 'maxUnavailable'; readonly value: number | string; readonly policy?: string; readonly pods: number }

function budgets(objects: KubernetesObject[], ws: Workload[]): Budget[] {
  return (objects as any[]).filter((o) => o.kind === 'PodDisruptionBudget').map((p) => {
    const selected = ws.filter((w) => Object.entries(p.spec.selector.matchLabels).every(([k, v]) => w.labels[k] === v));
    const field = p.spec.minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
    return { name: p.metadata.name, field, value: p.spec[field], policy: p.spec.unhealthyPodEvictionPolicy, pods: selected.reduce((a, w) => a + w.minPods, 0) };
  });
}

/** The disruption controller's desiredHealthy for `expected` pods (percentages round up). */
function desiredHealthy(b: Budget, expected: number): number {
  const count = typeof b.value === 'number' ? b.value : Math.ceil((expected * Number(b.value.slice(0, -1))) / 100);
  return b.field === 'minAvailable' ? count : expected - count;
}

/** Whether the eviction API lets a pod go: healthy ones within the budget, unhealthy ones per the policy. */
function evictable(b: Budget, healthy: number, podHealthy: boolean): boolean {
  const desired = desiredHealthy(b, b.pods);
  if (podHealthy) return healthy - desired >= 1;
  return b.policy === 'AlwaysAllow' || healthy >= desired;
}

/**
 * Drains every node in turn (a node upgrade), one pod of the budget a node. `down` pods are not
 * ready: on the nodes drained first or last; they become ready when evicted and replaced, or all at
 * once at step `recoversAfter`. An evicted pod's replacement (on a node already drained, or a new
 * one) is ready at the next step. Returns the steps taken, or 'deadlock' when no eviction can
 * happen and nothing will become ready.
 */
function drainAll(b: Budget, down: number, downOnLastNode: boolean, recoversAfter = Number.POSITIVE_INFINITY): number | 'deadlock' {
  const pods = Array.from({ length: b.pods }, (_, i) => ({
    node: i, gone: false, readyAt: (downOnLastNode ? i >= b.pods - down : i < down) ? recoversAfter : 0,
  }));
  let step = 0;
  for (let node = 0; node < b.pods; node++) {
    for (;;) {
      const target = pods.find((p) => p.node === node && !p.gone);
      if (!target) break;
      const healthy = pods.filter((p) => !p.gone && p.readyAt <= step).length;
      if (evictable(b, healthy, target.readyAt <= step)) {
        target.gone = true;
        pods.push({ node: -1, gone: false, readyAt: step + 1 });
        continue;
      }
      const next = Math.min(...pods.filter((p) => !p.gone && p.readyAt > step).map((p) => p.readyAt));
      if (!Number.isFinite(next)) return 'deadlock';
      step = next;
    }
  }
  return step;
}

/**
 * A rolling update at the minimum replica count (maxSurge rounds up, maxUnavailable down): the
 * steps to replace every pod, and the fewest ready pods meanwhile, or 'stuck'.
 */
function rollingUpdate(replicas: number, strategy: any): { steps: number; minReady: number } | 'stuck' {
  const resolve = (v: number | string | undefined, up: boolean, dflt: string) => {
    const x = v ?? dflt;
    if (typeof x === 'number') return x;
    const p = (replicas * Number(x.slice(0, -1))) / 100;
    return up ? Math.ceil(p) : Math.floor(p);
  };
  const surge = resolve(strategy?.rollingUpdate?.maxSurge, true, '25%');
  const unavailable = resolve(strategy?.rollingUpdate?.maxUnavailable, false, '25%');
  if (surge === 0 && unavailable === 0) return 'stuck';
  let oldReady = replicas;
  let newReady = 0;
  let steps = 0;
  let minReady = replicas;
  while (newReady < replicas) {
    if (++steps > 100) return 'stuck';
    // Create new pods up to replicas + surge, and take old ones down to keep ready >= replicas - unavailable.
    const created = Math.min(replicas - newReady, replicas + surge - (oldReady + newReady));
    const removable = Math.max(0, Math.min(oldReady, oldReady + newReady - (replicas - unavailable)));
    oldReady -= removable;
    minReady = Math.min(minReady, oldReady + newReady);
    newReady += Math.max(0, created + removable > 0 ? Math.min(replicas - newReady, created + removable) : 0);
    if (created <= 0 && removable === 0) return 'stuck';
    // The surplus old pods go once the new ones are ready.
    oldReady = Math.max(0, Math.min(oldReady, replicas - newReady));
  }
  return { steps, minReady };
}

describe.each(['dev', 'prod'] as const)('simulation of %s on its node pools at the minimum', (name) => {
  const env = environments[name];
  const objects = synthesizeApp(buildEdgeApp(env)).flatMap((c) => c.objects);
  const config = stackConfig(name);
  const nodes = nodesAtMinimum(config);
  const ws = workloads(objects);
  const gateway = ws.find((w) => w.name === 'istio-ingressgateway')!;
  const needed = zoneLossRequirement(env.production);

  it('the environment spreads the gateway over the zones of its Pulumi stack', () => {
    expect(env.zones).toBe(config.zones.length);
  });

  it(`after any one zone is lost, at least ${needed} gateway pod(s) are left`, () => {
    const result = simulateZoneLoss(gateway, nodes);
    expect(result.survivors).toBeGreaterThanOrEqual(needed);
    // The analysis's arithmetic, over the zones that have nodes, agrees with the adversary.
    const zonesWithNodes = domains(nodes, zoneRule(gateway.spec)).length;
    expect(worstCaseAfterZoneLoss(gateway.minPods, zonesWithNodes, gateway.spec).survivors).toBe(result.survivors);
    // And the analysis of the output passes its zone-loss check.
    expect(analyze(objects, { production: env.production, zones: env.zones }).filter((f) => f.check === 'GatewayZoneLoss')).toEqual([]);
  });

  it('the gateway\'s replacement pods schedule while a zone is down, when the pools put a node in every zone', () => {
    const result = simulateZoneLoss(gateway, nodes);
    const everyZone = config.zones.every((z) => nodes.some((n) => !n.tainted && n.zone === z));
    if (everyZone) expect(result.pendingReplacements).toBe(0);
    else expect(result.pendingReplacements).toBeLessThanOrEqual(gateway.minPods - needed); // the survivors still suffice
  });

  it('worst-case pods left per workload after one zone is lost (the gateway\'s spread is required; the apps\' is preferred)', () => {
    const table = Object.fromEntries(ws.map((w) => [w.name, `${simulateZoneLoss(w, nodes).survivors}/${w.minPods}`]));
    const survivors = (n: string) => Number(table[n].split('/')[0]);
    expect(survivors('istio-ingressgateway')).toBeGreaterThanOrEqual(needed);
    // The services keep SpreadPolicy.PREFERRED: at worst all their pods sit in one zone.
    for (const w of ws.filter((x) => x !== gateway)) expect(survivors(w.name), JSON.stringify(table)).toBe(zoneRule(w.spec) ? survivors(w.name) : 0);
  });

  describe('drains against every PodDisruptionBudget', () => {
    const bs = budgets(objects, ws);
    it('there is a budget for the gateway and each service, each evicting unhealthy pods (AlwaysAllow)', () => {
      // The rate-limit service everywhere; the in-cluster Redis where the environment runs one (dev).
      const expected = ['api', 'istio-ingressgateway', 'ratelimit', ...(bs.some((b) => b.name === 'ratelimit-redis') ? ['ratelimit-redis'] : []), 'storefront'];
      expect(bs.map((b) => b.name).sort()).toEqual(expected);
      for (const b of bs) expect(b.policy, b.name).toBe('AlwaysAllow');
    });
    it.each(budgets(objects, ws).map((b) => [b.name, b] as const))('%s: all pods healthy, at least one eviction allowed and a full drain completes', (_n, b) => {
      expect(b.pods - desiredHealthy(b, b.pods)).toBeGreaterThanOrEqual(1);
      expect(drainAll(b, 0, false)).toBeTypeOf('number');
    });
    it.each(budgets(objects, ws).map((b) => [b.name, b] as const))('%s: one pod down on the node drained first, the drain completes', (_n, b) => {
      expect(drainAll(b, 1, false)).toBeTypeOf('number');
    });
    it.each(budgets(objects, ws).map((b) => [b.name, b] as const))('%s: one pod down elsewhere, the drain waits for it, not forever', (_n, b) => {
      expect(drainAll(b, 1, true, 5)).toBeTypeOf('number');
    });
    it.each(budgets(objects, ws).map((b) => [b.name, b] as const))('%s: all but one pod down on the nodes drained first: AlwaysAllow completes (IfHealthyBudget would deadlock when it wants 2 healthy pods or more)', (_n, b) => {
      expect(drainAll(b, b.pods - 1, false)).toBeTypeOf('number');
      if (desiredHealthy(b, b.pods) >= 2) expect(drainAll({ ...b, policy: 'IfHealthyBudget' }, b.pods - 1, false)).toBe('deadlock');
    });
  });

  it.each(workloads(objects).map((w) => [w.name, w] as const))('%s: a rolling update at the minimum completes, never below the budget', (_n, w) => {
    const result = rollingUpdate(w.minPods, w.strategy);
    expect(result).not.toBe('stuck');
    const b = budgets(objects, ws).find((x) => Object.entries((objects as any[]).find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === x.name).spec.selector.matchLabels).every(([k, v]) => w.labels[k] === v))!;
    // maxUnavailable 0: ready pods never drop below the minimum, so the budget keeps its allowance
    // and a drain during the rollout still progresses.
    if (result !== 'stuck') expect(result.minReady).toBeGreaterThanOrEqual(w.minPods);
    expect(b.pods - desiredHealthy(b, b.pods)).toBeGreaterThanOrEqual(1);
  });
});
