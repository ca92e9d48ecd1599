// The Pulumi program deploying the Kubernetes Gateway API form (stack setting gatewayApi: true),
// under Pulumi's mocks: the Gateway API CRDs before istiod, the form's objects in a safe order.
import { describe, expect, it } from 'vitest';
import edgeProgram from '../../apps/pulumi';
import { stackConfig } from '../../apps/plan';
import { EdgeMocks, settle, valueOf } from '../../lib/infra/testing';

async function run(stack: string, overrides: Record<string, string> = {}) {
  const mocks = new EdgeMocks();
  await mocks.install('istio-aks-edge', stack, { ...stackConfig(stack), ...overrides });
  const outputs = await edgeProgram();
  for (const v of Object.values(outputs)) await valueOf(v as never);
  await settle();
  return mocks;
}

describe('Pulumi program with gatewayApi: true', () => {
  it('installs the vendored Gateway API CRDs before istiod and applies Gateways and HTTPRoutes, not Istio Gateways and VirtualServices', async () => {
    const mocks = await run('prod', { 'istio-aks-edge:gatewayApi': 'true' });
    const [crds] = mocks.ofType('kubernetes:yaml/v2:ConfigFile');
    expect(String(crds.inputs.file)).toMatch(/crds[\\/]gateway-api-v1\.5\.1-standard-install\.yaml$/);
    const istiod = mocks.resources.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === 'istiod');
    expect(istiod?.dependencies ?? []).toContain(crds.urn);
    const kinds = mocks.resources.filter((r) => r.type.startsWith('kubernetes:') && typeof r.inputs.kind === 'string').map((r) => `${String(r.inputs.apiVersion)} ${String(r.inputs.kind)}`);
    expect(kinds).toContain('gateway.networking.k8s.io/v1 Gateway');
    expect(kinds).toContain('gateway.networking.k8s.io/v1 HTTPRoute');
    expect(kinds).not.toContain('networking.istio.io/v1 VirtualService');
    expect(kinds).not.toContain('networking.istio.io/v1 Gateway');
  });

  it('applies the form in the order the conversion and the constructs declare: a Gateway after its parameters, routes after their version Services and DestinationRules', async () => {
    const mocks = await run('prod', { 'istio-aks-edge:gatewayApi': 'true' });
    const edge = mocks.resources.filter((r) => r.type.startsWith('kubernetes:') && typeof r.inputs.kind === 'string');
    const find = (kind: string, name: string) => edge.find((r) => r.inputs.kind === kind && r.inputs.metadata?.name === name)!;
    const gateway = edge.find((r) => r.inputs.apiVersion === 'gateway.networking.k8s.io/v1' && r.inputs.kind === 'Gateway')!;
    const parameters = gateway.inputs.spec.infrastructure.parametersRef.name;
    expect(gateway.dependencies).toContain(find('ConfigMap', parameters).urn);
    const versionServices = edge.filter((r) => r.inputs.kind === 'Service' && /-v[0-9]+$/.test(r.inputs.metadata.name));
    expect(versionServices.length).toBeGreaterThan(0);
    // The HTTPRoutes converted from the VirtualService: after what it depended on (its DestinationRules) and what the conversion added.
    const routes = edge.filter((r) => r.inputs.kind === 'HTTPRoute' && r.inputs.spec.rules.some((rule: any) => (rule.backendRefs ?? []).length > 0));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.dependencies, route.name).toEqual(expect.arrayContaining([find('DestinationRule', 'api').urn, find('DestinationRule', 'storefront').urn, ...versionServices.map((v) => v.urn)]));
      expect(route.dependencies, route.name).toContain(find('Namespace', route.inputs.metadata.namespace).urn);
    }
  });

  it('is off by default: no Gateway API CRDs, the Istio form', async () => {
    const mocks = await run('dev');
    expect(mocks.ofType('kubernetes:yaml/v2:ConfigFile')).toEqual([]);
  });
});
