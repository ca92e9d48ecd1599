// Each check of the analysis: a set that passes, and a change that makes it fail with its name.
import { describe, expect, it } from 'vitest';
import { analyze, CHECKS, KubernetesObject, SUPPRESS_ANNOTATION_PREFIX } from '../../lib';
import { RATE_LIMIT_CHECKS } from '../../lib/analysis/rate-limit-checks';

/** A small, correct edge written by hand: gateway workload, Gateway, routes, two versions. */
function edge(): any[] {
  const gwLabels = { app: 'gw', istio: 'ingressgateway' };
  const spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: gwLabels } }];
  const container = (name: string) => ({ name, image: 'img', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } } });
  const deployment = (ns: string, name: string, labels: Record<string, string>, replicas?: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { securityContext: { runAsNonRoot: true }, containers: [container('app')], topologySpreadConstraints: ns === 'istio-ingress' ? spread : undefined } },
    },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-ingress', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'block-admin', namespace: 'istio-ingress' },
      spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }] } },
    deployment('istio-ingress', 'gw', gwLabels),
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'gw', namespace: 'istio-ingress' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gw' }, minReplicas: 2, maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'gw', namespace: 'istio-ingress' }, spec: { minAvailable: 1, selector: { matchLabels: gwLabels } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'istio-ingress' },
      spec: { type: 'LoadBalancer', selector: gwLabels, ports: [{ name: 'http2', port: 80, targetPort: 80 }, { name: 'https', port: 443, targetPort: 443 }] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-tls', namespace: 'istio-ingress' }, type: 'kubernetes.io/tls' },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'istio-ingress' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
      ] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' },
      spec: { hosts: ['shop.example.com'], gateways: ['istio-ingress/edge'], http: [
        { name: 'api', match: [{ uri: { prefix: '/api' } }], route: [
          { destination: { host: 'api', subset: 'v1', port: { number: 8080 } }, weight: 90 },
          { destination: { host: 'api', subset: 'v2', port: { number: 8080 } }, weight: 10 },
        ] },
        { name: 'web', route: [{ destination: { host: 'api.shop.svc.cluster.local', subset: 'v1' } }] },
      ] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api', namespace: 'shop' },
      spec: { host: 'api', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 8080 }] } },
    deployment('shop', 'api-v1', { app: 'api', version: 'v1' }, 2),
    deployment('shop', 'api-v2', { app: 'api', version: 'v2' }, 1),
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } } },
    { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'rl', namespace: 'istio-ingress' },
      spec: { workloadSelector: { labels: gwLabels }, priority: 10, configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: {} } }] } },
  ];
}

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const checks = (objs: KubernetesObject[]) => analyze(objs).map((f) => f.check);

/** Each check: how to break the edge, a fragment of the message, and whether production rules apply. */
const CASES: Array<[string, (o: any[]) => void, RegExp, boolean?]> = [
  ['DuplicateObject', (o) => o.push(structuredClone(find(o, 'Service', 'api'))), /already in the set/],
  ['ReferencedResourceNotFound', (o) => { find(o, 'VirtualService', 'shop').spec.gateways = ['edge']; }, /Gateway "shop\/edge" \(from "edge"\) is not defined/],
  ['ReferencedResourceNotFound', (o) => { find(o, 'VirtualService', 'shop').spec.http[0].route[0].destination.host = 'apii'; }, /Host "apii" \(apii.shop.svc.cluster.local\) matches no Service/],
  ['ReferencedResourceNotFound', (o) => { find(o, 'VirtualService', 'shop').spec.http[0].route[1].destination.subset = 'v3'; }, /Subset "v3" of host "api" is not defined.*known: v1, v2/],
  ['GatewayCredentialNotFound', (o) => o.splice(o.indexOf(find(o, 'Secret', 'shop-tls')), 1), /Secret "shop-tls" is not in the set/],
  ['VirtualServiceHostNotFoundInGateway', (o) => { find(o, 'VirtualService', 'shop').spec.hosts.push('admin.example.com'); }, /Host "admin.example.com" is not served by its Gateways/],
  ['ConflictingGateways', (o) => { const g = structuredClone(find(o, 'Gateway', 'edge')); g.metadata.name = 'edge2'; o.push(g); }, /also claimed by Gateway istio-ingress\/edge/],
  ['DestinationRuleSubsetNotSelectPods', (o) => { find(o, 'DestinationRule', 'api').spec.subsets[1].labels.version = 'v9'; }, /Subset "v2".*selects no pod template/],
  ['VirtualServiceRouteWeightsNotSum100', (o) => { find(o, 'VirtualService', 'shop').spec.http[0].route[1].weight = 20; }, /Weights \[90,20\] sum to 110/],
  ['VirtualServiceUnreachableRule', (o) => { find(o, 'VirtualService', 'shop').spec.http.reverse(); }, /Route "api" comes after route 0, which matches every request/],
  ['VirtualServiceIneffectiveMatch', (o) => { find(o, 'VirtualService', 'shop').spec.http[0].match = [{ uri: { prefix: 'api' } }]; }, /Path "api" does not start with "\/"/],
  ['VirtualServiceIneffectiveMatch', (o) => { const http = find(o, 'VirtualService', 'shop').spec.http; http.splice(1, 0, structuredClone(http[0])); http[1].name = 'again'; }, /repeats one of route 0/],
  ['VirtualServiceDestinationPortSelectorRequired', (o) => { find(o, 'Service', 'api').spec.ports.push({ name: 'grpc', port: 9090 }); }, /has ports 8080, 9090: choose one/],
  ['GatewayPortNotDefinedOnService', (o) => { find(o, 'Service', 'gw').spec.ports.pop(); }, /Port 443 is not a port of Service istio-ingress\/gw/],
  ['PodDisruptionBudgetBlocksEviction', (o) => { find(o, 'PodDisruptionBudget', 'gw').spec.minAvailable = 2; }, /minAvailable 2 over 2 pod\(s\) \(gw\) allows no eviction/],
  ['PodDisruptionBudgetBlocksEviction', (o) => { find(o, 'PodDisruptionBudget', 'api').spec = { minAvailable: '100%', selector: { matchLabels: { app: 'api' } } }; }, /minAvailable "100%" over 3 pod\(s\)/],
  ['HorizontalPodAutoscalerTargetWithoutRequests', (o) => { delete find(o, 'Deployment', 'gw').spec.template.spec.containers[0].resources.requests.cpu; }, /Container "app" of Deployment gw has no cpu request/],
  ['ReplicasWithHorizontalPodAutoscaler', (o) => { find(o, 'Deployment', 'gw').spec.replicas = 3; }, /sets replicas 3 while HorizontalPodAutoscaler gw drives it/],
  ['GatewayWorkloadWithoutZoneSpread', (o) => { delete find(o, 'Deployment', 'gw').spec.template.spec.topologySpreadConstraints; }, /not spread over topology.kubernetes.io\/zone/],
  ['GatewayWorkloadSingleReplica', (o) => { find(o, 'HorizontalPodAutoscaler', 'gw').spec.minReplicas = 1; find(o, 'PodDisruptionBudget', 'gw').spec = { maxUnavailable: 1, selector: { matchLabels: { app: 'gw' } } }; }, /runs at least 1 pod/],
  ['GatewayHttpsWithoutCredential', (o) => { delete find(o, 'Gateway', 'edge').spec.servers[1].tls.credentialName; }, /HTTPS server "https" has no credential/],
  ['NoServerCertificateVerification', (o) => { find(o, 'DestinationRule', 'api').spec.trafficPolicy = { tls: { mode: 'SIMPLE' } }; }, /TLS mode SIMPLE without caCertificates/],
  ['EnvoyFilterUsesRelativeOperation', (o) => { delete find(o, 'EnvoyFilter', 'rl').spec.priority; }, /No priority, with a relative patch operation/],
  ['EnvoyFilterUsesReplaceOperationIncorrectly', (o) => { find(o, 'EnvoyFilter', 'rl').spec.configPatches.push({ applyTo: 'CLUSTER', patch: { operation: 'REPLACE', value: {} } }); }, /REPLACE on CLUSTER is ignored/],
  ['EnvoyFilterUsesAddOperationIncorrectly', (o) => { find(o, 'EnvoyFilter', 'rl').spec.configPatches.push({ applyTo: 'HTTP_ROUTE', patch: { operation: 'ADD', value: {} } }); }, /ADD on HTTP_ROUTE is ignored/],
  ['EnvoyFilterUsesRemoveOperationIncorrectly', (o) => { find(o, 'EnvoyFilter', 'rl').spec.configPatches.push({ applyTo: 'ROUTE_CONFIGURATION', patch: { operation: 'REMOVE' } }); }, /REMOVE on ROUTE_CONFIGURATION is ignored/],
  ['GatewayHttpWithoutRedirect', (o) => { delete find(o, 'Gateway', 'edge').spec.servers[0].tls; }, /HTTP server "http" serves production traffic in clear text/, true],
  ['GatewayTlsBelow12', (o) => { find(o, 'Gateway', 'edge').spec.servers[1].tls.minProtocolVersion = 'TLSV1_1'; }, /TLSV1_1 accepts deprecated TLS versions/],
  ['PeerAuthenticationNotStrict', (o) => { find(o, 'PeerAuthentication', 'default').spec.mtls.mode = 'PERMISSIVE'; }, /PERMISSIVE lets workloads without a mesh identity in/],
  ['PeerAuthenticationNotStrict', (o) => o.splice(o.indexOf(find(o, 'PeerAuthentication', 'default')), 1), /Namespace "shop" runs sidecars but no STRICT PeerAuthentication covers it/],
  ['DestinationRuleDisablesMtls', (o) => { find(o, 'DestinationRule', 'api').spec.trafficPolicy = { tls: { mode: 'DISABLE' } }; }, /TLS is disabled towards api, whose namespace "shop" accepts only mutual TLS/],
  ['GatewayHostWithoutAuthorization', (o) => o.splice(o.indexOf(find(o, 'AuthorizationPolicy', 'block-admin')), 1), /Public host "shop.example.com" has no AuthorizationPolicy on the gateway/, true],
  ['PrivilegedOrRootContainer', (o) => { find(o, 'Deployment', 'api-v1').spec.template.spec.containers[0].securityContext = { privileged: true }; }, /Container "app" is privileged/],
  ['PrivilegedOrRootContainer', (o) => { find(o, 'Deployment', 'api-v2').spec.template.spec.securityContext = { runAsUser: 0 }; }, /Container "app" runs as root/],
  ['NamespaceWithoutNetworkPolicy', (o) => o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny-ingress')), 1), /Namespace "shop" has no NetworkPolicy/],
];

describe('analysis checks', () => {
  it('the hand-written edge passes every check, with and without the production rules', () => {
    expect(analyze(edge())).toEqual([]);
    expect(analyze(edge(), { production: true })).toEqual([]);
  });

  it('production rules apply only in production', () => {
    const objects = edge();
    delete find(objects, 'Gateway', 'edge').spec.servers[0].tls;
    expect(checks(objects)).toEqual([]);
    expect(analyze(objects, { production: true }).map((f) => f.check)).toEqual(['GatewayHttpWithoutRedirect']);
  });

  it('a container nothing stops from running as root is a warning', () => {
    const objects = edge();
    delete find(objects, 'Deployment', 'api-v1').spec.template.spec.securityContext;
    expect(analyze(objects).map((f) => [f.check, f.severity])).toEqual([['PrivilegedOrRootContainer', 'warning']]);
  });

  it('every check has a failing case here (the rate-limit checks in rate-limit-checks.test.ts)', () => {
    expect(new Set(CASES.map(([name]) => name))).toEqual(new Set(CHECKS.filter((c) => !RATE_LIMIT_CHECKS.includes(c)).map((c) => c.name)));
  });

  it.each(CASES)('%s', (name, breakIt, message, production) => {
    const objects = edge();
    breakIt(objects);
    const findings = analyze(objects, { production }).filter((f) => f.check === name);
    expect(findings.length, JSON.stringify(analyze(objects, { production }).map((f) => f.check))).toBeGreaterThan(0);
    expect(findings.map((f) => f.message).join('\n')).toMatch(message);
    expect(findings[0].severity).toBe(CHECKS.find((c) => c.name === name)!.severity);
    expect(findings[0].object).toMatch(/^\w+ ([a-z-]+\/)?[a-z0-9-]+$/);
  });

  it('names the object and the field', () => {
    const objects = edge();
    find(objects, 'VirtualService', 'shop').spec.http[0].route[1].destination.subset = 'v3';
    expect(analyze(objects)).toEqual([expect.objectContaining({
      check: 'ReferencedResourceNotFound', severity: 'error', object: 'VirtualService shop/shop', field: 'spec.http[0].route[1].destination.subset',
    })]);
  });

  it('an annotation with a reason suppresses a named check on its object; without a reason it does not', () => {
    const objects = edge();
    const pdb = find(objects, 'PodDisruptionBudget', 'gw');
    pdb.spec.minAvailable = 2;
    pdb.metadata.annotations = { [`${SUPPRESS_ANNOTATION_PREFIX}PodDisruptionBudgetBlocksEviction`]: 'drains are done by hand in this cluster' };
    expect(checks(objects)).toEqual([]);
    pdb.metadata.annotations[`${SUPPRESS_ANNOTATION_PREFIX}PodDisruptionBudgetBlocksEviction`] = ' ';
    expect(analyze(objects).map((f) => f.message).join()).toMatch(/The suppression annotation has no reason/);
  });

  it('does not report what is outside the set: external hosts, ServiceEntries, workloads it cannot count', () => {
    const objects = edge();
    const vs = find(objects, 'VirtualService', 'shop');
    vs.spec.http[1].route[0].destination = { host: 'payments.example.org' };
    vs.spec.http[0].route[0].destination.host = 'legacy.old.svc.cluster.local';
    delete vs.spec.http[0].route[0].destination.subset;
    objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'legacy', namespace: 'shop' }, spec: { hosts: ['legacy.old.svc.cluster.local'] } });
    expect(checks(objects)).toEqual([]);
  });
});
