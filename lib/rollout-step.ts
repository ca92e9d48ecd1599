/**
 * The steps of a progressive rollout: Argo Rollouts canary steps.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/canary/
 */
import { Duration } from 'cdk8s';
import { fail } from './private/errors';
import { promDuration } from './private/duration';
import { validateDnsLabel, validateDuration } from './private/validate';
import { validateHeaderValue, validateMatchHeaderName } from './private/http';
import { RolloutGate } from './rollout-gate';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Options of {@link RolloutStep.headerRoute}. */
export interface HeaderRouteOptions {
  /** The header (lower case) that pins a request to the canary. */
  readonly header: string;
  /** Its exact value. */
  readonly value: string;
  /**
   * The name of the route the controller adds (a `managedRoutes` entry).
   * @default "<header>-canary"
   */
  readonly name?: string;
}

/** Options of {@link RolloutStep.mirror}. */
export interface MirrorStepOptions {
  /**
   * Percent of the requests copied to the canary.
   * @default 100
   */
  readonly percent?: number;
  /**
   * The name of the route the controller adds (a `managedRoutes` entry).
   * @default "mirror-canary"
   */
  readonly name?: string;
}

/** What a step is, for the rollout that renders it. @internal */
export type StepKind = 'setWeight' | 'pause' | 'gate' | 'headerRoute' | 'mirror';

/**
 * One step of a progressive rollout. Steps run in order; after the last one the controller
 * promotes the canary to stable (all traffic), so a rollout whose steps all pass always ends at
 * 100%.
 */
export abstract class RolloutStep {
  /** Sends `percent` of the route's requests to the canary (the controller changes the two weights of the route). */
  public static setWeight(percent: number): RolloutStep {
    if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 100) {
      fail('RolloutStep.setWeight', 'percent', percent, 'Give the canary\'s share as a whole percentage from 0 to 100, for example 25.');
    }
    return new PlainStep('setWeight', { setWeight: percent }, percent);
  }

  /** Waits `duration`, or until promoted (`kubectl argo rollouts promote <name>`) when it is left out. */
  public static pause(duration?: Duration): RolloutStep {
    if (duration === undefined) return new PlainStep('pause', { pause: {} });
    return new PlainStep('pause', { pause: { duration: promDuration(validateDuration('RolloutStep.pause', 'duration', duration)) } });
  }

  /**
   * Runs gates against the canary and waits for them: all pass, the rollout continues; one fails,
   * the controller aborts the rollout (all traffic back to stable); one is inconclusive (too little
   * traffic), the rollout pauses until promoted or aborted.
   */
  public static gate(...gates: RolloutGate[]): RolloutStep {
    if (gates.length === 0) fail('RolloutStep.gate', 'gates', [], 'Give at least one gate, for example RolloutGate.successRate({ minimum: 0.99 }).');
    gates.forEach((g, i) => {
      if (!(g instanceof RolloutGate)) fail('RolloutStep.gate', `gates[${i}]`, g, 'Use RolloutGate.successRate(...), RolloutGate.latency(...) or RolloutGate.gatewayErrors(...).');
    });
    const names = gates.map((g) => g.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) fail('RolloutStep.gate', 'gates', names, `Two gates are named "${twice}": give one of them another name.`);
    return new GateStep(gates);
  }

  /**
   * Argo Rollouts' `setHeaderRoute`: the controller adds a route, first in the VirtualService, that
   * sends every request carrying the header to the canary. That route has only the header match and
   * the canary destination: no path or method match (argo-rollouts #3879), no rewrite, retries,
   * timeout or other property of the route (#3155). The rollout refuses it when the route it
   * shifts has any of them, or when the VirtualService has other routes; pin testers with the
   * route's own header pin instead (`rollout.traffic({ header })`), which keeps everything.
   */
  public static headerRoute(options: HeaderRouteOptions): RolloutStep {
    checkArgs('RolloutStep.headerRoute', 'options', options, req(SHAPES.HeaderRouteOptions));
    const header = validateMatchHeaderName('RolloutStep.headerRoute', 'header', options.header);
    if (header !== header.toLowerCase() || header.startsWith(':')) fail('RolloutStep.headerRoute', 'header', header, 'Use a lower-case header name such as "x-canary".');
    validateHeaderValue('RolloutStep.headerRoute', 'value', options.value);
    const name = validateDnsLabel('RolloutStep.headerRoute', 'name', options.name ?? `${header}-canary`);
    return new PlainStep('headerRoute', { setHeaderRoute: { name, match: [{ headerName: header, headerValue: { exact: options.value } }] } }, undefined, name);
  }

  /**
   * Argo Rollouts' `setMirrorRoute`: the controller adds a route, first in the VirtualService, that
   * copies the requests to the canary. Like a header route it carries none of the route's
   * properties, so the rollout refuses it under the same conditions.
   */
  public static mirror(options: MirrorStepOptions = {}): RolloutStep {
    checkArgs('RolloutStep.mirror', 'options', options, SHAPES.MirrorStepOptions);
    const percent = options.percent ?? 100;
    if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 1 || percent > 100) fail('RolloutStep.mirror', 'percent', percent, 'Give a whole percentage from 1 to 100.');
    const name = validateDnsLabel('RolloutStep.mirror', 'name', options.name ?? 'mirror-canary');
    return new PlainStep('mirror', { setMirrorRoute: { name, percentage: percent } }, undefined, name);
  }

  protected constructor(
    /** @internal */
    public readonly _kind: StepKind,
    /** The weight a setWeight step sets. @internal */
    public readonly _weight?: number,
    /** The managed route a header or mirror step adds. @internal */
    public readonly _managedRoute?: string,
  ) {}

  /** The gates the step runs. @internal */
  public get _gates(): readonly RolloutGate[] {
    return [];
  }

  /** The Argo Rollouts step. @internal */
  public abstract _render(templateName: (gate: RolloutGate) => string): Record<string, unknown>;
}

class PlainStep extends RolloutStep {
  public constructor(kind: StepKind, private readonly json: Record<string, unknown>, weight?: number, managedRoute?: string) {
    super(kind, weight, managedRoute);
  }

  public _render(): Record<string, unknown> {
    return this.json;
  }
}

class GateStep extends RolloutStep {
  public constructor(private readonly gates: readonly RolloutGate[]) {
    super('gate');
  }

  public get _gates(): readonly RolloutGate[] {
    return this.gates;
  }

  public _render(templateName: (gate: RolloutGate) => string): Record<string, unknown> {
    return { analysis: { templates: this.gates.map((g) => ({ templateName: templateName(g) })) } };
  }
}
