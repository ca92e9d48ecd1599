/**
 * Trims what the construct libraries keep per construct to what they read, for the constructs an
 * app makes thousands of times (a VersionedService, its versions, an AppRoute) and keeps until
 * synthesis: the same constructs, the same output, about 3 KiB less per service of a scale edge on
 * Node 20 and 6 KiB on Node 22 (issue 28: synth's peak memory at 16,000 services).
 *
 * - constructs' `Node` keeps the construct's scopes as `[...scope.node._scopes, this.host]`: V8
 *   gives an array built by a spread room to grow (17 slots and more: about 190 bytes where four or
 *   five scopes need 50); a construct's validations (`addValidation` pushes) likewise. Each is
 *   replaced by an equal array of its own length (`slice()`).
 * - cdk8s's `ApiObject` keeps its JSON patches in `new Array()` (four empty slots): likewise.
 * - The metadata keeps the options it was made with (`_additionalAttributes`), from which cdk8s
 *   deletes a key: on Node 22 that turns the object into a hash table (about 450 bytes). It is
 *   replaced by a copy with the same keys, in the same order; the copy's `labels` is undefined where
 *   it was a copy of the labels the metadata keeps in `labels`, which `toJson()` (cdk8s's and
 *   synth/fast-render.ts's) always writes over it.
 * - The object keeps its props (`{ ...GVK, ...props }` for the generated classes; on Node 20 such
 *   a spread gets a hidden class of its own per object, about 170 bytes): replaced by a copy with
 *   the same keys, in the same order, and `metadata` undefined, which `toJson()` always replaces
 *   with the metadata's rendering.
 *
 * Every field is checked before it is touched: with another version of the libraries, what does
 * not look as expected is left alone.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The fields of constructs' `Node` this trims (private in its types, plain properties at run time). */
interface NodeInternals {
  _scopes?: unknown;
  _validations?: unknown;
}

/** The fields of cdk8s's `ApiObject` and its metadata this trims. */
interface ApiObjectInternals {
  props?: unknown;
  patches?: unknown;
  metadata?: { _additionalAttributes?: unknown; labels?: unknown };
}

/** Whether `v` is a plain object (an object literal's, a spread's) without a `__proto__` key of its own. */
function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && !Object.prototype.hasOwnProperty.call(v, '__proto__');
}

/**
 * A copy of `o` (its keys, in their order) with `key` undefined. Built key by key (`o` has no
 * `__proto__` key: see isPlain): a spread of a hash-table object is several times slower on Node 22.
 */
function copyWithout(o: Record<string, unknown>, key: string | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(o)) copy[k] = k === key ? undefined : o[k];
  return copy;
}

/** Trims `c` alone (see the file's header). */
export function compactConstruct(c: IConstruct): void {
  const node = c.node as unknown as NodeInternals;
  if (Array.isArray(node._scopes)) node._scopes = node._scopes.slice();
  if (Array.isArray(node._validations)) node._validations = node._validations.slice();
  if (!(c instanceof ApiObject)) return;
  const o = c as unknown as ApiObjectInternals;
  if (Array.isArray(o.patches)) o.patches = o.patches.slice();
  // `metadata` in the props: toJson renders `{ ...props, metadata: <the metadata's toJson()> }`.
  if (isPlain(o.props) && 'metadata' in o.props) o.props = copyWithout(o.props, 'metadata');
  const metadata = o.metadata;
  const extra = metadata?._additionalAttributes;
  if (metadata !== undefined && isPlain(extra)) {
    // `labels` there only where it is a copy, distinct from the labels the metadata keeps.
    const copied = isPlain(extra.labels) && isPlain(metadata.labels) && extra.labels !== metadata.labels;
    metadata._additionalAttributes = copyWithout(extra, copied ? 'labels' : undefined);
  }
}

/**
 * Trims `root` and the constructs under it (see the file's header); call it once they are made
 * (a later call only costs the copies).
 */
export function compactTree(root: IConstruct): void {
  compactConstruct(root);
  for (const child of root.node.children) compactTree(child);
}
