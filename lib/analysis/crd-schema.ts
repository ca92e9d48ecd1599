/**
 * Validation of objects against CustomResourceDefinitions, the way the API server and `kubectl
 * apply` (strict field validation) check them: the OpenAPI schema (types, enums, required fields,
 * bounds, no fields the schema does not declare) and the CEL rules (`x-kubernetes-validations`).
 */
import Ajv, { ValidateFunction } from 'ajv';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { evaluateRule } from './cel';
import { KubernetesObject } from '../kubernetes-object';
import { describeObject, SchemaProblem } from './schema';
import { packageFile } from '../private/package-files';

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

/** Validators for the kinds a set of CRDs defines, keyed by "apiVersion/kind". */
export class CrdSchemas {
  /** Reads CRDs from a YAML file (several documents allowed). */
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

  /** Reads CRDs from YAML text. */
  public static fromYaml(text: string): CrdSchemas {
    // js-yaml: about three times faster than the `yaml` package on the 1 MB of Istio's CRDs.
    const crds = (loadAll(text) as Array<CrdFields | null>).filter((d): d is CrdFields => d?.kind === 'CustomResourceDefinition');
    return new CrdSchemas(crds);
  }

  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  private constructor(crds: readonly CrdFields[]) {
    for (const crd of crds) {
      const group = crd.spec?.group;
      const kind = crd.spec?.names?.kind;
      for (const version of crd.spec?.versions ?? []) {
        const schema = version.schema?.openAPIV3Schema;
        if (group && kind && version.served !== false && schema) this.schemas.set(`${group}/${version.name}/${kind}`, schema);
      }
    }
  }

  /** The "apiVersion/kind" keys these CRDs define. */
  public get kinds(): string[] {
    return [...this.schemas.keys()];
  }

  /** Whether the CRDs define `apiVersion`/`kind`. */
  public defines(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion}/${kind}`);
  }

  /**
   * Validates the objects whose kinds these CRDs define; other objects are skipped.
   */
  public validate(objects: readonly KubernetesObject[]): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    for (const o of objects) {
      const key = `${o.apiVersion}/${o.kind}`;
      const schema = this.schemas.get(key);
      if (!schema) continue;
      let check = this.compiled.get(key);
      if (!check) {
        check = this.ajv.compile(strictSchema(schema, true));
        this.compiled.set(key, check);
      }
      if (!check(o)) {
        for (const e of check.errors ?? []) {
          const where = e.instancePath || '/';
          const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
          problems.push({ object: describeObject(o), message: `${where}: ${e.message}${extra}` });
        }
        continue; // CEL rules assume a structurally valid object
      }
      // The API server defaults fields before it evaluates the CEL rules, which rely on it.
      for (const message of celProblems(schema, withDefaults(schema, o), '')) problems.push({ object: describeObject(o), message });
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
    const result = evaluateRule(r.rule, value);
    if (result === false) problems.push(`${where || '/'}: ${r.message ?? `failed rule: ${r.rule}`} (rule: ${r.rule.replace(/\s+/g, ' ')})`);
    else if (typeof result === 'string') problems.push(`${where || '/'}: rule ${r.rule.replace(/\s+/g, ' ')} could not be evaluated: ${result}`);
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((v, i) => problems.push(...celProblems(items, v, `${where}/${i}`)));
  } else if (typeof value === 'object') {
    const props = schema.properties as Record<string, Schema> | undefined;
    const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as Schema : undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = props?.[k] ?? extra;
      if (sub) problems.push(...celProblems(sub, v, `${where}/${k}`));
    }
  }
  return problems;
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
