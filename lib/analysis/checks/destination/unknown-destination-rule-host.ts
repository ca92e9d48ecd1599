import { Check } from '../../check';
import { definedElsewhere } from '../../../contract/defined-elsewhere';
import { DestinationRuleSpec, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { isClusterHost, isIstioInstallService, resolveHost } from '../../../contract/hosts';

/**
 * A DestinationRule whose host is a cluster host (short name or `*.svc.cluster.local`) that no
 * Service or ServiceEntry of the set, visible from its namespace, declares: it applies to nothing.
 * Hosts outside the cluster's domain and wildcard hosts are not reported, nor a host the rule
 * declares as defined elsewhere (annotation `analysis.istio-aks-edge.io/defined-elsewhere`:
 * "Service <fqdn>", written by the constructs for an imported Service).
 */
export const unknownDestinationRuleHost: Check = {
  name: 'UnknownDestinationRuleHost',
  code: 'EDGE3002',
  istioCode: 'IST0174',
  severity: 'warning',
  kinds: ['DestinationRule', 'Service', 'ServiceEntry'],
  description: 'A DestinationRule whose host matches no Service or ServiceEntry.',
  details: 'A DestinationRule applies to a host of the registry; with a misspelt host, or a Service in another namespace written as a short name, its policies and subsets apply to nothing. Use the Service\'s FQDN, or create the ServiceEntry.',
  run(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const host = specOf<DestinationRuleSpec>(dr).host;
      if (typeof host !== 'string') continue;
      const fqdn = resolveHost(host, namespaceOf(dr));
      if (definedElsewhere(dr.metadata?.annotations).has(`Service ${fqdn}`)) continue;
      if (isClusterHost(fqdn) && !isIstioInstallService(fqdn) && !index.registryHost(host, namespaceOf(dr))) {
        report(dr, 'spec.host', `Host "${host}" (${fqdn}) matches no Service or ServiceEntry visible from namespace "${namespaceOf(dr)}", so this rule applies to nothing: fix the host (a short name resolves in the rule's namespace), or define the Service.`);
      }
    }
  },
};
