/** The shape of a check of the analysis, and of what it reports. */
import { KubernetesObject } from '../model/kubernetes-object';
import { ObjectIndex } from '../model/object-index';

/** How bad a finding is: errors fail synth and `analyze`; warnings and infos are printed. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a set of manifests. */
export interface Finding {
  /** The check's stable name. */
  readonly check: string;
  /** The stable code of the message (see docs/analysis-messages.md). */
  readonly code: string;
  /** istioctl's code for a message of the same meaning, when there is one. */
  readonly istioCode?: string;
  readonly severity: Severity;
  /** The object: "Kind namespace/name" ("Kind name" when cluster-scoped). */
  readonly object: string;
  /** The field, as a path ("spec.http[0].route[1].destination.subset"). */
  readonly field: string;
  /** What is wrong, the value, and the fix. */
  readonly message: string;
  /** The object itself (for suppression annotations and file names). */
  readonly source: KubernetesObject;
}

/**
 * How Istio is installed where the manifests go: with Istio's Helm charts (every Istio kind
 * available), or as the AKS Istio add-on (some kinds blocked, EnvoyFilters outside Azure's support).
 */
export type InstallTarget = 'helm' | 'aks-addon';

/** What the checks know of the environment. */
export interface CheckContext {
  /**
   * Where the manifests are applied.
   * @default 'helm'
   */
  readonly target?: InstallTarget;
  /** Production rules apply (HTTPS redirects, authorization on public hosts). */
  readonly production: boolean;
  /**
   * Availability zones the cluster's nodes span (the zone-loss check).
   * @default 3
   */
  readonly zones?: number;
  /**
   * The time certificates are checked at.
   * @default - the current time
   */
  readonly now?: Date;
}

/** Reports a finding; a check may lower or raise its severity for one finding. */
export type Report = (o: KubernetesObject, field: string, message: string, severity?: Severity) => void;

/** A check: its name and codes, its severity, the kinds it reads, what it looks for, and the function that runs it. */
export interface Check {
  /** Stable name (istioctl's message name where the meaning is the same). */
  readonly name: string;
  /** Stable code: `EDGE` and four digits; never reused. */
  readonly code: string;
  /** istioctl's code for the same meaning (`IST0101`, ...), when there is one. */
  readonly istioCode?: string;
  readonly severity: Severity;
  /** The kinds the check reads. */
  readonly kinds: readonly string[];
  /** What the check looks for, one sentence. */
  readonly description: string;
  /** Why it matters and how to fix it (the reference page shows it). */
  readonly details: string;
  /** Runs only with the production rules. */
  readonly productionOnly?: boolean;
  run(index: ObjectIndex, report: Report, context: CheckContext): void;
}
