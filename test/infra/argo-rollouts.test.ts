// Argo Rollouts under Pulumi's mocks: the controller installed (pinned chart, CRDs first) before
// the Rollouts, and a later `up` in the middle of a rollout leaves alone what the controller writes.
import { beforeAll, describe, expect, it } from 'vitest';
import * as pulumi from '@pulumi/pulumi';
import { environments } from '../../apps/environments';
import { ARGO_HELM_REPOSITORY, ARGO_ROLLOUTS_CHART_VERSION, ARGO_ROLLOUTS_VERSION } from '../../lib/infra/components/argo-rollouts';
import { BUILT_IN_ROLES } from '../../lib/infra/components/role-assignment';
import { PLACEHOLDER_GUID } from '../../lib/infra/program/config';
import { controllerOwnedFields, needsArgoRollouts } from '../../lib/infra/program/controller-owned';
import { EdgeMocks, RecordedResource } from '../../lib/infra/testing';
import { changedPaths, withIgnoredChanges } from '../support/ignore-changes';
import { runExampleProgram } from '../support/program';

const CLIENT_SECRET = 'mock-client-secret';

async function run(stack: 'dev' | 'prod', overrides: Record<string, string> = {}) {
  return (await runExampleProgram(stack, {}, overrides)).mocks;
}

const k8sObject = (mocks: EdgeMocks, kind: string, name: string): RecordedResource =>
  mocks.resources.find((r) => r.type.startsWith('kubernetes:') && r.type.endsWith(`:${kind}`) && r.inputs.metadata?.name === name && r.inputs.metadata?.namespace === 'shop')!;

describe('Argo Rollouts in the Pulumi program', () => {
  // One run of the program with the Rollout, shared (each run costs seconds).
  let mocks: EdgeMocks;
  beforeAll(async () => { mocks = await run('prod', { 'istio-aks-edge:argoRolloutsClientSecret': CLIENT_SECRET }); });

  it('installs the pinned chart (CRDs included) and applies every Rollout and AnalysisTemplate after it', () => {
    const releases = mocks.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart === 'argo-rollouts');
    expect(releases).toHaveLength(1);
    const [release] = releases;
    expect(release.inputs).toMatchObject({
      chart: 'argo-rollouts', version: ARGO_ROLLOUTS_CHART_VERSION, namespace: 'argo-rollouts', createNamespace: true,
      repositoryOpts: { repo: ARGO_HELM_REPOSITORY }, values: { installCRDs: true, keepCRDs: true, controller: { image: { tag: ARGO_ROLLOUTS_VERSION } } },
    });
    expect(release.parent).toBe('istio-aks-edge:argo:ArgoRollouts::edge-argo-rollouts');
    for (const [kind, name] of [['Rollout', 'api'], ['AnalysisTemplate', 'api-success'], ['AnalysisTemplate', 'api-p95'], ['AnalysisTemplate', 'api-gateway']]) {
      expect(k8sObject(mocks, kind, name).dependencies).toContain(release.urn);
    }
    // The Istio objects do not wait for the controller.
    expect(k8sObject(mocks, 'VirtualService', 'shop').dependencies).not.toContain(release.urn);
  });

  it('installs nothing for an app without Rollouts, unless argoRollouts.install says so; the chart repository is a setting', async () => {
    expect(needsArgoRollouts([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop' } }])).toBe(false);
    expect(needsArgoRollouts([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'gate' } }])).toBe(true);
    const forced = await run('dev', { 'istio-aks-edge:argoRollouts': '{"install":true,"chartRepository":"oci://mirror.example.com/argo"}' });
    expect(forced.ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.inputs.chart === 'argo-rollouts').map((r) => r.inputs.repositoryOpts.repo)).toEqual(['oci://mirror.example.com/argo']);
  });

  it('ignores exactly the weights of the routes the Rollout names and its subsets\' pod-template-hash labels', () => {
    expect(k8sObject(mocks, 'VirtualService', 'shop').options.ignoreChanges).toEqual([
      'spec.http[1].route[0].weight', 'spec.http[1].route[1].weight', 'spec.http[3].route[0].weight', 'spec.http[3].route[1].weight',
    ]);
    // The controller's weights are what the example synthesizes for the stable version.
    expect(k8sObject(mocks, 'VirtualService', 'shop').inputs.spec.http[3].route.map((r: { weight: number }) => r.weight)).toEqual([100, 0]);
    expect(k8sObject(mocks, 'DestinationRule', 'api').options.ignoreChanges).toEqual([
      'spec.subsets[0].labels["rollouts-pod-template-hash"]', 'spec.subsets[1].labels["rollouts-pod-template-hash"]',
    ]);
    // Objects no Rollout names stay Pulumi's whole.
    expect(k8sObject(mocks, 'DestinationRule', 'storefront').options.ignoreChanges).toEqual([]);
    expect(k8sObject(mocks, 'Rollout', 'api').options.ignoreChanges).toEqual([]);
  });

  it('a later up mid-rollout: the controller\'s weights and labels produce no change, another route field still does', () => {
    const vs = k8sObject(mocks, 'VirtualService', 'shop');
    const dr = k8sObject(mocks, 'DestinationRule', 'api');
    // The state as the controller left it at a 25% step (read back by a refresh, or the provider's
    // dry-run apply against the live object): its weights, and the hash labels on the subsets.
    type Http = { name: string; route: { weight?: number }[]; timeout?: string };
    const live = structuredClone(vs.inputs) as { spec: { http: Http[] } };
    for (const h of live.spec.http.filter((x) => x.name === 'api' || x.name === 'orders')) [h.route[0].weight, h.route[1].weight] = [75, 25];
    const liveDr = structuredClone(dr.inputs) as { spec: { subsets: { labels: Record<string, string> }[] } };
    liveDr.spec.subsets.forEach((s, i) => { s.labels['rollouts-pod-template-hash'] = ['6c5f7d9b8', '84b6f4d5c7'][i]; });
    // Without ignoreChanges the next up would set 90/10 back (the test can fail).
    expect(changedPaths(live, vs.inputs)).toEqual(['spec.http[1].route[0].weight', 'spec.http[1].route[1].weight', 'spec.http[3].route[0].weight', 'spec.http[3].route[1].weight']);
    expect(changedPaths(live, withIgnoredChanges(live, vs.inputs, vs.options.ignoreChanges))).toEqual([]);
    expect(changedPaths(liveDr, withIgnoredChanges(liveDr, dr.inputs, dr.options.ignoreChanges))).toEqual([]);
    // A route edit in the same up still goes through, and the weights stay the controller's.
    const edited = structuredClone(vs.inputs) as { spec: { http: Http[] } };
    edited.spec.http[3].timeout = '7s';
    const sent = withIgnoredChanges(live, edited, vs.options.ignoreChanges);
    expect(changedPaths(live, sent)).toEqual(['spec.http[3].timeout']);
    expect(sent.spec.http[3].route.map((r) => r.weight)).toEqual([75, 25]);
  });

  it('the gates\' credentials: the Secret the templates read, from the secret config, before the Rollout; the reader\'s role on the workspace', () => {
    const progressive = environments.prod.progressiveApi!;
    const secrets = mocks.ofType('kubernetes:core/v1:Secret').filter((r) => r.parent === 'istio-aks-edge:argo:AnalysisCredentials::edge-analysis');
    expect(secrets.map((r) => [r.inputs.metadata.namespace, r.inputs.metadata.name])).toEqual([['shop', progressive.clientSecretName]]);
    // Sent as a secret (encrypted in the state), never in the clear.
    expect(secrets[0].rawInputs.stringData).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: { 'client-secret': CLIENT_SECRET } });
    expect(secrets[0].dependencies).toContain(mocks.resources.find((r) => r.type === 'kubernetes:v1:Namespace' && r.inputs.metadata.name === 'shop')!.urn);
    for (const [kind, name] of [['Rollout', 'api'], ['AnalysisTemplate', 'api-success']]) expect(k8sObject(mocks, kind, name).dependencies).toContain(secrets[0].urn);
    const [workspace] = mocks.ofType('azure-native:monitor:AzureMonitorWorkspace');
    const reader = mocks.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.name === 'edge-analysis-reader');
    expect(reader.map((r) => [r.inputs.principalId, r.inputs.principalType, r.inputs.scope, r.inputs.roleDefinitionId.split('/').pop()]))
      .toEqual([[PLACEHOLDER_GUID, 'ServicePrincipal', `${workspace.name}-id`, BUILT_IN_ROLES.monitoringDataReader]]);
    // Without the secret config (the committed prod stack) no Secret is written: test/infra/first-up.test.ts's preview sees only the warning.
  });

  it('controllerOwnedFields: a single unnamed route, "name.namespace" references, and unknown objects', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'a' }, spec: { http: [{ route: [{ weight: 100 }, { weight: 0 }] }] } };
    const rollout = (ref: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'b' }, spec: { strategy: { canary: { trafficRouting: { istio: { virtualService: { name: ref } } } } } } });
    expect(controllerOwnedFields([vs, rollout('web.a')])).toEqual([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'a', name: 'web', paths: ['spec.http[0].route[0].weight', 'spec.http[0].route[1].weight'] }]);
    expect(controllerOwnedFields([vs, rollout('web')])).toEqual([]);
  });
});
