// The package as a user gets it: `npm pack` (which builds it), and a temporary project that has it
// installed from the tarball and nothing else of this repository. No network at test time: the
// project's other dependencies are links to this repository's node_modules (what `npm ci`
// installed: the same versions the registry serves), so the tarball's own files (build/, crds/,
// package.json) are the only part of the repository the project sees.
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
let tarball: string | undefined;

/** Packs the repository once (prepack builds it); returns the tarball's path. */
export function packOnce(): string {
  if (tarball) return tarball;
  const dest = mkdtempSync(join(tmpdir(), 'edge-pack-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  tarball = join(dest, out.trim().split('\n').pop()!);
  return tarball;
}

/** Installs the tarball into `dir`/node_modules and links every other dependency from this repository's. */
export function installPackage(dir: string, tgz: string): void {
  const modules = join(dir, 'node_modules');
  const target = join(modules, 'istio-aks-edge');
  mkdirSync(target, { recursive: true });
  mkdirSync(join(modules, '.bin'), { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', target, '--strip-components=1']);
  const repoModules = join(REPO, 'node_modules');
  for (const entry of readdirSync(repoModules)) {
    if (entry === '.bin' || entry.startsWith('.') || entry === 'istio-aks-edge' || existsSync(join(modules, entry))) continue;
    symlinkSync(join(repoModules, entry), join(modules, entry));
  }
  for (const bin of readdirSync(join(repoModules, '.bin'))) symlinkSync(join(repoModules, '.bin', bin), join(modules, '.bin', bin));
  // What npm does for a package's bin on install.
  const cli = join(target, 'build', 'lib', 'cli', 'main.js');
  chmodSync(cli, 0o755);
  symlinkSync(cli, join(modules, '.bin', 'istio-aks-edge'));
}

/** Runs a command in the project with its node_modules/.bin on PATH. */
export function run(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const PATH = `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PATH, ...env };
  // Nothing of the test runner's own environment leaks into the project's runs.
  for (const k of Object.keys(childEnv)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST') delete childEnv[k];
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: childEnv });
}

/** A new empty folder for a project. */
export function newProjectDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A folder to put first on PATH in which `npm install` (and `npm i`) installs the project in the
 * current folder as {@link installPackage} does (the tarball unpacked, everything else linked from
 * this repository's node_modules: no network), and every other npm command is the real npm. So a
 * command line that runs npm install (`init`, a README) runs as written, offline.
 */
export function offlineNpm(tgz: string): string {
  const real = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'edge-npm-'));
  const link = join(dir, 'install.cjs');
  writeFileSync(link, `'use strict';
// npm install, offline: what test/support/package.ts installPackage does, idempotent.
const { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');
const modules = join(process.cwd(), 'node_modules');
const target = join(modules, 'istio-aks-edge');
const repoModules = ${JSON.stringify(join(REPO, 'node_modules'))};
mkdirSync(join(modules, '.bin'), { recursive: true });
if (!existsSync(target)) {
  mkdirSync(target);
  execFileSync('tar', ['-xzf', ${JSON.stringify(tgz)}, '-C', target, '--strip-components=1']);
  chmodSync(join(target, 'build', 'lib', 'cli', 'main.js'), 0o755);
}
for (const entry of readdirSync(repoModules)) {
  if (entry.startsWith('.') || entry === 'istio-aks-edge' || existsSync(join(modules, entry))) continue;
  symlinkSync(join(repoModules, entry), join(modules, entry));
}
for (const bin of readdirSync(join(repoModules, '.bin'))) if (!existsSync(join(modules, '.bin', bin))) symlinkSync(join(repoModules, '.bin', bin), join(modules, '.bin', bin));
if (!existsSync(join(modules, '.bin', 'istio-aks-edge'))) symlinkSync(join(target, 'build', 'lib', 'cli', 'main.js'), join(modules, '.bin', 'istio-aks-edge'));
console.log('installed offline: istio-aks-edge from the tarball, the rest linked');
`);
  writeFileSync(join(dir, 'npm'), `#!/usr/bin/env bash\nif [ "$1" = install ] || [ "$1" = i ]; then exec node ${JSON.stringify(link)}; fi\nexec ${JSON.stringify(real)} "$@"\n`);
  chmodSync(join(dir, 'npm'), 0o755);
  return dir;
}
