/**
 * What the Argo Rollouts controller writes in the objects the program applies, as Pulumi
 * `ignoreChanges` paths: a later `pulumi up` during a rollout must not put back the weights or
 * subset labels the controller set.
 *
 * Why ignoreChanges, and not server-side apply alone: @pulumi/kubernetes v4 applies server-side
 * (`enableServerSideApply` defaults to true), and a field another manager changed is left alone
 * only if Pulumi does not send it. The synthesized VirtualService carries the weights (the stable
 * version at 100), so each apply would send them back. With the paths in `ignoreChanges`, the
 * engine keeps the previous inputs' values there (no diff), and the provider drops an ignored
 * field from its apply when another manager owns it on the cluster (pulumi-kubernetes #2566), so
 * neither a reset nor a field-manager conflict. The subset labels (`rollouts-pod-template-hash`)
 * are never in the manifests; they are listed so that a manifest which one day carries them does
 * not reset them either. The controller's managed routes (header and mirror routes, http entries
 * it inserts) are not in the inputs, so no path names them; but Istio's CRDs declare `spec.http`
 * as a plain (atomic) list, so when another field of the same VirtualService changes during a
 * rollout, the apply sends the whole list: the controller puts its weights and routes back on its
 * next reconcile. Change a rolled-out route between rollouts, or abort the rollout first.
 */
import { KubernetesObject } from '../../model/kubernetes-object';

/** The label the controller sets on the stable and canary subsets of the DestinationRule. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** The `ignoreChanges` paths of one object the controller writes to. */
export interface ControllerOwnedFields {
  /** The object's apiVersion. */
  readonly apiVersion: string;
  /** The object's kind. */
  readonly kind: string;
  /**
   * The object's namespace, as its manifest says.
   * @default - none in the manifest
   */
  readonly namespace?: string;
  /** The object's name. */
  readonly name: string;
  /** Pulumi property paths (`spec.http[0].route[1].weight`, `spec.subsets[0].labels["rollouts-pod-template-hash"]`). */
  readonly paths: string[];
}

interface IstioTrafficRouting {
  virtualService?: { name?: string; routes?: string[] };
  virtualServices?: { name?: string; routes?: string[] }[];
  destinationRule?: { name?: string; stableSubsetName?: string; canarySubsetName?: string };
}

interface HttpRoute { name?: string; route?: unknown[] }

/** A reference of a Rollout ("name" or "name.namespace", as the controller reads it) in the Rollout's namespace. */
function resolve(objects: readonly KubernetesObject[], kind: string, ref: string, namespace: string): KubernetesObject | undefined {
  const find = (n: string, ns: string) => objects.find((o) => o.kind === kind && o.apiVersion.startsWith('networking.istio.io/') && o.metadata?.name === n && (o.metadata?.namespace ?? 'default') === ns);
  const exact = find(ref, namespace);
  if (exact) return exact;
  const dot = ref.indexOf('.');
  return dot > 0 ? find(ref.slice(0, dot), ref.slice(dot + 1)) : undefined;
}

/**
 * For each VirtualService and DestinationRule a Rollout of `objects` names (Istio traffic routing),
 * the paths the controller writes: the weights of every destination of the HTTP routes the Rollout
 * names (all of them when it names none and the VirtualService has one), and the
 * `rollouts-pod-template-hash` label of the stable and canary subsets. Objects the Rollouts do not
 * name get none: Pulumi keeps owning them whole.
 */
export function controllerOwnedFields(objects: readonly KubernetesObject[]): ControllerOwnedFields[] {
  const owned = new Map<string, ControllerOwnedFields>();
  const add = (o: KubernetesObject, paths: string[]) => {
    const key = `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
    const prior = owned.get(key);
    const merged = [...new Set([...(prior?.paths ?? []), ...paths])];
    owned.set(key, { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? '', paths: merged });
  };
  for (const rollout of objects.filter((o) => o.kind === 'Rollout' && o.apiVersion.startsWith('argoproj.io/'))) {
    const namespace = rollout.metadata?.namespace ?? 'default';
    const spec = (rollout as { spec?: { strategy?: { canary?: { trafficRouting?: { istio?: IstioTrafficRouting } } } } }).spec;
    const istio = spec?.strategy?.canary?.trafficRouting?.istio;
    if (!istio) continue;
    for (const ref of [...(istio.virtualService ? [istio.virtualService] : []), ...(istio.virtualServices ?? [])]) {
      const vs = ref.name ? resolve(objects, 'VirtualService', ref.name, namespace) : undefined;
      if (!vs) continue;
      const http = ((vs as { spec?: { http?: HttpRoute[] } }).spec?.http ?? []);
      const named = ref.routes?.length ? ref.routes : (http.length === 1 ? [http[0].name ?? ''] : []);
      const paths: string[] = [];
      http.forEach((h, i) => {
        if (!(http.length === 1 && !ref.routes?.length) && (h.name === undefined || !named.includes(h.name))) return;
        (h.route ?? []).forEach((_, j) => paths.push(`spec.http[${i}].route[${j}].weight`));
      });
      add(vs, paths);
    }
    const dr = istio.destinationRule;
    const rule = dr?.name ? resolve(objects, 'DestinationRule', dr.name, namespace) : undefined;
    if (rule && dr) {
      const subsets = (rule as { spec?: { subsets?: { name?: string }[] } }).spec?.subsets ?? [];
      const paths = subsets.flatMap((s, i) => (s.name !== undefined && (s.name === dr.stableSubsetName || s.name === dr.canarySubsetName)
        ? [`spec.subsets[${i}].labels["${POD_TEMPLATE_HASH_LABEL}"]`] : []));
      add(rule, paths);
    }
  }
  return [...owned.values()].filter((f) => f.paths.length > 0);
}

/** Whether the objects need the Argo Rollouts controller (a Rollout or an analysis template). */
export function needsArgoRollouts(objects: readonly KubernetesObject[]): boolean {
  return objects.some((o) => o.apiVersion.startsWith('argoproj.io/') && ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'].includes(o.kind));
}
