/**
 * One copy of equal JSON data across the objects of an app: a construct tree of thousands of
 * services holds thousands of equal probes, port lists, resource requirements and security
 * contexts until synthesis, each a few small objects (issue 28: at 16,000 services, the containers
 * alone held about 30 MiB). {@link shareJson} returns an equal value seen before (frozen), or
 * remembers this one. Only data that JSON.stringify writes exactly is shared (plain objects and
 * arrays of strings, booleans, null and finite numbers other than -0): anything else (undefined,
 * tokens, class instances, holes) is returned as it is. The rendering copies what it reads, so a
 * shared value is never changed by it; freezing makes any other change an error.
 */

const shared = new Map<string, unknown>();
const MAX_SHARED = 10_000;

/** Whether `v` is data that `JSON.stringify` represents exactly, so that equal keys mean equal values. */
function isExactJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isExactJson(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k of Object.keys(v)) if (!isExactJson((v as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/**
 * An equal value seen before, or `value` (then remembered). `value` is returned as it is when it
 * is not exact JSON data (see the file's header). The value returned is frozen; do not change it.
 */
export function shareJson<T>(value: T): T {
  if (value === null || typeof value !== 'object' || !isExactJson(value)) return value;
  const key = JSON.stringify(value);
  const found = shared.get(key);
  if (found !== undefined) return found as T;
  if (shared.size >= MAX_SHARED) shared.clear();
  deepFreeze(value);
  shared.set(key, value);
  return value;
}
