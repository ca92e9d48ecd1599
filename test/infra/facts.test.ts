// Issue 23 item 5: the Pulumi program takes what it needs from the constructs (the facts they
// record, lib/deployment-facts.ts) and applies the objects in the order of the constructs'
// dependencies, never by reading the synthesized objects back. The app here has decoys that a
// reader of the synthesized objects would take for the gateway's: a LoadBalancer Service asking for
// another public IP, a ServiceAccount annotated with the gateway identity's client ID, a raw Istio
// Gateway, all synthesized before the gateway's own objects.
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EdgeChart } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { stackConfig } from '../../apps/plan';
import { collectDeploymentFacts } from '../../lib/deployment-facts';
import { edgeProgram, synthesizeEdge } from '../../lib/infra/program/edge-program';
import { EdgeMocks, RecordedResource, settle, valueOf } from '../../lib/infra/testing';

const prod = environments.prod;
const LEGACY_IP = { name: 'pip-legacy', resourceGroup: 'rg-legacy' };

/** The example's prod edge, after a chart of decoys (synthesized first). */
function decoyedApp(): App {
  const app = new App();
  const decoys = new Chart(app, 'decoys', { disableResourceNameHashes: true });
  const ns = new ApiObject(decoys, 'payments-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
  const sa = new ApiObject(decoys, 'payments-sa', {
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'payments', namespace: 'payments', annotations: { 'azure.workload.identity/client-id': prod.keyVault!.clientId } },
  });
  sa.addDependency(ns);
  new ApiObject(decoys, 'legacy-lb', {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'legacy', namespace: 'payments',
      annotations: { 'service.beta.kubernetes.io/azure-pip-name': LEGACY_IP.name, 'service.beta.kubernetes.io/azure-load-balancer-resource-group': LEGACY_IP.resourceGroup },
    },
    spec: { type: 'LoadBalancer', selector: { app: 'legacy' }, ports: [{ port: 80 }] },
  });
  new ApiObject(decoys, 'legacy-gateway', {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'legacy', namespace: 'payments' },
    spec: { selector: { app: 'legacy' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['legacy.example.com'] }] },
  });
  // Construct dependencies the program must follow: one declared by the user, one on a namespace
  // that a chart synthesized later creates.
  const first = new ApiObject(decoys, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: 'payments' } });
  const second = new ApiObject(decoys, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second', namespace: 'payments' } });
  second.addDependency(first);
  new ApiObject(decoys, 'in-shop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'payments-settings', namespace: 'shop' } });
  new EdgeChart(app, 'edge', prod);
  return app;
}

async function run(preview: boolean) {
  const mocks = new EdgeMocks({ preview });
  await mocks.install('istio-aks-edge', 'prod', stackConfig('prod'));
  const outputs = await edgeProgram(() => decoyedApp(), { environments: ['dev', 'prod'] })();
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) values[k] = await valueOf(v as never);
  await settle();
  return { mocks, values };
}

const object = (mocks: EdgeMocks, kind: string, name: string, namespace?: string): RecordedResource => mocks.resources.find((r) => r.type.startsWith('kubernetes:')
  && r.inputs.kind === kind && r.inputs.metadata?.name === name && (namespace === undefined || r.inputs.metadata?.namespace === namespace))!;

describe('the facts the constructs record', () => {
  it('the gateway, its public IP, its Key Vault certificate and the rate-limit service\'s Redis Secret, with the objects they concern', () => {
    const app = decoyedApp();
    const facts = collectDeploymentFacts(app);
    expect(facts.gateways).toEqual([{
      path: 'edge/shop-gateway', gateway: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'istio-ingress', name: 'shop-gateway' },
      hosts: prod.hosts, minReplicas: prod.gatewayAutoscaling?.minReplicas ?? 2,
      deployment: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'istio-ingress', name: 'istio-ingressgateway' },
    }]);
    expect(facts.publicIps).toEqual([{ path: 'edge/shop-gateway', ...prod.publicIp, service: { apiVersion: 'v1', kind: 'Service', namespace: 'istio-ingress', name: 'istio-ingressgateway' } }]);
    expect(facts.keyVaults).toEqual([{
      path: 'edge/shop-gateway', vaultName: prod.keyVault!.vaultName, clientId: prod.keyVault!.clientId, tenantId: prod.keyVault!.tenantId,
      secretProviderClass: { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', namespace: 'istio-ingress', name: `${prod.tlsSecret}-keyvault` },
      serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'istio-ingress', name: 'istio-ingressgateway' },
      readers: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'istio-ingress', name: 'istio-ingressgateway' },
        { apiVersion: 'v1', kind: 'Service', namespace: 'istio-ingress', name: 'istio-ingressgateway' },
      ],
    }]);
    const redis = prod.globalRateLimit.redis;
    expect(facts.redisSecrets).toEqual([{
      path: 'edge/ratelimit', secret: { namespace: 'ratelimit', name: redis.kind === 'azure-managed' ? redis.secretName : '' },
      readers: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ratelimit', name: 'ratelimit' }],
    }]);
  });

  it('hosts added after construction are in the facts (they are computed when collected)', () => {
    const app = decoyedApp();
    const gateway = (app.node.findChild('edge') as EdgeChart).gateway;
    gateway.addHost('late.example.com');
    expect(collectDeploymentFacts(app).gateways[0].hosts).toEqual([...prod.hosts, 'late.example.com']);
    expect(synthesizeEdge(app).hostnames).toEqual([...prod.hosts, 'late.example.com']);
  });

  it('synthesizeEdge: the decoys, synthesized first, are not taken for the gateway\'s', () => {
    const edge = synthesizeEdge(decoyedApp());
    expect(edge.objects.findIndex((o) => o.metadata?.name === 'legacy')).toBeLessThan(edge.objects.findIndex((o) => o.metadata?.name === 'istio-ingressgateway'));
    expect(edge.publicIp).toMatchObject(prod.publicIp!);
    expect(edge.keyVault?.serviceAccount).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'istio-ingress', name: 'istio-ingressgateway' });
    expect(edge.hostnames).toEqual(prod.hosts);
  });
});

describe.each([false, true])('the program under mocks (preview: %s): facts from the constructs, order from their dependencies', (preview) => {
  it('the public IP, the federated service account and the hosts are the gateway construct\'s', async () => {
    const { mocks, values } = await run(preview);
    const ips = mocks.ofType('azure-native:network:PublicIPAddress');
    // (Its resource group is the group the stack creates, unknown in preview.)
    expect(ips.map((r) => r.inputs.publicIpAddressName)).toEqual([prod.publicIp!.name]);
    expect(mocks.ofType('azure-native:resources:ResourceGroup').map((r) => r.inputs.resourceGroupName)).toEqual([prod.publicIp!.resourceGroup]);
    const [federation] = mocks.ofType('azure-native:managedidentity:FederatedIdentityCredential');
    expect(federation.inputs.subject).toBe('system:serviceaccount:istio-ingress:istio-ingressgateway');
    // The decoy keeps its committed annotation; the gateway's service account gets the identity Azure returned.
    expect(object(mocks, 'ServiceAccount', 'payments').rawInputs.metadata).toMatchObject({ annotations: { 'azure.workload.identity/client-id': prod.keyVault!.clientId } });
    expect(object(mocks, 'ServiceAccount', 'istio-ingressgateway').inputs.metadata.annotations['azure.workload.identity/client-id']).not.toBe(prod.keyVault!.clientId);
    expect(values.hostnames).toEqual(prod.hosts);
    // Only the gateway's Service waits for the IP.
    const ip = ips[0].urn;
    expect(object(mocks, 'Service', 'istio-ingressgateway').dependencies).toContain(ip);
    expect(mocks.resources.filter((r) => r.type.startsWith('kubernetes:') && r.dependencies.includes(ip)).map((r) => r.name)).toEqual(['edge-edge-service-istio-ingress-istio-ingressgateway']);
  });

  it('each object after what its construct depends on: a user\'s addDependency, its namespace (even from a later chart), DestinationRules before the VirtualService', async () => {
    const { mocks } = await run(preview);
    const urn = (kind: string, name: string) => object(mocks, kind, name).urn;
    expect(object(mocks, 'ConfigMap', 'second').dependencies).toContain(urn('ConfigMap', 'first'));
    expect(object(mocks, 'ConfigMap', 'first').dependencies).not.toContain(urn('ConfigMap', 'second'));
    expect(object(mocks, 'ServiceAccount', 'payments').dependencies).toContain(urn('Namespace', 'payments'));
    expect(object(mocks, 'ConfigMap', 'payments-settings').dependencies).toContain(urn('Namespace', 'shop'));
    expect(object(mocks, 'VirtualService', 'shop').dependencies).toEqual(expect.arrayContaining([urn('DestinationRule', 'api'), urn('DestinationRule', 'storefront')]));
    // Nothing beyond what the constructs say: the ConfigMap does not wait for the DestinationRules or the gateway.
    expect(object(mocks, 'ConfigMap', 'first').dependencies.filter((d) => d.startsWith('kubernetes:') && !d.startsWith('kubernetes:helm.sh/'))).toEqual([urn('Namespace', 'payments')]);
  });
});
