/**
 * The namespaces of an app's objects must exist when they are applied: each is created by the app
 * (a v1 Namespace object, for example an `AppNamespace`) or declared as existing (an
 * `AppNamespace.fromName` import, an imported Gateway, Service or gateway workload, the synth
 * entry's `existingNamespaces`, or one of Kubernetes' own). Otherwise `kubectl apply` and
 * `pulumi up` fail on the first object there, after applying the others. Checked at synth only: the
 * analysis of arbitrary manifests cannot know which namespaces a cluster has.
 */
import { ApiObject, App } from 'cdk8s';
import { BUILT_IN_NAMESPACES, existingNamespacesOf } from '../contract/existing-namespaces';
import { KubernetesObject } from '../model/kubernetes-object';
import { CLUSTER_SCOPED_KINDS } from '../model/object-index';

/** The error {@link checkNamespaces} throws; the message names each namespace, its objects, and the fixes. */
export class MissingNamespaceError extends Error {
  public constructor(message: string, /** The namespaces nothing creates or declares. */ public readonly namespaces: readonly string[]) {
    super(message);
    this.name = 'MissingNamespaceError';
  }
}

/**
 * Throws a {@link MissingNamespaceError} when an object of `objects` (the app's synthesized
 * objects, in either form) is in a namespace that neither `app` creates nor anything declares as
 * existing (`existing`, the app's imports, Kubernetes' own namespaces).
 */
export function checkNamespaces(app: App, objects: readonly KubernetesObject[], existing: readonly string[] = []): void {
  const known = new Set<string>([...BUILT_IN_NAMESPACES, ...existing]);
  const paths = new Map<string, string>();
  for (const c of app.node.findAll()) {
    for (const ns of existingNamespacesOf(c)) known.add(ns);
    if (c instanceof ApiObject) paths.set(key(c.kind, c.metadata.namespace, c.name), c.node.path.replace(/\/Resource$/, ''));
  }
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata?.name) known.add(o.metadata.name);
  // Namespace -> its objects ("Kind name (construct path)").
  const missing = new Map<string, Array<{ object: string; path?: string }>>();
  for (const o of objects) {
    const ns = o.metadata?.namespace;
    if (!ns || known.has(ns) || CLUSTER_SCOPED_KINDS.has(o.kind)) continue;
    missing.set(ns, [...(missing.get(ns) ?? []), { object: `${o.kind} ${o.metadata?.name ?? ''}`, path: paths.get(key(o.kind, ns, o.metadata?.name)) }]);
  }
  if (missing.size === 0) return;
  const lines = [...missing].map(([ns, objs]) => {
    const shown = objs.slice(0, MAX_SHOWN).map((o) => (o.path ? `${o.object} (${o.path})` : o.object));
    if (objs.length > MAX_SHOWN) shown.push(`${objs.length - MAX_SHOWN} more`);
    const scope = objs.find((o) => o.path)?.path ?? '<app>';
    return `${scope}: invalid namespace: received "${ns}". Nothing in the app creates it and nothing declares it as existing, so applying its objects fails (${shown.join(', ')}): `
      + `create it in the app (new AppNamespace(scope, id, { name: "${ns}" }), or a v1 Namespace object), or declare it as existing `
      + `(AppNamespace.fromName(scope, id, "${ns}"), or existingNamespaces: ["${ns}"] in the synth options); if it is a typo, fix the namespace of these objects.`;
  });
  throw new MissingNamespaceError(`Objects are in namespaces that nothing creates:\n  ${lines.join('\n  ')}`, [...missing.keys()]);
}

/** Objects listed per namespace before "N more". */
const MAX_SHOWN = 20;

function key(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${kind}/${namespace ?? ''}/${name ?? ''}`;
}
