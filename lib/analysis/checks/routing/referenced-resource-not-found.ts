import { Check } from '../../check';
import { DestinationRuleSpec, list, specOf } from '../../../model/objects';
import { destinationsOf, gatewayRefsOf } from '../../../model/istio';
import { namespaceOf } from '../../../model/object-index';
import { definedElsewhere } from '../../../contract/defined-elsewhere';
import { CLUSTER_DOMAIN, isClusterHost, isIstioInstallService, resolveHost } from '../../../contract/hosts';
import { isInternalGatewayReference } from './referenced-internal-gateway';


/**
 * What a VirtualService refers to and the set does not define, as Istio resolves it: a Gateway,
 * a destination host (a Service or ServiceEntry host visible from the VirtualService's namespace,
 * `exportTo` respected), a port of that host, or a subset of a DestinationRule for the host.
 * Hosts outside the cluster's domain are not reported (the set cannot know them) unless a
 * ServiceEntry of the set declares them and is not exported to the namespace, nor the Services
 * Istio's installation creates (istiod, istio-ingressgateway, istio-egressgateway); subsets are
 * checked whether or not the host is found.
 */
export const referencedResourceNotFound: Check = {
  name: 'ReferencedResourceNotFound',
  code: 'EDGE2001',
  istioCode: 'IST0101',
  severity: 'error',
  kinds: ['VirtualService', 'Gateway', 'Service', 'ServiceEntry', 'DestinationRule'],
  description: 'A VirtualService refers to a Gateway, host, port or subset the set does not define (or does not export to it).',
  details: 'Istio resolves a short host in the VirtualService\'s namespace, and only sees Services and ServiceEntries exported to that namespace (exportTo). A destination it cannot resolve, a port the host does not have, or a subset no DestinationRule defines, gets 503 (NR or NC); a missing Gateway leaves the routes unbound.',
  run(index, report) {
    // The subsets defined for each host, read once per host.
    const subsetsByHost = new Map<string, ReadonlyArray<string | undefined>>();
    for (const vs of index.ofKind('VirtualService')) {
      const ns = namespaceOf(vs);
      // References the VirtualService declares as defined outside these manifests (imported objects).
      const elsewhere = definedElsewhere(vs.metadata?.annotations);
      for (const g of gatewayRefsOf(index, vs)) {
        // A generated internal Gateway is never in the set: ReferencedInternalGateway reports it (as istioctl does).
        if (isInternalGatewayReference(g.ref)) continue;
        if (!index.get('Gateway', g.namespace, g.name) && !elsewhere.has(`Gateway ${g.namespace}/${g.name}`)) {
          report(vs, g.field, `Gateway "${g.namespace}/${g.name}" (from "${g.ref}") is not defined: define it, or fix the reference (write "<namespace>/<name>" for a Gateway in another namespace).`);
        }
      }
      for (const { destination, field } of destinationsOf(index, vs)) {
        const host = destination.host;
        if (typeof host !== 'string') continue;
        const fqdn = resolveHost(host, ns);
        if (elsewhere.has(`Service ${fqdn}`)) continue;
        // The FQDN, not the host: the lookup resolves it to itself, without building it again.
        const entry = index.registryHost(fqdn, ns);
        if (entry) {
          const port = destination.port?.number;
          if (typeof port === 'number' && entry.ports.length && !entry.ports.includes(port)) {
            report(vs, `${field}.port.number`, `Port ${port} is not a port of "${host}" (${entry.ports.join(', ')}), so requests get 503 NC: use one of its ports.`);
          }
        } else if ((isClusterHost(fqdn) && !isIstioInstallService(fqdn)) || index.registryHasAnywhere(host, ns)) {
          // An external host is reported only when the set declares it, in a ServiceEntry not exported here.
          const hidden = index.registryHasAnywhere(host, ns);
          report(vs, `${field}.host`, hidden
            ? `Host "${host}" (${fqdn}) is not exported to namespace "${ns}" (${hidden.source.kind} ${namespaceOf(hidden.source)}/${hidden.source.metadata?.name} limits exportTo), so requests get 503 NR: export it to "${ns}", or route from a namespace that sees it.`
            : `Host "${host}" (${fqdn}) matches no Service or ServiceEntry in the set, so requests get 503 NR: define the Service, or fix the host (a short name resolves in the VirtualService's namespace "${ns}").`);
        } else if (host.split('.').length === 2 && index.services.has(`${host}.${CLUSTER_DOMAIN}`)) {
          report(vs, `${field}.host`, `Host "${host}" is not expanded by Istio (only names without a dot are), so it matches no Service and requests get 503 NR: write "${host}.${CLUSTER_DOMAIN}".`);
        }
        if (typeof destination.subset === 'string') {
          let subsets = subsetsByHost.get(fqdn);
          if (!subsets) {
            subsets = (index.destinationRules.get(fqdn) ?? []).flatMap((r) => list(specOf<DestinationRuleSpec>(r).subsets).map((s) => s?.name));
            subsetsByHost.set(fqdn, subsets);
          }
          if (!subsets.includes(destination.subset)) {
            report(vs, `${field}.subset`, `Subset "${destination.subset}" of host "${host}" is not defined by any DestinationRule (known: ${subsets.length ? subsets.join(', ') : 'none'}), so requests get 503 NR: add the subset, or route to a defined one.`);
          }
        }
      }
    }
  },
};
