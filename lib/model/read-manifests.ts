/**
 * The one manifest reader of the package (analyze, explain, plan): YAML, read as kubectl and the
 * API server read it (sigs.k8s.io/yaml, whose YAML-to-JSON conversion resolves plain scalars with
 * go.yaml.in/yaml/v2: YAML 1.1's booleans and octals, see {@link KUBERNETES_YAML_SCHEMA}; multi-document
 * streams read a document at a time, so a 50 MB file is never held as one parse tree) and JSON,
 * `kind: List` expanded. A document that is not a Kubernetes object is returned as data
 * ({@link UnreadableDocument}, naming the file and the document's index), never an exception; the
 * analysis turns it into a finding.
 *
 * Robust against what a folder can hold: a FIFO, socket or device found in a folder is skipped
 * with a warning (opening a FIFO would block forever); an explicit path that is one is an input
 * error; YAML aliases that would expand a document past {@link MAX_ALIAS_EXPANSION} nodes (an
 * "alias bomb") make that document unreadable instead of exhausting memory downstream.
 */
import { text } from '../private/text';
import { createReadStream, readdirSync, readFileSync, Stats, statSync } from 'node:fs';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, EventType, FAILSAFE_SCHEMA, load, Schema, State, Type, YAMLException } from 'js-yaml';
import { KubernetesObject } from './kubernetes-object';

// js-yaml exports its types at run time; @types/js-yaml does not declare them.
const JS_YAML_TYPES = (jsYaml as unknown as { types: { merge: Type; null: Type } }).types;

/**
 * YAML 1.2's core schema with merge keys (`<<`), for the YAML that is not a Kubernetes manifest
 * ({@link parseYaml}: request tables, rate-limit configurations, Pulumi stack files): timestamps
 * stay strings (js-yaml's default schema would turn them into Dates).
 */
const CORE_WITH_MERGE = CORE_SCHEMA.extend({ implicit: [JS_YAML_TYPES.merge] });

// go.yaml.in/yaml/v2 resolve.go, the resolver of sigs.k8s.io/yaml's YAMLToJSON (kubectl's and the API
// server's YAML reading): the YAML 1.1 booleans, Go's strconv.ParseInt with base 0 (0x, 0o, 0b, and a
// leading 0 for octal) after removing underscores, yamlStyleFloat, no base-60 numbers, and
// timestamps kept as strings (decoded into interface{}).
const GO_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const GO_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const GO_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((k) => [k, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((k) => [k, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((k) => [k, Number.NEGATIVE_INFINITY] as const),
]);
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A plain scalar as go.yaml.in/yaml/v2 resolves an integer (ParseInt, then ParseUint, base 0), or undefined. */
function goInt(data: string): number | undefined {
  // The common case first: a short decimal without a leading zero.
  if (/^-?[1-9][0-9]{0,14}$/.test(data)) return Number(data);
  if (!/^[-+0-9]/.test(data)) return undefined;
  const m = GO_INT.exec(data.replace(/_/g, ''));
  if (!m) return undefined;
  const body = m[2];
  const magnitude = body.length > 1 && body[0] === '0' && /[0-7]/.test(body[1]) ? BigInt(`0o${body.slice(1)}`) : BigInt(body.toLowerCase());
  const value = m[1] === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  // strconv.ParseUint takes no sign.
  if (m[1] === '' && value <= UINT64_MAX) return Number(value);
  return undefined;
}

/** A plain scalar as go.yaml.in/yaml/v2 resolves a float, or undefined (an integer, a string, or out of range). */
function goFloat(data: string): number | undefined {
  const special = GO_FLOATS.get(data);
  if (special !== undefined) return special;
  if (data.startsWith('.')) return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(data) ? finite(Number(data)) : undefined;
  if (!/^[-+0-9]/.test(data) || goInt(data) !== undefined) return undefined;
  const plain = data.replace(/_/g, '');
  return GO_YAML_STYLE_FLOAT.test(plain) ? finite(Number(plain)) : undefined;
}

/** strconv.ParseFloat fails out of range (1e400): the scalar stays a string. */
function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Whether a plain (unquoted) scalar reads back as this string when Kubernetes reads it (not as a
 * boolean, null or number): what a writer must quote otherwise.
 */
export function plainStaysString(plain: string): boolean {
  return !(GO_TRUE.has(plain) || GO_FALSE.has(plain) || ['', '~', 'null', 'Null', 'NULL'].includes(plain) || goInt(plain) !== undefined || goFloat(plain) !== undefined);
}

/**
 * Plain scalars resolved as Kubernetes resolves them when it reads a manifest (kubectl and the API
 * server convert YAML to JSON with sigs.k8s.io/yaml, on go.yaml.in/yaml/v2): `yes`, `on`, `y` are
 * true and `no`, `off`, `n` false; `017` is 15 (octal), `0o17` 15, `0x1F` 31, `0b11` 3, `1_000`
 * 1000, `+.5` 0.5; `1:30` and `001:db8::/32` stay strings (no base-60 numbers), and so do
 * timestamps; merge keys (`<<`). Quoted scalars are always strings.
 */
export const KUBERNETES_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    JS_YAML_TYPES.null,
    new Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (d: string | null) => d !== null && (GO_TRUE.has(d) || GO_FALSE.has(d)), construct: (d: string) => GO_TRUE.has(d) }),
    new Type('tag:yaml.org,2002:int', { kind: 'scalar', resolve: (d: string | null) => d !== null && goInt(d) !== undefined, construct: (d: string) => goInt(d) }),
    new Type('tag:yaml.org,2002:float', { kind: 'scalar', resolve: (d: string | null) => d !== null && goFloat(d) !== undefined, construct: (d: string) => goFloat(d) }),
    JS_YAML_TYPES.merge,
  ],
});

/** Where an object (or a bad document) came from. */
export interface ManifestLocation {
  /** The file, as given or found under a given folder. */
  readonly file: string;
  /** 0-based index of the document in the file. */
  readonly document: number;
  /** 0-based index of the item, for an object of a `kind: List`. */
  readonly item?: number;
  /** 1-based line the document starts at (YAML; 1 for JSON). */
  readonly line: number;
}

/** A document (or an item of a `kind: List`) that is not a Kubernetes object, and why. */
export interface UnreadableDocument {
  /** Where it is. */
  readonly location: ManifestLocation;
  /** What is wrong and how to fix it ("Not valid YAML (line 3): ..."). */
  readonly message: string;
  /**
   * True when the text itself cannot be parsed (YAML or JSON syntax, aliases past
   * {@link MAX_ALIAS_EXPANSION}); false for a well-formed document that is not a Kubernetes object.
   */
  readonly syntax: boolean;
}

/** What {@link readManifests} found. */
export interface ReadResult {
  readonly objects: KubernetesObject[];
  /** The location of each object. */
  readonly locations: Map<KubernetesObject, ManifestLocation>;
  /** Documents that are not Kubernetes objects, in reading order (the analysis reports them as DocumentInvalid). */
  readonly unreadable: UnreadableDocument[];
  /** Entries of a folder that were skipped and why (FIFOs, sockets, devices), one sentence each. */
  readonly warnings: string[];
  /** The files read. */
  readonly files: string[];
}

/** Input that cannot be read at all (missing path, permissions, not a regular file): exit status 2. */
export class UnreadableInputError extends Error {}

/**
 * The most nodes a YAML document may expand to through its aliases (`*name`) beyond the nodes it
 * writes out: past it the document is refused ({@link YamlAliasLimitError}), as the `yaml`
 * package refuses "excessive alias count", so a billion-laughs document cannot exhaust memory.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** A YAML text whose aliases expand past {@link MAX_ALIAS_EXPANSION} nodes. */
export class YamlAliasLimitError extends Error {}

/** YAML text that cannot be parsed (syntax, or aliases past the limit), from {@link parseYaml}. */
export class YamlSyntaxError extends Error {}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** "file#3" or "file#3 items[2]". */
export function formatLocation(l: ManifestLocation): string {
  return `${l.file}#${l.document}${l.item !== undefined ? ` items[${l.item}]` : ''}`;
}

function kindOfSpecial(stat: Stats): string {
  return stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : 'not a regular file';
}

/**
 * The manifest files below the paths, sorted per folder; throws {@link UnreadableInputError} for a
 * path that cannot be read or an explicit path that is not a regular file. Special files found in
 * a folder (FIFOs, sockets, devices) are skipped, each with a sentence in `warnings`.
 */
export function manifestFiles(paths: readonly string[], warnings: string[] = []): string[] {
  const files: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat: Stats;
    try {
      stat = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!explicit && (code === 'ENOENT' || code === 'ELOOP')) {
        warnings.push(`Skipped "${p}": a broken symbolic link.`);
        return;
      }
      throw new UnreadableInputError(`Cannot read "${p}": ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message}.`);
    }
    if (stat.isDirectory()) {
      let entries: string[];
      try {
        entries = readdirSync(p).sort();
      } catch (e) {
        throw new UnreadableInputError(`Cannot list folder "${p}": ${(e as Error).message}.`);
      }
      for (const entry of entries) visit(path.join(p, entry), false);
    } else if (!stat.isFile()) {
      if (explicit) throw new UnreadableInputError(`Cannot read "${p}": it is ${kindOfSpecial(stat)}, not a file or folder of manifests. Give a regular file (or a folder).`);
      if (MANIFEST_FILE.test(p)) warnings.push(`Skipped "${p}": it is ${kindOfSpecial(stat)}, not a regular file.`);
    } else if (explicit || MANIFEST_FILE.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

/** Collects objects and unreadable documents, in order. */
class Collector {
  public readonly objects: KubernetesObject[] = [];
  public readonly locations = new Map<KubernetesObject, ManifestLocation>();
  public readonly unreadable: UnreadableDocument[] = [];
  /** Makes the values read compact as they are parsed (see {@link Compactor}). */
  public readonly compactor = new Compactor();

  public problem(location: ManifestLocation, message: string, syntax = false): void {
    this.unreadable.push({ location, message, syntax });
  }

  /** Accepts a parsed document (a Kubernetes object or a List of them). */
  public document(value: unknown, location: ManifestLocation): void {
    if (value === null || value === undefined) return; // an empty document
    if (isRecord(value) && value.kind === 'List' && typeof value.apiVersion === 'string') {
      if (!Array.isArray(value.items)) {
        this.problem(location, 'A kind: List without an items list: give it items (a list of objects).');
        return;
      }
      value.items.forEach((item, i) => this.object(item, { ...location, item: i }));
      return;
    }
    this.object(value, location);
  }

  private object(value: unknown, location: ManifestLocation): void {
    const problem = objectProblem(value);
    if (problem) this.problem(location, problem);
    else {
      const o = value as KubernetesObject;
      this.objects.push(o);
      this.locations.set(o, location);
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Why a value is not a Kubernetes object, or undefined. */
function objectProblem(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'An empty item: remove it, or write the object.';
  if (Array.isArray(v)) return 'A list, not an object: write one object per document (separated by "---"), or wrap them in a kind: List.';
  if (!isRecord(v)) return `A ${typeof v} (${JSON.stringify(v).slice(0, 40)}), not an object: each document must be a mapping with apiVersion, kind and metadata.`;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof v[k] !== 'string' || v[k] === '');
  if (missing.length) return `An object without ${missing.join(' and ')}${typeof v.kind === 'string' ? ` (kind ${v.kind})` : ''}: every Kubernetes object needs apiVersion and kind.`;
  if (v.metadata !== undefined && !isRecord(v.metadata)) return `${text(v.kind)}: metadata is not a mapping: give it name (and namespace).`;
  return undefined;
}

/**
 * Throws {@link YamlAliasLimitError} when the value, read with aliases expanded, holds more than
 * {@link MAX_ALIAS_EXPANSION} nodes beyond those written. js-yaml shares an aliased node instead
 * of copying it, so the parse itself is small; everything downstream (schema validation, JSON,
 * the checks) would walk the expanded tree. Linear in the distinct nodes (sizes memoized).
 */
function checkAliasExpansion(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let distinct = 0;
  const size = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (open.has(v)) throw new YamlAliasLimitError('A YAML alias refers to a node that contains it (a cycle): no Kubernetes object can hold it. Remove the alias.');
    if (depth > 1000) throw new YamlAliasLimitError('The document nests more than 1000 levels deep: no Kubernetes object does. Check the indentation and aliases.');
    open.add(v);
    distinct++;
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += size(child, depth + 1);
      if (n > Number.MAX_SAFE_INTEGER / 2) n = Number.MAX_SAFE_INTEGER / 2;
    }
    open.delete(v);
    sizes.set(v, n);
    return n;
  };
  const total = size(value, 0);
  if (total - distinct > MAX_ALIAS_EXPANSION) {
    throw new YamlAliasLimitError(`YAML aliases expand this document to ${total > 1e12 ? 'more than 10^12' : total} nodes from ${distinct} written (the limit is ${MAX_ALIAS_EXPANSION} more): refused as a resource exhaustion attack ("alias bomb"). Write the values out, or use fewer aliases.`);
  }
}

/** A manifest value JSON cannot carry (.nan, .inf): kubectl's YAML-to-JSON conversion refuses the document. */
class NotJsonError extends Error {}

/** Throws {@link NotJsonError} for a NaN or infinite number anywhere in the value. */
function checkJsonNumbers(value: unknown, seen = new Set<object>()): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new NotJsonError(`The value ${value} (.nan or .inf in YAML) has no JSON form: kubectl and the API server refuse the document ("json: unsupported value"). Quote it if it is text.`);
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) checkJsonNumbers(child, seen);
}

/** js-yaml's load with a schema (Kubernetes' reading for manifests) and the alias limit. */
function loadDocument(text: string, file: string, schema: Schema = KUBERNETES_YAML_SCHEMA, listener?: (this: State, event: EventType, state: State) => void): unknown {
  const value = load(text, listener ? { filename: file, schema, listener } : { filename: file, schema });
  // Both walks below only where their cause can be in the text (each cost about a tenth of reading
  // a large stream): an alias needs an anchor ("&name"); NaN and infinity are written .nan / .inf.
  if (text.includes('&')) checkAliasExpansion(value);
  if (schema === KUBERNETES_YAML_SCHEMA && /\.(?:nan|inf)/i.test(text)) checkJsonNumbers(value);
  return value;
}

/**
 * Parses one YAML document that is not a Kubernetes manifest (a request table, a rate-limit
 * configuration, a Pulumi stack file): YAML 1.2's core schema with merge keys, aliases bounded by
 * {@link MAX_ALIAS_EXPANSION}. Throws {@link YamlSyntaxError} naming the file and line. Manifests
 * are read with {@link parseManifestYaml} (Kubernetes' own reading).
 */
export function parseYaml(text: string, file = '<yaml>'): unknown {
  try {
    return loadDocument(text, file, CORE_WITH_MERGE);
  } catch (e) {
    throw new YamlSyntaxError(`${file}: ${yamlError(e, 1)}`);
  }
}

/**
 * Parses one YAML document of a manifest as {@link readManifests} does (Kubernetes' reading,
 * {@link KUBERNETES_YAML_SCHEMA}). Throws {@link YamlSyntaxError} naming the file and line.
 */
export function parseManifestYaml(text: string, file = '<yaml>'): unknown {
  try {
    return loadDocument(text, file);
  } catch (e) {
    throw new YamlSyntaxError(`${file}: ${yamlError(e, 1)}`);
  }
}

function yamlError(e: unknown, startLine: number): string {
  if (e instanceof YamlAliasLimitError || e instanceof NotJsonError) return e.message;
  if (e instanceof YAMLException) {
    const line = e.mark ? startLine + e.mark.line : startLine;
    return `Not valid YAML (line ${line}): ${e.reason}.`;
  }
  return `Not valid YAML: ${(e as Error).message}.`;
}

/** js-yaml's loader state, with the fields of it the {@link Compactor} reads (js-yaml's own, undeclared by @types/js-yaml). */
type LoaderState = State & { anchor: string | null; anchorMap: Record<string, unknown>; kind: string | null };

/** A node of the {@link Compactor}'s tree of mappings' key sequences. */
interface Shape {
  /** The shapes with one more key. */
  readonly next: Map<string, Shape>;
  /** Mappings of these keys seen so far (a builder is made at the second). */
  seen: number;
  /** Builds a mapping of these keys as an object literal, or null when it cannot (see {@link Compactor}). */
  build?: ((o: Record<string, unknown>) => Record<string, unknown>) | null;
}

/**
 * Makes js-yaml's values compact as they are parsed, for what the reader keeps (every object, until
 * the analysis ends): a listener of js-yaml's load, called as each node closes, replaces
 * - a string by the equal one seen before (values such as "v1", "Always", label keys and values,
 *   images, repeat from object to object), or else by a flat copy when it has 13 characters or more
 *   (V8 keeps such strings as slices of the document's text, and the whole text alive);
 * - a list by an exact copy (js-yaml's lists grow by pushing: room for 17 items behind a list of one);
 * - a mapping by a copy built by an object literal made for its keys (once per key sequence, at the
 *   second mapping of the same keys): V8 sizes a literal's object for its keys, where js-yaml's
 *   `{}` has room for 4 and more keys go to a separate, growing store.
 * That is the layout JSON.parse gives, which the reader used before (JSON.parse of each value's JSON,
 * then a walk sharing the long strings: about 0.8 s of the 4.4 s a 50 MB manifest took to read),
 * for a fraction of the CPU (analyze of 50 MB: about 7% less CPU, the same 55.7 MiB of live heap
 * after reading); js-yaml's values as built would hold about 2.5 times that. The tables are bounded
 * (past {@link Compactor.MAX_STRINGS} strings or {@link Compactor.MAX_SHAPES} shapes they start
 * again), so unique values or keys do not grow them without end; a mapping whose keys are seen once, has more than {@link Compactor.MAX_KEYS} keys or a
 * `__proto__` key, or when code generation is disabled (--disallow-code-generation-from-strings), is
 * kept as js-yaml built it. Aliases are left to js-yaml: an alias is the anchored node itself (an
 * anchor is moved to the node's copy when it closes, so later aliases share the copy).
 */
class Compactor {
  private static readonly MAX_STRINGS = 100_000;
  private static readonly MAX_SHAPES = 20_000;
  private static readonly MAX_KEYS = 64;
  private strings = new Map<string, string>();
  private shapes: Shape = { next: new Map(), seen: 0 };
  private shapeCount = 0;
  private generate = true;

  public readonly listener = (event: EventType, state: State): void => {
    if (event !== 'close') return;
    const s = state as LoaderState;
    // An alias (no kind) is the anchored node: left as it is (a node may refer to itself).
    if (s.kind === null) return;
    const r: unknown = s.result;
    let compact: unknown;
    if (typeof r === 'string') compact = this.string(r);
    else if (r === null || typeof r !== 'object') return;
    else compact = Array.isArray(r) ? r.slice() : this.mapping(r as Record<string, unknown>);
    s.result = compact;
    if (s.anchor !== null && s.anchorMap[s.anchor] === r) s.anchorMap[s.anchor] = compact;
  };

  private string(r: string): string {
    const known = this.strings.get(r);
    if (known !== undefined) return known;
    const flat = r.length >= 13 ? JSON.parse(JSON.stringify(r)) as string : r;
    if (this.strings.size >= Compactor.MAX_STRINGS) this.strings = new Map();
    this.strings.set(flat, flat);
    return flat;
  }

  private mapping(r: Record<string, unknown>): Record<string, unknown> {
    let shape = this.shapes;
    for (const k in r) {
      let next = shape.next.get(k);
      if (next === undefined) {
        if (this.shapeCount >= Compactor.MAX_SHAPES) {
          this.shapes = { next: new Map(), seen: 0 };
          this.shapeCount = 0;
        }
        next = { next: new Map(), seen: 0 };
        shape.next.set(k, next);
        this.shapeCount++;
      }
      shape = next;
    }
    let build = shape.build;
    if (build === undefined) {
      if (++shape.seen < 2) return r;
      build = shape.build = this.builder(Object.keys(r));
    }
    return build === null ? r : build(r);
  }

  /** A function returning a copy of a mapping of these keys, built by an object literal. */
  private builder(keys: string[]): ((o: Record<string, unknown>) => Record<string, unknown>) | null {
    if (!this.generate || keys.length > Compactor.MAX_KEYS || keys.includes('__proto__')) return null;
    // The keys are written as JSON string literals (valid JavaScript ones): no key is code.
    const body = `return {${keys.map((k) => { const q = JSON.stringify(k); return `${q}: o[${q}]`; }).join(', ')}};`;
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      return new Function('o', body) as (o: Record<string, unknown>) => Record<string, unknown>;
    } catch {
      this.generate = false; // code generation disabled: mappings are kept as js-yaml built them
      return null;
    }
  }
}

/**
 * Reads one YAML stream a document at a time (documents split on "---" lines). The stream is read
 * in chunks and split into lines here, synchronously (readline's async iteration per line cost more
 * than the parse on large inputs); line breaks are "\r\n", "\n" or "\r", as YAML's. Chunks of 64 KiB:
 * a string past 128 KiB is allocated in V8's old generation directly, so 1 MiB chunks (and their
 * concatenations) were old-generation garbage, about twice the input in all, which set off full
 * collections and let the heap grow (analyze on 200 MB: peak RSS 683 -> 595 MiB).
 */
async function readYaml(file: string, into: Collector): Promise<void> {
  let buffer: string[] = [];
  let index = 0;
  let start = 1;
  let lineNo = 0;
  let sawContent = false;
  const flush = () => {
    const text = buffer.join('\n');
    buffer = [];
    if (text.trim() === '' && !sawContent) return;
    let value: unknown;
    try {
      value = loadDocument(text, file, KUBERNETES_YAML_SCHEMA, into.compactor.listener);
    } catch (e) {
      into.problem({ file, document: index, line: start }, yamlError(e, start), true);
      index++;
      return;
    }
    into.document(value, { file, document: index, line: start });
    index++;
  };
  // Whether the buffer holds a line that is neither blank nor a comment (before the first content
  // line: a directive), which makes the document one to parse.
  let nonComment = false;
  /** Notes what an ordinary line (not a marker) says, before the document's first content line. */
  const note = (line: string) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    nonComment = true;
    if (!line.startsWith('%')) sawContent = true;
  };
  const onLine = (line: string) => {
    lineNo++;
    if (line.startsWith('---') && (line.length === 3 || /^\s/.test(line[3]))) {
      if (sawContent || nonComment) flush();
      else buffer = [];
      sawContent = false;
      nonComment = false;
      start = lineNo;
      const rest = line.slice(3).trim();
      if (rest && !rest.startsWith('#')) { buffer.push(rest); sawContent = true; }
      return;
    }
    if (line.startsWith('...') && (line.length === 3 || /^\s/.test(line[3]))) return;
    if (!sawContent) note(line);
    buffer.push(line);
  };
  let pending = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = pending + (chunk as string);
    let from = 0;
    let cr = text.indexOf('\r'); // the next "\r" (found once per chunk, then on demand: no rescans)
    if (cr === -1) {
      // Lines end in "\n" only: the lines between two markers are kept as one slice of the chunk
      // (what joining them with "\n" gives), and only a line that starts with "-" or "." is cut
      // out to see whether it is a marker. Counting the lines costs one indexOf each.
      let run = 0; // where the current run of ordinary lines starts
      for (;;) {
        const lf = text.indexOf('\n', from);
        if (lf === -1) break;
        const c = text.charCodeAt(from);
        if (c === 0x2d || c === 0x2e) {
          const line = text.slice(from, lf);
          if ((line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || /^\s/.test(line[3]))) {
            if (run < from) buffer.push(text.slice(run, from - 1));
            onLine(line);
            from = run = lf + 1;
            continue;
          }
        }
        lineNo++;
        if (!sawContent) note(text.slice(from, lf));
        from = lf + 1;
      }
      if (run < from) buffer.push(text.slice(run, from - 1));
      pending = text.slice(from);
      continue;
    }
    for (;;) {
      const lf = text.indexOf('\n', from);
      if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
      if (lf === -1 && cr === -1) break;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // "\r" at the end of the chunk may be the first half of "\r\n": wait for the next chunk.
        if (cr === text.length - 1) break;
        onLine(text.slice(from, cr));
        from = text[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        onLine(text.slice(from, lf));
        from = lf + 1;
      }
    }
    pending = text.slice(from);
  }
  if (pending !== '') onLine(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
  if (sawContent) flush();
}

/** Reads one JSON file: an object, or a kind: List. */
function readJson(file: string, into: Collector): void {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    into.problem({ file, document: 0, line: 1 }, `Not valid JSON: ${(e as Error).message}.`, true);
    return;
  }
  into.document(value, { file, document: 0, line: 1 });
}

/**
 * Reads every manifest below the paths (folders: their .yaml, .yml and .json files, sorted;
 * files given explicitly whatever their extension, read as JSON when they end in .json). Throws
 * {@link UnreadableInputError} for a path that cannot be read (missing, permissions, an explicit
 * FIFO or device); a document that is not an object is in `unreadable`, not thrown.
 */
export async function readManifests(paths: readonly string[]): Promise<ReadResult> {
  const warnings: string[] = [];
  const files = manifestFiles(paths, warnings);
  const into = new Collector();
  for (const file of files) {
    try {
      if (/\.json$/i.test(file)) readJson(file, into);
      else await readYaml(file, into);
    } catch (e) {
      if (e instanceof UnreadableInputError) throw e;
      throw new UnreadableInputError(`Cannot read "${file}": ${(e as Error).message}.`);
    }
  }
  return { objects: into.objects, locations: into.locations, unreadable: into.unreadable, warnings, files };
}
