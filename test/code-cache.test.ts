// private/code-cache.ts: V8's code cache of the package's modules, taken after a run (issue 28's
// cold start). Modules compiled through it behave as Node's own (this, exports, require and its
// resolve, __dirname, lines and columns in stacks); a module whose text changed is compiled afresh,
// even at the same length, and a damaged cache file is never given to V8; import(), ES modules and
// source-mapped modules under --enable-source-maps are left to Node; it is off with Node's compile cache.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

// The cache needs Node 22.8+ (module.getCompileCacheDir, zlib.crc32), as the package does.
const supported = typeof nodeModule.getCompileCacheDir === 'function';
const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = path.join(dir, 'build');
const cacheDir = path.join(dir, 'node-compile-cache');
const write = (name: string, text: string) => writeFileSync(path.join(root, name), text);

/** Runs runner.js in a new process: the cache on for `root`, a.js required; returns what it printed. */
function run(env: Record<string, string> = {}, nodeArgs: string[] = []): Record<string, unknown> {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(dir, 'runner.js')], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe.skipIf(!supported)('enableCodeCache', () => {
  mkdirSync(root, { recursive: true });
  buildSync({ entryPoints: [path.join(__dirname, '..', 'lib', 'private', 'code-cache.ts')], platform: 'node', format: 'cjs', outfile: path.join(dir, 'code-cache.js'), logLevel: 'silent' });
  writeFileSync(path.join(dir, 'runner.js'), `
const nodeModule = require('node:module');
if (!process.env.NODE_DISABLE_COMPILE_CACHE) nodeModule.enableCompileCache(${JSON.stringify(cacheDir)});
const { enableCodeCache, codeCacheUse } = require('./code-cache.js');
const on = enableCodeCache({ root: ${JSON.stringify(root)}, name: 'test' });
const a = require('./build/a.js');
a.c.then((c) => console.log(JSON.stringify({ on, use: codeCacheUse(), ...a, c })));
`);
  write('a.js', `'use strict';
const b = require('./b.js');
exports.thisIsExports = this === exports;
exports.dirname = __dirname;
exports.filename = __filename;
exports.resolved = require.resolve('./b.js');
exports.paths = Array.isArray(require.resolve.paths('some-package'));
exports.main = require.main === process.mainModule;
exports.cache = require.cache === require('node:module')._cache && require.cache[__filename] === module;
exports.b = b.value();
exports.stack = (() => { try { b.fail(); } catch (e) { return e.stack.split('\\n')[1].trim(); } })();
exports.hashbang = require('./d.js');
exports.firstLine = require('./e.js');
exports.mapped = require('./f.js');
exports.c = require('./c.js');
`);
  // A stack position in the module's first line: column 18 as Node compiles it.
  write('e.js', `module.exports = new Error('here').stack.split('\\n')[1].trim();\n`);
  // A module with a source map (f.ts, as a compiler would write it): under --enable-source-maps, Node's.
  const map = { version: 3, file: 'f.js', sources: ['f.ts'], names: [], mappings: 'AAAA' };
  write('f.js', `module.exports = 'mapped';\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
  write('b.js', `exports.value = function () { return 'one'; };
exports.fail = function () {
  throw new Error('here');
};
`);
  // import() in a vm.Script needs an experimental flag: Node compiles this one.
  write('c.js', `module.exports = import('./b.js').then((m) => m.value());\n`);
  write('d.js', `#!/usr/bin/env node\nmodule.exports = 4;\n`);
  const expected = {
    on: true, thisIsExports: true, dirname: root, filename: path.join(root, 'a.js'), resolved: path.join(root, 'b.js'),
    paths: true, main: true, cache: true, b: 'one', hashbang: 4, firstLine: expect.stringMatching(/e\.js:1:18\)?$/), mapped: 'mapped', c: 'one',
  };
  /** The cache files, by module name (a.js.<hash>.cache: "a"). */
  const cacheFiles = () => {
    const base = path.join(cacheDir, readdirSync(cacheDir)[0], 'istio-aks-edge');
    return Object.fromEntries(readdirSync(base, { recursive: true }).map(String).filter((f) => f.endsWith('.cache')).map((f) => [path.basename(f).split('.')[0], path.join(base, f)]));
  };

  it('compiles the modules below its root as Node does, and caches them once the process has run', () => {
    const first = run();
    expect(first).toMatchObject({ ...expected, use: { cached: 0, compiled: 5, left: 1 } });
    expect(first.stack).toMatch(new RegExp(`${path.join(root, 'b.js').replace(/[.\\/]/g, '\\$&')}:3:`));
    expect(Object.keys(cacheFiles()).sort()).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(run()).toMatchObject({ ...expected, use: { cached: 5, compiled: 0, left: 1 } });
  });

  it('leaves a module with a source map to Node when source maps are on', () => {
    expect(run({}, ['--enable-source-maps'])).toMatchObject({ ...expected, use: { cached: 4, compiled: 0, left: 2 } });
  });

  it('never gives V8 a damaged or cut cache file: the module is compiled afresh and its cache written again', () => {
    const files = cacheFiles();
    const damaged = readFileSync(files.a);
    for (let i = damaged.length - 64; i < damaged.length - 56; i++) damaged[i] ^= 0xff;
    writeFileSync(files.a, damaged);
    writeFileSync(files.d, readFileSync(files.d).subarray(0, 40));
    expect(run()).toMatchObject({ ...expected, use: { cached: 3, compiled: 2, left: 1 } });
    expect(run()).toMatchObject({ ...expected, use: { cached: 5, compiled: 0, left: 1 } });
  });

  it('compiles afresh a module whose text changed, even at the same length', () => {
    write('b.js', `exports.value = function () { return 'two'; };
exports.fail = function () {
  throw new Error('here');
};
`);
    expect(run()).toMatchObject({ ...expected, b: 'two', c: 'two', use: { cached: 4, compiled: 1, left: 1 } });
    expect(run()).toMatchObject({ ...expected, b: 'two', c: 'two', use: { cached: 5, compiled: 0, left: 1 } });
  });

  it('is off where Node\'s compile cache is', () => {
    const off = run({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off).toMatchObject({ ...expected, b: 'two', c: 'two', on: false });
    expect(off.use).toBeUndefined();
  });
});
