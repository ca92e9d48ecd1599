// False alarms on valid configurations users apply as they are: each case is a shape from Istio
// 1.30.3's samples/ (written here from the sample, not copied) that the analysis used to report.
import { describe, expect, it } from 'vitest';
import { analyze, CrdSchemas, DestinationRule, KubernetesObject, validateAndAnalyze, VersionedService } from '../../lib';
import { testCrd } from '../support/crd';
import { newChart, synth } from '../support/synth';

/** Findings as "SEVERITY Check: message", for readable failures. */
const summary = async (objects: KubernetesObject[], options = {}) => (await validateAndAnalyze(objects, options)).map((f) => `${f.severity} ${f.check}: ${f.message}`);

describe('unknown kinds are not validated, not invalid', () => {
  // samples/ambient-argo/meta-application.yaml: an Argo CD Application.
  const application = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'meta-application', namespace: 'argocd' },
    spec: { destination: { name: 'in-cluster', namespace: 'argocd', server: '' }, project: 'default', sources: [{ path: 'istio', repoURL: 'https://example.com/repo.git', targetRevision: 'HEAD' }] },
  };
  // samples/security/spire/clusterspiffeid.yaml: a SPIRE ClusterSPIFFEID (cluster-scoped).
  const spiffeId = {
    apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'example' },
    spec: { spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}', podSelector: { matchLabels: { 'spiffe.io/spire-managed-identity': 'true' } } },
  };
  // samples/tcp-echo/gateway-api/tcp-echo-all-v1.yaml: a Gateway API experimental-channel TCPRoute.
  const tcpRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'tcp-echo', namespace: 'default' },
    spec: { parentRefs: [{ name: 'tcp-echo-gateway', sectionName: 'tcp-31400' }], rules: [{ backendRefs: [{ name: 'tcp-echo-v1', port: 9000 }] }] },
  };

  it.each([['an Argo CD Application', application], ['a SPIRE ClusterSPIFFEID', spiffeId], ['a Gateway API TCPRoute (experimental channel)', tcpRoute]])('%s is INFO SchemaNotFound, not an error', async (_, o) => {
    const findings = await validateAndAnalyze([o as KubernetesObject]);
    expect(findings.map((f) => [f.severity, f.check, f.code])).toEqual([['info', 'SchemaNotFound', 'EDGE0005']]);
    expect(findings[0].message).toMatch(/^not validated: .*--crds/);
  });

  it('a CRD given with crds validates the kind: a valid object has no finding, a broken one is an error', async () => {
    const crds = CrdSchemas.fromYaml(testCrd('Widget', 'type: object\nproperties:\n  size: { type: integer }\n'));
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec: { size: 3 } };
    expect(await summary([widget])).toEqual([expect.stringMatching(/^info SchemaNotFound/)]);
    expect(await summary([widget], { crds })).toEqual([]);
    expect(await summary([{ ...widget, spec: { size: 'three' } }], { crds })).toEqual([expect.stringMatching(/^error CustomResourceInvalid: must be integer/)]);
  });

  it('the vendored Istio CRDs still validate Istio kinds when other CRDs are given', async () => {
    const crds = CrdSchemas.fromYaml(testCrd('Widget', 'type: object\n'));
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v', namespace: 'ns' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }], timeout: 'ten seconds' }] } };
    expect((await summary([vs], { crds })).filter((f) => f.startsWith('error CustomResourceInvalid'))).not.toEqual([]);
  });
});

describe('a DestinationRule of an imported Service', () => {
  // samples/bookinfo/networking/destination-rule-reviews.yaml applied by a team that does not own reviews.
  it('is not UnknownDestinationRuleHost: the construct declares the Service defined elsewhere', () => {
    const chart = newChart();
    const reviews = VersionedService.fromServiceAttributes(chart, 'reviews', { name: 'reviews', namespace: 'bookinfo', ports: [9080] });
    new DestinationRule(chart, 'reviews-rule', { host: reviews, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const objects = synth(chart);
    const rule = objects.find((o) => o.kind === 'DestinationRule')!;
    expect(rule.metadata?.annotations).toEqual({ 'analysis.istio-aks-edge.io/defined-elsewhere': 'Service reviews.bookinfo.svc.cluster.local' });
    expect(analyze(objects).map((f) => f.check)).toEqual([]);
  });

  it('near miss: the same rule for a host nobody declares is still reported', () => {
    const chart = newChart();
    new DestinationRule(chart, 'reviews-rule', { host: 'reviews.bookinfo.svc.cluster.local', namespace: 'bookinfo', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(analyze(synth(chart)).map((f) => f.check)).toEqual(['UnknownDestinationRuleHost']);
  });
});

describe('a rate-limit filter that adds its own cluster', () => {
  // samples/bookinfo/policy/productpage_envoy_ratelimit.yaml: the filter names "rate_limit_cluster",
  // which a CLUSTER ADD patch of the same EnvoyFilter defines (endpoint ratelimit.default:8081);
  // samples/ratelimit/rate-limit-service.yaml deploys the Service.
  const filter = (address = 'ratelimit.default.svc.cluster.local', name = 'rate_limit_cluster'): KubernetesObject => ({
    apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'filter-ratelimit', namespace: 'istio-system' },
    spec: {
      workloadSelector: { labels: { istio: 'ingressgateway' } },
      configPatches: [
        { applyTo: 'HTTP_FILTER', match: { context: 'GATEWAY', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } } },
          patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.ratelimit', typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit', domain: 'productpage-ratelimit', failure_mode_deny: true, timeout: '10s',
            rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'rate_limit_cluster' } }, transport_api_version: 'V3' } } } } },
        { applyTo: 'CLUSTER', match: { cluster: { service: 'ratelimit.default.svc.cluster.local' } },
          patch: { operation: 'ADD', value: { name, type: 'STRICT_DNS', connect_timeout: '10s', lb_policy: 'ROUND_ROBIN', http2_protocol_options: {},
            load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: 8081 } } } }] }] } } } },
      ],
    },
  });
  const service: KubernetesObject = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratelimit', namespace: 'default', labels: { app: 'ratelimit' } },
    spec: { ports: [{ name: 'http-port', port: 8080, targetPort: 8080, protocol: 'TCP' }, { name: 'grpc-port', port: 8081, targetPort: 8081, protocol: 'TCP' }], selector: { app: 'ratelimit' } },
  };
  const notFound = (objects: KubernetesObject[]) => analyze(objects).filter((f) => f.check === 'RateLimitServiceNotFound').map((f) => f.message);

  it('is not RateLimitServiceNotFound when the added cluster reaches a Service of the set', () => {
    expect(notFound([filter(), service])).toEqual([]);
  });

  it('near misses: the added cluster under another name, or its endpoint a Service not in the set', () => {
    expect(notFound([filter(undefined, 'other_cluster'), service])).toEqual([expect.stringContaining('nor a cluster this EnvoyFilter adds')]);
    expect(notFound([filter('ratelimit.other.svc.cluster.local'), service])).toEqual([expect.stringContaining('(added by spec.configPatches[1]) names Service ratelimit.other.svc.cluster.local, which is not in the set')]);
  });
});

describe('a Gateway port equal to the Service targetPort', () => {
  // samples/bookinfo/networking/bookinfo-gateway.yaml serves port 8080 on the default ingress
  // gateway, whose Service maps port 80 to targetPort 8080 (the pod listens on 8080).
  const objects = (gatewayPort: number): KubernetesObject[] => [
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: 'default' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: gatewayPort, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: { type: 'LoadBalancer', selector: { istio: 'ingressgateway' }, ports: [{ name: 'status-port', port: 15021, targetPort: 15021 }, { name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: { replicas: 2, selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { istio: 'ingressgateway' }, annotations: { 'inject.istio.io/templates': 'gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } } },
  ];
  const portFindings = (o: KubernetesObject[]) => analyze(o).filter((f) => f.check === 'GatewayPortNotDefinedOnService').map((f) => f.message);

  it('is not GatewayPortNotDefinedOnService (as istioctl: the target port is where the pod listens)', () => {
    expect(portFindings(objects(8080))).toEqual([]);
    expect(portFindings(objects(80))).toEqual([]);
  });

  it('near miss: a port that is neither a port nor a target port of the Service', () => {
    expect(portFindings(objects(9090))).toEqual([expect.stringContaining('Port 9090 is not a port of Service istio-system/istio-ingressgateway')]);
  });
});

describe('a container listening on a port it does not declare', () => {
  // Declaring container ports is optional in Kubernetes: a container that declares only its metrics
  // port still receives the Service's traffic on the port it listens on.
  const objects = (targetPort: number | string): KubernetesObject[] => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8000, targetPort }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'example/web:1', ports: [{ name: 'metrics', containerPort: 9090 }] }] } } } },
  ];
  const found = (o: KubernetesObject[]) => analyze(o).filter((f) => f.check === 'ServiceTargetPortNotExposed').map((f) => f.severity);

  it('is at most an INFO ServiceTargetPortNotExposed', () => {
    expect(found(objects(8080))).toEqual(['info']);
  });

  it('near miss: a named targetPort no container declares is still an error (no endpoints)', () => {
    expect(found(objects('http'))).toEqual(['error']);
  });
});
