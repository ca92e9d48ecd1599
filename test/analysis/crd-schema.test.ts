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
