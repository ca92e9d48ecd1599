// A small, correct edge written by hand (gateway workload with gateway injection, Gateway,
// routes, two versions, policies), for the checks' tests: each test breaks it one way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const b64 = (file: string) => readFileSync(join(__dirname, '..', 'fixtures', 'tls', file)).toString('base64');

/** The test certificate and key (test/fixtures/tls), base64 as in a Secret's data. */
export const TLS_DATA = { 'tls.crt': b64('tls.crt'), 'tls.key': b64('tls.key') };

export function edge(): any[] {
  const gwLabels = { app: 'gw', istio: 'ingressgateway', 'sidecar.istio.io/inject': 'true' };
  // Required over zones (survives the loss of one zone: GatewayZoneLoss), as the package's gateways are.
  const spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2, nodeTaintsPolicy: 'Honor', labelSelector: { matchLabels: { app: 'gw' } } }];
  const container = (name: string, image = 'img') => ({ name, image, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } } });
  const deployment = (ns: string, name: string, labels: Record<string, string>, replicas?: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: {
        securityContext: { runAsNonRoot: true },
        containers: [ns === 'istio-ingress' ? container('istio-proxy', 'auto') : container('app')],
        topologySpreadConstraints: ns === 'istio-ingress' ? spread : undefined,
      } },
    },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-ingress', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'block-admin', namespace: 'istio-ingress' },
      spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin/*'], notPorts: ['80'] } }] }] } },
    deployment('istio-ingress', 'gw', gwLabels),
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'gw', namespace: 'istio-ingress' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gw' }, minReplicas: 3, maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'gw', namespace: 'istio-ingress' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'gw' } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'istio-ingress' },
      spec: { type: 'LoadBalancer', selector: { app: 'gw', istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 80 }, { name: 'https', port: 443, targetPort: 443 }] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-tls', namespace: 'istio-ingress' }, type: 'kubernetes.io/tls', data: { ...TLS_DATA } },
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
      spec: { workloadSelector: { labels: { istio: 'ingressgateway' } }, priority: 10, configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: {} } }] } },
  ];
}

/** The object of `kind` and `name` in `objects`. */
export const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

/** Removes the object of `kind` and `name`. */
export const remove = (objs: any[], kind: string, name: string) => { objs.splice(objs.indexOf(find(objs, kind, name)), 1); };
