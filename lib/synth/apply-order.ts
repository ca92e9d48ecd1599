/**
 * The order in which an app's objects are applied to a cluster, from the construct tree: each
 * object after the objects its construct depends on (cdk8s's dependencies, which `synthesizeApp`
 * resolves to object level: a VirtualService after the DestinationRules that define its subsets, a
 * NetworkPolicy after its namespace, ...) and after the Namespace it lives in when the app creates
 * it. For the Gateway API form, what the conversion declares (a Gateway after its parameters, a
 * route after the Services and grants it adds) and what the source objects' constructs depend on.
 * Nothing here reads the manifests' contents: objects are matched to constructs by identity only
 * (apiVersion, kind, namespace, name).
 */
import { ApiObject, App } from 'cdk8s';
import { KubernetesObject } from '../model/kubernetes-object';
import { FindAllCache, resolveDependencies } from './synth-order';

/** What {@link applyDependencies} needs of a Gateway API conversion (see `GatewayApiCharts`). */
export interface ConvertedForm {
  /** The Istio-form object each object the conversion made comes from. */
  readonly sources: ReadonlyMap<KubernetesObject, KubernetesObject>;
  /** What an object the conversion made must be applied after. */
  readonly after: ReadonlyMap<KubernetesObject, readonly KubernetesObject[]>;
}

function key(apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name ?? ''}`;
}

const keyOf = (o: KubernetesObject): string => key(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata?.name);
const keyOfApiObject = (o: ApiObject): string => key(o.apiVersion, o.kind, o.metadata.namespace, o.name);

/**
 * For each of `objects` (what `synthesizeApp(app)` returned, all charts, or their Gateway API form
 * with `form`), the indexes of the objects it must be applied after. Call it after `synthesizeApp`
 * (whose dependency resolution it reuses).
 */
export function applyDependencies(app: App, objects: readonly KubernetesObject[], form?: ConvertedForm): number[][] {
  const cache = new FindAllCache();
  resolveDependencies(app, cache);
  const apiObjects = cache.findAll(app).filter((c): c is ApiObject => c instanceof ApiObject);
  const constructOf = new Map(apiObjects.map((o) => [keyOfApiObject(o), o]));
  const index = new Map<string, number>();
  objects.forEach((o, i) => index.set(keyOf(o), i));
  // In the Gateway API form, an Istio object the conversion replaced stands for what replaced it.
  const replacements = new Map<string, number[]>();
  objects.forEach((o, i) => {
    const source = form?.sources.get(o);
    if (!source) return;
    const k = keyOf(source);
    replacements.set(k, [...(replacements.get(k) ?? []), i]);
  });
  const indexesOf = (k: string): number[] => {
    const i = index.get(k);
    return i !== undefined ? [i] : replacements.get(k) ?? [];
  };
  const namespaces = new Map<string, number>();
  objects.forEach((o, i) => { if (o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata?.name) namespaces.set(o.metadata.name, i); });

  return objects.map((o, i) => {
    const deps = new Set<number>();
    const ns = o.metadata?.namespace;
    const nsIndex = ns === undefined ? undefined : namespaces.get(ns);
    if (nsIndex !== undefined) deps.add(nsIndex);
    const construct = constructOf.get(keyOf(form?.sources.get(o) ?? o));
    for (const d of construct?.node.dependencies ?? []) {
      if (d instanceof ApiObject) for (const j of indexesOf(keyOfApiObject(d))) deps.add(j);
    }
    for (const d of form?.after.get(o) ?? []) {
      const j = index.get(keyOf(d));
      if (j !== undefined) deps.add(j);
    }
    deps.delete(i);
    return [...deps].sort((a, b) => a - b);
  });
}
