import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { fail } from './private/errors';
import { validateDnsSubdomain, validateLabels, validatePositiveInteger, validateQuantity, validateWholeSeconds } from './private/validate';
import { ContainerResources } from './resources';
import { shareJson } from './private/shared-json';

/**
 * A metric an autoscaler scales on besides CPU and memory utilization.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/#autoscaling-on-multiple-metrics-and-custom-metrics
 */
export class ScalingMetric {
  /** A metric describing each pod (for example requests per second), averaged over the pods. */
  public static pods(options: { readonly metricName: string; readonly averageValue: string; readonly selector?: Record<string, string> }): ScalingMetric {
    const where = metricWhere('pods', options);
    return new ScalingMetric({
      type: 'Pods',
      pods: {
        metric: { name: options.metricName, selector: selector(where, options.selector) },
        target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString(validateQuantity(where, 'averageValue', options.averageValue, true)) },
      },
    }, options.metricName);
  }

  /** A metric describing a single Kubernetes object (for example hits per second on an Ingress). */
  public static object(options: {
    readonly metricName: string;
    readonly describedObject: { readonly apiVersion: string; readonly kind: string; readonly name: string };
    /** Target value of the metric; give this or `averageValue`. */
    readonly value?: string;
    /** Target value divided by the number of pods; give this or `value`. */
    readonly averageValue?: string;
  }): ScalingMetric {
    const where = metricWhere('object', options);
    return new ScalingMetric({
      type: 'Object',
      object: {
        metric: { name: options.metricName },
        describedObject: options.describedObject,
        target: valueTarget(where, options.value, options.averageValue),
      },
    }, options.metricName);
  }

  /** A metric from outside the cluster (for example the length of a queue). */
  public static external(options: {
    readonly metricName: string;
    readonly selector?: Record<string, string>;
    /** Target value of the metric; give this or `averageValue`. */
    readonly value?: string;
    /** Target value divided by the number of pods; give this or `value`. */
    readonly averageValue?: string;
  }): ScalingMetric {
    const where = metricWhere('external', options);
    return new ScalingMetric({
      type: 'External',
      external: {
        metric: { name: options.metricName, selector: selector(where, options.selector) },
        target: valueTarget(where, options.value, options.averageValue),
      },
    }, options.metricName);
  }

  private constructor(
    /** @internal */ public readonly _spec: k8s.MetricSpecV2,
    /** The metric's name, for messages. */ public readonly metricName: string,
  ) {}
}

/**
 * Where a metric is defined, for messages, after checking its options and name as the API server
 * does (validateMetricIdentifier: a non-empty name that is a valid path segment).
 */
function metricWhere(kind: string, options: { readonly metricName: string } | null | undefined): string {
  const where = `ScalingMetric.${kind}`;
  if (options === null || typeof options !== 'object') fail(where, 'options', options, 'Pass { metricName, ... }.');
  const name: unknown = options.metricName;
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[/%]/.test(name)) {
    fail(where, 'metricName', name, 'Give the metric\'s name, for example "requests_per_second" (no "/" or "%").');
  }
  return `${where}(${name})`;
}

function selector(where: string, labels?: Record<string, string>): k8s.LabelSelector | undefined {
  if (labels === undefined) return undefined;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) fail(where, 'selector', labels, 'Give the metric\'s labels as an object, for example { queue: "orders" }.');
  return { matchLabels: { ...validateLabels(where, 'selector', labels) } };
}

function valueTarget(where: string, value?: string, averageValue?: string): k8s.MetricTargetV2 {
  if ((value === undefined) === (averageValue === undefined)) {
    fail(where, 'value/averageValue', { value, averageValue }, 'Give exactly one of `value` and `averageValue`.');
  }
  if (value !== undefined) return { type: 'Value', value: k8s.Quantity.fromString(validateQuantity(where, 'value', value, true)) };
  return { type: 'AverageValue', averageValue: k8s.Quantity.fromString(validateQuantity(where, 'averageValue', averageValue, true)) };
}

/** How an autoscaler picks among several scaling policies. */
export enum ScalingSelectPolicy {
  /** The policy allowing the largest change. */
  MAX = 'Max',
  /** The policy allowing the smallest change. */
  MIN = 'Min',
  /** Never scale in this direction. */
  DISABLED = 'Disabled',
}

/** One scaling policy: change by at most `value` pods or percent within `period`. */
export interface ScalingPolicy {
  /** Whether `value` counts pods or percent of the current replicas. */
  readonly type: 'Pods' | 'Percent';
  /** The largest change allowed within `period`. */
  readonly value: number;
  /** The window the change is measured over (1s to 30min). */
  readonly period: Duration;
}

/**
 * Scaling behaviour in one direction.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export interface ScalingRules {
  /**
   * How long past recommendations are considered before scaling.
   * @default - Kubernetes' default: 0 for scale up, 5 minutes for scale down
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Which policy wins when several apply.
   * @default ScalingSelectPolicy.MAX
   */
  readonly selectPolicy?: ScalingSelectPolicy;
  /**
   * The policies.
   * @default - Kubernetes' defaults (scale up: 4 pods or 100% per 15s; scale down: 100% per 15s)
   */
  readonly policies?: ScalingPolicy[];
}

/**
 * Horizontal pod autoscaling of a workload.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
 */
export interface AutoscalingOptions {
  /**
   * The HorizontalPodAutoscaler's name.
   * @default - the name of the workload it scales
   */
  readonly name?: string;
  /**
   * The fewest replicas; 2 or more keeps the workload available while a pod restarts.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * The most replicas.
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * Target average CPU utilization, in percent of the containers' CPU requests. Set to 0 to scale on
   * other metrics only.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Target average memory utilization, in percent of the containers' memory requests.
   * @default - memory is not a scaling metric
   */
  readonly targetMemoryUtilization?: number;
  /**
   * Further metrics (Pods, Object, External).
   * @default - none
   */
  readonly metrics?: ScalingMetric[];
  /**
   * Scale-up behaviour.
   * @default - Kubernetes' default
   */
  readonly scaleUp?: ScalingRules;
  /**
   * Scale-down behaviour.
   * @default - Kubernetes' default (5 minutes stabilization)
   */
  readonly scaleDown?: ScalingRules;
}

/** The fully defaulted autoscaling settings. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  readonly targetMemoryUtilization?: number;
  readonly options: AutoscalingOptions;
}

/**
 * Applies the defaults (2..10 replicas at 70% CPU) and checks the numbers and the containers the
 * autoscaler measures: a utilization target needs the matching request on every container.
 */
export function resolveAutoscaling(
  scope: IConstruct, property: string, options: AutoscalingOptions, containers: ReadonlyArray<{ name: string; resources?: ContainerResources }>,
): ResolvedAutoscaling {
  const minReplicas = options.minReplicas ?? 2;
  const maxReplicas = options.maxReplicas ?? 10;
  const targetCpuUtilization = options.targetCpuUtilization ?? 70;
  validatePositiveInteger(scope, `${property}.minReplicas`, minReplicas);
  validatePositiveInteger(scope, `${property}.maxReplicas`, maxReplicas);
  if (minReplicas > maxReplicas) {
    fail(scope, `${property}.minReplicas`, `${minReplicas} (maxReplicas ${maxReplicas})`, 'minReplicas must not exceed maxReplicas: lower minReplicas or raise maxReplicas.');
  }
  if (!Number.isInteger(targetCpuUtilization) || targetCpuUtilization < 0 || targetCpuUtilization > 2 ** 31 - 1) {
    fail(scope, `${property}.targetCpuUtilization`, targetCpuUtilization, 'Use a whole percentage of at least 1, or 0 to scale on other metrics only.');
  }
  const mem = options.targetMemoryUtilization;
  if (mem !== undefined && (!Number.isInteger(mem) || mem < 1)) {
    fail(scope, `${property}.targetMemoryUtilization`, mem, 'Use a whole percentage of at least 1.');
  }
  if (targetCpuUtilization === 0 && mem === undefined && !(options.metrics?.length)) {
    fail(scope, `${property}.targetCpuUtilization`, 0, 'An autoscaler needs at least one metric: keep a CPU target or add targetMemoryUtilization or metrics.');
  }
  for (const c of containers) {
    if (targetCpuUtilization > 0 && !c.resources?.cpu?.request) {
      fail(scope, `${property}.targetCpuUtilization`, targetCpuUtilization,
        `Container "${c.name}" has no CPU request, so CPU utilization cannot be computed: set resources.cpu.request, or set targetCpuUtilization to 0 and scale on other metrics.`);
    }
    if (mem !== undefined && !c.resources?.memory?.request) {
      fail(scope, `${property}.targetMemoryUtilization`, mem,
        `Container "${c.name}" has no memory request, so memory utilization cannot be computed: set resources.memory.request or drop targetMemoryUtilization.`);
    }
  }
  for (const [dir, rules] of [['scaleUp', options.scaleUp], ['scaleDown', options.scaleDown]] as const) {
    if (rules !== undefined && (rules === null || typeof rules !== 'object')) fail(scope, `${property}.${dir}`, rules, 'Give { stabilizationWindow?, policies?, selectPolicy? }.');
    // The autoscaler reads whole seconds (stabilizationWindowSeconds, periodSeconds).
    if (rules?.stabilizationWindow !== undefined) validateWholeSeconds(scope, `${property}.${dir}.stabilizationWindow`, rules.stabilizationWindow, 0);
    if (rules?.policies !== undefined && !Array.isArray(rules.policies)) fail(scope, `${property}.${dir}.policies`, rules.policies, 'Give a list of ScalingPolicy objects.');
    if (rules?.stabilizationWindow && rules.stabilizationWindow.toSeconds() > 3600) {
      fail(scope, `${property}.${dir}.stabilizationWindow`, rules.stabilizationWindow, 'Use at most 1 hour.');
    }
    rules?.policies?.forEach((p, i) => {
      validatePositiveInteger(scope, `${property}.${dir}.policies[${i}].value`, p.value);
      if (p === null || typeof p !== 'object') fail(scope, `${property}.${dir}.policies[${i}]`, p, 'Give { type, value, period }.');
      validateWholeSeconds(scope, `${property}.${dir}.policies[${i}].period`, p.period);
      if (p.period.toSeconds() > 1800) fail(scope, `${property}.${dir}.policies[${i}].period`, p.period, 'Use a period between 1s and 30 minutes.');
    });
  }
  return { minReplicas, maxReplicas, targetCpuUtilization, targetMemoryUtilization: mem, options };
}

/** What an autoscaler scales. */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/**
 * Creates the `autoscaling/v2` HorizontalPodAutoscaler for resolved settings: a plain cdk8s
 * `ApiObject` (until 0.2 a `KubeHorizontalPodAutoscalerV2`, whose generated mapping wrote the same
 * manifest: its fields are in alphabetical order, as the rendering sorts them, and the metrics'
 * quantities are written by the generated `toJson_MetricSpecV2` here; test/plain-objects-rendering.test.ts
 * compares the two byte for byte).
 */
export function createHorizontalPodAutoscaler(scope: Construct, id: string, target: ScaleTarget, scaling: ResolvedAutoscaling): ApiObject {
  const name = validateDnsSubdomain(scope, 'autoscaling.name', scaling.options.name ?? target.name);
  const metrics: unknown[] = [];
  if (scaling.targetCpuUtilization > 0) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCpuUtilization } } });
  }
  if (scaling.targetMemoryUtilization !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: scaling.targetMemoryUtilization } } });
  }
  // Quantities as the generated class wrote them (their string, not `{ value }`).
  for (const m of scaling.options.metrics ?? []) metrics.push(k8s.toJson_MetricSpecV2(m._spec));
  const behavior = scaling.options.scaleUp || scaling.options.scaleDown
    ? { scaleUp: rules(scaling.options.scaleUp), scaleDown: rules(scaling.options.scaleDown) }
    : undefined;
  return new ApiObject(scope, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: target.namespace },
    spec: {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      // Most autoscalers of an app scale on the same metrics: one copy (private/shared-json.ts).
      metrics: shareJson(metrics),
      behavior,
    },
  });
}

function rules(r?: ScalingRules): k8s.HpaScalingRulesV2 | undefined {
  if (!r) return undefined;
  return {
    stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
    selectPolicy: r.selectPolicy,
    policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
  };
}
