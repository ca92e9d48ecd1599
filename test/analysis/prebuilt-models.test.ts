// The published schemas' models bundled ahead of time (scripts/compile.cjs generateSchemaModels,
// lib/analysis/schema/prebuilt-models.ts) are the packages' own code: they accept and refuse
// what the imported modules do, with the same messages; a bundle made from other versions of the
// packages is not used.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPrebuiltModels } from '../../lib/analysis/schema/prebuilt-models';

const ROOT = join(__dirname, '..', '..');
// Inside the repository, as build/schema-models/ is: what the bundle leaves outside
// (ajv-formats-draft2019) is required from the node_modules above it.
mkdirSync(join(ROOT, 'build'), { recursive: true });
const parent = mkdtempSync(join(ROOT, 'build', 'models-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));
// PrometheusRule: its patterns are checked by re2-wasm, which reads its WebAssembly beside its own
// file and so stays outside the bundle (scripts/compile.cjs SCHEMA_MODELS_EXTERNAL).
const KINDS = ['kubernetes-models/apps/v1/Deployment', 'kubernetes-models/v1/Service', '@kubernetes-models/istio/networking.istio.io/v1/VirtualService',
  '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateSchemaModels } = require(join(ROOT, 'scripts', 'compile.cjs')) as { generateSchemaModels: (root: string, outDir: string, options?: { kinds?: (k: string) => boolean }) => boolean };
generateSchemaModels(ROOT, parent, { kinds: (k) => KINDS.includes(k) });
const dir = join(parent, 'schema-models');

type Model = { prototype: { validate(this: unknown): void } };
/** The validation's message, or '' when the object is valid. */
function verdict(Model: Model, o: object): string {
  try {
    Model.prototype.validate.call(o);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const objects: Record<string, object[]> = {
  Deployment: [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two', selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 'http' }] }] } } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} },
  ],
  Service: [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'eighty' }], type: 3 } },
  ],
  VirtualService: [
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: 'a', http: [{ route: [{ destination: { port: { number: 'x' } } }] }] } },
  ],
  PrometheusRule: [
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m' }] }] } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: 'five minutes' }] }] } },
  ],
};

describe('prebuilt schema models', () => {
  it('hold the kinds asked for, and only those', () => {
    const kinds = readPrebuiltModels(dir);
    expect(kinds).not.toBeNull();
    expect(Object.keys(kinds!).sort()).toEqual([...KINDS].sort());
  });

  it('accept and refuse what the imported models do, with the same messages', async () => {
    const kinds = readPrebuiltModels(dir)!;
    for (const specifier of KINDS) {
      const kind = specifier.split('/').pop()!;
      const bundled = (await kinds[specifier]())[kind] as Model;
      const imported = (await import(specifier) as Record<string, Model>)[kind];
      expect(bundled).not.toBe(imported);
      const verdicts = objects[kind].map((o) => verdict(bundled, o));
      expect(verdicts).toEqual(objects[kind].map((o) => verdict(imported, o)));
      expect(verdicts[0]).toBe('');
      expect(verdicts.slice(1).every((v) => v.startsWith('data'))).toBe(true);
    }
  });

  it('are not used when made from other versions of the packages, or when the stamp is unreadable', () => {
    const stamp = readFileSync(join(dir, 'stamp.json'), 'utf8');
    const other = join(parent, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'index.js'), readFileSync(join(dir, 'index.js')));
    writeFileSync(join(other, 'stamp.json'), stamp.replace('"kubernetes-models": "', '"kubernetes-models": "0.'));
    expect(readPrebuiltModels(other)).toBeNull();
    writeFileSync(join(other, 'stamp.json'), stamp.replace('"format": 1', '"format": 0'));
    expect(readPrebuiltModels(other)).toBeNull();
    writeFileSync(join(other, 'stamp.json'), '{');
    expect(readPrebuiltModels(other)).toBeNull();
    expect(readPrebuiltModels(join(parent, 'missing'))).toBeNull();
  });
});
