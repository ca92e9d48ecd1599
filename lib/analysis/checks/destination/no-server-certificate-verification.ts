import { Check } from '../../check';
import { ClientTls, DestinationRuleSpec, list, specOf, TrafficPolicy } from '../../../model/objects';

/**
 * Client TLS (SIMPLE or MUTUAL) towards a host with nothing to verify its certificate against:
 * no `caCertificates`, and no `credentialName` (which carries the CA only for a gateway, that is
 * with a `workloadSelector`). Read at the rule, port, subset and subset-port levels.
 */
export const noServerCertificateVerification: Check = {
  name: 'NoServerCertificateVerification',
  code: 'EDGE3003',
  istioCode: 'IST0128',
  severity: 'warning',
  kinds: ['DestinationRule'],
  description: 'A DestinationRule with client TLS (SIMPLE or MUTUAL) and no CA to verify the server.',
  details: 'Without caCertificates the server\'s certificate is not checked against a CA you chose (istioctl: IST0128 for the rule, IST0129 for a port). Set caCertificates, or credentialName with a workloadSelector for a gateway.',
  run(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const spec = specOf<DestinationRuleSpec>(dr);
      const gatewayCredential = !!spec.workloadSelector;
      const check = (tls: ClientTls | undefined, field: string, where: string) => {
        if (tls?.mode !== 'SIMPLE' && tls?.mode !== 'MUTUAL') return;
        if (tls.caCertificates || (tls.credentialName && gatewayCredential)) return;
        report(dr, field, `TLS mode ${tls.mode} towards ${spec.host}${where} without caCertificates${tls.credentialName ? ' (credentialName carries a CA only with a workloadSelector)' : ''}: the server's certificate is not verified against a CA you chose; set caCertificates.`);
      };
      const policy = (p: TrafficPolicy | undefined, field: string, where: string) => {
        check(p?.tls, `${field}.tls`, where);
        list(p?.portLevelSettings).forEach((s, i) => check(s?.tls, `${field}.portLevelSettings[${i}].tls`, `${where} at port ${s?.port?.number}`));
      };
      policy(spec.trafficPolicy, 'spec.trafficPolicy', '');
      list(spec.subsets).forEach((s, i) => policy(s?.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, ` (subset ${s?.name})`));
    }
  },
};
