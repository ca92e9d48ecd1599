/**
 * The conformance property (issue 23 item 3): for every HTTP route the constructs wrote, a request
 * built from each entry of that route's match (a canary's header override is a route of its own,
 * so it gets its requests too) reaches that route in the Istio form, and the same route in the
 * Gateway API form read back as istiod reads it (`LoadedEdge`, through `gatewayApiToIstio`), with the destinations,
 * weights, rewrites, timeouts, authorization and rate limits of the route, as `explain` reports them.
 *
 * The route as the construct rendered it is the expectation (its destinations, weights, timeout,
 * rewrite); explain on each form is the observation.
 */
import { KubernetesObject } from '../../lib';
import { Explanation, ExplainRequest, LoadedEdge } from '../../lib/explain';

/** What one run of the property found. */
export interface ConformanceResult {
  /** Requests explained on the Istio form. */
  readonly requests: number;
  /** Requests also explained on the Gateway API form. */
  readonly gatewayApiRequests: number;
  /** Match entries no request could be built for (a regex with no literal reading, ...), one line each. */
  readonly skipped: readonly string[];
  /** What went wrong, one line each; empty when the property holds. */
  readonly failures: readonly string[];
}

type Json = Record<string, any>;

const short = (host: string) => host.split('.')[0];
const nsOf = (o: KubernetesObject) => o.metadata?.namespace ?? 'default';

/** A string a StringMatch takes, when one can be told without solving a regex. */
function sample(m: Json | undefined): string | undefined | null {
  if (m === undefined) return undefined;
  if (typeof m.exact === 'string') return m.exact;
  if (typeof m.prefix === 'string') return m.prefix;
  if (typeof m.regex === 'string') {
    // The regexes the constructs write: an escaped literal, optionally followed by `.*`, `(/.*)?`, `/?`.
    const literal = m.regex.replace(/\(\/\.\*\)\?$|\/\?$|\.\*$/, '').replace(/\\(.)/g, '$1');
    if (/[()[\]{}*+?|^$]/.test(literal)) return null;
    return literal === '' ? '/' : literal;
  }
  return Object.keys(m).length === 0 ? 'present' : null;
}

function serverTakes(hosts: readonly string[], vsNamespace: string, host: string): boolean {
  return hosts.some((h) => {
    const [ns, name] = h.includes('/') ? h.split('/', 2) : ['*', h];
    if (ns !== '*' && ns !== vsNamespace && !(ns === '.')) return false;
    return name === '*' || name === host || (name.startsWith('*.') && host.endsWith(name.slice(1)));
  });
}

interface Built { readonly request: ExplainRequest; readonly where: string }

/** The requests of one route: one per match entry (or one with no condition). */
function requestsOf(vs: KubernetesObject, route: Json, index: number, gateways: readonly KubernetesObject[], skipped: string[]): Built[] {
  const spec = vs.spec as Json;
  const ns = nsOf(vs);
  const hosts: string[] = spec.hosts ?? [];
  const refs: string[] = spec.gateways?.length ? spec.gateways : ['mesh'];
  const out: Built[] = [];
  const matches: Json[] = route.match?.length ? route.match : [{}];
  matches.forEach((m, mi) => {
    const where = `${ns}/${vs.metadata?.name} route ${route.name ?? index} match[${mi}]`;
    const path = sample(m.uri);
    const headers: Record<string, string> = {};
    const query: Record<string, string> = {};
    let ok = path !== null;
    let pseudoMethod: string | undefined;
    for (const [k, v] of Object.entries(m.headers ?? {})) {
      const s = sample(v as Json);
      if (s === null || s === undefined) ok = false;
      // Pseudo-headers come from the request line: ":method" is the method; the authority, scheme
      // and path of a request are fixed by the host, server and path matches here.
      else if (k === ':method') pseudoMethod = s;
      else if (k.startsWith(':')) ok = false;
      else headers[k] = s;
    }
    for (const [k, v] of Object.entries(m.queryParams ?? {})) {
      const s = sample(v as Json);
      if (s === null || s === undefined) ok = false;
      else query[k] = s;
    }
    const method = m.method === undefined ? pseudoMethod : sample(m.method);
    if (method === null) ok = false;
    if (!ok) {
      skipped.push(`${where}: no literal request for ${JSON.stringify(m)}`);
      return;
    }
    const base = { path: path ?? '/', method: method ?? undefined, headers, query };
    for (const ref of refs) {
      if (ref === 'mesh') {
        const host = hosts.find((h) => !h.includes('*'));
        if (!host) continue;
        out.push({ where: `${where} (mesh)`, request: { ...base, host, port: m.port, source: { namespace: m.sourceNamespace ?? ns, labels: m.sourceLabels ?? { app: 'conformance-client' } } } });
        continue;
      }
      if (m.gateways?.length && !m.gateways.includes(ref)) continue;
      const [gwNs, gwName] = ref.includes('/') ? ref.split('/', 2) : [ns, ref];
      const gw = gateways.find((g) => nsOf(g) === gwNs && g.metadata?.name === gwName);
      if (!gw) continue;
      const host = (hosts.find((h) => !h.includes('*')) ?? hosts[0] ?? '*').replace(/^\*$/, 'any.example.com').replace(/^\*\./, 'x.');
      const server = ((gw.spec as Json).servers as Json[] ?? []).find((s) => s.tls?.httpsRedirect !== true && (m.port === undefined || s.port.number === m.port)
        && ['HTTP', 'HTTPS', 'HTTP2'].includes(String(s.port.protocol).toUpperCase()) && serverTakes(s.hosts, ns, host));
      if (!server) {
        skipped.push(`${where}: no HTTP(S) server of ${ref} takes ${host}`);
        continue;
      }
      const scheme = String(server.port.protocol).toUpperCase() === 'HTTPS' ? 'https' : 'http';
      out.push({ where: `${where} (${ref})`, request: { ...base, host, port: server.port.number, scheme, gateway: `${gwNs}/${gwName}` } });
    }
  });
  return out;
}

/** The comparable part of an answer; a version Service of the Gateway API form stands for its subset. */
function outcome(e: Explanation, version: (host: string) => { host: string; subset?: string }) {
  return {
    decision: e.decision,
    status: e.status,
    route: e.route?.name,
    redirect: e.redirect,
    rewrite: e.rewrite,
    timeout: e.timeout,
    destinations: e.destinations.map((d) => {
      const v = version(d.host);
      return { host: v.host, subset: d.subset ?? v.subset, port: d.port, weight: d.weight };
    }),
    authorization: e.authorization && { decision: e.authorization.decision, status: e.authorization.status, policy: e.authorization.policy },
    jwt: e.jwt.required,
    // As explain reports them, whole: what explain learns to report (descriptors, limits) is compared too.
    rateLimits: e.rateLimits,
  };
}

/**
 * Checks the property on one edge: `istio` its objects in the Istio form, `gatewayApi` the Gateway
 * API form of the same edge, or the conversion's error (then it must be a named error), or
 * undefined (the Istio form only).
 */
export function checkConformance(istio: readonly KubernetesObject[], gatewayApi: readonly KubernetesObject[] | Error | undefined): ConformanceResult {
  const failures: string[] = [];
  const skipped: string[] = [];
  let requests = 0;
  let gatewayApiRequests = 0;
  const gateways = istio.filter((o) => o.kind === 'Gateway' && o.apiVersion.startsWith('networking.istio.io/'));
  const virtualServices = istio.filter((o) => o.kind === 'VirtualService');
  if (gatewayApi instanceof Error) {
    if (!/: invalid [^\n]+: received [^\n]*\. \S/.test(gatewayApi.message)) failures.push(`the Gateway API conversion failed without a named error: ${gatewayApi.message}`);
  }
  // Each form loaded once (explain's index built once); the Gateway API form is read back as istiod reads it.
  const istioEdge = LoadedEdge.load(istio);
  const read = Array.isArray(gatewayApi) ? LoadedEdge.load(gatewayApi) : undefined;
  // (A form without any gateway, mesh routes only, is the same in both forms and loads as istio.)
  const holdsGatewayApi = Array.isArray(gatewayApi) && gatewayApi.some((o) => o.apiVersion.startsWith('gateway.networking.k8s.io/'));
  if (read && (read.form === 'mixed' || (holdsGatewayApi && read.form !== 'gateway-api'))) failures.push(`the Gateway API form loads as ${read.form}`);
  // A version Service of the Gateway API form ("<service>-<subset>") stands for the subset.
  const versions = new Map<string, { host: string; subset?: string }>();
  for (const dr of istio.filter((o) => o.kind === 'DestinationRule')) {
    for (const s of ((dr.spec as Json).subsets ?? []) as Json[]) versions.set(`${short((dr.spec as Json).host)}-${s.name}`, { host: short((dr.spec as Json).host), subset: s.name });
  }
  for (const vs of virtualServices) {
    ((vs.spec as Json).http ?? []).forEach((route: Json, index: number) => {
      for (const built of requestsOf(vs, route, index, gateways, skipped)) {
        const { where } = built;
        let { request } = built;
        requests++;
        let a = istioEdge.explain(request);
        if (a.decision === 'denied' && a.jwt.required === true && a.jwt.issuers.length) {
          // A route behind a required JWT: the request presents one (both forms are asked the same).
          request = { ...request, jwt: { issuer: a.jwt.issuers[0], subject: 'conformance' } };
          a = istioEdge.explain(request);
        }
        const fail = (what: string) => failures.push(`${where}: ${what} (request ${JSON.stringify(request)})`);
        // The Istio form: the request reaches this route, or an earlier one of the same
        // VirtualService that also takes it (a shadowed match, which the analysis reports).
        const reached = a.route?.virtualService === `${nsOf(vs)}/${vs.metadata?.name}` && a.route.index <= index;
        if (!reached) {
          fail(`reaches ${a.route ? `${a.route.virtualService} route ${a.route.name ?? a.route.index}` : a.decision} in the Istio form`);
          continue;
        }
        if (a.route?.index === index) {
          const expected = route.redirect ? 'redirected' : route.directResponse ? 'direct-response' : 'routed';
          const denied = a.decision === 'denied';
          if (a.decision !== expected && !denied) fail(`decision ${a.decision}, expected ${expected}: ${a.unknowns.join('; ')}`);
          if (route.route && !denied) {
            // A destination at weight 0 takes no request: explain lists the others.
            const want = (route.route as Json[]).map((d) => ({ host: short(d.destination.host), subset: d.destination.subset, weight: d.weight ?? 100 })).filter((d) => d.weight > 0);
            const got = a.destinations.map((d) => ({ host: short(d.host), subset: d.subset, weight: d.weight }));
            if (JSON.stringify(got) !== JSON.stringify(want)) fail(`destinations ${JSON.stringify(got)}, the route says ${JSON.stringify(want)}`);
            if (route.timeout !== undefined && a.timeout !== route.timeout) fail(`timeout ${a.timeout}, the route says ${route.timeout}`);
            // ":authority" or "host" set or added on the request is Istio's host rewrite too.
            const headerAuthority = Object.keys({ ...route.headers?.request?.set, ...route.headers?.request?.add }).some((k) => [':authority', 'host'].includes(k.toLowerCase()));
            if ((route.rewrite !== undefined || headerAuthority) !== (a.rewrite !== undefined)) fail(`rewrite ${JSON.stringify(a.rewrite)}, the route says ${JSON.stringify(route.rewrite ?? route.headers?.request)}`);
          }
        }
        if (!read) continue;
        gatewayApiRequests++;
        // istiod builds its own Gateways from a Gateway API one: the request names none.
        const b = read.explain({ ...request, gateway: undefined });
        const want = outcome(a, (h) => ({ host: short(h) }));
        const got = outcome(b, (h) => versions.get(short(h)) ?? { host: short(h) });
        if (JSON.stringify(got) !== JSON.stringify(want)) fail(`the Gateway API form differs:\n      Istio form       ${JSON.stringify(want)}\n      Gateway API form ${JSON.stringify(got)}`);
      }
    });
  }
  return { requests, gatewayApiRequests, skipped, failures };
}
