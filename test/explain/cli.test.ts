// The explain command: a request from manifests on disk, --json, --check, --graph, and usage errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthEdge } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { GatewayApiOmission, manifestsToYaml } from '../../lib';
import { runExplainCli } from '../../lib/cli/explain';
import { ALIAS_BOMB, mkfifo } from '../support/special-files';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'explain-cli-'));
  writeFileSync(join(dir, 'edge.k8s.yaml'), manifestsToYaml(synthEdge(environments.dev).objects));
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runExplainCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('explain', () => {
  it('explains a request as text', async () => {
    const r = await run(dir, '--host', 'shop.dev.example.com', '--path', '/api/items', '--header', 'x-canary: true', '--scheme', 'https');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Decision: routed');
    expect(r.stdout).toContain('Route:    shop/shop "api-canary-override" (http[2], match 1)');
    expect(r.stdout).toContain('To:       api.shop.svc.cluster.local subset v2 port 8080 weight 100');
  });

  it('--json carries decision, route and destinations', async () => {
    const r = await run(join(dir, 'edge.k8s.yaml'), '--host', 'shop.dev.example.com', '--path', '/api/items', '--port', '443', '--json');
    const json = JSON.parse(r.stdout);
    expect(json.decision).toBe('routed');
    expect(json.route).toEqual({ virtualService: 'shop/shop', id: 'shop/shop#http[3]', name: 'api', index: 3, match: 1 });
    expect(json.destinations.map((d: any) => [d.host, d.subset, d.port, d.weight])).toEqual([
      ['api.shop.svc.cluster.local', 'v1', 8080, 90], ['api.shop.svc.cluster.local', 'v2', 8080, 10],
    ]);
  });

  it('--jwt, --query and --method reach the request', async () => {
    const r = await run(dir, '--host', 'shop.dev.example.com', '--path', '/api/orders', '--scheme', 'https', '--method', 'post', '--query', 'a=b',
      '--jwt', 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', '--jwt-subject', 'user-1', '--json');
    expect(JSON.parse(r.stdout).decision).toBe('routed');
    const other = await run(dir, '--host', 'shop.dev.example.com', '--path', '/api/orders', '--scheme', 'https', '--jwt', 'https://elsewhere.example.org', '--json');
    expect([JSON.parse(other.stdout).decision, JSON.parse(other.stdout).status]).toEqual(['denied', 401]);
    expect(JSON.parse(r.stdout).decision).toBe('routed');
  });

  it('--check exits 1 when a row fails and 0 when all pass', async () => {
    const ok = await run(dir, '--check', 'apps/requests/dev.yaml');
    expect([ok.code, ok.stdout.trim().split('\n').at(-1)]).toEqual([0, '17 passed, 0 failed']);
    const table = join(dir, 'bad.yaml');
    writeFileSync(table, 'requests:\n  - name: admin allowed?\n    request: { host: shop.dev.example.com, path: /admin, scheme: https }\n    expect: { decision: routed }\n');
    const bad = await run(dir, '--check', table);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('FAIL admin allowed?\n       decision: expected "routed", got "denied"');
  });

  it('--coverage lists what no row exercises; --fail-under N exits 1 below N percent, --json gives one document', async () => {
    const table = join(mkdtempSync(join(tmpdir(), 'explain-table-')), 'one-row.yaml');
    writeFileSync(table, 'requests:\n  - name: the API\n    request: { host: shop.dev.example.com, path: /api/items, scheme: https }\n    expect: { route: api }\n');
    const r = await run(dir, '--check', table, '--coverage');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nCoverage: 30.7% (routes 1 of 5, policies 3 of 8) from 1 row\n');
    expect(r.stdout).toContain('\n  MISSING  shop/shop#http[4] via istio-ingress/shop-gateway  "storefront": uri prefix /\n');
    const below = await run(dir, '--check', table, '--fail-under', '31');
    expect(below.code).toBe(1);
    expect(below.stderr).toContain('explain: coverage 30.7% is below --fail-under 31%: add rows that exercise the items marked MISSING.\n');
    expect((await run(dir, '--check', table, '--fail-under', '30.7')).code).toBe(0);
    const quiet = await run(dir, '--check', table, '--coverage', '--quiet');
    expect(quiet.stdout).toContain('\n  MISSING  shop/shop#http[4] via istio-ingress/shop-gateway');
    expect(quiet.stdout).not.toContain('covered  ');
    const json = await run(dir, '--check', table, '--fail-under', '31', '--json');
    const doc = JSON.parse(json.stdout);
    expect([json.code, doc.tables.length, doc.tables[0].results[0].passed, doc.coverage.routes, doc.coverage.failUnder, doc.coverage.passed])
      .toEqual([1, 1, true, { covered: 1, total: 5, percent: 20 }, 31, false]);
    expect(doc.coverage.items.find((i: any) => i.id === 'shop/shop#http[3]')).toEqual({
      kind: 'route', id: 'shop/shop#http[3]', via: 'istio-ingress/shop-gateway', description: '"api": uri = /api or uri prefix /api/', covered: true, rows: ['the API'],
    });
  });

  it('--graph writes SVG, Mermaid or DOT', async () => {
    for (const ext of ['svg', 'md', 'dot']) {
      const file = join(dir, `edge.${ext}`);
      const r = await run(dir, '--graph', file, '--title', 'Edge: dev');
      expect(r.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('shop.dev.example.com');
    }
    expect((await run(dir, '--graph', join(dir, 'edge.png'))).stderr).toMatch(/--graph: expected a file ending in \.svg, \.md or \.dot, received ".*edge\.png"/);
  });

  it.each([
    [[], /Give the manifests/],
    [['x.yaml'], /Give --host \(a request\), --check \(request tables\) or --graph/],
    [['x.yaml', '--host'], /--host needs a value/],
    [['x.yaml', '--host', 'h', '--bogus'], /Unknown option --bogus/],
    [['x.yaml', '--host', 'h', '--port', '99999'], /--port: expected a port number, received "99999"/],
    [['x.yaml', '--host', 'h', '--scheme', 'ftp'], /--scheme: expected http or https, received "ftp"/],
    [['x.yaml', '--host', 'h', '--header', 'novalue'], /--header: expected name:value, received "novalue"/],
    [['x.yaml', '--host', 'h', '--coverage'], /--coverage and --fail-under measure request tables: give --check table\.yaml\./],
    [['x.yaml', '--check', 't.yaml', '--fail-under', '120'], /--fail-under: expected a percentage from 0 to 100, received "120"/],
    [['x.yaml', '--check', 't.yaml', '--fail-under', 'all'], /--fail-under: expected a percentage from 0 to 100, received "all"/],
  ])('usage error %j exits 2 with the usage', async (argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: istio-aks-edge explain');
  });
});

describe('explain: input errors (exit 2, nothing written)', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'explain-input-'));

  it('an empty folder, a scalar file, or a kind: List whose items are all unreadable: no object, exit 2', async () => {
    const empty = fresh();
    const scalar = join(fresh(), 'scalar.yaml');
    writeFileSync(scalar, 'just a string\n');
    const list = join(fresh(), 'list.yaml');
    writeFileSync(list, 'apiVersion: v1\nkind: List\nitems: [5, null]\n');
    for (const input of [empty, scalar, list]) {
      const r = await run(input, '--host', 'shop.example.com');
      expect([r.code, r.stdout], input).toEqual([2, '']);
      expect(r.stderr, input).toMatch(/^(explain: Skipped .*\n)*explain: No Kubernetes object in .*: explain needs the manifests of an edge\.\n$/);
    }
  });

  it('a missing path is a clear message, exit 2 (no raw ENOENT)', async () => {
    const r = await run('no/such/dir', '--host', 'h');
    expect([r.code, r.stderr]).toEqual([2, 'explain: Cannot read "no/such/dir": no such file or folder.\n']);
  });

  it('skips a FIFO in a folder with a warning (no hang); an explicit FIFO is an input error', async () => {
    const d = fresh();
    writeFileSync(join(d, 'edge.k8s.yaml'), readFileSync(join(dir, 'edge.k8s.yaml')));
    mkfifo(join(d, 'pipe.yaml'));
    const r = await run(d, '--host', 'shop.dev.example.com', '--path', '/api/items', '--scheme', 'https', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decision).toBe('routed');
    expect(r.stderr).toBe(`explain: Skipped "${join(d, 'pipe.yaml')}": it is a FIFO (named pipe), not a regular file.\n`);
    const explicit = await run(join(d, 'pipe.yaml'), '--host', 'h');
    expect([explicit.code, explicit.stderr]).toEqual([2, `explain: Cannot read "${join(d, 'pipe.yaml')}": it is a FIFO (named pipe), not a file or folder of manifests. Give a regular file (or a folder).\n`]);
  });

  it('refuses an alias bomb with a named error, exit 2', async () => {
    const file = join(fresh(), 'bomb.yaml');
    writeFileSync(file, ALIAS_BOMB);
    const r = await run(file, '--host', 'h');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^explain: .*bomb\.yaml#0 \(line 1\): YAML aliases expand this document to \d+ nodes from \d+ written \(the limit is 100000 more\): refused as a resource exhaustion attack/);
  });

  it('--graph does not overwrite an existing file unless --force', async () => {
    const file = join(fresh(), 'edge.svg');
    writeFileSync(file, 'mine');
    const r = await run(dir, '--graph', file);
    expect([r.code, readFileSync(file, 'utf8')]).toEqual([2, 'mine']);
    expect(r.stderr).toMatch(/--graph: .*edge\.svg exists; explain does not overwrite it\. Give another file, or add --force to replace it\./);
    const forced = await run(dir, '--graph', file, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('<svg');
  });

  it.each([
    [['--source-ip', '999.1.2.3'], /--source-ip: expected an IPv4 or IPv6 address, received "999\.1\.2\.3"\./],
    [['--header', 'x canary:true'], /--header: "x canary" is not a header name/],
  ])('refuses %j (exit 2, clear message)', async (extra, message) => {
    const r = await run(dir, '--host', 'shop.dev.example.com', ...extra);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(message);
  });

  it('a missing request table is a clear message, exit 2', async () => {
    const r = await run(join(dir, 'edge.k8s.yaml'), '--check', 'no/such/table.yaml');
    expect([r.code, r.stderr]).toEqual([2, 'explain: Cannot read the request table "no/such/table.yaml": no such file.\n']);
  });
});

describe('explain on both forms through the CLI (issue 23 item 4)', () => {
  const forms: Record<string, string> = {};
  beforeAll(() => {
    for (const env of ['dev', 'prod'] as const) {
      for (const form of ['istio', 'gateway-api'] as const) {
        const d = mkdtempSync(join(tmpdir(), `explain-${form}-${env}-`));
        writeFileSync(join(d, 'edge.k8s.yaml'), manifestsToYaml(synthEdge(environments[env], form === 'gateway-api' ? { gatewayApi: { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] } } /* as apps/main.ts writes dist/gateway-api */ : {}).objects));
        forms[`${form}/${env}`] = d;
      }
    }
  });

  it('the Gateway API form of dev: /api/items is routed 90/10 to v1 and v2', async () => {
    const r = await run(forms['gateway-api/dev'], '--host', 'shop.dev.example.com', '--scheme', 'https', '--path', '/api/items', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.decision).toBe('routed');
    expect(json.unknowns).toEqual([]);
    expect(json.destinations.map((d: any) => [d.host, d.port, d.weight, d.pods.labels.version])).toEqual([
      ['api-v1.shop.svc.cluster.local', 8080, 90, 'v1'], ['api-v2.shop.svc.cluster.local', 8080, 10, 'v2'],
    ]);
  });

  it('the Gateway API form of prod: /api/items goes to the rollout\'s stable Service (weights as written)', async () => {
    const r = await run(forms['gateway-api/prod'], '--host', 'shop.example.com', '--scheme', 'https', '--path', '/api/items', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.destinations.map((d: any) => [d.host, d.port, d.weight])).toEqual([['api-stable.shop.svc.cluster.local', 8080, 100]]);
  });

  // As the README runs them: every row passes, and the rows exercise every route and policy (100%).
  it.each(['istio/dev', 'gateway-api/dev', 'istio/prod', 'gateway-api/prod'])('the example\'s request table passes on %s and covers all of it', async (key) => {
    const env = key.split('/')[1];
    const r = await run(forms[key], '--check', `apps/requests/${env}.yaml`, '--coverage', '--fail-under', '100');
    expect(r.stdout).not.toContain('FAIL');
    expect(r.stdout).not.toContain('MISSING');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\n${env === 'dev' ? 17 : 18} passed, 0 failed\nCoverage: 100% (routes ${key.startsWith('istio') ? '5 of 5' : '6 of 6'}, policies 8 of 8)`);
  });
});
