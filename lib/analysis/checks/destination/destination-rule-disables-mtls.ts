import { Check } from '../../check';
import { ClientTls, DestinationRuleSpec, list, specOf } from '../../../model/objects';
import { namespaceOf } from '../../../model/object-index';
import { destinationRuleFqdn } from '../../../model/istio';
import { strictMtls } from '../security/mtls';
import { clusterHostNamespace } from '../../../contract/hosts';

/** A DestinationRule disabling TLS towards a namespace that accepts only mutual TLS. */
export const destinationRuleDisablesMtls: Check = {
  name: 'DestinationRuleDisablesMtls',
  code: 'EDGE3004',
  istioCode: 'IST0113',
  severity: 'error',
  kinds: ['DestinationRule', 'Service', 'PeerAuthentication'],
  description: 'A DestinationRule disabling TLS to workloads that accept only mutual TLS.',
  details: 'With a STRICT PeerAuthentication on the destination\'s namespace, plain-text requests are refused. Use ISTIO_MUTUAL, or leave tls out (auto mTLS).',
  run(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const fqdn = destinationRuleFqdn(dr);
      const svc = fqdn ? index.services.get(fqdn) : undefined;
      const target = svc ? namespaceOf(svc) : fqdn ? clusterHostNamespace(fqdn) : undefined;
      if (!target || !strictMtls(index, target)) continue;
      const spec = specOf<DestinationRuleSpec>(dr);
      const check = (tls: ClientTls | undefined, field: string) => {
        if (tls?.mode === 'DISABLE') report(dr, field, `TLS is disabled towards ${spec.host}, whose namespace "${target}" accepts only mutual TLS: its requests fail. Use ISTIO_MUTUAL (or leave tls out).`);
      };
      check(spec.trafficPolicy?.tls, 'spec.trafficPolicy.tls.mode');
      list(spec.subsets).forEach((s, i) => check(s?.trafficPolicy?.tls, `spec.subsets[${i}].trafficPolicy.tls.mode`));
    }
  },
};
