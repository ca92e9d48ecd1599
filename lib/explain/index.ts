// The `istio-aks-edge/explain` entry point: where a request goes through an edge's manifests (either
// form), request tables, and the edge picture; no cdk8s, no Pulumi.
export { DEFAULT_ROOT_NAMESPACES, MESH_DEFAULT_RETRIES, Decision, describeMatch, routeId, ExplainedDestination, ExplainedRateLimit, Explanation, ExplainOptions, ExplainRequest } from './explain';
export { checkRequestTable, EdgeForm, explainRequest, LoadedEdge } from './edge';
export { ManagedRouteSummary, rolloutAtStep, RolloutStepError, RolloutStepObjects, RolloutStepProblem, RolloutStepSummary } from './rollout';
export { AuthzDecision, PolicyVerdict } from './authz';
export { DescriptorEntry, ExplainedDescriptor, RateLimitValue } from './rate-limits';
export { explanationJson, formatExplanation } from './format';
export { compareExpectation, ExpectedPods, ExpectedDestination, formatTableResults, parseRequestTable, RequestCase, RequestCaseResult, RequestExpectation } from './table';
export { buildEdgeGraph, EdgeCluster, EdgeGraph, EdgeGraphOptions, EdgeLink, EdgeNode, EdgeNodeKind, renderSvg, toDot, toMermaid, toMermaidMarkdown, writeEdgePictures } from './graph';
export { CoverageCount, CoverageFormatOptions, CoverageItem, CoverageKind, CoverageReport, CoverageRow, formatCoverage } from './coverage';
export { DIFF_ASPECTS, DiffAspect, DiffCause, DiffChange, DiffClass, DiffObjectChange, DiffObjectRef, DiffOptions, DiffOutcome, diffEdges, EDGE_DIFF_SCHEMA_VERSION, EdgeDiff } from './diff/diff';
export { DIFF_SARIF_RULES, diffSarif, formatDiff, formatDiffMarkdown } from './diff/format';
