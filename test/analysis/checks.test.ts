// Each check of the analysis, per behaviour: a change of the hand-written edge that makes the
// check report (with a fragment of its message), and a near miss that it must not report.
import { describe, expect, it } from 'vitest';
import { analyze, CHECKS, KubernetesObject, SUPPRESS_ANNOTATION_PREFIX } from '../../lib';
import { edge, find, remove, TLS_DATA } from './edge-fixture';

const checks = (objs: KubernetesObject[], production = false) => analyze(objs, { production }).map((f) => f.check);

const gateway = (name: string, servers: any[], selector: Record<string, string> = { istio: 'ingressgateway' }, ns = 'istio-ingress') => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: ns }, spec: { selector, servers },
});
const http = (hosts: string[], port = 80) => ({ port: { number: port, name: `http-${port}`, protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } });
const https = (hosts: string[], credentialName: string) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName } });
const vs = (o: any[]) => find(o, 'VirtualService', 'shop');
const dr = (o: any[]) => find(o, 'DestinationRule', 'api');
const ef = (o: any[]) => find(o, 'EnvoyFilter', 'rl');
const gwDeployment = (o: any[]) => find(o, 'Deployment', 'gw');
const meshVs = (http: any[]) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api-mesh', namespace: 'shop' }, spec: { hosts: ['api'], http } });
const policy = (kind: string, name: string, ns: string, matchLabels: Record<string, string>, spec: object = {}) => ({
  apiVersion: 'security.istio.io/v1', kind, metadata: { name, namespace: ns }, spec: { selector: { matchLabels }, ...spec },
});

const sidecar = (name: string, ns: string, labels?: Record<string, string>) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name, namespace: ns },
  spec: { ...(labels ? { workloadSelector: { labels } } : {}), egress: [{ hosts: ['./*', 'istio-system/*'] }] },
});

interface Case {
  /** The check. */
  readonly check: string;
  /** The behaviour, in words. */
  readonly behaviour: string;
  /** Breaks the edge so that the check reports. */
  readonly fail: (o: any[]) => void;
  /** A fragment of the message. */
  readonly message: RegExp;
  /** A near miss the check must not report. */
  readonly pass: (o: any[]) => void;
  /** Production rules. */
  readonly production?: boolean;
  /** The number of findings of the check expected on `fail`. */
  readonly count?: number;
  /** The time certificates are checked at (the fixture's certificate is valid from 2026-11-26 to 2126-11-02). */
  readonly now?: Date;
  /** The time of the near miss (default: `now`). */
  readonly passNow?: Date;
}

const CASES: Case[] = [
  { check: 'DuplicateObject', behaviour: 'same kind, namespace and name',
    fail: (o) => o.push(structuredClone(find(o, 'ConfigMap', 'x') ?? find(o, 'Service', 'api'))), message: /already in the set/,
    pass: (o) => { const s = structuredClone(find(o, 'Service', 'api')); s.metadata.name = 'api-2'; o.push(s); } },
  { check: 'DuplicateObject', behaviour: 'an Istio Gateway and a Gateway API Gateway of the same name are two objects',
    fail: (o) => o.push(structuredClone(find(o, 'Gateway', 'edge'))), message: /Another Gateway named "edge"/,
    pass: (o) => o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'istio-ingress' }, spec: { gatewayClassName: 'istio', listeners: [] } }) },

  { check: 'ConflictingGateways', behaviour: 'both gateways of a conflicting pair are reported', count: 2,
    fail: (o) => o.push(gateway('edge2', [http(['shop.example.com'])])), message: /Port 80 hosts shop.example.com .* conflict with Gateway istio-ingress\/edge2?\b/,
    pass: (o) => o.push(gateway('edge2', [http(['admin.example.com'])])) },
  { check: 'ConflictingGateways', behaviour: 'different selectors that pick a common pod conflict',
    fail: (o) => o.push(gateway('edge2', [http(['shop.example.com'])], { app: 'gw' })), message: /conflict with Gateway istio-ingress\/edge\b/,
    pass: (o) => o.push(gateway('edge2', [http(['shop.example.com'], 8080)], { app: 'gw' })) },
  { check: 'ConflictingGateways', behaviour: 'a wildcard host overlaps an exact one',
    fail: (o) => o.push(gateway('edge2', [http(['*.example.com'])])), message: /hosts \*\.example\.com .* conflict with Gateway istio-ingress\/edge/,
    pass: (o) => o.push(gateway('edge2', [http(['*.example.org'])])) },

  { check: 'GatewaySelectorMatchesNoWorkload', behaviour: 'a selector no pod template has',
    fail: (o) => { find(o, 'Gateway', 'edge').spec.selector = { istio: 'ingresgateway' }; }, message: /Selector \{istio=ingresgateway\} matches no pod template/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.selector = { istio: 'aks-istio-ingressgateway-external' }; } },

  { check: 'GatewayPortNotDefinedOnService', behaviour: 'a server port that is no port of the fronting Service',
    fail: (o) => { find(o, 'Service', 'gw').spec.ports.pop(); }, message: /Port 443 is not a port of Service istio-ingress\/gw/,
    pass: (o) => { find(o, 'Service', 'gw').spec.ports[1].targetPort = 8443; } },

  { check: 'GatewayCredentialNotFound', behaviour: 'the Secret is looked up in the gateway workload\'s namespace, not the Gateway\'s',
    fail: (o) => { find(o, 'Gateway', 'edge').metadata.namespace = 'edge-config'; find(o, 'Secret', 'shop-tls').metadata.namespace = 'edge-config'; vs(o).spec.gateways = ['edge-config/edge']; },
    message: /Secret "shop-tls" is not in the set in namespace "istio-ingress"/,
    pass: (o) => { find(o, 'Gateway', 'edge').metadata.namespace = 'edge-config'; vs(o).spec.gateways = ['edge-config/edge']; } },

  { check: 'InvalidGatewayCredential', behaviour: 'a TLS Secret without a key',
    fail: (o) => { delete find(o, 'Secret', 'shop-tls').data['tls.key']; }, message: /cannot serve as a TLS credential: it has neither tls.crt and tls.key nor cert and key/,
    pass: (o) => { const s = find(o, 'Secret', 'shop-tls'); s.type = 'Opaque'; s.data = { cert: TLS_DATA['tls.crt'], key: TLS_DATA['tls.key'] }; } },
  { check: 'InvalidGatewayCredential', behaviour: 'a certificate that is not PEM',
    fail: (o) => { find(o, 'Secret', 'shop-tls').data['tls.crt'] = Buffer.from('not a certificate').toString('base64'); }, message: /tls.crt is not a PEM certificate/,
    pass: (o) => { const s = find(o, 'Secret', 'shop-tls'); s.stringData = { 'tls.crt': Buffer.from(s.data['tls.crt'], 'base64').toString(), 'tls.key': 'k' }; delete s.data; } },

  { check: 'GatewayDuplicateCertificate', behaviour: 'two Gateways on one workload with the same credential',
    fail: (o) => o.push(gateway('admin', [https(['admin.example.com'], 'shop-tls')])), message: /use the same certificate on the same workload/, count: 2,
    pass: (o) => { o.push(gateway('admin', [https(['admin.example.com'], 'admin-tls')])); o.push({ ...structuredClone(find(o, 'Secret', 'shop-tls')), metadata: { name: 'admin-tls', namespace: 'istio-ingress' } }); } },

  { check: 'GatewayHttpsWithoutCredential', behaviour: 'an HTTPS server that terminates TLS without a credential',
    fail: (o) => { delete find(o, 'Gateway', 'edge').spec.servers[1].tls.credentialName; }, message: /HTTPS server "https" has no credential/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.servers[1].tls = { mode: 'PASSTHROUGH' }; } },
  { check: 'GatewayTlsBelow12', behaviour: 'TLS 1.1 accepted',
    fail: (o) => { find(o, 'Gateway', 'edge').spec.servers[1].tls.minProtocolVersion = 'TLSV1_1'; }, message: /TLSV1_1 accepts deprecated TLS versions/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.servers[1].tls.minProtocolVersion = 'TLSV1_3'; } },
  { check: 'GatewayHttpWithoutRedirect', behaviour: 'clear-text HTTP in production', production: true,
    fail: (o) => { delete find(o, 'Gateway', 'edge').spec.servers[0].tls; }, message: /HTTP server "http" serves production traffic in clear text/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.servers.shift(); } },
  { check: 'GatewayHostWithoutAuthorization', behaviour: 'a public host without an AuthorizationPolicy, in production', production: true,
    fail: (o) => remove(o, 'AuthorizationPolicy', 'block-admin'), message: /Public host "shop.example.com" has no AuthorizationPolicy on the gateway/,
    pass: (o) => { remove(o, 'AuthorizationPolicy', 'block-admin'); find(o, 'Service', 'gw').metadata.annotations = { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }; } },
  { check: 'GatewayWorkloadSingleReplica', behaviour: 'one pod at the minimum',
    fail: (o) => { find(o, 'HorizontalPodAutoscaler', 'gw').spec.minReplicas = 1; find(o, 'PodDisruptionBudget', 'gw').spec = { maxUnavailable: 1, selector: { matchLabels: { app: 'gw' } } }; }, message: /runs at least 1 pod/,
    pass: (o) => { find(o, 'HorizontalPodAutoscaler', 'gw').spec.minReplicas = 3; } },
  { check: 'GatewayWorkloadWithoutZoneSpread', behaviour: 'no spread over zones',
    fail: (o) => { delete gwDeployment(o).spec.template.spec.topologySpreadConstraints; }, message: /not spread over topology.kubernetes.io\/zone/,
    pass: (o) => { const s = gwDeployment(o).spec.template.spec; delete s.topologySpreadConstraints; s.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'gw' } } } }] } }; } },

  { check: 'ReferencedResourceNotFound', behaviour: 'a Gateway not defined (mesh is not a Gateway)',
    fail: (o) => { vs(o).spec.gateways = ['edge']; }, message: /Gateway "shop\/edge" \(from "edge"\) is not defined/,
    pass: (o) => { vs(o).spec.gateways = ['mesh', 'istio-ingress/edge']; } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a destination host no Service or ServiceEntry declares',
    fail: (o) => { vs(o).spec.http[0].route[0].destination.host = 'apii'; }, message: /Host "apii" \(apii.shop.svc.cluster.local\) matches no Service/,
    pass: (o) => { vs(o).spec.http[1].route[0].destination = { host: 'legacy.old.svc.cluster.local' }; o.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'legacy', namespace: 'shop' }, spec: { hosts: ['legacy.old.svc.cluster.local'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } }); } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a Service exported to another namespace only',
    fail: (o) => { find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': 'payments' }; }, message: /Host "api" .* is not exported to namespace "shop"/,
    pass: (o) => { find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': '.' }; } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a ServiceEntry exported nowhere',
    fail: (o) => { vs(o).spec.http[1].route[0].destination = { host: 'pay.internal.svc.cluster.local' }; o.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'pay', namespace: 'shop' }, spec: { hosts: ['pay.internal.svc.cluster.local'], exportTo: ['~'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } }); },
    message: /not exported to namespace "shop"/,
    pass: (o) => { vs(o).spec.http[1].route[0].destination = { host: 'pay.internal.svc.cluster.local' }; o.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'pay', namespace: 'shop' }, spec: { hosts: ['*.internal.svc.cluster.local'], exportTo: ['.'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } }); } },
  // istioctl 1.30.3 testdata/virtualservice_destinationhosts.yaml style: an external host whose ServiceEntry is exported elsewhere.
  { check: 'ReferencedResourceNotFound', behaviour: 'an external host whose ServiceEntry exists but is not exported to the VirtualService\'s namespace',
    fail: (o) => { vs(o).spec.http[1].route[0].destination = { host: 'api.stripe.com' }; o.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'stripe', namespace: 'payments' }, spec: { hosts: ['api.stripe.com'], exportTo: ['.'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } }); },
    message: /Host "api.stripe.com" \(api.stripe.com\) is not exported to namespace "shop" \(ServiceEntry payments\/stripe limits exportTo\)/,
    pass: (o) => { vs(o).spec.http[1].route[0].destination = { host: 'api.stripe.com' }; o.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'stripe', namespace: 'payments' }, spec: { hosts: ['api.stripe.com'], exportTo: ['.', 'shop'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } }); } },
  // istioctl 1.30.3 testdata/virtualservice_destinationhosts.yaml (reviews-bogusport-exportto style): the VirtualService's own exportTo.
  { check: 'VirtualServiceExportedBeyondDestination', behaviour: 'a VirtualService exported where its destination Service is not',
    fail: (o) => { o.push({ ...meshVs([{ route: [{ destination: { host: 'api' } }] }]), spec: { hosts: ['api'], exportTo: ['.', 'payments'], http: [{ route: [{ destination: { host: 'api' } }] }] } }); find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': '.' }; },
    message: /This VirtualService is exported to "payments", where host "api" \(Service shop\/api\) is not exported/,
    pass: (o) => { o.push({ ...meshVs([{ route: [{ destination: { host: 'api' } }] }]), spec: { hosts: ['api'], exportTo: ['.'], http: [{ route: [{ destination: { host: 'api' } }] }] } }); find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': '.' }; } },
  { check: 'VirtualServiceExportedBeyondDestination', behaviour: 'exported to every namespace, a destination exported to some',
    fail: (o) => { vs(o).spec.exportTo = ['*']; find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': '.,istio-ingress' }; },
    message: /exported to every namespace \("\*"\), where host/,
    pass: (o) => { vs(o).spec.exportTo = ['.', 'istio-ingress']; find(o, 'Service', 'api').metadata.annotations = { 'networking.istio.io/exportTo': '.,istio-ingress' }; } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a subset no DestinationRule defines, even when the host is missing too', count: 2,
    fail: (o) => { Object.assign(vs(o).spec.http[0].route[1].destination, { host: 'apii', subset: 'v3' }); }, message: /Subset "v3" of host "apii" is not defined by any DestinationRule \(known: none\)/,
    pass: (o) => { vs(o).spec.http[0].route[1].destination.subset = 'v1'; } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a destination port the Service does not have',
    fail: (o) => { vs(o).spec.http[0].route[0].destination.port.number = 9090; }, message: /Port 9090 is not a port of "api" \(8080\)/,
    pass: (o) => { delete vs(o).spec.http[0].route[0].destination.port; } },
  { check: 'ReferencedResourceNotFound', behaviour: 'a name.namespace host, which Istio does not expand',
    fail: (o) => { vs(o).spec.http[1].route[0].destination.host = 'api.shop'; }, message: /Host "api.shop" is not expanded by Istio/,
    pass: (o) => { vs(o).spec.http[1].route[0].destination.host = 'api.shop.svc.cluster.local'; } },

  { check: 'VirtualServiceHostNotFoundInGateway', behaviour: 'a Gateway that serves none of the hosts (checked per Gateway)',
    fail: (o) => { vs(o).spec.hosts = ['admin.example.com']; }, message: /Hosts admin.example.com are not served by Gateway istio-ingress\/edge/,
    pass: (o) => { vs(o).spec.hosts.push('admin.example.com'); } },
  { check: 'VirtualServiceHostNotFoundInGateway', behaviour: 'a missing Gateway serves nothing',
    fail: (o) => { vs(o).spec.gateways = ['istio-ingress/gone']; }, message: /not served by Gateway istio-ingress\/gone \(not defined\)/,
    pass: (o) => { vs(o).spec.gateways = ['mesh']; vs(o).spec.hosts = ['api']; } },
  { check: 'VirtualServiceHostNotFoundInGateway', behaviour: './host is for VirtualServices of the Gateway\'s namespace only',
    fail: (o) => { find(o, 'Gateway', 'edge').spec.servers.forEach((s: any) => { s.hosts = ['./shop.example.com']; }); }, message: /it offers no host to namespace "shop"/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.servers.forEach((s: any) => { s.hosts = ['shop/shop.example.com']; }); } },
  { check: 'VirtualServiceHostNotFoundInGateway', behaviour: 'a Gateway API Gateway is not an Istio Gateway',
    fail: (o) => { remove(o, 'Gateway', 'edge'); o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'istio-ingress' }, spec: { gatewayClassName: 'istio', listeners: [] } }); },
    message: /not served by Gateway istio-ingress\/edge \(not defined\)/,
    pass: (o) => o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'istio-ingress' }, spec: { gatewayClassName: 'istio', listeners: [] } }) },

  { check: 'VirtualServiceRouteWeightsNotSum100', behaviour: 'weights summing to 110',
    fail: (o) => { vs(o).spec.http[0].route[1].weight = 20; }, message: /Weights \[90,20\] sum to 110/,
    pass: (o) => { vs(o).spec.http[0].route[0].weight = 50; vs(o).spec.http[0].route[1].weight = 50; } },

  { check: 'VirtualServiceMirrorOnlyHost', behaviour: 'a mesh VirtualService listing the host it only mirrors to',
    fail: (o) => { vs(o).spec.gateways.push('mesh'); vs(o).spec.hosts.push('web'); vs(o).spec.http[0].mirror = { host: 'web.shop.svc.cluster.local' }; },
    message: /Host "web" is only a mirror target of this VirtualService, yet one of its hosts/,
    pass: (o) => { vs(o).spec.http[0].mirror = { host: 'web' }; } },

  { check: 'VirtualServiceUnreachableRule', behaviour: 'a rule after a rule without matches',
    fail: (o) => { vs(o).spec.http.reverse(); }, message: /Rule "api" is never used: rule "web" before it has no match/,
    pass: () => undefined },
  { check: 'VirtualServiceUnreachableRule', behaviour: 'a rule whose every match an earlier rule has',
    fail: (o) => { const h = vs(o).spec.http; h.splice(1, 0, { ...structuredClone(h[0]), name: 'again' }); }, message: /Rule "again" is never used: every one of its matches is used by a rule before it/,
    pass: (o) => { const h = vs(o).spec.http; h.splice(1, 0, { ...structuredClone(h[0]), name: 'again', match: [{ uri: { prefix: '/api' }, headers: { 'x-beta': { exact: '1' } } }] }); } },
  { check: 'VirtualServiceUnreachableRule', behaviour: 'TCP rules: a second rule without matches',
    fail: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db', namespace: 'shop' }, spec: { hosts: ['api'], tcp: [{ route: [{ destination: { host: 'api' } }] }, { route: [{ destination: { host: 'api' } }] }] } }),
    message: /Rule #1 is never used: rule #0 before it has no match/,
    pass: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db', namespace: 'shop' }, spec: { hosts: ['api'], tcp: [{ match: [{ port: 8080 }], route: [{ destination: { host: 'api' } }] }, { route: [{ destination: { host: 'api' } }] }] } }) },
  { check: 'VirtualServiceUnreachableRule', behaviour: 'TLS rules: a duplicate SNI match',
    fail: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'sni', namespace: 'shop' }, spec: { hosts: ['api'], tls: [{ match: [{ sniHosts: ['api'] }], route: [{ destination: { host: 'api' } }] }, { match: [{ sniHosts: ['api'] }], route: [{ destination: { host: 'api' } }] }] } }),
    message: /Rule #1 is never used: every one of its matches/,
    pass: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'sni', namespace: 'shop' }, spec: { hosts: ['api'], tls: [{ match: [{ sniHosts: ['api'], port: 443 }], route: [{ destination: { host: 'api' } }] }, { match: [{ sniHosts: ['api'] }], route: [{ destination: { host: 'api' } }] }] } }) },

  { check: 'VirtualServiceIneffectiveMatch', behaviour: 'a match an earlier rule has (key order does not matter)',
    fail: (o) => { const h = vs(o).spec.http; h.splice(1, 0, { name: 'again', match: [{ uri: { prefix: '/x' } }, { uri: { prefix: '/api' } }], route: h[0].route }); }, message: /Match #1 of rule "again" is never used: rule "api" has the same match/,
    pass: (o) => { const h = vs(o).spec.http; h.splice(1, 0, { name: 'again', match: [{ uri: { prefix: '/x' } }, { uri: { prefix: '/api' }, method: { exact: 'POST' } }], route: h[0].route }); } },
  { check: 'VirtualServiceIneffectiveMatch', behaviour: 'a longer prefix after a shorter one',
    fail: (o) => { const h = vs(o).spec.http; h.splice(1, 0, { name: 'v2', match: [{ uri: { prefix: '/api/v2' } }], route: h[0].route }); }, message: /Match #0 of rule "v2" \(prefix "\/api\/v2"\) is never used: match #0 of rule "api" \(prefix "\/api"\)/,
    pass: (o) => { const h = vs(o).spec.http; h.splice(0, 0, { name: 'v2', match: [{ uri: { prefix: '/api/v2' } }], route: h[0].route }); } },
  { check: 'VirtualServiceIneffectiveMatch', behaviour: 'a path without the leading "/" (a warning)',
    fail: (o) => { vs(o).spec.http[0].match = [{ uri: { prefix: 'api' } }]; }, message: /Path "api" does not start with "\/"/,
    pass: (o) => { vs(o).spec.http[0].match = [{ uri: { exact: '/api' } }]; } },

  { check: 'VirtualServiceDestinationPortSelectorRequired', behaviour: 'no port, to a Service with two',
    fail: (o) => { find(o, 'Service', 'api').spec.ports.push({ name: 'grpc', port: 9090 }); }, message: /"api.shop.svc.cluster.local" has ports 8080, 9090: choose one/,
    pass: (o) => { find(o, 'Service', 'api').spec.ports.push({ name: 'grpc', port: 9090 }); vs(o).spec.http[1].route[0].destination.port = { number: 8080 }; } },

  { check: 'IngressRouteRulesNotAffected', behaviour: 'a gateway route without subset to a host the mesh routes by subsets',
    fail: (o) => { delete vs(o).spec.http[1].route[0].destination.subset; o.push(meshVs([{ route: [{ destination: { host: 'api', subset: 'v1' } }] }])); },
    message: /Requests from the gateway to "api.shop.svc.cluster.local" go to every version: the subset routing of VirtualService shop\/api-mesh/,
    pass: (o) => o.push(meshVs([{ route: [{ destination: { host: 'api', subset: 'v1' } }] }])) },

  { check: 'JwtClaimBasedRoutingWithoutRequestAuthN', behaviour: 'claim routing at a gateway without RequestAuthentication',
    fail: (o) => { vs(o).spec.http[0].match[0].headers = { '@request.auth.claims.group': { exact: 'beta' } }; }, message: /Routes on the JWT claim "@request.auth.claims.group" but no RequestAuthentication applies to the pods of Gateway istio-ingress\/edge/,
    pass: (o) => { vs(o).spec.http[0].match[0].headers = { '@request.auth.claims.group': { exact: 'beta' } }; o.push(policy('RequestAuthentication', 'jwt', 'istio-ingress', { istio: 'ingressgateway' }, { jwtRules: [{ issuer: 'https://login.example.com' }] })); } },

  { check: 'DestinationRuleSubsetNotSelectPods', behaviour: 'subset labels no pod has',
    fail: (o) => { dr(o).spec.subsets[1].labels.version = 'v9'; }, message: /Subset "v2".*selects no pod template/,
    pass: (o) => { dr(o).spec.subsets[1].labels['topology.kubernetes.io/zone'] = 'westeurope-1'; } },
  { check: 'UnknownDestinationRuleHost', behaviour: 'a host no Service declares',
    fail: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'typo', namespace: 'shop' }, spec: { host: 'apii' } }), message: /Host "apii" \(apii.shop.svc.cluster.local\) matches no Service or ServiceEntry/,
    pass: (o) => o.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api-from-gw', namespace: 'istio-ingress' }, spec: { host: 'api.shop.svc.cluster.local' } }) },

  { check: 'NoServerCertificateVerification', behaviour: 'SIMPLE TLS for the whole host without a CA (an info: the system CA bundle verifies it)',
    fail: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE' } }; }, message: /TLS mode SIMPLE towards api without caCertificates: the proxy verifies the server's certificate against the system CA bundle of its image/,
    pass: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem' } }; } },
  { check: 'NoServerCertificateVerification', behaviour: 'SIMPLE TLS on one port without a CA',
    fail: (o) => { dr(o).spec.trafficPolicy = { portLevelSettings: [{ port: { number: 8080 }, tls: { mode: 'MUTUAL', clientCertificate: 'c', privateKey: 'k' } }] }; }, message: /TLS mode MUTUAL towards api at port 8080 without caCertificates/,
    pass: (o) => { dr(o).spec.trafficPolicy = { portLevelSettings: [{ port: { number: 8080 }, tls: { mode: 'MUTUAL', clientCertificate: 'c', privateKey: 'k', caCertificates: 'ca' } }] }; } },
  { check: 'NoServerCertificateVerification', behaviour: 'insecureSkipVerify verifies nothing, even with a CA',
    fail: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem', insecureSkipVerify: true } }; }, message: /with insecureSkipVerify: the server's certificate is not verified at all/,
    pass: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem', insecureSkipVerify: false } }; } },
  { check: 'NoServerCertificateVerification', behaviour: 'a Secret credentialName without a workloadSelector: sidecars send plain text',
    fail: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE', credentialName: 'api-ca' } }; }, message: /credentialName "api-ca" in a DestinationRule without a workloadSelector: istiod gives sidecars no TLS settings for it .* sidecars send plain text/,
    pass: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'SIMPLE', credentialName: 'api-ca' } }; dr(o).spec.workloadSelector = { matchLabels: { istio: 'ingressgateway' } }; } },
  { check: 'AuthorizationShadowsHttpsRedirect', behaviour: 'a DENY on a path that also applies on the HTTP server redirecting to HTTPS',
    fail: (o) => { delete find(o, 'AuthorizationPolicy', 'block-admin').spec.rules[0].to[0].operation.notPorts; },
    message: /This DENY rule also applies on the plain-HTTP server "http" \(port 80\) of Gateway istio-ingress\/edge, which redirects to HTTPS: the http:\/\/ requests it matches get 403 instead of the 301 .* add notPorts: \["80"\]/,
    pass: (o) => { find(o, 'AuthorizationPolicy', 'block-admin').spec.rules[0].to[0].operation = { paths: ['/admin/*'], ports: ['443'] }; } },
  { check: 'AuthorizationShadowsHttpsRedirect', behaviour: 'a JWT requirement (DENY without a request principal) on every port; the pods\' port is the Service\'s target port',
    fail: (o) => {
      find(o, 'Service', 'gw').spec.ports[0].targetPort = 8080;
      o.push(policy('AuthorizationPolicy', 'orders-jwt', 'istio-ingress', { istio: 'ingressgateway' }, { action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/orders'], notPorts: ['80'] } }] }] }));
    },
    message: /the http:\/\/ requests it matches \(those without a JWT\) get 403 .* add notPorts: \["8080"\]/,
    // Near misses: a rule on the client's address only (refused over HTTPS too), and a rule for another host.
    pass: (o) => o.push(policy('AuthorizationPolicy', 'allow-office', 'istio-ingress', { istio: 'ingressgateway' }, { action: 'DENY', rules: [{ from: [{ source: { notRemoteIpBlocks: ['10.0.0.0/8'] } }] }, { to: [{ operation: { hosts: ['admin.example.com', 'admin.example.com:*'] } }] }] })) },
  { check: 'DestinationRuleDisablesMtls', behaviour: 'DISABLE towards a STRICT namespace',
    fail: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'DISABLE' } }; }, message: /TLS is disabled towards api, whose namespace "shop" accepts only mutual TLS/,
    pass: (o) => { dr(o).spec.trafficPolicy = { tls: { mode: 'ISTIO_MUTUAL' } }; } },

  { check: 'EnvoyFilterUsesRelativeOperation', behaviour: 'INSERT_BEFORE without a priority',
    fail: (o) => { delete ef(o).spec.priority; }, message: /INSERT_BEFORE without a priority/,
    pass: (o) => { delete ef(o).spec.priority; ef(o).spec.configPatches = [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_FIRST', value: {} } }, { applyTo: 'VIRTUAL_HOST', patch: { operation: 'MERGE', value: {} } }, { applyTo: 'CLUSTER', patch: { operation: 'ADD', value: {} } }]; } },
  { check: 'EnvoyFilterUsesRelativeOperation', behaviour: 'REMOVE of a filter without a priority',
    fail: (o) => { delete ef(o).spec.priority; ef(o).spec.configPatches = [{ applyTo: 'HTTP_FILTER', patch: { operation: 'REMOVE' } }]; }, message: /REMOVE without a priority/,
    pass: (o) => { ef(o).spec.configPatches = [{ applyTo: 'HTTP_FILTER', patch: { operation: 'REMOVE' } }]; } },
  { check: 'EnvoyFilterUsesRelativeOperation', behaviour: 'a filter another EnvoyFilter patches for a proxyVersion',
    fail: (o) => { delete ef(o).spec.priority; ef(o).spec.configPatches = [
      { applyTo: 'HTTP_FILTER', match: { proxy: { proxyVersion: '^1\\.30.*' } }, patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.ratelimit' } } },
      { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_AFTER', value: { name: 'envoy.filters.http.ratelimit' } } }]; }, message: /that an EnvoyFilter matching a proxyVersion also patches/,
    pass: (o) => { ef(o).spec.configPatches = [{ applyTo: 'HTTP_FILTER', match: { proxy: { proxyVersion: '^1\\.30.*' } }, patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.ratelimit' } } }]; } },
  { check: 'EnvoyFilterUsesReplaceOperationIncorrectly', behaviour: 'REPLACE of a cluster',
    fail: (o) => { ef(o).spec.configPatches.push({ applyTo: 'CLUSTER', patch: { operation: 'REPLACE', value: {} } }); }, message: /REPLACE on CLUSTER is ignored/,
    pass: (o) => { ef(o).spec.configPatches.push({ applyTo: 'VIRTUAL_HOST', patch: { operation: 'REPLACE', value: {} } }); } },
  { check: 'EnvoyFilterUsesAddOperationIncorrectly', behaviour: 'ADD of an HTTP route',
    fail: (o) => { ef(o).spec.configPatches.push({ applyTo: 'HTTP_ROUTE', patch: { operation: 'ADD', value: {} } }); }, message: /ADD on HTTP_ROUTE is ignored/,
    pass: (o) => { ef(o).spec.configPatches.push({ applyTo: 'VIRTUAL_HOST', patch: { operation: 'ADD', value: {} } }); } },
  { check: 'EnvoyFilterUsesRemoveOperationIncorrectly', behaviour: 'REMOVE of a route configuration',
    fail: (o) => { ef(o).spec.configPatches.push({ applyTo: 'ROUTE_CONFIGURATION', patch: { operation: 'REMOVE' } }); }, message: /REMOVE on ROUTE_CONFIGURATION is ignored/,
    pass: (o) => { ef(o).spec.configPatches.push({ applyTo: 'VIRTUAL_HOST', patch: { operation: 'REMOVE' } }); } },

  { check: 'PodDisruptionBudgetBlocksEviction', behaviour: 'minAvailable equal to the replicas',
    fail: (o) => { find(o, 'PodDisruptionBudget', 'gw').spec.minAvailable = 3; }, message: /minAvailable 3 over 3 pod\(s\) \(gw\) allows no eviction/,
    pass: (o) => { find(o, 'PodDisruptionBudget', 'gw').spec.minAvailable = '50%'; } },
  { check: 'PodDisruptionBudgetBlocksEviction', behaviour: 'minAvailable 100%',
    fail: (o) => { find(o, 'PodDisruptionBudget', 'api').spec = { minAvailable: '100%', selector: { matchLabels: { app: 'api' } } }; }, message: /minAvailable "100%" over 3 pod\(s\)/,
    pass: (o) => { find(o, 'PodDisruptionBudget', 'api').spec = { minAvailable: '60%', selector: { matchLabels: { app: 'api' } } }; } },
  { check: 'PodDisruptionBudgetSelectsNoPod', behaviour: 'a selector no pod has (through the escape hatch)',
    fail: (o) => { find(o, 'PodDisruptionBudget', 'gw').spec.selector = { matchLabels: { app: 'gateway' } }; }, message: /Selector \{"matchLabels":\{"app":"gateway"\}\} selects no pod template in namespace "istio-ingress"/,
    pass: (o) => { find(o, 'PodDisruptionBudget', 'gw').spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['gw', 'gateway'] }] }; } },
  { check: 'HorizontalPodAutoscalerTargetWithoutRequests', behaviour: 'CPU utilization without a CPU request',
    fail: (o) => { delete gwDeployment(o).spec.template.spec.containers[0].resources.requests.cpu; }, message: /Container "istio-proxy" of Deployment gw has no cpu request/,
    pass: (o) => { delete gwDeployment(o).spec.template.spec.containers[0].resources.requests.cpu; find(o, 'HorizontalPodAutoscaler', 'gw').spec.metrics[0].resource.name = 'memory'; } },
  { check: 'HorizontalPodAutoscalerTargetNotFound', behaviour: 'a target that does not exist (through the escape hatch)',
    fail: (o) => { find(o, 'HorizontalPodAutoscaler', 'gw').spec.scaleTargetRef.name = 'gateway'; }, message: /Target Deployment "gateway" is not in the set in namespace "istio-ingress"/,
    pass: (o) => { find(o, 'HorizontalPodAutoscaler', 'gw').spec.scaleTargetRef.apiVersion = 'apps/v1'; } },
  { check: 'ReplicasWithHorizontalPodAutoscaler', behaviour: 'replicas beside an autoscaler',
    fail: (o) => { gwDeployment(o).spec.replicas = 3; }, message: /sets replicas 3 while HorizontalPodAutoscaler gw drives it/,
    pass: (o) => { find(o, 'Deployment', 'api-v1').spec.replicas = 3; } },
  { check: 'ServiceSelectsNoPod', behaviour: 'a gateway Service selecting no pod (through the escape hatch)',
    fail: (o) => { find(o, 'Service', 'gw').spec.selector = { app: 'gateway', istio: 'ingressgateway' }; }, message: /Selector \{"app":"gateway","istio":"ingressgateway"\} selects no pod template in namespace "istio-ingress", so the Service has no endpoints/,
    pass: (o) => o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'elsewhere' }, spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] } }) },
  { check: 'ServiceTargetPortNotExposed', behaviour: 'a named targetPort no container declares (through the escape hatch)',
    fail: (o) => { find(o, 'Service', 'api').spec.ports[0].targetPort = 'http'; }, message: /targetPort "http" is the name of no container port of the selected pods/,
    pass: (o) => { find(o, 'Service', 'api').spec.ports[0].targetPort = 'http'; for (const d of ['api-v1', 'api-v2']) find(o, 'Deployment', d).spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 }]; } },
  { check: 'ServiceTargetPortNotExposed', behaviour: 'a numbered targetPort when the containers declare others (an info)',
    fail: (o) => { for (const d of ['api-v1', 'api-v2']) find(o, 'Deployment', d).spec.template.spec.containers[0].ports = [{ containerPort: 9000 }]; }, message: /targetPort 8080 is not a container port of the selected pods/,
    pass: (o) => { for (const d of ['api-v1', 'api-v2']) find(o, 'Deployment', d).spec.template.spec.containers[0].ports = [{ containerPort: 8080 }]; } },
  { check: 'ImageAutoWithoutInjection', behaviour: 'image: auto in a namespace with injection disabled',
    fail: (o) => o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress', labels: { 'istio-injection': 'disabled' } } }), message: /Deployment gw has image "auto" but no Istio injection webhook selects its pods/,
    pass: (o) => o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress', labels: { 'istio.io/rev': 'asm-1-25' } } }) },
  { check: 'ImageAutoWithoutInjection', behaviour: 'image: auto without the injection label',
    fail: (o) => { delete gwDeployment(o).spec.template.metadata.labels['sidecar.istio.io/inject']; }, message: /has image "auto" but no Istio injection webhook/,
    pass: (o) => { delete gwDeployment(o).spec.template.metadata.labels['sidecar.istio.io/inject']; gwDeployment(o).spec.template.metadata.labels['istio.io/rev'] = 'asm-1-25'; } },

  { check: 'PeerAuthenticationNotStrict', behaviour: 'PERMISSIVE',
    fail: (o) => { find(o, 'PeerAuthentication', 'default').spec.mtls.mode = 'PERMISSIVE'; }, message: /PERMISSIVE lets workloads without a mesh identity in/,
    pass: (o) => { find(o, 'PeerAuthentication', 'default').metadata.namespace = 'istio-system'; } },
  { check: 'PeerAuthenticationNotStrict', behaviour: 'a mesh namespace without STRICT',
    fail: (o) => remove(o, 'PeerAuthentication', 'default'), message: /Namespace "shop" runs sidecars but no STRICT PeerAuthentication covers it/,
    pass: (o) => { find(o, 'Namespace', 'shop').metadata.labels = {}; remove(o, 'PeerAuthentication', 'default'); } },
  { check: 'NamespaceWithoutNetworkPolicy', behaviour: 'a mesh namespace without NetworkPolicy',
    fail: (o) => remove(o, 'NetworkPolicy', 'default-deny-ingress'), message: /Namespace "shop" has no NetworkPolicy/,
    pass: (o) => { find(o, 'NetworkPolicy', 'default-deny-ingress').spec.podSelector = { matchLabels: { app: 'api' } }; } },
  { check: 'PrivilegedOrRootContainer', behaviour: 'privileged',
    fail: (o) => { find(o, 'Deployment', 'api-v1').spec.template.spec.containers[0].securityContext = { privileged: true }; }, message: /Container "app" is privileged/,
    pass: (o) => { find(o, 'Deployment', 'api-v1').spec.template.spec.containers[0].securityContext = { privileged: false, allowPrivilegeEscalation: false }; } },
  { check: 'PrivilegedOrRootContainer', behaviour: 'root',
    fail: (o) => { find(o, 'Deployment', 'api-v2').spec.template.spec.securityContext = { runAsUser: 0 }; }, message: /Container "app" runs as root/,
    pass: (o) => { find(o, 'Deployment', 'api-v2').spec.template.spec.securityContext = { runAsUser: 1000 }; } },
  { check: 'NoMatchingWorkloadsFound', behaviour: 'an AuthorizationPolicy selecting no pod of its namespace',
    fail: (o) => { find(o, 'AuthorizationPolicy', 'block-admin').spec.selector.matchLabels = { istio: 'ingress' }; }, message: /Selector \{istio=ingress\} selects no pod template in namespace "istio-ingress", so this AuthorizationPolicy applies to nothing/,
    pass: (o) => { find(o, 'AuthorizationPolicy', 'block-admin').metadata.namespace = 'istio-system'; } },
  { check: 'NoMatchingWorkloadsFound', behaviour: 'a RequestAuthentication, PeerAuthentication or Telemetry selecting nothing', count: 3,
    fail: (o) => { o.push(policy('RequestAuthentication', 'jwt', 'shop', { app: 'apii' }), policy('PeerAuthentication', 'api', 'shop', { app: 'apii' }, { mtls: { mode: 'STRICT' } }), { ...policy('Telemetry', 'api', 'shop', { app: 'apii' }), apiVersion: 'telemetry.istio.io/v1' }); },
    message: /selects no pod template in namespace "shop", so this (RequestAuthentication|PeerAuthentication|Telemetry) applies to nothing/,
    pass: (o) => { o.push(policy('RequestAuthentication', 'jwt', 'elsewhere', { app: 'apii' })); } },
  // istioctl 1.30.3 testdata/authorizationpolicies.yaml: httpbin-empty/httpbin-empty-namespace-wide.
  { check: 'NoMatchingWorkloadsFound', behaviour: 'a namespace-wide AuthorizationPolicy in a namespace the set creates and deploys nothing to',
    fail: (o) => { o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } }, { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'ns-wide', namespace: 'empty' }, spec: { action: 'DENY', rules: [{}] } }); },
    message: /namespace-wide AuthorizationPolicy is in namespace "empty", where the set deploys no workload/,
    pass: (o) => { o.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'ns-wide', namespace: 'shop' }, spec: { action: 'DENY', rules: [{}] } }); } },
  // istioctl 1.30.3 testdata/destinationrule-empty-topology-labels.yaml.
  { check: 'DestinationRuleSubsetNotSelectPods', behaviour: 'a subset selecting on an empty topology label',
    fail: (o) => { dr(o).spec.subsets.push({ name: 'empty-region', labels: { 'topology.kubernetes.io/region': '' } }); }, message: /Subset "empty-region" selects on the topology label topology.kubernetes.io\/region with an empty value/,
    pass: (o) => { dr(o).spec.subsets.push({ name: 'west', labels: { 'topology.kubernetes.io/region': 'westeurope' } }); } },
  // istioctl 1.30.3 testdata/virtualservice_internal_gateway_ref.yaml.
  { check: 'ReferencedInternalGateway', behaviour: 'a VirtualService bound to a Gateway generated from a Gateway API Gateway',
    fail: (o) => { vs(o).spec.gateways = ['istio-ingress/gateway~istio-autogenerated-k8s-gateway~foo']; }, message: /"istio-ingress\/gateway~istio-autogenerated-k8s-gateway~foo" is a Gateway Istio generates internally/,
    pass: (o) => { vs(o).spec.gateways = ['istio-ingress/edge']; } },
  // istioctl 1.30.3 testdata/virtualservice_overlappingmatches.yaml: overlapping-in-single-match.
  { check: 'VirtualServiceIneffectiveMatch', behaviour: 'a longer prefix after a shorter one in the matches of one rule',
    fail: (o) => { vs(o).spec.http[0].match = [{ uri: { prefix: '/api/v1/product' }, method: { exact: 'GET' } }, { uri: { prefix: '/api/v1/products' }, method: { exact: 'GET' } }]; },
    message: /Match #1 of rule "api" \(prefix "\/api\/v1\/products"\) is never used: match #0 of rule "api" \(prefix "\/api\/v1\/product"\) takes its requests first/,
    pass: (o) => { vs(o).spec.http[0].match = [{ uri: { prefix: '/api/v1/products' }, method: { exact: 'GET' } }, { uri: { prefix: '/api/v1/product' }, method: { exact: 'GET' } }]; } },
  // istioctl 1.30.3 testdata/telemetry-selector.yaml: dupe-1/dupe-2 select the same pods.
  { check: 'ConflictingTelemetryWorkloadSelectors', behaviour: 'two Telemetries of a namespace selecting the same pods', count: 2,
    fail: (o) => { o.push({ ...policy('Telemetry', 'dupe-1', 'shop', { app: 'api' }), apiVersion: 'telemetry.istio.io/v1' }, { ...policy('Telemetry', 'dupe-2', 'shop', { version: 'v1' }), apiVersion: 'telemetry.istio.io/v1' }); },
    message: /The Telemetries dupe-1, dupe-2 in namespace "shop" all select the pods of Deployment api-v1/,
    pass: (o) => { o.push({ ...policy('Telemetry', 'v1', 'shop', { version: 'v1' }), apiVersion: 'telemetry.istio.io/v1' }, { ...policy('Telemetry', 'v2', 'shop', { version: 'v2' }), apiVersion: 'telemetry.istio.io/v1' }); } },
  // istioctl 1.30.3 testdata/authorizationpolicies.yaml: httpbin-bogus-ns, httpbin-bogus-not-ns.
  { check: 'AuthorizationPolicyNamespaceNotFound', behaviour: 'source namespaces and notNamespaces that do not exist', count: 2,
    fail: (o) => { find(o, 'AuthorizationPolicy', 'block-admin').spec.rules[0].from = [{ source: { namespaces: ['bogus-ns'], notNamespaces: ['sho*', 'bogus-not-ns'] } }]; },
    message: /Namespace "bogus-ns" does not exist[\s\S]*Namespace "bogus-not-ns" does not exist/,
    pass: (o) => { find(o, 'AuthorizationPolicy', 'block-admin').spec.rules[0].from = [{ source: { namespaces: ['shop', 'istio-system', '*-ingress'] } }]; } },
  // istioctl 1.30.3 testdata/gateway-secrets-validation.yaml: defaultgateway-expired (InvalidGatewayCredential there).
  { check: 'GatewayCertificateNotValid', behaviour: 'an expired certificate in the credential Secret', now: new Date('2127-01-01T00:00:00Z'),
    fail: () => undefined, message: /The certificate of Secret "istio-ingress\/shop-tls" \(CN=shop.example.com\) expired on 2126-11-02T22:19:26.000Z/,
    pass: () => undefined, passNow: new Date('2126-11-02T22:19:25Z') },
  { check: 'GatewayCertificateNotValid', behaviour: 'a certificate not valid yet', now: new Date('2026-01-01T00:00:00Z'),
    fail: () => undefined, message: /is not valid before 2026-11-26T22:19:26.000Z/,
    pass: (o) => { find(o, 'Gateway', 'edge').spec.servers = find(o, 'Gateway', 'edge').spec.servers.filter((x: any) => !x.tls?.credentialName); } },
  // istioctl 1.30.3 testdata/sidecar-selector.yaml: maps-to-multiple-sidecars, multiple default sidecars, maps-to-nonexistent.
  { check: 'ConflictingSidecarWorkloadSelectors', behaviour: 'two Sidecars of a namespace selecting the same pods', count: 2,
    fail: (o) => { o.push(sidecar('dupe-1', 'shop', { app: 'api' }), sidecar('dupe-2', 'shop', { version: 'v1' })); },
    message: /The Sidecars dupe-1, dupe-2 in namespace "shop" all select the pods of Deployment api-v1/,
    pass: (o) => { o.push(sidecar('v1', 'shop', { version: 'v1' }), sidecar('v2', 'shop', { version: 'v2' })); } },
  { check: 'MultipleSidecarsWithoutWorkloadSelectors', behaviour: 'two namespace-wide Sidecars in one namespace', count: 2,
    fail: (o) => { o.push(sidecar('default', 'shop'), sidecar('egress-scope', 'shop')); },
    message: /The Sidecars default, egress-scope in namespace "shop" have no workloadSelector/,
    pass: (o) => { o.push(sidecar('default', 'shop'), sidecar('default', 'istio-system')); } },
  { check: 'SidecarSelectorMatchesNoWorkload', behaviour: 'a Sidecar whose selector selects no pod of its namespace',
    fail: (o) => { o.push(sidecar('typo', 'shop', { app: 'apii' })); }, message: /Selector \{app=apii\} selects no pod template in namespace "shop", so this Sidecar applies to nothing/,
    pass: (o) => { o.push(sidecar('api', 'shop', { app: 'api' }), sidecar('elsewhere', 'not-in-the-set', { app: 'apii' })); } },
];

describe('analysis checks', () => {
  it('the hand-written edge passes every check, with and without the production rules', () => {
    expect(analyze(edge())).toEqual([]);
    expect(analyze(edge(), { production: true })).toEqual([]);
  });

  it('every check has a failing case here', () => {
    // Elsewhere: the Gateway API form's checks (EDGE7xxx) in test/gateway-api.test.ts, GatewayZoneLoss in
    // zone-loss.test.ts, the rate-limit checks (EDGE8xxx) in rate-limit-checks.test.ts, the install
    // target's (EDGE9xxx) in target.test.ts.
    expect(new Set(CASES.map((c) => c.check))).toEqual(new Set(CHECKS.filter((c) => !/^EDGE[789]/.test(c.code) && c.name !== 'GatewayZoneLoss').map((c) => c.name)));
  });

  it.each(CASES)('$check: $behaviour', ({ check, fail, pass, message, production, count, now, passNow }) => {
    const broken = edge();
    fail(broken);
    const all = analyze(broken, { production, now });
    const findings = all.filter((f) => f.check === check);
    expect(findings.length, JSON.stringify(all.map((f) => [f.check, f.message]))).toBeGreaterThan(0);
    if (count !== undefined) expect(findings).toHaveLength(count);
    expect(findings.map((f) => f.message).join('\n')).toMatch(message);
    const definition = CHECKS.find((c) => c.name === check)!;
    expect(findings.every((f) => f.code === definition.code && f.istioCode === definition.istioCode)).toBe(true);
    expect(findings[0].object).toMatch(/^\w+ ([a-z-]+\/)?[a-z0-9-]+$/);
    const nearMiss = edge();
    pass(nearMiss);
    expect(analyze(nearMiss, { production, now: passNow ?? now }).filter((f) => f.check === check).map((f) => f.message)).toEqual([]);
  });

  it('TLS to a destination as ClientTls.simple() documents it: verified against the system CA bundle, an info; nothing verified is a warning', () => {
    const simple = edge();
    dr(simple).spec.trafficPolicy = { tls: { mode: 'SIMPLE', sni: 'api.example.com' } };
    expect(analyze(simple).map((f) => [f.check, f.severity, f.field])).toEqual([['NoServerCertificateVerification', 'info', 'spec.trafficPolicy.tls']]);
    // With an SNI of its own, the name is not checked against the host (Istio sets auto SAN validation only with auto SNI).
    expect(analyze(simple)[0].message).not.toMatch(/its name against the host/);
    const skip = edge();
    dr(skip).spec.subsets[0].trafficPolicy = { tls: { mode: 'SIMPLE', insecureSkipVerify: true } };
    expect(analyze(skip).map((f) => [f.check, f.severity, f.field])).toEqual([['NoServerCertificateVerification', 'warning', 'spec.subsets[0].trafficPolicy.tls.insecureSkipVerify']]);
  });

  it('production rules apply only in production', () => {
    const objects = edge();
    delete find(objects, 'Gateway', 'edge').spec.servers[0].tls;
    expect(checks(objects)).toEqual([]);
    expect(checks(objects, true)).toEqual(['GatewayHttpWithoutRedirect']);
  });

  it('a container nothing stops from running as root is a warning; a path without "/" a warning, a repeated match an info', () => {
    const objects = edge();
    delete find(objects, 'Deployment', 'api-v1').spec.template.spec.securityContext;
    expect(analyze(objects).map((f) => [f.check, f.severity])).toEqual([['PrivilegedOrRootContainer', 'warning']]);
    const routes = edge();
    const h = vs(routes).spec.http;
    h.splice(1, 0, { name: 'v2', match: [{ uri: { prefix: '/api/v2' } }, { uri: { prefix: 'v3' } }], route: h[0].route });
    expect(analyze(routes).map((f) => [f.check, f.severity])).toEqual([['VirtualServiceIneffectiveMatch', 'info'], ['VirtualServiceIneffectiveMatch', 'warning']]);
  });

  it('names the object and the field, with the codes', () => {
    const objects = edge();
    vs(objects).spec.http[0].route[1].destination.subset = 'v3';
    expect(analyze(objects)).toEqual([expect.objectContaining({
      check: 'ReferencedResourceNotFound', code: 'EDGE2001', istioCode: 'IST0101', severity: 'error', object: 'VirtualService shop/shop', field: 'spec.http[0].route[1].destination.subset',
    })]);
  });

  it('names a cluster-scoped object without a namespace', () => {
    const objects = edge();
    find(objects, 'Namespace', 'shop').metadata.namespace = 'default';
    remove(objects, 'NetworkPolicy', 'default-deny-ingress');
    expect(analyze(objects).map((f) => f.object)).toEqual(['Namespace shop']);
  });

  it('an annotation with a reason suppresses a named check on its object; without a reason it does not', () => {
    const objects = edge();
    const pdb = find(objects, 'PodDisruptionBudget', 'gw');
    pdb.spec.minAvailable = 3;
    pdb.metadata.annotations = { [`${SUPPRESS_ANNOTATION_PREFIX}PodDisruptionBudgetBlocksEviction`]: 'drains are done by hand in this cluster' };
    expect(checks(objects)).toEqual([]);
    pdb.metadata.annotations[`${SUPPRESS_ANNOTATION_PREFIX}PodDisruptionBudgetBlocksEviction`] = ' ';
    expect(analyze(objects).map((f) => f.message).join()).toMatch(/The suppression annotation has no reason/);
  });

  it('does not report what is outside the set: external hosts, other namespaces\' workloads', () => {
    const objects = edge();
    vs(objects).spec.http[1].route[0].destination = { host: 'payments.example.org' };
    objects.push(policy('AuthorizationPolicy', 'other', 'payments', { app: 'payments' }));
    objects.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pay', namespace: 'payments' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'payments' } } } });
    expect(checks(objects)).toEqual([]);
  });

  it('understands mesh routes: no gateways, or "mesh" among them, binds to no Gateway', () => {
    const objects = edge();
    objects.push(meshVs([{ route: [{ destination: { host: 'api', subset: 'v1' }, weight: 100 }] }]));
    const both = meshVs([{ route: [{ destination: { host: 'api', subset: 'v2' } }] }]);
    both.metadata.name = 'api-both';
    (both.spec as any).gateways = ['mesh', 'istio-ingress/edge'];
    (both.spec as any).hosts = ['api', 'shop.example.com'];
    objects.push(both);
    expect(checks(objects)).toEqual([]);
  });

  it('survives objects of any shape', () => {
    const odd: any[] = [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: 'x', ports: 'y' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: 'x', http: [null, { route: 'r', match: [null] }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { servers: [null, { port: 'x', hosts: 'h' }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'd' }, spec: { host: 5, subsets: {} } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [null] } } } },
      { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'e' }, spec: { configPatches: [null, {}] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: null }];
    expect(() => analyze(odd)).not.toThrow();
  });
});
