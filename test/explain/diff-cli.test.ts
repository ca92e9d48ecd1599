// The diff command: exit status like `git diff --exit-code`, the four outputs (text by host, JSON,
// Markdown, SARIF located at the objects), the Gateway API form, and usage and input errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runDiffCli } from '../../lib/cli/diff';
import { main } from '../../lib/cli/main';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { baseEdge, objectOf } from '../support/diff-edges';

let dir: string;
const file = (name: string) => join(dir, name);
const write = (name: string, objects: KubernetesObject[]) => writeFileSync(file(name), objects.map((o) => stringify(o)).join('---\n'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'diff-cli-'));
  write('old.yaml', baseEdge());
  const changed = baseEdge();
  const route = objectOf(changed, 'VirtualService', 'shop').spec.http[0].route;
  route[0].weight = 80;
  route[1].weight = 20;
  objectOf(changed, 'AuthorizationPolicy', 'require-jwt').metadata.labels = { team: 'edge' }; // changed, no effect
  write('new.yaml', changed);
  writeFileSync(file('broken.yaml'), 'kind: [unclosed\n');
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runDiffCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('diff command', () => {
  it('exits 0 without a routing change (the example against itself)', async () => {
    const r = await run('test/goldens/prod.k8s.yaml', 'test/goldens/prod.k8s.yaml');
    expect(r.stdout).toMatch(/^No routing change \(\d+ requests compared on both sides\)\.$/m);
    expect(r.code).toBe(0);
  });

  it('exits 1 with a change; text is grouped by host, with the example, the change and the located cause', async () => {
    const r = await run(file('old.yaml'), file('new.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 request class(es) change on 1 host(s)');
    expect(r.stdout).toContain('\nshop.example.com\n  [c1] http:80: path prefix /api');
    expect(r.stdout).toContain('e.g. GET http://shop.example.com/api');
    expect(r.stdout).toContain('destinations: api.app:8080 v1 90%, api.app:8080 v2 10% → api.app:8080 v1 80%, api.app:8080 v2 20%');
    expect(r.stdout).toMatch(/from: VirtualService app\/shop \(.*new\.yaml#8, line \d+\)/);
    expect(r.stdout).toMatch(/No routing effect[^\n]*\n {2}modified AuthorizationPolicy edge\/require-jwt \(.*new\.yaml#10/);
  });

  it('--json: the documented schema, version 1', async () => {
    const r = await run(file('old.yaml'), file('new.yaml'), '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(['schemaVersion', 'changed', 'summary', 'classes', 'objects', 'notes']);
    expect(d.schemaVersion).toBe(1);
    expect(Object.keys(d.classes[0])).toEqual(['id', 'host', 'hostPattern', 'entry', 'listener', 'source', 'where', 'status', 'changes', 'example', 'examples', 'before', 'after', 'causes']);
    expect(d.classes[0].causes[0]).toMatchObject({ kind: 'VirtualService', namespace: 'app', name: 'shop', side: 'new', location: { document: 8 } });
    expect(d.objects).toEqual([expect.objectContaining({ kind: 'AuthorizationPolicy', change: 'modified', routingEffect: false }), expect.objectContaining({ kind: 'VirtualService', routingEffect: true })]);
  });

  it('--markdown: a pull-request comment with a table per host', async () => {
    const r = await run(file('old.yaml'), file('new.yaml'), '--markdown');
    expect(r.stdout).toMatch(/^### Edge diff: 2 request classes change\n/);
    expect(r.stdout).toContain('#### shop.example.com\n\n| | Requests | Before | After | From |');
    expect(r.stdout).toContain('<details><summary>No routing effect: 1 object changed without changing any outcome</summary>');
  });

  it('--sarif: SARIF 2.1.0, each change a result at the object it comes from (file, line, document, kind/namespace/name)', async () => {
    const r = await run(file('old.yaml'), file('new.yaml'), '--sarif');
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results;
    expect(results.map((x: any) => x.ruleId)).toEqual(['EDGE-DIFF-CHANGE', 'EDGE-DIFF-CHANGE', 'EDGE-DIFF-NO-EFFECT']);
    const location = results[0].locations[0];
    expect(location.physicalLocation.artifactLocation.uri).toMatch(/new\.yaml$/);
    expect(location.physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(location.properties.documentIndex).toBe(8);
    expect(location.logicalLocations[0].fullyQualifiedName).toBe('VirtualService/app/shop');
    expect(log.runs[0].tool.driver.rules.map((x: any) => x.id)).toEqual(['EDGE-DIFF-CHANGE', 'EDGE-DIFF-UNKNOWN', 'EDGE-DIFF-NO-EFFECT']);
  });

  it('is the tool\'s diff command', async () => {
    let stdout = '';
    const code = await main(['diff', file('old.yaml'), file('old.yaml')], { stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(code).toBe(0);
    expect(stdout).toContain('No routing change');
  });

  it('usage and input errors exit 2', async () => {
    expect((await run(file('old.yaml'))).code).toBe(2);
    const two = await run(file('old.yaml'), file('new.yaml'), '--json', '--sarif');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('Give one output format');
    const missing = await run(file('old.yaml'), file('nothing.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect((await run(file('broken.yaml'), file('old.yaml'))).code).toBe(2);
    expect((await run(file('old.yaml'), file('new.yaml'), '--color'))).toMatchObject({ code: 2 });
  });
});

describe('diff of the Gateway API form', () => {
  const form = (weight: number): KubernetesObject[] => [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'edge' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-v1', namespace: 'app' }, spec: { selector: { app: 'api', version: 'v1' }, ports: [{ port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-v2', namespace: 'app' }, spec: { selector: { app: 'api', version: 'v2' }, ports: [{ port: 8080 }] } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'app' },
      spec: {
        parentRefs: [{ name: 'gw', namespace: 'edge' }], hostnames: ['shop.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api-v1', port: 8080, weight }, { name: 'api-v2', port: 8080, weight: 100 - weight }] }],
      },
    },
  ];

  it('reads both sides as istiod does; a weight change is located at the HTTPRoute', async () => {
    write('gw-old.yaml', form(90));
    write('gw-new.yaml', form(50));
    const r = await run(file('gw-old.yaml'), file('gw-new.yaml'), '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.classes.map((c: any) => `${c.host} ${c.where.join(' | ')}`)).toEqual(['shop.example.com path ~ /api(/.*)?']);
    expect(d.classes[0].example.path).toMatch(/^\/api/);
    expect(d.classes[0].causes).toEqual([expect.objectContaining({ kind: 'HTTPRoute', name: 'api', side: 'new', location: expect.objectContaining({ document: 3 }) })]);
    expect((await run(file('gw-old.yaml'), file('gw-old.yaml'))).code).toBe(0);
  });
});
