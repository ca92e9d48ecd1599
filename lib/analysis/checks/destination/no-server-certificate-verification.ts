import { Check } from '../../check';
import { ClientTls, DestinationRuleSpec, list, specOf, TrafficPolicy } from '../../../model/objects';

/**
 * Client TLS (SIMPLE or MUTUAL) whose server certificate check is not what it seems, read at the
 * rule, port, subset and subset-port levels, as Istio 1.30 builds the upstream TLS context
 * (pilot/pkg/networking/core/cluster_tls.go):
 * - `insecureSkipVerify: true`: no verification at all (a warning);
 * - `credentialName` naming a Secret in a rule without a `workloadSelector`: sidecars build no TLS
 *   for it at all (istiod reads such Secrets for gateways only), so they send plain text (a warning);
 * - neither `caCertificates` nor `credentialName`: the proxy verifies the certificate against the
 *   system CA bundle of its image (`caCertificates` defaults to "system" since Istio 1.21 turned
 *   VERIFY_CERTIFICATE_AT_CLIENT on, and the flag is gone), with auto SNI and SAN validation for
 *   HTTP; istioctl's IST0128 still says "no verification" there. An info: a certificate from a
 *   private CA fails the handshake until `caCertificates` names that CA.
 */
export const noServerCertificateVerification: Check = {
  name: 'NoServerCertificateVerification',
  code: 'EDGE3003',
  istioCode: 'IST0128',
  severity: 'warning',
  kinds: ['DestinationRule'],
  description: 'A DestinationRule with client TLS (SIMPLE or MUTUAL) whose server certificate is not verified (insecureSkipVerify, or a credentialName sidecars ignore), or is verified against the system CA bundle only.',
  details: 'Istio 1.30 verifies the server\'s certificate of SIMPLE and MUTUAL TLS against the system CA bundle of the proxy image when caCertificates is not set (an info: a server with a private CA\'s certificate then fails the handshake; set caCertificates to that CA). '
    + 'istioctl analyze still reports this case as IST0128 (IST0129 for a port) with older wording ("no verification"). '
    + 'A warning: insecureSkipVerify (nothing is verified), or credentialName (a Secret) in a rule without a workloadSelector, which sidecars ignore, sending plain text; '
    + 'add a workloadSelector, or use caCertificates and certificate files.',
  run(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const spec = specOf<DestinationRuleSpec>(dr);
      const hasSelector = !!spec.workloadSelector;
      const check = (tls: ClientTls | undefined, field: string, where: string) => {
        if (tls?.mode !== 'SIMPLE' && tls?.mode !== 'MUTUAL') return;
        const towards = `TLS mode ${tls.mode} towards ${spec.host}${where}`;
        if (tls.insecureSkipVerify === true) {
          report(dr, `${field}.insecureSkipVerify`, `${towards} with insecureSkipVerify: the server's certificate is not verified at all (any server, any name). Remove insecureSkipVerify; for a server whose certificate a private CA signed, set caCertificates to that CA.`);
          return;
        }
        if (tls.credentialName && !tls.credentialName.startsWith('configmap://') && !hasSelector) {
          report(dr, `${field}.credentialName`, `${towards} with credentialName "${tls.credentialName}" in a DestinationRule without a workloadSelector: istiod gives sidecars no TLS settings for it (it reads the Secret for gateways only), so sidecars send plain text. Add a workloadSelector for the proxies that should read the Secret, or use caCertificates (and clientCertificate/privateKey files).`);
          return;
        }
        if (tls.caCertificates || tls.credentialName) return;
        report(dr, field, `${towards} without caCertificates: the proxy verifies the server's certificate against the system CA bundle of its image (Istio 1.21 and later; istioctl's IST0128 still says it is not verified)${tls.sni || tls.subjectAltNames?.length ? '' : ', and for HTTP its name against the host it sends as SNI'}. A server whose certificate a private CA signed fails the handshake: set caCertificates to that CA.`, 'info');
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
