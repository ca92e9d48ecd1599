/**
 * A DestinationRule for any host: a Service the app does not define, a ServiceEntry's host (TLS
 * origination, connection limits), or a service seen from a client's namespace.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule as DestinationRuleResource, DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy } from '../imports/istio-networking.istio.io';
import { TrafficPolicy, renderTrafficPolicy } from './destination-policy';
import { fail } from './private/errors';
import { CLUSTER_DOMAIN } from './contract/hosts';
import { DEFINED_ELSEWHERE_ANNOTATION } from './contract/defined-elsewhere';
import { IRoutableService, IRouteTarget, serviceHost } from './service-reference';
import { validateDnsLabel, validateDnsSubdomain, validateExportToList, validateLabels } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs } from './private/args';
import { validateId } from './private/validate';
import { SHAPES } from './private/arg-shapes';

/** A named subset of a destination's endpoints. */
export interface DestinationSubset {
  /** The subset's name (what routes name). */
  readonly name: string;
  /** Labels of the endpoints (pods, or ServiceEntry endpoints) in the subset. */
  readonly labels: Record<string, string>;
  /**
   * Traffic policy of the subset, overriding the rule's.
   * @default - the rule's
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Props of {@link DestinationRule}. */
export interface DestinationRuleProps {
  /**
   * The destination: a service (a VersionedService's own rule is usually enough; here an imported
   * Service or a ServiceEntry) or a host name ("*.example.com", "api.example.com").
   */
  readonly host: IRoutableService | string;
  /**
   * The DestinationRule's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace. Put the rule in a client's namespace (with `exportTo: ['.']`) to apply a policy to
   * that client's calls only.
   * @default - the service's namespace; for a host name, the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * The traffic policy (load balancing, connection pool, outlier detection, TLS, port-level settings).
   * @default - Istio's defaults (auto mutual TLS)
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Subsets.
   * @default - none
   */
  readonly subsets?: DestinationSubset[];
  /**
   * The namespaces the rule is visible to ("." its own, "*" all).
   * @default - all namespaces (Istio's default)
   */
  readonly exportTo?: string[];
}

/**
 * A DestinationRule for any host. Routes target its subsets with `rule.subset('v1')` when the host
 * is a service.
 */
export class DestinationRule extends Construct {
  /** The DestinationRule's name. */
  public readonly ruleName: string;
  /** The DestinationRule's namespace. */
  public readonly namespace: string;
  /** The host, as written in the rule. */
  public readonly host: string;
  /** The DestinationRule resource. */
  public readonly resource: ApiObject;
  private readonly service?: IRoutableService;
  private readonly subsetNames: string[] = [];
  private readonly subsetTargets = new Map<string, IRouteTarget>();

  public constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, validateId(scope, id));
    if (props === null || typeof props !== 'object') fail(this, 'props', props, 'Pass { host, trafficPolicy?, subsets? }.');
    checkArgs(this, '', props, SHAPES.DestinationRuleProps);
    this.ruleName = validateDnsSubdomain(this, 'name', props.name ?? id);
    if (typeof props.host === 'string') {
      this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
      this.host = validateHost(this, 'host', props.host, false);
    } else if (props.host && typeof props.host === 'object' && typeof props.host.serviceName === 'string') {
      this.service = props.host;
      this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? props.host.namespace);
      this.host = serviceHost(props.host, this.namespace);
    } else {
      fail(this, 'host', props.host, 'Give a service (an imported Service, a ServiceEntry) or a host name such as "api.example.com".');
    }
    const subsets = (props.subsets ?? []).map((s, i) => {
      const name = validateDnsLabel(this, `subsets[${i}].name`, s?.name);
      if (this.subsetNames.includes(name)) fail(this, `subsets[${i}].name`, name, 'Each subset name may appear once.');
      this.subsetNames.push(name);
      if (!s.labels || Object.keys(s.labels).length === 0) fail(this, `subsets[${i}].labels`, s.labels, 'Give the labels that select the subset\'s endpoints, for example { version: "v1" }.');
      return {
        name,
        labels: { ...validateLabels(this, `subsets[${i}].labels`, s.labels) },
        // The subset policy has the same shape as the rule's; the generated types differ only in enum names.
        trafficPolicy: renderTrafficPolicy(this, `subsets[${i}].trafficPolicy`, s.trafficPolicy) as DestinationRuleSpecSubsetsTrafficPolicy | undefined,
      };
    });
    const trafficPolicy = renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    const exportTo = validateExportToList(this, 'exportTo', props.exportTo, this.namespace);
    // A rule for a Service the app does not define (fromServiceAttributes): the analysis is told it
    // exists elsewhere, as a route to it is, instead of reporting that the rule applies to nothing.
    const service = this.service;
    const annotations = service?.imported ? { [DEFINED_ELSEWHERE_ANNOTATION]: `Service ${service.routeHost ?? `${service.serviceName}.${service.namespace}.${CLUSTER_DOMAIN}`}` } : undefined;
    this.resource = new DestinationRuleResource(this, 'Resource', {
      metadata: { name: this.ruleName, namespace: this.namespace, annotations },
      spec: Lazy.any({
        produce: (): DestinationRuleSpec => ({ host: this.host, trafficPolicy, subsets: subsets.length ? subsets : undefined, exportTo }),
      }) as DestinationRuleSpec,
    });
  }

  /** A route target: the rule's service, restricted to the subset `name`. */
  public subset(name: string): IRouteTarget {
    if (!this.service) fail(this, 'subset', name, 'Only a rule whose host is a service (not a host name) gives route targets: pass the service as host.');
    if (!this.subsetNames.includes(name)) fail(this, 'subset', name, `The rule has the subsets [${this.subsetNames.join(', ')}]: name one of them.`);
    let target = this.subsetTargets.get(name);
    if (!target) {
      target = new SubsetTarget(this, `Subset-${name}`, this.service, name, this.resource);
      this.subsetTargets.set(name, target);
    }
    return target;
  }
}

/** A subset of a standalone DestinationRule, as a route target. */
class SubsetTarget extends Construct implements IRouteTarget {
  public constructor(scope: Construct, id: string, public readonly routableService: IRoutableService, public readonly subset: string, public readonly destinationRule: ApiObject) {
    super(scope, id);
  }
}
