// The breakages the escape hatch (ApiObject.of(x).addJsonPatch) lets through the constructs: the
// synth pipeline's analysis (validateAndAnalyze, as apps/main.ts runs it) now reports each one.
import { ApiObject, App, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildEdgeApp } from '../../apps/edge';
import { environments } from '../../apps/environments';
import { synthesizeApp, validateAndAnalyze } from '../../lib';

/** The one ApiObject of the app with that kind whose name matches. */
function apiObject(app: App, kind: string, name: RegExp): ApiObject {
  const found = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === kind && name.test(c.name));
  expect(found.map((o) => o.name), `${kind} ${name}`).toHaveLength(1);
  return found[0];
}

async function findingsAfter(patch: (app: App) => void): Promise<string[]> {
  const app = buildEdgeApp(environments.prod);
  patch(app);
  const objects = synthesizeApp(app).flatMap((c) => c.objects);
  return (await validateAndAnalyze(objects, { production: true })).map((f) => `${f.check} ${f.object}`);
}

describe('escape-hatch breakages are found at synth', () => {
  it('the example is clean without them', async () => {
    expect(await findingsAfter(() => undefined)).toEqual([]);
  });

  it('a gateway Service whose selector selects no pod', async () => {
    expect(await findingsAfter((app) => apiObject(app, 'Service', /ingressgateway/).addJsonPatch(JsonPatch.add('/spec/selector/istio', 'typo'))))
      .toContainEqual(expect.stringMatching(/^ServiceSelectsNoPod Service [a-z-]+\/[a-z-]*ingressgateway/));
  });

  it('a PodDisruptionBudget that selects no pod', async () => {
    expect(await findingsAfter((app) => apiObject(app, 'PodDisruptionBudget', /ingressgateway/).addJsonPatch(JsonPatch.replace('/spec/selector', { matchLabels: { app: 'nothing' } }))))
      .toContainEqual(expect.stringMatching(/^PodDisruptionBudgetSelectsNoPod PodDisruptionBudget /));
  });

  it('a Service targetPort no container exposes (the containers moved to another port)', async () => {
    expect(await findingsAfter((app) => {
      // prod's api pods are a Rollout's.
      apiObject(app, 'Rollout', /^api$/).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports', [{ name: 'http', containerPort: 9090 }]));
    })).toContainEqual(expect.stringMatching(/^ServiceTargetPortNotExposed Service [a-z-]+\/api$/));
  });

  it('an autoscaler whose target does not exist', async () => {
    expect(await findingsAfter((app) => apiObject(app, 'HorizontalPodAutoscaler', /ingressgateway/).addJsonPatch(JsonPatch.replace('/spec/scaleTargetRef/name', 'gone'))))
      .toContainEqual(expect.stringMatching(/^HorizontalPodAutoscalerTargetNotFound HorizontalPodAutoscaler /));
  });
});
