/**
 * Validation and analysis of a set of manifests, before anything reaches a cluster: every object
 * against its published schema, custom resources against their CRDs (OpenAPI schema and CEL rules),
 * and the cross-object checks of {@link CHECKS}.
 */
import { Check, CHECKS, Finding, Severity } from './checks';
import { CrdSchemas, istioCrdSchemas } from './crd-schema';
import { ObjectIndex, objectRef } from './object-index';
import { KubernetesObject } from '../kubernetes-object';
import { validateSchemas } from './schema';

export { Check, CHECKS, Finding, Severity };

/**
 * The annotation that suppresses a named check on an object; its value is the reason, which is
 * required. Example: `suppress.analysis.istio-aks-edge.io/GatewayWorkloadSingleReplica: "lab cluster"`.
 */
export const SUPPRESS_ANNOTATION_PREFIX = 'suppress.analysis.istio-aks-edge.io/';

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
}

/** Runs the cross-object checks; findings suppressed by an annotation with a reason are dropped. */
export function analyze(objects: readonly KubernetesObject[], options: AnalyzeOptions = {}): Finding[] {
  const index = new ObjectIndex(objects);
  const findings: Finding[] = [];
  for (const check of options.checks ?? CHECKS) {
    check.run(index, (source, field, message, severity) => {
      findings.push({ check: check.name, severity: severity ?? check.severity, object: objectRef(source), field, message, source });
    }, { production: options.production ?? false, zones: options.zones });
  }
  const kept: Finding[] = [];
  for (const f of findings) {
    const annotations = (f.source.metadata as any)?.annotations ?? {};
    const reason = annotations[`${SUPPRESS_ANNOTATION_PREFIX}${f.check}`];
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
   * CRDs to validate custom resources against (schema and CEL rules).
   * @default - the CRDs of the pinned Istio release (crds/)
   */
  readonly crds?: CrdSchemas;
}

/** Structural validation (published schemas, CRDs) and analysis, as one list of findings. */
export async function validateAndAnalyze(objects: readonly KubernetesObject[], options: ValidateOptions = {}): Promise<Finding[]> {
  const byRef = new Map(objects.map((o) => [describe(o), o]));
  const findings: Finding[] = [];
  for (const p of await validateSchemas(objects)) {
    findings.push({ check: 'SchemaInvalid', severity: 'error', object: toRef(p.object, byRef), field: '', message: p.message, source: byRef.get(p.object)! });
  }
  for (const p of (options.crds ?? istioCrdSchemas()).validate(objects)) {
    const [field, ...rest] = p.message.split(': ');
    findings.push({ check: 'CustomResourceInvalid', severity: 'error', object: toRef(p.object, byRef), field: pointerToField(field), message: rest.join(': '), source: byRef.get(p.object)! });
  }
  return [...findings, ...analyze(objects, options)];
}

/** "/spec/http/0/timeout" → "spec.http[0].timeout". */
function pointerToField(pointer: string): string {
  return pointer.split('/').filter(Boolean).reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function describe(o: KubernetesObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

function toRef(description: string, byRef: Map<string, KubernetesObject>): string {
  const o = byRef.get(description);
  return o ? objectRef(o) : description;
}

/** True when any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** A human-readable report: one line per finding, errors first. */
export function formatFindings(findings: readonly Finding[], fileOf?: (o: KubernetesObject) => string | undefined): string {
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...findings]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((f) => {
      const file = fileOf?.(f.source);
      return `${f.severity.toUpperCase().padEnd(7)} ${f.check} ${file ? `${file}: ` : ''}${f.object}${f.field ? ` ${f.field}` : ''}: ${f.message}`;
    })
    .join('\n');
}

/** Findings as plain JSON (without the source objects). */
export function findingsJson(findings: readonly Finding[], fileOf?: (o: KubernetesObject) => string | undefined): object[] {
  return findings.map(({ source, ...f }) => ({ ...f, file: fileOf?.(source) }));
}
