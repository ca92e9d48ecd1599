/**
 * Validation of objects against CustomResourceDefinitions, the way the API server and `kubectl
 * apply` (strict field validation) check them: the OpenAPI schema (types, enums, required fields,
 * bounds, no fields the schema does not declare) and the CEL rules (`x-kubernetes-validations`).
 */
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { evaluateRule } from './cel';
import { KubernetesObject } from '../../model/kubernetes-object';
import { describeObject, SchemaProblem } from './problem';
import { findPackageFile, packageFile } from '../../private/package-files';
import { ajvVersion, newAjv, standaloneCode } from '../../private/ajv';

/** The CRDs of the Istio release the package is pinned to (the source of `imports/`). */
export const ISTIO_CRDS_FILE = packageFile(path.join('crds', 'istio-1.30.3-crd-all.gen.yaml'));

type Schema = Record<string, unknown>;

/** The fields of a CustomResourceDefinition read here. */
interface CrdFields {
  readonly kind?: string;
  readonly spec?: {
    readonly group?: string;
    readonly names?: { readonly kind?: string };
    readonly versions?: ReadonlyArray<{ readonly name?: string; readonly served?: boolean; readonly schema?: { readonly openAPIV3Schema?: Schema } }>;
  };
}

/** The options of every CRD validator (and of the prebuilt ones: see {@link writePrebuiltValidators}). */
const AJV_OPTIONS: Options = { strict: false, allErrors: true, validateFormats: false };

/** The schemas and validators of a set of CRDs, by "apiVersion/kind": parsed and compiled here, or prebuilt. */
interface SchemaSource {
  readonly keys: readonly string[];
  schema(key: string): Schema | undefined;
  /** The validator of the strict form of the kind's schema, compiled ahead of time, if any. */
  prebuilt(key: string): ValidateFunction | undefined;
}

/** Validators for the kinds a set of CRDs defines, keyed by "apiVersion/kind". */
export class CrdSchemas {
  /**
   * Reads CRDs from a YAML file (several documents allowed). The vendored CRDs (crds/) come with
   * validators compiled at build time (build/crd-validators/): a file whose text is one of them
   * is neither parsed nor compiled here.
   */
  public static fromFile(file: string): CrdSchemas {
    return CrdSchemas.fromYaml(readFileSync(file, 'utf8'));
  }

  /** Reads CRDs from a file, or from every .yaml/.yml/.json file below a folder. */
  public static fromPath(fileOrFolder: string): CrdSchemas {
    const files: string[] = [];
    const visit = (p: string) => {
      if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) visit(path.join(p, e));
      else if (/\.(ya?ml|json)$/.test(p)) files.push(p);
    };
    visit(fileOrFolder);
    return CrdSchemas.fromYaml(files.map((f) => readFileSync(f, 'utf8')).join('\n---\n'));
  }

  /**
   * Reads CRDs from YAML text with the validators {@link writePrebuiltValidators} compiled into
   * `dir` for this very text; undefined when `dir` has none for it.
   */
  public static fromPrebuilt(dir: string, text: string): CrdSchemas | undefined {
    const found = readPrebuiltIndex(path.join(dir, 'index.json'));
    const source = found && prebuiltSource(text, found);
    return source ? new CrdSchemas(source) : undefined;
  }

  /** Reads CRDs from YAML text (validators compiled at build time when the text is a vendored CRD file's). */
  public static fromYaml(text: string): CrdSchemas {
    return new CrdSchemas(prebuiltSource(text) ?? parsedSource(text));
  }

  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly schemas = new Map<string, Schema | undefined>();
  private readonly keys: ReadonlySet<string>;
  private ajv?: Ajv;

  private constructor(private readonly source: SchemaSource) {
    this.keys = new Set(source.keys);
  }

  /** The "apiVersion/kind" keys these CRDs define. */
  public get kinds(): string[] {
    return [...this.source.keys];
  }

  /** Whether the CRDs define `apiVersion`/`kind`. */
  public defines(apiVersion: string, kind: string): boolean {
    return this.keys.has(`${apiVersion}/${kind}`);
  }

  private schema(key: string): Schema | undefined {
    if (!this.keys.has(key)) return undefined;
    if (!this.schemas.has(key)) this.schemas.set(key, this.source.schema(key));
    return this.schemas.get(key);
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let check = this.compiled.get(key);
    if (!check) {
      check = this.source.prebuilt(key) ?? (this.ajv ??= newAjv(AJV_OPTIONS)).compile(strictSchema(schema, true));
      this.compiled.set(key, check);
    }
    return check;
  }

  /**
   * Validates the objects whose kinds these CRDs define; other objects are skipped.
   */
  public validate(objects: readonly KubernetesObject[]): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    // The schema of each apiVersion and kind, looked up once per pair, not with a key built per object.
    const byVersion = new Map<unknown, Map<unknown, Schema | undefined>>();
    for (const o of objects) {
      let byKind = byVersion.get(o.apiVersion);
      if (!byKind) {
        byKind = new Map();
        byVersion.set(o.apiVersion, byKind);
      }
      let schema = byKind.get(o.kind);
      if (schema === undefined && !byKind.has(o.kind)) {
        schema = this.schema(`${o.apiVersion}/${o.kind}`);
        byKind.set(o.kind, schema);
      }
      if (!schema) continue;
      const key = `${o.apiVersion}/${o.kind}`;
      const check = this.validator(key, schema);
      if (!check(o)) {
        for (const e of check.errors ?? []) {
          const where = e.instancePath || '/';
          const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
          problems.push({ object: describeObject(o), message: `${where}: ${e.message}${extra}` });
        }
        continue; // CEL rules assume a structurally valid object
      }
      // Keyed lists (list-type map) and sets refuse duplicates, as the API server does.
      for (const message of listProblems(schema, o, '')) problems.push({ object: describeObject(o), message });
      // The API server defaults fields before it evaluates the CEL rules, which rely on it.
      for (const message of defaultedCelProblems(schema, o, '')) problems.push({ object: describeObject(o), message });
    }
    return problems;
  }
}

/** `value` with the schema's `default`s filled in, as the API server's structural defaulting does. */
export function withDefaults(schema: Schema, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items ? value.map((v) => withDefaults(items, v)) : value;
  }
  if (typeof value !== 'object') return value;
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as Schema : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = props[k] ?? extra;
    out[k] = sub ? withDefaults(sub, v) : v;
  }
  for (const [k, sub] of Object.entries(props)) {
    if (out[k] === undefined && sub && sub.default !== undefined) out[k] = withDefaults(sub, structuredClone(sub.default));
  }
  return out;
}

/**
 * Duplicates in lists the schema marks `x-kubernetes-list-type: map` (two items with the same
 * values of `x-kubernetes-list-map-keys`) or `set` (two equal items): the API server refuses them
 * ("Duplicate value"), whatever the rest of the items says. For example ServiceEntry `ports` by
 * number, WasmPlugin `vmConfig.env` by name.
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
 */
export function listProblems(schema: Schema, value: unknown, where: string): string[] {
  if (value === undefined || value === null || !schema || !(subtreeHolds(schema) & LIST_TYPES)) return [];
  const problems: string[] = [];
  if (Array.isArray(value)) {
    const type = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'];
    if (type === 'map' && Array.isArray(keys) || type === 'set') {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = type === 'map'
          ? JSON.stringify(Object.fromEntries((keys as string[]).map((k) => [k, (item as Record<string, unknown> | null)?.[k] ?? null])))
          : JSON.stringify(item);
        if (seen.has(key)) problems.push(`${where}/${i}: Duplicate value: ${key} (the list is keyed by ${type === 'map' ? (keys as string[]).join(', ') : 'its items'}: each ${type === 'map' ? 'key' : 'item'} may appear once)`);
        seen.add(key);
      });
    }
  }
  return childProblems(schema, value, where, listProblems, problems);
}

/**
 * Appends to `problems` what `walk` finds in each item of `value` (a list, by the schema's `items`)
 * or each of its fields (an object, by `properties`, else an object `additionalProperties`), at
 * `<where>/<index or key>`; returns `problems`. The descent the schema walks below share.
 */
function childProblems(schema: Schema, value: unknown, where: string, walk: (schema: Schema, value: unknown, where: string) => string[], problems: string[] = []): string[] {
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((v, i) => problems.push(...walk(items, v, `${where}/${i}`)));
  } else if (typeof value === 'object' && value !== null) {
    const props = schema.properties as Record<string, Schema> | undefined;
    const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as Schema : undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = props?.[k] ?? extra;
      if (sub) problems.push(...walk(sub, v, `${where}/${k}`));
    }
  }
  return problems;
}

/** What a schema's subtree (itself and what `items`, `properties` and `additionalProperties` lead to) holds: bits of these. */
const RULES = 1;
const LIST_TYPES = 2;
const DEFAULTS = 4;
const subtrees = new WeakMap<object, number>();

/**
 * The {@link RULES}, {@link LIST_TYPES} and {@link DEFAULTS} a schema's subtree holds, computed once
 * per schema: the walks below skip the parts of an object whose schema holds none of what they
 * look for (most of it: Istio's rules and list types sit deep in a few fields), which returns what
 * the whole walk returned, without its cost.
 */
function subtreeHolds(schema: unknown): number {
  if (!schema || typeof schema !== 'object') return 0;
  const known = subtrees.get(schema);
  if (known !== undefined) return known;
  // A schema that contains itself (YAML aliases can make one) counts as holding everything.
  subtrees.set(schema, RULES | LIST_TYPES | DEFAULTS);
  const s = schema as Schema;
  let holds = (s['x-kubernetes-validations'] !== undefined && s['x-kubernetes-validations'] !== null ? RULES : 0)
    | (s['x-kubernetes-list-type'] !== undefined ? LIST_TYPES : 0);
  holds |= subtreeHolds(s.items);
  if (typeof s.additionalProperties === 'object') holds |= subtreeHolds(s.additionalProperties);
  const props = s.properties;
  if (props && typeof props === 'object') {
    for (const sub of Object.values(props as Record<string, unknown>)) {
      if (sub && typeof sub === 'object' && (sub as Schema).default !== undefined) holds |= DEFAULTS;
      holds |= subtreeHolds(sub);
    }
  }
  subtrees.set(schema, holds);
  return holds;
}

/**
 * `celProblems(schema, withDefaults(schema, value), where)`, without copying the parts of `value`
 * no rule reads: a subtree whose schema holds no rule yields nothing; one that holds no default
 * (and has no own rule) is walked as it is, since its defaulted copy equals it; the rest (a rule
 * here, defaults below, or an own `__proto__` key, which the copy would not keep) is defaulted and
 * evaluated as before.
 */
function defaultedCelProblems(schema: Schema, value: unknown, where: string): string[] {
  if (value === undefined || value === null || !schema) return [];
  const holds = subtreeHolds(schema);
  if (!(holds & RULES)) return [];
  if (typeof value !== 'object') return celProblems(schema, value, where);
  if (holds & DEFAULTS || (schema['x-kubernetes-validations'] !== undefined && schema['x-kubernetes-validations'] !== null)
    || Object.prototype.hasOwnProperty.call(value, '__proto__')) {
    return celProblems(schema, withDefaults(schema, value), where);
  }
  return childProblems(schema, value, where, defaultedCelProblems);
}

interface CelRule {
  readonly rule: string;
  readonly message?: string;
}

/** Evaluates the CEL rules of `schema` and of its sub-schemas over `value`. */
function celProblems(schema: Schema, value: unknown, where: string): string[] {
  if (value === undefined || value === null || !schema) return [];
  const problems: string[] = [];
  for (const r of (schema['x-kubernetes-validations'] as CelRule[] | undefined) ?? []) {
    if (typeof r.rule !== 'string') {
      problems.push(`${where || '/'}: the CRD has a rule that is not a string: ${JSON.stringify(r.rule)}`);
      continue;
    }
    // A transition rule (it reads oldSelf) is evaluated only when an object is updated, against
    // its previous value (Kubernetes' CRD validation rules): never on what is created from here.
    if (/\boldSelf\b/.test(r.rule)) continue;
    const result = evaluateRule(r.rule, value);
    if (result === false) problems.push(`${where || '/'}: ${r.message ?? `failed rule: ${r.rule}`} (rule: ${r.rule.replace(/\s+/g, ' ')})`);
    else if (typeof result === 'string') problems.push(`${where || '/'}: rule ${r.rule.replace(/\s+/g, ' ')} could not be evaluated: ${result}`);
  }
  return childProblems(schema, value, where, celProblems, problems);
}

/**
 * Turns a structural schema into one that rejects undeclared fields, as strict field validation
 * does (the API server would silently prune them): objects with `properties` get
 * `additionalProperties: false` unless they preserve unknown fields. `metadata` is left open.
 */
function strictSchema(schema: Schema, root = false): Schema {
  if (Array.isArray(schema)) return (schema as readonly Schema[]).map((s) => strictSchema(s)) as unknown as Schema;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [
        name, strictSchema(sub as Schema),
      ]));
    } else if (['items', 'additionalProperties', 'not'].includes(key) && value && typeof value === 'object') {
      out[key] = strictSchema(value as Schema);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(key) && Array.isArray(value)) {
      out[key] = value.map((s) => strictSchema(s as Schema));
    } else {
      out[key] = value;
    }
  }
  if (root) {
    // Every object has these; Istio's schemas declare only spec and status.
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties as Schema) };
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

let istio: CrdSchemas | undefined;

/** The schemas of the pinned Istio release's CRDs (loaded once). */
export function istioCrdSchemas(): CrdSchemas {
  istio ??= CrdSchemas.fromFile(ISTIO_CRDS_FILE);
  return istio;
}

/** CRDs parsed from YAML text; their validators are compiled on first use. */
function parsedSource(text: string): SchemaSource {
  // js-yaml: about three times faster than the `yaml` package on the 1 MB of Istio's CRDs.
  const crds = (loadAll(text) as Array<CrdFields | null>).filter((d): d is CrdFields => d?.kind === 'CustomResourceDefinition');
  const schemas = new Map<string, Schema>();
  for (const crd of crds) {
    const group = crd.spec?.group;
    const kind = crd.spec?.names?.kind;
    for (const version of crd.spec?.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (group && kind && version.served !== false && schema) schemas.set(`${group}/${version.name}/${kind}`, schema);
    }
  }
  return { keys: [...schemas.keys()], schema: (key) => schemas.get(key), prebuilt: () => undefined };
}

/**
 * Where `npm run build` writes the validators of the vendored CRDs (and the package ships them):
 * build/crd-validators/ beside build/lib/.
 */
export const PREBUILT_VALIDATORS_DIR = path.join('build', 'crd-validators');

/**
 * The layout of the prebuilt validators; bump it when what they hold changes (`strictSchema`,
 * {@link AJV_OPTIONS}, the files' layout): an index of another format is ignored.
 */
const PREBUILT_FORMAT = 1;

/**
 * build/crd-validators/index.json: for the SHA-256 of each vendored CRD file's text, its kinds
 * ("apiVersion/kind") and, for each, the id of its files: `<id>.json` (the kind's OpenAPI schema,
 * for the CEL rules and defaults) and `<id>.js` (ajv's standalone code of the strict schema).
 */
interface PrebuiltIndex {
  readonly format: number;
  readonly ajv: string;
  readonly sets: Record<string, Record<string, string>>;
  /** JSON Schemas (schemas/), by the SHA-256 of their text: the id of their `<id>.js`. */
  readonly json?: Record<string, string>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let prebuiltIndex: { dir: string; index: PrebuiltIndex } | null | undefined;

/** The package's prebuilt validators (build/crd-validators/), read once. */
function loadPrebuiltIndex(): { dir: string; index: PrebuiltIndex } | null {
  if (prebuiltIndex !== undefined) return prebuiltIndex;
  const file = findPackageFile(path.join(PREBUILT_VALIDATORS_DIR, 'index.json'));
  prebuiltIndex = file ? readPrebuiltIndex(file) : null;
  return prebuiltIndex;
}

function readPrebuiltIndex(file: string): { dir: string; index: PrebuiltIndex } | null {
  try {
    const index = JSON.parse(readFileSync(file, 'utf8')) as PrebuiltIndex;
    return index.format === PREBUILT_FORMAT && index.ajv === ajvVersion() ? { dir: path.dirname(file), index } : null;
  } catch {
    return null; // an unreadable index is as good as none: the validators are compiled at run time
  }
}

/** The prebuilt schemas and validators of CRD text, when the build generated them for this very text. */
function prebuiltSource(text: string, found = loadPrebuiltIndex()): SchemaSource | undefined {
  const kinds = found?.index.sets[sha256(text)];
  if (!found || !kinds) return undefined;
  const load = createRequire(path.join(found.dir, 'index.json'));
  return {
    keys: Object.keys(kinds),
    schema: (key) => (kinds[key] ? JSON.parse(readFileSync(path.join(found.dir, `${kinds[key]}.json`), 'utf8')) as Schema : undefined),
    prebuilt: (key) => (kinds[key] ? load(`./${kinds[key]}.js`) as ValidateFunction : undefined),
  };
}

/**
 * Compiles the validators of CRD files ahead of time (ajv's standalone code, one module per
 * distinct schema) into `outDir` (build/crd-validators/, by `npm run build`): {@link CrdSchemas}
 * then loads the validator of a kind when it first meets one instead of parsing the CRDs and
 * compiling their schemas at every start. Keyed by the SHA-256 of each file's text, so that a CRD
 * file changed since is parsed and compiled at run time as before, never checked by a stale validator.
 */
export function writePrebuiltValidators(crdFiles: readonly string[], outDir: string, jsonSchemaFiles: readonly string[] = []): void {
  const ajv = newAjv({ ...AJV_OPTIONS, code: { source: true } });
  const tmp = `${outDir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const sets: Record<string, Record<string, string>> = {};
  const written = new Set<string>();
  for (const file of crdFiles) {
    const text = readFileSync(file, 'utf8');
    const source = parsedSource(text);
    const kinds: Record<string, string> = {};
    for (const key of source.keys) {
      const schema = source.schema(key) as Schema;
      const json = JSON.stringify(schema);
      const id = sha256(json).slice(0, 20);
      if (!written.has(id)) {
        writeFileSync(path.join(tmp, `${id}.json`), json);
        writeFileSync(path.join(tmp, `${id}.js`), `// ${key} (${path.basename(file)}): generated by npm run build, do not edit.\n${standaloneCode(ajv, ajv.compile(strictSchema(schema, true)))}\n`);
        written.add(id);
      }
      kinds[key] = id;
    }
    sets[sha256(text)] = kinds;
  }
  const json: Record<string, string> = {};
  const jsonAjv = newAjv({ ...JSON_SCHEMA_OPTIONS, code: { source: true } });
  for (const file of jsonSchemaFiles) {
    const text = readFileSync(file, 'utf8');
    const id = `schema-${sha256(text).slice(0, 20)}`;
    writeFileSync(path.join(tmp, `${id}.js`), `// ${path.basename(file)}: generated by npm run build, do not edit.\n${standaloneCode(jsonAjv, jsonAjv.compile(JSON.parse(text) as object))}\n`);
    json[sha256(text)] = id;
  }
  const index: PrebuiltIndex = { format: PREBUILT_FORMAT, ajv: ajvVersion(), sets, json };
  writeFileSync(path.join(tmp, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.dirname(outDir), { recursive: true });
  renameSync(tmp, outDir);
  prebuiltIndex = undefined;
}

/** The ajv options of JSON Schemas ({@link jsonSchemaValidator}). */
const JSON_SCHEMA_OPTIONS: Options = { allErrors: true, strict: false };

/**
 * The validator of a JSON Schema file (schemas/): the one `npm run build` compiled when the file
 * is the one it compiled (by its text's SHA-256), else compiled here.
 */
export function jsonSchemaValidator(file: string): ValidateFunction {
  const text = readFileSync(file, 'utf8');
  const found = loadPrebuiltIndex();
  const id = found?.index.json?.[sha256(text)];
  if (found && id) return createRequire(path.join(found.dir, 'index.json'))(`./${id}.js`) as ValidateFunction;
  return newAjv(JSON_SCHEMA_OPTIONS).compile(JSON.parse(text) as object);
}
