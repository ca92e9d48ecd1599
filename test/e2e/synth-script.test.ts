// `npm run synth` (scripts/synth.cjs, also cdk8s.yaml's app) runs compiled JavaScript: it brings
// build/ up to date with lib/, apps/ and imports/ (scripts/compile.cjs) and runs build/apps/main.js.
// Run on a copy of the repository (its own build/, so that the package test's `npm pack` cannot
// race it): the output is the goldens', an edit is never run stale, and only what changed is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'edge-synth-script-'));
for (const f of ['lib', 'apps', 'imports', 'crds', 'schemas', 'scripts', 'tsconfig.json', 'package.json', 'cdk8s.yaml']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

interface Run { transpiled: number; removed: number; validators: string; models: string; vendor: string; stdout: string; stderr: string; status: number | null }

/** Runs the synth script in the copy, with its report (SYNTH_VERBOSE). */
function synth(out: string, args = ['--output', out]): Run {
  const r = spawnSync(process.execPath, [join(copy, 'scripts', 'synth.cjs'), ...args], {
    cwd: copy, encoding: 'utf8', env: { ...process.env, SYNTH_VERBOSE: '1', CDK8S_OUTDIR: undefined },
  });
  const m = /synth: transpiled (\d+), removed (\d+), validators (generated|up to date), models (bundled|up to date), vendor (bundled|up to date)/.exec(r.stderr);
  return { transpiled: Number(m?.[1] ?? -1), removed: Number(m?.[2] ?? -1), validators: m?.[3] ?? '', models: m?.[4] ?? '', vendor: m?.[5] ?? '', stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * Makes `file` (something the script wrote) ten minutes old, as if the edit that follows came later:
 * so that the test does not depend on the clock's resolution.
 */
function age(file: string): void {
  const t = new Date(Date.now() - 600_000);
  utimesSync(file, t, t);
}

const out = (name: string) => join(copy, 'out', name);
const golden = (env: string) => readFileSync(join(ROOT, 'test', 'goldens', `${env}.k8s.yaml`), 'utf8');
const sources = (['lib', 'apps', 'imports'] as const).map((d) => spawnSync('find', [join(copy, d), '-name', '*.ts', '-not', '-name', '*.d.ts'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length).reduce((a, b) => a + b, 0);

describe('npm run synth (scripts/synth.cjs)', () => {
  it('is what npm run synth and cdk8s synth run', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.synth).toBe('node scripts/synth.cjs');
    const cdk8sYaml = readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8');
    // The cdk8s CLI deletes its output folder before it runs the app: that folder is a scratch one,
    // and the app writes dist/ itself (see the test of a failed synth below).
    expect(cdk8sYaml).toMatch(/^app: node scripts\/synth\.cjs --output dist$/m);
    expect(cdk8sYaml).toMatch(/^output: build\/cdk8s\.out$/m);
  });

  it('compiles everything on a fresh clone, writes the goldens, then compiles nothing until something changes', () => {
    const first = synth(out('1'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.transpiled).toBe(sources);
    expect(first.validators).toBe('generated');
    expect(existsSync(join(copy, 'build', 'crd-validators', 'index.json'))).toBe(true);
    // The published schemas' models, bundled (lib/analysis/schema/prebuilt-models.ts): the kinds the
    // constructs emit in index.js, the others in rest.js.
    expect(first.models).toBe('bundled');
    for (const f of ['index.js', 'rest.js']) expect(existsSync(join(copy, 'build', 'schema-models', f))).toBe(true);
    // The packages the build requires (cdk8s, cdk8s-plus-27, ...), bundled for the scripts (compile.cjs useVendor).
    expect(first.vendor).toBe('bundled');
    expect(existsSync(join(copy, 'build', 'vendor', 'index.js'))).toBe(true);
    for (const env of ['dev', 'prod']) expect(readFileSync(join(out('1'), env, 'edge.k8s.yaml'), 'utf8')).toBe(golden(env));
    const second = synth(out('2'));
    expect([second.status, second.transpiled, second.removed, second.validators, second.models, second.vendor]).toEqual([0, 0, 0, 'up to date', 'up to date', 'up to date']);
    expect(readFileSync(join(out('2'), 'prod', 'edge.k8s.yaml'), 'utf8')).toBe(golden('prod'));
  }, 300_000);

  it('leaves a working bin: every command of build/lib/cli/main.js runs from what synth compiled (esbuild), as from tsc\'s output', () => {
    if (!existsSync(join(copy, 'build', 'lib', 'cli', 'main.js'))) expect(synth(out('1')).status).toBe(0);
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(copy, 'build', 'lib', 'cli', 'main.js'), ...args], { cwd: copy, encoding: 'utf8' });
    for (const command of ['init', 'analyze', 'explain', 'plan']) {
      const help = cli(command, '--help');
      expect([command, help.status, help.stderr]).toEqual([command, 0, '']);
      expect(help.stdout).toMatch(/usage/i);
    }
    const analyzed = cli('analyze', join(out('1'), 'prod'));
    expect([analyzed.status, analyzed.stderr]).toEqual([0, '']);
    expect(analyzed.stdout).toMatch(/0 errors/);
    const explained = cli('explain', join(out('1'), 'prod'), '--host', 'shop.example.com', '--scheme', 'https', '--path', '/api/items', '--json');
    expect([explained.status, explained.stderr]).toEqual([0, '']);
    expect(JSON.parse(explained.stdout)).toMatchObject({ decision: 'routed' });
    const project = join(copy, 'out', 'init-project');
    const init = cli('init', project, '--no-install');
    expect([init.status, init.stderr]).toEqual([0, '']);
    expect(existsSync(join(project, 'package.json'))).toBe(true);
  }, 300_000);

  it('runs an edit of lib/ or apps/ at once: only the edited file is compiled again', () => {
    const file = join(copy, 'lib', 'synth', 'yaml.ts');
    const text = readFileSync(file, 'utf8');
    // The YAML writer now ends every manifest with a comment: the output must show it.
    writeFileSync(file, text.replace(/export function dumpManifest\(([^)]*)\): string \{/, 'export function dumpManifest($1): string {\n  return dumpManifestEdited(object) + \'# edited\\n\';\n}\nfunction dumpManifestEdited($1): string {'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);
    age(join(copy, 'build', 'lib', 'synth', 'yaml.js'));
    const edited = synth(out('3'));
    expect([edited.status, edited.transpiled], edited.stderr).toEqual([0, 1]);
    expect(readFileSync(join(out('3'), 'prod', 'edge.k8s.yaml'), 'utf8')).toMatch(/# edited\n/);
    writeFileSync(file, text);
    age(join(copy, 'build', 'lib', 'synth', 'yaml.js'));
    const restored = synth(out('4'));
    expect([restored.status, restored.transpiled]).toEqual([0, 1]);
    expect(readFileSync(join(out('4'), 'prod', 'edge.k8s.yaml'), 'utf8')).toBe(golden('prod'));
  }, 300_000);

  it('removes the JavaScript of a deleted source, and compiles everything again when the compiler options change', () => {
    writeFileSync(join(copy, 'apps', 'extra.ts'), 'export const extra = 1;\n');
    expect(synth(out('5')).transpiled).toBe(1);
    expect(existsSync(join(copy, 'build', 'apps', 'extra.js'))).toBe(true);
    rmSync(join(copy, 'apps', 'extra.ts'));
    const removed = synth(out('6'));
    expect([removed.status, removed.transpiled, removed.removed]).toEqual([0, 0, 1]);
    expect(existsSync(join(copy, 'build', 'apps', 'extra.js'))).toBe(false);
    const tsconfig = JSON.parse(readFileSync(join(copy, 'tsconfig.json'), 'utf8'));
    writeFileSync(join(copy, 'tsconfig.json'), JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, useDefineForClassFields: true } }));
    expect(synth(out('7')).transpiled).toBe(sources);
  }, 300_000);

  it('generates the CRD validators again when a vendored CRD file changes', () => {
    age(join(copy, 'build', 'crd-validators', 'index.json'));
    const crd = join(copy, 'crds', 'gateway-api-v1.5.1-standard-install.yaml');
    utimesSync(crd, new Date(), new Date());
    const r = synth(out('8'));
    expect([r.status, r.validators]).toEqual([0, 'generated']);
    expect(synth(out('9')).validators).toBe('up to date');
  }, 300_000);

  it('takes --output, else $CDK8S_OUTDIR, and refuses other arguments', () => {
    const r = synth('', ['--verbose']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown argument --verbose: the options are --output <dir>.*--quiet and --json/);
    const env = spawnSync(process.execPath, [join(copy, 'scripts', 'synth.cjs')], { cwd: copy, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: out('10') } });
    expect(env.status, env.stderr).toBe(0);
    expect(readFileSync(join(out('10'), 'dev', 'edge.k8s.yaml'), 'utf8')).toBe(golden('dev'));
    // An output folder that cannot be created fails at once (Node's recursive mkdir spins forever under /proc).
    if (existsSync('/proc/self')) {
      const proc = spawnSync(process.execPath, [join(copy, 'scripts', 'synth.cjs'), '--output', '/proc/x-edge'], { cwd: copy, encoding: 'utf8', timeout: 60_000 });
      expect([proc.status, proc.signal], proc.stderr).toEqual([2, null]);
      expect(proc.stderr).toMatch(/cannot create the folder \/proc\/x-edge \(ENOENT\)/);
    }
  }, 300_000);

  it('exits 1 and writes nothing when validation or analysis finds an error', () => {
    const file = join(copy, 'apps', 'main.ts');
    const text = readFileSync(file, 'utf8');
    // A Service whose port is a name where Kubernetes wants a number: constructs accept raw objects,
    // the schema validation of synth must not.
    writeFileSync(file, `import { ApiObject } from 'cdk8s';\n${text.replace('const app = buildEdgeApp(env);',
      "const app = buildEdgeApp(env);\n    new ApiObject(edgeChartOf(app), 'broken', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'broken', namespace: 'shop' }, spec: { ports: [{ port: 'http' }] } });")}`);
    expect(readFileSync(file, 'utf8')).toMatch(/'broken'/);
    age(join(copy, 'build', 'apps', 'main.js'));
    const before = readFileSync(join(out('10'), 'dev', 'edge.k8s.yaml'), 'utf8');
    const failed = synth(out('10'));
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/Service shop\/broken/);
    expect(failed.stderr).toMatch(/nothing was written to .*out\/10\//);
    expect(readFileSync(join(out('10'), 'dev', 'edge.k8s.yaml'), 'utf8')).toBe(before);
    expect(spawnSync('find', [out('10'), '-name', '*.tmp'], { encoding: 'utf8' }).stdout).toBe('');
    // The same failure through the cdk8s CLI, which deletes its output folder first: dist/ stays.
    mkdirSync(join(copy, 'dist', 'dev'), { recursive: true });
    writeFileSync(join(copy, 'dist', 'dev', 'edge.k8s.yaml'), '# the last good synth\n');
    const cli = spawnSync(process.execPath, [join(copy, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], { cwd: copy, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: undefined } });
    expect(cli.status, cli.stderr).not.toBe(0);
    expect(`${cli.stdout}${cli.stderr}`).toMatch(/Service shop\/broken/);
    expect(readFileSync(join(copy, 'dist', 'dev', 'edge.k8s.yaml'), 'utf8')).toBe('# the last good synth\n');
    writeFileSync(file, text);
    age(join(copy, 'build', 'apps', 'main.js'));
    expect(synth(out('10')).status).toBe(0);
  }, 300_000);
});
