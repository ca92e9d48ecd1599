// explain at an Argo Rollouts canary step, on a hand-written Rollout, VirtualService and
// DestinationRule (test/fixtures/rollout/canary.yaml): the controller's weights carried over from
// the last setWeight, its header and mirror routes above the others, the route's own rewrite,
// retries and timeout kept at every step, the promoted end, and the named errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ExplainRequest, LoadedEdge, parseRequestTable, rolloutAtStep, RolloutStepError } from '../../lib/explain';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { main } from '../../lib/cli/main';

const FIXTURE = 'test/fixtures/rollout/canary.yaml';
const objects: KubernetesObject[] = parseAllDocuments(readFileSync(FIXTURE, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const edge = LoadedEdge.load(objects);
const API: ExplainRequest = { host: 'shop.example.com', path: '/api/items', method: 'POST' };
const at = (step: number, r: Partial<ExplainRequest> = {}) => edge.atRolloutStep('shop/api', step).explain({ ...API, ...r });
const weights = (step: number, r: Partial<ExplainRequest> = {}) => at(step, r).destinations.map((d) => `${d.subset}=${d.weight}`).join(' ');

/** A copy of the fixture with `edit` applied to the object of that kind. */
function edited(kind: string, edit: (o: Record<string, any>) => void): KubernetesObject[] {
  return objects.map((o) => {
    if (o.kind !== kind) return o;
    const copy = structuredClone(o) as Record<string, any>;
    edit(copy);
    return copy as KubernetesObject;
  });
}

function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof RolloutStepError) return `${e.problem}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('a canary at each step', () => {
  it('carries the weight of the last setWeight over pauses, analyses and route steps', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => weights(s))).toEqual([
      'stable=100', 'stable=90 canary=10', 'stable=90 canary=10', 'stable=90 canary=10',
      'stable=75 canary=25', 'stable=75 canary=25', 'stable=75 canary=25', 'stable=50 canary=50', 'stable=50 canary=50',
    ]);
    expect(edge.atRolloutStep('shop/api', 4).rolloutStep).toMatchObject({ step: 4, steps: 9, current: 'setWeight 25', canaryWeight: 25, stableWeight: 75 });
    expect(edge.atRolloutStep('shop/api', 2).rolloutStep?.current).toBe('pause until promoted');
  });

  it('keeps the route\'s rewrite, retries and timeout at every step, the promoted end included', () => {
    for (let step = 0; step <= 9; step++) {
      const e = at(step);
      expect(e.route?.name, `step ${step}`).toBe('api');
      expect(e.rewrite?.path, `step ${step}`).toBe('/items');
      expect(e.timeout, `step ${step}`).toBe('10s');
      expect(e.retries, `step ${step}`).toMatchObject({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx' });
    }
  });

  it('puts the header route above every route, matching the header on any path, from its step until a step removes it', () => {
    const header = { 'x-canary': 'true' };
    for (const step of [0, 1, 5]) {
      for (const path of ['/api/items', '/anything']) {
        const e = at(step, { path, headers: header });
        expect(e.route, `step ${step} ${path}`).toMatchObject({ name: 'canary-header', index: 0 });
        expect(e.destinations.map((d) => [d.host, d.subset, d.port, d.weight])).toEqual([['api.shop.svc.cluster.local', 'canary', 8080, 100]]);
        // Only the header is matched and only the destination is set: no rewrite, no timeout of the api route.
        expect(e.rewrite).toBeUndefined();
        expect(e.timeout).toBe('none');
      }
    }
    expect(at(6, { headers: header }).route?.name).toBe('api');
    expect(at(9, { headers: header }).route?.name).toBe('api');
    expect(at(4, { headers: { 'x-canary': 'yes' } }).route?.name).toBe('api');
  });

  it('mirrors from its step: the mirror route copies the weighted destinations and follows later weights', () => {
    expect(at(2, { method: 'GET' }).mirror).toBeUndefined();
    const e3 = at(3, { method: 'GET' });
    expect(e3.route?.name).toBe('mirror-get');
    expect(e3.mirror).toEqual({ destination: { host: 'api', port: { number: 8080 }, subset: 'canary' }, percentage: { value: 50 } });
    expect(weights(3, { method: 'GET' })).toBe('stable=90 canary=10');
    expect(weights(4, { method: 'GET' })).toBe('stable=75 canary=25');
    expect(weights(7, { method: 'GET' })).toBe('stable=50 canary=50');
    // The controller's mirror route has the match and destinations only (argo-rollouts #3155).
    expect(e3.rewrite).toBeUndefined();
    expect(e3.timeout).toBe('none');
    expect(at(3, { method: 'POST' }).route?.name).toBe('api');
    expect(edge.atRolloutStep('shop/api', 3).rolloutStep?.managedRoutes.map((m) => [m.kind, m.name, m.match])).toEqual([
      ['header', 'canary-header', 'header x-canary = true'], ['mirror', 'mirror-get', 'method = GET, uri prefix /api/'],
    ]);
  });

  it('orders the managed routes as managedRoutes lists them, above the routes of the VirtualService', () => {
    const { objects: o } = rolloutAtStep(objects, 'shop/api', 4);
    type Vs = { spec: { http: { name: string }[] } };
    const vs = o.find((x) => x.kind === 'VirtualService') as unknown as Vs;
    expect(vs.spec.http.map((r) => r.name)).toEqual(['canary-header', 'mirror-get', 'legacy', 'api', 'web']);
    const swapped = rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.managedRoutes.reverse(); }), 'shop/api', 4);
    expect((swapped.objects.find((x) => x.kind === 'VirtualService') as unknown as Vs).spec.http.map((r) => r.name)).toEqual(['mirror-get', 'canary-header', 'legacy', 'api', 'web']);
  });

  it('after the last step (promoted): managed routes gone, stable takes everything', () => {
    const e = at(9, { method: 'GET' });
    expect(e.route?.name).toBe('api');
    expect(weights(9)).toBe('stable=100'); // canary weight 0: explain lists destinations that get traffic
    expect(e.rollout).toMatchObject({ step: 9, current: 'promoted (after the last step)', managedRoutes: [] });
  });

  it('drops the DestinationRule\'s other subsets, as the controller rewrites them: a route to one answers 503', () => {
    expect(edge.explain({ host: 'shop.example.com', path: '/legacy/x' }).destinations[0].problems.join(' ')).not.toMatch(/subset legacy/);
    const e = at(1, { path: '/legacy/x' });
    expect(e.destinations[0].subset).toBe('legacy');
    expect(e.destinations[0].problems.join(' ')).toMatch(/subset legacy/);
    expect(e.steps.join('\n')).toContain('drops legacy');
  });

  it('deletes a destination of the weighted route that is neither stable nor canary', () => {
    const third = edited('VirtualService', (vs) => { vs.spec.http[1].route.push({ destination: { host: 'web', port: { number: 8080 } }, weight: 5 }); });
    expect(LoadedEdge.load(third).atRolloutStep('shop/api', 4).explain(API).destinations.map((d) => `${d.host.split('.')[0]}=${d.weight}`)).toEqual(['api=75', 'api=25']);
  });

  it('weights by Service with canaryService and stableService, and out of maxTrafficWeight', () => {
    const o = edited('Rollout', (r) => {
      const c = r.spec.strategy.canary;
      c.canaryService = 'api-canary';
      c.stableService = 'api';
      c.trafficRouting = { maxTrafficWeight: 1000, istio: { virtualService: { name: 'shop', routes: ['api'] } } };
      c.steps = [{ setWeight: 100 }, { pause: {} }];
    }).map((x) => (x.kind === 'VirtualService' ? (() => {
      const vs = structuredClone(x) as Record<string, any>;
      vs.spec.http[1].route = [{ destination: { host: 'api', port: { number: 8080 } }, weight: 1000 }, { destination: { host: 'api-canary.shop.svc.cluster.local', port: { number: 8080 } }, weight: 0 }];
      return vs as KubernetesObject;
    })() : x));
    const s = LoadedEdge.load(o).atRolloutStep('shop/api', 1);
    expect(s.explain(API).destinations.map((d) => `${d.host.split('.')[0]}=${d.weight}`)).toEqual(['api=900', 'api-canary=100']);
    expect(s.rolloutStep).toMatchObject({ canaryWeight: 100, stableWeight: 900, maxWeight: 1000 });
  });
});

describe('what explain refuses, by name', () => {
  it('a step out of range, a Rollout that is not there', () => {
    expect(problemOf(() => edge.atRolloutStep('shop/api', 10))).toMatch(/^step-out-of-range: Rollout shop\/api: invalid step: received 10\. It has 9 step\(s\): give 0 to 8 .*or 9 for the end/);
    expect(problemOf(() => edge.atRolloutStep('shop/nope', 0))).toMatch(/^rollout-not-found: .*Rollouts: shop\/api/);
  });

  it('a VirtualService, route or DestinationRule the Rollout names that does not exist', () => {
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.istio.virtualService.name = 'missing'; }), 'shop/api', 1)))
      .toMatch(/^virtual-service-not-found: Rollout shop\/api: .*"missing" is not a VirtualService of namespace shop/);
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.istio.virtualService.name = 'shop.other'; }), 'shop/api', 1)))
      .toMatch(/^virtual-service-not-found: .*namespace other/);
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.istio.virtualService.routes = ['apis']; }), 'shop/api', 1)))
      .toMatch(/^route-not-found: VirtualService shop\/shop: the Rollout names http route "apis", which it does not have \(routes: legacy, api, web\)/);
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { delete r.spec.strategy.canary.trafficRouting.istio.virtualService.routes; }), 'shop/api', 1)))
      .toMatch(/^route-not-found: .*virtualService\.routes is empty and VirtualService shop\/shop has 3 http routes/);
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.istio.destinationRule.name = 'gone'; }), 'shop/api', 1)))
      .toMatch(/^destination-rule-not-found: .*"gone"/);
  });

  it('a weighted route without the canary or the stable subset', () => {
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { r.spec.strategy.canary.trafficRouting.istio.destinationRule.canarySubsetName = 'v2'; }), 'shop/api', 1)))
      .toMatch(/^canary-not-in-route: VirtualService shop\/shop http\[1\] "api": the canary subset "v2" of Rollout shop\/api is not among its destinations \(api subset stable, api subset canary\)/);
    expect(problemOf(() => rolloutAtStep(edited('VirtualService', (vs) => { vs.spec.http[1].route.shift(); }), 'shop/api', 1)))
      .toMatch(/^stable-not-in-route: /);
  });

  it('a Rollout without Istio traffic routing', () => {
    expect(problemOf(() => rolloutAtStep(edited('Rollout', (r) => { delete r.spec.strategy.canary.trafficRouting; }), 'shop/api', 0))).toMatch(/^not-istio-canary: /);
  });
});

describe('request table rows at a step', () => {
  const table = (rows: string) => parseRequestTable(`requests:\n${rows}`, 't.yaml');

  it('a row names the Rollout and the step, and is answered there', () => {
    const cases = table(`
  - name: at step 4 a quarter of the API goes to the canary
    rollout: shop/api
    step: 4
    request: { host: shop.example.com, path: /api/items, method: POST }
    expect: { route: api, destinations: [{ subset: stable, weight: 75 }, { subset: canary, weight: 25 }] }
  - name: and the x-canary header always does
    rollout: shop/api
    step: 4
    request: { host: shop.example.com, path: /elsewhere, headers: { x-canary: "true" } }
    expect: { route: canary-header, destinations: [{ host: api.shop, subset: canary, weight: 100 }] }
  - name: without a step, the manifests as written
    request: { host: shop.example.com, path: /api/items, headers: { x-canary: "true" } }
    expect: { route: api, destinations: [{ subset: stable, weight: 100 }] }
  - name: a wrong weight fails
    rollout: shop/api
    step: 1
    request: { host: shop.example.com, path: /api/items }
    expect: { destinations: [{ subset: stable, weight: 75 }, { subset: canary, weight: 25 }] }
`);
    expect(cases[0].rollout).toEqual({ name: 'shop/api', step: 4 });
    const results = edge.checkTable(cases);
    expect(results.map((r) => r.failures)).toEqual([[], [], [], ['destinations[0].weight: expected 75, got 90', 'destinations[1].weight: expected 25, got 10']]);
    expect(results[0].explanation.rollout?.step).toBe(4);
  });

  it('a row with a step out of range is an input error naming the row', () => {
    expect(problemOf(() => edge.checkTable(table(`
  - name: too far
    rollout: shop/api
    step: 12
    request: { host: shop.example.com }
    expect: { decision: routed }
`)))).toMatch(/^step-out-of-range: Request "too far": Rollout shop\/api: invalid step: received 12/);
  });

  it.each([
    ["step: 2", /invalid rollout: received undefined\. Give both "rollout"/],
    ["rollout: shop/api", /invalid step: received undefined\. Give both/],
    ['rollout: api\n    step: 1', /invalid rollout: received "api"\. Name the Rollout as namespace\/name/],
    ['rollout: shop/api\n    step: -1', /invalid step: received -1\. Give the step as a whole number from 0/],
    ['rollout: shop/api\n    step: "2"', /invalid step: received "2"/],
    ['stage: 2', /invalid stage: received 2\. A row has only name, request, expect, rollout, step/],
  ])('refuses %s', (extra, message) => {
    expect(() => table(`
  - name: bad
    ${extra}
    request: { host: shop.example.com }
    expect: { decision: routed }
`)).toThrow(message);
  });
});

describe('explain --rollout ns/name --step N', () => {
  async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(['explain', ...argv], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
  }

  it('says which step and the weights in force, then answers', async () => {
    const r = await run(FIXTURE, '--host', 'shop.example.com', '--path', '/api/items', '--method', 'GET', '--rollout', 'shop/api', '--step', '4');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      'Rollout:  shop/api at step 4 of 9 (setWeight 25): canary 25, stable 75 on shop/shop "api", shop/shop "mirror-get"',
      '          header route "canary-header": header x-canary = true → canary',
      '          mirror route "mirror-get": method = GET, uri prefix /api/, 50% mirrored → canary',
      'Decision: routed',
      'Gateway:  edge/gw, server http 80/HTTP',
    ]);
    const json = JSON.parse((await run(FIXTURE, '--host', 'shop.example.com', '--path', '/api/items', '--rollout', 'shop/api', '--step', '7', '--json')).stdout);
    expect(json.rollout).toMatchObject({ rollout: 'shop/api', step: 7, canaryWeight: 50, stableWeight: 50, managedRoutes: [{ name: 'mirror-get' }] });
  });

  it('a step out of range or an unknown Rollout is an input error (exit 2)', async () => {
    const far = await run(FIXTURE, '--host', 'shop.example.com', '--rollout', 'shop/api', '--step', '10');
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/^explain: Rollout shop\/api: invalid step: received 10\. It has 9 step\(s\)/);
    expect(far.stdout).toBe('');
    expect((await run(FIXTURE, '--host', 'shop.example.com', '--rollout', 'shop/web', '--step', '1')).code).toBe(2);
  });

  it.each([
    [['--step', '1'], '--step needs --rollout ns/name.'],
    [['--rollout', 'shop/api'], '--rollout needs --step N.'],
    [['--rollout', 'api', '--step', '1'], '--rollout: expected the Rollout as namespace/name, received "api".'],
    [['--rollout', 'shop/api', '--step', 'two'], '--step: expected a step number from 0'],
  ])('usage errors: %j', async (args, message) => {
    const r = await run(FIXTURE, '--host', 'shop.example.com', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--check runs step rows (exit 1 when one fails)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-steps-'));
    const file = join(dir, 'steps.yaml');
    writeFileSync(file, `requests:
  - name: at step 1, 10% of the API goes to the canary
    rollout: shop/api
    step: 1
    request: { host: shop.example.com, path: /api/items }
    expect: { route: api, destinations: [{ subset: stable, weight: 90 }, { subset: canary, weight: 10 }] }
`);
    const ok = await run(FIXTURE, '--check', file);
    expect(ok.stdout).toContain('ok   at step 1, 10% of the API goes to the canary');
    expect(ok.code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('step: 1', 'step: 4'));
    expect((await run(FIXTURE, '--check', file)).code).toBe(1);
  });
});

describe('the picture at a step', () => {
  const mark = (g: { nodes: readonly { id: string; lines: readonly string[] }[] }) => g.nodes.find((n) => n.id === 'rollout_shop_api')?.lines;

  it('marks the Service with the Rollout\'s steps, the current one and the weights in force', () => {
    expect(mark(edge.atRolloutStep('shop/api', 4).graph())).toEqual([
      'ROLLOUT shop/api', '0. setHeaderRoute canary-header', '1. setWeight 10', '2. pause until promoted', '3. setMirrorRoute mirror-get',
      '4. setWeight 25 (now)', '5. analysis success-rate', '6. setHeaderRoute canary-header (removed)', '7. setWeight 50', '8. pause 10m', '9. promoted',
      'canary 25%, stable 75%',
    ]);
    expect(mark(edge.graph())?.some((l) => l.includes('(now)'))).toBe(false);
    // The managed routes are drawn as the routes they are, above the others, with the weights of the step.
    const g = edge.atRolloutStep('shop/api', 4).graph();
    expect(g.nodes.filter((n) => n.kind === 'route').map((n) => n.lines[0])).toEqual(['1. route canary-header', '2. route mirror-get', '3. route legacy', '4. route api', '5. route web']);
    expect(g.links.filter((l) => l.from === 'vs_shop_shop_route_3').map((l) => l.label).filter(Boolean)).toEqual(['75% → stable', '25% → canary', 'no match']);
  });
});
