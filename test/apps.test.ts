// The example edge app in apps/: what `npm run synth` writes for each environment.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp, edgeChartOf } from '../apps/edge';
import { environments } from '../apps/environments';
import { KubernetesObject, writeApp } from '../lib';
import { orderNamespacesFirst } from '../lib/synth/synth';
import { expectValid } from './support/synth';

function synthEnvironment(name: keyof typeof environments): { yaml: string; objects: KubernetesObject[] } {
  const outdir = mkdtempSync(join(tmpdir(), `edge-${name}-`));
  writeApp(buildEdgeApp(environments[name]), outdir);
  const files = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
  const yaml = files.map((f) => readFileSync(join(outdir, f), 'utf8')).join('---\n');
  return { yaml, objects: parseAllDocuments(yaml).map((d) => d.toJS()) };
}

const REQUIRED_KINDS = [
  'Gateway', 'VirtualService', 'DestinationRule', 'EnvoyFilter', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Deployment',
  'PodMonitor', 'Telemetry', 'ConfigMap',
];

describe.each(['dev', 'prod'] as const)('example edge, %s', (name) => {
  const { yaml, objects } = synthEnvironment(name);

  it('matches the reviewed manifests (golden file test/goldens/<env>.k8s.yaml)', async () => {
    await expect(yaml).toMatchFileSnapshot(`goldens/${name}.k8s.yaml`);
  });

  it('matches the reviewed Grafana dashboard (golden file test/goldens/<env>.dashboard.json)', async () => {
    const app = buildEdgeApp(environments[name]);
    await expect(`${JSON.stringify(edgeChartOf(app).monitoring.dashboard, null, 2)}\n`).toMatchFileSnapshot(`goldens/${name}.dashboard.json`);
  });

  it('lib/synth/synth.ts writes the same files, objects and order as cdk8s\'s own App.synth() (given its namespaces-first rule)', () => {
    const ours = mkdtempSync(join(tmpdir(), `edge-${name}-ours-`));
    const theirs = mkdtempSync(join(tmpdir(), `edge-${name}-cdk8s-`));
    writeApp(buildEdgeApp(environments[name]), ours);
    const app = buildEdgeApp(environments[name], { outdir: theirs });
    orderNamespacesFirst(app);
    app.synth();
    const files = (dir: string) => readdirSync(dir).sort();
    expect(files(ours)).toEqual(files(theirs));
    for (const f of files(theirs)) {
      const docs = (dir: string) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS());
      expect(docs(ours), f).toEqual(docs(theirs));
    }
  });

  it('validates against the published Kubernetes and Istio schemas and Istio 1.30.3\'s CRDs', async () => {
    await expectValid(objects);
  });

  it('contains the whole edge, with requests and limits on every container', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of REQUIRED_KINDS) expect(kinds, kind).toContain(kind);
    for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) {
      for (const c of d.spec.template.spec.containers) {
        expect(Object.keys(c.resources.requests).sort(), `${d.metadata.name}/${c.name}`).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort(), `${d.metadata.name}/${c.name}`).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('serves the environment\'s hosts over HTTPS with a redirect, and canaries the api (90/10 fixed in dev; a progressive rollout from 100/0 in prod)', () => {
    const gw = objects.find((o) => o.kind === 'Gateway') as any;
    expect(gw.spec.servers.map((s: any) => [s.port.number, s.hosts, s.tls])).toEqual([
      [80, environments[name].hosts, { httpsRedirect: true }],
      [443, environments[name].hosts, { mode: 'SIMPLE', credentialName: environments[name].tlsSecret, minProtocolVersion: 'TLSV1_2' }],
    ]);
    const vs = objects.find((o) => o.kind === 'VirtualService') as any;
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['orders-canary-override', 'orders', 'api-canary-override', 'api', 'storefront']);
    expect(vs.spec.http[3].route.map((r: any) => [r.destination.subset, r.weight])).toEqual(environments[name].progressiveApi
      ? [['stable', 100], ['canary', 0]] : [['v1', 90], ['v2', 10]]);
  });

  it('rewrites /api/items to /items for the api service, never //items (issue 11)', () => {
    const vs = objects.find((o) => o.kind === 'VirtualService') as any;
    const api = vs.spec.http.find((r: any) => r.name === 'api');
    expect(rewritten(api, '/api/items')).toBe('/items');
    expect(rewritten(api, '/api')).toBe('/');
    const orders = vs.spec.http.find((r: any) => r.name === 'orders');
    expect(rewritten(orders, '/api/orders/42')).toBe('/orders/42');
  });

  it('requires the JWT on exactly the requests the orders route takes (issue 11)', () => {
    const policy = objects.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata?.name?.endsWith('orders-jwt')) as any;
    const paths: string[] = policy.spec.rules.flatMap((r: any) => r.to?.flatMap((t: any) => t.operation.paths ?? []) ?? []);
    // The route takes /api/orders and what is below /api/orders/ (element-wise, as in the Gateway API form).
    for (const path of ['/api/orders', '/api/orders/42']) {
      expect(paths.some((p) => authorizationPathMatches(p, path)), path).toBe(true);
    }
    // /api/ordersX is not the order API: the api route takes it, without a JWT.
    for (const path of ['/api/items', '/api/ordersX']) expect(paths.some((p) => authorizationPathMatches(p, path)), path).toBe(false);
  });

  it('is deterministic: two runs give identical bytes', () => {
    expect(synthEnvironment(name).yaml).toBe(yaml);
  });
});

describe('environments', () => {
  it('differ in sizes and hostnames', () => {
    const dev = synthEnvironment('dev').objects as any[];
    const prod = synthEnvironment('prod').objects as any[];
    const hpa = (objs: any[]) => objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'istio-ingressgateway').spec;
    expect([hpa(dev).minReplicas, hpa(prod).minReplicas]).toEqual([2, 3]);
    const hosts = (objs: any[]) => objs.find((o) => o.kind === 'Gateway').spec.servers[0].hosts;
    expect(hosts(dev)).not.toEqual(hosts(prod));
  });

  it('the synth entry point writes dist/<env>/ for every environment', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'edge-cli-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'apps/main.ts'], { env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: 'pipe' });
    expect(readdirSync(outdir).sort()).toEqual(['alerts', 'dev', 'gateway-api', 'prod']);
    // The Kubernetes Gateway API form of each environment (test/gateway-api.test.ts proves it routes the same).
    expect(readdirSync(join(outdir, 'gateway-api')).sort()).toEqual(['dev', 'prod']);
    expect(readFileSync(join(outdir, 'gateway-api', 'prod', 'edge.k8s.yaml'), 'utf8')).toMatch(/^kind: HTTPRoute$/m);
    expect(readdirSync(join(outdir, 'alerts')).sort()).toEqual(['dev.rules.yaml', 'prod.rules.yaml']);
    expect(readFileSync(join(outdir, 'prod', 'edge.k8s.yaml'), 'utf8')).toBe(synthEnvironment('prod').yaml);
    // Beside the YAML, the picture of the edge (test/explain/graph.test.ts checks what it names).
    expect(readdirSync(join(outdir, 'prod')).sort()).toEqual(['edge.k8s.yaml', 'edge.md', 'edge.svg']);
    expect(readFileSync(join(outdir, 'prod', 'edge.svg'), 'utf8')).toMatch(/<svg [\s\S]*Edge: prod[\s\S]*<\/svg>/);
    expect(readFileSync(join(outdir, 'dev', 'edge.md'), 'utf8')).toMatch(/^# Edge: dev\n[\s\S]*```mermaid\nflowchart LR\n/);
  });
});

/** The path Envoy forwards for `path` on an HTTP route of a VirtualService (prefix or regex rewrite). */
function rewritten(route: any, path: string): string {
  const rw = route.rewrite ?? {};
  if (rw.uriRegexRewrite) return path.replace(new RegExp(rw.uriRegexRewrite.match), rw.uriRegexRewrite.rewrite);
  const prefix = route.match?.find((m: any) => m.uri?.prefix && path.startsWith(m.uri.prefix))?.uri.prefix;
  return rw.uri !== undefined && prefix !== undefined ? rw.uri + path.slice(prefix.length) : path;
}

/** Istio's AuthorizationPolicy path match: exact, "prefix*", "*suffix" or "*". */
function authorizationPathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return pattern === path;
}
