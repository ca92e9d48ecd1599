/**
 * Run-time checks of arguments against a declarative shape: the one helper every public entry
 * point (constructors, `add*` methods, static factories) uses, so that what a JavaScript caller, a
 * JSON or YAML configuration or an `as` cast passes is refused by name (construct path, property,
 * value received, fix) instead of failing deep inside with a TypeError.
 *
 * The shapes of the options interfaces are generated from their TypeScript types
 * (scripts/arg-shapes.cjs → lib/private/arg-shapes.ts); the value rules (DNS names, ports, ...)
 * stay in lib/private/validate.ts and run after this check.
 */
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** A value's kind: s string, n number, b boolean, f function, o object (any non-null object, class instances included), a anything but null. */
export type Kind = 's' | 'n' | 'b' | 'f' | 'o' | 'a' | `C:${string}`;
/** A list of values of a shape (`['l', shape]`) or a map of them by string key (`['r', shape]`). */
export type Collection = readonly ['l' | 'r', Shape];
/** An options object: its known properties (others are not checked). */
export interface ObjectShape { readonly [property: string]: Shape }
/** The shape of a value. */
export type Shape = Kind | Collection | Required | ObjectShape;

/** A property that must be given. */
export class Required {
  public constructor(public readonly shape: Shape) {}
}

/** Marks a property as required. */
export function req(shape: Shape): Required {
  return new Required(shape);
}

const KIND_TEXT: Record<string, string> = { s: 'a string', n: 'a number', b: 'true or false', f: 'a function', o: 'an object', a: 'a value' };
/** How to make an instance of a class the options take (`C:<name>` kinds). */
const CLASS_TEXT: Record<string, string> = {
  Duration: 'a Duration, for example Duration.seconds(5). A plain number is not a Duration: its unit would be a guess',
  Size: 'a Size, for example Size.mebibytes(256)',
  Cpu: 'a Cpu, for example Cpu.millis(250)',
};
const kindText = (k: Kind) => KIND_TEXT[k] ?? (CLASS_TEXT[k.slice(2)] ?? `a ${k.slice(2)} (from its static factories)`);

function expected(shape: Shape): string {
  if (shape instanceof Required) return expected(shape.shape);
  if (typeof shape === 'string') return kindText(shape);
  if (Array.isArray(shape)) {
    const [c, of] = shape as Collection;
    const inner = expected(of);
    return c === 'l' ? `a list (array) of ${inner.replace(/^an? /, '')} values` : `an object whose values are each ${inner}`;
  }
  const keys = Object.keys(shape);
  return keys.length ? `an options object (${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''})` : 'an options object';
}

function matchesKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 's': return typeof value === 'string';
    case 'n': return typeof value === 'number';
    case 'b': return typeof value === 'boolean';
    case 'f': return typeof value === 'function';
    case 'o': return (typeof value === 'object' && value !== null) || typeof value === 'function';
    case 'a': return true;
    default: return typeof value === 'object' && value !== null; // a class instance
  }
}

const child = (property: string, key: string | number) => (typeof key === 'number' ? `${property}[${key}]` : property ? `${property}.${key}` : key);

/**
 * Checks `value` against `shape`; throws the package's named error at the first mismatch.
 * `undefined` passes unless the shape is {@link Required} (optional properties); `null` never does.
 * @param scope the construct (or "Class.factory" for static factories)
 * @param property the property's name as the user wrote it ("" for the top of a props object:
 *   its properties are then named on their own, "hosts" rather than "props.hosts")
 */
export function checkArgs(scope: IConstruct | string, property: string, value: unknown, shape: Shape): void {
  // Most arguments are right: a check that builds no property names first, and the naming walk
  // below (the same rules) only to find and name what is wrong.
  if (!conforms(value, shape)) report(scope, property, value, shape);
}

/** The properties of an options shape, listed once per shape. */
const shapeEntries = new WeakMap<ObjectShape, Array<[string, Shape]>>();
function entriesOf(shape: ObjectShape): Array<[string, Shape]> {
  let entries = shapeEntries.get(shape);
  if (!entries) shapeEntries.set(shape, entries = Object.entries(shape));
  return entries;
}

/** Whether {@link report} would find nothing wrong with `value` (the same rules, no messages). Exported for its test. */
export function conforms(value: unknown, shape: Shape): boolean {
  const required = shape instanceof Required;
  const s = required ? shape.shape : shape;
  if (value === undefined) return !required;
  if (value === null) return false;
  if (typeof s === 'string') return matchesKind(s, value);
  if (Array.isArray(s)) {
    const [c, of] = s as Collection;
    if (c === 'l') {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) {
        // Holes are skipped (as forEach does); an undefined item is missing.
        if (!(i in value)) continue;
        const v: unknown = value[i];
        if (v === undefined || !conforms(v, of)) return false;
      }
      return true;
    }
    const proto = typeof value === 'object' ? Object.getPrototypeOf(value) as unknown : undefined;
    if (typeof value !== 'object' || Array.isArray(value) || (proto !== Object.prototype && proto !== null)) return false;
    for (const k of Object.keys(value)) {
      if (!conforms((value as Record<string, unknown>)[k], of)) return false;
    }
    return true;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  for (const [k, sub] of entriesOf(s as ObjectShape)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined && !conforms(v, sub)) return false;
  }
  return true;
}

/** Throws the named error for the first mismatch of `value` with `shape` (see {@link checkArgs}). Exported for its test. */
export function report(scope: IConstruct | string, property: string, value: unknown, shape: Shape): void {
  const required = shape instanceof Required;
  const s = shape instanceof Required ? shape.shape : shape;
  const name = property || 'props';
  if (value === undefined) {
    if (required) fail(scope, name, value, `Give ${expected(s)}: it is required.`);
    return;
  }
  if (value === null) fail(scope, name, value, `Give ${expected(s)}, or leave the property out (null is not a value here).`);
  if (typeof s === 'string') {
    if (!matchesKind(s, value)) fail(scope, name, value, `Give ${expected(s)}.`);
    return;
  }
  if (Array.isArray(s)) {
    const [c, of] = s as Collection;
    if (c === 'l') {
      if (!Array.isArray(value)) fail(scope, name, value, `Give ${expected(s)}${typeof value === 'string' ? `, for example [${JSON.stringify(value)}]` : ''}.`);
      (value as unknown[]).forEach((v, i) => report(scope, child(name, i), v, v === undefined ? req(of) : of));
    } else {
      // A map is a plain object: a class instance (a Cpu, a Duration) is not a map of its fields.
      const proto = typeof value === 'object' ? Object.getPrototypeOf(value) as unknown : undefined;
      if (typeof value !== 'object' || Array.isArray(value) || (proto !== Object.prototype && proto !== null)) fail(scope, name, value, `Give ${expected(s)}.`);
      for (const [k, v] of Object.entries(value)) report(scope, child(name, k), v, of);
    }
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) fail(scope, name, value, `Give ${expected(s)}.`);
  // A required property left out is left to the construct's own check, whose message says more
  // (an HTTPS server "needs a credential"); what is given must have the right shape.
  for (const [k, sub] of Object.entries(s as ObjectShape)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) report(scope, child(property, k), v, sub);
  }
}
