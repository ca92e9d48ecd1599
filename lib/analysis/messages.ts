/**
 * The message catalogue: every message the analysis can report, with its stable code, its
 * severity, istioctl's code where the meaning is the same, and what it means. The checks declare
 * their own entry; structural validation and the reading of files add theirs here. The reference
 * page docs/analysis-messages.md is generated from it (`npm run docs:messages`).
 */
import { Severity } from './check';
import { CHECKS } from './checks';

/** One message of the catalogue. */
export interface MessageEntry {
  /** Stable code (`EDGE` and four digits). */
  readonly code: string;
  /** Stable name: the `check` of the findings. */
  readonly name: string;
  /** istioctl's code for the same meaning, if any. */
  readonly istioCode?: string;
  readonly severity: Severity;
  /** The kinds it reads. */
  readonly kinds: readonly string[];
  /** What it reports, one sentence. */
  readonly description: string;
  /** Why it matters and how to fix it. */
  readonly details: string;
  /** Only with the production rules. */
  readonly productionOnly?: boolean;
}

/** Objects that do not match their published schema (kubernetes-models, @kubernetes-models/istio). */
export const SCHEMA_INVALID: MessageEntry = {
  code: 'EDGE0002', name: 'SchemaInvalid', istioCode: 'IST0106', severity: 'error', kinds: ['*'],
  description: 'An object that does not match its published schema.',
  details: 'Validated against the published Kubernetes (kubernetes-models) and Istio (@kubernetes-models/istio) schemas; the API server or Istio would reject it. Fix the field the message names.',
};

/** Custom resources that do not match their CRD (OpenAPI schema and CEL rules). */
export const CUSTOM_RESOURCE_INVALID: MessageEntry = {
  code: 'EDGE0003', name: 'CustomResourceInvalid', istioCode: 'IST0106', severity: 'error', kinds: ['*'],
  description: 'A custom resource that breaks its CRD\'s schema or CEL validation rules.',
  details: 'Validated against the CRDs of the pinned Istio release (crds/), or those given with --crds: the API server would reject it. Fix the field the message names.',
};

/** Objects of a kind no schema or CRD known to the analysis describes. */
export const SCHEMA_NOT_FOUND: MessageEntry = {
  code: 'EDGE0005', name: 'SchemaNotFound', severity: 'info', kinds: ['*'],
  description: 'An object of a kind no published schema, vendored CRD or CRD given with --crds describes: it is not validated.',
  details: 'Kinds of other projects (an Argo CD Application, a SPIRE ClusterSPIFFEID, a Gateway API experimental-channel TCPRoute) are valid when their CRD is installed; the analysis cannot check their fields without it. Give the CRD with --crds (or ValidateOptions.crds) to validate them.',
};

/** Documents of an input file that are not Kubernetes objects. */
export const DOCUMENT_INVALID: MessageEntry = {
  code: 'EDGE0004', name: 'DocumentInvalid', severity: 'error', kinds: ['*'],
  description: 'A document of an input file that is not a Kubernetes object (bad YAML or JSON, a scalar, a list, no apiVersion or kind).',
  details: 'Every document of a manifest must be a mapping with apiVersion, kind and metadata.name (or a kind: List of them). The finding names the file and the document\'s index (0-based); kubectl apply would reject it.',
};

/** Every message, by code. */
export const MESSAGES: readonly MessageEntry[] = [
  SCHEMA_INVALID, CUSTOM_RESOURCE_INVALID, DOCUMENT_INVALID, SCHEMA_NOT_FOUND,
  ...CHECKS.map(({ code, name, istioCode, severity, kinds, description, details, productionOnly }) => ({ code, name, istioCode, severity, kinds, description, details, productionOnly })),
].sort((a, b) => a.code.localeCompare(b.code));

/** The catalogue entry of a check or message name. */
export function messageByName(name: string): MessageEntry | undefined {
  return MESSAGES.find((m) => m.name === name);
}

/** The reference page (Markdown) of the catalogue. */
export function renderMessageCatalogue(): string {
  const lines = [
    '# Analysis messages',
    '',
    '<!-- Generated from lib/analysis/messages.ts by `npm run docs:messages`; do not edit by hand. -->',
    '',
    'Every message `analyze` (and the synth) can report. Codes are stable and never reused; where istioctl reports a message of the same meaning, its code is beside ours. Suppress a check on one object with the annotation `suppress.analysis.istio-aks-edge.io/<Name>: "<reason>"`.',
    '',
    '| Code | Name | istioctl | Severity | Reads |',
    '| --- | --- | --- | --- | --- |',
    ...MESSAGES.map((m) => `| ${m.code} | [${m.name}](#${m.code.toLowerCase()}-${m.name.toLowerCase()}) | ${m.istioCode ?? ''} | ${m.severity}${m.productionOnly ? ' (production)' : ''} | ${m.kinds.join(', ')} |`),
    '',
  ];
  for (const m of MESSAGES) {
    lines.push(`## ${m.code} ${m.name}`, '', `${m.description}${m.istioCode ? ` (istioctl: ${m.istioCode}.)` : ''}`, '', m.details, '');
  }
  return lines.join('\n');
}
