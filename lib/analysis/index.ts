// The `istio-aks-edge/analysis` entry point: validation and analysis of any manifests (our output
// or YAML written by hand), without the constructs or cdk8s.
export type { KubernetesObject, ObjectMeta } from '../model/kubernetes-object';
export { analyze, CHECKS, findingsJson, formatFindings, hasErrors, SUPPRESS_ANNOTATION_PREFIX, validateAndAnalyze } from './analyze';
export type { AnalyzeOptions, Check, Finding, InstallTarget, Severity, ValidateOptions } from './analyze';
export { CrdSchemas, ISTIO_CRDS_FILE, istioCrdSchemas } from './schema/crd-schema';
export { ARGO_ROLLOUTS_CRDS_FILE, argoRolloutsCrdSchemas } from './schema/argo-rollouts-crd';
export { checkIstioPromql, promqlReferences, promqlSyntaxErrors } from './promql';
export type { IstioPromqlOptions, PromqlProblem, PromqlReferences } from './promql';
export { validateSchemas } from './schema/schema';
export type { SchemaProblem } from './schema/schema';
export { formatLocation, MAX_ALIAS_EXPANSION, readManifests, UnreadableInputError, YamlAliasLimitError } from '../model/read-manifests';
export type { ManifestLocation, ReadResult, UnreadableDocument } from '../model/read-manifests';
export { documentFindings } from './documents';
export type { DocumentFindings } from './documents';
