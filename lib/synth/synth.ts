/**
 * Synthesis of a cdk8s App to manifests, as `App.synth()` does it (construct validations,
 * dependency order, one file per chart named `<chart>.k8s.yaml`), with a faster YAML writer
 * (js-yaml's output, byte for byte, see private/yaml.ts; about three times faster than the `yaml`
 * package cdk8s uses, which dominated synth time at scale) and the charts' and objects' order
 * computed once per synthesis instead of once per chart (private/synth-order.ts). The writers
 * (writeApp, writeGatewayApi, synthesizeChecked) write each object's YAML to a temporary file as it
 * is dumped and rename the files over their targets at the end (private/staged-files.ts): no
 * chart's whole YAML is held, and writeApp renders and lets go of one object at a time. See the
 * README's Performance section.
 */
import * as path from 'node:path';
import { makeDirectories } from '../private/fs';
import { StagedFile, StagedFiles } from '../private/staged-files';
import { ApiObject, App, Chart } from 'cdk8s';
import { GatewayApiOptions, toGatewayApi } from '../gateway-api/convert';
import { KubernetesObject } from '../model/kubernetes-object';
import { Finding } from '../analysis/check';
import { hasErrors, KnownStructure, validateAndAnalyzeKnown, ValidateOptions } from '../analysis/analyze';
import { dumpManifest } from './yaml';
import { chartOrder, FindAllCache, resolveDependencies, topology } from './synth-order';
import { withFastRendering } from './fast-render';
import { checkNamespaces } from './namespaces';

/** The objects of one chart. */
export interface SynthesizedChart {
  /**
   * The chart's file name without extension: its id, prefixed with its position ("0001-") when
   * charts depend on each other, as cdk8s names them, so that files apply in order.
   */
  readonly name: string;
  readonly objects: KubernetesObject[];
}

/** A chart ready to render: its file name and the chart. */
interface PreparedChart {
  readonly name: string;
  readonly chart: Chart;
  /** The first chart's: the ordering's walk of the tree (nothing adds constructs before it renders). */
  readonly walk?: FindAllCache;
}

/**
 * Runs every construct's validations (errors are reported together, in cdk8s's format), puts
 * namespaces before the objects in them, orders the charts by their dependencies, and returns
 * each chart's objects in dependency order.
 */
export function synthesizeApp(app: App): SynthesizedChart[] {
  const charts = prepareApp(app);
  // cdk8s's rendering with its token resolution in one pass (same JSON: see private/fast-render.ts).
  return withFastRendering(() => charts.map((c) => ({ name: c.name, objects: chartToJson(app, c.chart, c.walk) })));
}

/** What {@link synthesizeApp} does before rendering: validations, ordering, the charts' names. */
function prepareApp(app: App): PreparedChart[] {
  const all = app.node.findAll();
  // The package's messages start with the construct path; others (cdk8s's own) get it in front.
  const errors = all.flatMap((c) => c.node.validate().map((e) => (e.startsWith(`${c.node.path}: `) ? e : `[${c.node.path}] ${e}`)));
  if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  // One walk of the tree, as validation left it, for the ordering below and the first chart's
  // rendering (nothing adds constructs before it; each later chart's rendering walks again, as
  // cdk8s's does: rendering may run code).
  const cache = new FindAllCache();
  orderNamespacesFirst(app, cache);
  // Dependencies between objects of different charts order the charts (as cdk8s does).
  let dependsOnChart = false;
  for (const c of all) {
    for (const dep of c.node.dependencies) {
      if (dep instanceof Chart) dependsOnChart = true;
      const from = Chart.of(c);
      const to = Chart.of(dep);
      if (from !== to && !from.node.dependencies.includes(to)) from.node.addDependency(to);
    }
  }
  // `app.charts` and `chart.toJson()` would each build a DependencyGraph (slow at thousands of
  // objects) and re-validate the whole app per chart: the same orders, computed in linear time, and
  // the validation above once (see private/synth-order.ts).
  const charts = chartOrder(app, cache, dependsOnChart);
  const indexed = charts.some((c) => c.node.dependencies.length > 0);
  return charts.map((chart, i) => ({ name: indexed ? `${String(i).padStart(4, '0')}-${chart.node.id}` : chart.node.id, chart, ...(i === 0 ? { walk: cache } : {}) }));
}

/** `chart.toJson()` (cdk8s's `App._synthChart`) without its second validation of the app. */
function chartToJson(app: App, chart: Chart, walk?: FindAllCache): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  renderChart(app, chart, (o) => { objects.push(o); }, walk);
  return objects;
}

/**
 * Renders the objects of `chart` one at a time, in the order of `chart.toJson()`, handing each to
 * `each` (which may write it and let it go). Call it inside {@link withFastRendering}.
 * @param walk the tree's walk to reuse when nothing can have changed it (a new one by default)
 */
function renderChart(app: App, chart: Chart, each: (o: KubernetesObject) => void, walk = new FindAllCache()): void {
  // A chart class of its own rendering may do more: leave it to its toJson.
  if (chart.toJson !== Chart.prototype.toJson) {
    for (const o of chart.toJson() as KubernetesObject[]) each(o);
    return;
  }
  resolveDependencies(app, walk);
  // The order is computed before the first object is rendered, as cdk8s does.
  const objects = topology(chart, walk).filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
  for (const o of objects) each(o.toJson() as KubernetesObject);
}

/**
 * Makes every object depend on the Namespace it lives in (when the same chart defines it), so that
 * namespaces come first and a single `kubectl apply` of the output works. The one ordering rule
 * {@link synthesizeApp} adds to cdk8s's own; idempotent.
 * @param cache the tree walk to reuse (synthesizeApp shares one with its ordering; a new one by default)
 */
export function orderNamespacesFirst(app: App, cache: FindAllCache = new FindAllCache()): void {
  const objects = cache.findAll(app).filter((c): c is ApiObject => c instanceof ApiObject);
  const namespaces = new Map(objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => [o.name, o]));
  if (namespaces.size === 0) return;
  for (const o of objects) {
    const ns = namespaces.get(o.metadata.namespace ?? '');
    if (ns && ns !== o && Chart.of(ns) === Chart.of(o) && !o.node.dependencies.includes(ns)) o.addDependency(ns);
  }
}

/** Renders objects as a multi-document YAML stream. */
export function manifestsToYaml(objects: readonly object[]): string {
  return objects.map(dumpManifest).join('---\n');
}

/** What {@link writeApp} wrote for one chart. */
export interface WrittenChart {
  /** The chart's file name without extension (see {@link SynthesizedChart.name}). */
  readonly name: string;
  /** The file written: `<outdir>/<name>.k8s.yaml`. */
  readonly file: string;
  /** The number of objects in it. */
  readonly objects: number;
}

/**
 * Synthesizes `app` (as {@link synthesizeApp}) and writes `<outdir>/<chart>.k8s.yaml` per chart,
 * each object's YAML written as it is rendered and then let go, so that the app's manifests are
 * never all in memory at once (use {@link synthesizeApp} for the objects). All or nothing: each
 * file is written next to its target and renamed over it once every chart is rendered; a failure
 * leaves the folder's files as they were. Returns each chart's name, file and number of objects.
 */
export function writeApp(app: App, outdir: string): WrittenChart[] {
  const charts = prepareApp(app);
  makeDirectories(outdir);
  return StagedFiles.write((staged) => withFastRendering(() => charts.map(({ name, chart, walk }) => {
    const file = path.join(outdir, `${name}.k8s.yaml`);
    const out = staged.open(file);
    let objects = 0;
    renderChart(app, chart, (o) => { out.write(objects++ === 0 ? dumpManifest(o) : `---\n${dumpManifest(o)}`); }, walk);
    out.close();
    return { name, file, objects };
  })));
}

/** Writes `objects` to `out` as {@link manifestsToYaml} renders them, one object at a time. */
function writeManifests(out: StagedFile, objects: readonly object[]): void {
  for (let i = 0; i < objects.length; i++) out.write(i === 0 ? dumpManifest(objects[i]) : `---\n${dumpManifest(objects[i])}`);
  out.close();
}

/** Stages `<outdir>/<dir>/<chart>.k8s.yaml` for each chart; returns their paths relative to `outdir`. */
function stageCharts(staged: StagedFiles, outdir: string, dir: string, charts: readonly SynthesizedChart[]): string[] {
  return charts.map((chart) => {
    const relative = path.join(dir, `${chart.name}.k8s.yaml`);
    writeManifests(staged.open(path.join(outdir, relative)), chart.objects);
    return relative;
  });
}

/**
 * Writes `<outdir>/<chart>.k8s.yaml` for each of `charts` all or nothing (as
 * {@link writeFilesAtomically}), each object's YAML written as it is dumped rather than held.
 */
export function writeChartsAtomically(outdir: string, charts: readonly SynthesizedChart[]): void {
  StagedFiles.write((staged) => stageCharts(staged, outdir, '.', charts));
}

/** The Gateway API form of an app. */
export interface GatewayApiCharts {
  /** Each chart's objects in the Gateway API form. */
  readonly charts: SynthesizedChart[];
  /** What `omit` let the conversion leave out. */
  readonly omitted: string[];
  /** The Istio-form object each object the conversion made comes from (see `GatewayApiForm.sources`). */
  readonly sources: ReadonlyMap<KubernetesObject, KubernetesObject>;
  /** What an object the conversion made must be applied after (see `GatewayApiForm.after`). */
  readonly after: ReadonlyMap<KubernetesObject, readonly KubernetesObject[]>;
}

/**
 * Synthesizes `app` (as {@link synthesizeApp}) and converts each chart to the Kubernetes Gateway
 * API form: the same edge as Gateway and HTTPRoute objects, or a named error for what that form
 * cannot say. Messages name the construct that defined the object.
 */
export function synthesizeGatewayApi(app: App, options: GatewayApiOptions = {}): GatewayApiCharts {
  return convertToGatewayApi(app, synthesizeApp(app), options);
}

/** Converts the charts {@link synthesizeApp} returned for `app` to the Gateway API form (messages name `app`'s constructs). */
export function convertToGatewayApi(app: App, charts: readonly SynthesizedChart[], options: GatewayApiOptions = {}): GatewayApiCharts {
  const paths = new Map<string, string>();
  for (const o of app.node.findAll()) {
    if (o instanceof ApiObject) paths.set(objectKey(o.apiVersion, o.kind, o.metadata.namespace, o.name), o.node.scope?.node.path ?? o.node.path);
  }
  const omitted: string[] = [];
  const sources = new Map<KubernetesObject, KubernetesObject>();
  const after = new Map<KubernetesObject, readonly KubernetesObject[]>();
  const converted = charts.map((chart) => {
    const form = toGatewayApi(chart.objects, options, (o) => paths.get(objectKey(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata?.name)) ?? `${o.kind} ${o.metadata?.name ?? ''}`);
    omitted.push(...form.omitted);
    for (const [o, source] of form.sources) sources.set(o, source);
    for (const [o, deps] of form.after) after.set(o, deps);
    return { name: chart.name, objects: form.objects };
  });
  return { charts: converted, omitted, sources, after };
}

/** Writes the Gateway API form of `app` to `<outdir>/<chart>.k8s.yaml` (all or nothing, as {@link writeApp}); returns it. */
export function writeGatewayApi(app: App, outdir: string, options: GatewayApiOptions = {}): GatewayApiCharts {
  const form = synthesizeGatewayApi(app, options);
  makeDirectories(outdir);
  writeChartsAtomically(outdir, form.charts);
  return form;
}

function objectKey(apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name ?? ''}`;
}

/** A file to write: its path and its text. */
export interface OutputFile {
  /** The path, relative to the output folder. */
  readonly path: string;
  /** The file's text. */
  readonly content: string;
}

/**
 * The files of synthesized charts under `dir`: `<dir>/<chart>.k8s.yaml`, their whole text in
 * memory (the package's writers do not use it: they write each object as it is dumped).
 */
export function chartFiles(charts: readonly SynthesizedChart[], dir: string): OutputFile[] {
  return charts.map((chart) => ({ path: path.join(dir, `${chart.name}.k8s.yaml`), content: manifestsToYaml(chart.objects) }));
}

/**
 * Writes `files` under `outdir` all or nothing: every file is first written next to its target
 * (`<name>.<pid>.tmp`), then each is renamed over its target; a failure while writing removes the
 * temporary files and leaves the targets as they were. Call it only once validation has passed,
 * so that a failed synth writes nothing.
 */
export function writeFilesAtomically(outdir: string, files: readonly OutputFile[]): void {
  StagedFiles.write((staged) => {
    for (const f of files) staged.add(path.join(outdir, f.path), f.content);
  });
}

/** One app to synthesize into `<outdir>/<name>/`, with the options of its validation. */
export interface SynthTarget {
  /** The folder under the output folder (the environment's name). */
  readonly name: string;
  /** The app. */
  readonly app: App;
  /**
   * Validation and analysis options (production rules, zones).
   * @default - the defaults of validateAndAnalyze
   */
  readonly validation?: ValidateOptions;
  /**
   * More files to write once everything is valid, relative to the output folder; given the target's
   * objects. Called as soon as the target is synthesized, before it is validated, so that slow work
   * (a picture's layout) overlaps the validation: the files are written, and an error it raises is
   * raised, only when no target has an error.
   * @default - none
   */
  readonly extraFiles?: (objects: readonly KubernetesObject[]) => OutputFile[] | Promise<OutputFile[]>;
  /**
   * Synthesize the Kubernetes Gateway API form of the app (see {@link synthesizeGatewayApi}).
   * @default - the Istio form
   */
  readonly gatewayApi?: GatewayApiOptions;
  /**
   * Namespaces that exist in the cluster without the app creating them (for example the Istio
   * control plane's). An object in a namespace the app neither creates (a v1 Namespace, an
   * `AppNamespace`) nor declares as existing (this, `AppNamespace.fromName`, an imported Gateway,
   * Service or gateway workload) is an error: applying it would fail.
   * @default - none beyond Kubernetes' own (default, kube-system, kube-public, kube-node-lease)
   */
  readonly existingNamespaces?: readonly string[];
}

/** What {@link synthesizeChecked} found and did. */
export interface SynthOutcome {
  /** The findings of each target, by name, with the number of objects it synthesized. */
  readonly findings: ReadonlyArray<{ readonly name: string; readonly objects: number; readonly findings: readonly Finding[] }>;
  /** Whether the files were written: false when any target has an error. */
  readonly written: boolean;
  /** The files written (none when `written` is false), relative to the output folder. */
  readonly files: readonly string[];
}

/** `files(objects)` as a promise whose failure is not reported as unhandled until it is awaited. */
function speculatively(files: NonNullable<SynthTarget['extraFiles']>, objects: readonly KubernetesObject[]): Promise<OutputFile[]> {
  const p = (async () => files(objects))();
  p.catch(() => undefined);
  return p;
}

/**
 * Synthesizes every target, validates and analyzes its objects, and writes the manifests (and the
 * extra files) only when no target has an error, all at once ({@link writeFilesAtomically}): a
 * failed synth leaves the output folder as it was. Construct errors, and objects in namespaces
 * nothing creates ({@link checkNamespaces}), throw before anything is written.
 */
export async function synthesizeChecked(outdir: string, targets: readonly SynthTarget[]): Promise<SynthOutcome> {
  const findings: Array<{ name: string; objects: number; findings: Finding[] }> = [];
  const chartsOf = new Map<SynthTarget, SynthesizedChart[]>();
  const extrasOf = new Map<SynthTarget, Promise<OutputFile[]>>();
  // An app in both forms is synthesized once: the Gateway API form converts the Istio form's charts.
  const synthesized = new Map<App, SynthesizedChart[]>();
  const knownByCrds = new Map<ValidateOptions['crds'], KnownStructure>();
  const synthesize = (app: App): SynthesizedChart[] => {
    let charts = synthesized.get(app);
    if (!charts) synthesized.set(app, charts = synthesizeApp(app));
    return charts;
  };
  for (const t of targets) {
    const charts = t.gatewayApi ? convertToGatewayApi(t.app, synthesize(t.app), t.gatewayApi).charts : synthesize(t.app);
    chartsOf.set(t, charts);
    const objects = charts.flatMap((c) => c.objects);
    checkNamespaces(t.app, objects, t.existingNamespaces);
    // Asked for now, so that what they wait for (the picture's layout, in a worker thread) runs
    // while the targets are validated; used, and a failure of theirs raised, only if all are valid.
    if (t.extraFiles) extrasOf.set(t, speculatively(t.extraFiles, objects));
    // The Gateway API form keeps most of the Istio form's objects as they are (the same objects):
    // those are validated structurally once, for the same CRDs.
    let known = knownByCrds.get(t.validation?.crds);
    if (!known) knownByCrds.set(t.validation?.crds, known = new WeakMap());
    findings.push({ name: t.name, objects: objects.length, findings: await validateAndAnalyzeKnown(objects, t.validation, known) });
  }
  if (findings.some((f) => hasErrors(f.findings))) return { findings, written: false, files: [] };
  const extras: OutputFile[] = [];
  for (const t of targets) extras.push(...(await extrasOf.get(t) ?? []));
  // Each object's YAML is written as it is dumped (the objects are held for the validation; their
  // YAML need not be), all files renamed over their targets at the end.
  const files = StagedFiles.write((staged) => {
    const written = targets.flatMap((t) => stageCharts(staged, outdir, t.name, chartsOf.get(t) ?? []));
    for (const f of extras) {
      staged.add(path.join(outdir, f.path), f.content);
      written.push(f.path);
    }
    return written;
  });
  return { findings, written: true, files };
}
