/**
 * Indexes over a set of manifests, so every cross-object check is a lookup: by kind, by
 * namespace/name, Services and ServiceEntry hosts by host (with their `exportTo` visibility),
 * DestinationRules by host, and pod templates by label. Building them is linear in the number of
 * objects; no check scans pairs of objects.
 */
import { KubernetesObject } from './kubernetes-object';
import {
  DestinationRuleSpec, HorizontalPodAutoscalerSpec, LabelSelector, labelsOf, list, PodSpec, ServiceEntrySpec, ServicePort,
  ServiceSpec, specOf, WorkloadSpec,
} from './objects';
import { EXPORT_TO_ANNOTATION, GATEWAY_NAME_LABEL } from '../contract/keys';
import { serviceFqdnOf } from '../contract/hosts';
import { resolveHost } from '../contract/hosts';

export { LabelSelector };

/** A workload and the pods it runs. */
export interface PodTemplate {
  readonly workload: KubernetesObject;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  /** The field path of the pod spec in the workload ("spec.template.spec", or "spec" for a Pod). */
  readonly specPath: string;
}

/** A host of the mesh's registry: a Kubernetes Service or a ServiceEntry host. */
export interface RegistryHost {
  /** The object that declares the host. */
  readonly source: KubernetesObject;
  /** The host as declared (an FQDN for Services). */
  readonly host: string;
  /** Its ports (numbers). */
  readonly ports: readonly number[];
  /** The labels of the workloads behind it (a Service's selector, a ServiceEntry's workloadSelector). */
  readonly selector?: Readonly<Record<string, string>>;
  /** The namespaces it is visible from: "*" for all. */
  readonly visibleFrom: ReadonlySet<string>;
}

/** The apiVersion `get` looks Gateways up with (the Istio one), and their key in the index. */
const ISTIO_GATEWAY_VERSION = 'networking.istio.io/v1';
const ISTIO_GATEWAY_KEY = 'Gateway.networking.istio.io';

/** Kinds with a pod template at spec.template (an Argo Rollouts Rollout's, too, when it owns its template). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout']);

/** The namespace of an object, "default" when unset. */
export function namespaceOf(o: KubernetesObject): string {
  return typeof o.metadata?.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : 'default';
}

/** The kinds that have no namespace (a finding on them names no namespace). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'IngressClass', 'RuntimeClass', 'GatewayClass', 'CSIDriver',
  'VolumeAttachment', 'ClusterIssuer', 'PodSecurityPolicy', 'CertificateSigningRequest',
]);

/** "Kind namespace/name", or "Kind name" for a cluster-scoped kind. */
export function objectRef(o: KubernetesObject): string {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '<unnamed>';
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns && !CLUSTER_SCOPED_KINDS.has(o.kind) ? `${ns}/` : ''}${name}`;
}

/** Whether `o` is an Istio Gateway (networking.istio.io), not a Kubernetes Gateway API one. */
export function isIstioGateway(o: KubernetesObject): boolean {
  return o.kind === 'Gateway' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.istio.io/');
}

/** Whether `labels` satisfy `selector` (an empty selector matches everything). */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(labelsOf(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of list(selector.matchExpressions)) {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !list(e.values).includes(value)) return false; break;
      case 'NotIn': if (has && list(e.values).includes(value)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether every label of `selector` is in `labels` (an empty selector matches everything). */
export function matchesLabels(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The namespaces an `exportTo` list makes a config visible from ("*" for all). */
export function visibility(exportTo: readonly string[] | undefined, ownNamespace: string): Set<string> {
  const entries = list(exportTo).filter((e) => typeof e === 'string');
  if (entries.length === 0) return new Set(['*']);
  return new Set(entries.flatMap((e) => (e === '*' ? ['*'] : e === '.' ? [ownNamespace] : e === '~' ? [] : [e])));
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

/**
 * Lists by label key, then value: looked up with the label's own strings, never with a "key=value"
 * string built (and hashed) for each label of each object.
 */
type ByLabel<T> = Map<string, Map<string, T[]>>;

function pushToLabel<T>(map: ByLabel<T>, key: string, value: string, item: T): void {
  let values = map.get(key);
  if (!values) {
    values = new Map();
    map.set(key, values);
  }
  pushTo(values, value, item);
}

/** Whether every label of `pairs` is in `labels`. */
function hasAll(pairs: ReadonlyArray<readonly [string, string]>, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of pairs) if (labels[k] !== v) return false;
  return true;
}

/** Whether a registry entry is visible from `namespace`. */
function visibleFrom(e: RegistryHost, namespace: string): boolean {
  return e.visibleFrom.has('*') || e.visibleFrom.has(namespace);
}

/** The indexes. */
export class ObjectIndex {
  private readonly byKind = new Map<string, KubernetesObject[]>();
  /** Objects by kind (and API group for Gateways), then namespace ("" for cluster-scoped kinds), then name. */
  private readonly byName = new Map<string, Map<string, Map<string, KubernetesObject>>>();
  /** Services by FQDN. */
  public readonly services = new Map<string, KubernetesObject>();
  /** Registry hosts (Services and ServiceEntry hosts) by host; wildcard ServiceEntry hosts apart. */
  private readonly registry = new Map<string, RegistryHost[]>();
  private readonly wildcardRegistry: RegistryHost[] = [];
  /** DestinationRules by the FQDN of their host. */
  public readonly destinationRules = new Map<string, KubernetesObject[]>();
  /** Pod templates by namespace, then by label and value. */
  private readonly podsByLabel = new Map<string, ByLabel<PodTemplate>>();
  /** All pod templates by label and value, across namespaces (Gateway selectors span namespaces). */
  private readonly allPodsByLabel: ByLabel<PodTemplate> = new Map();
  /** All pod templates. */
  public readonly podTemplates: PodTemplate[] = [];
  /** Autoscalers by "namespace/Kind/name" of their target. */
  public readonly autoscalers = new Map<string, KubernetesObject>();
  /** Objects whose kind, namespace and name an earlier object already has. */
  public readonly duplicates: KubernetesObject[] = [];
  /** Services by namespace, then each label and value of their selector. */
  private readonly servicesBySelector = new Map<string, ByLabel<KubernetesObject>>();
  /** The namespaces that hold at least one pod template. */
  public readonly namespacesWithPods = new Set<string>();

  public constructor(public readonly objects: readonly KubernetesObject[]) {
    for (const o of objects) this.add(o);
  }

  private add(o: KubernetesObject): void {
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string') return;
    pushTo(this.byKind, o.kind, o);
    const ns = namespaceOf(o);
    const names = this.names(o.kind, o.apiVersion, ns, true)!;
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
    if (names.has(name)) this.duplicates.push(o);
    else names.set(name, o);
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const spec = specOf<ServiceSpec>(o);
      const fqdn = serviceFqdnOf(o.metadata?.name ?? '', ns);
      this.services.set(fqdn, o);
      const selector = labelsOf(spec.selector);
      let bySelector = this.servicesBySelector.get(ns);
      if (!bySelector) {
        bySelector = new Map();
        this.servicesBySelector.set(ns, bySelector);
      }
      for (const [k, v] of Object.entries(selector)) pushToLabel(bySelector, k, v, o);
      const exportTo = o.metadata?.annotations?.[EXPORT_TO_ANNOTATION];
      pushTo(this.registry, fqdn, {
        source: o, host: fqdn, ports: list<ServicePort>(spec.ports).map((p) => p.port).filter((p): p is number => typeof p === 'number'),
        selector: Object.keys(selector).length ? selector : undefined,
        visibleFrom: visibility(typeof exportTo === 'string' ? exportTo.split(',').map((e) => e.trim()) : undefined, ns),
      });
    }
    if (o.kind === 'ServiceEntry') {
      const spec = specOf<ServiceEntrySpec>(o);
      for (const h of list(spec.hosts)) {
        if (typeof h !== 'string') continue;
        const entry: RegistryHost = {
          source: o, host: h, ports: list(spec.ports).map((p) => p.number).filter((p): p is number => typeof p === 'number'),
          selector: spec.workloadSelector?.labels, visibleFrom: visibility(spec.exportTo, ns),
        };
        if (h.startsWith('*')) this.wildcardRegistry.push(entry);
        else pushTo(this.registry, h, entry);
      }
    }
    if (o.kind === 'DestinationRule') {
      const host = specOf<DestinationRuleSpec>(o).host;
      if (typeof host === 'string') pushTo(this.destinationRules, resolveHost(host, ns), o);
    }
    if (o.kind === 'HorizontalPodAutoscaler') {
      const ref = specOf<HorizontalPodAutoscalerSpec>(o).scaleTargetRef;
      if (ref) this.autoscalers.set(`${ns}/${ref.kind}/${ref.name}`, o);
    }
    const spec = specOf<WorkloadSpec & PodSpec>(o);
    const template = WORKLOAD_KINDS.has(o.kind) ? spec.template : o.kind === 'Pod' ? { metadata: o.metadata, spec }
      : isGatewayApiGateway(o) ? gatewayApiPods(o) : undefined;
    if (template && typeof template === 'object') {
      const pod: PodTemplate = {
        workload: o, namespace: ns, labels: labelsOf(template.metadata?.labels), spec: template.spec ?? {},
        specPath: o.kind === 'Pod' ? 'spec' : 'spec.template.spec',
      };
      this.podTemplates.push(pod);
      this.namespacesWithPods.add(ns);
      let nsIndex = this.podsByLabel.get(ns);
      if (!nsIndex) {
        nsIndex = new Map();
        this.podsByLabel.set(ns, nsIndex);
      }
      for (const [k, v] of Object.entries(pod.labels)) {
        pushToLabel(nsIndex, k, v, pod);
        pushToLabel(this.allPodsByLabel, k, v, pod);
      }
    }
  }

  /** The objects of a kind in a namespace, by name (created when `create`). */
  private names(kind: string, apiVersion: string, namespace: string, create: boolean): Map<string, KubernetesObject> | undefined {
    // Istio's Gateway and the Gateway API's Gateway share a kind: keep them apart.
    const kindKey = kind !== 'Gateway' || typeof apiVersion !== 'string' ? kind
      : apiVersion === ISTIO_GATEWAY_VERSION ? ISTIO_GATEWAY_KEY : `${kind}.${apiVersion.split('/')[0]}`;
    const ns = CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace;
    let namespaces = this.byName.get(kindKey);
    if (!namespaces) {
      if (!create) return undefined;
      namespaces = new Map();
      this.byName.set(kindKey, namespaces);
    }
    let names = namespaces.get(ns);
    if (!names && create) {
      names = new Map();
      namespaces.set(ns, names);
    }
    return names;
  }

  /**
   * Computed values by name and object. Strong maps: the index holds every object anyway, and a
   * WeakMap's entries cost every garbage collection (ephemerons) while the analysis runs.
   */
  private readonly memos = new Map<string, Map<object, unknown>>();

  /** `compute(o)`, computed once per index (that is, per analysis) for each object and name. */
  public memo<O extends object, T>(name: string, o: O, compute: (o: O) => T): T {
    let map = this.memos.get(name);
    if (!map) {
      map = new Map();
      this.memos.set(name, map);
    }
    if (map.has(o)) return map.get(o) as T;
    const value = compute(o);
    map.set(o, value);
    return value;
  }

  /** Objects of a kind. */
  public ofKind(kind: string): KubernetesObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The Istio Gateways (networking.istio.io) of the set; Gateway API Gateways are not among them. */
  public istioGateways(): KubernetesObject[] {
    return this.ofKind('Gateway').filter(isIstioGateway);
  }

  /** The object of a kind with that namespace and name (for Gateway: the Istio one). */
  public get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.names(kind, kind === 'Gateway' ? ISTIO_GATEWAY_VERSION : '', namespace, false)?.get(name);
  }

  /**
   * The registry entry for `host` as seen from a rule in `namespace`, as Istio's analyzers look it
   * up: exact host first (Services and ServiceEntries visible from the namespace), then wildcard
   * ServiceEntry hosts.
   */
  public registryHost(host: string, namespace: string): RegistryHost | undefined {
    const fqdn = resolveHost(host, namespace);
    for (const e of this.registry.get(fqdn) ?? []) if (visibleFrom(e, namespace)) return e;
    const bare = fqdn.startsWith('*') ? fqdn.slice(1) : fqdn;
    for (const e of this.wildcardRegistry) if (visibleFrom(e, namespace) && bare.endsWith(e.host.slice(1))) return e;
    return undefined;
  }

  /** Whether any registry entry (visible or not) declares `host`. */
  public registryHasAnywhere(host: string, namespace: string): RegistryHost | undefined {
    return (this.registry.get(resolveHost(host, namespace)) ?? [])[0];
  }

  /**
   * Pod templates whose labels match all of `matchLabels`, in `namespace` (or in every namespace).
   * Looks up the rarest label and filters its candidates. An empty selector selects every pod.
   */
  public podsMatching(matchLabels: Readonly<Record<string, string>>, namespace?: string): PodTemplate[] {
    const pairs = Object.entries(labelsOf(matchLabels));
    if (pairs.length === 0) return this.podTemplates.filter((p) => namespace === undefined || p.namespace === namespace);
    const index = namespace === undefined ? this.allPodsByLabel : this.podsByLabel.get(namespace);
    if (!index) return [];
    let candidates: PodTemplate[] | undefined;
    for (const [k, v] of pairs) {
      const l = index.get(k)?.get(v);
      if (!l) return [];
      if (!candidates || l.length < candidates.length) candidates = l;
    }
    const found: PodTemplate[] = [];
    for (const p of candidates!) if (hasAll(pairs, p.labels)) found.push(p);
    return found;
  }

  /** Pod templates in `namespace` a full label selector (labels and expressions) selects. */
  public podsSelectedBy(selector: LabelSelector, namespace: string): PodTemplate[] {
    const base = this.podsMatching(labelsOf(selector.matchLabels), namespace);
    return list(selector.matchExpressions).length ? base.filter((p) => selects(selector, p.labels)) : base;
  }

  /** The Services whose selector picks the pods of `pod`. */
  public servicesSelecting(pod: PodTemplate): KubernetesObject[] {
    const found = new Set<KubernetesObject>();
    const bySelector = this.servicesBySelector.get(pod.namespace);
    for (const [k, v] of Object.entries(pod.labels)) {
      for (const svc of bySelector?.get(k)?.get(v) ?? []) {
        if (matchesLabels(labelsOf(specOf<ServiceSpec>(svc).selector), pod.labels)) found.add(svc);
      }
    }
    return [...found];
  }

  /** The minimum number of pods a workload runs: its autoscaler's minimum, or its replicas. */
  public minimumPods(pod: PodTemplate): number | undefined {
    const w = pod.workload;
    if (w.kind === 'DaemonSet' || w.kind === 'Job') return undefined;
    if (w.kind === 'Pod') return 1;
    const hpa = this.autoscalers.get(`${pod.namespace}/${w.kind}/${w.metadata?.name}`);
    if (hpa) return specOf<HorizontalPodAutoscalerSpec>(hpa).minReplicas ?? 1;
    return specOf<WorkloadSpec>(w).replicas ?? 1;
  }
}

function isGatewayApiGateway(o: KubernetesObject): boolean {
  return o.kind === 'Gateway' && o.apiVersion.startsWith('gateway.networking.k8s.io/');
}

/**
 * The pods Istio deploys for a Gateway API Gateway (its automated deployment), as a pod template:
 * labelled with the Gateway's name and its `spec.infrastructure.labels`, so policies, monitors and
 * NetworkPolicies that select them are seen to select something.
 */
function gatewayApiPods(o: KubernetesObject): { metadata: { labels: Record<string, string> }; spec: PodSpec } {
  const infra = (o.spec as { infrastructure?: { labels?: Record<string, string> } } | undefined)?.infrastructure;
  return { metadata: { labels: { ...infra?.labels, [GATEWAY_NAME_LABEL]: o.metadata?.name ?? '' } }, spec: {} };
}
