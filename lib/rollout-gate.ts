/**
 * Gates of a progressive rollout: Argo Rollouts AnalysisTemplates (Prometheus provider) built from
 * the PromQL the edge's alerts use, each with a minimum-traffic guard.
 *
 * How a measurement is judged (Argo Rollouts v1.9.1, utils/evaluate and analysis/analysis.go): the
 * Prometheus provider hands the conditions the query's vector as `result` (a list). Every query
 * here is `<value> and on() (<requests> >= minimumRequests)`, so too little traffic gives an
 * empty list; both conditions require `len(result) > 0 && !isNaN(result[0])`, so an empty or NaN
 * result satisfies neither and the measurement is **Inconclusive**, not Successful (a pass) and
 * not Failed (a halt), and never an Error (indexing an empty list would be one, and
 * `consecutiveErrorLimit` errors abort the rollout). More than `inconclusiveLimit` inconclusive
 * measurements make the run Inconclusive, which pauses the rollout for a person to promote or
 * abort; more than `failureLimit` failed ones fail it and the controller aborts the rollout.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 */
import { Duration } from 'cdk8s';
import { fail } from './private/errors';
import { promDuration } from './private/duration';
import { validateDnsLabel, validateDuration } from './private/validate';
import { GatewayTarget, queries, ServiceTarget } from './alerts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** How often and how long a gate measures, and what ends it. */
export interface GateOptions {
  /**
   * The gate's name: the metric's, and the AnalysisTemplate's after the rollout's ("<rollout>-<name>").
   * @default - by kind: "success-rate", "latency-p<quantile>", "gateway-errors"
   */
  readonly name?: string;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Measurements taken; the gate passes when they are taken without exceeding a limit.
   * @default 5
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated; one more fails the gate and aborts the rollout.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * Inconclusive measurements (too little traffic, no data) tolerated; one more makes the gate
   * inconclusive, which pauses the rollout until promoted or aborted. Below `count`, so that a gate
   * never passes on no data.
   * @default - count - 3 (at least 3 conclusive measurements), 0 when count is 3 or less
   */
  readonly inconclusiveLimit?: number;
  /**
   * Requests the canary must have received within `window` for a measurement to count; fewer is
   * inconclusive.
   * @default 50
   */
  readonly minimumRequests?: number;
  /**
   * The window of the rates (the alerts' is 5m).
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * Wait before the first measurement (for the new pods' traffic to fill the window).
   * @default - none
   */
  readonly initialDelay?: Duration;
}

/** Options of {@link RolloutGate.successRate}. */
export interface SuccessRateGateOptions extends GateOptions {
  /** The least share of the canary's requests (as its sidecars report them) answered without 5xx, for example 0.99. */
  readonly minimum: number;
}

/** Options of {@link RolloutGate.latency}. */
export interface LatencyGateOptions extends GateOptions {
  /** The highest latency allowed at `quantile`, in milliseconds. */
  readonly maximumMs: number;
  /**
   * The quantile (0.5, 0.95, 0.99, ...).
   * @default 0.95
   */
  readonly quantile?: number;
}

/** Options of {@link RolloutGate.gatewayErrors}. */
export interface GatewayErrorsGateOptions extends GateOptions {
  /** The highest share of the canary's requests, as the ingress gateway reports them, answered with `codes`, for example 0.02. */
  readonly maximumRatio: number;
  /**
   * The response codes counted (a regular expression over `response_code`).
   * @default "5..|429"
   */
  readonly codes?: string;
}

/** What a gate is measured against. @internal */
export interface GateContext {
  /** The service as the alerts see it. */
  readonly service: ServiceTarget;
  /** The canary's version (the `version` label, Istio's `destination_version`). */
  readonly version: string;
  /** The gateway that carries the route, when known. */
  readonly gateway?: GatewayTarget;
  /** The construct path, for errors. */
  readonly scope: string;
}

/** A rendered Argo Rollouts metric (AnalysisTemplate spec.metrics[]), before its provider. @internal */
export interface GateMetric {
  readonly name: string;
  readonly query: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly initialDelay?: string;
}

interface ResolvedGate {
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly minimumRequests: number;
  readonly window: string;
  readonly initialDelay?: string;
}

/**
 * A check of the canary that a rollout step runs (`RolloutStep.gate(...)`): an AnalysisTemplate
 * with one Prometheus metric.
 */
export abstract class RolloutGate {
  /** The share of the canary's requests answered without 5xx, as its sidecars report them, must stay at or above `minimum`. */
  public static successRate(options: SuccessRateGateOptions): RolloutGate {
    checkArgs('RolloutGate.successRate', 'options', options, req(SHAPES.SuccessRateGateOptions));
    const at = 'RolloutGate.successRate';
    if (typeof options.minimum !== 'number' || !(options.minimum > 0 && options.minimum <= 1)) fail(at, 'minimum', options.minimum, 'Give the least share of successful requests between 0 (exclusive) and 1, for example 0.99.');
    return new SuccessRateGate(options.name ?? 'success-rate', resolve(at, options), options.minimum);
  }

  /** A latency quantile of the canary, in milliseconds, as its sidecars report it, must stay at or below `maximumMs`. */
  public static latency(options: LatencyGateOptions): RolloutGate {
    checkArgs('RolloutGate.latency', 'options', options, req(SHAPES.LatencyGateOptions));
    const at = 'RolloutGate.latency';
    const quantile = options.quantile ?? 0.95;
    if (typeof quantile !== 'number' || !(quantile > 0 && quantile < 1)) fail(at, 'quantile', quantile, 'Give a quantile between 0 and 1 (exclusive), for example 0.95.');
    if (typeof options.maximumMs !== 'number' || !(options.maximumMs > 0) || !Number.isFinite(options.maximumMs)) fail(at, 'maximumMs', options.maximumMs, 'Give the highest latency allowed in milliseconds, for example 500.');
    const name = options.name ?? `latency-p${String(+(quantile * 100).toFixed(3)).replace('.', '-')}`;
    return new LatencyGate(name, resolve(at, options), quantile, options.maximumMs);
  }

  /**
   * The share of the canary's requests that the ingress gateway sees answered with 5xx or 429 must
   * stay at or below `maximumRatio`. The gateway attributes a response to the canary by the
   * destination's `version`: a 429 of the gateway's own rate limits is answered before routing,
   * without a destination, so it is not counted here (the edge's EdgeGatewayRateLimited alert
   * watches those).
   */
  public static gatewayErrors(options: GatewayErrorsGateOptions): RolloutGate {
    checkArgs('RolloutGate.gatewayErrors', 'options', options, req(SHAPES.GatewayErrorsGateOptions));
    const at = 'RolloutGate.gatewayErrors';
    if (typeof options.maximumRatio !== 'number' || !(options.maximumRatio >= 0 && options.maximumRatio < 1)) fail(at, 'maximumRatio', options.maximumRatio, 'Give the highest share of failed requests, from 0 to 1 (exclusive), for example 0.02.');
    const codes = options.codes ?? '5..|429';
    if (typeof codes !== 'string' || !/^[0-9.|()]+$/.test(codes)) fail(at, 'codes', codes, 'Give a regular expression over three-digit response codes, for example "5..|429".');
    return new GatewayErrorsGate(options.name ?? 'gateway-errors', resolve(at, options), options.maximumRatio, codes);
  }

  protected constructor(
    /** The gate's name (its metric's). */
    public readonly name: string,
    /** @internal */
    protected readonly options: ResolvedGate,
  ) {
    validateDnsLabel('RolloutGate', 'name', name);
  }

  /** Whether the gate needs the gateway's workload (its reporter="source" metrics). @internal */
  public get _needsGateway(): boolean {
    return false;
  }

  /** The metric, without its provider. @internal */
  public _metric(ctx: GateContext): GateMetric {
    const o = this.options;
    const { value, requests, pass, fail: failing } = this.measure(ctx);
    // An empty vector (too few requests) or NaN satisfies neither condition: Inconclusive.
    const conclusive = 'len(result) > 0 && !isNaN(result[0])';
    return {
      name: this.name,
      query: `(${value})\nand on()\n(${requests} >= ${o.minimumRequests})`,
      successCondition: `${conclusive} && ${pass}`,
      failureCondition: `${conclusive} && ${failing}`,
      interval: o.interval,
      count: o.count,
      failureLimit: o.failureLimit,
      inconclusiveLimit: o.inconclusiveLimit,
      initialDelay: o.initialDelay,
    };
  }

  /** The value measured, the requests it is over, and the two conditions on `result[0]`. */
  protected abstract measure(ctx: GateContext): { value: string; requests: string; pass: string; fail: string };
}

function resolve(at: string, o: GateOptions): ResolvedGate {
  const int = (name: keyof GateOptions, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 10_000) fail(at, name, v, `Use a whole number from ${min} to 10000.`);
    return v;
  };
  const count = int('count', o.count ?? 5, 1);
  const failureLimit = int('failureLimit', o.failureLimit ?? 1, 0);
  const inconclusiveLimit = int('inconclusiveLimit', o.inconclusiveLimit ?? Math.max(0, count - 3), 0);
  if (inconclusiveLimit >= count) {
    fail(at, 'inconclusiveLimit', inconclusiveLimit, `With ${count} measurements and ${inconclusiveLimit} inconclusive ones allowed, a gate could pass on no data at all: keep it below count (at most ${count - 1}).`);
  }
  if (failureLimit >= count) fail(at, 'failureLimit', failureLimit, `With ${count} measurements, ${failureLimit} failures allowed means the gate can never fail: keep it below count.`);
  return {
    count, failureLimit, inconclusiveLimit,
    minimumRequests: int('minimumRequests', o.minimumRequests ?? 50, 1),
    interval: promDuration(validateDuration(at, 'interval', o.interval ?? Duration.minutes(1))),
    window: promDuration(validateDuration(at, 'window', o.window ?? Duration.minutes(5))),
    initialDelay: o.initialDelay === undefined ? undefined : promDuration(validateDuration(at, 'initialDelay', o.initialDelay)),
  };
}

class SuccessRateGate extends RolloutGate {
  public constructor(name: string, options: ResolvedGate, private readonly minimum: number) {
    super(name, options);
  }

  protected measure(ctx: GateContext) {
    return {
      value: `1 - (${queries.versionErrorRatio(ctx.service, ctx.version, '5..', this.options.window)})`,
      requests: queries.versionRequests(ctx.service, ctx.version, this.options.window),
      pass: `result[0] >= ${this.minimum}`,
      fail: `result[0] < ${this.minimum}`,
    };
  }
}

class LatencyGate extends RolloutGate {
  public constructor(name: string, options: ResolvedGate, private readonly quantile: number, private readonly maximumMs: number) {
    super(name, options);
  }

  protected measure(ctx: GateContext) {
    return {
      value: queries.versionLatency(ctx.service, ctx.version, this.quantile, this.options.window),
      requests: queries.versionRequests(ctx.service, ctx.version, this.options.window),
      pass: `result[0] <= ${this.maximumMs}`,
      fail: `result[0] > ${this.maximumMs}`,
    };
  }
}

class GatewayErrorsGate extends RolloutGate {
  public constructor(name: string, options: ResolvedGate, private readonly maximumRatio: number, private readonly codes: string) {
    super(name, options);
  }

  public get _needsGateway(): boolean {
    return true;
  }

  protected measure(ctx: GateContext) {
    const gw = ctx.gateway;
    if (!gw) fail(ctx.scope, `gates.${this.name}`, 'gatewayErrors', 'The gate reads the ingress gateway\'s metrics, but the rollout\'s routes bind to no gateway whose workload is known: route through an IngressGateway (or give gateway in the props), or use RolloutGate.successRate.');
    return {
      value: queries.gatewayVersionErrorRatio(gw, ctx.service, ctx.version, this.codes, this.options.window),
      requests: queries.gatewayVersionRequests(gw, ctx.service, ctx.version, this.options.window),
      pass: `result[0] <= ${this.maximumRatio}`,
      fail: `result[0] > ${this.maximumRatio}`,
    };
  }
}
