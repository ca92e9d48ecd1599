// The package as a user gets it: `npm pack` (which builds it), and a temporary project that has it
// installed from the tarball and nothing else of this repository. No network at test time: the
// project's other dependencies are links to this repository's node_modules (what `npm ci`
// installed: the same versions the registry serves), so the tarball's own files (build/, crds/,
// package.json) are the only part of the repository the project sees.
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
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
