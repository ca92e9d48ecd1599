import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describeProblem } from './private/errors';
import { validateDnsSubdomain } from './private/validate';
import { allowedDisruptions } from './private/disruption-budget';
import { checkArgs } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Options common to every disruption budget. */
export interface DisruptionOptions {
  /**
   * The PodDisruptionBudget's name.
   * @default - the name of the workload it protects
   */
  readonly name?: string;
}

/**
 * How many pods of a workload voluntary disruptions (node drains, upgrades) may take down at once:
 * rendered as a `policy/v1` PodDisruptionBudget.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class Disruption {
  /** Keep at least `count` pods (or `percent`% when given as a string like "50%") available. */
  public static minAvailable(count: number | `${number}%`, options: DisruptionOptions = {}): Disruption {
    checkArgs('Disruption.minAvailable', 'options', options, SHAPES.DisruptionOptions);
    return new Disruption('minAvailable', count, options);
  }

  /** Let at most `count` pods (or a percentage like "25%") be unavailable at once. */
  public static maxUnavailable(count: number | `${number}%`, options: DisruptionOptions = {}): Disruption {
    checkArgs('Disruption.maxUnavailable', 'options', options, SHAPES.DisruptionOptions);
    return new Disruption('maxUnavailable', count, options);
  }

  private constructor(
    /** Which field of the budget is set. */
    public readonly field: 'minAvailable' | 'maxUnavailable',
    /** The pod count or percentage. */
    public readonly value: number | string,
    /** The options. */
    public readonly options: DisruptionOptions,
  ) {}

  /**
   * Checks the value itself. Returns an error message, or undefined.
   * @internal
   */
  public _checkValue(scope: IConstruct, property: string): string | undefined {
    const v = this.value;
    const ok = typeof v === 'number'
      ? Number.isInteger(v) && v >= 0
      : /^\d+%$/.test(v) && Number(v.slice(0, -1)) <= 100;
    return ok ? undefined : describeProblem(scope, `${property}.${this.field}`, v, 'Use a whole number of pods (0 or more) or a percentage such as "50%".');
  }

  /**
   * How many pods may be evicted when `replicas` pods are running (Kubernetes rounds percentages up).
   * @internal
   */
  public _allowedDisruptions(replicas: number): number {
    return allowedDisruptions(this.field, this.value, replicas);
  }

  /**
   * An error message when the budget forbids every eviction at `replicas` pods, else undefined.
   * @param replicasDescription what `replicas` is, for the message ("minReplicas of the autoscaler", "replicas").
   * @internal
   */
  public _checkAgainst(scope: IConstruct, property: string, replicas: number, replicasDescription: string): string | undefined {
    const bad = this._checkValue(scope, property);
    if (bad) return bad;
    if (this._allowedDisruptions(replicas) >= 1) return undefined;
    return describeProblem(scope, `${property}.${this.field}`, this.value,
      `With ${replicas} pod(s) (${replicasDescription}) this budget allows no eviction, so every node drain and cluster upgrade blocks: `
      + (this.field === 'minAvailable'
        ? `use a minAvailable below ${replicas}, or raise the replicas.`
        : 'use a maxUnavailable of at least 1.'));
  }

  /**
   * Creates the PodDisruptionBudget: a plain cdk8s `ApiObject` of kind PodDisruptionBudget (until
   * 0.2 a `KubePodDisruptionBudget`, whose generated mapping wrote the same manifest: the fields
   * below in the mapping's order, the value as a number or a string; test/plain-objects-rendering.test.ts
   * compares the two byte for byte).
   * @internal
   */
  public _create(scope: Construct, id: string, name: string, namespace: string, matchLabels: Record<string, string>): ApiObject {
    const pdbName = validateDnsSubdomain(scope, 'disruption.name', this.options.name ?? name);
    const bad = this._checkValue(scope, 'disruption');
    if (bad) throw new Error(bad);
    return new ApiObject(scope, id, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: pdbName, namespace },
      spec: {
        [this.field]: this.value,
        selector: { matchLabels },
        // Pods that are not ready yet may always be evicted, so a crash-looping pod cannot block a drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
