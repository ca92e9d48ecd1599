import { describe, expect, it } from 'vitest';
import { validateAndAnalyze, validateSchemas } from '../../lib';
import type { KubernetesObject } from '../../lib';
import { KnownStructure, validateAndAnalyzeKnown } from '../../lib/analysis/analyze';
import { schemaModule } from '../../lib/analysis/schema/schema';

const gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'istio-ingress' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] }] },
};

describe('validateSchemas', () => {
  it('maps kinds to the published schema modules', () => {
    expect(schemaModule('v1', 'Service')).toBe('kubernetes-models/v1/Service');
    expect(schemaModule('apps/v1', 'Deployment')).toBe('kubernetes-models/apps/v1/Deployment');
    expect(schemaModule('networking.istio.io/v1alpha3', 'EnvoyFilter')).toBe('@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter');
  });

  it('accepts a valid Istio object', async () => {
    expect(await validateSchemas([gateway])).toEqual([]);
  });

  it('rejects an Istio object with a wrongly typed field', async () => {
    const bad = { ...gateway, spec: { ...gateway.spec, servers: [{ ...gateway.spec.servers[0], port: { number: 'eighty', name: 'http', protocol: 'HTTP' } }] } };
    const problems = await validateSchemas([bad]);
    expect(problems).toHaveLength(1);
    expect(problems[0].object).toBe('networking.istio.io/v1 Gateway istio-ingress/gw');
    expect(problems[0].message).toMatch(/number/);
  });

  it('rejects a Kubernetes object with a wrongly typed field', async () => {
    const problems = await validateSchemas([{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { replicas: 'two', selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    }]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/replicas/);
  });

  it('reports a kind without a published schema as unvalidated instead of passing it', async () => {
    const problems = await validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(problems).toEqual([{ object: 'example.com/v1 Widget w', unvalidated: true, message: expect.stringMatching(/^not validated: no schema for example.com\/v1 Widget/) }]);
    expect(await validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }], { validatedElsewhere: (_, k) => k === 'Widget' })).toEqual([]);
  });

  it('checks a SecretProviderClass against the schema written for it (schemas/), every error at once', async () => {
    const spc = { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'kv', namespace: 'edge' } };
    expect(await validateSchemas([{ ...spc, spec: { provider: 'azure', parameters: { keyvaultName: 'kv' }, secretObjects: [{ secretName: 's', type: 'kubernetes.io/tls', data: [{ objectName: 'cert', key: 'tls.crt' }] }] } }])).toEqual([]);
    const problems = await validateSchemas([{ ...spc, spec: { provider: '', parameters: { retries: 3 }, secretObjects: [{ secretName: 's', data: [{ objectName: 'cert' }] }], extra: true } }]);
    expect(problems.map((p) => p.message)).toEqual([
      'data/spec must NOT have additional properties',
      'data/spec/provider must NOT have fewer than 1 characters',
      'data/spec/parameters/retries must be string',
      "data/spec/secretObjects/0 must have required property 'type'",
      "data/spec/secretObjects/0/data/0 must have required property 'key'",
    ]);
  });
});

describe('validateAndAnalyzeKnown', () => {
  // Problems of every kind of validation: a published schema, each vendored CRD set (Istio, Gateway
  // API, Argo Rollouts), a kind without a schema; listed so that the CRD sets interleave.
  const objects: KubernetesObject[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'a' }, spec: { hostnames: [7] } },
    { ...gateway, spec: { ...gateway.spec, servers: [{ ...gateway.spec.servers[0], port: { number: 'eighty', name: 'http', protocol: 'HTTP' } }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'a' }, spec: { replicas: 'two', selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'ro', namespace: 'a' }, spec: { replicas: 'x' } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'a' }, spec: { hosts: ['a.example.com'], http: [{ timeout: 'soon' }] } },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
  ];

  it('gives validateAndAnalyze\'s findings in its order, validating an object it has seen once', async () => {
    const expected = await validateAndAnalyze(objects);
    expect(new Set(expected.map((f) => f.check))).toEqual(new Set(['SchemaInvalid', 'CustomResourceInvalid', 'SchemaNotFound', ...expected.filter((f) => !/^(Schema|CustomResource)/.test(f.check)).map((f) => f.check)]));
    const known: KnownStructure = new WeakMap();
    const first = await validateAndAnalyzeKnown(objects.slice(1, 4), {}, known);
    expect(first).toEqual(await validateAndAnalyze(objects.slice(1, 4)));
    const again = await validateAndAnalyzeKnown(objects, {}, known);
    expect(again).toEqual(expected);
    // The findings of the objects seen before are those of the first call: not validated again.
    const seen = first.filter((f) => /^(Schema|CustomResource)/.test(f.check));
    expect(seen.length).toBeGreaterThan(2);
    for (const f of seen) expect(again).toContain(f);
  });

  it('validates afresh objects that share a reference: a problem does not say which of them it is about', async () => {
    const twin = { ...objects[2], spec: { ...(objects[2].spec as object), replicas: 2 } };
    const known: KnownStructure = new WeakMap();
    const list = [...objects, twin];
    expect(await validateAndAnalyzeKnown(list, {}, known)).toEqual(await validateAndAnalyze(list));
    expect(known.has(objects[2])).toBe(false);
    expect(await validateAndAnalyzeKnown(list, {}, known)).toEqual(await validateAndAnalyze(list));
  });
});
