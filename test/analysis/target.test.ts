// The install target: `analyze --target aks-addon` (and AnalyzeOptions.target) reports the Istio
// kinds the AKS Istio add-on blocks and the EnvoyFilters it leaves outside Azure's support, from
// Microsoft's add-on documentation (istio-about "Limitations", istio-support-policy).
import { describe, expect, it } from 'vitest';
import { analyze, KubernetesObject } from '../../lib';
import { parseAnalyzeArgs, runAnalyze } from '../../lib/cli/analyze';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const obj = (apiVersion: string, kind: string, name: string, spec: object = {}): KubernetesObject => ({ apiVersion, kind, metadata: { name, namespace: 'shop' }, spec });
// Shapes of Istio's samples: a WasmPlugin (samples/wasm_modules), a WorkloadEntry/WorkloadGroup
// (VM workloads), a ProxyConfig; an EnvoyFilter (samples/bookinfo/policy/productpage_envoy_ratelimit.yaml).
const blocked = [
  obj('extensions.istio.io/v1alpha1', 'WasmPlugin', 'basic-auth', { selector: { matchLabels: { istio: 'ingressgateway' } }, url: 'oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0', phase: 'AUTHN' }),
  obj('networking.istio.io/v1', 'WorkloadEntry', 'vm-1', { address: '10.0.0.7', labels: { app: 'legacy' } }),
  obj('networking.istio.io/v1', 'WorkloadGroup', 'legacy', { metadata: { labels: { app: 'legacy' } }, template: { serviceAccount: 'legacy' } }),
  obj('networking.istio.io/v1beta1', 'ProxyConfig', 'per-workload', { concurrency: 2 }),
];
const envoyFilter = obj('networking.istio.io/v1alpha3', 'EnvoyFilter', 'filter-ratelimit', { configPatches: [] });

const summary = (objects: KubernetesObject[], target?: 'helm' | 'aks-addon') => analyze(objects, { target }).filter((f) => f.check.startsWith('AksAddon')).map((f) => `${f.severity} ${f.check} ${f.object}`);

describe('install target', () => {
  it('aks-addon: blocked kinds are errors naming the support policy; EnvoyFilters a warning', () => {
    const findings = analyze([...blocked, envoyFilter], { target: 'aks-addon' }).filter((f) => f.check.startsWith('AksAddon'));
    expect(findings.map((f) => `${f.severity} ${f.check} ${f.object}`)).toEqual([
      'error AksAddonBlockedKind ProxyConfig shop/per-workload', 'error AksAddonBlockedKind WorkloadEntry shop/vm-1',
      'error AksAddonBlockedKind WorkloadGroup shop/legacy', 'error AksAddonBlockedKind WasmPlugin shop/basic-auth',
      'warning AksAddonUnsupportedEnvoyFilter EnvoyFilter shop/filter-ratelimit',
    ]);
    expect(findings[0].message).toMatch(/blocks ProxyConfig .*support policy, https:\/\/learn\.microsoft\.com\/azure\/aks\/istio-support-policy/);
    expect(findings[4].message).toMatch(/outside Azure's support/);
  });

  it('near misses: the same objects for helm (the default) report nothing; a kind of another group named WorkloadEntry is not Istio\'s', () => {
    expect(summary([...blocked, envoyFilter])).toEqual([]);
    expect(summary([...blocked, envoyFilter], 'helm')).toEqual([]);
    expect(summary([obj('example.com/v1', 'WorkloadEntry', 'x')], 'aks-addon')).toEqual([]);
  });

  it('the command line: --target aks-addon (default helm); another value is a usage error', async () => {
    expect(parseAnalyzeArgs(['k8s/']).target).toBe('helm');
    expect(parseAnalyzeArgs(['k8s/', '--target', 'aks-addon']).target).toBe('aks-addon');
    expect(parseAnalyzeArgs(['k8s/', '--target=helm']).target).toBe('helm');
    expect(() => parseAnalyzeArgs(['k8s/', '--target', 'aks'])).toThrow(/--target takes helm or aks-addon; received "aks"/);
    const d = mkdtempSync(join(tmpdir(), 'edge-target-'));
    writeFileSync(join(d, 'wasm.yaml'), JSON.stringify(blocked[0]));
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => undefined };
    expect(await runAnalyze([d, '--target', 'aks-addon'], io)).toBe(1);
    expect(out).toMatch(/ERROR +AksAddonBlockedKind .*wasm\.yaml.*WasmPlugin shop\/basic-auth/);
    out = '';
    expect(await runAnalyze([d], io)).toBe(0);
  });
});
