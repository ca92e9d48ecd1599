// The analyze command: on hand-written broken manifests, on the example app's output, and on every
// kind of bad input (exit status and message). Most cases run the command in-process; a few run
// `npm run analyze`'s entry (apps/analyze.ts) as a process to check the real exit status.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { CHECKS, writeApp } from '../../lib';
import { runAnalyze } from '../../lib/cli/analyze';
import { main } from '../../lib/cli/main';
import { testCrd } from '../support/crd';

function spawnAnalyze(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/analyze.ts', ...args], { encoding: 'utf8' });
}

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runAnalyze(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'edge-analyze-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: app }\ndata: { a: "1" }\n';

describe('analyze', () => {
  it('reports every check by name on the broken manifests, with file, document and object, and exits 1', () => {
    const { stdout, status } = spawnAnalyze('test/fixtures/broken', '--production', '--target', 'aks-addon');
    expect(status).toBe(1);
    for (const name of [...CHECKS.map((c) => c.name), 'SchemaInvalid', 'CustomResourceInvalid']) {
      expect(stdout, name).toMatch(new RegExp(`^(ERROR|WARNING|INFO) +${name} test/fixtures/broken/[\\w-]+\\.yaml#\\d+: \\w+ ([a-z-]+/)?[a-z-]+`, 'm'));
    }
    expect(stdout).toMatch(/CustomResourceInvalid test\/fixtures\/broken\/schema.yaml#3: VirtualService schema\/no-timeout spec.http\[0\].timeout: must be a valid duration greater than 1ms.* \[EDGE0003 IST0106\]/);
    expect(stdout).toMatch(/^92 objects: \d+ errors, \d+ warnings, \d+ infos? \(\d+ files? read, \d+\.\d s\)\.$/m);
  });

  it.each(['dev', 'prod'] as const)('passes the example app\'s %s output (exit 0, no finding)', async (name) => {
    const outdir = mkdtempSync(join(tmpdir(), 'edge-analyze-'));
    writeApp(buildEdgeApp(environments[name]), outdir);
    const { stdout, status } = await run(outdir, ...(environments[name].production ? ['--production'] : []));
    expect(stdout).toMatch(new RegExp(`^56 objects: 0 errors, 0 warnings, 0 infos \\(\\d+ files? read, \\d+\\.\\d s\\)\\.\n$`));
    expect(status).toBe(0);
  });

  it('--help prints the usage and exits 0', () => {
    const { stdout, status } = spawnAnalyze('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: istio-aks-edge analyze <files or folders>/);
    expect(stdout).toMatch(/--format text\|json\|sarif/);
  });

  it('a missing file exits 2 with a clear message, not a raw ENOENT', () => {
    const { stderr, status } = spawnAnalyze('no/such/file.yaml');
    expect(status).toBe(2);
    expect(stderr).toBe('analyze: Cannot read "no/such/file.yaml": no such file or folder.\n');
  });

  it('no path, an unknown option or a bad format exits 2 with the usage', async () => {
    for (const [args, message] of [[[], /Give at least one file or folder/], [['x.yaml', '--jsn'], /Unknown option --jsn/], [['x.yaml', '--format', 'xml'], /--format takes text, json, sarif; received "xml"/]] as const) {
      const { stderr, status } = await run(...args);
      expect(status).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/Usage: istio-aks-edge analyze/);
    }
  });

  it('an empty folder, or one with no manifest, exits 2: no object', async () => {
    const { stderr, status } = await run(dir({ 'notes.txt': 'hello' }));
    expect(status).toBe(2);
    expect(stderr).toMatch(/^analyze: no Kubernetes object in .* \(0 file\(s\) read; folders are searched for \.yaml, \.yml and \.json files\)\.\n$/);
    const empty = await run(dir({ 'empty.yaml': '# nothing\n---\n' }));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/no Kubernetes object .*\(1 file\(s\) read\)/);
  });

  it('reads JSON files: an object, and a kind: List', async () => {
    const d = dir({
      'one.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'app' } }),
      'list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'app' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'app' } }] }),
    });
    const { stdout, status } = await run(d);
    expect(stdout).toMatch(/^3 objects: 0 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.\n$/);
    expect(status).toBe(0);
  });

  it('reads a YAML kind: List', async () => {
    const { stdout, status } = await run(dir({ 'l.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${CONFIG_MAP.trim().split('\n').join('\n  ')}\n` }));
    expect(stdout).toMatch(/^1 objects: 0 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.\n$/);
    expect(status).toBe(0);
  });

  it('reads YAML as Kubernetes does: dates stay strings, merge keys merge', async () => {
    const { stdout, status } = await run(dir({ 'y.yaml': 'base: &b { apiVersion: v1, kind: ConfigMap }\n<<: *b\nmetadata: { name: c, namespace: app }\ndata: { when: 2024-01-01 }\n' }));
    expect(stdout).toMatch(/^1 objects: 0 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.\n$/);
    expect(status).toBe(0);
  });

  it('reports bad documents as findings with file and document index, and analyzes the rest (exit 1)', async () => {
    const d = dir({
      'bad.yaml': [CONFIG_MAP, 'just a string\n', '- a\n- b\n', 'metadata: { name: x }\n', 'apiVersion: v1\nkind: List\nitems: [null]\n', 'a: [unclosed\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: 5\n'].join('---\n'),
      'bad.json': '{ "apiVersion": "v1", ',
    });
    const { stdout, status } = await run(d);
    expect(status).toBe(1);
    const f = (file: string) => join(d, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(stdout).toMatch(new RegExp(`ERROR +DocumentInvalid ${f('bad.yaml')}#1: \\(document 1\\): A string \\("just a string"\\), not an object`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.yaml')}#2: \\(document 2\\): A list, not an object`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.yaml')}#3: \\(document 3\\): An object without apiVersion and kind`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.yaml')}#4 items\\[0\\]: \\(document 4 items\\[0\\]\\): An empty item`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.yaml')}#5: \\(document 5\\): Not valid YAML \\(line 1[67]\\)`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.yaml')}#6: \\(document 6\\): ConfigMap: metadata is not a mapping`));
    expect(stdout).toMatch(new RegExp(`DocumentInvalid ${f('bad.json')}#0: \\(document 0\\): Not valid JSON`));
    expect(stdout).toMatch(/\[EDGE0004\]/);
    expect(stdout).toMatch(/^1 objects: 7 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.$/m);
  });

  it('names a cluster-scoped object without "in namespace default"', async () => {
    const { stdout } = await run(dir({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: open, labels: { istio-injection: enabled } }\n' }));
    expect(stdout).toMatch(/NamespaceWithoutNetworkPolicy \S+#0: Namespace open metadata.name:/);
    expect(stdout).not.toMatch(/namespace "?default|default\/open/);
  });

  it('gives JSON on request, with file, document and line', async () => {
    const { stdout, status } = await run('test/fixtures/broken/scaling.yaml', '--format', 'json');
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.objects).toBe(3);
    expect(report.findings.map((f: any) => f.check).sort()).toEqual([
      'HorizontalPodAutoscalerTargetWithoutRequests', 'PodDisruptionBudgetBlocksEviction', 'PrivilegedOrRootContainer', 'ReplicasWithHorizontalPodAutoscaler',
    ]);
    expect(report.findings[0]).toEqual({ check: expect.any(String), code: expect.stringMatching(/^EDGE\d{4}$/), severity: expect.any(String), object: expect.any(String), field: expect.any(String), message: expect.any(String), file: 'test/fixtures/broken/scaling.yaml', document: expect.any(Number), line: expect.any(Number) });
    // --json is --format json (the run's own time, ms, aside).
    expect({ ...JSON.parse((await run('test/fixtures/broken/scaling.yaml', '--json')).stdout), ms: 0 }).toEqual({ ...report, ms: 0 });
  });

  it('gives SARIF 2.1.0 on request, with rules from the catalogue and locations in the files', async () => {
    const { stdout, status } = await run('test/fixtures/broken/routing.yaml', '--format=sarif');
    expect(status).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [runLog] = sarif.runs;
    const rules = runLog.tool.driver.rules;
    expect(rules.find((r: any) => r.id === 'EDGE2001')).toMatchObject({ name: 'ReferencedResourceNotFound', properties: { istioCode: 'IST0101' }, defaultConfiguration: { level: 'error' } });
    const result = runLog.results.find((r: any) => r.properties.check === 'VirtualServiceRouteWeightsNotSum100');
    expect(result).toMatchObject({ ruleId: 'EDGE2003', level: 'error', message: { text: expect.stringMatching(/^VirtualService routing\/shop spec.http\[\d\].route: Weights/) } });
    expect(rules[result.ruleIndex].id).toBe('EDGE2003');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/broken/routing.yaml' }, region: { startLine: expect.any(Number) } });
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(30);
  });

  it('validates custom resources against the CRDs given with --crds (schema and CEL); a bad --crds exits 2', async () => {
    const d = dir({ 'crds/widget-crd.yaml': testCrd('Widget', `
type: object
properties:
  min: { type: integer }
  max: { type: integer }
x-kubernetes-validations:
- rule: self.min <= self.max
  message: min must not exceed max
`), 'widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: ns }\nspec: { min: 5, max: 1 }\n' });
    const { stdout, status } = await run(join(d, 'widget.yaml'), '--crds', join(d, 'crds'));
    expect(stdout).toMatch(/ERROR +CustomResourceInvalid .*widget.yaml#0: Widget ns\/w spec: min must not exceed max/);
    expect(status).toBe(1);
    const bad = await run(join(d, 'widget.yaml'), '--crds', join(d, 'nothing-here'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^analyze: Cannot read the CRDs at ".*nothing-here"/);
  });
});

describe('the command dispatcher', () => {
  const capture = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const status = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return { status, out, err };
  };

  it('lists its commands, runs one, and refuses an unknown one (exit 2)', async () => {
    const help = await capture('--help');
    expect(help.status).toBe(0);
    expect(help.out.match(/^ {2}([\w-]+) {2,}/gm)?.map((l) => l.trim())).toEqual(['init', 'analyze', 'explain', 'diff', 'gateway-api', 'plan']);
    expect(help.out).toMatch(/^ {2}analyze +validate and analyze manifests/m);
    expect(await capture('analyze', '--help')).toMatchObject({ status: 0, out: expect.stringMatching(/^Usage: istio-aks-edge analyze/) });
    expect(await capture('deploy')).toMatchObject({ status: 2, err: expect.stringMatching(/^Unknown command "deploy"\./) });
    expect(await capture()).toMatchObject({ status: 2, err: expect.stringMatching(/^Usage: istio-aks-edge <command>/) });
  });

  it.each(['init', 'analyze', 'explain', 'diff', 'gateway-api', 'plan'])('%s --help prints its usage and exits 0', async (command) => {
    const { status, out } = await capture(command, '--help');
    expect(status).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: istio-aks-edge ${command} `));
  });

  it('a usage error names the command and exits 2', async () => {
    expect(await capture('init', '--name')).toMatchObject({ status: 2, err: expect.stringMatching(/^init: --name takes a value\./) });
    expect(await capture('plan')).toMatchObject({ status: 2, err: expect.stringMatching(/^plan: Give one stack name; received none\./) });
    expect(await capture('plan', 'dev', '--dir', '/nonexistent-project')).toMatchObject({ status: 2, err: expect.stringMatching(/^plan: No Pulumi project in \/nonexistent-project: Pulumi.yaml does not exist/) });
  });
});
