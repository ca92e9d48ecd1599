/**
 * V8's code cache of the package's own compiled modules, taken when a command has run, for the
 * package's commands (its bin, and the repository's scripts/synth.cjs and scripts/cli.cjs).
 *
 * Why not only Node's compile cache (`module.enableCompileCache`, which the commands turn on as
 * well): Node takes its cache of a module when the module is compiled, before it runs, so it holds
 * the module's top-level code only. V8 compiles every function lazily, at its first call, and
 * compiles it again at every start: for the example's synth, the function bodies of the vendored
 * packages, of the schema models and of the CRD validators (ajv's standalone code, a megabyte for
 * a Rollout) were about 90 ms of a 650 ms start. A cache taken after the run
 * (`vm.Script#createCachedData`) holds every function the run compiled, so the next start of the
 * same command compiles none of them (the `v8-compile-cache` package caches at compile time too).
 *
 * What it does: while it is on, a CommonJS module below `root` is compiled as Node compiles it (the
 * same wrapper, `Module.wrap`, the same `require`), from a `vm.Script` given the cached data of its
 * file when there is one for the same text. When the process exits, the files that had none (or
 * whose cache V8 refused) get theirs. Everything else (modules elsewhere, ES modules, a module whose
 * text calls `import()`, which a `vm.Script` cannot do without an experimental flag) is compiled by
 * Node as before.
 *
 * Where: in Node's compile cache folder (`module.getCompileCacheDir()`, which is per Node release
 * and V8 flags, and is there exactly when Node's cache is on: `NODE_DISABLE_COMPILE_CACHE=1` turns
 * both off, `NODE_COMPILE_CACHE` moves both), under `istio-aks-edge/<V8's cached data version
 * tag>/<name>/`: one folder per command, since each runs other functions. Each file starts
 * with the CRC-32 and length of the module text it was taken from: a module whose text changed is
 * compiled afresh (V8 itself checks only the length). A cache that cannot be read or written is
 * as good as none.
 */
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import * as zlib from 'node:zlib';

/** A CommonJS module, as Node's loader hands it to `_compile`. */
interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
}

/**
 * The CommonJS loader's internals the cache stands in for (`Module.prototype._compile`) and uses to
 * make a module's `require` as Node does (lib/internal/modules/helpers.js makeRequireFunction);
 * @types/node does not declare them.
 */
interface CjsLoader {
  prototype: { _compile: (this: CjsModule, content: string, filename: string, format?: string) => unknown };
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _extensions: object;
  _cache: object;
  wrap(script: string): string;
}

/** Options of {@link enableCodeCache}. */
export interface CodeCacheOptions {
  /** The folder whose CommonJS modules are cached (the package's build/). */
  readonly root: string;
  /** The command the cache is for ("synth", "analyze"): each command keeps its own. */
  readonly name: string;
}

/** The cache's state while it is on. */
interface State {
  readonly root: string;
  readonly dir: string;
  /** Modules compiled from cached data, compiled without (their cache is written at exit), left to Node. */
  readonly use: { cached: number; compiled: number; left: number };
  /** Modules compiled without usable cached data: their cache is written at exit. */
  readonly missing: Array<{ readonly file: string; readonly header: Buffer; readonly script: vm.Script }>;
}

let state: State | undefined;

/**
 * What the cache did in this process so far (undefined while it is off): modules compiled from
 * cached data, compiled without it (their cache is written at exit), and left to Node.
 */
export function codeCacheUse(): { readonly cached: number; readonly compiled: number; readonly left: number } | undefined {
  return state && { ...state.use };
}

/** Bytes before V8's data in a cache file: the CRC-32 and the length (UTF-16 units) of the module's text. */
const HEADER_BYTES = 8;

/**
 * Turns the code cache on for the modules below `options.root` loaded from now on, in this
 * process's main thread; returns whether it is on (not where Node's compile cache is off, or on
 * Node releases without `module.getCompileCacheDir` and `zlib.crc32`). A second call changes nothing.
 */
export function enableCodeCache(options: CodeCacheOptions): boolean {
  if (state) return true;
  const compileCacheDir = nodeModule.getCompileCacheDir?.();
  if (!compileCacheDir || !isMainThread || typeof zlib.crc32 !== 'function') return false;
  const loader = nodeModule.Module as unknown as CjsLoader;
  const dir = path.join(compileCacheDir, 'istio-aks-edge', String(v8.cachedDataVersionTag()), options.name);
  const on: State = { root: path.resolve(options.root) + path.sep, dir, use: { cached: 0, compiled: 0, left: 0 }, missing: [] };
  state = on;
  const compile = loader.prototype._compile;
  loader.prototype._compile = function compileCached(this: CjsModule, content: string, filename: string, format?: string): unknown {
    if (format === 'module' || !filename.startsWith(on.root) || !filename.endsWith('.js')) return compile.call(this, content, filename, format);
    const entry = cacheEntry(on, content, filename);
    // A module cached before passed this test with the same text: only a new one is searched.
    if (!entry.data && callsImport(content)) {
      on.use.left++;
      return compile.call(this, content, filename, format);
    }
    let script: vm.Script;
    try {
      // A hashbang line is valid only at the very start of a script, not inside the wrapper.
      script = new vm.Script(loader.wrap(content.startsWith('#!') ? `//${content.slice(2)}` : content), { filename, cachedData: entry.data });
    } catch {
      // Not a script (ES module syntax, which Node detects and loads as such): Node's way.
      on.use.left++;
      return compile.call(this, content, filename, format);
    }
    if (entry.data && !script.cachedDataRejected) on.use.cached++;
    else {
      on.use.compiled++;
      on.missing.push({ file: entry.file, header: entry.header, script });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(loader, this), this, filename, path.dirname(filename));
  };
  process.once('exit', () => writeMissing(on));
  return true;
}

/** A module's cache file, the header its text gives, and the cached data taken for the same text if there is any. */
function cacheEntry(on: State, content: string, filename: string): { readonly file: string; readonly header: Buffer; readonly data?: Buffer } {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(zlib.crc32(content), 0);
  header.writeUInt32LE(content.length, 4);
  const file = path.join(on.dir, `${path.basename(filename)}.${zlib.crc32(filename).toString(16)}.cache`);
  try {
    const data = fs.readFileSync(file);
    if (data.length > HEADER_BYTES && data.subarray(0, HEADER_BYTES).equals(header)) return { file, header, data: data.subarray(HEADER_BYTES) };
  } catch {
    // none yet
  }
  return { file, header };
}

/** The `require` of a module, as Node makes it (lib/internal/modules/helpers.js makeRequireFunction). */
function requireOf(loader: CjsLoader, mod: CjsModule): NodeJS.Require {
  const require = (id: string): unknown => mod.require(id);
  const resolve = (request: string, options?: { paths?: string[] }): string => loader._resolveFilename(request, mod, false, options);
  resolve.paths = (request: string): string[] | null => loader._resolveLookupPaths(request, mod);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: loader._extensions, cache: loader._cache }) as unknown as NodeJS.Require;
}

/**
 * Whether a module's text may call `import()`, outside comment lines (a `vm.Script` cannot: that
 * needs an experimental flag); such modules are left to Node, whose compile cache still covers them.
 */
function callsImport(content: string): boolean {
  for (let i = content.indexOf('import('); i >= 0; i = content.indexOf('import(', i + 7)) {
    const line = content.slice(content.lastIndexOf('\n', i) + 1, i).trimStart();
    if (!line.startsWith('*') && !line.startsWith('//') && !line.startsWith('/*')) return true;
  }
  return false;
}

/** Writes the cache of the modules that had none: each file whole (a temporary file renamed over it). */
function writeMissing(on: State): void {
  if (on.missing.length === 0) return;
  try {
    fs.mkdirSync(on.dir, { recursive: true });
  } catch {
    return;
  }
  for (const { file, header, script } of on.missing) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]));
      fs.renameSync(tmp, file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  on.missing.length = 0;
}
