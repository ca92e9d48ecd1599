/**
 * Validation of objects against the OpenAPI schemas of CustomResourceDefinitions, the way the API
 * server and `kubectl apply` (strict field validation) check them: types, enums, required fields,
 * bounds, and no fields the schema does not declare. CEL rules (`x-kubernetes-validations`) are not
 * evaluated here.
 */
import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeObject, KubernetesObject, SchemaProblem } from './schema';

/** The CRDs of the Istio release the package is pinned to (the source of `imports/`). */
export const ISTIO_CRDS_FILE = path.join(__dirname, '..', '..', 'crds', 'istio-1.30.3-crd-all.gen.yaml');

type Schema = Record<string, unknown>;

/** Validators for the kinds a set of CRDs defines, keyed by "apiVersion/kind". */
export class CrdSchemas {
  /** Reads CRDs from a YAML file (several documents allowed). */
  public static fromFile(file: string): CrdSchemas {
    return CrdSchemas.fromYaml(readFileSync(file, 'utf8'));
  }

  /** Reads CRDs from YAML text. */
  public static fromYaml(text: string): CrdSchemas {
    const crds = parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d?.kind === 'CustomResourceDefinition');
    return new CrdSchemas(crds);
  }

  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  private constructor(crds: any[]) {
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
      }
    }
    return problems;
  }
}

/**
 * Turns a structural schema into one that rejects undeclared fields, as strict field validation
 * does (the API server would silently prune them): objects with `properties` get
 * `additionalProperties: false` unless they preserve unknown fields. `metadata` is left open.
 */
function strictSchema(schema: Schema, root = false): Schema {
  if (Array.isArray(schema)) return schema.map((s) => strictSchema(s)) as unknown as Schema;
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
