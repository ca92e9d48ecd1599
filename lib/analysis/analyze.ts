/**
 * Validation and analysis of a set of manifests, before anything reaches a cluster: every object
 * against its published schema, custom resources against their CRDs (OpenAPI schema and CEL rules),
 * and the cross-object checks of {@link CHECKS}.
 */
import { Check, Finding, InstallTarget, Severity } from './check';
import { CHECKS } from './checks';
import { CrdSchemas, istioCrdSchemas } from './schema/crd-schema';
import { gatewayApiCrdSchemas } from './schema/gateway-api-crd';
import { argoRolloutsCrdSchemas } from './schema/argo-rollouts-crd';
import { CUSTOM_RESOURCE_INVALID, MessageEntry, SCHEMA_INVALID, SCHEMA_NOT_FOUND } from './messages';
import { ObjectIndex, objectRef } from '../model/object-index';
import { KubernetesObject } from '../model/kubernetes-object';
import { validateSchemas } from './schema/schema';
import { SUPPRESS_ANNOTATION_PREFIX } from '../contract/keys';

export { Check, CHECKS, Finding, InstallTarget, Severity };

/**
 * The annotation that suppresses a named check on an object; its value is the reason, which is
 * required. Example: `suppress.analysis.istio-aks-edge.io/GatewayWorkloadSingleReplica: "lab cluster"`.
 */
export { SUPPRESS_ANNOTATION_PREFIX };

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * The checks to run.
   * @default CHECKS - all of them
   */
  readonly checks?: readonly Check[];
  /**
   * Apply the production rules (HTTPS redirects, authorization on public hosts).
   * @default false
   */
  readonly production?: boolean;
  /**
   * Availability zones the cluster's nodes span, for the zone-loss check (`GatewayZoneLoss`).
   * @default 3
   */
  readonly zones?: number;
  /**
   * How Istio is installed where the manifests go: 'aks-addon' reports the kinds the AKS Istio
   * add-on blocks (errors) and EnvoyFilters (warnings: outside Azure's support).
   * @default 'helm'
   */
  readonly target?: InstallTarget;
  /**
   * The time certificates are checked at (`GatewayCertificateNotValid`): a fixed time makes the
   * findings of a test or a review reproducible.
   * @default - the current time
   */
  readonly now?: Date;
}

/** A finding of a catalogue message on an object. */
export function findingOf(entry: Pick<MessageEntry, 'name' | 'code' | 'istioCode' | 'severity'>, source: KubernetesObject, field: string, message: string, severity?: Severity): Finding {
  return {
    check: entry.name, code: entry.code, ...(entry.istioCode ? { istioCode: entry.istioCode } : {}), severity: severity ?? entry.severity,
    object: objectRef(source), field, message, source,
  };
}

/** Runs the cross-object checks; findings suppressed by an annotation with a reason are dropped. */
export function analyze(objects: readonly KubernetesObject[], options: AnalyzeOptions = {}): Finding[] {
  const index = new ObjectIndex(objects);
  const findings: Finding[] = [];
  for (const check of options.checks ?? CHECKS) {
    check.run(index, (source, field, message, severity) => {
      findings.push(findingOf(check, source, field, message, severity));
    }, { production: options.production ?? false, zones: options.zones, target: options.target ?? 'helm', now: options.now });
  }
  return suppressed(findings);
}

function suppressed(findings: readonly Finding[]): Finding[] {
  const kept: Finding[] = [];
  for (const f of findings) {
    const annotations = f.source.metadata?.annotations;
    const reason: unknown = annotations && typeof annotations === 'object' ? annotations[`${SUPPRESS_ANNOTATION_PREFIX}${f.check}`] : undefined;
    if (reason === undefined) kept.push(f);
    else if (typeof reason !== 'string' || reason.trim() === '') {
      kept.push({ ...f, message: `${f.message} (The suppression annotation has no reason: write why in its value.)` });
    }
  }
  return kept;
}

/** Options of {@link validateAndAnalyze}. */
export interface ValidateOptions extends AnalyzeOptions {
  /**
   * More CRDs to validate custom resources against (schema and CEL rules): for the kinds they
   * define they take the place of the vendored ones, and objects of other projects' kinds (an Argo
   * CD Application, a Gateway API experimental route) are validated instead of reported as
   * `SchemaNotFound`.
   * @default - only the CRDs of the pinned Istio release, of the Gateway API v1.5.1 standard channel and of Argo Rollouts v1.9.1 (crds/)
   */
  readonly crds?: CrdSchemas;
}

/** Structural validation (published schemas, CRDs) and analysis, as one list of findings. */
export async function validateAndAnalyze(objects: readonly KubernetesObject[], options: ValidateOptions = {}): Promise<Finding[]> {
  return validateAndAnalyzeKnown(objects, options);
}

/**
 * The structural findings (published schema, CRDs) of objects validated before, by object, for
 * {@link validateAndAnalyzeKnown}: valid only for the same CRDs (`ValidateOptions.crds`) and for
 * objects nothing changed since.
 */
export type KnownStructure = WeakMap<KubernetesObject, StructuralFindings>;

/** An object's structural findings: against its published schema, and against a CRD (with the rank of the CRD set). */
interface StructuralFindings {
  readonly schema: readonly Finding[];
  readonly crd: ReadonlyArray<{ readonly set: number; readonly finding: Finding }>;
}

/**
 * {@link validateAndAnalyze}, validating structurally only the objects `known` does not hold, and
 * recording theirs in it; the cross-object checks run on all. For a caller that validates objects
 * again unchanged (synthesizeChecked: the Gateway API form keeps most of the Istio form's objects
 * as they are). The findings and their order are validateAndAnalyze's.
 */
export async function validateAndAnalyzeKnown(objects: readonly KubernetesObject[], options: ValidateOptions = {}, known?: KnownStructure): Promise<Finding[]> {
  // Problems name their object by reference: with two objects of one reference in the list, which
  // one a problem is about is not known, and nothing is taken from or put in `known`.
  const refs = new Set(known ? objects.map(describe) : []);
  const memo = known && refs.size === objects.length ? known : undefined;
  const fresh = memo ? objects.filter((o) => !memo.has(o)) : objects;
  const found = await structuralFindings(fresh, options, memo !== undefined);
  if (!memo) return [...suppressed(found.all), ...analyze(objects, options)];
  for (const o of fresh) memo.set(o, found.byObject.get(o) ?? NO_FINDINGS);
  // Each object's problems come in the order of the objects (the schema's, then each CRD set's in
  // turn): schema findings by object, then CRD findings by set, then by object, as validated together.
  const of = (o: KubernetesObject) => memo.get(o) ?? NO_FINDINGS;
  const crd = objects.flatMap((o) => of(o).crd).sort((a, b) => a.set - b.set).map((c) => c.finding);
  return [...suppressed([...objects.flatMap((o) => of(o).schema), ...crd]), ...analyze(objects, options)];
}

const NO_FINDINGS: StructuralFindings = { schema: [], crd: [] };

/**
 * The structural findings of the objects: all in the order validateAndAnalyze gives them, and, when
 * asked for, by object (those that have some).
 */
async function structuralFindings(objects: readonly KubernetesObject[], options: ValidateOptions, byObjectToo: boolean): Promise<{ all: Finding[]; byObject: Map<KubernetesObject, StructuralFindings> }> {
  const given = options.crds;
  const schemaProblems = await validateSchemas(objects, { validatedElsewhere: (v, k) => given?.defines(v, k) ?? false });
  // The CRDs given take the place of the vendored ones for the kinds they define.
  const vendored = objects.filter((o) => !given?.defines(o.apiVersion, o.kind));
  const crdProblems = [given?.validate(objects) ?? [], istioCrdSchemas().validate(vendored), gatewayApiCrdSchemas().validate(vendored),
    // Argo Rollouts' CRDs are read only when there are Argo Rollouts objects (most apps have none).
    vendored.some((o) => o.apiVersion?.startsWith('argoproj.io/')) ? argoRolloutsCrdSchemas().validate(vendored) : []];
  // Problems name their object: the map back to the objects holds only the names problems give (a
  // map of every object's name held about 80 MiB through the checks on a 200 MB input); the last
  // object of a name wins, as before.
  const named = new Set([...schemaProblems, ...crdProblems.flat()].map((p) => p.object));
  const byRef = new Map<string, KubernetesObject>();
  if (named.size) {
    for (const o of objects) {
      const ref = describe(o);
      if (named.has(ref)) byRef.set(ref, o);
    }
  }
  const all: Finding[] = [];
  const byObject = new Map<KubernetesObject, { schema: Finding[]; crd: Array<{ set: number; finding: Finding }> }>();
  const entry = (o: KubernetesObject) => {
    let e = byObject.get(o);
    if (!e) byObject.set(o, e = { schema: [], crd: [] });
    return e;
  };
  for (const p of schemaProblems) {
    const source = byRef.get(p.object);
    if (!source) continue;
    const finding = findingOf(p.unvalidated ? SCHEMA_NOT_FOUND : SCHEMA_INVALID, source, '', p.message);
    all.push(finding);
    if (byObjectToo) entry(source).schema.push(finding);
  }
  crdProblems.forEach((problems, set) => {
    for (const p of problems) {
      const [field, ...rest] = p.message.split(': ');
      const source = byRef.get(p.object);
      if (!source) continue;
      const finding = findingOf(CUSTOM_RESOURCE_INVALID, source, pointerToField(field), rest.join(': '));
      all.push(finding);
      if (byObjectToo) entry(source).crd.push({ set, finding });
    }
  });
  return { all, byObject };
}

/** "/spec/http/0/timeout" → "spec.http[0].timeout". */
function pointerToField(pointer: string): string {
  return pointer.split('/').filter(Boolean).reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function describe(o: KubernetesObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

/** True when any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Where an object came from: its file and the index of its document there. */
export interface ObjectLocation {
  readonly file: string;
  /** 0-based index of the document in the file (of the item, for a kind: List). */
  readonly document: number;
}

/** A human-readable report: one line per finding, errors first. */
export function formatFindings(findings: readonly Finding[], locate?: (o: KubernetesObject) => ObjectLocation | string | undefined): string {
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...findings]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((f) => {
      const where = locate?.(f.source);
      const file = typeof where === 'string' ? where : where ? `${where.file}#${where.document}` : undefined;
      return `${f.severity.toUpperCase().padEnd(7)} ${f.check} ${file ? `${file}: ` : ''}${f.object}${f.field ? ` ${f.field}` : ''}: ${f.message} [${f.code}${f.istioCode ? ` ${f.istioCode}` : ''}]`;
    })
    .join('\n');
}

/** Findings as plain JSON (without the source objects). */
export function findingsJson(findings: readonly Finding[], locate?: (o: KubernetesObject) => ObjectLocation | string | undefined): object[] {
  return findings.map(({ source, ...f }) => {
    const where = locate?.(source);
    return typeof where === 'string' ? { ...f, file: where } : where ? { ...f, file: where.file, document: where.document } : f;
  });
}
