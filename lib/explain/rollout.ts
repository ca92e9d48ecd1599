/**
 * An Argo Rollouts canary at step N: the VirtualServices and DestinationRule as the controller
 * (v1.9.1, `rollout/trafficrouting/istio/istio.go` and `rollout/trafficrouting.go`) has them while
 * the Rollout's `status.currentStepIndex` is N, so that explain answers a request "as it routes at
 * step N". Everything else in the manifests is left as it is.
 *
 * What the controller does, and what is reproduced here:
 * - Weights: the last `setWeight` at or before step N is in force (pauses, analyses and scale
 *   steps keep it). On the routes the Rollout names (`virtualService.routes`, or the only or first
 *   unnamed route), and on managed mirror routes, a destination whose host (before the first dot)
 *   is the canary or stable Service, or whose subset is the canary or stable subset, gets the canary
 *   weight or `maxTrafficWeight` minus it; a destination that is neither loses its place (the
 *   controller deletes it), unless its subset is one of `additionalSubsetNames`.
 * - `setHeaderRoute` and `setMirrorRoute` steps at or before N add their managed route (a later step
 *   with the same name and no match removes it); the controller puts the managed routes, in the
 *   order of `managedRoutes`, above every other route. A header route has only the header match
 *   and one destination (the canary subset, port of the first weighted destination); a mirror
 *   route copies the destinations (not the rewrites, retries or timeouts) of the weighted route.
 * - The DestinationRule keeps only the stable and canary subsets (the controller rewrites its
 *   subsets and drops the others); their labels gain the ReplicaSets' pod-template hash, which
 *   manifests do not carry, so the labels are left as written.
 * - Step N = the number of steps is the end: fully promoted, the managed routes are removed, the
 *   stable subset (now the new version's pods) takes everything.
 * What explain cannot know (an experiment's or a plugin's effect on traffic) is in `unknowns`;
 * what the controller itself would refuse (a VirtualService or route that does not exist, a route
 * without the stable or canary destination) throws a {@link RolloutStepError} naming it.
 */
import { KubernetesObject } from '../model/kubernetes-object';
import { CanaryStep, isRollout, Rollout, RolloutVirtualServiceRef, SetHeaderRoute, SetMirrorRoute } from '../model/rollout';
import { isKind, list, specOf } from '../model/objects';
import { namespaceOf } from '../model/object-index';
import { arr, num, rec, str, strings } from '../model/json';
import { describeStringMatch } from './match';

/** What went wrong, by name: the controller would refuse it too, or explain cannot answer. */
export type RolloutStepProblem =
  | 'rollout-not-found' | 'not-istio-canary' | 'step-out-of-range' | 'virtual-service-not-found' | 'route-not-found'
  | 'canary-not-in-route' | 'stable-not-in-route' | 'destination-rule-not-found' | 'unnamed-routes';

/** A Rollout, step or reference explain cannot evaluate; `problem` names which. */
export class RolloutStepError extends Error {
  public constructor(public readonly problem: RolloutStepProblem, message: string) {
    super(message);
    this.name = 'RolloutStepError';
  }
}

/** A managed route the controller added. */
export interface ManagedRouteSummary {
  /** The route's name. */
  readonly name: string;
  /** "header" (setHeaderRoute) or "mirror" (setMirrorRoute). */
  readonly kind: 'header' | 'mirror';
  /** The match in words. */
  readonly match: string;
  /** For a mirror route, the share mirrored. */
  readonly percentage?: number;
  /** The VirtualServices it was added to ("namespace/name"). */
  readonly virtualServices: readonly string[];
}

/** A Rollout at a step: what is in force, in a form for people and for JSON. */
export interface RolloutStepSummary {
  /** "namespace/name" of the Rollout. */
  readonly rollout: string;
  /** The step (status.currentStepIndex): 0 .. steps; `steps` is after the last step (promoted). */
  readonly step: number;
  /** How many steps the Rollout has. */
  readonly steps: number;
  /** The current step in words ("setWeight 25", "pause until promoted", "promoted"). */
  readonly current: string;
  /** The canary's weight in force, out of `maxWeight`. */
  readonly canaryWeight: number;
  /** The stable weight in force. */
  readonly stableWeight: number;
  /** `trafficRouting.maxTrafficWeight` (100 unless set). */
  readonly maxWeight: number;
  /** The routes whose weights the controller sets ("namespace/name route"). */
  readonly weightedRoutes: readonly string[];
  /** The header and mirror routes in force. */
  readonly managedRoutes: readonly ManagedRouteSummary[];
  /** What the controller changed in the objects, one sentence each. */
  readonly changes: readonly string[];
  /** What explain cannot tell at this step (experiments, plugins). */
  readonly unknowns: readonly string[];
}

/** The objects at a step, and the summary. */
export interface RolloutStepObjects {
  readonly summary: RolloutStepSummary;
  /** The manifests with the VirtualServices and DestinationRule as the controller has them at the step. */
  readonly objects: readonly KubernetesObject[];
}

type Json = Record<string, unknown>;

const ref = (o: KubernetesObject) => `${namespaceOf(o)}/${o.metadata?.name ?? '<unnamed>'}`;

/** "setWeight 25", "pause 10m", "pause until promoted", ... */
export function describeCanaryStep(s: CanaryStep): string {
  if (s.setWeight !== undefined) return `setWeight ${s.setWeight}`;
  if (s.pause !== undefined) return s.pause?.duration !== undefined ? `pause ${s.pause.duration}` : 'pause until promoted';
  if (s.analysis !== undefined) return `analysis ${list(s.analysis?.templates).map((t) => t.templateName).filter(Boolean).join(', ')}`.trim();
  if (s.setHeaderRoute !== undefined) return `setHeaderRoute ${s.setHeaderRoute.name ?? ''}${s.setHeaderRoute.match?.length ? '' : ' (removed)'}`;
  if (s.setMirrorRoute !== undefined) return `setMirrorRoute ${s.setMirrorRoute.name ?? ''}${s.setMirrorRoute.match?.length ? '' : ' (removed)'}`;
  if (s.setCanaryScale !== undefined) return 'setCanaryScale';
  if (s.experiment !== undefined) return 'experiment';
  if (s.plugin !== undefined) return `plugin ${str(rec(s.plugin).name) ?? ''}`.trim();
  return 'an empty step';
}

/** The Rollouts among the objects, "namespace/name" each. */
export function rolloutNames(objects: readonly KubernetesObject[]): string[] {
  return objects.filter(isRollout).map(ref);
}

function findRollout(objects: readonly KubernetesObject[], name: string): Rollout {
  const rollouts = objects.filter(isRollout);
  const slash = name.indexOf('/');
  const found = rollouts.filter((r) => (slash < 0 ? r.metadata?.name === name : ref(r) === name));
  if (found.length === 1) return found[0];
  const known = rollouts.map(ref);
  if (found.length > 1) throw new RolloutStepError('rollout-not-found', `Rollout "${name}" is ambiguous: ${found.map(ref).join(', ')}. Name it as namespace/name.`);
  throw new RolloutStepError('rollout-not-found', `Rollout "${name}" is not among the manifests (${known.length ? `Rollouts: ${known.join(', ')}` : 'they hold no Rollout (argoproj.io/v1alpha1)'}). Name one as namespace/name.`);
}

/** The short host the controller compares with the Service names (istio.go getHost). */
function shortHost(host: string | undefined): string {
  if (!host) return '';
  const dot = host.indexOf('.');
  return dot > 0 ? host.slice(0, dot) : dot < 0 ? host : '';
}

interface Setup {
  rolloutRef: string;
  namespace: string;
  canaryService: string;
  stableService: string;
  canarySubset: string;
  stableSubset: string;
  additionalSubsets: readonly string[];
  managed: readonly string[];
  maxWeight: number;
  /** Whether the Rollout names a DestinationRule (routing by subset, else by Service). */
  byDestinationRule: boolean;
  /** The host of the managed routes' destination: the DestinationRule's host, else the canary Service. */
  canaryHost: string;
}

/**
 * The objects as the controller has them while the Rollout is at `step` (its
 * `status.currentStepIndex`, counted from 0); `step` equal to the number of steps is the end of the
 * rollout, fully promoted.
 * @param objects the manifests (Istio form)
 * @param rolloutName "namespace/name" of the Rollout (or its name when only one has it)
 * @param step the step
 * @throws RolloutStepError for a Rollout, step or reference that cannot be evaluated
 */
export function rolloutAtStep(objects: readonly KubernetesObject[], rolloutName: string, step: number): RolloutStepObjects {
  const rollout = findRollout(objects, rolloutName);
  const rolloutRef = ref(rollout);
  const namespace = namespaceOf(rollout);
  const canary = specOf<NonNullable<Rollout['spec']>>(rollout).strategy?.canary;
  const routing = canary?.trafficRouting;
  const istio = routing?.istio;
  if (!canary || !istio || (!istio.virtualService && !list(istio.virtualServices).length)) {
    throw new RolloutStepError('not-istio-canary', `Rollout ${rolloutRef}: spec.strategy.canary.trafficRouting.istio names no VirtualService, so the controller routes no traffic by weight (received ${JSON.stringify(canary?.trafficRouting ?? null)}). explain --rollout reads canary rollouts with Istio traffic routing.`);
  }
  const steps = list(canary.steps);
  if (!Number.isInteger(step) || step < 0 || step > steps.length) {
    throw new RolloutStepError('step-out-of-range', `Rollout ${rolloutRef}: invalid step: received ${JSON.stringify(step)}. It has ${steps.length} step(s): give 0 to ${Math.max(steps.length - 1, 0)} (status.currentStepIndex), or ${steps.length} for the end (promoted).`);
  }
  const dr = istio.destinationRule;
  const drObject = dr ? objects.find((o) => isKind(o, 'networking.istio.io', 'DestinationRule') && o.metadata?.name === dr.name && namespaceOf(o) === namespace) : undefined;
  if (dr && !drObject) {
    throw new RolloutStepError('destination-rule-not-found', `Rollout ${rolloutRef}: spec.strategy.canary.trafficRouting.istio.destinationRule.name "${dr.name ?? ''}" is not a DestinationRule of namespace ${namespace} among the manifests. Name the DestinationRule that holds the stable and canary subsets.`);
  }
  const setup: Setup = {
    rolloutRef, namespace,
    canaryService: canary.canaryService ?? '', stableService: canary.stableService ?? '',
    canarySubset: dr?.canarySubsetName ?? '', stableSubset: dr?.stableSubsetName ?? '',
    additionalSubsets: strings(dr?.additionalSubsetNames),
    managed: list(routing?.managedRoutes).map((m) => m.name ?? ''),
    maxWeight: num(routing?.maxTrafficWeight) ?? 100,
    byDestinationRule: dr !== undefined,
    canaryHost: (drObject ? str(rec(drObject.spec).host) : undefined) ?? canary.canaryService ?? '',
  };

  const promoted = step === steps.length;
  let canaryWeight = 0;
  if (!promoted) for (let i = step; i >= 0; i--) if (steps[i].setWeight !== undefined) { canaryWeight = num(steps[i].setWeight) ?? 0; break; }
  const unknowns: string[] = [];
  const changes: string[] = [];
  if (!promoted) {
    const current = steps[step];
    if (current.experiment !== undefined && list(current.experiment?.templates).some((t) => t.weight !== undefined)) {
      unknowns.push(`Rollout ${rolloutRef} step ${step} runs an experiment whose templates take weights: explain does not model the experiment's destinations.`);
    }
    steps.slice(0, step + 1).forEach((s, i) => {
      if (s.plugin !== undefined) unknowns.push(`Rollout ${rolloutRef} step ${i} is a plugin step (${describeCanaryStep(s)}): what it changes is not known to explain.`);
    });
  }

  // Managed routes, in step order (each reconcile at a step re-applies that step's route; routes of
  // earlier steps stay until a step removes them or the rollout ends).
  type RouteOp = { header?: SetHeaderRoute; mirror?: SetMirrorRoute };
  const routeOps: RouteOp[] = promoted ? []
    : steps.slice(0, step + 1).flatMap((s): RouteOp[] => (s.setHeaderRoute ? [{ header: s.setHeaderRoute }] : s.setMirrorRoute ? [{ mirror: s.setMirrorRoute }] : []));

  const refs: RolloutVirtualServiceRef[] = list(istio.virtualServices).length ? [...list(istio.virtualServices)] : [istio.virtualService!];
  const replaced = new Map<KubernetesObject, KubernetesObject>();
  const weightedRoutes: string[] = [];
  const managedSummaries = new Map<string, { kind: 'header' | 'mirror'; match: string; percentage?: number; virtualServices: string[] }>();
  for (const vsRef of refs) {
    const [vsName, vsNs] = (vsRef.name ?? '').split('.');
    const vsNamespace = vsNs || namespace;
    const vs = objects.find((o) => isKind(o, 'networking.istio.io', 'VirtualService') && o.metadata?.name === vsName && namespaceOf(o) === vsNamespace);
    if (!vs) {
      throw new RolloutStepError('virtual-service-not-found', `Rollout ${rolloutRef}: spec.strategy.canary.trafficRouting.istio.virtualService(s) name "${vsRef.name ?? ''}" is not a VirtualService of namespace ${vsNamespace} among the manifests (the controller stops with "VirtualService not found"). Name the VirtualService that routes to the stable and canary destinations ("name" or "name.namespace").`);
    }
    const vsLabel = ref(vs);
    const spec = structuredClone(rec(vs.spec));
    const hasHttp = Array.isArray(spec.http);
    const routeNames = strings(vsRef.routes);
    if (hasHttp) validateHttp(setup, vsLabel, arr(spec.http).map(rec), routeNames);
    for (const [kind, key, wanted] of [['tls', 'tlsRoutes', vsRef.tlsRoutes], ['tcp', 'tcpRoutes', vsRef.tcpRoutes]] as const) {
      if (!Array.isArray(spec[kind])) continue;
      for (const i of l4Indexes(setup, vsLabel, kind, key, arr(spec[kind]).map(rec), list(wanted))) checkDestinations(setup, vsLabel, `${kind}[${i}]`, arr(rec(arr(spec[kind])[i]).route).map(rec));
    }

    for (const op of routeOps) {
      if (!hasHttp) continue; // the controller fails here too ("spec.http not found"); nothing to add to
      const name = (op.header ?? op.mirror)!.name ?? '';
      spec.http = arr(spec.http).filter((r) => routeName(rec(r)) !== name);
      const entry = managedSummaries.get(name);
      if (op.header) {
        if (op.header.match?.length) {
          spec.http = [...arr(spec.http), headerRoute(setup, op.header, arr(spec.http).map(rec), routeNames)];
          const match = list(op.header.match).map((m) => `header ${m.headerName ?? ''} ${describeStringMatch(m.headerValue)}`).join(' or ');
          managedSummaries.set(name, { kind: 'header', match, virtualServices: [...(entry?.virtualServices ?? []), vsLabel] });
        } else managedSummaries.delete(name);
      } else if (op.mirror) {
        if (op.mirror.match?.length) {
          spec.http = [mirrorRoute(setup, op.mirror, arr(spec.http).map(rec), routeNames), ...arr(spec.http)];
          const match = list(op.mirror.match).map((m) => [m.method ? `method ${describeStringMatch(m.method)}` : '', m.path ? `uri ${describeStringMatch(m.path)}` : '',
            ...Object.entries(m.headers ?? {}).map(([h, v]) => `header ${h} ${describeStringMatch(v)}`)].filter(Boolean).join(', ') || 'every request').join(' or ');
          managedSummaries.set(name, { kind: 'mirror', match, percentage: op.mirror.percentage ?? 100, virtualServices: [...(entry?.virtualServices ?? []), vsLabel] });
        } else managedSummaries.delete(name);
      }
      orderRoutes(setup, spec);
    }
    if (promoted && hasHttp && setup.managed.length) spec.http = arr(spec.http).filter((r) => !setup.managed.includes(routeName(rec(r))));

    // setWeight: the named routes (or the default one), and the managed mirror routes.
    if (hasHttp) {
      const http = arr(spec.http).map(rec);
      const names = [...routeNames, ...http.filter((r) => r.mirror !== undefined && setup.managed.includes(routeName(r))).map(routeName)];
      for (const i of httpIndexes(vsLabel, http, names)) {
        setWeights(setup, http[i], canaryWeight);
        weightedRoutes.push(`${vsLabel} ${str(http[i].name) ? `"${str(http[i].name)}"` : `http[${i}]`}`);
      }
    }
    for (const [kind, key, wanted] of [['tls', 'tlsRoutes', vsRef.tlsRoutes], ['tcp', 'tcpRoutes', vsRef.tcpRoutes]] as const) {
      if (!Array.isArray(spec[kind])) continue;
      const routes = arr(spec[kind]).map(rec);
      for (const i of l4Indexes(setup, vsLabel, kind, key, routes, list(wanted))) {
        setWeights(setup, routes[i], canaryWeight);
        weightedRoutes.push(`${vsLabel} ${kind}[${i}]`);
      }
    }
    replaced.set(vs, { ...vs, spec });
  }

  if (drObject) {
    const subsets = arr(rec(drObject.spec).subsets).map(rec);
    const keep = subsets.filter((s) => s.name === setup.canarySubset || s.name === setup.stableSubset);
    const dropped = subsets.filter((s) => !keep.includes(s)).map((s) => str(s.name) ?? '<unnamed>');
    if (dropped.length) changes.push(`DestinationRule ${ref(drObject)}: the controller keeps only the stable and canary subsets (${setup.stableSubset}, ${setup.canarySubset}) and drops ${dropped.join(', ')}.`);
    for (const [role, name] of [['canary', setup.canarySubset], ['stable', setup.stableSubset]]) {
      if (!subsets.some((s) => s.name === name)) changes.push(`DestinationRule ${ref(drObject)} has no ${role} subset "${name}": requests sent to it get 503 (no healthy upstream).`);
    }
    changes.push(promoted
      ? `DestinationRule ${ref(drObject)}: both subsets select the new version's pods (the controller sets rollouts-pod-template-hash); the canary is now the stable version.`
      : `DestinationRule ${ref(drObject)}: subset ${setup.stableSubset} selects the stable pods and ${setup.canarySubset} the canary pods (the controller adds rollouts-pod-template-hash to their labels).`);
    replaced.set(drObject, { ...drObject, spec: { ...rec(drObject.spec), subsets: keep } });
  }

  const managedRoutes = [...managedSummaries].map(([name, s]) => ({ name, ...s }));
  const stableWeight = Math.max(setup.maxWeight - canaryWeight, 0);
  changes.unshift(`Weights in force: canary ${canaryWeight}, stable ${stableWeight}${setup.maxWeight !== 100 ? ` (out of ${setup.maxWeight})` : ''} on ${weightedRoutes.join(', ') || 'no route'}.`);
  for (const m of managedRoutes) {
    changes.push(m.kind === 'header'
      ? `Header route "${m.name}" (${m.match}) sends every such request to the canary, above the other routes of ${m.virtualServices.join(', ')} (only the header is matched, not the path).`
      : `Mirror route "${m.name}" (${m.match}) mirrors ${m.percentage}% of such requests to the canary, above the other routes of ${m.virtualServices.join(', ')}.`);
  }
  const summary: RolloutStepSummary = {
    rollout: rolloutRef, step, steps: steps.length,
    current: promoted ? 'promoted (after the last step)' : describeCanaryStep(steps[step]),
    canaryWeight, stableWeight, maxWeight: setup.maxWeight, weightedRoutes, managedRoutes, changes, unknowns,
  };
  return { summary, objects: objects.map((o) => replaced.get(o) ?? o) };
}

/** The http routes SetWeight patches (istio.go getHttpRouteIndexesToPatch). */
function httpIndexes(vsLabel: string, http: readonly Json[], names: readonly string[]): number[] {
  if (names.length === 0) {
    if (http.length === 1) return [0];
    const unnamed = http.findIndex((r) => routeName(r) === '');
    return unnamed >= 0 ? [unnamed] : [];
  }
  return names.map((n) => {
    const i = http.findIndex((r) => routeName(r) === n);
    if (i < 0) throw new RolloutStepError('route-not-found', `VirtualService ${vsLabel}: the Rollout names http route "${n}", which it does not have (routes: ${http.map((r, j) => str(r.name) ?? `http[${j}] unnamed`).join(', ') || 'none'}); the controller stops with "HTTP Route '${n}' is not found in the defined Virtual Service". Name an existing route in virtualService.routes.`);
    return i;
  });
}

/** The controller's checks of the http routes before it sets a weight (istio.go ValidateHTTPRoutes). */
function validateHttp(setup: Setup, vsLabel: string, http: readonly Json[], names: readonly string[]): void {
  for (const i of httpIndexes(vsLabel, http, names)) checkDestinations(setup, vsLabel, `http[${i}]${str(http[i].name) ? ` "${str(http[i].name)}"` : ''}`, arr(http[i].route).map(rec));
  const nonManaged = http.filter((r) => !setup.managed.includes(routeName(r)));
  if (names.length === 0 && nonManaged.length > 1) {
    throw new RolloutStepError('route-not-found', `Rollout ${setup.rolloutRef}: virtualService.routes is empty and VirtualService ${vsLabel} has ${nonManaged.length} http routes; the controller then refuses ("it must have exactly one route when omitting ...virtualService.routes"). Name the routes whose weights it sets.`);
  }
  const unnamed = http.filter((r) => routeName(r) === '').length;
  if (setup.managed.length && unnamed > 1) {
    throw new RolloutStepError('unnamed-routes', `VirtualService ${vsLabel} has ${unnamed} unnamed http routes and Rollout ${setup.rolloutRef} has managedRoutes: the controller's route ordering (istio.go orderRoutes) copies every unnamed route once for each unnamed route, so the order explain would answer from is not the one written. Name the routes.`);
  }
}

/** validateVirtualServiceRouteDestinations: the route must have the stable and the canary destination. */
function checkDestinations(setup: Setup, vsLabel: string, where: string, route: readonly Json[]): void {
  const has = (pred: (d: Json) => boolean) => route.some((r) => pred(rec(r.destination)));
  const bySubset = setup.byDestinationRule;
  const found = (d: Json) => `${str(d.host) ?? '?'}${str(d.subset) ? ` subset ${str(d.subset)}` : ''}`;
  const got = route.map((r) => found(rec(r.destination))).join(', ') || 'no destination';
  const checks: Array<[RolloutStepProblem, string, (d: Json) => boolean]> = bySubset
    ? [['canary-not-in-route', `canary subset "${setup.canarySubset}"`, (d) => !!setup.canarySubset && d.subset === setup.canarySubset],
      ['stable-not-in-route', `stable subset "${setup.stableSubset}"`, (d) => !!setup.stableSubset && d.subset === setup.stableSubset]]
    : [['canary-not-in-route', `canary Service "${setup.canaryService}"`, (d) => !!setup.canaryService && shortHost(str(d.host)) === setup.canaryService],
      ['stable-not-in-route', `stable Service "${setup.stableService}"`, (d) => !!setup.stableService && shortHost(str(d.host)) === setup.stableService]];
  for (const [problem, what, pred] of checks) {
    if (!has(pred)) throw new RolloutStepError(problem, `VirtualService ${vsLabel} ${where}: the ${what} of Rollout ${setup.rolloutRef} is not among its destinations (${got}); the controller stops with "${problem.startsWith('canary') ? 'Canary' : 'Stable'} ${bySubset ? 'DestinationRule subset' : 'Service'} ... not found in route". Route to both the stable and the canary ${bySubset ? 'subsets' : 'Services'}.`);
  }
}

/** The tls or tcp routes SetWeight patches: by port (and SNI hosts), or the first. */
function l4Indexes(setup: Setup, vsLabel: string, kind: 'tls' | 'tcp', key: string, routes: readonly Json[], wanted: ReadonlyArray<{ readonly port?: number; readonly sniHosts?: readonly string[] }>): number[] {
  if (wanted.length === 0) return routes.length ? [0] : [];
  return wanted.flatMap((w) => {
    const found = routes.flatMap((r, i) => {
      const matches = arr(r.match).map(rec);
      const ports = new Set(matches.map((m) => num(m.port) ?? 0));
      if (ports.size > 1) return [];
      const port = ports.size ? [...ports][0] : 0;
      const sni = [...new Set(matches.flatMap((m) => strings(m.sniHosts)))].sort();
      const want = [...strings(w.sniHosts)].sort();
      return port === (num(w.port) ?? 0) && (kind === 'tcp' || JSON.stringify(sni) === JSON.stringify(want)) ? [i] : [];
    });
    if (!found.length) throw new RolloutStepError('route-not-found', `VirtualService ${vsLabel}: no ${kind} route matches ${key} ${JSON.stringify(w)} of Rollout ${setup.rolloutRef} (a route matches when all its match entries have that one port${kind === 'tls' ? ' and exactly those SNI hosts' : ''}).`);
    return found;
  });
}

/** processRoutes + patchVirtualService: the weights of one route, in place. */
function setWeights(setup: Setup, route: Json, canaryWeight: number): void {
  let destinations = arr(route.route).map((d) => ({ ...rec(d) }));
  let stableWeight = setup.maxWeight - canaryWeight;
  for (const d of destinations) {
    const subset = str(rec(d.destination).subset);
    if (subset && setup.additionalSubsets.includes(subset)) stableWeight -= num(d.weight) ?? 0;
  }
  stableWeight = Math.max(stableWeight, 0);
  const patches: Array<{ index: number; weight: number; remove: boolean }> = [];
  destinations.forEach((d, index) => {
    const dest = rec(d.destination);
    const host = shortHost(str(dest.host));
    const subset = str(dest.subset) ?? '';
    const weight = num(d.weight) ?? 0;
    if (!host) return;
    const role = host === setup.canaryService || (subset !== '' && subset === setup.canarySubset) ? 'canary'
      : host === setup.stableService || (subset !== '' && subset === setup.stableSubset) ? 'stable'
        : subset !== '' && setup.additionalSubsets.includes(subset) ? 'additional' : 'other';
    const want = role === 'canary' ? canaryWeight : role === 'stable' ? stableWeight : role === 'additional' ? weight : 0;
    if (weight !== want) patches.push({ index, weight: want, remove: role === 'other' });
  });
  // Applied one after the other with the indexes computed before, as the controller does.
  for (const p of patches) {
    if (p.index >= destinations.length) continue;
    if (p.remove) destinations = [...destinations.slice(0, p.index), ...destinations.slice(p.index + 1)];
    else destinations[p.index] = { ...destinations[p.index], weight: p.weight };
  }
  route.route = destinations;
}

/** The port of the first destination of the first weighted route (getVirtualServiceCanaryPort). */
function weightedRoute(http: readonly Json[], names: readonly string[]): Json[] {
  const indexes = (() => {
    try {
      return httpIndexes('', http, names);
    } catch {
      return [];
    }
  })();
  return indexes.length ? arr(http[indexes[0]].route).map(rec) : [];
}

function canaryDestination(setup: Setup, port: unknown): Json {
  return { host: setup.canaryHost, ...(num(port) ? { port: { number: num(port) } } : {}), ...(setup.canarySubset ? { subset: setup.canarySubset } : {}) };
}

/** createHeaderRoute. */
function headerRoute(setup: Setup, h: SetHeaderRoute, http: readonly Json[], names: readonly string[]): Json {
  const first = weightedRoute(http, names)[0];
  return {
    name: h.name,
    match: list(h.match).map((m) => {
      const value: Record<string, string> = {};
      for (const k of ['exact', 'regex', 'prefix']) {
        const v = str(rec(m.headerValue)[k]);
        if (v) value[k] = v;
      }
      return { headers: { [m.headerName ?? '']: value } };
    }),
    route: [{ destination: canaryDestination(setup, rec(rec(first?.destination).port).number), weight: 100 }],
  };
}

/** createMirrorRoute. */
function mirrorRoute(setup: Setup, m: SetMirrorRoute, http: readonly Json[], names: readonly string[]): Json {
  // The controller copies the destinations through its own types: host, subset, port and weight only.
  const route = weightedRoute(http, names).map((d) => {
    const dest = rec(d.destination);
    const port = num(rec(dest.port).number);
    return {
      destination: { ...(str(dest.host) ? { host: str(dest.host) } : {}), ...(str(dest.subset) ? { subset: str(dest.subset) } : {}), ...(port ? { port: { number: port } } : {}) },
      ...(num(d.weight) ? { weight: num(d.weight) } : {}),
    };
  });
  return {
    name: m.name,
    match: list(m.match).map((x) => ({ ...(x.method ? { method: x.method } : {}), ...(x.path ? { uri: x.path } : {}), ...(x.headers ? { headers: x.headers } : {}) })),
    route,
    mirror: canaryDestination(setup, rec(rec(route[0]?.destination).port).number),
    mirrorPercentage: { value: m.percentage ?? 100 },
  };
}

/** orderRoutes: the managed routes, in managedRoutes order, above the others. */
function orderRoutes(setup: Setup, spec: Json): void {
  if (!setup.managed.length) return;
  const http = arr(spec.http).map(rec);
  const managed = setup.managed.flatMap((n) => http.filter((r) => routeName(r) === n));
  spec.http = [...managed, ...http.filter((r) => !managed.includes(r))];
}

/** A route's name as the controller reads it ("" when unnamed). */
function routeName(r: Json): string {
  return str(r.name) ?? '';
}
