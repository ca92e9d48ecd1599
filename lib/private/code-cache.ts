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
 * same command compiles none of those (the `v8-compile-cache` package caches at compile time too).
 *
 * What it does: while it is on, a CommonJS module below `root` is compiled as Node compiles it (the
 * same wrapper as `Module.wrap`, on lines of its own so that positions in the module's first line
 * are Node's; the same `require`), from a `vm.Script` given the cached data of its file when there
 * is one for the same text. When the process exits, the files that had none (or whose cache V8
 * refused) get theirs. A module's cache is taken once, by the first run that loads it: a function
 * that run did not call is compiled at its first call in later runs, as without the cache, until
 * the module changes. Left to Node, which compiles them as before: modules elsewhere, ES modules
 * (module syntax, `format: 'module'`), a module whose text calls `import()` (in a `vm.Script` that
 * needs either an experimental flag or an option that warns that it is experimental), and, when
 * source maps are on (`--enable-source-maps`), a module with a `sourceMappingURL` (Node maps a
 * stack only through modules it compiled). One difference remains: Node marks a module it runs as
 * executing, for its error on an ES module that requires, in a cycle, a CommonJS module that is
 * still running; nothing below `root` is such a cycle.
 *
 * Where: in Node's compile cache folder (`module.getCompileCacheDir()`, which is per Node release,
 * V8 flags and user, and is there exactly when Node's cache is on: `NODE_DISABLE_COMPILE_CACHE=1`
 * turns both off, `NODE_COMPILE_CACHE` moves both), under `istio-aks-edge/<V8's cached data version
 * tag>/<name>/`: one folder per command, since each runs other functions. Each file starts with
 * the CRC-32 and length of the module text it was taken from, so that a module whose text changed
 * is compiled afresh (V8 itself checks only the length), and the CRC-32 of V8's data, so that a
 * damaged file is never given to V8 (which checks only its version, flags and sizes in release
 * builds, and may crash on the rest). A cache that cannot be read or written is as good as none.
 */
import { randomBytes } from 'node:crypto';
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
  _extensions: object;
  _cache: object;
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
  readonly missing: Array<{ readonly file: string; readonly source: Buffer; readonly script: vm.Script }>;
}

let state: State | undefined;

/**
 * What the cache did in this process so far (undefined while it is off): modules compiled from
 * cached data, compiled without it (their cache is written at exit), and left to Node.
 */
export function codeCacheUse(): { readonly cached: number; readonly compiled: number; readonly left: number } | undefined {
  return state && { ...state.use };
}

/**
 * A cache file: the module text's CRC-32 and length (UTF-16 units), V8's data's CRC-32 and length,
 * then V8's data.
 */
const HEADER_BYTES = 16;

/** Node's CommonJS wrapper (`Module.wrap`), its halves on lines of their own: see {@link compileCached}. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n});';

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
    if ((format !== undefined && format !== 'commonjs') || !filename.startsWith(on.root) || !filename.endsWith('.js')) {
      return compile.call(this, content, filename, format);
    }
    // Node maps stacks through a module's source map only when it compiled the module itself.
    if (process.sourceMapsEnabled && content.includes('sourceMappingURL')) {
      on.use.left++;
      return compile.call(this, content, filename, format);
    }
    const entry = cacheEntry(on, content, filename);
    // A module cached before passed this test with the same text: only a new one is searched.
    if (!entry.data && callsImport(content)) {
      on.use.left++;
      return compile.call(this, content, filename, format);
    }
    let script: vm.Script;
    try {
      // A hashbang line is valid only at the very start of a script, not inside the wrapper. The
      // wrapper's head on a line of its own, one line before the module's first (lineOffset -1):
      // the module's lines and columns are its own, in stacks and for the debugger.
      const text = content.startsWith('#!') ? `//${content.slice(2)}` : content;
      script = new vm.Script(`${WRAPPER_HEAD}${text}${WRAPPER_TAIL}`, { filename, lineOffset: -1, cachedData: entry.data });
    } catch {
      // Not a script (ES module syntax, which Node detects and loads as such): Node's way.
      on.use.left++;
      return compile.call(this, content, filename, format);
    }
    if (entry.data && !script.cachedDataRejected) on.use.cached++;
    else {
      on.use.compiled++;
      on.missing.push({ file: entry.file, source: entry.source, script });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(loader, this, filename), this, filename, path.dirname(filename));
  };
  process.once('exit', () => writeMissing(on));
  return true;
}

/**
 * A module's cache file, the first half of its header (its text's CRC-32 and length), and the
 * cached data of that file when the file was taken from the same text and is whole.
 */
function cacheEntry(on: State, content: string, filename: string): { readonly file: string; readonly source: Buffer; readonly data?: Buffer } {
  const source = Buffer.alloc(8);
  source.writeUInt32LE(zlib.crc32(content), 0);
  source.writeUInt32LE(content.length, 4);
  const file = path.join(on.dir, `${path.basename(filename)}.${zlib.crc32(filename).toString(16)}.cache`);
  try {
    const bytes = fs.readFileSync(file);
    const data = bytes.subarray(HEADER_BYTES);
    if (bytes.length > HEADER_BYTES && bytes.subarray(0, 8).equals(source)
      && bytes.readUInt32LE(12) === data.length && bytes.readUInt32LE(8) === zlib.crc32(data)) return { file, source, data };
  } catch {
    // none yet
  }
  return { file, source };
}

/**
 * The `require` of a module, as Node makes it (lib/internal/modules/helpers.js makeRequireFunction);
 * `resolve` and `resolve.paths` are those of `createRequire(filename)`, which take Node's own path
 * (on Node 24, through the resolve hooks of `module.registerHooks`).
 */
function requireOf(loader: CjsLoader, mod: CjsModule, filename: string): NodeJS.Require {
  const require = (id: string): unknown => mod.require(id);
  const { resolve } = nodeModule.createRequire(filename);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: loader._extensions, cache: loader._cache }) as unknown as NodeJS.Require;
}

/**
 * Whether a module's text may call `import()`, outside comment lines; such modules are left to
 * Node, whose compile cache still covers them.
 */
function callsImport(content: string): boolean {
  for (let i = content.indexOf('import('); i >= 0; i = content.indexOf('import(', i + 7)) {
    const line = content.slice(content.lastIndexOf('\n', i) + 1, i).trimStart();
    if (!line.startsWith('*') && !line.startsWith('//') && !line.startsWith('/*')) return true;
  }
  return false;
}

/**
 * Writes the cache of the modules that had none: each file whole, to a temporary file of a name no
 * other process uses, renamed over it.
 */
function writeMissing(on: State): void {
  if (on.missing.length === 0) return;
  try {
    fs.mkdirSync(on.dir, { recursive: true });
  } catch {
    return;
  }
  for (const { file, source, script } of on.missing) {
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const data = script.createCachedData();
      const header = Buffer.alloc(HEADER_BYTES);
      source.copy(header, 0);
      header.writeUInt32LE(zlib.crc32(data), 8);
      header.writeUInt32LE(data.length, 12);
      fs.writeFileSync(tmp, Buffer.concat([header, data]), { flag: 'wx' });
      fs.renameSync(tmp, file);
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // as good as none
      }
    }
  }
  on.missing.length = 0;
}
