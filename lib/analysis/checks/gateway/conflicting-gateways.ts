import { Check } from '../../check';
import { bareHost, gatewayPods, gatewaySelector, hostsMatch, selectorString, servers } from '../../../model/istio';
import { matchesLabels, namespaceOf } from '../../../model/object-index';

/**
 * Two Gateways whose selectors pick a common workload claim the same port and overlapping hosts:
 * only one server takes effect. Both Gateways are reported, each naming the other(s). Selectors
 * overlap when a pod template of the set matches both, or (no pod in the set) when one selector's
 * labels contain the other's.
 */
export const conflictingGateways: Check = {
  name: 'ConflictingGateways',
  code: 'EDGE1001',
  istioCode: 'IST0145',
  severity: 'error',
  kinds: ['Gateway', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'Two Gateways select a common workload and claim the same port with overlapping hosts.',
  details: 'Envoy builds one listener per port on the gateway workload; when two Gateways give it servers with the same port and matching hosts, only one of them is used and the other\'s routes get 404. Merge the servers into one Gateway, or use distinct hosts or ports.',
  run(index, report) {
    const gateways = index.istioGateways();
    const pods = new Map(gateways.map((g) => [g, new Set(gatewayPods(index, g))]));
    const overlap = (a: typeof gateways[0], b: typeof gateways[0]) => {
      const pa = pods.get(a)!;
      const pb = pods.get(b)!;
      if (pa.size && pb.size) return [...pa].some((p) => pb.has(p));
      const sa = gatewaySelector(a);
      const sb = gatewaySelector(b);
      return matchesLabels(sa, sb) || matchesLabels(sb, sa);
    };
    // Servers grouped by port: only those can conflict.
    const byPort = new Map<number, Array<{ gw: typeof gateways[0]; hosts: string[] }>>();
    for (const gw of gateways) {
      for (const { server } of servers(gw)) {
        const port = server.port?.number;
        if (typeof port !== 'number') continue;
        const l = byPort.get(port) ?? [];
        l.push({ gw, hosts: (server.hosts ?? []).map(bareHost) });
        byPort.set(port, l);
      }
    }
    for (const gw of gateways) {
      for (const { server, index: i } of servers(gw)) {
        const port = server.port?.number;
        if (typeof port !== 'number') continue;
        const hosts = (server.hosts ?? []).map(bareHost);
        const others = new Set<string>();
        for (const other of byPort.get(port) ?? []) {
          if (other.gw === gw || !overlap(gw, other.gw)) continue;
          if (hosts.some((h) => other.hosts.some((o) => hostsMatch(h, o)))) others.add(`${namespaceOf(other.gw)}/${other.gw.metadata?.name}`);
        }
        if (others.size) {
          report(gw, `spec.servers[${i}]`, `Port ${port} hosts ${hosts.join(', ')} on workload selector {${selectorString(gatewaySelector(gw))}} conflict with Gateway ${[...others].join(', ')}: only one server takes effect. Merge them into one Gateway, or use distinct hosts or ports.`);
        }
      }
    }
  },
};
