/**
 * Helpers of the tests that re-express Istio's own sample configurations with the constructs and
 * compare the meaning of what they synthesize with the samples (written from Istio's docs and
 * samples, not copied): same kinds, names, hosts, gateways, routes, subsets and policies.
 */
import { App, Chart } from 'cdk8s';
import { expect } from 'vitest';
import { GatewayWorkload, IngressGateway, KubernetesObject, validateAndAnalyze, VersionedService } from '../../lib';
import { synthValid } from '../support/synth';
import { checkConformance } from '../support/conformance';
import { convertToGatewayApi } from '../../lib/synth/synth';

/** The gateway pods of Istio's samples: the default ingress gateway (`istio: ingressgateway` in istio-system). */
export function sampleGateway(chart: Chart, name: string, options: { namespace?: string; port?: number } = {}): IngressGateway {
  return new IngressGateway(chart, name, {
    namespace: options.namespace ?? 'default',
    hosts: ['*'],
    http: { port: options.port ?? 80 },
    workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
  });
}

/** A sample service with the given versions (images are placeholders: only their labels matter here). */
export function sampleService(chart: Chart, name: string, versions: string[], port = 9080): VersionedService {
  return new VersionedService(chart, name, { port, versions: versions.map((v) => ({ name: v, image: `docker.io/istio/examples-${name}-${v}:1.20.0` })) });
}

/**
 * Synthesizes, validates (schemas and CRD CEL rules) and analyzes the chart; fails on any error
 * finding. Returns the objects.
 */
export async function synthClean(chart: Chart): Promise<KubernetesObject[]> {
  const objects = await synthValid(chart);
  const errors = (await validateAndAnalyze(objects)).filter((f) => f.severity === 'error');
  expect(errors.map((f) => `${f.check} ${f.object} ${f.field}: ${f.message}`)).toEqual([]);
  // The conformance property (test/support/conformance.ts) on every sample edge: each route's
  // requests reach it in the Istio form, and in the Gateway API form when it has one (else the
  // conversion's refusal is a named error).
  let gatewayApi: KubernetesObject[] | Error;
  try {
    gatewayApi = convertToGatewayApi(chart.node.root as App, [{ name: chart.node.id, objects }]).charts.flatMap((c) => c.objects);
  } catch (e) {
    gatewayApi = e as Error;
  }
  const result = checkConformance(objects, gatewayApi);
  expect(result.failures).toEqual([]);
  conformanceTotals.edges++;
  conformanceTotals.requests += result.requests;
  conformanceTotals.gatewayApiRequests += result.gatewayApiRequests;
  conformanceTotals.skipped += result.skipped.length;
  return objects;
}

/** What the conformance property covered over the samples (for the record; see test/conformance.test.ts). */
export const conformanceTotals = { edges: 0, requests: 0, gatewayApiRequests: 0, skipped: 0 };

/** The spec of the one object of `kind` named `name`. */
export function specOf(objects: KubernetesObject[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  expect(found.map((o) => `${o.kind}/${o.metadata?.name}`), `exactly one ${kind} ${name}`).toHaveLength(1);
  return (found[0] as any).spec;
}

/**
 * A spec as Istio reads it: a destination port is dropped when the Service has that single port
 * (Istio picks it), gateways "<ns>/<name>" in the VirtualService's own namespace become "<name>",
 * a short host and its FQDN in the same namespace are the same host, and a route's single
 * destination's weight 100 is the same as none.
 */
export function meaning(spec: any, ctx: { namespace?: string; singlePorts?: Record<string, number> } = {}): any {
  const ns = ctx.namespace ?? 'default';
  const host = (h: string) => h.replace(`.${ns}.svc.cluster.local`, '');
  const dest = (d: any) => {
    if (!d) return d;
    const out = { ...d, host: host(d.host) };
    if (out.port?.number !== undefined && ctx.singlePorts?.[out.host] === out.port.number) delete out.port;
    return out;
  };
  const routes = (list: any[] | undefined) => list?.map((r) => {
    const out = { ...r, destination: dest(r.destination) };
    if (list.length === 1 && out.weight === 100) delete out.weight;
    if (out.weight === undefined) delete out.weight;
    return out;
  });
  const clean = JSON.parse(JSON.stringify(spec));
  if (clean.gateways) clean.gateways = clean.gateways.map((g: string) => (g.startsWith(`${ns}/`) ? g.slice(ns.length + 1) : g));
  for (const kind of ['http', 'tcp', 'tls']) {
    clean[kind] = clean[kind]?.map((r: any) => {
      const out = { ...r, route: routes(r.route) };
      if (out.route === undefined) delete out.route;
      if (r.mirror) out.mirror = dest(r.mirror);
      return out;
    });
    if (clean[kind] === undefined) delete clean[kind];
  }
  return clean;
}
