/**
 * The core object type: one Kubernetes manifest as synthesized or read from YAML. The constructs
 * produce it, the analysis, validation and explain read it; neither imports the other's internals.
 */

/** The metadata fields the package reads or writes. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A manifest: apiVersion, kind, metadata and the rest. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
  readonly [key: string]: unknown;
}
