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

/**
 * ajv's standalone code of a compiled validator (a CommonJS module), for build-time compilation,
 * with its functions compiled when the module is ({@link eagerFunctions}).
 */
export function standaloneCode(ajv: Ajv, validate: ReturnType<Ajv['compile']>): string {
  const { default: generate } = load('ajv/dist/standalone') as { default: (ajv: Ajv, validate: ReturnType<Ajv['compile']>) => string };
  return eagerFunctions(generate(ajv, validate));
}

/**
 * ajv's standalone code with its `function validateN(...) {...}` declarations turned into
 * parenthesized function expressions (`var validateN = (function validateN(...) {...});`), which
 * V8 compiles with the module instead of on the first call. Node's compile cache
 * (module.enableCompileCache) keeps only what was compiled with the module: a validator compiled
 * on its first call (the Rollout's is 1.2 MB of code) was parsed again at every start, about a
 * third of a cold synth's validation. The definitions move before the rest of the code (which may
 * refer to them, as ajv's `const wrapper0 = {validate: validate11}` does) and `module.exports`
 * after it; nothing calls a validator before the module is loaded. Code of another shape (a
 * function without ajv's closing statement) is returned unchanged.
 */
export function eagerFunctions(code: string): string {
  const exported = /module\.exports = (validate\d+);module\.exports\.default = \1;/.exec(code);
  if (!code.startsWith('"use strict";') || !exported) return code;
  let rest = code.slice('"use strict";'.length).replace(exported[0], '');
  const functions: string[] = [];
  for (;;) {
    const start = /function (validate\d+)\(/.exec(rest);
    if (!start) break;
    const end = `${start[1]}.errors = vErrors;return errors === 0;}`;
    const at = rest.indexOf(end, start.index);
    if (at < 0) return code;
    functions.push(`var ${start[1]} = (${rest.slice(start.index, at + end.length)});`);
    rest = rest.slice(0, start.index) + rest.slice(at + end.length);
  }
  return `"use strict";\n${functions.join('\n')}\n${rest.trim()}\n${exported[0]}`;
}

/** The version of the ajv installed (the prebuilt validators are valid for it only). */
export function ajvVersion(): string {
  return (load('ajv/package.json') as { version: string }).version;
}
