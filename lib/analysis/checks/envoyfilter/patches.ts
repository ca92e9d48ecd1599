/** The patches of EnvoyFilters, and which operations Istio applies for which `applyTo`. */
import { KubernetesObject } from '../../../model/kubernetes-object';
import { EnvoyFilterSpec, list, specOf } from '../../../model/objects';
import { ObjectIndex } from '../../../model/object-index';

/** One patch of an EnvoyFilter. */
export type Patch = NonNullable<EnvoyFilterSpec['configPatches']>[number];

/** `applyTo` values Istio applies a REPLACE to (pilot's listener and route patching). */
export const REPLACE_APPLIES_TO: ReadonlySet<string> = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'VIRTUAL_HOST']);

/** `applyTo` values Istio ignores ADD and REMOVE for. */
export const NO_ADD_REMOVE_APPLIES_TO: ReadonlySet<string> = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);

/** Calls `fn` with every patch of every EnvoyFilter of the set. */
export function forEachPatch(index: ObjectIndex, fn: (ef: KubernetesObject, patch: Patch, i: number) => void): void {
  for (const ef of index.ofKind('EnvoyFilter')) list(specOf<EnvoyFilterSpec>(ef).configPatches).forEach((p, i) => { if (p) fn(ef, p, i); });
}
