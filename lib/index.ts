// The package's public surface, named one by one: the constructs, their option types and
// union-like classes, the synth helpers, and the checks before the cluster. Everything else in
// lib/ (rendering, validation rules, lib/private/) is internal and may change in any release.

// Core object type.
export type { KubernetesObject, ObjectMeta } from './kubernetes-object';

// Gateways.
export { IngressGateway } from './ingress-gateway';
export type { GatewayAttributes, IIngressGateway, IngressGatewayProps } from './ingress-gateway';
export { TlsMode, TlsVersion } from './gateway-server';
export type { HttpServerOptions, HttpsServerOptions } from './gateway-server';
export { AksIngressGateway, GatewayWorkload } from './gateway-workload';
export type {
  AksAddonGatewayOptions, ExistingGatewayWorkloadOptions, GatewayWorkloadSettings, GracefulShutdownOptions, ManagedGatewayWorkloadOptions,
} from './gateway-workload';
export { ExternalTrafficPolicy } from './azure-load-balancer';
export type { AzureLoadBalancerOptions, PublicIpReference } from './azure-load-balancer';
export { Certificate, IssuerKind } from './certificate';
export type { CertManagerCertificateOptions, KeyVaultCertificateOptions } from './certificate';
export type { DenyRequestsOptions, RequestScope, RequireJwtOptions, SourceIpAllowListOptions } from './gateway-authorization';
export { RateLimit, RateLimitAction } from './rate-limit';
export type { GlobalRateLimitOptions, LocalRateLimitOptions } from './rate-limit';

// Services.
export { AppProtocol, ServiceVersion, VersionedService } from './versioned-service';
export type { ServiceAttributes, ServicePortOptions, VersionedServiceProps, VersionOptions } from './versioned-service';
export type { IMeshCaller, IRoutableService, IRouteTarget } from './service-reference';
export { ClientTls, HashKey, LoadBalancer } from './destination-policy';
export type { ConnectionPoolOptions, OutlierDetectionOptions, TrafficPolicy } from './destination-policy';

// Routes.
export { AppRoute } from './app-route';
export type {
  AppRouteOptions, AppRouteProps, CorsOptions, FaultOptions, HeaderOperations, HttpRouteOptions, MirrorOptions, RedirectOptions,
  RetryOptions, RewriteOptions, RouteMatch,
} from './app-route';
export { HttpMethod, PathMatch, StringMatch } from './match';
export { Traffic } from './route-traffic';
export type { CanaryOptions, WeightedTarget } from './route-traffic';

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
export type { AppNamespaceProps } from './app-namespace';
export { EdgeMonitoring, MetricsBackend } from './edge-monitoring';
export type { EdgeMonitoringProps } from './edge-monitoring';
export { AlertSeverity } from './alerts';
export type { AlertGroup, AlertRule, AlertThresholds } from './alerts';

// Synthesis.
export { manifestsToYaml, synthesizeApp, writeApp } from './synth';
export type { SynthesizedChart } from './synth';
export { synthAndCheck, SynthCheckError } from './synth-check';
export type { SynthAndCheckOptions, SynthAndCheckResult } from './synth-check';

// Checks before the cluster.
export { analyze, CHECKS, findingsJson, formatFindings, hasErrors, SUPPRESS_ANNOTATION_PREFIX, validateAndAnalyze } from './analysis/analyze';
export type { AnalyzeOptions, Check, Finding, Severity, ValidateOptions } from './analysis/analyze';
export { CrdSchemas, ISTIO_CRDS_FILE, istioCrdSchemas } from './analysis/crd-schema';
export { validateSchemas } from './analysis/schema';
export type { SchemaProblem } from './analysis/schema';
