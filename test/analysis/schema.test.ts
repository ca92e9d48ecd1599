import { describe, expect, it } from 'vitest';
import { validateSchemas } from '../../lib';
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
