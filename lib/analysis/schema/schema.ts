/**
 * Structural validation of synthesized objects against the published schemas: `kubernetes-models`
 * for Kubernetes kinds and `@kubernetes-models/istio` for Istio kinds. Both are ES modules; they
 * are loaded on first use, from the bundle made at build time (prebuilt-models.ts) or with a
 * dynamic import, which works from CommonJS too.
 */

import type { ValidateFunction } from 'ajv';
import * as path from 'node:path';
import { packageFile } from '../../private/package-files';

import { KubernetesObject } from '../../model/kubernetes-object';
import { gatewayApiCrdSchemas } from './gateway-api-crd';
import { argoRolloutsCrdSchemas } from './argo-rollouts-crd';
import { jsonSchemaValidator } from './crd-schema';
import { loadModelModule } from './prebuilt-models';
import { describeObject, SchemaProblem } from './problem';

export type { SchemaProblem };
export { describeObject };

/** Options of {@link validateSchemas}. */
export interface ValidateSchemasOptions {
  /**
   * Kinds validated elsewhere (CRDs given by the user): objects of these kinds without a published
   * schema are not reported as unvalidated.
   * @default - none
   */
  readonly validatedElsewhere?: (apiVersion: string, kind: string) => boolean;
}

type ModelClass = (new (data: unknown) => { validate(): void }) & { readonly prototype: { validate(this: unknown): void } };

/**
 * Schemas for kinds no npm package publishes, written for this package from the projects' API
 * definitions (schemas/): the Secrets Store CSI driver's SecretProviderClass. Their validators are
 * compiled at build time with the vendored CRDs' (see {@link jsonSchemaValidator}), so a synth
 * never loads ajv's compiler for them.
 */
const OWN_SCHEMAS: Record<string, (o: KubernetesObject) => string[]> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': jsonSchemaCheck('secrets-store-csi-secretproviderclass.schema.json'),
};

function jsonSchemaCheck(file: string): (o: KubernetesObject) => string[] {
  let validate: ValidateFunction | undefined;
  return (o) => {
    validate ??= jsonSchemaValidator(packageFile(path.join('schemas', file)));
    return validate(o) ? [] : (validate.errors ?? []).map((e) => `data${e.instancePath} ${e.message}`);
  };
}

const models = new Map<string, Promise<ModelClass | undefined>>();

/**
 * API groups whose kinds have the schema of another group's: Azure Managed Prometheus reads the
 * Prometheus Operator's PodMonitor and ServiceMonitor under its own group.
 */
const SCHEMA_ALIASES: Record<string, string> = { 'azmonitoring.coreos.com/v1': 'monitoring.coreos.com/v1' };

/** The npm module that publishes the schema of `apiVersion`/`kind`. */
export function schemaModule(apiVersion: string, kind: string): string {
  const version = SCHEMA_ALIASES[apiVersion] ?? apiVersion;
  const group = version.includes('/') ? version.split('/')[0] : '';
  const pkg = group.endsWith('istio.io') ? '@kubernetes-models/istio'
    : group === 'monitoring.coreos.com' ? '@kubernetes-models/prometheus-operator'
      : group.endsWith('cert-manager.io') ? '@kubernetes-models/cert-manager'
        : 'kubernetes-models';
  return `${pkg}/${version}/${kind}`;
}

function loadModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  let found = models.get(key);
  if (!found) {
    found = loadModelModule(schemaModule(apiVersion, kind))
      .then((mod) => mod[kind] as ModelClass | undefined)
      .catch(() => undefined);
    models.set(key, found);
  }
  return found;
}

/**
 * Validates every object against its published schema. An object whose kind has no published
 * schema is reported as `unvalidated` (nothing unchecked passes silently), unless the options say
 * that CRDs validate it.
 */
export async function validateSchemas(objects: readonly KubernetesObject[], options: ValidateSchemasOptions = {}): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  // Every kind's module at once: the ES module loader reads and links them concurrently. The models
  // by apiVersion, then kind: looked up with the objects' own strings, without building a key per object.
  const loaded = new Map<string, Map<string, ModelClass | undefined>>();
  const loading: Promise<void>[] = [];
  for (const o of objects) {
    let kinds = loaded.get(o.apiVersion);
    if (kinds === undefined) loaded.set(o.apiVersion, kinds = new Map<string, ModelClass | undefined>());
    if (kinds.has(o.kind)) continue;
    const forVersion = kinds;
    forVersion.set(o.kind, undefined);
    loading.push(loadModel(o.apiVersion, o.kind).then((Model) => { forVersion.set(o.kind, Model); }));
  }
  await Promise.all(loading);
  for (const o of objects) {
    // Looked up, not awaited: an await per object cost a turn of the microtask queue each.
    const Model = loaded.get(o.apiVersion)?.get(o.kind);
    const own = Model ? undefined : OWN_SCHEMAS[`${o.apiVersion}/${o.kind}`];
    if (!Model && own) {
      for (const message of own(o)) problems.push({ object: describeObject(o), message });
      continue;
    }
    if (!Model && options.validatedElsewhere?.(o.apiVersion, o.kind)) continue;
    if (!Model && o.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      // The Gateway API kinds are checked against the vendored CRDs (gateway-api-crd.ts), schema and CEL.
      if (!gatewayApiCrdSchemas().defines(o.apiVersion, o.kind)) {
        problems.push({ object: describeObject(o), unvalidated: true, message: `not validated: ${o.apiVersion} ${o.kind} is not a kind of the Gateway API v1.5.1 standard channel (crds/), so no schema checks it; give its CRD (the experimental channel's) with --crds to validate it.` });
      }
      continue;
    }
    if (!Model && o.apiVersion.startsWith('argoproj.io/')) {
      // Argo Rollouts' kinds are checked against its vendored CRDs (argo-rollouts-crd.ts).
      if (!argoRolloutsCrdSchemas().defines(o.apiVersion, o.kind)) {
        problems.push({ object: describeObject(o), unvalidated: true, message: `not validated: ${o.apiVersion} ${o.kind} is not a kind of the vendored Argo Rollouts v1.9.1 CRDs (Rollout, AnalysisTemplate, ClusterAnalysisTemplate in crds/), so no schema checks it; give its CRD with --crds to validate it.` });
      }
      continue;
    }
    if (!Model) {
      problems.push({ object: describeObject(o), unvalidated: true, message: `not validated: no schema for ${o.apiVersion} ${o.kind} (no published one at ${schemaModule(o.apiVersion, o.kind)}, no vendored CRD); give its CRD with --crds to validate it.` });
      continue;
    }
    const aliased = SCHEMA_ALIASES[o.apiVersion];
    const target = aliased ? { ...o, apiVersion: aliased } : o;
    try {
      // The model's validate function on the plain object: constructing the model would copy the
      // whole object first (dropping undefined values), which cost as much as the validation.
      Model.prototype.validate.call(target);
    } catch {
      // A failure is confirmed, and worded, on the model's own copy, as before.
      try {
        new Model(target).validate();
      } catch (e) {
        problems.push({ object: describeObject(o), message: (e as Error).message });
      }
    }
  }
  return problems;
}
