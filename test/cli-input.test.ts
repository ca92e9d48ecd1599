// The CLIs on bad input (issue 30): `init` and output folders under /proc never spin, `init --force`
// checks every target path before writing any and writes all or nothing, `plan` exits 2 for a
// broken project or stack file. Each case checks the exit status and that nothing was touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../lib/cli/main';
import { projectFiles } from '../lib/cli/init';
import { makeDirectories, PathError } from '../lib/private/fs';

const ROOT = join(__dirname, '..');
const temp = mkdtempSync(join(tmpdir(), 'cli-input-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(temp, `case-${++n}`);
  mkdirSync(d);
  return d;
};

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** The folder's entries and their contents (a folder shows as "<dir>"), to check that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length + 1)] = e.isFile() ? readFileSync(p, 'utf8') : e.isDirectory() ? '<dir>' : '<other>';
  }
  return out;
}

const FILES = Object.keys(projectFiles('team-edge'));
const hasProc = existsSync('/proc/self');

describe('init: nothing half-written, no spin', () => {
  it.runIf(hasProc)('init /proc/x exits 2 at once (Node\'s recursive mkdir loops forever there)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'lib', 'cli', 'main.ts'), 'init', '/proc/x-edge', '--name', 'team-edge'], { encoding: 'utf8', timeout: 30_000, cwd: ROOT });
    expect(r.error).toBeUndefined();
    expect([r.status, r.signal]).toEqual([2, null]);
    expect(r.stderr).toMatch(/^init: cannot create the folder \/proc\/x-edge \(ENOENT\)/);
  }, 40_000);

  it.runIf(hasProc)('makeDirectories refuses /proc/x/y and a path through a file, at once', () => {
    expect(() => makeDirectories('/proc/x-edge/y')).toThrow(PathError);
    const d = fresh();
    writeFileSync(join(d, 'file'), 'x');
    expect(() => makeDirectories(join(d, 'file', 'sub'))).toThrow(/file is not a folder: cannot create/);
    expect(makeDirectories(join(d, 'a', 'b'))).toEqual([join(d, 'a'), join(d, 'a', 'b')]);
    expect(makeDirectories(join(d, 'a', 'b'))).toEqual([]);
  });

  it('--force where a folder of the project is a file: exit 2, nothing written', async () => {
    const d = fresh();
    writeFileSync(join(d, 'package.json'), '{"name":"mine"}\n');
    writeFileSync(join(d, 'test'), 'a file where init wants a folder\n');
    const before = snapshot(d);
    const r = await run('init', d, '--force', '--name', 'team-edge', '--no-install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test is in the way: test\/edge\.test\.ts goes inside a folder of that name, and it is not a folder/);
    expect(snapshot(d)).toEqual(before);
  });

  it('--force where a file of the project is a folder (package.json/): exit 2, nothing written', async () => {
    const d = fresh();
    mkdirSync(join(d, 'package.json'));
    writeFileSync(join(d, 'README.md'), 'mine\n');
    const before = snapshot(d);
    const r = await run('init', d, '--force', '--name', 'team-edge', '--no-install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package\.json is in the way: it is a folder, and package\.json would replace it/);
    expect(snapshot(d)).toEqual(before);
  });

  it.runIf(hasProc)('--force where a file of the project is a FIFO: exit 2, nothing written, no hang', async () => {
    const d = fresh();
    expect(spawnSync('mkfifo', [join(d, 'README.md')]).status).toBe(0);
    const r = await run('init', d, '--force', '--name', 'team-edge', '--no-install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/README\.md is in the way: it is not a regular file/);
    expect(readdirSync(d)).toEqual(['README.md']);
  });

  it('the target is a file: exit 2, the file untouched', async () => {
    const d = fresh();
    const file = join(d, 'edge');
    writeFileSync(file, 'mine\n');
    const r = await run('init', file, '--name', 'team-edge', '--no-install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edge exists and is not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('a write that fails midway leaves the folder as it was (the files are staged, then renamed)', async () => {
    const d = fresh();
    writeFileSync(join(d, 'package.json'), '{"name":"mine"}\n');
    // Something in the way of the second staged file only (the check cannot see it): the write fails after the first.
    writeFileSync(join(d, `${FILES[1]}.${process.pid}.tmp`), 'not ours\n');
    const before = snapshot(d);
    const r = await run('init', d, '--force', '--name', 'team-edge', '--no-install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(snapshot(d)).toEqual(before);
  });

  it('--force over a project of regular files replaces them all, and leaves no temporary file', async () => {
    const d = fresh();
    writeFileSync(join(d, 'package.json'), '{"name":"mine"}\n');
    writeFileSync(join(d, 'notes.txt'), 'kept\n');
    const r = await run('init', d, '--force', '--name', 'team-edge', '--no-install');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name).toBe('team-edge');
    expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe('kept\n');
    expect(Object.keys(snapshot(d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of FILES) expect(existsSync(join(d, f))).toBe(true);
  });
});

describe('plan: a broken project or stack file is an input error (exit 2)', () => {
  const project = (files: Record<string, string>) => {
    const d = fresh();
    for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
    return d;
  };
  const PULUMI_YAML = 'name: edge\nruntime: nodejs\nmain: program.ts\n';
  const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
    ['a broken Pulumi.<stack>.yaml', { 'Pulumi.yaml': PULUMI_YAML, 'Pulumi.dev.yaml': 'config:\n  a: [1, 2\n' }, ['dev'], /Pulumi\.dev\.yaml: Not valid YAML/],
    ['a broken Pulumi.yaml', { 'Pulumi.yaml': 'name: [edge\n', 'Pulumi.dev.yaml': 'config: {}\n' }, ['dev'], /Pulumi\.yaml: Not valid YAML/],
    ['a Pulumi.yaml that is a list', { 'Pulumi.yaml': '- name: edge\n', 'Pulumi.dev.yaml': 'config: {}\n' }, ['dev'], /Pulumi\.yaml: expected a mapping/],
    ['a config that is a list', { 'Pulumi.yaml': PULUMI_YAML, 'Pulumi.dev.yaml': 'config: [1]\n' }, ['dev'], /"config" must be a mapping/],
    ['a main that is not a string', { 'Pulumi.yaml': 'name: edge\nmain: 3\n', 'Pulumi.dev.yaml': 'config: {}\n' }, ['dev'], /invalid main: received 3/],
    ['a stack name that is a path', { 'Pulumi.yaml': PULUMI_YAML }, ['../x'], /invalid stack name: received "\.\.\/x"/],
  ];
  it.each(cases)('%s', async (_, files, args, message) => {
    const d = project(files);
    const before = snapshot(d);
    const r = await run('plan', ...args, '--dir', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^plan: /);
    expect(snapshot(d)).toEqual(before);
  });

  it('a Pulumi.<stack>.yaml that is a folder or a FIFO: exit 2, no hang', async () => {
    const d = project({ 'Pulumi.yaml': PULUMI_YAML });
    mkdirSync(join(d, 'Pulumi.dev.yaml'));
    const r = await run('plan', 'dev', '--dir', d);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/Pulumi\.dev\.yaml is not a regular file/)]);
    if (hasProc) {
      expect(spawnSync('mkfifo', [join(d, 'Pulumi.fifo.yaml')]).status).toBe(0);
      const f = await run('plan', 'fifo', '--dir', d);
      expect([f.code, f.stderr]).toEqual([2, expect.stringMatching(/Pulumi\.fifo\.yaml is not a regular file/)]);
    }
  });
});
