import { App, Chart, Testing } from 'cdk8s';
import { expect } from 'vitest';
import { argoRolloutsCrdSchemas, istioCrdSchemas, KubernetesObject, synthesizeApp, validateSchemas } from '../../lib';

/** A fresh app and chart (no resource-name hashes, as the package's names are explicit). */
export function newChart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', { namespace, disableResourceNameHashes: true });
}

/**
 * Synthesizes the app the chart belongs to the way `cdk8s synth` does (construct validations
 * included) and returns the chart's objects.
 */
export function synth(chart: Chart): KubernetesObject[] {
  return synthesizeApp(chart.node.root as App).find((c) => c.name.endsWith(chart.node.id))!.objects;
}

/**
 * Checks every object against the published Kubernetes and Istio schemas (npm validators), the
 * Istio kinds against the schemas of the pinned release's CRDs (Istio 1.30.3), and the Argo
 * Rollouts kinds against the vendored Argo Rollouts v1.9.1 CRDs.
 */
export async function expectValid(objects: KubernetesObject[]): Promise<void> {
  expect(await validateSchemas(objects)).toEqual([]);
  expect(istioCrdSchemas().validate(objects)).toEqual([]);
  if (objects.some((o) => o.apiVersion.startsWith('argoproj.io/'))) expect(argoRolloutsCrdSchemas().validate(objects)).toEqual([]);
}

/** Synthesizes and validates (see {@link expectValid}). */
export async function synthValid(chart: Chart): Promise<KubernetesObject[]> {
  const objects = synth(chart);
  await expectValid(objects);
  return objects;
}

/** The one object of `kind` (and `name`, when given); fails when there is not exactly one. */
export function find(objects: KubernetesObject[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  expect(found.map((o) => `${o.kind}/${o.metadata?.name}`), `exactly one ${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0];
}

/** All objects of `kind`. */
export function all(objects: KubernetesObject[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/**
 * Expects `fn` to throw the package's error shape: the construct path, the property, the value
 * received, and a fix (checked by a fragment of it).
 */
export function expectProblem(fn: () => unknown, path: string, property: string, value: string, fix: RegExp): void {
  let message: string | undefined;
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message, 'an error was thrown').toBeDefined();
  expect(message).toContain(`${path}: invalid ${property}: received ${value}.`);
  expect(message).toMatch(fix);
}
