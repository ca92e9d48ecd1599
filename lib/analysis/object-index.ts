/**
 * Indexes over a set of manifests, so every cross-object check is a lookup: by kind, by
 * namespace/name, Services by host, DestinationRules by host, and pod templates by label. Building
 * them is linear in the number of objects; no check scans pairs of objects.
 */
import { KubernetesObject } from '../kubernetes-object';
import { CLUSTER_DOMAIN } from '../private/hosts';

/** The cluster's DNS suffix for Services. */
export const SERVICE_SUFFIX = CLUSTER_DOMAIN;

/** A workload and the pods it runs. */
export interface PodTemplate {
  readonly workload: KubernetesObject;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: any;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The namespace of an object, "default" when unset. */
export function namespaceOf(o: KubernetesObject): string {
  return o.metadata?.namespace ?? 'default';
}

/** "Kind namespace/name". */
export function objectRef(o: KubernetesObject): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

/** Whether `labels` satisfy `selector` (an empty selector matches everything). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(value)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(value)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Resolves a Service host as Istio does from `namespace`: short name, name.namespace, or FQDN. */
export function serviceFqdn(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.${SERVICE_SUFFIX}`;
  if (parts.length === 2) return `${host}.${SERVICE_SUFFIX}`;
  return host;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The indexes. */
export class ObjectIndex {
  private readonly byKind = new Map<string, KubernetesObject[]>();
  private readonly byName = new Map<string, KubernetesObject>();
  /** Services by FQDN. */
  public readonly services = new Map<string, KubernetesObject>();
  /** DestinationRules by the FQDN of their host. */
  public readonly destinationRules = new Map<string, KubernetesObject[]>();
  /** Pod templates by namespace, then by "label=value". */
  private readonly podsByLabel = new Map<string, Map<string, PodTemplate[]>>();
  /** All pod templates by "label=value", across namespaces (Gateway selectors span namespaces). */
  private readonly allPodsByLabel = new Map<string, PodTemplate[]>();
  /** All pod templates. */
  public readonly podTemplates: PodTemplate[] = [];
  /** Autoscalers by "namespace/Kind/name" of their target. */
  public readonly autoscalers = new Map<string, KubernetesObject>();
  /** Hosts declared by ServiceEntries. */
  public readonly serviceEntryHosts = new Set<string>();
  /** Objects whose kind, namespace and name an earlier object already has. */
  public readonly duplicates: KubernetesObject[] = [];
  /** Services by namespace and each "label=value" of their selector. */
  private readonly servicesBySelector = new Map<string, KubernetesObject[]>();

  public constructor(public readonly objects: readonly KubernetesObject[]) {
    for (const o of objects) {
      if (!o || typeof o !== 'object' || !o.kind) continue;
      pushTo(this.byKind, o.kind, o);
      const key = this.key(o.kind, namespaceOf(o), o.metadata?.name ?? '');
      if (this.byName.has(key)) this.duplicates.push(o);
      else this.byName.set(key, o);
      const ns = namespaceOf(o);
      const spec = (o as any).spec ?? {};
      if (o.kind === 'Service' && o.apiVersion === 'v1') {
        this.services.set(`${o.metadata?.name}.${ns}.${SERVICE_SUFFIX}`, o);
        for (const [k, v] of Object.entries((spec.selector ?? {}) as Record<string, string>)) pushTo(this.servicesBySelector, `${ns}|${k}=${v}`, o);
      }
      if (o.kind === 'DestinationRule' && typeof spec.host === 'string') {
        const fqdn = serviceFqdn(spec.host, ns);
        pushTo(this.destinationRules, fqdn, o);
      }
      if (o.kind === 'ServiceEntry') for (const h of spec.hosts ?? []) this.serviceEntryHosts.add(h);
      if (o.kind === 'HorizontalPodAutoscaler' && spec.scaleTargetRef) {
        this.autoscalers.set(`${ns}/${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}`, o);
      }
      const template = WORKLOAD_KINDS.has(o.kind) ? spec.template : o.kind === 'Pod' ? { metadata: o.metadata, spec } : undefined;
      if (template) {
        const pod: PodTemplate = { workload: o, namespace: ns, labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} };
        this.podTemplates.push(pod);
        const nsIndex = this.podsByLabel.get(ns) ?? new Map<string, PodTemplate[]>();
        this.podsByLabel.set(ns, nsIndex);
        for (const [k, v] of Object.entries(pod.labels)) {
          const lv = `${k}=${v}`;
          pushTo(nsIndex, lv, pod);
          pushTo(this.allPodsByLabel, lv, pod);
        }
      }
    }
  }

  private key(kind: string, namespace: string, name: string): string {
    return `${kind}|${namespace}|${name}`;
  }

  /** Objects of a kind. */
  public ofKind(kind: string): KubernetesObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The object of a kind with that namespace and name. */
  public get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.byName.get(this.key(kind, namespace, name));
  }

  /**
   * Pod templates whose labels match all of `matchLabels`, in `namespace` (or in every namespace).
   * Looks up the rarest label and filters its candidates.
   */
  public podsMatching(matchLabels: Record<string, string>, namespace?: string): PodTemplate[] {
    const index = namespace === undefined ? this.allPodsByLabel : this.podsByLabel.get(namespace);
    const pairs = Object.entries(matchLabels);
    if (!index || pairs.length === 0) return [];
    let candidates: PodTemplate[] | undefined;
    for (const [k, v] of pairs) {
      const list = index.get(`${k}=${v}`);
      if (!list) return [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    return candidates!.filter((p) => pairs.every(([k, v]) => p.labels[k] === v));
  }

  /** Pod templates in `namespace` a full label selector (labels and expressions) selects. */
  public podsSelectedBy(selector: LabelSelector, namespace: string): PodTemplate[] {
    const labels = selector.matchLabels ?? {};
    const base = Object.keys(labels).length ? this.podsMatching(labels, namespace) : this.podTemplates.filter((p) => p.namespace === namespace);
    return selector.matchExpressions?.length ? base.filter((p) => selects(selector, p.labels)) : base;
  }

  /** The Services whose selector picks the pods of `pod`. */
  public servicesSelecting(pod: PodTemplate): KubernetesObject[] {
    const found = new Set<KubernetesObject>();
    for (const [k, v] of Object.entries(pod.labels)) {
      for (const svc of this.servicesBySelector.get(`${pod.namespace}|${k}=${v}`) ?? []) {
        if (Object.entries((svc as any).spec.selector as Record<string, string>).every(([sk, sv]) => pod.labels[sk] === sv)) found.add(svc);
      }
    }
    return [...found];
  }

  /** The minimum number of pods a workload runs: its autoscaler's minimum, or its replicas. */
  public minimumPods(pod: PodTemplate): number | undefined {
    const w = pod.workload as any;
    if (w.kind === 'DaemonSet' || w.kind === 'Job') return undefined;
    if (w.kind === 'Pod') return 1;
    const hpa = this.autoscalers.get(`${pod.namespace}/${w.kind}/${w.metadata?.name}`) as any;
    if (hpa) return hpa.spec.minReplicas ?? 1;
    return w.spec?.replicas ?? 1;
  }
}
