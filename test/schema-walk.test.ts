// Every field carried or refused, provably (issue 23 item 2): the pinned Istio CRDs' schemas
// (crds/istio-1.30.3-crd-all.gen.yaml, networking.istio.io/v1 VirtualService, Gateway,
// DestinationRule, ServiceEntry) are walked property by property, and each reader's declared table
// must place every property path: handled, refused (a named error with the alternative) or of no
// effect on that reader (with the reason). The walk descends into lists (`[]`) and maps (`{}`),
// and stops at depth 12 (the pinned CRDs inline every type and do not recurse; `delegate` is a
// name and a namespace, and map values are StringMatches). The tables are checked to be real:
// every entry names a schema path, every handled path is read by the reader's source, and every
// refused path, put on an object, makes the reader answer with its named error.
import { App, Chart } from 'cdk8s';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngressGateway, KubernetesObject, PathMatch, Traffic, VersionedService } from '../lib';
import { FieldTable, FieldTreatment, treatmentOf } from '../lib/model/field-paths';
import { GATEWAY_API_FIELDS } from '../lib/gateway-api/fields';
import { toGatewayApi } from '../lib/gateway-api/convert';
import { synthesizeApp } from '../lib/synth/synth';
import { EXPLAIN_FIELDS, GRAPH_FIELDS } from '../lib/explain/fields';
import { explainRequest } from '../lib/explain';

const KINDS = ['VirtualService', 'Gateway', 'DestinationRule', 'ServiceEntry', 'Sidecar'] as const;
const MAX_DEPTH = 12;

interface Schema { type?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean }

/** Every property path of a schema, with the schema of its leaf. */
function walk(schema: Schema, path = '', depth = 0, out = new Map<string, Schema>()): Map<string, Schema> {
  if (depth > MAX_DEPTH) throw new Error(`${path}: deeper than ${MAX_DEPTH}; the walk would need a limit here`);
  if (schema.properties) {
    for (const [k, v] of Object.entries(schema.properties)) walk(v, path ? `${path}.${k}` : k, depth + 1, out);
  } else if (schema.type === 'array' && schema.items) {
    walk(schema.items, `${path}[]`, depth + 1, out);
  } else if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
    walk(schema.additionalProperties, `${path}{}`, depth + 1, out);
  } else {
    out.set(path, schema);
  }
  return out;
}

const schemas = new Map<string, Map<string, Schema>>();
for (const doc of readFileSync('crds/istio-1.30.3-crd-all.gen.yaml', 'utf8').split(/^---$/m)) {
  const crd = load(doc) as { kind?: string; spec?: { group: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> } } | undefined;
  if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.group !== 'networking.istio.io') continue;
  const kind = crd.spec.names.kind;
  if (!(KINDS as readonly string[]).includes(kind)) continue;
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  const spec = v1?.schema.openAPIV3Schema.properties?.spec;
  if (spec) schemas.set(kind, walk(spec));
}

type Category = 'handled' | 'refused' | 'noEffect';
const category = (t: FieldTreatment): Category => ('handled' in t ? 'handled' : 'refused' in t ? 'refused' : 'noEffect');

const READERS: ReadonlyArray<{ readonly name: string; readonly table: FieldTable; readonly sources: readonly string[] }> = [
  { name: 'the Gateway API conversion', table: GATEWAY_API_FIELDS, sources: ['lib/gateway-api/convert.ts'] },
  { name: 'explain', table: EXPLAIN_FIELDS, sources: ['lib/explain/explain.ts', 'lib/explain/authz.ts', 'lib/explain/match.ts'] },
  // The picture describes matches with explain's describeMatch.
  { name: 'the picture', table: GRAPH_FIELDS, sources: ['lib/explain/graph.ts', 'lib/explain/explain.ts'] },
];

/** The figures of the walk, per reader and kind (printed with SCHEMA_WALK_REPORT=1). */
const figures: Record<string, Record<string, Record<Category | 'walked', number>>> = {};

describe('the schema walk: every property of the pinned CRDs is handled, refused by name, or of no effect, for each reader', () => {
  it('walks the five kinds', () => {
    expect([...schemas.keys()].sort()).toEqual([...KINDS].sort());
    expect(schemas.get('VirtualService')?.has('http[].corsPolicy.unmatchedPreflights')).toBe(true);
    expect(schemas.get('VirtualService')?.has('http[].match[].headers{}.exact')).toBe(true);
  });

  for (const reader of READERS) {
    it(`${reader.name}: every property path is on one of its lists`, () => {
      const missing: string[] = [];
      figures[reader.name] = {};
      for (const kind of KINDS) {
        const table = reader.table[kind] ?? {};
        const counts = { walked: 0, handled: 0, refused: 0, noEffect: 0 };
        for (const path of schemas.get(kind)?.keys() ?? []) {
          counts.walked++;
          const t = treatmentOf(table, path);
          if (t) counts[category(t)]++;
          else missing.push(`${kind} ${path}`);
        }
        figures[reader.name][kind] = counts;
      }
      expect(missing, `paths ${reader.name} neither handles, refuses nor lists as of no effect`).toEqual([]);
      if (process.env.SCHEMA_WALK_REPORT) console.log(reader.name, JSON.stringify(figures[reader.name]));
    });

    it(`${reader.name}: every entry of its table names a property of the schema`, () => {
      const stale: string[] = [];
      for (const kind of KINDS) {
        const paths = [...schemas.get(kind)?.keys() ?? []];
        for (const entry of Object.keys(reader.table[kind] ?? {})) {
          const root = entry.replace(/\.?\*\*$/, '');
          if (!paths.some((p) => p === root || (entry.endsWith('**') && (root === '' || p.startsWith(root))))) stale.push(`${kind} ${entry}`);
        }
      }
      expect(stale).toEqual([]);
    });

    it(`${reader.name}: every handled path is read by its source`, () => {
      const source = reader.sources.map((f) => readFileSync(f, 'utf8')).join('\n');
      const unread: string[] = [];
      for (const kind of KINDS) {
        for (const [entry, t] of Object.entries(reader.table[kind] ?? {})) {
          if (!('handled' in t)) continue;
          // The last property name of the path (for a subtree, its root): the reader must name it.
          const names = entry.replace(/\.\*\*$/, '').split(/[.[\]{}]+/).filter(Boolean);
          const leaf = names[names.length - 1];
          if (leaf && !new RegExp(`(\\.|\\?\\.|\\b['"]?)${leaf}\\b`).test(source)) unread.push(`${kind} ${entry}`);
        }
      }
      expect(unread).toEqual([]);
    });
  }
});

/** A small edge of each kind the conversion reads, in the Istio form. */
function baseObjects(): KubernetesObject[] {
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'gw', { namespace: 'shop', hosts: ['a.example.com'] });
  const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'x/api:1' }] });
  gateway.addRoute('r', { routes: [{ name: 'a', match: [{ path: PathMatch.exact('/a') }], to: Traffic.to(api.version('v1')) }] });
  const objects = synthesizeApp(app).flatMap((c) => c.objects);
  objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'shop' }, spec: { hosts: ['ext.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } });
  // The shop's Sidecar imports its own namespace only: a call from shop to the ServiceEntry of
  // "outside" is not imported (what explain reads of a caller's Sidecar).
  objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' }, spec: { egress: [{ hosts: ['./*'] }] } });
  objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'outside', namespace: 'outside' }, spec: { hosts: ['out.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } });
  return objects;
}

/** A value of the leaf's schema type. */
function sampleValue(s: Schema | undefined): unknown {
  switch (s?.type) {
    case 'string': return 'x';
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    case 'array': return [sampleValue(s.items)];
    default: return { x: 'y' };
  }
}

/** Sets `path` (`a[].b{}.c`) on `o`, into the first item of lists and a key "k" of maps. */
function setPath(o: Record<string, unknown>, path: string, value: unknown): string {
  const parts = path.match(/[^.[\]{}]+|\[\]|\{\}/g) ?? [];
  let cur: unknown = o;
  let at = '';
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    const next = parts[i + 1];
    const fresh = () => (next === '[]' ? [] : {});
    if (p === '[]') {
      const list = cur as unknown[];
      if (last) list[0] = value;
      else if (list[0] === undefined || typeof list[0] !== 'object') list[0] = fresh();
      cur = list[0];
      at += '[0]';
    } else if (p === '{}') {
      const map = cur as Record<string, unknown>;
      if (last) map.k = value;
      else map.k = map.k ?? fresh();
      cur = map.k;
      at += '["k"]';
    } else {
      const rec = cur as Record<string, unknown>;
      if (last) rec[p] = value;
      else if (rec[p] === undefined || typeof rec[p] !== 'object') rec[p] = fresh();
      cur = rec[p];
      at += at ? `.${p}` : p;
    }
  });
  return at;
}

/** The base objects with `path` set on the first object of `kind`. */
function withPath(kind: string, path: string): { objects: KubernetesObject[]; at: string } {
  const objects = structuredClone(baseObjects());
  const target = objects.find((o) => o.kind === kind && o.apiVersion.startsWith('networking.istio.io/'));
  if (!target) throw new Error(`no ${kind} in the base objects`);
  const at = setPath(target.spec as Record<string, unknown>, path, sampleValue(schemas.get(kind)?.get(path)));
  return { objects, at };
}

function conversionError(objects: KubernetesObject[]): string {
  try {
    toGatewayApi(objects);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the refused lists are real: a refused property on an object is the reader\'s named error', () => {
  it('the base objects convert, and explain and the picture read them', () => {
    expect(conversionError(baseObjects())).toBe('');
  });

  it('the Gateway API conversion: each refused path, and a property it does not know, is a named error with the alternative', () => {
    const silent: string[] = [];
    let checked = 0;
    for (const kind of KINDS) {
      for (const [entry, t] of Object.entries(GATEWAY_API_FIELDS[kind] ?? {})) {
        if (!('refused' in t)) continue;
        const path = entry.endsWith('.**') ? [...schemas.get(kind)?.keys() ?? []].find((p) => p.startsWith(entry.slice(0, -3))) ?? entry : entry;
        const { objects, at } = withPath(kind, path);
        const message = conversionError(objects);
        checked++;
        // describeProblem: "<construct path>: invalid <property>: received <value>. <fix>"
        if (!message.includes(`: invalid ${at}: received `) || !message.includes(t.refused)) silent.push(`${kind} ${path} (${at}): ${message || 'converted without a word'}`);
      }
    }
    expect(silent).toEqual([]);
    expect(checked).toBeGreaterThan(10);
    // A property the table does not know (a field of a later Istio release) is not dropped either.
    const objects = structuredClone(baseObjects());
    const vs = objects.find((o) => o.kind === 'VirtualService') as unknown as { spec: { http: Array<Record<string, unknown>> } };
    vs.spec.http[0].futureField = 'x';
    expect(conversionError(objects)).toContain(': invalid http[0].futureField: received "x". The Gateway API form cannot say http[].futureField: this property is not known to this reader');
  });

  it('explain: each refused path on the server, route or DestinationRule a request uses is reported as an unknown naming the property', () => {
    const silent: string[] = [];
    let checked = 0;
    expect(explainRequest(baseObjects(), { host: 'a.example.com', path: '/a', scheme: 'http' })).toMatchObject({ decision: 'routed', unknowns: [] });
    for (const kind of KINDS) {
      for (const [entry, t] of Object.entries(EXPLAIN_FIELDS[kind] ?? {})) {
        if (!('refused' in t)) continue;
        const path = entry.endsWith('.**') ? [...schemas.get(kind)?.keys() ?? []].find((p) => p.startsWith(entry.slice(0, -3))) ?? entry : entry;
        const { objects } = withPath(kind, path);
        // A Sidecar is read for a call from the mesh; its refused paths matter for hosts it does not import.
        const e = kind === 'Sidecar'
          ? explainRequest(objects, { host: 'out.example.com', path: '/a', scheme: 'http', source: { namespace: 'shop' } })
          : explainRequest(objects, { host: 'a.example.com', path: '/a', scheme: 'http' });
        checked++;
        const leaf = path.replace(/\.\*\*$/, '').split(/[.[\]{}]+/).filter(Boolean).pop() ?? '';
        if (!e.unknowns.some((u) => u.includes(leaf))) silent.push(`${kind} ${path}: ${e.decision}; unknowns ${JSON.stringify(e.unknowns)}`);
      }
    }
    expect(silent).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
