/** `explain` and the edge picture: the public surface of lib/explain. */
export { DEFAULT_ROOT_NAMESPACES, MESH_DEFAULT_RETRIES, Decision, describeMatch, ExplainedDestination, ExplainedRateLimit, Explanation, ExplainOptions, ExplainRequest, explainRequest } from './explain';
export { AuthzDecision, PolicyVerdict } from './authz';
export { explanationJson, formatExplanation } from './format';
export { checkRequestTable, compareExpectation, ExpectedDestination, formatTableResults, parseRequestTable, RequestCase, RequestCaseResult, RequestExpectation } from './table';
export { buildEdgeGraph, EdgeCluster, EdgeGraph, EdgeGraphOptions, EdgeLink, EdgeNode, EdgeNodeKind, renderSvg, toDot, toMermaid, toMermaidMarkdown, writeEdgePictures } from './graph';
