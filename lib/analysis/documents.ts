/**
 * Documents the manifest reader could not take as Kubernetes objects, as DocumentInvalid
 * findings: the reader (lib/model) returns them as data and knows nothing of findings.
 */
import { Finding } from './check';
import { DOCUMENT_INVALID } from './messages';
import { KubernetesObject } from '../model/kubernetes-object';
import type { ManifestLocation, UnreadableDocument } from '../model/read-manifests';

/** The findings of unreadable documents, and where each one's document is. */
export interface DocumentFindings {
  /** One DocumentInvalid finding per unreadable document, in reading order. */
  readonly findings: Finding[];
  /** The location of each finding's `source` (a placeholder object standing for the document). */
  readonly locations: Map<KubernetesObject, ManifestLocation>;
}

/**
 * Turns the reader's unreadable documents (`unreadable` of what readManifests returns) into DocumentInvalid
 * findings that name the document ("(document 2 items[1])") and say what is wrong.
 */
export function documentFindings(unreadable: readonly UnreadableDocument[]): DocumentFindings {
  const findings: Finding[] = [];
  const locations = new Map<KubernetesObject, ManifestLocation>();
  for (const { location, message } of unreadable) {
    const source: KubernetesObject = { apiVersion: '', kind: '(document)' };
    findings.push({
      check: DOCUMENT_INVALID.name, code: DOCUMENT_INVALID.code, severity: DOCUMENT_INVALID.severity,
      object: `(document ${location.document}${location.item !== undefined ? ` items[${location.item}]` : ''})`, field: '', message, source,
    });
    locations.set(source, location);
  }
  return { findings, locations };
}
