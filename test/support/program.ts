// The example's Pulumi program (apps/pulumi.ts) run once under the package's mocks for a stack of
// apps/plan.ts's committed config, with overrides: its outputs resolved, every resource settled.
import edgeProgram from '../../apps/pulumi';
import { stackConfig } from '../../apps/plan';
import { EdgeMocks, EdgeMocksOptions, settle, valueOf } from '../../lib/infra/testing';

export async function runExampleProgram(stack: 'dev' | 'prod', options: EdgeMocksOptions = {}, overrides: Record<string, string> = {}) {
  const mocks = new EdgeMocks(options);
  await mocks.install('istio-aks-edge', stack, { ...stackConfig(stack), ...overrides });
  const outputs = await edgeProgram();
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) values[k] = await valueOf(v as never);
  await settle();
  return { mocks, outputs, values };
}
