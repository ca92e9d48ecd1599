import { Check } from '../../check';
import { list, specOf, VirtualServiceSpec } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { resolveHost } from '../../../contract/hosts';

/** Adds the FQDN of `host` (when it is a string) to `hosts`. */
function addHost(hosts: Set<string>, host: unknown, namespace: string): void {
  if (typeof host === 'string') hosts.add(resolveHost(host, namespace));
}

/** A host of a VirtualService that the VirtualService only mirrors to: every call to it is routed by this VirtualService. */
export const virtualServiceMirrorOnlyHost: Check = {
  name: 'VirtualServiceMirrorOnlyHost',
  code: 'EDGE2010',
  severity: 'warning',
  kinds: ['VirtualService'],
  description: 'A host of a VirtualService that is only a mirror target of its routes, never a destination.',
  details: 'A VirtualService applies to the calls to every host it lists. A host its routes only mirror to (mirror, mirrors) is then routed by it: every call to the mirror target goes to the route\'s destination, and the mirror copies it back. Remove the host from hosts, unless the calls to it are meant to be routed here.',
  run(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      const spec = specOf<VirtualServiceSpec>(vs);
      const ns = namespaceOf(vs);
      const mirrored = new Set<string>();
      for (const r of list(spec.http)) {
        addHost(mirrored, r?.mirror?.host, ns);
        for (const m of list(r?.mirrors)) addHost(mirrored, m?.destination?.host, ns);
      }
      if (mirrored.size === 0) continue; // no mirror (most VirtualServices): nothing to find
      const routed = new Set<string>();
      for (const kind of ['http', 'tcp', 'tls'] as const) {
        for (const r of list(spec[kind])) for (const d of list(r?.route)) addHost(routed, d?.destination?.host, ns);
      }
      const fqdn = (h: unknown) => (typeof h === 'string' ? resolveHost(h, ns) : undefined);
      list(spec.hosts).forEach((host, i) => {
        const h = fqdn(host);
        if (h !== undefined && mirrored.has(h) && !routed.has(h)) {
          report(vs, `spec.hosts[${i}]`, `Host "${String(host)}" is only a mirror target of this VirtualService, yet one of its hosts: every call to it is routed by this VirtualService (to its destinations), not to it. Remove it from hosts, unless the calls to it are meant to be routed here.`);
        }
      });
    }
  },
};
