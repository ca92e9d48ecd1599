// Brings build/ up to date with the TypeScript of lib/, apps/ and imports/, file by file, the way
// make does: a .ts file newer than its .js (or without one) is transpiled again with esbuild
// (what tsx ran before: the same transpiler, no type checking; `npm run typecheck` and `npm test`
// type-check), a .js whose .ts is gone is removed, and a change of tsconfig.json's compiler
// options or of esbuild's version (recorded in build/.compile-stamp.json) transpiles everything
// again. Output goes where `npm run build` (tsc) puts it, so either one's files serve the other.
// Then, when crds/ or the validation code changed, the validators of the vendored CRDs are
// generated again (build/crd-validators/).
// Plain JavaScript: it runs before anything is compiled. Used by scripts/synth.cjs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The folders compiled, relative to the repository. */
const SOURCE_DIRS = ['lib', 'apps', 'imports'];
const STAMP = '.compile-stamp.json';
/**
 * esbuild's options. `platform: 'node'` makes the CommonJS output end with the
 * `0 && (module.exports = { ... })` annotation that Node's CommonJS export detection reads: without
 * it, a module loaded through `import()` (lib/cli/main.ts loads each command so) shows only
 * `default`, and `(await import('./init.js')).runInit` is undefined. tsc's output
 * (`exports.runInit = ...`) is detected as it is; with the annotation both outputs serve alike.
 * The options are part of the stamp: a change of them transpiles everything again.
 */
const TRANSFORM = { loader: 'ts', format: 'cjs', platform: 'node', keepNames: true };

function walk(dir, keep, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(e.name)) out.push(p);
  }
  return out;
}

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Transpiles what changed; returns the files transpiled and removed (paths relative to `root`).
 * @param {string} root the repository
 * @param {{ outDir?: string, dirs?: string[] }} [options]
 */
function compileStale(root, options = {}) {
  const outDir = path.join(root, options.outDir ?? 'build');
  const dirs = options.dirs ?? SOURCE_DIRS;
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const esbuildVersion = JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json', { paths: [root] }), 'utf8')).version;
  const settings = JSON.stringify({ esbuild: esbuildVersion, transform: TRANSFORM, compilerOptions: tsconfig.compilerOptions });
  const stampFile = path.join(outDir, STAMP);
  let stamp;
  try {
    stamp = fs.readFileSync(stampFile, 'utf8');
  } catch {
    stamp = undefined;
  }
  // Without a stamp (a fresh clone, or build/ from tsc alone) the files' times decide; the stamp
  // then records the settings, and a later change of them transpiles everything again.
  const all = stamp !== undefined && stamp !== settings;
  const stale = [];
  const removed = [];
  for (const dir of dirs) {
    const sources = walk(path.join(root, dir), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
    const expected = new Set();
    for (const src of sources) {
      const out = path.join(outDir, path.relative(root, src)).replace(/\.ts$/, '.js');
      expected.add(out);
      if (all || mtime(src) > mtime(out)) stale.push([src, out]);
    }
    for (const js of walk(path.join(outDir, dir), (n) => n.endsWith('.js'))) {
      if (!expected.has(js)) {
        for (const f of [js, js.replace(/\.js$/, '.d.ts'), `${js}.map`]) fs.rmSync(f, { force: true });
        removed.push(path.relative(root, js));
      }
    }
  }
  if (stale.length) {
    const esbuild = require(require.resolve('esbuild', { paths: [root] }));
    for (const [src, out] of stale) {
      const { code } = esbuild.transformSync(fs.readFileSync(src, 'utf8'), {
        ...TRANSFORM, target: `node${process.versions.node}`, sourcefile: src,
        tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
      });
      writeAtomically(out, code);
    }
  }
  if (stamp !== settings) writeAtomically(stampFile, settings);
  const validators = generateValidators(root, outDir);
  return { transpiled: stale.map(([src]) => path.relative(root, src)), removed, validators };
}

/**
 * Generates build/crd-validators/ (lib/analysis/schema/crd-schema.ts `writePrebuiltValidators`) when it is
 * older than a vendored CRD file or than the code that writes it. The validation checks each CRD
 * file's hash against the index anyway: a stale index costs time, never a wrong answer.
 */
function generateValidators(root, outDir) {
  const crdDir = path.join(root, 'crds');
  const crdFiles = walk(crdDir, (n) => /\.ya?ml$/.test(n)).sort();
  const crdSchema = path.join(outDir, 'lib', 'analysis', 'schema', 'crd-schema.js');
  const index = path.join(outDir, 'crd-validators', 'index.json');
  if (!fs.existsSync(crdSchema) || crdFiles.length === 0) return false;
  const built = mtime(index);
  const inputs = [...crdFiles, crdDir, path.join(root, 'schemas'), ...walk(path.join(root, 'schemas'), () => true), crdSchema, path.join(outDir, 'lib', 'private', 'ajv.js')];
  if (built >= 0 && inputs.every((f) => mtime(f) <= built)) return false;
  const schemaFiles = walk(path.join(root, 'schemas'), (n) => n.endsWith('.json')).sort();
  require(crdSchema).writePrebuiltValidators(crdFiles, path.join(outDir, 'crd-validators'), schemaFiles);
  return true;
}

module.exports = { compileStale, generateValidators, SOURCE_DIRS };

// `node scripts/compile.cjs --validators` (the end of `npm run build`): generates the validators of
// the vendored CRDs from the freshly built build/lib/, whatever their age.
if (require.main === module) {
  const root = path.join(__dirname, '..');
  if (process.argv[2] !== '--validators') {
    console.error('usage: node scripts/compile.cjs --validators');
    process.exit(2);
  }
  const outDir = path.join(root, 'build');
  fs.rmSync(path.join(outDir, 'crd-validators', 'index.json'), { force: true });
  generateValidators(root, outDir);
}
