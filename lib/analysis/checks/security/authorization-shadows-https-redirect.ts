import { Check } from '../../check';
import { arr, labels, num, rec, str, strings } from '../../../model/json';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { namespaceOf, ObjectIndex } from '../../../model/object-index';
import { gatewayPods, gatewaySelector, servers } from '../../../model/istio';
import { ROOT_NAMESPACES } from './root-namespaces';

/** Source conditions on the client's address only: such a client is refused over HTTPS too, so refusing it on HTTP hides nothing. */
const ADDRESS_ONLY = new Set(['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']);

/** Istio's value match in authorization: exact, "prefix*", "*suffix" or "*". */
function valueMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/** Whether a policy host ("h", "h:*", "h:80", "*.example.com") may be the authority of a request to one of the server's hosts on `port`. */
function hostMayMatch(pattern: string, serverHosts: readonly string[], port: number): boolean {
  const colon = pattern.lastIndexOf(':');
  const [host, p] = colon > 0 && !pattern.endsWith(']') ? [pattern.slice(0, colon), pattern.slice(colon + 1)] : [pattern, undefined];
  if (p !== undefined && p !== '*' && p !== String(port)) return false;
  return serverHosts.some((h) => {
    const bare = h.includes('/') ? h.slice(h.indexOf('/') + 1) : h;
    if (bare === '*' || host === '*') return true;
    if (bare.startsWith('*.')) return host.endsWith(bare.slice(1)) || valueMatch(host, bare);
    return valueMatch(host.toLowerCase(), bare.toLowerCase());
  });
}

/** The port the gateway pods listen on for a server: the target port of a Service of theirs with that port (Istio listens there), else the port itself. */
function podPort(index: ObjectIndex, pods: { namespace: string; labels: Readonly<Record<string, string>> }[], port: number): number {
  for (const s of index.ofKind('Service')) {
    const selector = labels(rec(s.spec).selector);
    if (!Object.keys(selector).length || !pods.some((p) => p.namespace === namespaceOf(s) && Object.entries(selector).every(([k, v]) => p.labels[k] === v))) continue;
    const sp = arr(rec(s.spec).ports).map(rec).find((x) => num(x.port) === port);
    const target = num(sp?.targetPort);
    if (sp) return target ?? port;
  }
  return port;
}

/** Whether a DENY rule can match a request on the server (port `listener` of the pods, hosts `hosts`), and what it keys on. */
function ruleMatches(rule: Record<string, unknown>, listener: number, hosts: readonly string[], servicePort: number): boolean {
  const froms = arr(rule.from).map((f) => rec(rec(f).source));
  const tos = arr(rule.to).map((t) => rec(rec(t).operation));
  const whens = arr(rule.when).map(rec);
  if (tos.length === 0 && whens.length === 0 && froms.length > 0 && froms.every((f) => Object.keys(f).length > 0 && Object.keys(f).every((k) => ADDRESS_ONLY.has(k)))) return false;
  const toMatches = tos.length === 0 || tos.some((op) => {
    const ports = strings(op.ports);
    if (op.ports !== undefined && !ports.includes(String(listener))) return false;
    if (strings(op.notPorts).includes(String(listener))) return false;
    if (op.hosts !== undefined && !strings(op.hosts).some((h) => hostMayMatch(h, hosts, servicePort))) return false;
    return true;
  });
  const whenMatches = whens.every((w) => {
    if (str(w.key) !== 'destination.port') return true;
    if (w.values !== undefined && !strings(w.values).includes(String(listener))) return false;
    return !strings(w.notValues).includes(String(listener));
  });
  return toMatches && whenMatches;
}

/**
 * A DENY AuthorizationPolicy (a path rule, a JWT requirement) on gateway pods whose rule also
 * applies on a plain-HTTP server that redirects to HTTPS. Envoy runs the RBAC filter before the
 * router, which sends the redirect (Istio's `httpsRedirect` is the virtual host's `require_tls`),
 * so the requests the rule matches get 403 on http:// instead of the 301 to https://.
 * Rules on the client's address only are left out (that client is refused over HTTPS too).
 */
export const authorizationShadowsHttpsRedirect: Check = {
  name: 'AuthorizationShadowsHttpsRedirect',
  code: 'EDGE6007',
  severity: 'warning',
  kinds: ['AuthorizationPolicy', 'Gateway', 'Service', 'Deployment'],
  description: 'A DENY AuthorizationPolicy rule on gateway pods that also applies on a plain-HTTP server redirecting to HTTPS, so http:// requests it matches get 403 instead of the 301.',
  details: 'Envoy\'s RBAC filter (AuthorizationPolicy) runs before the router, which sends the HTTPS redirect of an HTTP server with tls.httpsRedirect: a DENY rule on a path or a JWT requirement answers 403 on http:// before the client learns to use https://. '
    + 'Scope the rule to the HTTPS server: to.operation.notPorts with the port the gateway pods listen on for the HTTP server (the target port of the gateway Service\'s port). '
    + 'IngressGateway.denyRequests and requireJwt do so when the package deploys the gateway.',
  run(index, report) {
    const policies = index.ofKind('AuthorizationPolicy').filter((p) => str(rec(p.spec).action) === 'DENY' && rec(p.spec).targetRef === undefined && rec(p.spec).targetRefs === undefined);
    if (policies.length === 0) return;
    const reported = new Set<string>();
    for (const gw of index.istioGateways()) {
      const redirects = servers(gw).filter(({ server }) => server.port?.protocol === 'HTTP' && server.tls?.httpsRedirect === true);
      if (redirects.length === 0) continue;
      const found = gatewayPods(index, gw);
      const pods = found.length ? found.map((p) => ({ namespace: p.namespace, labels: p.labels })) : [{ namespace: namespaceOf(gw), labels: gatewaySelector(gw) }];
      for (const policy of policies) {
        const ns = namespaceOf(policy);
        const selector = labels(rec(rec(policy.spec).selector).matchLabels);
        const applies = pods.some((p) => (p.namespace === ns || ROOT_NAMESPACES.includes(ns)) && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
        if (!applies) continue;
        for (const { server } of redirects) {
          const port = server.port?.number ?? 80;
          const listener = podPort(index, pods, port);
          arr(rec(policy.spec).rules).map(rec).forEach((rule, i) => {
            const key = `${ref(policy)}#${i}`;
            if (reported.has(key) || !ruleMatches(rule, listener, strings(server.hosts), port)) return;
            reported.add(key);
            const jwt = arr(rule.from).some((f) => strings(rec(rec(f).source).notRequestPrincipals).length > 0);
            report(policy, `spec.rules[${i}]`, `This DENY rule also applies on the plain-HTTP server "${server.port?.name ?? port}" (port ${port}) of Gateway ${ref(gw)}, which redirects to HTTPS: the http:// requests it matches${jwt ? ' (those without a JWT)' : ''} get 403 instead of the 301 to https://, because Envoy's RBAC filter runs before the router that sends the redirect. Scope it to HTTPS: add notPorts: ["${listener}"] to its to.operation (the port the gateway pods listen on for that server).`);
          });
        }
      }
    }
  },
};

function ref(o: KubernetesObject): string {
  return `${namespaceOf(o)}/${o.metadata?.name ?? ''}`;
}
