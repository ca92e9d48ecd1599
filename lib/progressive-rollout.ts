import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { VirtualServiceSpecHttp } from '../imports/istio-networking.istio.io';
import type { AppRoute } from './app-route';
import type { IIngressGateway } from './ingress-gateway';
import { ServiceVersion, VersionedService, VersionOptions } from './versioned-service';
import { PrometheusSource } from './prometheus-source';
import { RolloutGate } from './rollout-gate';
import { RolloutStep } from './rollout-step';
import { Traffic } from './route-traffic';
import { IRoutableService, IRouteTarget } from './service-reference';
import { describeProblem, fail } from './private/errors';
import { validateDnsLabel, validateDnsSubdomain, validateId } from './private/validate';
import { checkIstioPromql } from './analysis/promql';
import { lazy } from './private/lazy';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Props of {@link ProgressiveRollout}. */
export interface ProgressiveRolloutProps {
  /** The service whose pods the rollout runs. Its other versions must go: the Rollout runs stable and canary. */
  readonly service: VersionedService;
  /**
   * The version the rollout runs now: the Rollout's pod template. A new release is a new version
   * here (a new `name` and `image`): the controller starts it as the canary and moves traffic to it
   * step by step. Give each release its own name: the gates tell the canary's requests from the
   * stable's by it (the `version` label, Istio's `destination_version`).
   */
  readonly version: VersionOptions;
  /**
   * The steps, in order; after the last one the canary becomes stable and takes all traffic.
   * @see https://argo-rollouts.readthedocs.io/en/stable/features/canary/
   */
  readonly steps: RolloutStep[];
  /**
   * The Prometheus the gates query.
   * @default PrometheusSource.controllerDefault() (the controller's ARGO_ROLLOUTS_PROMETHEUS_ADDRESS)
   */
  readonly prometheus?: PrometheusSource;
  /**
   * The ingress gateway whose metrics `RolloutGate.gatewayErrors` reads.
   * @default - the first gateway of the first route that sends traffic through `traffic()`
   */
  readonly gateway?: IIngressGateway;
  /**
   * The Rollout's name.
   * @default - the service's name
   */
  readonly name?: string;
  /**
   * The DestinationRule subset of the stable pods (the controller sets its rollouts-pod-template-hash label).
   * @default "stable"
   */
  readonly stableSubset?: string;
  /**
   * The DestinationRule subset of the canary pods.
   * @default "canary"
   */
  readonly canarySubset?: string;
}

/** Options of {@link ProgressiveRollout.traffic}. */
export interface RolloutTrafficOptions {
  /**
   * Requests with this header (exact value) always go to the canary, ahead of the split: a route of
   * the VirtualService rendered with everything the route has (match, rewrite, retries, timeout,
   * ...), so nothing is lost, unlike the controller's own header routes (`RolloutStep.headerRoute`).
   * Between rollouts the canary subset is the stable pods.
   * @default - no header pin
   */
  readonly header?: { readonly name: string; readonly value: string };
  /**
   * The Service port.
   * @default - the Service's only port
   */
  readonly port?: number;
}

/** Where the rollout's traffic is used: an AppRoute and one of its HTTP routes. */
interface Binding {
  readonly route: AppRoute;
  readonly routeName: string;
}

/** Route properties the controller's header and mirror routes do not carry (argo-rollouts #3155, #3879). */
const LOST_BY_MANAGED_ROUTES: ReadonlyArray<keyof VirtualServiceSpecHttp> = ['match', 'rewrite', 'retries', 'timeout', 'fault', 'mirror', 'mirrors', 'corsPolicy', 'headers', 'delegate'];

/**
 * A progressive rollout of a {@link VersionedService} behind an {@link AppRoute}, run by Argo
 * Rollouts (v1.9): an `argoproj.io/v1alpha1` Rollout with Istio subset-level traffic routing over the
 * VirtualService and DestinationRule the route and the service already write, and an
 * AnalysisTemplate (Prometheus provider) per gate.
 *
 * The Rollout owns the pod template (rather than a `workloadRef` to a Deployment): one object runs
 * the stable and the canary ReplicaSets, so the version's autoscaler targets the Rollout, the
 * service's disruption budget (over its `app` label) covers both, and the version's zone spread is
 * the template's. The DestinationRule gets the subsets `stable` and `canary` (labels: the app; the
 * controller adds each one's `rollouts-pod-template-hash`), and each route that sends traffic through
 * {@link traffic} gets exactly those two destinations (100/0), as the controller requires.
 *
 * Nothing else the route says is touched: the controller changes only the two weights (and its own
 * header and mirror routes, which the construct refuses where they would drop what the route says).
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/istio/
 */
export class ProgressiveRollout extends Construct {
  /** The Rollout's name. */
  public readonly rolloutName: string;
  /** The Rollout's namespace (the service's). */
  public readonly namespace: string;
  /** The version the Rollout runs. */
  public readonly version: ServiceVersion;
  /** The Rollout: a plain cdk8s `ApiObject` of kind Rollout (`argoproj.io/v1alpha1`). */
  public readonly rollout: ApiObject;
  /** The stable subset's name. */
  public readonly stableSubset: string;
  /** The canary subset's name. */
  public readonly canarySubset: string;
  private readonly props: ProgressiveRolloutProps;
  private readonly steps: RolloutStep[];
  private readonly bindings: Binding[] = [];
  private readonly templates = new Map<string, { gate: RolloutGate; object: ApiObject }>();
  private readonly source: PrometheusSource;

  public constructor(scope: Construct, id: string, props: ProgressiveRolloutProps) {
    super(scope, validateId(scope, id));
    checkArgs(this, '', props, req(SHAPES.ProgressiveRolloutProps));
    this.props = props;
    if (!(props.service instanceof VersionedService)) {
      fail(this, 'service', (props.service as { node?: { path?: string } } | undefined)?.node?.path ?? props.service, 'Pass the VersionedService the rollout runs (a Service the app does not define has no pods to roll out).');
    }
    this.namespace = props.service.namespace;
    this.rolloutName = validateDnsSubdomain(this, 'name', props.name ?? props.service.serviceName);
    this.stableSubset = validateDnsLabel(this, 'stableSubset', props.stableSubset ?? 'stable');
    this.canarySubset = validateDnsLabel(this, 'canarySubset', props.canarySubset ?? 'canary');
    if (this.stableSubset === this.canarySubset) fail(this, 'canarySubset', this.canarySubset, 'The stable and canary subsets need different names.');
    if (!(props.prometheus === undefined || props.prometheus instanceof PrometheusSource)) {
      fail(this, 'prometheus', props.prometheus, 'Use PrometheusSource.address(...), PrometheusSource.azureManaged(...) or PrometheusSource.controllerDefault().');
    }
    this.source = props.prometheus ?? PrometheusSource.controllerDefault();
    this.source._render(this.node.path); // fail early on a bad timeout
    if (!Array.isArray(props.steps) || props.steps.length === 0) {
      fail(this, 'steps', props.steps, 'Give the steps, for example [RolloutStep.setWeight(10), RolloutStep.gate(RolloutGate.successRate({ minimum: 0.99 })), RolloutStep.setWeight(50)].');
    }
    props.steps.forEach((s, i) => {
      if (!(s instanceof RolloutStep)) fail(this, `steps[${i}]`, s, 'Use RolloutStep.setWeight(...), RolloutStep.pause(...), RolloutStep.gate(...), RolloutStep.headerRoute(...) or RolloutStep.mirror(...).');
    });
    this.steps = [...props.steps];
    this.checkManagedRouteNames();

    this.version = props.service._addRolloutVersion(props.version, {
      name: this.rolloutName,
      path: this.node.path,
      stableSubset: this.stableSubset,
      canarySubset: this.canarySubset,
      strategy: () => this.renderStrategy(),
    });
    this.rollout = this.version.deployment;
    // Make-before-break: the subsets and the routes exist before the controller reads them.
    if (props.service.destinationRule) this.rollout.addDependency(props.service.destinationRule);

    // One AnalysisTemplate per gate, shared by the steps that run it.
    this.steps.forEach((step, i) => step._gates.forEach((gate) => {
      const known = this.templates.get(gate.name);
      if (known && known.gate !== gate) {
        fail(this, `steps[${i}].gates`, gate.name, `Another gate is already named "${gate.name}" (its AnalysisTemplate would be overwritten): give one of them another name ({ name: "..." }), or pass the same gate object to both steps.`);
      }
      if (!known) this.templates.set(gate.name, { gate, object: this.analysisTemplate(gate) });
    }));

    this.node.addValidation({ validate: () => this.validateBindings() });
  }

  /** The AnalysisTemplates of the gates, by gate name. */
  public get analysisTemplates(): ReadonlyMap<string, ApiObject> {
    return new Map([...this.templates].map(([k, v]) => [k, v.object]));
  }

  /**
   * The traffic of a route through this rollout (`to:` of an HTTP route): the stable and canary
   * subsets at 100/0, whose weights the controller changes step by step.
   */
  public traffic(options: RolloutTrafficOptions = {}): Traffic {
    checkArgs(this, 'traffic', options, SHAPES.RolloutTrafficOptions);
    const service = this.props.service;
    const stable = new RolloutSubset(this, `Subset-${this.stableSubset}-${this.node.children.length}`, service, this.stableSubset);
    const canary = new RolloutSubset(this, `Subset-${this.canarySubset}-${this.node.children.length}`, service, this.canarySubset);
    return new RolloutTraffic(this, stable, canary, options, (b) => this.bindings.push(b));
  }

  /** The AnalysisTemplate name of a gate. */
  private templateName(gate: RolloutGate): string {
    return validateDnsSubdomain(this, `gates.${gate.name}`, `${this.rolloutName}-${gate.name}`);
  }

  private analysisTemplate(gate: RolloutGate): ApiObject {
    return new ApiObject(this, `Gate-${gate.name}`, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: this.templateName(gate), namespace: this.namespace, labels: { app: this.props.service.serviceName } },
      spec: lazy(() => this.renderTemplate(gate)),
    });
  }

  private renderTemplate(gate: RolloutGate): Record<string, unknown> {
    const service = this.props.service;
    const gw = this.gateway();
    const metric = gate._metric({
      scope: this.node.path,
      version: this.version.versionName,
      service: { name: service.serviceName, namespace: service.namespace, deployments: [...service.deploymentNames], autoscalers: [...service.autoscalerNames] },
      gateway: gw && gw.workloadName && gw.workloadNamespace ? { workload: gw.workloadName, namespace: gw.workloadNamespace } : undefined,
    });
    // The query is parsed with Prometheus' grammar and read against the edge's Istio telemetry.
    const problems = checkIstioPromql(metric.query);
    if (problems.length) {
      throw new Error(describeProblem(this, `gates.${gate.name}.query`, metric.query, `The gate's PromQL is not what the edge's telemetry answers: ${problems.map((p) => p.message).join('; ')}.`));
    }
    const source = this.source._render(this.node.path);
    const { query, name, ...rest } = metric;
    return {
      args: source.args,
      metrics: [{ name, ...rest, provider: { prometheus: { ...source.provider, query } } }],
    };
  }

  private gateway(): IIngressGateway | undefined {
    return this.props.gateway ?? this.bindings.map((b) => b.route.gateways[0]).find((g) => g !== undefined);
  }

  private renderStrategy(): Record<string, unknown> {
    const byRoute = new Map<AppRoute, string[]>();
    for (const b of this.bindings) byRoute.set(b.route, [...(byRoute.get(b.route) ?? []), b.routeName]);
    const managed = this.steps.map((s) => s._managedRoute).filter((n): n is string => n !== undefined);
    return {
      canary: {
        trafficRouting: {
          istio: {
            virtualServices: [...byRoute].map(([route, routes]) => ({
              // Another namespace's VirtualService is named "<namespace>/<name>".
              name: route.namespace === this.namespace ? route.routeName : `${route.namespace}/${route.routeName}`,
              routes,
            })),
            destinationRule: { name: this.props.service.serviceName, stableSubsetName: this.stableSubset, canarySubsetName: this.canarySubset },
          },
          managedRoutes: managed.length ? [...new Set(managed)].map((name) => ({ name })) : undefined,
        },
        steps: this.steps.map((s) => s._render((g) => this.templateName(g))),
      },
    };
  }

  private checkManagedRouteNames(): void {
    const seen = new Map<string, number>();
    this.steps.forEach((s, i) => {
      const name = s._managedRoute;
      if (name === undefined) return;
      const first = seen.get(name);
      if (first !== undefined && this.steps[first]._kind !== s._kind) {
        fail(this, `steps[${i}]`, name, `Step ${first} adds a ${this.steps[first]._kind} route of the same name: give one of them another name.`);
      }
      seen.set(name, i);
    });
  }

  private validateBindings(): string[] {
    if (this.bindings.length === 0) {
      return [describeProblem(this, 'traffic', [], 'No route sends traffic through the rollout, so the controller has no weights to move: route to it with `to: rollout.traffic()` in an AppRoute\'s HTTP route.')];
    }
    const errors: string[] = [];
    const managed = this.steps.map((s, i) => ({ s, i })).filter(({ s }) => s._managedRoute !== undefined);
    if (managed.length === 0) return errors;
    // The controller's header and mirror routes go first in each VirtualService, with a header match
    // (or the step's match) only, and none of the route's properties.
    const { s, i } = managed[0];
    const what = s._kind === 'headerRoute' ? 'header route' : 'mirror route';
    for (const route of new Set(this.bindings.map((b) => b.route))) {
      const mine = new Set(this.bindings.filter((b) => b.route === route).map((b) => b.routeName));
      for (const http of route._httpRoutes()) {
        if (!mine.has(http.name ?? '')) {
          errors.push(describeProblem(this, `steps[${i}]`, s._managedRoute,
            `The controller puts its ${what} first in VirtualService ${route.namespace}/${route.routeName}, matching every path, so the requests of its route "${http.name}" that carry the header would go to the canary: drop the step and pin testers with rollout.traffic({ header }), which the route renders with its own match (argo-rollouts #3879).`));
          continue;
        }
        const lost = LOST_BY_MANAGED_ROUTES.filter((k) => http[k] !== undefined);
        if (lost.length) {
          errors.push(describeProblem(this, `steps[${i}]`, s._managedRoute,
            `The controller's ${what} would carry none of the ${lost.join(', ')} of route "${http.name}" in ${route.namespace}/${route.routeName} (argo-rollouts #3155, #3879), so the requests it takes would lose them: drop the step and pin testers with rollout.traffic({ header }), which keeps everything the route says.`));
        }
      }
    }
    return errors;
  }
}

/** A rollout subset as a route target. */
class RolloutSubset extends Construct implements IRouteTarget {
  public constructor(scope: Construct, id: string, public readonly routableService: IRoutableService, public readonly subset: string) {
    super(scope, id);
  }
}

/** A route's traffic through a rollout: stable 100, canary 0, and an optional header pin to the canary. */
class RolloutTraffic extends Traffic {
  public constructor(private readonly rollout: ProgressiveRollout, stable: IRouteTarget, canary: IRouteTarget,
    private readonly options: RolloutTrafficOptions, private readonly record: (b: Binding) => void) {
    super([{ to: stable, weight: 100, port: options.port }, { to: canary, weight: 0, port: options.port }]);
  }

  public _check(scope: IConstruct, property: string): void {
    const header = this.options.header;
    if (header !== undefined) {
      if (typeof header?.name !== 'string' || !/^[a-z0-9-]+$/.test(header.name)) fail(scope, `${property}.header.name`, header?.name, 'Use a lower-case HTTP header name, for example "x-canary".');
      if (typeof header.value !== 'string') fail(scope, `${property}.header.value`, header.value, 'Give the header\'s exact value as a string, for example "true".');
    }
  }

  public _bind(route: IConstruct, property: string, routeName: string | undefined): void {
    if (routeName === undefined) {
      fail(route, property, this.rollout.node.path, 'A progressive rollout shifts the weights of HTTP routes: route TCP and TLS traffic to a service or version (Traffic.to).');
    }
    this.record({ route: route as AppRoute, routeName });
  }

  public _override() {
    return this.options.header ? { header: this.options.header, target: 1 } : undefined;
  }
}
