// Acceptance (issue 25): the analysis over re-expressions of several of Istio 1.30.3's samples
// directories, as a user applies them (kubectl apply into "default", the ingress gateway installed
// separately), asserts no error or warning the manifests do not deserve. The objects are written
// here from the samples' shapes (names, ports, labels, routes), not copied.
import { describe, expect, it } from 'vitest';
import { KubernetesObject, validateAndAnalyze } from '../../lib';

const NS = 'default';
const meta = (name: string, labels?: Record<string, string>, namespace = NS) => ({ name, namespace, ...(labels ? { labels } : {}) });
const service = (name: string, ports: Array<{ name: string; port: number; targetPort?: number }>, selector: Record<string, string> = { app: name }): KubernetesObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(name, { app: name, service: name }), spec: { ports, selector },
});
const deployment = (name: string, labels: Record<string, string>, ports: number[], image: string, extra: Record<string, string> = {}): KubernetesObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, labels),
  spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, ...extra } }, spec: {
    containers: [{ name: labels.app, image, imagePullPolicy: 'IfNotPresent', ports: ports.map((containerPort) => ({ containerPort })) }],
  } } },
});
const serviceAccount = (name: string): KubernetesObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) });
const gateway = (name: string, servers: object[], selector = { istio: 'ingressgateway' }, namespace = NS): KubernetesObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta(name, undefined, namespace), spec: { selector, servers },
});
const http80 = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] };

/** samples/bookinfo: platform/kube/bookinfo.yaml, networking/bookinfo-gateway.yaml, destination-rule-all.yaml, virtual-service-all-v1.yaml. */
function bookinfo(): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  const versions: Record<string, string[]> = { details: ['v1'], ratings: ['v1'], reviews: ['v1', 'v2', 'v3'], productpage: ['v1'] };
  for (const [name, vs] of Object.entries(versions)) {
    objects.push(service(name, [{ name: 'http', port: 9080 }]), serviceAccount(`bookinfo-${name}`));
    for (const v of vs) objects.push(deployment(`${name}-${v}`, { app: name, version: v }, [9080], `docker.io/istio/examples-bookinfo-${name}-${v}:1.20.3`));
  }
  objects.push(
    gateway('bookinfo-gateway', [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }]),
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('bookinfo'), spec: { hosts: ['*'], gateways: ['bookinfo-gateway'], http: [{
      match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } }, { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } }],
      route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
    }] } },
  );
  for (const [name, vs] of Object.entries(versions)) {
    objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(name), spec: { host: name, subsets: vs.map((v) => ({ name: v, labels: { version: v } })) } });
    objects.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(name), spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset: 'v1' } }] }] } });
  }
  return objects;
}

/** samples/httpbin: httpbin.yaml, httpbin-gateway.yaml. */
function httpbin(): KubernetesObject[] {
  return [
    serviceAccount('httpbin'),
    service('httpbin', [{ name: 'http', port: 8000, targetPort: 8080 }]),
    deployment('httpbin', { app: 'httpbin', version: 'v1' }, [8080], 'docker.io/mccutchen/go-httpbin:v2.15.0'),
    gateway('httpbin-gateway', [http80]),
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('httpbin'), spec: { hosts: ['*'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] } },
  ];
}

/** samples/helloworld: helloworld.yaml, helloworld-gateway.yaml. */
function helloworld(): KubernetesObject[] {
  return [
    service('helloworld', [{ name: 'http', port: 5000 }]),
    deployment('helloworld-v1', { app: 'helloworld', version: 'v1' }, [5000], 'registry.istio.io/release/examples-helloworld-v1:1.0'),
    deployment('helloworld-v2', { app: 'helloworld', version: 'v2' }, [5000], 'registry.istio.io/release/examples-helloworld-v2:1.0'),
    gateway('helloworld-gateway', [http80]),
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('helloworld'), spec: { hosts: ['*'], gateways: ['helloworld-gateway'], http: [{ match: [{ uri: { exact: '/hello' } }], route: [{ destination: { host: 'helloworld', port: { number: 5000 } } }] }] } },
  ];
}

/** samples/ratelimit/rate-limit-service.yaml and bookinfo's policy/productpage_envoy_ratelimit.yaml. */
function ratelimit(): KubernetesObject[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('ratelimit-config'), data: { 'config.yaml': 'domain: productpage-ratelimit\ndescriptors:\n  - key: PATH\n    value: "/productpage"\n    rate_limit:\n      unit: minute\n      requests_per_unit: 1\n  - key: PATH\n    rate_limit:\n      unit: minute\n      requests_per_unit: 100\n' } },
    service('redis', [{ name: 'redis', port: 6379 }]),
    deployment('redis', { app: 'redis' }, [6379], 'redis:alpine'),
    service('ratelimit', [{ name: 'http-port', port: 8080, targetPort: 8080 }, { name: 'grpc-port', port: 8081, targetPort: 8081 }, { name: 'http-debug', port: 6070, targetPort: 6070 }]),
    deployment('ratelimit', { app: 'ratelimit' }, [8080, 8081, 6070], 'docker.io/envoyproxy/ratelimit:master'),
    { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: meta('filter-ratelimit', undefined, 'istio-system'), spec: {
      workloadSelector: { labels: { istio: 'ingressgateway' } },
      configPatches: [
        { applyTo: 'HTTP_FILTER', match: { context: 'GATEWAY', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } } },
          patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.ratelimit', typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit', domain: 'productpage-ratelimit', failure_mode_deny: true, timeout: '10s',
            rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'rate_limit_cluster' } }, transport_api_version: 'V3' } } } } },
        { applyTo: 'CLUSTER', match: { cluster: { service: 'ratelimit.default.svc.cluster.local' } }, patch: { operation: 'ADD', value: {
          name: 'rate_limit_cluster', type: 'STRICT_DNS', connect_timeout: '10s', lb_policy: 'ROUND_ROBIN', http2_protocol_options: {},
          load_assignment: { cluster_name: 'rate_limit_cluster', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'ratelimit.default.svc.cluster.local', port_value: 8081 } } } }] }] } } } },
      ],
    } },
    { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: meta('filter-ratelimit-svc', undefined, 'istio-system'), spec: {
      workloadSelector: { labels: { istio: 'ingressgateway' } },
      configPatches: [{ applyTo: 'VIRTUAL_HOST', match: { context: 'GATEWAY', routeConfiguration: { vhost: { name: '', route: { action: 'ANY' } } } },
        patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }] } } }],
    } },
  ];
}

/** samples/multicluster: expose-services.yaml, expose-istiod.yaml (on the east-west gateway). */
function multicluster(): KubernetesObject[] {
  const eastWest = { istio: 'eastwestgateway' };
  return [
    gateway('cross-network-gateway', [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }], eastWest, 'istio-system'),
    gateway('istiod-gateway', [
      { port: { name: 'tls-istiod', number: 15012, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
      { port: { name: 'tls-istiodwebhook', number: 15017, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
    ], eastWest, 'istio-system'),
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('istiod-vs', undefined, 'istio-system'), spec: { hosts: ['*'], gateways: ['istiod-gateway'], tls: [
      { match: [{ port: 15012, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 15012 } } }] },
      { match: [{ port: 15017, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 443 } } }] },
    ] } },
  ];
}

/** samples/extauthz: ext-authz.yaml (the example authorizer, without a sidecar). */
function extauthz(): KubernetesObject[] {
  return [
    service('ext-authz', [{ name: 'http', port: 8000, targetPort: 8000 }, { name: 'grpc', port: 9000, targetPort: 9000 }]),
    deployment('ext-authz', { app: 'ext-authz' }, [8000, 9000], 'registry.istio.io/testing/ext-authz:latest', { 'sidecar.istio.io/inject': 'false' }),
  ];
}

/**
 * samples/curl with the egress tasks (egress-control with a Sidecar in REGISTRY_ONLY, egress-gateway):
 * edition.cnn.com as a ServiceEntry, reached through the egress gateway (pods `istio: egressgateway`
 * in istio-system, installed with Istio) by one VirtualService bound to the mesh and the gateway.
 */
function egress(): KubernetesObject[] {
  return [
    serviceAccount('curl'),
    service('curl', [{ name: 'http', port: 80 }]),
    deployment('curl', { app: 'curl' }, [], 'curlimages/curl'),
    { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: meta('default'), spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } },
    { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta('cnn'), spec: { hosts: ['edition.cnn.com'], ports: [{ number: 80, name: 'http-port', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' } },
    gateway('istio-egressgateway', [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }], { istio: 'egressgateway' }),
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta('egressgateway-for-cnn'), spec: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subsets: [{ name: 'cnn' }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('direct-cnn-through-egress-gateway'), spec: {
      hosts: ['edition.cnn.com'], gateways: ['istio-egressgateway', 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'cnn', port: { number: 80 } }, weight: 100 }] },
        { match: [{ gateways: ['istio-egressgateway'], port: 80 }], route: [{ destination: { host: 'edition.cnn.com', port: { number: 80 } }, weight: 100 }] },
      ],
    } },
  ];
}

const SAMPLES: Array<[string, () => KubernetesObject[]]> = [['bookinfo', bookinfo], ['httpbin', httpbin], ['helloworld', helloworld], ['ratelimit', ratelimit], ['multicluster', multicluster], ['extauthz', extauthz], ['egress', egress]];

/**
 * Findings the samples deserve, by sample: what istioctl says of them too, or what is true of the
 * manifests (demo containers with no securityContext).
 */
const ROOT = /^PrivilegedOrRootContainer Deployment default\/[a-z0-9-]+: Nothing stops container/;
const DESERVED: Record<string, RegExp[]> = {
  // The gateway route reaches productpage without its mesh VirtualService's subset (istioctl: IngressRouteRulesNotAffected).
  bookinfo: [ROOT, /^IngressRouteRulesNotAffected VirtualService default\/bookinfo: Requests from the gateway to "productpage"/],
  httpbin: [ROOT],
  helloworld: [ROOT],
  // INSERT_BEFORE without a priority (istioctl: EnvoyFilterUsesRelativeOperation, IST0151).
  ratelimit: [ROOT, /^EnvoyFilterUsesRelativeOperation EnvoyFilter istio-system\/filter-ratelimit: INSERT_BEFORE without a priority/],
  multicluster: [],
  extauthz: [ROOT],
  egress: [ROOT],
};
const ALL_DESERVED = [
  ...Object.values(DESERVED).flat(),
  // httpbin-gateway and helloworld-gateway both take "*" on port 80 of the same pods (istioctl: ConflictingGateways, IST0145).
  /^ConflictingGateways Gateway default\/(httpbin|helloworld)-gateway: Port 80 hosts \* on workload selector \{istio=ingressgateway\} conflict/,
];

describe('the analysis over Istio\'s samples, as users apply them', () => {
  it.each(SAMPLES)('%s: no error or warning it does not deserve', async (name, build) => {
    const findings = (await validateAndAnalyze(build())).filter((f) => f.severity !== 'info');
    const undeserved = findings.filter((f) => !(DESERVED[name] ?? []).some((re) => re.test(`${f.check} ${f.object}: ${f.message}`)));
    expect(undeserved.map((f) => `${f.severity} ${f.check} ${f.object} ${f.field}: ${f.message}`)).toEqual([]);
  });

  it('all of them together (one cluster, one default namespace): only the two Gateways that take "*" on port 80 of the same pods besides', async () => {
    const findings = (await validateAndAnalyze(SAMPLES.flatMap(([, build]) => build()))).filter((f) => f.severity !== 'info');
    expect(new Set(findings.filter((f) => f.check === 'ConflictingGateways').map((f) => f.object))).toEqual(new Set(['Gateway default/helloworld-gateway', 'Gateway default/httpbin-gateway']));
    const undeserved = findings.filter((f) => !ALL_DESERVED.some((re) => re.test(`${f.check} ${f.object}: ${f.message}`)));
    expect(undeserved.map((f) => `${f.severity} ${f.check} ${f.object} ${f.field}: ${f.message}`)).toEqual([]);
  });
});
