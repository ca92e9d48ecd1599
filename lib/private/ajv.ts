/**
 * ajv, loaded when a schema is first compiled: the validators of the vendored CRDs and schemas are
 * compiled at build time (build/crd-validators/, see analysis/schema/crd-schema.ts), so a synth of
 * ordinary objects never loads ajv's compiler.
 */
import type Ajv from 'ajv';
import type { Options } from 'ajv';
import { createRequire } from 'node:module';

const load = createRequire(__filename);

/** A new ajv instance with `options`. */
export function newAjv(options: Options): Ajv {
  const { default: AjvClass } = load('ajv') as { default: typeof Ajv };
  return new AjvClass(options);
}

/** ajv's standalone code of a compiled validator (a CommonJS module), for build-time compilation. */
export function standaloneCode(ajv: Ajv, validate: ReturnType<Ajv['compile']>): string {
  const { default: generate } = load('ajv/dist/standalone') as { default: (ajv: Ajv, validate: ReturnType<Ajv['compile']>) => string };
  return generate(ajv, validate);
}

/** The version of the ajv installed (the prebuilt validators are valid for it only). */
export function ajvVersion(): string {
  return (load('ajv/package.json') as { version: string }).version;
}
