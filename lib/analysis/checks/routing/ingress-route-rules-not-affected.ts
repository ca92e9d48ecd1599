import { Check } from '../../check';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { list, specOf, VirtualServiceSpec } from '../../../model/objects';
import { appliesToMesh, gatewayRefsOf } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';
import { resolveHost } from '../../../contract/hosts';

/**
 * A gateway route to a host without a subset, where a mesh VirtualService for that host splits
 * its traffic by subsets: the mesh rules do not apply to requests from the gateway, which go to
 * every version.
 */
export const ingressRouteRulesNotAffected: Check = {
  name: 'IngressRouteRulesNotAffected',
  code: 'EDGE2007',
  istioCode: 'IST0140',
  severity: 'warning',
  kinds: ['VirtualService'],
  description: 'A gateway route to a host whose mesh VirtualService routes by subsets, without a subset itself.',
  details: 'A gateway applies only the VirtualServices bound to it: the subset routing of the host\'s own VirtualService (bound to the mesh) does not apply to requests from the gateway, which reach every version. Route to the subsets in the gateway\'s VirtualService too, or bind the host\'s VirtualService to the gateway as well.',
  run(index, report) {
    // Hosts that a VirtualService of the mesh routes by subset: host FQDN -> that VirtualService.
    const subsetRouted = new Map<string, KubernetesObject>();
    for (const vs of index.ofKind('VirtualService')) {
      if (!appliesToMesh(vs)) continue;
      const ns = namespaceOf(vs);
      const spec = specOf<VirtualServiceSpec>(vs);
      const hosts = new Set(list(spec.hosts).filter((h) => typeof h === 'string').map((h) => resolveHost(h, ns)));
      for (const route of list(spec.http)) {
        for (const r of list(route?.route)) {
          const host = r?.destination?.host;
          if (typeof host === 'string' && typeof r.destination?.subset === 'string' && hosts.has(resolveHost(host, ns))) subsetRouted.set(resolveHost(host, ns), vs);
        }
      }
    }
    if (subsetRouted.size === 0) return;
    for (const vs of index.ofKind('VirtualService')) {
      if (gatewayRefsOf(index, vs).length === 0) continue;
      const ns = namespaceOf(vs);
      list(specOf<VirtualServiceSpec>(vs).http).forEach((route, i) => list(route?.route).forEach((r, j) => {
        const host = r?.destination?.host;
        if (typeof host !== 'string' || r.destination?.subset !== undefined) return;
        const mesh = subsetRouted.get(resolveHost(host, ns));
        if (mesh && mesh !== vs) {
          report(vs, `spec.http[${i}].route[${j}].destination`, `Requests from the gateway to "${host}" go to every version: the subset routing of VirtualService ${namespaceOf(mesh)}/${mesh.metadata?.name} applies to the mesh only. Route to a subset here, or bind that VirtualService to the gateway too.`);
        }
      }));
    }
  },
};
