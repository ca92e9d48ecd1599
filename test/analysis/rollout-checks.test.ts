import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib';
import type { KubernetesObject } from '../../lib';

const dr: KubernetesObject = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api', namespace: 'shop' },
  spec: { host: 'api', subsets: [{ name: 'stable', labels: { app: 'api' } }, { name: 'canary', labels: { app: 'api' } }] },
};
const vs = (subsets: string[]): KubernetesObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' },
  spec: { hosts: ['api'], http: [{ name: 'api', route: subsets.map((subset, i) => ({ destination: { host: 'api', subset }, weight: i === 0 ? 100 : 0 })) }] },
});
const rollout = (routes: string[], canarySubset = 'canary'): KubernetesObject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api', version: 'v2' } }, spec: { containers: [{ name: 'app', image: 'api:2' }] } },
    strategy: { canary: { trafficRouting: { istio: { virtualServices: [{ name: 'shop', routes }], destinationRule: { name: 'api', stableSubsetName: 'stable', canarySubsetName: canarySubset } } }, steps: [{ setWeight: 10 }] } },
  },
});
const template = (prometheus: Record<string, unknown>): KubernetesObject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'api-success', namespace: 'shop' },
  spec: { metrics: [{ name: 'success', provider: { prometheus } }] },
});
const found = (objects: KubernetesObject[], check: string) => analyze(objects).filter((f) => f.check === check).map((f) => `${f.code} ${f.field}: ${f.message}`);

describe('RolloutTrafficRoutingNotFound (EDGE9101)', () => {
  it('reports a route the VirtualService does not have, a subset the route does not send to, a subset the DestinationRule lacks', () => {
    expect(found([dr, vs(['stable', 'canary']), rollout(['apii'])], 'RolloutTrafficRoutingNotFound')).toEqual([
      expect.stringMatching(/^EDGE9101 spec\.strategy\.canary\.trafficRouting\.istio\.virtualServices\[0\]\.routes\[0\]: VirtualService shop\/shop has no HTTP route "apii" \(it has api\)/),
    ]);
    expect(found([dr, vs(['stable', 'v2']), rollout(['api'])], 'RolloutTrafficRoutingNotFound')).toEqual([
      expect.stringMatching(/Route "api" of VirtualService shop\/shop has no destination with subset "canary" \(it routes to stable, v2\)/),
    ]);
    expect(found([dr, vs(['stable', 'preview']), rollout(['api'], 'preview')], 'RolloutTrafficRoutingNotFound')).toEqual([
      expect.stringMatching(/^EDGE9101 spec\.strategy\.canary\.trafficRouting\.istio\.destinationRule\.canarySubsetName: DestinationRule shop\/api has no subset "preview"/),
    ]);
    expect(found([vs(['stable', 'canary']), rollout(['api'])], 'RolloutTrafficRoutingNotFound')).toEqual([expect.stringMatching(/DestinationRule shop\/api does not exist/)]);
  });

  it('near miss: the route, the subsets and the DestinationRule all match', () => {
    expect(found([dr, vs(['stable', 'canary']), rollout(['api'])], 'RolloutTrafficRoutingNotFound')).toEqual([]);
  });
});

describe('RolloutGateQueryInvalid (EDGE9102)', () => {
  const good = 'sum(rate(istio_requests_total{reporter="destination", destination_service_name="api", destination_version="{{args.version}}"}[5m]))';
  it('reports a gate without an address, and a query reading labels Istio\'s telemetry does not produce', () => {
    expect(found([template({ query: good })], 'RolloutGateQueryInvalid')).toEqual([expect.stringMatching(/^EDGE9102 spec\.metrics\[0\]\.provider\.prometheus\.address: Metric "success" names no Prometheus address/)]);
    expect(found([template({ address: 'http://prometheus:9090', query: good.replace('destination_version', 'destination_ver') })], 'RolloutGateQueryInvalid'))
      .toEqual([expect.stringMatching(/query: The query of metric "success" never has the data it expects: "destination_ver" is not a label of the edge's Istio metrics/)]);
    expect(found([template({ address: 'http://prometheus:9090', query: 'sum(rate(istio_requests_total[5m])' })], 'RolloutGateQueryInvalid')).toEqual([expect.stringMatching(/syntax error/)]);
  });

  it('near miss: an address and a query on Istio\'s metrics and labels (arguments read as names); a query on other metrics is not read against Istio\'s', () => {
    expect(found([template({ address: 'http://prometheus:9090', query: good })], 'RolloutGateQueryInvalid')).toEqual([]);
    expect(found([template({ address: 'http://prometheus:9090', query: 'sum(kube_pod_status_ready{namespace="shop"})' })], 'RolloutGateQueryInvalid')).toEqual([]);
  });
});

describe('RolloutStepsWaitForPromotion (EDGE9103)', () => {
  const withSteps = (steps: unknown[]): KubernetesObject => {
    const r = rollout(['api']);
    (r.spec as any).strategy.canary.steps = steps;
    return r;
  };
  it('reports a last step that is a pause without duration (the canary stays at the last weight)', () => {
    expect(found([dr, vs(['stable', 'canary']), withSteps([{ setWeight: 10 }, { setWeight: 50 }, { pause: {} }])], 'RolloutStepsWaitForPromotion')).toEqual([
      expect.stringMatching(/^EDGE9103 spec\.strategy\.canary\.steps\[2\]\.pause: The last step is a pause without duration: the canary stays at 50% until someone runs kubectl argo rollouts promote/),
    ]);
  });
  it('near misses: a pause with a duration last, an indefinite pause mid-way, steps ending below 100 (the controller promotes after them)', () => {
    for (const steps of [[{ setWeight: 10 }, { pause: { duration: '10m' } }], [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }], [{ setWeight: 10 }]]) {
      expect(found([dr, vs(['stable', 'canary']), withSteps(steps)], 'RolloutStepsWaitForPromotion')).toEqual([]);
    }
  });
});

describe('RolloutHeaderRouteShadowed (EDGE9104)', () => {
  const pinned = (order: 'pin-first' | 'pin-last', pinPath = '/api', otherHeaders?: Record<string, unknown>): KubernetesObject => {
    const api = { name: 'api', match: [{ uri: { prefix: '/api' }, ...(otherHeaders ? { headers: otherHeaders } : {}) }], route: [{ destination: { host: 'api', subset: 'stable' }, weight: 100 }, { destination: { host: 'api', subset: 'canary' }, weight: 0 }] };
    const pin = { name: 'api-canary', match: [{ uri: { prefix: pinPath }, headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'api', subset: 'canary' } }] };
    return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' }, spec: { hosts: ['api'], http: order === 'pin-first' ? [pin, api] : [api, pin] } };
  };
  it('reports a pin after a route that takes all of its requests', () => {
    expect(found([dr, pinned('pin-last'), rollout(['api'])], 'RolloutHeaderRouteShadowed')).toEqual([
      expect.stringMatching(/^EDGE9104 spec\.http\[1\]\.match\[0\]: Route "api-canary" pins requests with x-canary to the canary of Rollout shop\/api, but route "api" before it takes every request it matches/),
    ]);
    expect(found([dr, pinned('pin-last', '/api/v2'), rollout(['api'])], 'RolloutHeaderRouteShadowed')).toHaveLength(1);
  });
  it('near misses: the pin first; an earlier route that needs another header or a longer prefix', () => {
    expect(found([dr, pinned('pin-first'), rollout(['api'])], 'RolloutHeaderRouteShadowed')).toEqual([]);
    expect(found([dr, pinned('pin-last', '/api', { 'x-tenant': { exact: 'a' } }), rollout(['api'])], 'RolloutHeaderRouteShadowed')).toEqual([]);
    expect(found([dr, pinned('pin-last', '/ap'), rollout(['api'])], 'RolloutHeaderRouteShadowed')).toEqual([]);
  });
});
