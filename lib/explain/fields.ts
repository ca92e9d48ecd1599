/**
 * What explain and the picture read of the Istio objects (networking.istio.io/v1 VirtualService,
 * Gateway, DestinationRule, ServiceEntry, Sidecar), one table each (paths and treatments as in
 * lib/gateway-api/fields.ts). Explain reports every refused property it meets on the server, the
 * route or the DestinationRule it uses as an unknown naming the property, so its answer never
 * rests silently on something it did not read; test/schema-walk.test.ts walks the pinned CRDs'
 * schemas against both tables.
 */
import { FieldTable, FieldTreatment } from '../model/field-paths';

const H: FieldTreatment = { handled: true };
const STATS: FieldTreatment = { noEffect: 'names and stat prefixes change the names of statistics, not where a request goes.' };
const HTTP_ONLY = 'explain answers HTTP requests; TCP and TLS routes apply to connections on TCP and TLS ports.';
const CERTS = 'certificates decide whether the TLS handshake succeeds, not where a request goes once it does.';
const ENDPOINTS = 'endpoints, addresses and resolution decide which address Envoy connects to, not the route, destination or policies explain reports.';

/** Explain's table. */
export const EXPLAIN_FIELDS: FieldTable = {
  VirtualService: {
    'hosts[]': H, 'gateways[]': H, 'exportTo[]': H,
    'http[].name': H,
    'http[].match[].uri.**': H, 'http[].match[].scheme.**': H, 'http[].match[].method.**': H, 'http[].match[].authority.**': H,
    'http[].match[].headers{}.**': H, 'http[].match[].withoutHeaders{}.**': H, 'http[].match[].queryParams{}.**': H,
    'http[].match[].ignoreUriCase': H, 'http[].match[].port': H, 'http[].match[].gateways[]': H,
    'http[].match[].sourceLabels{}': H, 'http[].match[].sourceNamespace': H,
    'http[].match[].name': STATS, 'http[].match[].statPrefix': STATS,
    'http[].route[].destination.host': H, 'http[].route[].destination.subset': H, 'http[].route[].destination.port.number': H, 'http[].route[].weight': H,
    'http[].route[].headers.**': { refused: 'header changes per destination are not reported by explain: read the route\'s headers in the manifest.' },
    'http[].redirect.**': H, 'http[].rewrite.**': H, 'http[].timeout': H,
    // Reported as they are (retries, fault, mirror, CORS, header changes), not evaluated further.
    'http[].retries.**': H, 'http[].fault.**': H, 'http[].mirror.**': H, 'http[].mirrors[].**': H, 'http[].mirrorPercentage.value': H,
    'http[].corsPolicy.**': H, 'http[].headers.**': H,
    'http[].mirror_percent': { refused: 'deprecated; explain reports mirrorPercentage only: give mirrorPercentage.' },
    'http[].mirrorPercent': { refused: 'deprecated; explain reports mirrorPercentage only: give mirrorPercentage.' },
    'http[].directResponse.status': H,
    'http[].directResponse.body.**': { noEffect: 'the body of a direct response does not change the decision or the status.' },
    'http[].delegate.**': H,
    'tcp[].**': { noEffect: HTTP_ONLY }, 'tls[].**': { noEffect: HTTP_ONLY },
  },
  Gateway: {
    'selector{}': H,
    'servers[].port.number': H, 'servers[].port.name': H, 'servers[].port.protocol': H,
    'servers[].port.targetPort': { noEffect: 'the container port behind the server\'s port; requests are explained by the port they reach.' },
    'servers[].hosts[]': H, 'servers[].tls.httpsRedirect': H, 'servers[].tls.mode': H,
    'servers[].name': STATS,
    'servers[].bind': { refused: 'explain does not model the address a server binds to: remove bind, or read the server in the manifest.' },
    'servers[].defaultEndpoint': { refused: 'explain does not model a server\'s default endpoint: read the server in the manifest.' },
    'servers[].tls.credentialName': { noEffect: CERTS }, 'servers[].tls.credentialNames[]': { noEffect: CERTS },
    'servers[].tls.serverCertificate': { noEffect: CERTS }, 'servers[].tls.privateKey': { noEffect: CERTS },
    'servers[].tls.caCertificates': { noEffect: CERTS }, 'servers[].tls.caCertCredentialName': { noEffect: CERTS }, 'servers[].tls.caCrl': { noEffect: CERTS },
    'servers[].tls.tlsCertificates[].**': { noEffect: CERTS },
    'servers[].tls.subjectAltNames[]': { noEffect: CERTS }, 'servers[].tls.verifyCertificateSpki[]': { noEffect: CERTS }, 'servers[].tls.verifyCertificateHash[]': { noEffect: CERTS },
    'servers[].tls.minProtocolVersion': { noEffect: CERTS }, 'servers[].tls.maxProtocolVersion': { noEffect: CERTS }, 'servers[].tls.cipherSuites[]': { noEffect: CERTS },
  },
  DestinationRule: {
    'host': H, 'exportTo[]': H, 'subsets[].name': H, 'subsets[].labels{}': H,
    // Reported as the policy that applies (subset and port-level settings merged).
    'trafficPolicy.**': H, 'subsets[].trafficPolicy.**': H,
    'workloadSelector.matchLabels{}': { refused: 'explain applies a DestinationRule to every client in its scope: a rule for some workloads only is not modelled.' },
  },
  ServiceEntry: {
    'hosts[]': H, 'ports[].number': H,
    'ports[].name': STATS, 'ports[].protocol': { noEffect: 'explain answers HTTP requests on the port they reach.' },
    'ports[].targetPort': { noEffect: ENDPOINTS },
    'exportTo[]': { noEffect: 'explain takes a ServiceEntry host as known wherever it is asked about.' },
    'location': { noEffect: ENDPOINTS }, 'resolution': { noEffect: ENDPOINTS }, 'addresses[]': { noEffect: ENDPOINTS },
    'endpoints[].**': { noEffect: ENDPOINTS }, 'workloadSelector.labels{}': { noEffect: ENDPOINTS },
    'subjectAltNames[]': { noEffect: CERTS },
  },
  Sidecar: {
    // The caller's Sidecar (explain --from-namespace): what its proxy imports, and what happens to the rest.
    'workloadSelector.labels{}': H, 'egress[].hosts[]': H, 'egress[].port.number': H, 'outboundTrafficPolicy.mode': H,
    'egress[].port.name': STATS,
    'egress[].port.protocol': { noEffect: 'explain reads the protocol the destination\'s Service or ServiceEntry declares for the port.' },
    'egress[].port.targetPort': { noEffect: 'Istio ignores targetPort on Sidecars.' },
    'egress[].bind': { noEffect: 'explain takes the call as reaching the listener (captured, or sent to its bind address).' },
    'egress[].captureMode': { noEffect: 'explain takes the call as reaching the listener (captured, or sent to its bind address).' },
    'ingress[].**': { noEffect: 'ingress listeners shape the inbound side of the caller\'s proxy; explain reads the caller\'s Sidecar for its outbound call.' },
    'inboundConnectionPool.**': { noEffect: 'connection limits of the inbound side decide overload, not where a request goes.' },
    'outboundTrafficPolicy.egressProxy.**': { refused: 'explain does not follow calls to hosts the Sidecar does not import through an egress proxy.' },
  },
};

const NOT_DRAWN = 'the picture draws where requests go (servers, routes, destinations, weights) and the policies as marks; this does not change any of them.';

/** The picture's table (lib/explain/graph.ts). */
export const GRAPH_FIELDS: FieldTable = {
  VirtualService: {
    'hosts[]': H, 'gateways[]': H, 'exportTo[]': { noEffect: NOT_DRAWN },
    'http[].name': H,
    // Each match is drawn as explain describes it (describeMatch).
    'http[].match[].uri.**': H, 'http[].match[].scheme.**': H, 'http[].match[].method.**': H, 'http[].match[].authority.**': H,
    'http[].match[].headers{}.**': H, 'http[].match[].withoutHeaders{}.**': H, 'http[].match[].queryParams{}.**': H,
    'http[].match[].ignoreUriCase': H, 'http[].match[].port': H, 'http[].match[].gateways[]': H,
    'http[].match[].sourceLabels{}': H, 'http[].match[].sourceNamespace': H,
    'http[].match[].name': STATS, 'http[].match[].statPrefix': STATS,
    'http[].route[].destination.host': H, 'http[].route[].destination.subset': H, 'http[].route[].destination.port.number': H, 'http[].route[].weight': H,
    'http[].route[].headers.**': { noEffect: NOT_DRAWN }, 'http[].headers.**': { noEffect: NOT_DRAWN },
    'http[].redirect.**': H, 'http[].rewrite.**': H, 'http[].timeout': H, 'http[].retries.**': H, 'http[].fault.**': H,
    'http[].mirror.**': H, 'http[].mirrors[].**': H, 'http[].mirrorPercentage.value': { noEffect: NOT_DRAWN },
    'http[].mirror_percent': { noEffect: NOT_DRAWN }, 'http[].mirrorPercent': { noEffect: NOT_DRAWN },
    'http[].corsPolicy.**': H, 'http[].directResponse.**': H, 'http[].delegate.**': { noEffect: NOT_DRAWN },
    'tcp[].**': { noEffect: 'the picture draws HTTP routes.' }, 'tls[].**': { noEffect: 'the picture draws HTTP routes.' },
  },
  Gateway: {
    'selector{}': H, 'servers[].port.number': H, 'servers[].port.name': H, 'servers[].port.protocol': H, 'servers[].hosts[]': H,
    'servers[].tls.httpsRedirect': H, 'servers[].tls.mode': H, 'servers[].tls.credentialName': H,
    'servers[].port.targetPort': { noEffect: NOT_DRAWN }, 'servers[].name': STATS, 'servers[].bind': { noEffect: NOT_DRAWN },
    'servers[].defaultEndpoint': { noEffect: NOT_DRAWN }, 'servers[].tls.**': { noEffect: NOT_DRAWN },
  },
  DestinationRule: {
    'host': H, 'subsets[].name': H, 'subsets[].labels{}': H,
    'trafficPolicy.loadBalancer.simple': H, 'trafficPolicy.outlierDetection.consecutive5xxErrors': H, 'trafficPolicy.tls.mode': H,
    'trafficPolicy.**': { noEffect: NOT_DRAWN }, 'subsets[].trafficPolicy.**': { noEffect: NOT_DRAWN },
    'exportTo[]': { noEffect: NOT_DRAWN }, 'workloadSelector.matchLabels{}': { noEffect: NOT_DRAWN },
  },
  ServiceEntry: {
    '**': { noEffect: 'the picture draws the Services of the manifests; external hosts appear as the destinations that name them.' },
  },
  Sidecar: {
    '**': { noEffect: 'the picture draws gateway and mesh routes; which hosts a caller\'s Sidecar imports is not drawn (explain --from-namespace applies it).' },
  },
};
