// The Pulumi program refuses objects in namespaces nothing creates (issue 23 item 6), before any
// resource is declared; the namespaces the program creates itself (istio-system in helm mode) count.
import * as pulumi from '@pulumi/pulumi';
import { ApiObject } from 'cdk8s';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildEdgeApp, edgeChartOf } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { stackConfig } from '../../apps/plan';
import { edgeProgram } from '../../lib/infra/program/edge-program';
import { EdgeMocks, settle } from '../../lib/infra/testing/mocks';

/** The example's dev edge with one more ConfigMap in `namespace`, as a program of its own. */
function program(namespace: string) {
  return edgeProgram(() => {
    const app = buildEdgeApp(environments.dev);
    new ApiObject(edgeChartOf(app), 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace }, data: {} });
    return app;
  }, { environments: ['dev'] });
}

beforeEach(() => { vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve()); });
afterEach(() => { vi.restoreAllMocks(); });

describe('Pulumi program: namespaces', () => {
  it('an object in a namespace nothing creates fails the program before any resource; istio-system (the program\'s own, helm mode) passes', async () => {
    const mocks = new EdgeMocks();
    await mocks.install('istio-aks-edge', 'dev', stackConfig('dev'));
    await expect(program('monitorng')()).rejects.toThrow(/edge\/extra: invalid namespace: received "monitorng"\..*ConfigMap extra \(edge\/extra\)/);
    await settle();
    expect(mocks.resources.filter((r) => r.type.startsWith('azure-native:') || r.type.startsWith('kubernetes:'))).toEqual([]);

    const ok = new EdgeMocks();
    await ok.install('istio-aks-edge', 'dev', stackConfig('dev'));
    await program('istio-system')();
    await settle();
    expect(ok.resources.filter((r) => r.type === 'kubernetes:v1:ConfigMap').map((r) => r.name)).toContain('edge-edge-configmap-istio-system-extra');
  }, 60_000);
});
