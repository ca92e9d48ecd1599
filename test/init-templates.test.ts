// The templates of `init` are real edges: each one's edge.ts (as init writes it, the package
// import pointed at lib/) synthesizes clean in the validation and analysis, and its request table
// (requests/dev.yaml) passes. `init` itself: flags fill the files, prompts only on a terminal,
// placeholders said out loud, npm run only without --no-install. The scaffold installed from the
// packed tarball is in test/e2e/package.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from 'cdk8s';
import { formatFindings, hasErrors, LoadedEdge, parseRequestTable, synthesizeApp, validateAndAnalyze } from '../lib';
import { formatTableResults } from '../lib/explain';
import { InitEnvironment, installedFromTarball, projectFiles, projectScripts, runInit } from '../lib/cli/init';
import { TEMPLATES } from '../lib/cli/init-templates';

const ROOT = join(__dirname, '..');
// Inside the repository (build/ is ignored by git) so that the edge's own imports (cdk8s) resolve.
mkdirSync(join(ROOT, 'build'), { recursive: true });
const work = mkdtempSync(join(ROOT, 'build', 'init-templates-'));
const temp = mkdtempSync(join(tmpdir(), 'init-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
});

describe.each(TEMPLATES)('template %s', (template) => {
  it('synthesizes clean, and its request table passes', async () => {
    const files = projectFiles('team-edge', { template, host: 'shop.example.org' });
    const file = join(work, `${template}.ts`);
    writeFileSync(file, files['edge.ts'].replace(/from 'istio-aks-edge'/g, `from ${JSON.stringify(join(ROOT, 'lib'))}`));
    const edge = await import(file) as { buildEdge(environment: string): App; environments: Record<string, { production: boolean }> };
    const objects = synthesizeApp(edge.buildEdge('dev')).flatMap((c) => c.objects);
    const findings = await validateAndAnalyze(objects, { production: edge.environments.dev.production });
    expect(hasErrors(findings) || findings.length > 0, formatFindings(findings)).toBe(false);
    const results = LoadedEdge.load(objects).checkTable(parseRequestTable(files['requests/dev.yaml'], 'requests/dev.yaml'));
    expect(results.length).toBeGreaterThan(1);
    expect(results.every((r) => r.passed), formatTableResults(results)).toBe(true);
  }, 60_000);
});

/** A scripted terminal (or none) and an npm that records what it is asked to run. */
function environment(interactive: boolean, answers: string[] = [], status = 0): InitEnvironment & { asked: string[]; ran: string[] } {
  const asked: string[] = [];
  const ran: string[] = [];
  return {
    interactive, asked, ran,
    ask: async (q) => { asked.push(q); return answers.shift() ?? ''; },
    run: (command, args) => { ran.push([command, ...args].join(' ')); return { status, output: 'npm said no\n' }; },
  };
}

async function init(env: InitEnvironment, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runInit(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, env);
  return { code, stdout, stderr };
}

describe('init', () => {
  it('takes every value as a flag, asks nothing, installs, synthesizes and tests, and prints the next commands', async () => {
    const dir = join(temp, 'flags');
    const env = environment(true);
    const r = await init(env, dir, '--template', 'canary', '--host', 'shop.example.org', '--region', 'northeurope', '--resource-group', 'rg-shop', '--public-ip', 'pip-shop');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(env.asked).toEqual([]);
    expect(env.ran).toEqual(['npm install --no-audit --no-fund', 'npm run synth', 'npm test']);
    const edge = readFileSync(join(dir, 'edge.ts'), 'utf8');
    expect(edge).toMatch(/hosts: \['shop\.example\.org'\]/);
    expect(edge).toMatch(/publicIp: \{ name: 'pip-shop', resourceGroup: 'rg-shop' \}/);
    expect(edge).toMatch(/Traffic\.canary/);
    expect(readFileSync(join(dir, 'Pulumi.dev.yaml'), 'utf8')).toMatch(/^ {2}istio-aks-edge:location: northeurope$/m);
    expect(r.stdout).not.toMatch(/Placeholders/);
    expect(r.stdout).toMatch(/Next \(see .*README\.md\):\n.*npm run check[\s\S]*pulumi stack init dev && pulumi up -s dev/);
    expect(r.stdout).toMatch(/Project .* created, installed, synthesized and tested in \d+\.\d s\.\n$/);
  });

  it('without a terminal asks nothing, uses placeholders and says which, and what to edit', async () => {
    const dir = join(temp, 'team-edge');
    const env = environment(false);
    const r = await init(env, dir, '--no-install', '--host', 'shop.example.org');
    expect(r.code).toBe(0);
    expect(env.asked).toEqual([]);
    expect(env.ran).toEqual([]);
    expect(r.stdout).toMatch(/^Placeholders \(no terminal to ask on\): region westeurope, resource group rg-team-edge-dev, public IP pip-team-edge-dev\. Edit them in edge\.ts \(environments\.dev\) and Pulumi\.dev\.yaml \(the region\), or run init again with --region <value> --resource-group <value> --public-ip <value> --force\.$/m);
    expect(r.stdout).toMatch(/npm install && npm run synth && npm test/);
    expect(r.stdout).toMatch(/\(not installed: --no-install\)/);
  });

  it('on a terminal asks for the missing values only, again after a bad answer', async () => {
    const dir = join(temp, 'asked');
    const env = environment(true, ['mesh', 'Not A Host', 'shop.example.org', '', 'rg-shop']);
    const r = await init(env, dir, '--no-install', '--public-ip', 'pip-shop');
    expect(r.code).toBe(0);
    expect(env.asked).toEqual([
      'Template (plain, canary, rate-limited, mesh) [plain]: ', 'Host the gateway serves [asked.dev.example.com]: ', 'Host the gateway serves [asked.dev.example.com]: ',
      'Azure region [westeurope]: ', 'Resource group of the public IP [rg-asked-dev]: ',
    ]);
    expect(r.stderr).toMatch(/^--host: invalid value "Not A Host"\. Give a DNS name in lower case/);
    const edge = readFileSync(join(dir, 'edge.ts'), 'utf8');
    expect(edge).toMatch(/new AppRoute\(chart, 'api-route'/);
    expect(edge).toMatch(/publicIp: \{ name: 'pip-shop', resourceGroup: 'rg-shop' \}/);
  });

  it('a failing step exits 1 and names it; bad flags and a non-empty folder exit 2 before anything is written', async () => {
    const failed = await init(environment(false, [], 1), join(temp, 'fails'), '--quiet');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/npm said no\ninit: npm install failed \(exit 1\) in .*fails; the project's files are written/);
    for (const [flag, value] of [['--template', 'fancy'], ['--host', 'Shop'], ['--region', 'West Europe'], ['--resource-group', 'rg.'], ['--public-ip', 'pip-']]) {
      await expect(init(environment(false), join(temp, 'bad'), flag, value), flag).rejects.toThrow(new RegExp(`^${flag}: invalid value`));
    }
    expect(existsSync(join(temp, 'bad'))).toBe(false);
    await expect(init(environment(false), join(temp, 'bad'), '--template', 'fancy')).rejects.toThrow(/--template: invalid value "fancy"\. Use one of plain, canary, rate-limited, mesh\./);
    const asking = environment(true);
    await expect(init(asking, join(temp, 'fails'))).rejects.toThrow(/is not empty\. Use an empty or new folder, or --force/);
    expect(asking.asked).toEqual([]);
  });

  it('wires every tool in package.json', () => {
    expect(Object.keys(projectScripts())).toEqual(expect.arrayContaining(['synth', 'test', 'test:update', 'check', 'explain', 'graph', 'gateway-api', 'analyze', 'plan']));
    expect(projectScripts().synth).toBe('node --import tsx main.ts');
    const readme = projectFiles('team-edge')['README.md'];
    for (const block of readme.match(/```sh\n[\s\S]*?```/g) ?? []) expect(block).not.toMatch(/\\/);
    expect(readme.indexOf('pulumi stack init dev')).toBeLessThan(readme.indexOf('pulumi up -s dev'));
  });

  it('depends on the tarball it was installed from (npx --yes --package=<tarball> istio-aks-edge init), else on the version', () => {
    const project = join(temp, 'npx');
    mkdirSync(join(project, 'node_modules', 'istio-aks-edge'), { recursive: true });
    writeFileSync(join(temp, 'istio-aks-edge-0.2.0.tgz'), '');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { 'istio-aks-edge': 'file:../istio-aks-edge-0.2.0.tgz' } }));
    expect(installedFromTarball(join(project, 'node_modules', 'istio-aks-edge'))).toBe(`file:${join(temp, 'istio-aks-edge-0.2.0.tgz')}`);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { 'istio-aks-edge': '^0.2.0' } }));
    expect(installedFromTarball(join(project, 'node_modules', 'istio-aks-edge'))).toBeUndefined();
    expect(installedFromTarball(ROOT)).toBeUndefined();
  });
});
