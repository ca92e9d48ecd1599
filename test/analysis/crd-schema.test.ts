import { describe, expect, it } from 'vitest';
import { CrdSchemas, istioCrdSchemas } from '../../lib';
import { testCrd } from '../support/crd';

// A small CRD written for the tests: typed fields, an enum, bounds, a required field, and a
// free-form field that preserves unknown fields.
const WIDGET_CRD = testCrd('Widget', `
type: object
required: [size]
properties:
  size: { type: integer, minimum: 1, maximum: 10 }
  color: { type: string, enum: [red, blue] }
  extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
`, `  - name: v0
    served: false
    storage: false
    schema:
      openAPIV3Schema: { type: object }
`);

const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec });

describe('CrdSchemas', () => {
  const schemas = CrdSchemas.fromYaml(WIDGET_CRD);

  it('knows the served versions', () => {
    expect(schemas.kinds).toEqual(['example.com/v1/Widget']);
    expect(schemas.defines('example.com/v1', 'Widget')).toBe(true);
    expect(schemas.defines('example.com/v0', 'Widget')).toBe(false);
  });

  it('accepts a valid object, with anything under a field that preserves unknown fields', () => {
    expect(schemas.validate([widget({ size: 3, color: 'red', extra: { anything: [1, 2] } })])).toEqual([]);
  });

  it('reports types, enums, bounds, required and undeclared fields', () => {
    const problems = schemas.validate([
      widget({ size: 'big' }), widget({ size: 11, color: 'green' }), widget({ color: 'red' }), widget({ size: 1, colour: 'red' }),
    ]).map((p) => p.message);
    expect(problems).toEqual([
      '/spec/size: must be integer',
      '/spec/size: must be <= 10',
      '/spec/color: must be equal to one of the allowed values',
      '/spec: must have required property \'size\'',
      '/spec: must NOT have additional properties "colour"',
    ]);
  });

  it('skips kinds it does not define', () => {
    expect(schemas.validate([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { nonsense: true } }])).toEqual([]);
  });

  it('ships the CRDs of Istio 1.30.3', () => {
    const istio = istioCrdSchemas();
    for (const kind of ['networking.istio.io/v1/Gateway', 'networking.istio.io/v1/VirtualService', 'networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1alpha3/EnvoyFilter']) {
      expect(istio.kinds).toContain(kind);
    }
    const problems = istio.validate([{
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' },
      spec: { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLEST' } }] },
    }]);
    expect(problems.map((p) => p.message)).toEqual(['/spec/servers/0/tls/mode: must be equal to one of the allowed values']);
  });
});

describe('keyed lists (x-kubernetes-list-type: map)', () => {
  // samples/httpbin/... ServiceEntry shapes: ports are keyed by name in Istio 1.30.3's CRD.
  const serviceEntry = (ports: object[]) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin-ext', namespace: 'default' },
    spec: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports },
  });

  it('refuses two ServiceEntry ports of one name, as the API server does ("Duplicate value")', () => {
    const problems = istioCrdSchemas().validate([serviceEntry([{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 8080, name: 'http', protocol: 'HTTP' }])]);
    expect(problems.map((p) => p.message)).toEqual(['/spec/ports/1: Duplicate value: {"name":"http"} (the list is keyed by name: each key may appear once)']);
  });

  it('near miss: distinct names pass; WasmPlugin vmConfig.env is keyed by name too', () => {
    expect(istioCrdSchemas().validate([serviceEntry([{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'TLS' }])])).toEqual([]);
    const wasm = (env: object[]) => ({ apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'w', namespace: 'default' }, spec: { url: 'oci://example.com/w:1', vmConfig: { env } } });
    expect(istioCrdSchemas().validate([wasm([{ name: 'A', value: '1' }, { name: 'A', value: '2' }])]).map((p) => p.message)).toEqual([expect.stringMatching(/^\/spec\/vmConfig\/env\/1: Duplicate value: \{"name":"A"\}/)]);
    expect(istioCrdSchemas().validate([wasm([{ name: 'A', value: '1' }, { name: 'B', value: '1' }])])).toEqual([]);
  });
});
