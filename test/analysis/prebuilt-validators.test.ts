// The CRD validators `npm run build` compiles ahead of time (ajv's standalone code, see
// writePrebuiltValidators) say exactly what the validators compiled at run time say, on the
// example's objects in both forms and on broken copies of them; a CRD text they were not built
// for is parsed and compiled as before.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { GatewayApiOmission, KubernetesObject, synthesizeGatewayApi } from '../../lib';
import { CrdSchemas, ISTIO_CRDS_FILE, jsonSchemaValidator, writePrebuiltValidators } from '../../lib/analysis/schema/crd-schema';
import { GATEWAY_API_CRDS_FILE } from '../../lib/analysis/schema/gateway-api-crd';
import { RATE_LIMIT_CONFIG_SCHEMA_FILE } from '../../lib/analysis/checks/rate-limit/rate-limit-checks';

// Inside the repository, as build/crd-validators/ is inside the package: the generated code
// requires ajv's runtime helpers from the node_modules above it.
mkdirSync(join(__dirname, '..', '..', 'build'), { recursive: true });
const parent = mkdtempSync(join(__dirname, '..', '..', 'build', 'prebuilt-test-'));
const dir = join(parent, 'crd-validators');
writePrebuiltValidators([ISTIO_CRDS_FILE, GATEWAY_API_CRDS_FILE], dir, [RATE_LIMIT_CONFIG_SCHEMA_FILE]);
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Broken copies of an object: an undeclared field, a wrong type, an empty spec, a missing spec. */
function broken(o: KubernetesObject): KubernetesObject[] {
  const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
  const first = Object.keys(spec)[0];
  return [
    { ...o, spec: { ...spec, notAField: true } },
    ...(first ? [{ ...o, spec: { ...spec, [first]: 12345 } }, { ...o, spec: { ...spec, [first]: 'text' } }] : []),
    { ...o, spec: {} },
    { ...o, spec: undefined },
  ] as KubernetesObject[];
}

function objectsOf(env: keyof typeof environments): KubernetesObject[] {
  const istio = (loadAll(readFileSync(join(__dirname, '..', 'goldens', `${env}.k8s.yaml`), 'utf8')) as KubernetesObject[]).filter(Boolean);
  const gatewayApi = synthesizeGatewayApi(buildEdgeApp(environments[env]), { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] }).charts.flatMap((c) => c.objects);
  return [...istio, ...gatewayApi];
}

describe('prebuilt CRD validators', () => {
  for (const file of [ISTIO_CRDS_FILE, GATEWAY_API_CRDS_FILE]) {
    it(`give the same problems as validators compiled at run time: ${file.split('/').pop()}`, () => {
      const text = readFileSync(file, 'utf8');
      const prebuilt = CrdSchemas.fromPrebuilt(dir, text)!;
      // Another text (one more newline): the CRDs are parsed and compiled here.
      const compiled = CrdSchemas.fromYaml(`${text}\n`);
      expect(prebuilt).toBeDefined();
      expect(prebuilt.kinds.sort()).toEqual(compiled.kinds.sort());
      const objects = [...objectsOf('dev'), ...objectsOf('prod')].filter((o) => compiled.defines(o.apiVersion, o.kind));
      expect(objects.length).toBeGreaterThan(5);
      const all = objects.flatMap((o) => [o, ...broken(o)]);
      const problems = compiled.validate(all);
      expect(problems.length).toBeGreaterThan(objects.length);
      expect(prebuilt.validate(all)).toEqual(problems);
      expect(prebuilt.validate(objects)).toEqual([]);
    });
  }

  it('are compiled with their module (parenthesized functions), so that Node\'s compile cache keeps them', () => {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { sets: Record<string, Record<string, string>>; json: Record<string, string> };
    const ids = [...Object.values(index.sets).flatMap((kinds) => Object.values(kinds)), ...Object.values(index.json)];
    for (const id of new Set(ids)) {
      const code = readFileSync(join(dir, `${id}.js`), 'utf8');
      // (Booleans: a failure names the file, not its megabyte of code.)
      expect(/^var (validate\d+) = \(function \1\(/m.test(code), `${id}: a parenthesized validate function`).toBe(true);
      // No function left as a declaration (V8 compiles those on their first call, after the cache was written).
      expect(/(^|[;}])function validate\d+\(/m.test(code), `${id}: a validate function declared`).toBe(false);
      expect(/module\.exports = validate\d+;module\.exports\.default = validate\d+;\s*$/.test(code), `${id}: the exports at the end`).toBe(true);
    }
  });

  it('are not used for CRD text they were not built for, nor from an index of another format', () => {
    expect(CrdSchemas.fromPrebuilt(dir, 'apiVersion: v1\nkind: List\n')).toBeUndefined();
    expect(CrdSchemas.fromPrebuilt(join(dir, 'missing'), readFileSync(ISTIO_CRDS_FILE, 'utf8'))).toBeUndefined();
  });

  it('hold the JSON Schemas too: the rate-limit configuration schema gives the same errors', () => {
    const prebuiltDir = load(readFileSync(join(dir, 'index.json'), 'utf8')) as { json: Record<string, string> };
    const id = Object.values(prebuiltDir.json)[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prebuilt = require(join(dir, `${id}.js`)) as ReturnType<typeof jsonSchemaValidator>;
    const compiled = jsonSchemaValidator(RATE_LIMIT_CONFIG_SCHEMA_FILE);
    for (const config of [{ domain: 'edge', descriptors: [{ key: 'remote_address', rate_limit: { unit: 'minute', requests_per_unit: 10 } }] }, { domain: 1, descriptors: [{ rate_limit: { unit: 'fortnight' } }] }, {}]) {
      expect(prebuilt(config)).toBe(compiled(config));
      expect(prebuilt.errors ?? null).toEqual(compiled.errors ?? null);
    }
  });
});
