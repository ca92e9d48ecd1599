// The package's public surface, named one by one: the constructs, their option types and
// union-like classes, the synth helpers, and the checks before the cluster. Everything else in
// lib/ (rendering, validation rules, lib/private/) is internal and may change in any release.

// Core object type.
export type { KubernetesObject, ObjectMeta } from './model/kubernetes-object';

// Gateways.
export { IngressGateway } from './ingress-gateway';
export type { GatewayAttributes, IIngressGateway, IngressGatewayProps } from './ingress-gateway';
export { GatewayServer, HttpProtocol, TlsMode, TlsVersion } from './gateway-server';
export type {
  HttpGatewayServerOptions, HttpsGatewayServerOptions, HttpServerOptions, HttpsServerOptions, ServerOptions, ServerTlsOptions,
  TcpGatewayServerOptions, TlsGatewayServerOptions,
} from './gateway-server';
export { AksIngressGateway, GatewayWorkload } from './gateway-workload';
export type {
  AksAddonGatewayOptions, ExistingGatewayWorkloadOptions, GatewayWorkloadSettings, GracefulShutdownOptions, ManagedGatewayWorkloadOptions,
} from './gateway-workload';
export { ExternalTrafficPolicy } from './azure-load-balancer';
export type { AzureLoadBalancerOptions, PublicIpReference } from './azure-load-balancer';
export { Certificate, IssuerKind } from './certificate';
export type { CertManagerCertificateOptions, FileCertificateOptions, KeyVaultCertificateOptions } from './certificate';
export type { DenyRequestsOptions, RequestScope, RequireJwtOptions, SourceIpAllowListOptions } from './gateway-authorization';
export { RateLimit, RateLimitAction } from './rate-limit';
export type { GlobalRateLimitOptions, LocalRateLimitOptions } from './rate-limit';
export { EXTERNAL_RATE_LIMIT_SERVICE_ANNOTATION } from './rate-limit';
export { RateLimitDescriptor, RateLimitUnit } from './rate-limit-descriptor';
export type { DescriptorLimitOptions, RateLimitConfigDescriptor } from './rate-limit-descriptor';
export { RATE_LIMIT_SERVICE_IMAGE, RateLimitRedis, RateLimitService } from './rate-limit-service';
export type { InClusterRedisOptions, RateLimitServiceProps, SecretRedisOptions } from './rate-limit-service';
export type { RateLimitAlertThresholds } from './rate-limit-alerts';

// Services.
export { AppProtocol, ServiceVersion, VersionedService } from './versioned-service';
export type { ServiceAttributes, ServicePortOptions, VersionedServiceProps, VersionOptions } from './versioned-service';
export type { IMeshCaller, IRoutableService, IRouteTarget } from './service-reference';
export { ServiceEntry, ServiceLocation, ServiceProtocol, ServiceResolution } from './service-entry';
export type { ServiceEntryEndpoint, ServiceEntryPort, ServiceEntryProps } from './service-entry';
export { CaptureMode, OutboundTrafficMode, Sidecar } from './sidecar';
export type { SidecarEgressListener, SidecarEgressProxy, SidecarIngressListener, SidecarPort, SidecarProps } from './sidecar';
export { DestinationRule } from './destination-rule';
export type { DestinationRuleProps, DestinationSubset } from './destination-rule';
export { ClientTls, H2UpgradePolicy, HashKey, LoadBalancer } from './destination-policy';
export type {
  ClientTlsOptions, ConnectionPoolOptions, MutualClientTlsOptions, OutlierDetectionOptions, PortTrafficPolicy, TrafficPolicy,
} from './destination-policy';

// Routes.
export { AppRoute, RedirectPort, UnmatchedPreflights } from './app-route';
export type {
  AppRouteOptions, AppRouteProps, CorsOptions, FaultOptions, HeaderOperations, HttpRouteOptions, MirrorOptions, RedirectOptions,
  RetryOptions, RewriteOptions, RouteMatch, TcpRouteMatch, TcpRouteOptions, TlsRouteMatch, TlsRouteOptions,
} from './app-route';
export { RouteRequests } from './route-requests';
export { DEFINED_ELSEWHERE_ANNOTATION } from './contract/defined-elsewhere';
export { HttpMethod, PathMatch, StringMatch } from './match';
export { Traffic } from './route-traffic';
export type { CanaryOptions, WeightedTarget } from './route-traffic';

// Progressive delivery (Argo Rollouts).
export { ProgressiveRollout } from './progressive-rollout';
export type { ProgressiveRolloutProps, RolloutTrafficOptions } from './progressive-rollout';
export { RolloutStep } from './rollout-step';
export type { HeaderRouteOptions, MirrorStepOptions } from './rollout-step';
export { RolloutGate } from './rollout-gate';
export type { GateOptions, GatewayErrorsGateOptions, LatencyGateOptions, SuccessRateGateOptions } from './rollout-gate';
export { PrometheusSource } from './prometheus-source';
export type { AzureManagedPrometheusOptions, PrometheusAddressOptions, SecretKeyOptions } from './prometheus-source';

// Workload options shared by gateways and services.
export { ScalingMetric, ScalingSelectPolicy } from './autoscaling';
export type { AutoscalingOptions, ScalingPolicy, ScalingRules } from './autoscaling';
export { Disruption } from './disruption';
export type { DisruptionOptions } from './disruption';
export { Cpu } from './resources';
export type { ContainerResources } from './resources';
export { SpreadPolicy } from './scheduling';

// Namespaces and monitoring.
export { AppNamespace, MtlsMode, PodSecurityLevel, podSecurityLabels } from './app-namespace';
export type { AppNamespaceProps, IAppNamespace } from './app-namespace';
export { EdgeMonitoring, MetricsBackend } from './edge-monitoring';
export type { EdgeMonitoringProps } from './edge-monitoring';
export { AlertSeverity } from './alerts';
export type { AlertGroup, AlertRule, AlertThresholds } from './alerts';

// Synthesis, in the Istio form and in the Kubernetes Gateway API form; synthAndCheck, the synth entry of any app.
export {
  chartFiles, manifestsToYaml, synthesizeApp, synthesizeChecked, synthesizeGatewayApi, writeApp, writeFilesAtomically, writeGatewayApi,
} from './synth/synth';
export type { GatewayApiCharts, OutputFile, SynthesizedChart, SynthOutcome, SynthTarget, WrittenChart } from './synth/synth';
export { GatewayApiOmission, toGatewayApi } from './gateway-api/convert';
export type { GatewayApiForm, GatewayApiOptions } from './gateway-api/convert';
export { gatewayApiToIstio } from './gateway-api/to-istio';
export { synthAndCheck, SynthCheckError } from './synth/synth-check';
export { formatSynthSummary, runSynth, SYNTH_USAGE } from './synth/synth-command';
export type { RunSynthOptions, SynthSummary } from './synth/synth-command';
export type { SynthAndCheckOptions, SynthAndCheckResult } from './synth/synth-check';
export { MissingNamespaceError } from './synth/namespaces';

// Checks before the cluster.
export { analyze, CHECKS, findingsJson, formatFindings, hasErrors, SUPPRESS_ANNOTATION_PREFIX, validateAndAnalyze } from './analysis/analyze';
export type { AnalyzeOptions, Check, Finding, InstallTarget, Severity, ValidateOptions } from './analysis/analyze';
export { CrdSchemas, ISTIO_CRDS_FILE, istioCrdSchemas } from './analysis/schema/crd-schema';
export { GATEWAY_API_CRDS_FILE, gatewayApiCrdSchemas } from './analysis/schema/gateway-api-crd';
export { ARGO_ROLLOUTS_CRDS_FILE, argoRolloutsCrdSchemas } from './analysis/schema/argo-rollouts-crd';
export { checkIstioPromql, promqlReferences, promqlSyntaxErrors } from './analysis/promql';
export type { IstioPromqlOptions, PromqlProblem, PromqlReferences } from './analysis/promql';
export { validateSchemas } from './analysis/schema/schema';
export { worstCaseAfterZoneLoss, zoneLossRequirement } from './analysis/checks/workload/gateway-zone-loss';
export type { ZoneLossWorstCase } from './analysis/checks/workload/gateway-zone-loss';
export type { SchemaProblem } from './analysis/schema/schema';
export { MESSAGES, messageByName } from './analysis/messages';
export type { MessageEntry } from './analysis/messages';
export { readManifests, UnreadableInputError } from './model/read-manifests';
export type { ManifestLocation, ReadResult, UnreadableDocument } from './model/read-manifests';
export { documentFindings } from './analysis/documents';
export type { DocumentFindings } from './analysis/documents';

// Where a request goes: explain and request tables.
export { checkRequestTable, explainRequest, formatExplanation, formatTableResults, LoadedEdge, parseRequestTable } from './explain';
export type { Explanation, ExplainOptions, ExplainRequest, RequestCase, RequestCaseResult, RequestExpectation } from './explain';
// Which requests get another outcome between two edges.
export { diffEdges, diffSarif, formatDiff, formatDiffMarkdown } from './explain';
export type { DiffCause, DiffChange, DiffClass, DiffObjectChange, DiffOptions, DiffOutcome, EdgeDiff } from './explain';
