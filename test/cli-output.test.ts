// Every command says what it did in one line (files, objects, findings by severity, time), is quiet
// with --quiet and machine-readable with --json; a path it cannot use is a clear message with exit 2
// (issue 29 item 3). One small edge, synthesized once, serves every case.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, ApiObject, Chart } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate, IngressGateway, SUPPRESS_ANNOTATION_PREFIX, PathMatch, runSynth, SynthTarget, Traffic, VersionedService, writeApp } from '../lib';
import { main } from '../lib/cli/main';

const temp = mkdtempSync(join(tmpdir(), 'cli-output-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function edge(broken = false): App {
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'gateway', {
    namespace: 'edge', createNamespace: true, hosts: ['web.example.com'], https: { certificate: Certificate.fromSecret('web-tls'), redirectHttp: true },
  });
  ApiObject.of(gateway.gateway).metadata.addAnnotation(`${SUPPRESS_ANNOTATION_PREFIX}GatewayCredentialNotFound`, 'the TLS secret is created elsewhere');
  const web = new VersionedService(chart, 'web', { namespace: 'edge', port: 8080, versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1.0.0', replicas: 2 }] });
  gateway.addRoute('web', { namespace: 'edge', routes: [{ name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')) }] });
  // A Service port that is a name where Kubernetes wants a number: the schema validation refuses it.
  if (broken) new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'broken', namespace: 'edge' }, spec: { ports: [{ port: 'http' }] } });
  return app;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

async function synth(targets: SynthTarget[], ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runSynth(targets, { argv, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

const manifests = join(temp, 'manifests');
beforeAll(() => { writeApp(edge(), manifests); }, 60_000);

describe('runSynth: the synth entry as a command', () => {
  it('says what it wrote in one line, and leaves every file it did not write in place', async () => {
    const out = join(temp, 'dist');
    mkdirSync(join(out, 'dev'), { recursive: true });
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    writeFileSync(join(out, 'dev', 'kept.yaml'), 'mine too\n');
    const r = await synth([{ name: 'dev', app: edge() }, { name: 'gateway-api/dev', app: edge(), gatewayApi: {} }], '--output', out);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Wrote 2 files to .*dist\/ \(dev \d+ objects, gateway-api\/dev \d+ objects\): 0 errors, 0 warnings, 0 infos, in \d+\.\d s\.\n$/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(out, 'dev', 'kept.yaml'), 'utf8')).toBe('mine too\n');
    expect(existsSync(join(out, 'dev', 'edge.k8s.yaml'))).toBe(true);
  }, 60_000);

  it('--quiet prints nothing on success; --json prints the summary; a wrong argument exits 2', async () => {
    const out = join(temp, 'quiet');
    expect(await synth([{ name: 'dev', app: edge() }], '--output', out, '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
    const json = await synth([{ name: 'dev', app: edge() }], '--output', out, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ written: true, files: ['dev/edge.k8s.yaml'], targets: [{ name: 'dev', errors: 0 }] });
    const bad = await synth([], '--verbose');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^synth: unknown argument --verbose\.\nUsage: synth \[--output <dir>\] \[--quiet\] \[--json\]/)]);
    // An output folder that cannot be made is an input error too (exit 2), named with its path.
    const file = join(temp, 'a-file');
    writeFileSync(file, 'in the way\n');
    const blocked = await synth([{ name: 'dev', app: edge() }], '--output', join(file, 'dist'));
    expect([blocked.code, blocked.stderr]).toEqual([2, expect.stringMatching(/a-file.*\nNothing was written to /s)]);
  }, 60_000);

  it('on an error writes nothing and says so (exit 1)', async () => {
    const out = join(temp, 'broken');
    const r = await synth([{ name: 'dev', app: edge(true) }], '--output', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Service edge\/broken/);
    expect(r.stderr).toMatch(/Synth found errors \(above\): nothing was written to .*broken\/ \(dev \d+ objects\): 1 error, /);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('gateway-api: the Gateway API form of any manifests', () => {
  it('writes it, validated, and says what it wrote; refuses to overwrite without --force', async () => {
    const file = join(temp, 'gateway-api', 'dev', 'edge.k8s.yaml');
    const r = await cli('gateway-api', manifests, '--output', file);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Wrote .*edge\.k8s\.yaml \(\d+ objects from \d+: 0 errors, 0 warnings, 0 infos, in \d+\.\d s\)\.\n$/);
    expect(readFileSync(file, 'utf8')).toMatch(/kind: HTTPRoute\n/);
    const again = await cli('gateway-api', manifests, '--output', file);
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/exists; gateway-api does not overwrite it\. .*--force/)]);
    const json = await cli('gateway-api', manifests, '--output', file, '--force', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ written: true, counts: { errors: 0 } });
    expect(await cli('gateway-api', manifests, '--output', file, '--force', '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 60_000);

  it('a missing input or no --output is a clear message, exit 2', async () => {
    const missing = await cli('gateway-api', join(temp, 'dve'), '--output', join(temp, 'x.yaml'));
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/^gateway-api: Cannot read ".*dve": no such file or folder\.\n$/)]);
    expect((await cli('gateway-api', manifests)).stderr).toMatch(/^gateway-api: Give --output <file>/);
  });
});

describe('explain and analyze: output and paths', () => {
  it('explain --graph creates the folder and says what it wrote; --quiet does not; an impossible folder exits 2', async () => {
    const svg = join(temp, 'pictures', 'new', 'edge.svg');
    const r = await cli('explain', manifests, '--graph', svg);
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^Wrote .*edge\.svg \(\d+ nodes, \d+ links\)\.\n$/)]);
    expect(await cli('explain', manifests, '--graph', svg, '--force', '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
    const file = join(temp, 'a-file');
    writeFileSync(file, 'x');
    const bad = await cli('explain', manifests, '--graph', join(file, 'edge.svg'));
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^explain: .*a-file is not a folder/)]);
  });

  it('explain on a missing folder names it, without a raw system error', async () => {
    const r = await cli('explain', join(temp, 'dist', 'dve'), '--host', 'web.example.com');
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^explain: Cannot read ".*dve": no such file or folder\.\n/)]);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });

  it('analyze --help names the message catalogue by a path that exists; --quiet prints nothing without errors', async () => {
    const help = await cli('analyze', '--help');
    const catalogue = /^Messages \(every code, what it means, how to fix it\): (\S+)$/m.exec(help.stdout)?.[1];
    expect(catalogue && existsSync(catalogue), help.stdout).toBe(true);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).files).toContain('docs/analysis-messages.md');
    expect(await cli('analyze', manifests, '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
