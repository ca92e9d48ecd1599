/**
 * The published schemas' models (kubernetes-models and @kubernetes-models/*: ES modules, about ten
 * small files per kind) bundled ahead of time into two CommonJS files of build/schema-models/
 * (scripts/compile.cjs, at `npm run build` and whenever `npm run synth`, `analyze` or `explain`
 * finds them missing or stale): index.js, the kinds the package's constructs emit (about 1 MB), and
 * rest.js, the other kinds (about 4.7 MB), read only when one of them is first loaded. Node's ES
 * module loader took about 180 ms to read, link and evaluate the 230 files of the example's 19
 * kinds; one bundle of all kinds, about 65 ms (40 to read and compile its 5 MB, 25 to run the
 * kinds' code); index.js alone, about 35 (10 and 25). The code is the packages' own, so the
 * validation is the same; a kind the bundles lack, or bundles made from other versions of the
 * packages than those installed, is imported as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { findPackageFile } from '../../private/package-files';

/** Where scripts/compile.cjs writes the bundles (index.js, rest.js) and what they were made from (stamp.json). */
export const PREBUILT_MODELS_DIR = path.join('build', 'schema-models');

/** The layout of the bundles; scripts/compile.cjs writes the same number (SCHEMA_MODELS_FORMAT). */
const PREBUILT_MODELS_FORMAT = 2;

/** A kind's module, by its specifier ("kubernetes-models/apps/v1/Deployment"). */
export type ModelLoader = () => Promise<Record<string, unknown>>;

interface Stamp {
  readonly format: number;
  /** The bundled packages and their versions. */
  readonly packages: Record<string, string>;
}

/** index.js: its kinds, and those of rest.js. */
interface HotBundle {
  readonly kinds: Record<string, ModelLoader>;
  readonly rest: readonly string[];
}

let prebuilt: Record<string, ModelLoader> | null | undefined;

/**
 * The bundled kinds' modules by specifier, when the bundles exist and were made from the installed
 * versions of the packages; null otherwise (read once).
 */
export function prebuiltModels(): Record<string, ModelLoader> | null {
  if (prebuilt === undefined) {
    const stampFile = findPackageFile(path.join(PREBUILT_MODELS_DIR, 'stamp.json'));
    prebuilt = stampFile ? readPrebuiltModels(path.dirname(stampFile)) : null;
  }
  return prebuilt;
}

/**
 * The kinds' modules of the bundles in `dir` (stamp.json, index.js, rest.js), or null when they are
 * not for the installed packages. index.js is read now; rest.js when one of its kinds is first loaded.
 */
export function readPrebuiltModels(dir: string): Record<string, ModelLoader> | null {
  let hot: HotBundle;
  try {
    const stamp = JSON.parse(readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as Stamp;
    const installed = createRequire(__filename);
    const current = stamp.format === PREBUILT_MODELS_FORMAT
      && Object.entries(stamp.packages).every(([name, version]) => (installed(`${name}/package.json`) as { version: string }).version === version);
    if (!current) return null;
    hot = createRequire(path.join(dir, 'stamp.json'))('./index.js') as HotBundle;
  } catch {
    return null; // an unreadable stamp or bundle is as good as none: the kinds are imported
  }
  const kinds: Record<string, ModelLoader> = { ...hot.kinds };
  let rest: Record<string, ModelLoader> | null | undefined;
  for (const specifier of hot.rest) {
    kinds[specifier] = () => {
      if (rest === undefined) {
        try {
          rest = (createRequire(path.join(dir, 'stamp.json'))('./rest.js') as { kinds: Record<string, ModelLoader> }).kinds;
        } catch {
          rest = null; // as good as none: its kinds are imported
        }
      }
      return rest && Object.hasOwn(rest, specifier) ? rest[specifier]() : importModel(specifier);
    };
  }
  return kinds;
}

/** The module of `specifier`, imported (Node's ES module loader, from node_modules). */
function importModel(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}

/** The module of `specifier`: from the bundles when they have it, else imported. */
export function loadModelModule(specifier: string): Promise<Record<string, unknown>> {
  const kinds = prebuiltModels();
  return kinds && Object.hasOwn(kinds, specifier) ? kinds[specifier]() : importModel(specifier);
}
