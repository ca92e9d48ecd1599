/**
 * The synth helper for any app: writes the manifests as `cdk8s synth` does, then validates them
 * against the published schemas and the pinned Istio CRDs and analyzes them across objects; errors
 * fail it. Use it from a project's own `cdk8s synth` entry.
 */
import * as path from 'node:path';
import { App } from 'cdk8s';
import { formatFindings, hasErrors, validateAndAnalyze } from '../analysis/analyze';
import type { Finding } from '../analysis/analyze';
import { CrdSchemas } from '../analysis/schema/crd-schema';
import { checkNamespaces } from './namespaces';
import { SynthesizedChart, synthesizeApp, writeChartsAtomically } from './synth';

/** Options of {@link synthAndCheck}. */
export interface SynthAndCheckOptions {
  /**
   * Where the chart files go: `<outdir>/<chart>.k8s.yaml`. Give each app its own folder (for
   * example `dist/<environment>`): nothing else in the folder is removed.
   * @default - `$CDK8S_OUTDIR` (set by `cdk8s synth`), else "dist"
   */
  readonly outdir?: string;
  /**
   * Apply the production rules of the analysis (HTTPS redirects, authorization on public hosts).
   * @default false
   */
  readonly production?: boolean;
  /**
   * CRDs to validate custom resources against (schemas and CEL rules).
   * @default - the pinned Istio release's CRDs
   */
  readonly crds?: CrdSchemas;
  /**
   * Namespaces that exist in the cluster without the app creating them (for example the Istio
   * control plane's). An object in a namespace the app neither creates (a v1 Namespace, an
   * `AppNamespace`) nor declares as existing (this, `AppNamespace.fromName`, an imported Gateway,
   * Service or gateway workload) is an error: applying it would fail.
   * @default - none beyond Kubernetes' own (default, kube-system, kube-public, kube-node-lease)
   */
  readonly existingNamespaces?: readonly string[];
  /**
   * Where warnings and errors are printed.
   * @default - standard error
   */
  readonly log?: (message: string) => void;
}

/** What {@link synthAndCheck} wrote and found. */
export interface SynthAndCheckResult {
  /** The charts written. */
  readonly charts: SynthesizedChart[];
  /** Every finding (warnings and infos included). */
  readonly findings: Finding[];
}

/** The error {@link synthAndCheck} throws when the analysis finds errors; the message lists them. */
export class SynthCheckError extends Error {
  /** @param findings every finding of the analysis */
  public constructor(message: string, public readonly findings: readonly Finding[]) {
    super(message);
    this.name = 'SynthCheckError';
  }
}

/**
 * Synthesizes `app` (construct validations included; objects in a namespace nothing creates throw a
 * MissingNamespaceError), validates and analyzes every object, and
 * writes one file per chart only when no finding is an error (all at once: a failed synth leaves
 * the folder as it was); prints the findings and throws a {@link SynthCheckError} on errors, so a
 * `cdk8s synth` entry fails: `synthAndCheck(app).catch((e) => { console.error(e.message); process.exitCode = 1; })`.
 */
export async function synthAndCheck(app: App, options: SynthAndCheckOptions = {}): Promise<SynthAndCheckResult> {
  const outdir = options.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist';
  const log = options.log ?? ((m: string) => console.error(m));
  const charts = synthesizeApp(app);
  checkNamespaces(app, charts.flatMap((c) => c.objects), options.existingNamespaces);
  const findings = await validateAndAnalyze(charts.flatMap((c) => c.objects), { production: options.production, crds: options.crds });
  const where = path.relative(process.cwd(), outdir) || '.';
  if (findings.length) log(`${where}:\n${formatFindings(findings)}`);
  if (hasErrors(findings)) {
    throw new SynthCheckError(`Synth of ${where} found errors (above), so nothing was written: fix them before applying these manifests.`, findings);
  }
  writeChartsAtomically(outdir, charts);
  return { charts, findings };
}
