import { Check } from '../../check';
import { destinationsOf } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';
import { list, specOf, VirtualServiceSpec } from '../../../model/objects';
import { resolveHost } from '../../../contract/hosts';

/**
 * A VirtualService whose own `exportTo` makes it visible in a namespace where a destination host
 * of it is not: the proxies of that namespace apply its routes and find no such host (503 NR).
 * istioctl 1.30.3 looks the destination up in the VirtualService's exportTo namespaces
 * (analyzers/util GetDestinationHost) and reports ReferencedResourceNotFound (IST0101); this check
 * names each namespace where it is missing. Only hosts the set declares somewhere are checked
 * (ReferencedResourceNotFound reports the others), and a VirtualService without exportTo is
 * checked from its own namespace by ReferencedResourceNotFound.
 */
export const virtualServiceExportedBeyondDestination: Check = {
  name: 'VirtualServiceExportedBeyondDestination',
  code: 'EDGE2014',
  istioCode: 'IST0101',
  severity: 'error',
  kinds: ['VirtualService', 'Service', 'ServiceEntry'],
  description: 'A VirtualService is exported to a namespace where one of its destination hosts is not visible.',
  details: 'A VirtualService applies to the proxies of every namespace it is exported to, and each proxy resolves the destination among the Services and ServiceEntries exported to its own namespace. Where the destination is not exported, the route sends requests to a host the proxy does not know (503 NR). Export the destination there too, or narrow the VirtualService\'s exportTo.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      const exportTo = list(specOf<VirtualServiceSpec & { exportTo?: readonly string[] }>(vs).exportTo).filter((e): e is string => typeof e === 'string');
      if (exportTo.length === 0) continue;
      const ns = namespaceOf(vs);
      const namespaces = [...new Set(exportTo.map((e) => (e === '.' ? ns : e)))].filter((e) => e !== '~');
      for (const { destination, field } of destinationsOf(index, vs)) {
        const host = destination.host;
        if (typeof host !== 'string') continue;
        const fqdn = resolveHost(host, ns);
        const declared = index.registryHasAnywhere(fqdn, ns);
        if (!declared) continue;
        // '*' is every namespace: the destination must be exported to every namespace too.
        const missing = namespaces.filter((n) => !index.registryHost(fqdn, n));
        if (missing.length === 0) continue;
        const where = missing.map((n) => (n === '*' ? 'every namespace ("*")' : `"${n}"`)).join(', ');
        report(vs, `${field}.host`, `This VirtualService is exported to ${where}, where host "${host}" (${declared.source.kind} ${namespaceOf(declared.source)}/${declared.source.metadata?.name}) is not exported, so proxies there route to a host they do not know (503 NR): export the destination there too, or narrow the VirtualService's exportTo.`);
      }
    }
  },
};
