// The package as teams install it: `npm pack`, installed into temporary projects with nothing else
// of this repository (test/support/package.ts), then `init`'s project and a hand-written consumer
// synthesized, tested, analyzed and planned exactly as their READMEs say.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installPackage, newProjectDir, offlineNpm, packOnce, run } from '../support/package';

let tgz: string;
beforeAll(() => { tgz = packOnce(); }, 600_000);

const ok = (r: { status: number | null; stdout: string; stderr: string }) => {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

describe('the tarball', () => {
  it('holds the build (JavaScript and declarations), the CRDs, LICENSE and CHANGELOG; no sources, apps or tests', () => {
    const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'LICENSE', 'CHANGELOG.md', 'README.md', 'crds/istio-1.30.3-crd-all.gen.yaml', 'build/lib/index.js', 'build/lib/index.d.ts',
      'build/lib/analysis/index.js', 'build/lib/explain/index.js', 'build/lib/infra/index.d.ts', 'build/lib/cli/main.js', 'build/crd-validators/index.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(apps|test|bench|lib)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }));
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toMatch(/^0\.\d+\.\d+$/);
    expect(pkg.engines.node).toBe('>=22');
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@pulumi/azure-native', '@pulumi/kubernetes', '@pulumi/pulumi', 'cdk8s', 'constructs']);
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });
});

describe('istio-aks-edge init', () => {
  const dir = newProjectDir('edge-init-');

  it('scaffolds a project that synthesizes, tests green (with and without CI) and plans right after its install', () => {
    installPackage(dir, tgz);
    expect(ok(run(dir, 'istio-aks-edge', ['init', '.', '--force', '--name', 'team-edge', '--package-spec', `file:${tgz}`, '--no-install']))).toMatch(/Created 13 files/);
    for (const f of ['package.json', 'tsconfig.json', 'cdk8s.yaml', 'Pulumi.yaml', 'Pulumi.dev.yaml', 'edge.ts', 'main.ts', 'pulumi.ts', 'requests/dev.yaml', 'test/edge.test.ts', 'diff-review.ts', 'README.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['istio-aks-edge']).toBe(`file:${tgz}`);
    ok(run(dir, 'npm', ['run', 'synth']));
    const yaml = readFileSync(join(dir, 'dist', 'dev', 'edge.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/kind: Gateway\n/);
    expect(yaml).toMatch(/kind: VirtualService\n/);
    expect(yaml).toMatch(/kind: DestinationRule\n/);
    // The first run writes the snapshot (as on a developer's machine); under CI it must then match.
    expect(ok(run(dir, 'npm', ['test'], { CI: undefined }))).toMatch(/3 passed/);
    expect(readFileSync(join(dir, 'test', '__snapshots__', 'dev.k8s.yaml'), 'utf8')).toBe(yaml);
    expect(ok(run(dir, 'npm', ['test'], { CI: 'true' }))).toMatch(/3 passed/);
    expect(ok(run(dir, 'npm', ['run', 'analyze']))).toMatch(/^\d+ objects: 0 errors, 0 warnings/m);
    const plan = ok(run(dir, 'npm', ['run', 'plan']));
    expect(plan).toMatch(/\+ azure-native:containerservice:ManagedCluster/);
    expect(plan).toMatch(/\+ azure-native:network:PublicIPAddress +\S+ +pip-team-edge-dev Standard Static zones 1,2,3/);
    expect(plan).toMatch(/networking\.istio\.io\/v1:VirtualService/);
  }, 600_000);

  it('npm run diff:review writes what a change does to requests against the last commit (or --rev), as Markdown', () => {
    const git = (...args: string[]) => ok(run(dir, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]));
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'the scaffold');
    const unchanged = run(dir, 'npm', ['run', '--silent', 'diff:review', '--', '--exit-code']);
    expect([unchanged.status, unchanged.stdout]).toEqual([0, expect.stringMatching(/^Wrote diff-review\.md: no routing change against HEAD \([0-9a-f]{12}\) in 1 environment\(s\)\.\n$/)]);
    expect(readFileSync(join(dir, 'diff-review.md'), 'utf8')).toMatch(/^## What this change does to traffic\n[\s\S]*### Environment dev\n\n### Edge diff: no routing change\n/);
    // The route's prefix narrows from / to /app: a request to / now gets 404.
    const edge = readFileSync(join(dir, 'edge.ts'), 'utf8');
    writeFileSync(join(dir, 'edge.ts'), edge.replace("PathMatch.prefix('/')", "PathMatch.prefix('/app')"));
    const changed = run(dir, 'npm', ['run', '--silent', 'diff:review', '--', '--exit-code', '--out', 'review.md']);
    expect([changed.status, changed.stdout]).toEqual([1, expect.stringMatching(/^Wrote review\.md: routing changes against HEAD/)]);
    const markdown = readFileSync(join(dir, 'review.md'), 'utf8');
    expect(markdown).toContain('`GET https://team-edge.dev.example.com/`');
    expect(markdown).toMatch(/decision: routed[\s\S]*decision: no-route \(404\)[\s\S]*VirtualService apps\/web \(working-tree\/dev\/edge\.k8s\.yaml/);
    // Committed, the change is in HEAD: against HEAD~1 (--rev) it is still there.
    git('commit', '-qam', 'narrow the route');
    expect(ok(run(dir, 'npm', ['run', '--silent', 'diff:review', '--', '--rev', 'HEAD~1']))).toMatch(/routing changes against HEAD~1/);
    const bad = run(dir, 'npm', ['run', '--silent', 'diff:review', '--', '--rev', 'no-such-branch']);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('diff:review: "no-such-branch" is not a commit of this repository')]);
  }, 600_000);

  it('refuses a folder that is not empty, and a bad name; --help on every command', () => {
    const r = run(dir, 'istio-aks-edge', ['init', '.', '--name', 'team-edge']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not empty\. Use an empty or new folder, or --force/);
    const bad = run(dir, 'istio-aks-edge', ['init', newProjectDir('edge-init-'), '--name', 'Bad_Name']);
    expect(bad.stderr).toMatch(/^init: invalid project name: received "Bad_Name"\. Use 2-40 lower-case letters/);
    expect(ok(run(dir, 'istio-aks-edge', ['--help']))).toMatch(/init +scaffold[\s\S]*analyze[\s\S]*explain[\s\S]*plan/);
    for (const c of ['init', 'analyze', 'explain', 'gateway-api', 'plan']) expect(ok(run(dir, 'istio-aks-edge', [c, '--help']))).toMatch(new RegExp(`^Usage: istio-aks-edge ${c}`));
    // The bin turns Node's compile cache on (Node 22.1+), in the system's temporary folder: the
    // command's modules are cached there (NODE_COMPILE_CACHE alone would turn it on: not set here).
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
      const tmp = newProjectDir('edge-tmpdir-');
      ok(run(dir, 'istio-aks-edge', ['analyze', '--help'], { TMPDIR: tmp, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined }));
      expect(existsSync(join(tmp, 'node-compile-cache')) && readdirSync(join(tmp, 'node-compile-cache'), { recursive: true }).length).toBeGreaterThan(0);
    }
  }, 120_000);
});

describe('the README\'s init command line, as written, without a terminal; then the project\'s README', () => {
  // Run where the README says: a projects folder. npx finds the package there as a user's npx
  // finds it after fetching it: installed in a folder whose package.json names the tarball (npx's
  // own folder looks the same). npm install runs offline (offlineNpm: the tarball unpacked, the
  // rest linked from this repository's node_modules); every other npm command is npm itself.
  const projects = newProjectDir('edge-projects-');
  const commandLine = () => {
    const line = /^npx --yes istio-aks-edge init .*$/m.exec(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8'))?.[0];
    expect(line, 'the README has the init command line').toBeDefined();
    return line!;
  };
  let npmPath: string;
  const PATH = () => `${npmPath}:${process.env.PATH}`;
  const sh = (cwd: string, line: string) => run(cwd, 'bash', ['-c', line], { PATH: PATH() });

  it('creates, installs, synthesizes and tests the project, says which placeholders to edit, and prints the next commands', () => {
    npmPath = offlineNpm(tgz);
    installPackage(projects, tgz);
    writeFileSync(join(projects, 'package.json'), JSON.stringify({ dependencies: { 'istio-aks-edge': `file:${relative(projects, tgz)}` } }));
    const line = commandLine();
    const folder = line.split(' ').at(-1)!;
    const r = sh(projects, line);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^Created 13 files in my-edge \(template plain\)/m);
    expect(r.stdout).toMatch(/^Placeholders \(no terminal to ask on\): host my-edge\.dev\.example\.com, region westeurope, resource group rg-my-edge-dev, public IP pip-my-edge-dev\. Edit them/m);
    expect(r.stdout).toMatch(/^Wrote 3 files to dist\/ \(dev \d+ objects\): 0 errors, 0 warnings, 0 infos, in \d+\.\d s\.$/m);
    expect(r.stdout).toMatch(/Tests\b.*[^0-9]3 passed/); // vitest's colours between the words
    expect(r.stdout).toMatch(/^Next \(see my-edge\/README\.md\):\n {2}cd my-edge && npm run check/m);
    expect(r.stdout).toMatch(/^Project my-edge created, installed, synthesized and tested in \d+\.\d s\.\n$/m);
    expect(JSON.parse(readFileSync(join(projects, folder, 'package.json'), 'utf8')).dependencies['istio-aks-edge']).toBe(`file:${tgz}`);
    for (const f of ['dist/dev/edge.k8s.yaml', 'dist/dev/edge.svg', 'dist/dev/edge.md', 'test/__snapshots__/dev.k8s.yaml']) expect(existsSync(join(projects, folder, f)), f).toBe(true);
  }, 600_000);

  it('runs every command of the project\'s README; synth (npm run synth or cdk8s synth) leaves what it did not write in dist/', () => {
    const dir = join(projects, 'my-edge');
    mkdirSync(join(dir, 'dist', 'dev'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'notes.txt'), 'kept\n');
    writeFileSync(join(dir, 'dist', 'dev', 'mine.yaml'), '# a file the user keeps here\n');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    expect(block).not.toMatch(/\\/);
    expect(readme.indexOf('pulumi stack init dev')).toBeLessThan(readme.indexOf('pulumi up -s dev'));
    const outputs: Record<string, string> = {};
    for (const line of block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean)) {
      const r = sh(dir, line);
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
      outputs[line] = r.stdout;
    }
    expect(Object.keys(outputs)).toEqual(['npm install', 'npm run synth', 'npm test', 'npm run check', 'npm run explain -- --host my-edge.dev.example.com --path / --scheme https',
      'npm run graph', 'npm run gateway-api', 'npm run analyze', 'npm run plan']);
    expect(outputs['npm run synth']).toMatch(/^Wrote 3 files to dist\/ \(dev \d+ objects\): 0 errors/m);
    expect(outputs['npm run check']).toMatch(/^2 passed, 0 failed$/m);
    expect(outputs['npm run explain -- --host my-edge.dev.example.com --path / --scheme https']).toMatch(/web/);
    expect(outputs['npm run gateway-api']).toMatch(/^Wrote dist\/gateway-api\/dev\/edge\.k8s\.yaml \(\d+ objects from \d+: 0 errors/m);
    expect(outputs['npm run analyze']).toMatch(/^\d+ objects: 0 errors, 0 warnings, 0 infos/m);
    expect(outputs['npm run plan']).toMatch(/\+ azure-native:network:PublicIPAddress +\S+ +pip-my-edge-dev Standard Static zones 1,2,3/);
    expect(ok(sh(dir, 'npm run plan --silent -- --quiet'))).toMatch(/^\d+ resources; program ran in \d+ ms under mocks\.\n$/);
    // Synth again, both ways: the user's files, the picture and the Gateway API form stay.
    ok(sh(dir, 'npm run synth'));
    ok(run(dir, 'cdk8s', ['synth', '--no-check-upgrade'], { PATH: `${join(dir, 'node_modules', '.bin')}:${PATH()}` }));
    expect(existsSync(join(dir, '.cdk8s.out', 'dev', 'edge.k8s.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'dist', 'notes.txt'), 'utf8')).toBe('kept\n');
    expect(readFileSync(join(dir, 'dist', 'dev', 'mine.yaml'), 'utf8')).toBe('# a file the user keeps here\n');
    for (const f of ['dist/dev/edge.svg', 'dist/gateway-api/dev/edge.k8s.yaml']) expect(existsSync(join(dir, f)), f).toBe(true);
  }, 600_000);

  it.each(['canary', 'rate-limited', 'mesh'])('template %s: init installs, synthesizes and tests it; its request table passes', (template) => {
    const r = sh(projects, `npx --yes istio-aks-edge init ${template}-edge --template ${template} --host shop.example.org --quiet`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toBe(`Project ${template}-edge created, installed, synthesized and tested in ${/in (\d+\.\d) s/.exec(r.stdout)?.[1]} s.\n`);
    expect(ok(sh(join(projects, `${template}-edge`), 'npm run check'))).toMatch(/^\d+ passed, 0 failed$/m);
  }, 600_000);
});

describe('a consumer project: its own edge with the public imports only', () => {
  const dir = newProjectDir('edge-consumer-');
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  it('type-checks, synthesizes with cdk8s synth, analyzes with the CLI, and runs its Pulumi program under mocks', () => {
    installPackage(dir, tgz);
    write('package.json', JSON.stringify({ name: 'consumer', private: true, dependencies: { 'istio-aks-edge': `file:${tgz}` } }));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] } }));
    write('cdk8s.yaml', 'language: typescript\napp: node --import tsx main.ts\noutput: dist\n');
    write('edge.ts', `
import { App, Chart } from 'cdk8s';
import { AppNamespace, Certificate, IngressGateway, PathMatch, Traffic, VersionedService } from 'istio-aks-edge';
export function teamEdge(hosts: string[] = ['orders.example.org']): App {
  const app = new App();
  const chart = new Chart(app, 'orders', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'gw', {
    namespace: 'edge', createNamespace: true, hosts, https: { certificate: Certificate.fromSecret('orders-tls'), redirectHttp: true },
    azure: { publicIp: { name: 'pip-orders', resourceGroup: 'rg-orders' } },
  });
  new AppNamespace(chart, 'orders-namespace', { name: 'orders', gateways: [gateway] });
  const orders = new VersionedService(chart, 'orders', {
    namespace: 'orders', port: 8080,
    versions: [{ name: 'v1', image: 'ghcr.io/team/orders:1.0.0', replicas: 2 }, { name: 'v2', image: 'ghcr.io/team/orders:1.1.0', replicas: 2 }],
  });
  gateway.addRoute('orders', { namespace: 'orders', routes: [{ name: 'orders', match: [{ path: PathMatch.prefix('/') }], to: Traffic.canary(orders.version('v1'), orders.version('v2'), { percent: 20 }) }] });
  return app;
}
`);
    write('main.ts', `
import { synthAndCheck } from 'istio-aks-edge';
import { teamEdge } from './edge';
synthAndCheck(teamEdge(), { outdir: 'dist/prod' }).catch((e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
`);
    write('Pulumi.yaml', 'name: orders-edge\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\nmain: pulumi.ts\n');
    write('Pulumi.prod.yaml', [
      'config:', '  istio-aks-edge:environment: prod', '  istio-aks-edge:location: northeurope', '  istio-aks-edge:kubernetesVersion: "1.36"',
      '  istio-aks-edge:systemPool: { name: system, vmSize: Standard_D2ds_v5, minCount: 3, maxCount: 4 }',
      '  istio-aks-edge:istio: { mode: helm, version: 1.30.3 }', '  istio-aks-edge:monitoring: { enabled: false }',
      '  istio-aks-edge:entraId: { adminGroupObjectIds: [6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f] }',
      '  istio-aks-edge:apiServerAuthorizedIpRanges: ["198.51.100.0/24"]', '',
    ].join('\n'));
    write('pulumi.ts', `
import { edgeProgram } from 'istio-aks-edge/pulumi';
import { teamEdge } from './edge';
export = edgeProgram((facts) => teamEdge(facts.hostnames ? [...facts.hostnames] : undefined), { environments: ['prod'] });
`);
    ok(run(dir, 'tsc', ['-p', '.']));
    ok(run(dir, 'cdk8s', ['synth', '--no-check-upgrade']));
    const yaml = readFileSync(join(dir, 'dist', 'prod', 'orders.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/weight: 80\n[\s\S]*weight: 20\n/);
    expect(ok(run(dir, 'istio-aks-edge', ['analyze', 'dist']))).toMatch(/objects: 0 errors/);
    const plan = JSON.parse(ok(run(dir, 'istio-aks-edge', ['plan', 'prod', '--json'])));
    expect(plan.rows.find((r: { type: string }) => r.type === 'azure-native:network:PublicIPAddress').details).toBe('pip-orders Standard Static zones 1,2,3');
    expect(plan.rows.find((r: { type: string }) => r.type === 'azure-native:resources:ResourceGroup').details).toBe('rg-orders in northeurope');
    const applied = Object.entries(plan.counts as Record<string, number>).filter(([t]) => t.startsWith('kubernetes:') && t !== 'kubernetes:helm.sh/v3:Release').reduce((s, [, n]) => s + n, 0);
    expect(applied).toBe(yaml.split(/^---$/m).length);
    expect(plan.outputs.hostnames).toEqual(['orders.example.org']);
  }, 600_000);

  it('validates with the CRD validators compiled at build time, without loading ajv\'s compiler', () => {
    const probe = `const { validateAndAnalyze } = require('istio-aks-edge/analysis');
validateAndAnalyze([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' }, spec: { hosts: ['web'], notAField: 1 } }]).then((findings) => {
  console.log(findings.some((f) => /notAField/.test(f.message)));
  const loaded = Object.keys(require.cache);
  console.log(loaded.some((k) => /crd-validators[\\\\/][0-9a-f]+\\.js$/.test(k)), loaded.some((k) => /ajv[\\\\/]dist[\\\\/]core\\.js$/.test(k)));
});`;
    expect(ok(run(dir, process.execPath, ['-e', probe])).trim().split('\n')).toEqual(['true', 'true false']);
  }, 120_000);

  it('istio-aks-edge/pulumi has no mocks; istio-aks-edge/pulumi/testing runs the program under them, as a user\'s test would', () => {
    const config = {
      'istio-aks-edge:environment': 'prod', 'istio-aks-edge:location': 'northeurope', 'istio-aks-edge:kubernetesVersion': '1.36',
      'istio-aks-edge:systemPool': JSON.stringify({ name: 'system', vmSize: 'Standard_D2ds_v5', minCount: 3, maxCount: 4 }),
      'istio-aks-edge:istio': JSON.stringify({ mode: 'helm', version: '1.30.3' }), 'istio-aks-edge:monitoring': JSON.stringify({ enabled: false }),
      'istio-aks-edge:entraId': JSON.stringify({ adminGroupObjectIds: ['6f1b1c3e-1d2a-4c2b-9f43-2d4a5c6b7e8f'] }),
      'istio-aks-edge:apiServerAuthorizedIpRanges': JSON.stringify(['198.51.100.0/24']),
    };
    const probe = `const entry = require('istio-aks-edge/pulumi');
const { EdgeMocks, settle, valueOf } = require('istio-aks-edge/pulumi/testing');
console.log(typeof entry.edgeProgram, 'EdgeMocks' in entry, typeof EdgeMocks);
(async () => {
  const mocks = new EdgeMocks();
  await mocks.install('orders-edge', 'prod', ${JSON.stringify(config)});
  const outputs = await require('./pulumi.ts')();
  const hostnames = await valueOf(outputs.hostnames);
  await settle();
  const ip = mocks.ofType('azure-native:network:PublicIPAddress')[0];
  console.log(ip.inputs.publicIpAddressName, JSON.stringify(hostnames));
})().catch((e) => { console.error(e); process.exitCode = 1; });`;
    expect(ok(run(dir, process.execPath, ['--import', 'tsx', '-e', probe])).trim().split('\n')).toEqual(['function false function', 'pip-orders ["orders.example.org"]']);
  }, 120_000);

  it('the constructs entry never loads Pulumi; internals are not importable', () => {
    const probe = `require('istio-aks-edge'); require('istio-aks-edge/analysis');
console.log(Object.keys(require.cache).some((k) => k.includes('@pulumi')));
try { require('istio-aks-edge/build/lib/synth'); } catch (e) { console.log(e.code); }`;
    expect(ok(run(dir, process.execPath, ['-e', probe])).trim().split('\n')).toEqual(['false', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  }, 120_000);
});
