// Objects in namespaces nothing creates are an error at synth (issue 23 item 6): `kubectl apply`
// and `pulumi up` would fail on them. The app creates each namespace (AppNamespace, a Namespace) or
// declares it as existing (AppNamespace.fromName, an imported Gateway/Service/workload, the synth
// entry's existingNamespaces); analyze of arbitrary manifests does not check it.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  analyze, AppNamespace, DestinationRule, ExternalTrafficPolicy, GatewayWorkload, IngressGateway, KubernetesObject, MissingNamespaceError, RateLimit, RateLimitDescriptor,
  RateLimitRedis, RateLimitService, RateLimitUnit, synthAndCheck, synthesizeApp, synthesizeChecked, Traffic, VersionedService,
} from '../lib';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'synth-ns-'));
const quiet = { log: () => undefined };

/** A small edge: a gateway (its namespace created), a service in "shop" (created), and a global rate limit whose service is in `rateLimitNamespace`. */
function edge(options: { rateLimitNamespace?: string; serviceNamespace?: string } = {}) {
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const service = new RateLimitService(chart, 'ratelimit', { domain: 'shop', namespace: options.rateLimitNamespace, redis: RateLimitRedis.inCluster() });
  const gateway = new IngressGateway(chart, 'gateway', {
    hosts: ['shop.example.com'], createNamespace: true, azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
    rateLimits: [RateLimit.global({ service, limits: [RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)] })],
  });
  new AppNamespace(chart, 'shop', { gateways: [gateway] });
  const web = new VersionedService(chart, 'web', { namespace: options.serviceNamespace ?? 'shop', port: 8080, versions: [{ name: 'v1', image: 'web:1', replicas: 2 }] });
  gateway.addRoute('web', { namespace: 'shop', routes: [{ name: 'web', to: Traffic.to(web.version('v1')) }] });
  return { app, chart };
}

describe('namespaces at synth', () => {
  it('the rate-limit service\'s default namespace "ratelimit", created by nothing: synthAndCheck names it, its objects and both fixes, and writes nothing', async () => {
    const out = tmp();
    const { app } = edge();
    let error: unknown;
    await synthAndCheck(app, { outdir: out, ...quiet }).catch((e: unknown) => { error = e; });
    expect(error).toBeInstanceOf(MissingNamespaceError);
    const message = (error as Error).message;
    expect(message).toMatch(/edge\/ratelimit\/[A-Za-z]+: invalid namespace: received "ratelimit"/);
    expect(message).toContain('invalid namespace: received "ratelimit". Nothing in the app creates it and nothing declares it as existing, so applying its objects fails (');
    expect(message).toMatch(/ConfigMap ratelimit-config \(edge\/ratelimit\/[A-Za-z]+\), .*Deployment ratelimit \(edge\/ratelimit\/[A-Za-z]+\).*\): create it/);
    expect(message).toContain('new AppNamespace(scope, id, { name: "ratelimit" })');
    expect(message).toContain('AppNamespace.fromName(scope, id, "ratelimit"), or existingNamespaces: ["ratelimit"]');
    expect((error as MissingNamespaceError).namespaces).toEqual(['ratelimit']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a typo in a service\'s namespace: synthesizeChecked throws before writing; the route in the right namespace is not named', async () => {
    const out = tmp();
    const { app } = edge({ rateLimitNamespace: 'shop', serviceNamespace: 'shoop' });
    await expect(synthesizeChecked(out, [{ name: 'dev', app }])).rejects.toThrow(/edge\/web: invalid namespace: received "shoop"\..*Service web \(edge\/web\/Service\).*: create it/);
    expect(readdirSync(out)).toEqual([]);
    const message = await synthesizeChecked(out, [{ name: 'dev', app }]).catch((e: Error) => e.message);
    expect(message).not.toMatch(/VirtualService/);
  });

  it('created (AppNamespace, a plain Namespace) or declared (AppNamespace.fromName, existingNamespaces, imports, Kubernetes\' own): no error', async () => {
    // AppNamespace for the rate-limit service.
    const a = edge();
    new AppNamespace(a.chart, 'ratelimit-ns', { name: 'ratelimit' });
    await expect(synthAndCheck(a.app, { outdir: tmp(), ...quiet })).resolves.toBeDefined();
    // A plain Namespace object.
    const b = edge();
    new ApiObject(b.chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ratelimit' } });
    await expect(synthAndCheck(b.app, { outdir: tmp(), ...quiet })).resolves.toBeDefined();
    // Declared as existing: the import, or the synth option.
    const c = edge();
    expect(AppNamespace.fromName(c.chart, 'existing', 'ratelimit').namespaceName).toBe('ratelimit');
    await expect(synthAndCheck(c.app, { outdir: tmp(), ...quiet })).resolves.toBeDefined();
    const d = edge();
    await expect(synthesizeChecked(tmp(), [{ name: 'dev', app: d.app, existingNamespaces: ['ratelimit'] }])).resolves.toMatchObject({ written: true });
    await expect(synthAndCheck(edge().app, { outdir: tmp(), existingNamespaces: ['ratelimit'], ...quiet })).resolves.toBeDefined();
    // Imports: a Service and a Gateway that exist live in namespaces that exist; so does an existing workload's.
    const app = new App();
    const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
    const ledger = VersionedService.fromServiceAttributes(chart, 'ledger', { name: 'ledger', namespace: 'payments', ports: [8080] });
    new DestinationRule(chart, 'ledger-rule', { host: ledger, namespace: 'payments' });
    const shared = IngressGateway.fromGatewayAttributes(chart, 'shared', { name: 'public', namespace: 'aks-istio-ingress', hosts: ['*.example.com'], selector: { istio: 'aks-istio-ingressgateway-external' } });
    shared.denyRequests('admin', { paths: ['/admin'] });
    new IngressGateway(chart, 'addon', { hosts: ['a.example.com'], workload: GatewayWorkload.aksAddon() });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' }, data: {} });
    expect(() => synthesizeApp(app)).not.toThrow();
    await expect(synthesizeChecked(tmp(), [{ name: 'dev', app }])).resolves.toBeDefined();
  });

  it('is not part of synthesizeApp nor of analyze (a cluster has namespaces the manifests do not show)', () => {
    const { app } = edge();
    const objects = synthesizeApp(app).flatMap((c) => c.objects) as KubernetesObject[];
    expect(objects.some((o) => o.metadata?.namespace === 'ratelimit')).toBe(true);
    expect(analyze(objects).filter((f) => /namespace/i.test(f.message) && f.severity === 'error')).toEqual([]);
  });

  it('AppNamespace.fromName checks its name', () => {
    expect(() => AppNamespace.fromName(new Chart(new App(), 'c'), 'x', 'Bad_Name')).toThrow(/c\/x: invalid name: received "Bad_Name"/);
  });
});
