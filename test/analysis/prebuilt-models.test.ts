// The published schemas' models bundled ahead of time (scripts/compile.cjs generateSchemaModels,
// lib/analysis/schema/prebuilt-models.ts) are the packages' own code: they accept and refuse
// what the imported modules do, with the same messages, from either bundle (index.js, the kinds
// the constructs emit; rest.js, the others); bundles made from other versions of the packages are
// not used; every kind the goldens hold is in index.js.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readPrebuiltModels } from '../../lib/analysis/schema/prebuilt-models';
import { schemaModule } from '../../lib/analysis/schema/schema';

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
// Two in index.js, two in rest.js.
const HOT = ['kubernetes-models/apps/v1/Deployment', '@kubernetes-models/istio/networking.istio.io/v1/VirtualService'];
interface Compile {
  generateSchemaModels: (root: string, outDir: string, options?: { kinds?: (k: string) => boolean; hot?: readonly string[] }) => boolean;
  schemaModelKinds: (root: string) => string[];
  SCHEMA_MODELS_HOT: readonly string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateSchemaModels, schemaModelKinds, SCHEMA_MODELS_HOT } = require(join(ROOT, 'scripts', 'compile.cjs')) as Compile;
generateSchemaModels(ROOT, parent, { kinds: (k) => KINDS.includes(k), hot: HOT });
const dir = join(parent, 'schema-models');
/** Node's module cache (the bundles are required with Node's own require). */
const moduleCache = createRequire(__filename).cache;
const FORMATS_2019 = createRequire(__filename).resolve('ajv-formats-draft2019/formats/index.js');

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
  it('hold the kinds asked for, and only those: the hot ones in index.js, the others in rest.js, read at the first of its kinds', async () => {
    // Another test file of this worker (vitest's isolate: false) may have required
    // ajv-formats-draft2019 through the imported models: what is asked below is whether loading
    // these bundles, their kinds and a validation require it.
    delete moduleCache[FORMATS_2019];
    const kinds = readPrebuiltModels(dir);
    expect(kinds).not.toBeNull();
    expect(Object.keys(kinds!).sort()).toEqual([...KINDS].sort());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hot = require(join(dir, 'index.js')) as { kinds: object; rest: string[] };
    expect(Object.keys(hot.kinds).sort()).toEqual([...HOT].sort());
    expect(hot.rest).toEqual(KINDS.filter((k) => !HOT.includes(k)).sort());
    const { Deployment } = await kinds!['kubernetes-models/apps/v1/Deployment']() as Record<string, Model>;
    expect(moduleCache[join(dir, 'rest.js')]).toBeUndefined();
    await kinds!['kubernetes-models/v1/Service']();
    expect(moduleCache[join(dir, 'rest.js')]).toBeDefined();
    // A validation does not require ajv-formats-draft2019 (LAZY_FORMATS_2019): none of its formats is used.
    expect(objects.Deployment.map((o) => verdict(Deployment, o) === '')).toEqual([true, false, false]);
    expect(moduleCache[FORMATS_2019]).toBeUndefined();
  });

  it('stand in for ajv-formats-draft2019\'s formats, required at the first call of one: the same formats, the same answers', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = (require(join(dir, 'index.js')) as { formats: Record<string, unknown> }).formats;
    const imported = (await import('@kubernetes-models/validate')).formats as Record<string, unknown>;
    expect(Object.keys(bundled)).toEqual(Object.keys(imported));
    const samples: Record<string, string[]> = {
      iri: ['http://例子.example/ä', 'https://example.com/path', 'relative/path', 'a b', ''],
      'iri-reference': ['/ä/b?c', '#f', 'http://[::1', '\\bad'],
      'idn-email': ['用户@例子.广告', 'a.b@example.com', 'no-at-sign', 'a@@b'],
      'idn-hostname': ['例子.广告', 'xn--fsqu00a.xn--3lr804guic', '-bad-.com', 'a'.repeat(64)],
    };
    for (const [name, values] of Object.entries(samples)) {
      const [ours, theirs] = [bundled[name], imported[name]] as ((v: string) => boolean)[];
      expect(ours).not.toBe(theirs);
      expect(values.map((v) => ours(v)), name).toEqual(values.map((v) => theirs(v)));
    }
    expect(moduleCache[FORMATS_2019]).toBeDefined();
    expect(String(bundled.duration)).toBe(String(imported.duration));
    expect(['P1Y2M', 'PT', 'P1W'].map((v) => (bundled.duration as RegExp).test(v))).toEqual([true, false, true]);
  });

  it('accept and refuse what the imported models do, with the same messages', async () => {
    const kinds = readPrebuiltModels(dir)!;
    for (const specifier of KINDS) {
      const kind = specifier.split('/').pop()!;
      const bundled = (await kinds[specifier]())[kind] as Model;
      const imported = (await import(specifier) as Record<string, Model>)[kind];
      expect(bundled, specifier).not.toBe(imported);
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
    for (const f of ['index.js', 'rest.js']) writeFileSync(join(other, f), readFileSync(join(dir, f)));
    writeFileSync(join(other, 'stamp.json'), stamp.replace('"kubernetes-models": "', '"kubernetes-models": "0.'));
    expect(readPrebuiltModels(other)).toBeNull();
    // The package the bundles stand in for in part (scripts/compile.cjs LAZY_FORMATS_2019).
    writeFileSync(join(other, 'stamp.json'), stamp.replace('"ajv-formats-draft2019": "', '"ajv-formats-draft2019": "0.'));
    expect(readPrebuiltModels(other)).toBeNull();
    expect(stamp).toContain('"format": 2');
    writeFileSync(join(other, 'stamp.json'), stamp.replace('"format": 2', '"format": 1'));
    expect(readPrebuiltModels(other)).toBeNull();
    writeFileSync(join(other, 'stamp.json'), '{');
    expect(readPrebuiltModels(other)).toBeNull();
    expect(readPrebuiltModels(join(parent, 'missing'))).toBeNull();
  });

  it('import the kinds of rest.js when it is missing', async () => {
    const other = join(parent, 'no-rest');
    mkdirSync(other);
    for (const f of ['index.js', 'stamp.json']) writeFileSync(join(other, f), readFileSync(join(dir, f)));
    const kinds = readPrebuiltModels(other)!;
    expect((await kinds['kubernetes-models/v1/Service']()).Service).toBe((await import('kubernetes-models/v1/Service')).Service);
    expect((await kinds['kubernetes-models/apps/v1/Deployment']()).Deployment).not.toBe((await import('kubernetes-models/apps/v1/Deployment')).Deployment);
  });

  it('refuse a hot kind that no package defines', () => {
    const nope = 'kubernetes-models/v1/Nope';
    expect(() => generateSchemaModels(ROOT, join(parent, 'nope'), { kinds: (k) => k === nope, hot: [nope] })).toThrow(/names kubernetes-models\/v1\/Nope, which no package/);
  });
});

describe('the hot bundle (scripts/compile.cjs SCHEMA_MODELS_HOT)', () => {
  it('holds every published kind the goldens emit, and only published kinds', () => {
    const published = new Set(schemaModelKinds(ROOT));
    const emitted = new Set<string>();
    for (const env of ['dev', 'prod']) {
      for (const o of loadAll(readFileSync(join(ROOT, 'test', 'goldens', `${env}.k8s.yaml`), 'utf8')) as { apiVersion: string; kind: string }[]) {
        if (o) emitted.add(schemaModule(o.apiVersion, o.kind));
      }
    }
    const validated = [...emitted].filter((k) => published.has(k));
    expect(validated.length).toBeGreaterThan(15);
    expect(validated.filter((k) => !SCHEMA_MODELS_HOT.includes(k))).toEqual([]);
    expect(SCHEMA_MODELS_HOT.filter((k) => !published.has(k))).toEqual([]);
  });
});
