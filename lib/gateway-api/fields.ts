/**
 * Every property of the Istio objects the Gateway API conversion reads (networking.istio.io/v1
 * VirtualService, Gateway, DestinationRule, ServiceEntry, Sidecar), in one table: handled (converted, or
 * refused by the conversion's own code for the values it cannot say), refused (always a named
 * error with the alternative) or of no effect on the conversion (with the reason). The conversion
 * checks each object against it (convert.ts), so a property missing from the table is a named
 * error too, never dropped silently; test/schema-walk.test.ts walks the pinned CRDs' schemas and
 * fails when a property is in none of the lists. Paths as in lib/model/field-paths.ts.
 */
import { FieldTable, FieldTreatment } from '../model/field-paths';

const H: FieldTreatment = { handled: true };
const KEEP_ISTIO = 'keep the Istio form for this object.';

/** The Gateway API conversion's table (lib/gateway-api/convert.ts reads the handled paths). */
export const GATEWAY_API_FIELDS: FieldTable = {
  VirtualService: {
    'hosts[]': H, 'gateways[]': H, 'exportTo[]': H,
    'http[].name': H,
    'http[].match[].uri.exact': H, 'http[].match[].uri.prefix': H, 'http[].match[].uri.regex': H,
    'http[].match[].headers{}.exact': H, 'http[].match[].headers{}.prefix': H, 'http[].match[].headers{}.regex': H,
    'http[].match[].queryParams{}.exact': H, 'http[].match[].queryParams{}.prefix': H, 'http[].match[].queryParams{}.regex': H,
    'http[].match[].method.exact': H, 'http[].match[].method.prefix': H, 'http[].match[].method.regex': H,
    'http[].match[].withoutHeaders{}.**': H, 'http[].match[].ignoreUriCase': H, 'http[].match[].port': H,
    'http[].match[].authority.**': H, 'http[].match[].scheme.**': H, 'http[].match[].sourceLabels{}': H,
    'http[].match[].sourceNamespace': H, 'http[].match[].gateways[]': H,
    'http[].match[].name': { noEffect: 'a match\'s name only prefixes the Envoy route\'s name in Istio\'s own form; routes are matched by the route name.' },
    'http[].match[].statPrefix': { noEffect: 'a stat prefix changes the names of statistics, not where requests go.' },
    'http[].route[].destination.host': H, 'http[].route[].destination.subset': H, 'http[].route[].destination.port.number': H,
    'http[].route[].weight': H, 'http[].route[].headers.**': H,
    'http[].redirect.uri': H, 'http[].redirect.authority': H, 'http[].redirect.port': H, 'http[].redirect.derivePort': H,
    'http[].redirect.scheme': H, 'http[].redirect.redirectCode': H,
    'http[].rewrite.uri': H, 'http[].rewrite.authority': H, 'http[].rewrite.uriRegexRewrite.match': H, 'http[].rewrite.uriRegexRewrite.rewrite': H,
    'http[].timeout': H, 'http[].retries.**': H, 'http[].fault.**': H,
    'http[].mirror.host': H, 'http[].mirror.subset': H, 'http[].mirror.port.number': H, 'http[].mirrorPercentage.value': H,
    'http[].mirrors[].destination.host': H, 'http[].mirrors[].destination.subset': H, 'http[].mirrors[].destination.port.number': H,
    'http[].mirrors[].percentage.value': H,
    'http[].mirror_percent': { refused: 'mirror_percent is deprecated: give mirrorPercentage instead.' },
    'http[].mirrorPercent': { refused: 'mirrorPercent is deprecated: give mirrorPercentage instead.' },
    'http[].corsPolicy.allowOrigins[].exact': H, 'http[].corsPolicy.allowOrigins[].prefix': H, 'http[].corsPolicy.allowOrigins[].regex': H,
    'http[].corsPolicy.allowMethods[]': H, 'http[].corsPolicy.allowHeaders[]': H, 'http[].corsPolicy.exposeHeaders[]': H,
    'http[].corsPolicy.maxAge': H, 'http[].corsPolicy.allowCredentials': H, 'http[].corsPolicy.unmatchedPreflights': H,
    'http[].corsPolicy.allowOrigin[]': { refused: 'allowOrigin is deprecated: give allowOrigins with exact origins instead.' },
    'http[].directResponse.**': H, 'http[].delegate.**': H,
    'http[].headers.**': H,
    'tcp[].**': H, 'tls[].**': H,
  },
  Gateway: {
    'selector{}': H,
    'servers[].port.number': H, 'servers[].port.name': H, 'servers[].port.protocol': H,
    'servers[].port.targetPort': { refused: 'targetPort is deprecated and has no listener form: remove it, or keep the Istio form.' },
    'servers[].hosts[]': H,
    'servers[].name': { noEffect: 'a server\'s name prefixes its statistics; listeners get names of their own.' },
    'servers[].bind': { refused: 'a listener has no bind address: remove bind, or keep the Istio form.' },
    'servers[].defaultEndpoint': { refused: 'Istio deploys the gateway in the Gateway API form; there is no default endpoint: remove it, or keep the Istio form.' },
    'servers[].tls.httpsRedirect': H, 'servers[].tls.mode': H, 'servers[].tls.credentialName': H,
    'servers[].tls.minProtocolVersion': H, 'servers[].tls.cipherSuites[]': H,
    'servers[].tls.credentialNames[]': { refused: 'a listener takes certificate Secrets by reference one at a time here: give credentialName, or keep the Istio form.' },
    'servers[].tls.maxProtocolVersion': { refused: `the Gateway API has no standard field for the maximum TLS version: remove it, or ${KEEP_ISTIO}` },
    'servers[].tls.subjectAltNames[]': { refused: `client certificate checks have no standard listener form: ${KEEP_ISTIO}` },
    'servers[].tls.verifyCertificateSpki[]': { refused: `client certificate checks have no standard listener form: ${KEEP_ISTIO}` },
    'servers[].tls.verifyCertificateHash[]': { refused: `client certificate checks have no standard listener form: ${KEEP_ISTIO}` },
    'servers[].tls.caCertificates': { refused: `file-mounted certificates have no listener form: use credentialName, or ${KEEP_ISTIO}` },
    'servers[].tls.caCertCredentialName': { refused: `client certificate checks have no standard listener form: ${KEEP_ISTIO}` },
    'servers[].tls.caCrl': { refused: `client certificate checks have no standard listener form: ${KEEP_ISTIO}` },
    'servers[].tls.serverCertificate': { refused: `file-mounted certificates have no listener form: use credentialName, or ${KEEP_ISTIO}` },
    'servers[].tls.privateKey': { refused: `file-mounted certificates have no listener form: use credentialName, or ${KEEP_ISTIO}` },
    'servers[].tls.tlsCertificates[].**': { refused: `file-mounted certificates have no listener form: use credentialName, or ${KEEP_ISTIO}` },
  },
  DestinationRule: {
    // Subsets become version Services; the policies, exportTo and workloadSelector are copied to their rules.
    'host': H, 'subsets[].name': H, 'subsets[].labels{}': H,
    'trafficPolicy.**': H, 'subsets[].trafficPolicy.**': H, 'exportTo[]': H, 'workloadSelector.matchLabels{}': H,
  },
  ServiceEntry: {
    '**': { noEffect: 'ServiceEntries are copied unchanged and istiod reads them the same in both forms; a route to a ServiceEntry host is refused where it is converted (backendRefs name Services).' },
  },
  Sidecar: {
    '**': { noEffect: 'Sidecars are copied unchanged: istiod reads them the same in both forms (they scope sidecars, and the gateways Istio deploys for Gateway API Gateways ignore them, as Istio-form gateways do).' },
  },
};
