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
  const models = generateSchemaModels(root, outDir);
  const vendor = generateVendor(root, outDir);
  return { transpiled: stale.map(([src]) => path.relative(root, src)), removed, validators, models, vendor };
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

/**
 * The packages of the published schemas' models (lib/analysis/schema/schema.ts schemaModule) and
 * the layout of their bundles (lib/analysis/schema/prebuilt-models.ts PREBUILT_MODELS_FORMAT).
 */
const SCHEMA_PACKAGES = ['kubernetes-models', '@kubernetes-models/istio', '@kubernetes-models/prometheus-operator', '@kubernetes-models/cert-manager'];
const SCHEMA_MODELS_FORMAT = 2;
/**
 * CommonJS packages the models use that stay outside the bundles, loaded from node_modules as before:
 * ajv-formats-draft2019 requires Node's `punycode`, which warns (DEP0040) when code outside
 * node_modules requires it; re2-wasm (the prometheus-operator models' patterns) reads re2.wasm
 * beside its own file (`__dirname`), which in a bundle would be build/schema-models/.
 */
const SCHEMA_MODELS_EXTERNAL = ['ajv-formats-draft2019', 're2-wasm'];
/**
 * ajv-formats-draft2019's formats (iri, idn-email, ...: its formats/index.js, as
 * @kubernetes-models/validate imports it), in the bundles as a stand-in that requires the package
 * at the first call of one of them: requiring it loads about 20 files (uri-js, nearley's e-mail
 * grammar, the IANA URI schemes' lists), about 10 ms that every start paid at its first kind, and no
 * kind's validator calls these formats (they use int32, int64, double, byte, date-time and
 * quantity). Each function is the package's own, called with the same arguments; duration, a
 * regular expression, is required as it is. Refused when the package's index no longer is
 * {@link FORMATS_2019_INDEX}.
 */
const FORMATS_2019 = 'ajv-formats-draft2019/formats/index.js';
const FORMATS_2019_INDEX = `module.exports.iri = require('./iri');
module.exports.duration = require('./duration');
module.exports['idn-email'] = require('./idn-email');
module.exports['idn-hostname'] = require('./idn-hostname');
module.exports['iri-reference'] = require('./iri-reference');
`;
const LAZY_FORMATS_2019 = `// ${FORMATS_2019}, required at the first call of one of its functions (scripts/compile.cjs).
let formats;
const load = () => formats ??= require('ajv-formats-draft2019/formats');
const lazy = (name) => function (...args) { return load()[name].apply(this, args); };
module.exports.iri = lazy('iri');
module.exports.duration = require('ajv-formats-draft2019/formats/duration.js');
module.exports['idn-email'] = lazy('idn-email');
module.exports['idn-hostname'] = lazy('idn-hostname');
module.exports['iri-reference'] = lazy('iri-reference');
`;
/**
 * The kinds the package's constructs emit (the example's and the goldens' among them:
 * test/analysis/prebuilt-models.test.ts checks), bundled apart in build/schema-models/index.js, the
 * only file a synth of them reads; the other kinds are in rest.js, read when one of them is first
 * validated. A kind missing here costs time (rest.js read too), never a different result.
 */
const SCHEMA_MODELS_HOT = [
  'kubernetes-models/v1/ConfigMap', 'kubernetes-models/v1/Namespace', 'kubernetes-models/v1/Service', 'kubernetes-models/v1/ServiceAccount',
  'kubernetes-models/apps/v1/Deployment', 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'kubernetes-models/rbac.authorization.k8s.io/v1/Role', 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
  '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule', '@kubernetes-models/istio/networking.istio.io/v1/Gateway',
  '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry', '@kubernetes-models/istio/networking.istio.io/v1/Sidecar',
  '@kubernetes-models/istio/networking.istio.io/v1/VirtualService', '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter',
  '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy', '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication',
  '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication', '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry',
  '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor', '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
  '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate',
];

/**
 * The kinds of {@link SCHEMA_PACKAGES}, by specifier ("kubernetes-models/apps/v1/Deployment"), sorted:
 * the <group>/<version>/<Kind>.js (v1/<Kind>.js for the core group) files defining a model with an
 * apiVersion (the others are field types, which schema.ts never asks for).
 * @param {(specifier: string) => boolean} [wanted] which kinds (all by default)
 */
function schemaModelKinds(root, wanted = () => true) {
  const kinds = [];
  for (const pkg of SCHEMA_PACKAGES) {
    const pkgDir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
    for (const file of walk(pkgDir, (n) => n.endsWith('.js') && n !== 'index.js')) {
      const rel = path.relative(pkgDir, file).split(path.sep);
      if (rel.length < 2 || rel.length > 3 || rel[0] === '_schemas' || rel[0] === 'node_modules') continue;
      const specifier = `${pkg}/${rel.join('/').replace(/\.js$/, '')}`;
      if (wanted(specifier) && fs.readFileSync(file, 'utf8').includes('this.apiVersion=')) kinds.push(specifier);
    }
  }
  return kinds.sort();
}

/**
 * Bundles the published schemas' models (every kind of {@link SCHEMA_PACKAGES}: ES modules, about
 * ten files per kind) into two CommonJS files of build/schema-models/ whose kinds' code runs when a
 * kind is first loaded (lib/analysis/schema/prebuilt-models.ts): index.js, the kinds of
 * {@link SCHEMA_MODELS_HOT} (about 1 MB) and the list of the others, and rest.js, the others
 * (about 4.7 MB; the packages' shared code is in both); stamp.json records the packages' versions.
 * Again when those versions, esbuild's, the hot kinds or the layout change. Both come from one
 * esbuild build, which takes as long as the one file of all kinds did (about 1.2 s on a
 * 2-core machine, alternated pairs). The example's synth reads index.js only: requiring it and running its 19 kinds'
 * code takes about 25 ms, against 80 for the one file of all kinds (5 MB) that required
 * ajv-formats-draft2019 at the first kind (medians of 11 alternated pairs, Node 22 with its compile
 * cache, on a loaded 2-core machine). Returns whether it bundled.
 * @param {{ kinds?: (specifier: string) => boolean, hot?: readonly string[] }} [options] kinds: which kinds (all by default;
 *   tests bundle a few); hot: the kinds of index.js ({@link SCHEMA_MODELS_HOT} by default)
 */
function generateSchemaModels(root, outDir, options = {}) {
  const dir = path.join(outDir, 'schema-models');
  const wanted = options.kinds ?? (() => true);
  const hotKinds = options.hot ?? SCHEMA_MODELS_HOT;
  const resolve = (spec, from = root) => require.resolve(spec, { paths: [from] });
  const versions = {};
  // With the package the bundles stand in for in part (LAZY_FORMATS_2019): another version of it is another bundle.
  for (const pkg of [...SCHEMA_PACKAGES, 'ajv-formats-draft2019']) versions[pkg] = JSON.parse(fs.readFileSync(resolve(`${pkg}/package.json`), 'utf8')).version;
  const esbuildVersion = JSON.parse(fs.readFileSync(resolve('esbuild/package.json'), 'utf8')).version;
  // Minified: a bundle's load time is mostly reading it and deserializing its compile cache,
  // both in proportion to its size (all kinds: 9 MB, 55 ms CPU; minified 5 MB, 37 ms). The packages'
  // code is minified already; keepNames keeps the classes' and functions' names.
  const build = { minify: true, keepNames: true, external: SCHEMA_MODELS_EXTERNAL };
  const stamp = `${JSON.stringify({ format: SCHEMA_MODELS_FORMAT, packages: versions, esbuild: esbuildVersion, build, hot: hotKinds }, null, 2)}\n`;
  const stampFile = path.join(dir, 'stamp.json');
  try {
    if (fs.readFileSync(stampFile, 'utf8') === stamp && ['index.js', 'rest.js'].every((f) => fs.existsSync(path.join(dir, f)))) return false;
  } catch {
    // no stamp: bundle
  }
  const kinds = schemaModelKinds(root, wanted);
  // A misspelt hot kind would silently cost the example rest.js: refused.
  for (const k of hotKinds) if (wanted(k) && !kinds.includes(k)) throw new Error(`compile: SCHEMA_MODELS_HOT names ${k}, which no package of ${SCHEMA_PACKAGES.join(', ')} defines`);
  const hot = kinds.filter((k) => hotKinds.includes(k));
  const rest = kinds.filter((k) => !hotKinds.includes(k));
  const loaders = (list) => `export const kinds = {\n${list.map((k) => `  ${JSON.stringify(k)}: () => import(${JSON.stringify(k)}),`).join('\n')}\n};\n`;
  const esbuild = require(resolve('esbuild'));
  const tmp = `${dir}.${process.pid}.tmp`;
  const src = path.join(tmp, 'src');
  fs.rmSync(tmp, { recursive: true, force: true });
  // A failure (an esbuild error, a check below) leaves no half-written folder behind.
  try {
    // Both bundles in one build (the packages' files are read and parsed once), from entries
    // written in the temporary folder, inside the repository: the packages resolve from there.
    writeAtomically(path.join(src, 'index.js'), `${loaders(hot)}/** The kinds of rest.js. */\nexport const rest = ${JSON.stringify(rest)};\n`
      + '/** The formats the models\' validators use (for the tests). */\nexport { formats } from \'@kubernetes-models/validate\';\n');
    writeAtomically(path.join(src, 'rest.js'), loaders(rest));
    if (fs.readFileSync(resolve(FORMATS_2019), 'utf8').replace(/\r\n/g, '\n') !== FORMATS_2019_INDEX) {
      throw new Error(`compile: ${FORMATS_2019} is no longer what the schema models' stand-in for it expects (scripts/compile.cjs LAZY_FORMATS_2019): look again`);
    }
    writeAtomically(path.join(src, 'lazy-formats.js'), LAZY_FORMATS_2019);
    const result = esbuild.buildSync({
      entryPoints: [path.join(src, 'index.js'), path.join(src, 'rest.js')], outbase: src, outdir: tmp,
      alias: { [FORMATS_2019]: `./${path.relative(root, path.join(src, 'lazy-formats.js')).split(path.sep).join('/')}` }, // LAZY_FORMATS_2019
      absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node}`, ...build, metafile: true, logLevel: 'silent',
      banner: { js: '// The published schemas\' models (kubernetes-models, @kubernetes-models/*), bundled by scripts/compile.cjs: do not edit.' },
    });
    fs.rmSync(src, { recursive: true, force: true });
    // What stays outside must be what the packages would have loaded: the same file from here.
    let standIns = 0;
    for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
      for (const i of imports) {
        if (i.path.startsWith('<')) continue; // esbuild's own runtime helpers
        if (i.original === FORMATS_2019) {
          // The stand-in requires the copy of the package that the importer would have.
          if (resolve(FORMATS_2019, path.dirname(path.join(root, input))) !== resolve('ajv-formats-draft2019/formats', dir)) throw new Error(`compile: ${FORMATS_2019} (required by ${input}) resolves elsewhere from ${dir}`);
          standIns++;
          continue;
        }
        if (!i.external || i.path.startsWith('node:') || require('node:module').isBuiltin(i.path)) {
          if (i.path === 'punycode' || i.path === 'node:punycode') throw new Error(`compile: ${input} requires punycode inside the schema models' bundles (add its package to SCHEMA_MODELS_EXTERNAL)`);
          continue;
        }
        const from = resolve(i.path, path.dirname(path.join(root, input)));
        if (resolve(i.path, dir) !== from) throw new Error(`compile: ${i.path} (required by ${input}) resolves elsewhere from ${dir}`);
      }
    }
    if (!standIns) throw new Error(`compile: no package of the schema models imports ${FORMATS_2019} any more: remove LAZY_FORMATS_2019`);
    // A package that finds files beside its own (__dirname, __filename) would look in the bundles' folder.
    for (const f of ['index.js', 'rest.js']) {
      if (/\b__(dirname|filename)\b/.test(fs.readFileSync(path.join(tmp, f), 'utf8'))) {
        throw new Error('compile: a package in the schema models\' bundles reads __dirname or __filename, which would be the bundle\'s: add it to SCHEMA_MODELS_EXTERNAL');
      }
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeAtomically(path.join(tmp, 'stamp.json'), stamp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return true;
}

/**
 * The packages the compiled code requires by name on the way of `npm run synth`, `analyze` and
 * `explain` (the Pulumi packages, loaded by `plan` only, are not among them), and the layout of
 * their bundle.
 */
const VENDOR_PACKAGES = ['cdk8s', 'constructs', 'cdk8s-plus-27', 'js-yaml', '@marcbachmann/cel-js', '@prometheus-io/lezer-promql', 're2js'];
const VENDOR_FORMAT = 1;

/**
 * Bundles {@link VENDOR_PACKAGES} with what they require (about 180 files: cdk8s's yaml alone is 72)
 * into build/vendor/index.js, one CommonJS file whose packages' code runs when a package is first
 * required, for the repository's own commands ({@link useVendor}): loading them file by file took
 * about 125 ms CPU, from the bundle about 70. Made again when a package's version, the installed
 * tree (node_modules/.package-lock.json), esbuild or the layout change. Returns whether it bundled.
 */
function generateVendor(root, outDir) {
  const dir = path.join(outDir, 'vendor');
  const resolve = (spec, from = root) => require.resolve(spec, { paths: [from] });
  const packageJson = (pkg) => {
    // A package whose exports hide its package.json: the nearest one above its entry.
    for (let d = path.dirname(resolve(pkg)); ; d = path.dirname(d)) {
      const f = path.join(d, 'package.json');
      if (fs.existsSync(f)) {
        const json = JSON.parse(fs.readFileSync(f, 'utf8'));
        if (json.name === pkg) return json;
      }
      if (path.dirname(d) === d) throw new Error(`compile: no package.json of ${pkg}`);
    }
  };
  const versions = {};
  for (const pkg of VENDOR_PACKAGES) versions[pkg] = packageJson(pkg).version;
  const lock = path.join(root, 'node_modules', '.package-lock.json');
  const stamp = `${JSON.stringify({ format: VENDOR_FORMAT, packages: versions, installed: mtime(lock), esbuild: packageJson('esbuild').version }, null, 2)}\n`;
  try {
    if (fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8') === stamp && fs.existsSync(path.join(dir, 'index.js'))) return false;
  } catch {
    // no stamp: bundle
  }
  const entry = `module.exports = {\n${VENDOR_PACKAGES.map((p) => `  ${JSON.stringify(p)}: () => require(${JSON.stringify(p)}),`).join('\n')}\n};\n`;
  const esbuild = require(resolve('esbuild'));
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  let code;
  try {
    const result = esbuild.buildSync({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'vendor.js', loader: 'js' },
      absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node}`, keepNames: true,
      write: false, outfile: path.join(tmp, 'index.js'), metafile: true, logLevel: 'silent',
      banner: { js: '// Packages the compiled code requires (scripts/compile.cjs VENDOR_PACKAGES), bundled: do not edit.' },
    });
    for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
      for (const i of imports) {
        if (i.path.startsWith('<')) continue;
        if (i.path === 'punycode' || i.path === 'node:punycode') throw new Error(`compile: ${input} requires punycode, which warns from outside node_modules: leave its package out of VENDOR_PACKAGES`);
        if (i.external && !require('node:module').isBuiltin(i.path)) throw new Error(`compile: ${input} requires ${i.path}, which the vendor bundle leaves outside`);
      }
    }
    // cdk8s's Yaml.load runs _loadurl.mjs beside its own module: from the bundle, the same file.
    code = result.outputFiles[0].text;
    const loadurl = '__dirname, "_loadurl.mjs"';
    if (code.split(loadurl).length !== 2) throw new Error('compile: cdk8s no longer finds _loadurl.mjs as the vendor bundle expects (lib/yaml.js): look again');
    code = code.replace(loadurl, `require("node:path").dirname(require.resolve("cdk8s/lib/_loadurl.mjs")), "_loadurl.mjs"`);
    if (/\b__(dirname|filename)\b/.test(code)) throw new Error('compile: a vendored package reads __dirname or __filename, which would be the bundle\'s: leave it out of VENDOR_PACKAGES');
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeAtomically(path.join(tmp, 'index.js'), code);
  writeAtomically(path.join(tmp, 'stamp.json'), stamp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return true;
}

/**
 * Makes `require` of a vendored package by the compiled code return the bundle's
 * (build/vendor/, {@link generateVendor}): the same packages' code, one instance of each, read from
 * one file. Node's module cache gets, under the file each package resolves to from build/, an
 * entry whose exports are the bundle's (evaluated at the first require); a copy of a package
 * installed elsewhere (another version nested in a dependency) resolves to another file and is
 * loaded as before. For the repository's commands only (scripts/synth.cjs, cli.cjs), never for
 * the package's users. Without a bundle, nothing changes.
 */
function useVendor(root, outDir = path.join(root, 'build')) {
  let vendor;
  try {
    vendor = require(path.join(outDir, 'vendor', 'index.js'));
  } catch {
    return false;
  }
  const Module = require('node:module');
  const from = path.join(outDir, 'lib');
  for (const [pkg, get] of Object.entries(vendor)) {
    let filename;
    try {
      filename = require.resolve(pkg, { paths: [from] });
    } catch {
      continue;
    }
    if (Module._cache[filename]) continue;
    const m = new Module(filename, null);
    m.filename = filename;
    m.loaded = true;
    Object.defineProperty(m, 'exports', { get, set() {}, enumerable: true, configurable: true });
    Module._cache[filename] = m;
  }
  return true;
}

module.exports = { compileStale, generateValidators, generateSchemaModels, schemaModelKinds, SCHEMA_MODELS_HOT, generateVendor, useVendor, SOURCE_DIRS };

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
  generateSchemaModels(root, outDir);
}
