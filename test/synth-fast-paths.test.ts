// The fast paths of synthesis (issue 19) against what they replace: the YAML writer against
// js-yaml's dump with the project's options, and the chart and object order against cdk8s's
// DependencyGraph. Differential tests: both sides run on the same inputs.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { manifestsToYaml, synthesizeApp } from '../lib';
import { orderNamespacesFirst } from '../lib/synth/synth';
import { DUMP_OPTIONS, dumpManifest } from '../lib/synth/yaml';
import { chartOrder, FindAllCache, topology } from '../lib/synth/synth-order';
import { withFastRendering } from '../lib/synth/fast-render';
import { plainStaysString } from '../lib/model/read-manifests';
import { buildEdgeApp } from '../apps/edge';
import { environments } from '../apps/environments';
import { buildScaleEdge } from '../bench/scale-edge';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const jsYaml = (o: unknown) => dump(o, DUMP_OPTIONS);

describe('dumpManifest writes what js-yaml writes', () => {
  it('on every object of the reviewed goldens', () => {
    for (const env of ['dev', 'prod']) {
      const text = readFileSync(path.join(__dirname, 'goldens', `${env}.k8s.yaml`), 'utf8');
      const objects = loadAll(text);
      expect(objects.length).toBeGreaterThan(10);
      for (const o of objects) expect(dumpManifest(o)).toBe(jsYaml(o));
      expect(manifestsToYaml(objects as object[])).toBe(text);
    }
  });

  // Strings made of the characters YAML gives a meaning to, and words it reads as other types.
  const tricky = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', ' ', ':', '#', '-', '?', '!', '&', '*', '|', '>', "'", '"', '%', '@', '`', ',', '[', ']', '{', '}', '.', '+', '_', '\t', '\r', '\n', '\\', '\u0085', '\u2028', 'é', '\u{1F600}', '\u0000', '\uFEFF'), maxLength: 12 }),
    fc.constantFrom('', 'true', 'False', 'yes', 'NO', 'on', 'y', 'n', 'null', '~', 'Null', '0x1F', '0o17', '017', '1_000', '1e3', '.5', '-.inf', '.NaN', '12:30:45', '2026-11-27', '2026-11-27T01:02:03Z', '<<', '=', '- a', 'a: b', 'a #b', ' lead', 'trail ', 'line\n', '\nline', 'a\n\nb\n', '  x\ny'),
    fc.string(),
  );
  const values = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tricky,
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -0, 1e21, 2 ** 53, NaN, Infinity, -Infinity, 0.1, 5e-7),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  // The one place the writer departs from js-yaml on purpose: a string js-yaml leaves plain that
  // Kubernetes would read as another type ("0_" is the integer 0 for go-yaml) is quoted (tested on
  // its own below); values holding such a string are left out here.
  const kubernetesQuotes = (v: unknown): boolean => {
    if (typeof v === 'string') return jsYaml(v) === `${v}\n` && !plainStaysString(v);
    if (v === null || typeof v !== 'object') return false;
    return Object.entries(v).some(([k, x]) => kubernetesQuotes(k) || kubernetesQuotes(x));
  };

  it('on random values: tricky strings and keys, numbers, nesting, empty collections', () => {
    fc.assert(fc.property(values, (v) => {
      fc.pre(!kubernetesQuotes(v));
      expect(dumpManifest(v)).toBe(jsYaml(v));
    }), { numRuns: RUNS * 5 });
  });

  it('quotes the strings js-yaml leaves plain that Kubernetes reads as numbers or booleans', () => {
    for (const s of ['0_', '9_', '1_']) {
      expect(jsYaml({ [s]: [s] })).not.toMatch(/"/);
      expect(dumpManifest({ [s]: [s] })).toBe(`${JSON.stringify(s)}:\n  - ${JSON.stringify(s)}\n`);
    }
  });

  it('on names it writes without asking js-yaml: letters, digits, - . _ / : and the words YAML reads as other types', () => {
    // The writer's rendering of a string is js-yaml's, quoted where Kubernetes would read it as another type.
    const expected = (s: string) => {
      const r = jsYaml(s).slice(0, -1);
      return r === s && !plainStaysString(s) ? JSON.stringify(s) : r;
    };
    const names = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', 'e', 'E', 'n', 'o', 'y', 'x', '0', '1', '9', '-', '.', '_', '/', ':'), minLength: 1, maxLength: 10 }),
      fc.constantFrom('null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'FALSE', 'y', 'Y', 'yes', 'Yes', 'on', 'ON', 'n', 'N', 'no', 'NO', 'off', 'Off',
        'nan', 'NaN', 'inf', 'Infinity', 'e1', 'E5', 'x0', 'a:', 'a:b', 'a::', 'http://x', 'a/', 'a.', 'a-', 'a_', 'ab1.2-3_4/5'),
    );
    fc.assert(fc.property(names, (s) => {
      const text = dumpManifest({ [s]: [s] });
      expect(text).toBe(`${expected(s)}:\n  - ${expected(s)}\n`);
    }), { numRuns: RUNS * 5 });
  });

  it('on what it leaves to js-yaml: undefined, dates, class instances, long keys, line breaks', () => {
    class Box { constructor(public readonly x: number) {} }
    const cases: unknown[] = [
      { a: undefined, b: 1 },
      { a: [undefined, 1, , 2] }, // eslint-disable-line no-sparse-arrays
      { when: new Date(0) },
      { box: new Box(1) },
      { ['k'.repeat(1100)]: 'v' },
      { script: 'line one\nline two\n', nested: { deeper: ['a\nb', { c: 'x\n\ny' }] } },
      { 'multi\nline key': 1 },
      Object.assign(Object.create(null) as object, { a: 1 }),
    ];
    for (const c of cases) expect(dumpManifest(c)).toBe(jsYaml(c));
  });

  it("throws js-yaml's error for what YAML cannot hold", () => {
    const f = { f: () => 1 };
    expect(() => jsYaml(f)).toThrow(/unacceptable kind of an object to dump/);
    expect(() => dumpManifest(f)).toThrow(/unacceptable kind of an object to dump/);
  });
});

describe("the synthesis order is cdk8s's", () => {
  // A random tree of constructs and ApiObjects under charts (some nested), with random
  // dependencies that point backwards in creation order (so that there is no cycle).
  const plans = fc.record({
    charts: fc.integer({ min: 1, max: 3 }),
    nested: fc.boolean(),
    items: fc.array(fc.record({ parent: fc.nat(), object: fc.boolean(), id: fc.constantFrom('a', 'b', '0', '1', '10', '2', 'Resource', 'x') }), { minLength: 1, maxLength: 25 }),
    deps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  });
  interface Plan { charts: number; nested: boolean; items: Array<{ parent: number; object: boolean; id: string }>; deps: Array<[number, number]> }
  function build(plan: Plan): App {
    const app = new App();
    const scopes: IConstruct[] = [];
    for (let i = 0; i < plan.charts; i++) {
      const parent = plan.nested && i > 0 ? scopes[0] : app;
      scopes.push(new Chart(parent as Construct, `${i === 1 ? '7' : 'c'}${i}`, { disableResourceNameHashes: true }));
    }
    plan.items.forEach((item, i) => {
      const parent = scopes[item.parent % scopes.length];
      const id = `${item.id}${i}`;
      scopes.push(item.object
        ? new ApiObject(parent as Construct, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } })
        : new Construct(parent as Construct, id));
    });
    const items = scopes.slice(plan.charts);
    for (const [a, b] of plan.deps) {
      const [later, earlier] = [items[Math.max(a, b) % items.length], items[Math.min(a, b) % items.length]];
      const li = items.indexOf(later);
      const ei = items.indexOf(earlier);
      // Depend only on an earlier construct that is not an ancestor or descendant (no cycles).
      if (ei < li && !later.node.scopes.includes(earlier) && !earlier.node.scopes.includes(later)) later.node.addDependency(earlier);
    }
    return app;
  }

  it('topology() gives DependencyGraph.topology() on random trees with dependencies', () => {
    fc.assert(fc.property(plans, (plan) => {
      const app = build(plan);
      expect(topology(app, new FindAllCache())).toEqual(new DependencyGraph(app.node).topology());
      for (const chart of app.node.findAll().filter((c) => c instanceof Chart)) {
        expect(topology(chart, new FindAllCache())).toEqual(new DependencyGraph(chart.node).topology());
      }
    }), { numRuns: RUNS });
  });

  it("FindAllCache gives each construct's findAll() from one walk of the first construct asked for", () => {
    fc.assert(fc.property(plans, (plan) => {
      const app = build(plan);
      const cache = new FindAllCache();
      const all = cache.findAll(app);
      for (const c of [...all].reverse()) {
        const found = cache.findAll(c);
        const expected = c.node.findAll();
        expect(found.length).toBe(expected.length);
        expect(found.every((x, i) => x === expected[i])).toBe(true);
      }
      // A construct of another tree is walked on its own.
      const other = new Construct(new App(), 'other');
      expect(cache.findAll(other)).toEqual([other]);
    }), { numRuns: RUNS });
  });

  it('chartOrder() gives the charts in the order of topology(), with and without dependencies on charts', () => {
    fc.assert(fc.property(plans, fc.option(fc.tuple(fc.nat(), fc.nat())), (plan, onChart) => {
      const app = build(plan);
      const charts = app.node.findAll().filter((c) => c instanceof Chart);
      const items = app.node.findAll().filter((c) => !(c instanceof Chart) && c !== app);
      // An object depending on a chart that is not its own or above it (cdk8s would call that a cycle).
      if (onChart) {
        const [from, to] = [items[onChart[0] % items.length], charts[onChart[1] % charts.length]];
        if (!from.node.scopes.includes(to)) from.node.addDependency(to);
      }
      const dependsOnChart = app.node.findAll().some((c) => c.node.dependencies.some((d) => d instanceof Chart));
      const outcome = (f: () => unknown) => { try { return { value: f() }; } catch (e) { return { error: String(e) }; } };
      expect(outcome(() => chartOrder(app, new FindAllCache(), dependsOnChart))).toEqual(outcome(() => topology(app, new FindAllCache()).filter((c) => c instanceof Chart)));
    }), { numRuns: RUNS });
  });

  // synthesizeApp as it was before issue 19: cdk8s's App.charts and Chart.toJson().
  function reference(app: App): Array<{ name: string; objects: unknown[] }> {
    orderNamespacesFirst(app);
    for (const c of app.node.findAll()) {
      for (const dep of c.node.dependencies) {
        const from = Chart.of(c);
        const to = Chart.of(dep);
        if (from !== to && !from.node.dependencies.includes(to)) from.node.addDependency(to);
      }
    }
    const charts = app.charts;
    const indexed = charts.some((c) => c.node.dependencies.length > 0);
    return charts.map((chart, i) => ({ name: indexed ? `${String(i).padStart(4, '0')}-${chart.node.id}` : chart.node.id, objects: chart.toJson() as unknown[] }));
  }

  it('synthesizeApp gives the charts, names and objects of cdk8s (App.charts, then Chart.toJson() each)', () => {
    fc.assert(fc.property(plans, (plan) => {
      // Including the error (a nested chart that depends on its parent is a cycle for cdk8s).
      const outcome = (f: () => unknown) => { try { return { value: f() }; } catch (e) { return { error: String(e) }; } };
      expect(outcome(() => synthesizeApp(build(plan)))).toEqual(outcome(() => reference(build(plan))));
    }), { numRuns: RUNS });
  });

  it("reports a dependency cycle with cdk8s's error", () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    a.addDependency(b);
    b.addDependency(a);
    expect(() => new DependencyGraph(chart.node).topology()).toThrow(/Dependency cycle detected/);
    expect(() => topology(chart, new FindAllCache())).toThrow(/Dependency cycle detected: c\/[ab] => c\/[ab] => c\/[ab]/);
  });
});

describe('withFastRendering renders what cdk8s\'s ApiObject.toJson renders', () => {
  /** Each ApiObject of the app rendered by cdk8s, then in one pass: the same JSON, keys in the same order. */
  function expectSameRendering(app: App): number {
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const theirs = objects.map((o) => JSON.stringify(o.toJson()));
    const ours = withFastRendering(() => objects.map((o) => JSON.stringify(o.toJson())));
    expect(ApiObject.prototype.toJson).toBe(cdk8sToJson);
    expect(ours).toEqual(theirs);
    return objects.length;
  }
  const cdk8sToJson = ApiObject.prototype.toJson;

  it('on every object of the example (dev, prod) and of the generated edge', () => {
    for (const env of ['dev', 'prod'] as const) expect(expectSameRendering(buildEdgeApp(environments[env]))).toBeGreaterThan(30);
    expect(expectSameRendering(buildScaleEdge(20))).toBe(20 * 8 + 9);
  });

  class Box {
    public constructor(public readonly inner: unknown) {}
  }
  class Token {
    public calls = 0;
    public constructor(private readonly v: unknown) {}
    public resolve(): unknown {
      this.calls++;
      return this.v;
    }
  }

  function objectOf(app: App, props: Record<string, unknown>, metadata: Record<string, unknown> = {}): ApiObject {
    const chart = new Chart(app, `c${app.node.children.length}`, { disableResourceNameHashes: true, labels: { team: 'shop' } });
    return new ApiObject(chart, 'o', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x', ...metadata }, ...props });
  }

  it('on tokens, lazies, unions, empty and missing values, and unsorted keys', () => {
    const app = new App();
    let produced = 0;
    const token = new Token({ z: 1, a: [new Token('deep'), null, undefined, Lazy.any({ produce: () => ({ b: 2, a: undefined }) })] });
    const o = objectOf(app, {
      zeta: 1, alpha: { y: null, x: undefined, w: [], v: {}, u: [[]], t: 'text', s: false, r: 0 },
      lazy: Lazy.any({ produce: () => { produced++; return { k2: Lazy.any({ produce: () => 'nested' }), k1: [1, 2] }; } }),
      token,
      quantity: k8s.Quantity.fromString('250m'), port: k8s.IntOrString.fromNumber(8080), percent: k8s.IntOrString.fromString('25%'),
      fn: () => 1, list: [null, undefined, 3, 'a', { q: undefined }],
      sorted: { a: null, b: Lazy.any({ produce: () => { produced++; return []; } }), c: undefined, d: {}, e: [null] },
    }, {
      labels: { b: '2', a: Lazy.any({ produce: () => '1' }) }, annotations: {}, finalizers: [], ownerReferences: [],
      extra: { empty: {}, none: [], kept: 'yes' },
    });
    o.metadata.addAnnotation('z', 'last');
    o.addJsonPatch(JsonPatch.add('/spec', { added: true }), JsonPatch.remove('/zeta'));
    expectSameRendering(app);
    expect(produced).toBe(4);
    expect(token.calls).toBe(2);
  });

  it('on many objects of the same unsorted keys, and of other keys after the same first key (the sorted orders it remembers)', () => {
    const app = new App();
    const order: string[] = [];
    const lazy = (v: string) => Lazy.any({ produce: () => { order.push(v); return v; } });
    for (let i = 0; i < 5; i++) {
      objectOf(app, {
        spec: [
          { m: i, b: lazy(`b${i}`), z: null, a: undefined, k: [{ y: 1, x: lazy(`x${i}`) }] },
          { m: 'same first key', c: { '10': 1, '2': 2, b: 3, a: 4 } },
          { m: 'and fewer', b: 1 },
          { m: 'all empty', z: null, a: undefined },
          { m: i, b: 1, z: 2, a: 3, k: 4 },
        ],
      });
    }
    const theirs = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as unknown);
    const cdk8sOrder = order.splice(0);
    expectSameRendering(app);
    // produce() is called in the objects' own key order, as cdk8s calls it.
    expect(order.slice(order.length / 2)).toEqual(cdk8sOrder);
    expect(theirs).toHaveLength(5);
  });

  it('on strings and numbers when a prototype gives them a resolve() or a value (cdk8s resolves them then)', () => {
    // Each replacement of another type, which the others leave alone (else cdk8s would recurse forever).
    const cases = [[String.prototype, 'resolve', () => 42], [Number.prototype, 'value', 'seven'], [Boolean.prototype, 'resolve', () => 'yes']] as const;
    for (const [proto, key, value] of cases) {
      const app = new App();
      objectOf(app, { spec: { text: 'plain', count: 3, on: true } });
      Object.defineProperty(proto, key, { configurable: true, value });
      try {
        expectSameRendering(app);
        // The case is real: cdk8s's output differs from the values given.
        const json = (app.node.findAll().find((c) => c instanceof ApiObject) as ApiObject).toJson();
        expect(JSON.stringify(json.spec)).not.toBe(JSON.stringify({ count: 3, on: true, text: 'plain' }));
      } finally {
        delete (proto as unknown as Record<string, unknown>)[key];
      }
    }
  });

  it('on metadata of plain strings (written directly) and of anything else (the full walk)', () => {
    const app = new App();
    objectOf(app, {}, { labels: { z: '1', a: '2', 'example.com/m': '3' }, annotations: { y: 'b', b: 'y' } });
    objectOf(app, {}, { namespace: 'shop', annotations: {} });
    objectOf(app, {}, { labels: {}, annotations: { only: '' } });
    objectOf(app, {}, { generateName: 'x-', labels: { b: '1' } });
    objectOf(app, {}, { finalizers: ['f'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'n', uid: 'u' }] });
    objectOf(app, {}, { labels: { n: 1 as unknown as string } });
    const last = objectOf(app, {}, { labels: { b: '1' } });
    last.metadata.addLabel('a', '0');
    last.metadata.addAnnotation('c', 'd');
    const unnamed = new ApiObject(new Chart(app, 'unnamed'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    unnamed.metadata.addLabel('k', 'v');
    expect(expectSameRendering(app)).toBe(8);
    // The metadata's own rendering too (an object's rendering sorts it again).
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const theirs = objects.map((o) => JSON.stringify(o.metadata.toJson()));
    expect(withFastRendering(() => objects.map((o) => JSON.stringify(o.metadata.toJson())))).toEqual(theirs);
  });

  it('with CDK8S_DISABLE_SORT', () => {
    const app = new App();
    objectOf(app, { b: { d: 1, c: [{ f: 1, e: 2 }] }, a: 1 });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expectSameRendering(app);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  it('leaves apps with resolvers of their own to cdk8s', () => {
    const seen: string[] = [];
    const app = new App({ resolvers: [{ resolve: (ctx) => { if (ctx.value === 'old') ctx.replaceValue('new'); seen.push(ctx.key.join('.')); } }] });
    objectOf(app, { spec: { image: 'old' } });
    expectSameRendering(app);
    const json = withFastRendering(() => (app.node.findAll().find((c) => c instanceof ApiObject) as ApiObject).toJson());
    expect(json.spec).toEqual({ image: 'new' });
    expect(seen).toContain('spec.image');
  });

  it('fails as cdk8s does on a value it cannot render', () => {
    const app = new App();
    const o = objectOf(app, { spec: { box: new Box(1) } });
    const theirs = (() => { try { o.toJson(); return 'no error'; } catch (e) { return String(e); } })();
    const ours = withFastRendering(() => { try { o.toJson(); return 'no error'; } catch (e) { return String(e); } });
    expect(theirs).toContain('can\'t render non-simple object of type \'Box\'');
    expect(ours).toBe(theirs);
  });
});
