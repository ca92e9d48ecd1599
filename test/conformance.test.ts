// The conformance property across forms and tools (issue 23 item 3; see test/support/conformance.ts):
// on the example (dev and prod), on CONFORMANCE_RUNS random edges of the property tests' generator
// (default 500), and, through synthClean, on every edge of test/istio-samples/. Each edge is
// synthesized once; its Gateway API form is converted from that synthesis.
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../apps/edge';
import { environments } from '../apps/environments';
import { KubernetesObject } from '../lib';
import { GatewayApiOmission, GatewayApiOptions } from '../lib/gateway-api/convert';
import { convertToGatewayApi, synthesizeApp } from '../lib/synth/synth';
import { checkConformance, ConformanceResult } from './support/conformance';
import { build, edgeSpec } from './support/edge-generator';

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 500);

/** The Istio form of the app and its Gateway API form (or the conversion's error), from one synthesis. */
function bothForms(app: App, options: GatewayApiOptions = {}): { istio: KubernetesObject[]; gatewayApi: KubernetesObject[] | Error } {
  const charts = synthesizeApp(app);
  const istio = charts.flatMap((c) => c.objects);
  try {
    return { istio, gatewayApi: convertToGatewayApi(app, charts, options).charts.flatMap((c) => c.objects) };
  } catch (e) {
    return { istio, gatewayApi: e as Error };
  }
}

describe('the conformance property: a request built from each route\'s match gets that route, on both forms', () => {
  it.each(['dev', 'prod'] as const)('the example, %s', (name) => {
    const { istio, gatewayApi } = bothForms(buildEdgeApp(environments[name]), { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] });
    expect(gatewayApi).not.toBeInstanceOf(Error);
    const result = checkConformance(istio, gatewayApi);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([]);
    // Every HTTP route of the example, canary overrides included, got requests on both forms.
    const routes = istio.filter((o) => o.kind === 'VirtualService').flatMap((o) => (o.spec as { http?: unknown[] }).http ?? []);
    expect(result.requests).toBeGreaterThanOrEqual(routes.length);
    expect(result.gatewayApiRequests).toBe(result.requests);
  });

  it(`${RUNS} random edges of the property tests' generator`, () => {
    const totals = { edges: 0, converted: 0, requests: 0, gatewayApiRequests: 0 };
    const failures: string[] = [];
    for (const spec of fc.sample(edgeSpec, { numRuns: RUNS, seed: 23 })) {
      const chart = build(spec);
      const { istio, gatewayApi } = bothForms(chart.node.root as App);
      const result: ConformanceResult = checkConformance(istio, gatewayApi);
      totals.edges++;
      if (!(gatewayApi instanceof Error)) totals.converted++;
      totals.requests += result.requests;
      totals.gatewayApiRequests += result.gatewayApiRequests;
      failures.push(...result.failures.map((f) => `${JSON.stringify(spec)}\n    ${f}`), ...result.skipped);
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
    expect(totals.edges).toBe(RUNS);
    // Most random edges have a Gateway API form (the rest are named errors, checked above).
    expect(totals.converted).toBeGreaterThan(RUNS / 2);
    expect(totals.gatewayApiRequests).toBeGreaterThan(RUNS);
    if (process.env.CONFORMANCE_REPORT) console.log(JSON.stringify(totals));
  });
});
