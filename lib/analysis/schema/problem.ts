/**
 * What schema validation reports, shared by the published-schema validation (schema.ts) and the
 * CRD validation (crd-schema.ts) without either importing the other (no import cycle).
 */
import { KubernetesObject } from '../../model/kubernetes-object';

/** One object that failed validation. */
export interface SchemaProblem {
  /** "<apiVersion> <kind> <namespace>/<name>". */
  readonly object: string;
  /** What the validator said. */
  readonly message: string;
  /**
   * True when the object was not validated at all: no published schema, own schema or vendored CRD
   * knows its kind (an Argo CD Application, a SPIRE object, a Gateway API experimental-channel route).
   * Not a defect of the object: the API server accepts it when its CRD is installed.
   */
  readonly unvalidated?: boolean;
}

/** Names an object for messages. */
export function describeObject(o: KubernetesObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.apiVersion} ${o.kind} ${ns}${o.metadata?.name ?? '<unnamed>'}`;
}
