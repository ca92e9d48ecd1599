/**
 * cdk8s's `ApiObject.toJson()` with its token resolution done in one pass: the same JSON, faster.
 *
 * cdk8s renders an object by resolving every value (`resolve` in cdk8s/lib/resolve.js: for each
 * value, a `ResolutionContext`, the app's resolvers looked up again, the path copied) and then
 * walking the result again to sort keys and drop empty values (`sanitizeValue`, lib/_util.js), for
 * the object and again for its metadata. At thousands of objects that is about half of synth's
 * time. {@link withFastRendering} runs a function (the package's synthesis) with
 * `ApiObject.prototype.toJson` and `ApiObjectMetadataDefinition.prototype.toJson` replaced by
 * versions that resolve and sanitize in one walk, then puts cdk8s's back.
 *
 * The walk applies cdk8s's three built-in resolvers in cdk8s's order and with cdk8s's tests (a
 * `Lazy` is produced, a value with a `resolve()` method is resolved, a class instance with a
 * number or string `value` becomes `{ value }`, each result resolved again), then sanitizes as
 * `sanitizeValue` does (keys sorted unless `CDK8S_DISABLE_SORT`, null and undefined dropped, a
 * class instance an error with cdk8s's message). So it returns what cdk8s returns, calling
 * `produce()` and `resolve()` as often and in the same order (one difference, in failures only:
 * cdk8s resolves the whole object before it finds a value it cannot render, this stops at the first,
 * so with two such values the one named may differ). Where an app has resolvers of its own
 * (`new App({ resolvers })`), which may rewrite any value, or an object lacks the fields this reads
 * (another cdk8s version), cdk8s's own method runs. test/synth-fast-paths.test.ts compares the two on
 * the example's objects and on values of every kind. Two shortcuts where nothing can resolve:
 * strings, numbers and booleans are returned as they are (unless a prototype gives them a `resolve`
 * or a `value`), and metadata of plain strings (name, namespace, labels, annotations) is written
 * directly in sorted order.
 */
import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, IResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct } from 'constructs';

interface SanitizeOptions {
  readonly sortKeys: boolean;
  readonly filterEmptyArrays: boolean;
  readonly filterEmptyObjects: boolean;
}

/** ApiObject's fields this reads (private in cdk8s's types, plain properties at run time). */
interface ApiObjectInternals {
  readonly props?: Record<string, unknown>;
  readonly patches?: JsonPatch[];
}

/** ApiObjectMetadataDefinition's fields this reads. */
interface MetadataInternals {
  readonly _additionalAttributes?: Record<string, unknown>;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
  readonly finalizers?: unknown[];
  readonly ownerReferences?: unknown[];
  readonly apiObject?: ApiObject;
}

// cdk8s's methods, called with `.call(this)` where the fast path does not apply and put back after.
// eslint-disable-next-line @typescript-eslint/unbound-method
const originalToJson = ApiObject.prototype.toJson;
// eslint-disable-next-line @typescript-eslint/unbound-method
const originalMetadataToJson = ApiObjectMetadataDefinition.prototype.toJson;

/** Whether `app` resolves with cdk8s's built-in resolvers only, in their order. */
function hasDefaultResolvers(app: App): boolean {
  const r: readonly IResolver[] = app.resolvers;
  return r.length === 3 && r[0].constructor === LazyResolver && r[1].constructor === ImplicitTokenResolver && r[2].constructor === NumberStringUnionResolver;
}

function appOf(c: IConstruct): App | undefined {
  const root = c.node.root;
  return root instanceof App ? root : undefined;
}

/**
 * Whether strings, numbers and booleans reach the output as they are: cdk8s's resolvers look up
 * `resolve` and `value` on every value, primitives included, so a prototype defining either (no
 * library does; a test may) would change them. Set by {@link withFastRendering} for its duration.
 */
let primitivesPass = false;

/**
 * Whether keys are sorted (cdk8s's `!process.env.CDK8S_DISABLE_SORT`, which it reads for every
 * object): read once by {@link withFastRendering} for its duration (the environment is the process's,
 * each read a call into Node's C++).
 */
let sortKeys = true;
const BODY_OPTIONS: readonly SanitizeOptions[] = [
  { sortKeys: true, filterEmptyArrays: false, filterEmptyObjects: false },
  { sortKeys: false, filterEmptyArrays: false, filterEmptyObjects: false },
];

function primitivesPassThrough(): boolean {
  return [String.prototype, Number.prototype, Boolean.prototype].every((p) => !('resolve' in p) && !('value' in p));
}

/** A value as cdk8s's resolvers see it: `value.resolve`, `value.constructor`, `value.value`. */
type Probed = { resolve?: unknown; constructor?: unknown; value?: unknown; produce?: () => unknown };

/** `sanitizeValue(resolve([], value, o), options)` with cdk8s's three built-in resolvers. */
function resolveAndSanitize(value: unknown, options: SanitizeOptions): unknown {
  if (value === null || value === undefined) return undefined;
  // Strings, numbers and booleans (most values) pass every resolver unchanged, unless a prototype
  // gives them a `resolve` or `value` (checked once per rendering, see `primitivesPassThrough`).
  const t = typeof value;
  if ((t === 'string' || t === 'number' || t === 'boolean') && primitivesPass) return value;
  // The resolvers, in App's order; each replacement is resolved again.
  if (value instanceof Lazy) return resolveAndSanitize(value.produce(), options);
  const v = value as Probed;
  if (typeof v.resolve === 'function') return resolveAndSanitize((v as { resolve: () => unknown }).resolve(), options);
  if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) {
    return resolveAndSanitize({ value: v.value }, options);
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (options.filterEmptyArrays && value.length === 0) return undefined;
    return value.map((x) => resolveAndSanitize(x, options));
  }
  // A class instance no resolver took: resolve leaves it, sanitizeValue refuses it (or, for an
  // object named Object from elsewhere, sanitizes it without resolving).
  if (value.constructor != Object) return sanitize(value, options);
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  if ((!options.sortKeys || isSorted(keys)) && !keys.includes('__proto__')) {
    // Keys already in output order (the usual case): resolve and keep in one object.
    const out: Record<string, unknown> = {};
    let empty = true;
    for (const k of keys) {
      const x = resolveAndSanitize(source[k], options);
      if (x !== undefined) {
        out[k] = x;
        empty = false;
      }
    }
    return options.filterEmptyObjects && empty ? undefined : out;
  }
  // Values resolved in the object's order (the order cdk8s calls `produce()` in), then sorted.
  if (options.sortKeys && !keys.includes('__proto__')) {
    const values = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) values[i] = resolveAndSanitize(source[keys[i]], options);
    // What sanitizeKeys does with an object of these values: sorted keys, without null and undefined.
    const out: Record<string, unknown> = {};
    let empty = true;
    for (const i of sortedOrder(keys)) {
      const x = values[i];
      if (x !== null && x !== undefined) {
        out[keys[i]] = x;
        empty = false;
      }
    }
    return options.filterEmptyObjects && empty ? undefined : out;
  }
  const resolved: Record<string, unknown> = {};
  for (const k of keys) resolved[k] = resolveAndSanitize(source[k], options);
  return sanitizeKeys(resolved, options, (x) => x);
}

/**
 * The positions of `keys` in the order `keys.sort()` puts them, computed once per list of keys:
 * the objects rendered out of order are mostly made by the same few lines of code, each with the
 * same keys in the same order (a container, a topology spread constraint, a route), thousands of
 * times. Lists are found by their first key, then compared key by key.
 */
const sortedOrders = new Map<string, Array<{ keys: readonly string[]; order: readonly number[] }>>();
let sortedOrderCount = 0;

function sortedOrder(keys: readonly string[]): readonly number[] {
  const candidates = sortedOrders.get(keys[0]);
  if (candidates) {
    for (const c of candidates) {
      if (c.keys.length !== keys.length) continue;
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = c.keys[i] === keys[i];
      if (same) return c.order;
    }
  }
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  if (sortedOrderCount >= 10_000) {
    sortedOrders.clear();
    sortedOrderCount = 0;
  }
  const entry = { keys: [...keys], order };
  if (candidates) candidates.push(entry);
  else sortedOrders.set(keys[0], [entry]);
  sortedOrderCount++;
  return order;
}

/** cdk8s's `sanitizeValue`. */
function sanitize(value: unknown, options: SanitizeOptions): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (options.filterEmptyArrays && value.length === 0) return undefined;
    return value.map((x) => sanitize(x, options));
  }
  const name = (value.constructor as { name: string }).name;
  if (name !== 'Object') throw new Error(`can't render non-simple object of type '${name}'`);
  return sanitizeKeys(value as Record<string, unknown>, options, (x) => sanitize(x, options));
}

/** Whether `keys` are in the order `sort()` puts them (UTF-16 code units, as `<` compares strings). */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

/** The object part of `sanitizeValue`, over values `each` sanitizes. */
function sanitizeKeys(obj: Record<string, unknown>, options: SanitizeOptions, each: (x: unknown) => unknown): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  if (options.sortKeys && !isSorted(keys)) keys.sort();
  let empty = true;
  for (const key of keys) {
    const x = each(obj[key]);
    if (x !== null && x !== undefined) {
      out[key] = x;
      empty = false;
    }
  }
  return options.filterEmptyObjects && empty ? undefined : out;
}

/** A map of strings, its keys sorted (as `sanitizeKeys` writes it), or undefined if empty; false if any value is not a string. */
function sortedStrings(map: Record<string, unknown> | undefined): Record<string, unknown> | undefined | false {
  if (map === undefined) return undefined;
  const keys = Object.keys(map);
  if (keys.length === 0) return undefined;
  if (!isSorted(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = map[k];
    if (typeof v !== 'string') return false;
    out[k] = v;
  }
  return out;
}

/** The metadata keys `toJson` writes from the definition's fields, over the constructor's options. */
const OVERRIDDEN = new Set(['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels']);

/**
 * The usual metadata (a name, a namespace, labels and annotations of plain strings, nothing else)
 * written directly in sorted order: what `resolveAndSanitize` gives for it, with nothing to resolve
 * (so no `produce()` whose order could matter). Undefined where anything else is present.
 */
function plainMetadata(name: unknown, namespace: unknown, m: MetadataInternals): Record<string, unknown> | undefined {
  if (!primitivesPass || (name !== undefined && typeof name !== 'string') || (namespace !== undefined && typeof namespace !== 'string')) return undefined;
  if ((m.finalizers !== undefined && m.finalizers.length > 0) || (m.ownerReferences !== undefined && m.ownerReferences.length > 0)) return undefined;
  // The constructor's options, whose keys the fields below override; any other key: the full walk.
  const extra = m._additionalAttributes;
  if (extra !== undefined && !Object.keys(extra).every((k) => OVERRIDDEN.has(k))) return undefined;
  const annotations = sortedStrings(m.annotations);
  const labels = sortedStrings(m.labels);
  if (annotations === false || labels === false) return undefined;
  const out: Record<string, unknown> = {};
  if (annotations) out.annotations = annotations;
  if (labels) out.labels = labels;
  if (name !== undefined) out.name = name;
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

function fastMetadataToJson(this: ApiObjectMetadataDefinition): unknown {
  const m = this as unknown as MetadataInternals;
  const app = m.apiObject ? appOf(m.apiObject) : undefined;
  if (!app || !hasDefaultResolvers(app) || !('_additionalAttributes' in m) || !('labels' in m) || !('annotations' in m)) {
    return originalMetadataToJson.call(this);
  }
  const direct = plainMetadata(this.name, this.namespace, m);
  if (direct) return direct;
  return resolveAndSanitize({
    ...m._additionalAttributes,
    name: this.name,
    namespace: this.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, { sortKeys: true, filterEmptyArrays: true, filterEmptyObjects: true });
}

function fastToJson(this: ApiObject): unknown {
  const o = this as unknown as ApiObjectInternals;
  const app = appOf(this);
  if (!app || !hasDefaultResolvers(app) || typeof o.props !== 'object' || !Array.isArray(o.patches)) return originalToJson.call(this);
  try {
    const metadata: unknown = this.metadata.toJson();
    const data = { ...o.props, metadata };
    const json = resolveAndSanitize(data, BODY_OPTIONS[sortKeys ? 0 : 1]);
    // No patches (the usual case): cdk8s's apply would clone an empty list and return `json` as is.
    const patched = (o.patches.length === 0 ? json : JsonPatch.apply(json, ...o.patches)) as Record<string, unknown>;
    // apiVersion, kind and metadata first, then the rest (as cdk8s orders them): with sorted keys,
    // usually already so, in the new object the rendering made.
    const keys = Object.keys(patched);
    if (o.patches.length === 0 && keys[0] === 'apiVersion' && keys[1] === 'kind' && keys[2] === 'metadata') return patched;
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...keys]) {
      if (k in patched) result[k] = patched[k];
    }
    return result;
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${String(e)}`, { cause: e });
  }
}

/**
 * Runs `fn` with cdk8s's `ApiObject` and metadata `toJson` replaced by their one-pass equivalents
 * (see the file's header); cdk8s's are back when it returns or throws. Synchronous only.
 */
export function withFastRendering<T>(fn: () => T): T {
  if (ApiObject.prototype.toJson !== originalToJson) return fn();
  ApiObject.prototype.toJson = fastToJson;
  ApiObjectMetadataDefinition.prototype.toJson = fastMetadataToJson;
  primitivesPass = primitivesPassThrough();
  sortKeys = !process.env.CDK8S_DISABLE_SORT;
  try {
    return fn();
  } finally {
    primitivesPass = false;
    ApiObject.prototype.toJson = originalToJson;
    ApiObjectMetadataDefinition.prototype.toJson = originalMetadataToJson;
  }
}
