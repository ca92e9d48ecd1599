/**
 * What cdk8s-plus-27's generated `toJson_<Type>` mappings write for a Kubernetes struct built from
 * plain data (as cdk8s-plus's `Container._toKube()` builds one), once the object holding it is
 * rendered: the same values with `IntOrString` and `Quantity` written as their value. The generated
 * mappings copy the object once per field (at a thousand services, a twentieth of synth's time);
 * this copies it once.
 *
 * The mappings also order each struct's fields (alphabetically, as the Kubernetes OpenAPI lists
 * them) and drop fields their type lacks; this keeps the order it is given, so it is exact only where
 * the rendering sorts keys (cdk8s's default: {@link sortsKeys}), and the caller gives it values of
 * the mapped type. Any other class instance makes it return undefined, for the caller to use the
 * generated mapping. test/versioned-service-rendering.test.ts compares the output.
 */
import { k8s } from 'cdk8s-plus-27';

/** Whether cdk8s sorts the keys of rendered objects (it does unless `CDK8S_DISABLE_SORT` is set). */
export function sortsKeys(): boolean {
  return !process.env.CDK8S_DISABLE_SORT;
}

class Unmapped extends Error {}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  if (value instanceof k8s.IntOrString || value instanceof k8s.Quantity) return value.value;
  if (value.constructor !== Object) throw new Unmapped();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = copy(v);
  }
  return out;
}

/** `value` as the generated mapping would render it, or undefined where it holds a value this does not know. */
export function plainK8sJson(value: object): Record<string, unknown> | undefined {
  try {
    return copy(value) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof Unmapped) return undefined;
    throw e;
  }
}
