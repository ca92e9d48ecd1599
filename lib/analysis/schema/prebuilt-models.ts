/**
 * The published schemas' models (kubernetes-models and @kubernetes-models/*: ES modules, about ten
 * small files per kind) bundled ahead of time into one CommonJS file, build/schema-models/index.js
 * (scripts/compile.cjs, at `npm run build` and whenever `npm run synth`, `analyze` or `explain`
 * finds it missing or stale). Node's ES module loader took about 180 ms to read, link and evaluate
 * the 230 files of the example's 19 kinds; the bundle loads them in about 15 ms. The code is the
 * packages' own, so the validation is the same; a kind the bundle lacks, or a bundle made from
 * other versions of the packages than those installed, is imported as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { findPackageFile } from '../../private/package-files';

/** Where scripts/compile.cjs writes the bundle (index.js) and what it was made from (stamp.json). */
export const PREBUILT_MODELS_DIR = path.join('build', 'schema-models');

/** The layout of the bundle; scripts/compile.cjs writes the same number (SCHEMA_MODELS_FORMAT). */
const PREBUILT_MODELS_FORMAT = 1;

/** A kind's module, by its specifier ("kubernetes-models/apps/v1/Deployment"). */
export type ModelLoader = () => Promise<Record<string, unknown>>;

interface Stamp {
  readonly format: number;
  /** The bundled packages and their versions. */
  readonly packages: Record<string, string>;
}

let prebuilt: Record<string, ModelLoader> | null | undefined;

/**
 * The bundled kinds' modules by specifier, when the bundle exists and was made from the installed
 * versions of the packages; null otherwise (read once).
 */
export function prebuiltModels(): Record<string, ModelLoader> | null {
  if (prebuilt === undefined) {
    const stampFile = findPackageFile(path.join(PREBUILT_MODELS_DIR, 'stamp.json'));
    prebuilt = stampFile ? readPrebuiltModels(path.dirname(stampFile)) : null;
  }
  return prebuilt;
}

/** The kinds' modules of the bundle in `dir` (stamp.json, index.js), or null when it is not for the installed packages. */
export function readPrebuiltModels(dir: string): Record<string, ModelLoader> | null {
  try {
    const stamp = JSON.parse(readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as Stamp;
    const installed = createRequire(__filename);
    const current = stamp.format === PREBUILT_MODELS_FORMAT
      && Object.entries(stamp.packages).every(([name, version]) => (installed(`${name}/package.json`) as { version: string }).version === version);
    return current ? (createRequire(path.join(dir, 'stamp.json'))('./index.js') as { kinds: Record<string, ModelLoader> }).kinds : null;
  } catch {
    return null; // an unreadable stamp or bundle is as good as none: the kinds are imported
  }
}

/** The module of `specifier`: from the bundle when it has it, else imported. */
export function loadModelModule(specifier: string): Promise<Record<string, unknown>> {
  const kinds = prebuiltModels();
  return kinds && Object.hasOwn(kinds, specifier) ? kinds[specifier]() : import(specifier) as Promise<Record<string, unknown>>;
}
