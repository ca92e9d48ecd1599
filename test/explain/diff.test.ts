// The semantic diff (issue 27): pairs of edges that mean the same give no routing change; a single
// change gives exactly the classes it changes, each with an example request whose explain outcome
// differs on the two sides in what the class says.
import { describe, expect, it } from 'vitest';
import { DiffClass, diffEdges, EdgeDiff, explainRequest } from '../../lib/explain';
import { compareOutcomes, diffOutcome } from '../../lib/explain/diff/diff';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { baseEdge, objectOf } from '../support/diff-edges';

const BASE = baseEdge();

function changed(mutate: (objects: KubernetesObject[]) => void): { after: KubernetesObject[]; diff: EdgeDiff } {
  const after = baseEdge();
  mutate(after);
  return { after, diff: diffEdges(BASE, after) };
}

/** Every example of every class: explain on both sides differs, in exactly the aspects the class reports. */
function expectExamplesDiffer(diff: EdgeDiff, after: KubernetesObject[]): void {
  for (const c of diff.classes) {
    for (const example of c.examples) {
      const changes = compareOutcomes(diffOutcome(explainRequest(BASE, example)), diffOutcome(explainRequest(after, example)));
      expect(changes.length, `${c.id} ${JSON.stringify(example)}`).toBeGreaterThan(0);
    }
    const first = compareOutcomes(diffOutcome(explainRequest(BASE, c.example)), diffOutcome(explainRequest(after, c.example)));
    expect(first.map((x) => x.aspect)).toEqual(c.changes.map((x) => x.aspect));
  }
}

const summary = (c: DiffClass) => `${c.listener?.scheme}:${c.listener?.port} ${c.host} | ${c.where.join(' || ')} | ${c.changes.map((x) => x.aspect).join(',')}`;

describe('diff: no routing change', () => {
  it('identical inputs', () => {
    const d = diffEdges(BASE, baseEdge());
    expect(d.changed).toBe(false);
    expect(d.classes).toEqual([]);
    expect(d.objects).toEqual([]);
    expect(d.summary.requests).toBeGreaterThan(20);
  });

  it('the same objects in another order', () => {
    const { diff } = changed((o) => o.reverse());
    expect(diff.changed).toBe(false);
    expect(diff.objects).toEqual([]);
  });

  it('a VirtualService split in two with the same meaning; the changed objects are listed as without routing effect', () => {
    const { diff } = changed((o) => {
      const vs = objectOf(o, 'VirtualService', 'shop');
      const web = vs.spec.http.pop();
      o.push({ ...vs, metadata: { name: 'shop-web', namespace: 'app' }, spec: { ...vs.spec, http: [web] } });
    });
    expect(diff.changed).toBe(false);
    expect(diff.objects.map((x) => [x.change, x.kind, x.name, x.routingEffect])).toEqual([
      ['modified', 'VirtualService', 'shop', false], ['added', 'VirtualService', 'shop-web', false],
    ]);
  });

  it('a renamed route', () => {
    const { diff } = changed((o) => { objectOf(o, 'VirtualService', 'shop').spec.http[0].name = 'api-renamed'; });
    expect(diff.changed).toBe(false);
    expect(diff.summary.objectsWithoutRoutingEffect).toBe(1);
  });
});

describe('diff: one change gives exactly the classes it changes', () => {
  it('a changed weight: the api route on each listener, destinations only', () => {
    const { diff, after } = changed((o) => {
      const route = objectOf(o, 'VirtualService', 'shop').spec.http[0].route;
      route[0].weight = 80;
      route[1].weight = 20;
    });
    expect(diff.classes.map(summary)).toEqual([
      'http:80 shop.example.com | path prefix /api, not /api/orders (policy), not /api/orders/* (policy) || path /api/orders, with a JWT || path /api/orders/* (policy), with a JWT | destinations',
      'https:443 shop.example.com | path prefix /api, not /api/orders (policy), not /api/orders/* (policy) || path /api/orders, with a JWT || path /api/orders/* (policy), with a JWT | destinations',
    ]);
    expect(diff.classes[1].changes[0].after).toEqual([
      expect.objectContaining({ host: 'api.app.svc.cluster.local', subset: 'v1', percent: 80 }),
      expect.objectContaining({ host: 'api.app.svc.cluster.local', subset: 'v2', percent: 20 }),
    ]);
    expect(diff.classes[0].causes.map((c) => `${c.kind} ${c.namespace}/${c.name} ${c.side}`)).toEqual(['VirtualService app/shop new']);
    expectExamplesDiffer(diff, after);
  });

  it('a prefix /api changed to /api/: /api and /apix go elsewhere, /api/x does not', () => {
    const { diff, after } = changed((o) => { objectOf(o, 'VirtualService', 'shop').spec.http[0].match[0].uri.prefix = '/api/'; });
    expect(diff.classes.map(summary)).toEqual([
      'http:80 shop.example.com | path prefix /api, not prefix /api/ | destinations,rewrite',
      'https:443 shop.example.com | path prefix /api, not prefix /api/ | destinations,rewrite',
    ]);
    const paths = new Set(diff.classes.flatMap((c) => c.examples.map((e) => e.path)));
    expect(paths.has('/api/x')).toBe(false);
    expect(explainRequest(after, { host: 'shop.example.com', path: '/apix' }).destinations[0].host).toBe('web.app.svc.cluster.local');
    expectExamplesDiffer(diff, after);
  });

  it('a removed JWT requirement: /api/orders only, with and without a token', () => {
    const { diff, after } = changed((o) => { o.splice(o.indexOf(objectOf(o, 'AuthorizationPolicy', 'require-jwt')), 1); });
    // A host no server names reaches the plaintext listener too: the policy answered it before the router's 404.
    expect(diff.classes.map(summary)).toEqual([
      'http:80 any-host.invalid | path /api/orders, with a JWT || path /api/orders/* (policy), with a JWT | jwt',
      'http:80 any-host.invalid | path /api/orders, without a JWT || path /api/orders/* (policy), without a JWT | decision,authorization,jwt',
      'http:80 shop.example.com | path /api/orders, with a JWT || path /api/orders/* (policy), with a JWT | jwt',
      'http:80 shop.example.com | path /api/orders, without a JWT || path /api/orders/* (policy), without a JWT | decision,destinations,rewrite,timeout,retries,authorization,jwt',
      'https:443 shop.example.com | path /api/orders, with a JWT || path /api/orders/* (policy), with a JWT | jwt',
      'https:443 shop.example.com | path /api/orders, without a JWT || path /api/orders/* (policy), without a JWT | decision,destinations,rewrite,timeout,retries,authorization,jwt',
    ]);
    expect(diff.classes[3].causes).toEqual([expect.objectContaining({ kind: 'AuthorizationPolicy', name: 'require-jwt', side: 'old' })]);
    expect(diff.classes[1].before).toMatchObject({ decision: 'denied', status: 403 });
    expect(diff.classes[1].after).toMatchObject({ decision: 'no-route', status: 404 });
    expectExamplesDiffer(diff, after);
  });

  it('a changed rewrite: the api route, rewrite only', () => {
    const { diff, after } = changed((o) => { objectOf(o, 'VirtualService', 'shop').spec.http[0].rewrite.uriRegexRewrite.rewrite = '/v2/'; });
    expect(diff.classes.map((c) => c.changes.map((x) => x.aspect))).toEqual([['rewrite'], ['rewrite']]);
    expect(diff.classes[1].changes[0]).toEqual({ aspect: 'rewrite', before: { path: '/' }, after: { path: '/v2/' } });
    expectExamplesDiffer(diff, after);
  });

  it('a new DENY policy: the paths it names', () => {
    const { diff, after } = changed((o) => o.push({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'block-admin', namespace: 'edge' },
      spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin', '/admin/*'] } }] }] },
    }));
    expect(diff.classes.map(summary)).toEqual([
      'http:80 any-host.invalid | path /admin || path /admin/* (policy) | decision,authorization',
      'http:80 shop.example.com | path /admin || path /admin/* (policy) | decision,destinations,timeout,retries,authorization',
      'https:443 shop.example.com | path /admin || path /admin/* (policy) | decision,destinations,timeout,retries,authorization',
    ]);
    expect(diff.classes[1].after.decision).toBe('denied');
    expect(diff.classes[0].causes.map((c) => `${c.kind} ${c.name} ${c.side}`)).toEqual(['AuthorizationPolicy block-admin new']);
    expectExamplesDiffer(diff, after);
  });

  it('a removed rate limit: every request through the gateway, rate limits only', () => {
    const { diff, after } = changed((o) => { o.splice(o.indexOf(objectOf(o, 'EnvoyFilter', 'local-ratelimit')), 1); });
    expect(diff.classes.length).toBeGreaterThan(0);
    expect(new Set(diff.classes.map((c) => c.changes.map((x) => x.aspect).join(',')))).toEqual(new Set(['rateLimits']));
    expect(new Set(diff.classes.flatMap((c) => c.causes.map((x) => `${x.kind} ${x.name} ${x.side}`)))).toEqual(new Set(['EnvoyFilter local-ratelimit old']));
    // Every gateway request of the base edge is in a class: all of them lost the limit.
    expect(diff.classes.every((c) => c.entry === 'gateway')).toBe(true);
    expectExamplesDiffer(diff, after);
  });

  it('a new host: only its requests', () => {
    const { diff, after } = changed((o) => {
      objectOf(o, 'Gateway', 'gw').spec.servers[0].hosts.push('api.example.com');
      o.push({
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api-host', namespace: 'app' },
        spec: { hosts: ['api.example.com'], gateways: ['edge/gw'], http: [{ route: [{ destination: { host: 'api', subset: 'v1', port: { number: 8080 } } }] }] },
      });
    });
    expect(new Set(diff.classes.map((c) => `${c.host} ${c.listener?.port}`))).toEqual(new Set(['api.example.com 443']));
    expect(diff.classes.map((c) => c.before.decision)).toEqual(['no-route', 'no-route', 'no-route']);
    expect(new Set(diff.classes.flatMap((c) => c.causes.map((x) => `${x.kind} ${x.name}`)))).toEqual(new Set(['Gateway gw', 'VirtualService api-host']));
    expectExamplesDiffer(diff, after);
  });
});

describe('diff: mesh routes', () => {
  const meshRoute = (subset: string): KubernetesObject => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api-mesh', namespace: 'app' },
    spec: {
      hosts: ['api'], http: [
        { match: [{ sourceLabels: { app: 'web' } }], route: [{ destination: { host: 'api', subset } }] },
        { route: [{ destination: { host: 'api', subset: 'v1' } }] },
      ],
    },
  });

  it('a changed mesh route: the sender its match selects, not the others', () => {
    const before = [...baseEdge(), meshRoute('v2')];
    const after = [...baseEdge(), meshRoute('v1')];
    const d = diffEdges(before, after);
    expect(d.classes.map((c) => `${c.entry} ${c.host} from ${c.source?.namespace} ${JSON.stringify(c.source?.labels)} | ${c.changes.map((x) => x.aspect).join(',')}`)).toEqual([
      'mesh api.app.svc.cluster.local from app {"app":"web"} | destinations',
    ]);
    const example = d.classes[0].example;
    expect(explainRequest(before, example).destinations[0].subset).toBe('v2');
    expect(explainRequest(after, example).destinations[0].subset).toBe('v1');
  });
});
