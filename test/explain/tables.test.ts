// The example's request tables (apps/requests/<env>.yaml) against its synthesized objects, and the
// request table format's errors and failure reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthEdge } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { checkRequestTable, formatTableResults, LoadedEdge, parseRequestTable } from '../../lib/explain';

describe.each(['dev', 'prod'] as const)('the %s request table', (name) => {
  const file = `apps/requests/${name}.yaml`;
  const cases = parseRequestTable(readFileSync(file, 'utf8'), file);
  const edge = LoadedEdge.load(synthEdge(environments[name]).objects);
  const results = edge.checkTable(cases);

  it.each(results.map((r) => [r.name, r] as const))('%s', (_, r) => {
    expect(r.failures).toEqual([]);
  });

  it('exercises every route and every policy of the edge (coverage 100%)', () => {
    const report = edge.coverage(results);
    expect(report.items.filter((i) => !i.covered).map((i) => `${i.id}${i.via ? ` via ${i.via}` : ''}`)).toEqual([]);
    expect([report.routes.total, report.policies.total, report.total.percent]).toEqual([5, 8, 100]);
  });

  it('covers what the issue asks: canary, split, admin denied, JWT, redirect, unknown host, rate limits', () => {
    const decided = (d: string) => cases.filter((c) => c.expect.decision === d).length;
    // The canary: a version (dev's fixed split) or the rollout's canary subset (prod's progressive rollout).
    expect(cases.some((c) => c.request.headers?.['x-canary'] === 'true' && ['v2', 'canary'].includes(c.expect.destinations?.[0]?.subset ?? ''))).toBe(true);
    // The split: dev's fixed 90/10, or prod's rollout at its start (all to stable; the controller moves it).
    expect(cases.some((c) => c.expect.destinations?.map((d) => d.weight).join('/') === '90/10' || c.expect.destinations?.[0]?.subset === 'stable')).toBe(true);
    expect(cases.some((c) => c.expect.deniedBy?.includes('block-admin'))).toBe(true);
    expect(cases.some((c) => c.expect.jwtRequired === true && c.expect.decision === 'denied')).toBe(true);
    expect(cases.some((c) => c.expect.location?.startsWith('https://'))).toBe(true);
    expect(cases.some((c) => c.request.host.startsWith('unknown.') && c.expect.decision === 'no-route')).toBe(true);
    expect(cases.some((c) => (c.expect.rateLimits ?? []).length > 0)).toBe(true);
    expect(decided('routed') + decided('denied') + decided('redirected') + decided('no-route')).toBe(cases.length);
  });
});

describe('request tables', () => {
  const objects = synthEdge(environments.dev).objects;

  it('a wrong expectation fails with what differs', () => {
    const cases = parseRequestTable(`
requests:
  - name: wrong
    request: { host: shop.dev.example.com, path: /api/x, scheme: https }
    expect:
      route: storefront
      destinations: [{ host: api.shop, subset: v2, weight: 100 }]
      rateLimits: [no-such-filter]
`, 't.yaml');
    const [r] = checkRequestTable(objects, cases);
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      'route: expected "storefront", got "api"',
      'rateLimits: expected no-such-filter, got ["istio-ingress/istio-ingressgateway-ratelimit","istio-ingress/istio-ingressgateway-local-ratelimit"]',
      'destinations: expected 1, got 2 (api.shop.svc.cluster.local/v1, api.shop.svc.cluster.local/v2)',
    ]);
    expect(formatTableResults([r])).toMatch(/^FAIL wrong\n {7}route: expected "storefront", got "api"[\s\S]*\n0 passed, 1 failed$/);
  });

  it('an undecided answer fails an expectation that is not "unknown"', () => {
    const gatewayOnly = objects.filter((o) => o.kind !== 'Deployment');
    const [r] = checkRequestTable(gatewayOnly, parseRequestTable(`
requests:
  - name: needs the gateway's identity
    request: { host: shop.dev.example.com, path: /, scheme: https }
    expect: { decision: routed }
`));
    expect(r.explanation.decision).toBe('unknown');
    expect(r.failures[0]).toMatch(/^decision: expected "routed", got "unknown"/);
  });

  it.each([
    ['requests: {}', /t\.yaml: invalid requests: received \{\}\. A request table is a YAML map with a list "requests"/],
    ['requests: [{ request: { host: a }, expect: { decision: routed } }]', /t\.yaml: requests\[0\]: invalid name: received undefined/],
    ['requests: [{ name: n, request: { path: / }, expect: { decision: routed } }]', /requests\[0\] \(n\): invalid request\.host: received undefined\. Give the Host header/],
    ['requests: [{ name: n, request: { host: a, hots: b }, expect: { decision: routed } }]', /invalid request\.hots: received "b"\. Use only host, path/],
    ['requests: [{ name: n, request: { host: a } }]', /invalid expect: received undefined\. Say what must happen/],
    ['requests: [{ name: n, request: { host: a }, expect: { decison: routed } }]', /invalid expect\.decison: received "routed"\. Use only decision/],
    ['requests: [{ name: n, request: { host: a }, expect: { decision: ok } }]', /invalid expect\.decision: received "ok"\. Use one of routed, redirected/],
  ])('rejects %s', (text, message) => {
    expect(() => parseRequestTable(text, 't.yaml')).toThrow(message);
  });
});

describe('the prod rollout\'s step rows (apps/requests/prod-rollout.yaml)', () => {
  const file = 'apps/requests/prod-rollout.yaml';
  const cases = parseRequestTable(readFileSync(file, 'utf8'), file);
  const objects = synthEdge(environments.prod).objects;
  const results = checkRequestTable(objects, cases);

  it.each(results.map((r) => [r.name, r] as const))('%s', (_, r) => {
    expect(r.failures).toEqual([]);
  });

  it('covers every step of the example\'s rollout and its end: the split, and the x-canary header', () => {
    const rollout = objects.find((o) => o.kind === 'Rollout' && o.metadata?.namespace === 'shop' && o.metadata.name === 'api');
    const steps = (rollout?.spec as { strategy?: { canary?: { steps?: unknown[] } } } | undefined)?.strategy?.canary?.steps ?? [];
    expect(steps.length).toBeGreaterThan(0);
    const all = [...Array(steps.length + 1).keys()];
    const stepsOf = (rows: typeof cases) => [...new Set(rows.map((c) => c.rollout!.step))].sort((a, b) => a - b);
    const atSteps = cases.filter((c) => c.rollout?.name === 'shop/api');
    expect(stepsOf(atSteps.filter((c) => c.request.headers?.['x-canary'] === undefined && c.expect.destinations?.some((d) => d.subset === 'stable')))).toEqual(all);
    expect(stepsOf(atSteps.filter((c) => c.request.headers?.['x-canary'] === 'true' && c.expect.destinations?.[0]?.subset === 'canary'))).toEqual(all);
  });
});
