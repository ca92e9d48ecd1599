/**
 * The YAML of one manifest, byte for byte what js-yaml's `dump(object, { noRefs: true, lineWidth:
 * -1, quotingType: '"' })` writes, faster on manifests.
 *
 * js-yaml decides each scalar's style on every occurrence: it runs every type of its schema over
 * the value, scans the string, and tests it against the regular expressions of every implicit type
 * (is it a number, a boolean, a date, ...?). Manifests repeat the same few hundred keys and values
 * thousands of times. Here each distinct single-line string and each number is rendered once by
 * js-yaml itself and remembered; the block layout around them is js-yaml's (lib/dumper.js of
 * js-yaml 4.1: writeBlockMapping, writeBlockSequence, writeNode with indent 2 and no flow level).
 * Anything this does not reproduce exactly (strings with line breaks, whose style and indentation
 * depend on their place; keys longer than 1,024 characters; values other than plain objects, arrays,
 * strings, finite or infinite numbers, booleans and null, such as undefined, dates or class
 * instances) sends the whole document to js-yaml.
 */
import { dump } from 'js-yaml';
import { plainStaysString } from '../model/read-manifests';

/** The options the project's manifests are written with. */
export const DUMP_OPTIONS = { noRefs: true, lineWidth: -1, quotingType: '"' } as const;

/** Thrown inside the fast path when a document needs js-yaml. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

// Rendered scalars, shared by every call: js-yaml's rendering of a value depends only on the value
// and the options (for single-line strings and numbers in block style).
const strings = new Map<string, string>();
const numbers = new Map<number, string>();
const MAX_CACHED = 200_000;

/**
 * Strings js-yaml writes plain (as they are) without running its checks: a letter, then letters,
 * digits and `-._/:` (a colon not last), so no indicator, no space, nothing that starts a number, a
 * date or `<<`; except the words its schema reads as null or booleans and the YAML 1.1 booleans it
 * quotes for compatibility (js-yaml 4.1 dumper.js: chooseScalarStyle, testImplicitResolving,
 * DEPRECATED_BOOLEANS_SYNTAX). Most names, labels, hosts and images of a manifest are such strings,
 * each seen once per service: js-yaml's checks on each cost a tenth of the writer's time at scale.
 */
const SIMPLE = /^[A-Za-z](?:[A-Za-z0-9._/:-]*[A-Za-z0-9._/-])?$/;
const NOT_SIMPLE = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

function scalarOfString(s: string): string {
  let r = strings.get(s);
  if (r === undefined) {
    if (SIMPLE.test(s) && !NOT_SIMPLE.has(s)) {
      r = s;
    } else {
      if (s.includes('\n')) throw UNSUPPORTED;
      r = dump(s, DUMP_OPTIONS);
      r = r.slice(0, -1);
    }
    // js-yaml leaves plain what YAML 1.2 reads as a string; kubectl reads "+.5" or "1_0.5" as numbers.
    if (r === s && !plainStaysString(s)) r = JSON.stringify(s);
    if (strings.size >= MAX_CACHED) strings.clear();
    strings.set(s, r);
  }
  return r;
}

function scalarOfNumber(n: number): string {
  // A Map cannot tell 0 from -0 (which js-yaml writes as -0.0).
  if (n === 0 && Object.is(n, -0)) return dump(n, DUMP_OPTIONS).slice(0, -1);
  let r = numbers.get(n);
  if (r === undefined) {
    r = dump(n, DUMP_OPTIONS).slice(0, -1);
    if (numbers.size >= MAX_CACHED) numbers.clear();
    numbers.set(n, r);
  }
  return r;
}

const indents: string[] = [];
function nextLine(level: number): string {
  return (indents[level] ??= `\n${' '.repeat(2 * level)}`);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** js-yaml's writeNode for a value in block context; `compact` as there. */
function node(value: unknown, level: number, compact: boolean): string {
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? '""' : scalarOfString(value);
    case 'number':
      return scalarOfNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : sequence(value, level, compact);
      if (!isPlainObject(value)) throw UNSUPPORTED;
      return mapping(value, level, compact);
    default:
      throw UNSUPPORTED;
  }
}

function mapping(object: Record<string, unknown>, level: number, compact: boolean): string {
  let out = '';
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) throw UNSUPPORTED;
    const k = key.length === 0 ? '""' : scalarOfString(key);
    if (k.length > 1024) throw UNSUPPORTED;
    const v = node(value, level + 1, false);
    if (!compact || out !== '') out += nextLine(level);
    out += k;
    out += v.charCodeAt(0) === 10 ? ':' : ': ';
    out += v;
  }
  return out === '' ? '{}' : out;
}

function sequence(array: readonly unknown[], level: number, compact: boolean): string {
  let out = '';
  for (let i = 0; i < array.length; i++) {
    // js-yaml writes null for holes and undefined items (writeBlockSequence).
    const item = array[i];
    const v = node(item === undefined ? null : item, level + 1, true);
    if (!compact || out !== '') out += nextLine(level);
    out += v.charCodeAt(0) === 10 ? '-' : '- ';
    out += v;
  }
  return out;
}

/**
 * `dump(object, DUMP_OPTIONS)` of js-yaml: the same text, including its final line break.
 * Errors are js-yaml's.
 */
export function dumpManifest(object: unknown): string {
  try {
    return `${node(object, 0, true)}\n`;
  } catch (e) {
    if (e instanceof Unsupported) return dump(object, DUMP_OPTIONS);
    throw e;
  }
}
