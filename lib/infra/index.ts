// `istio-aks-edge/pulumi`: the Pulumi side, each export by name. Kept apart from lib/index.ts so
// that synthesizing with cdk8s never loads Pulumi. The mocks for testing a program are in
// `istio-aks-edge/pulumi/testing` (lib/infra/testing/index.ts), not here.

// The program: edgeProgram and what it reads from the app.
export { edgeProgram, synthesizeEdge } from './program/edge-program';
export type { EdgeDefinition, EdgeDefinitionResult, EdgeFacts, EdgeManagedRedis, EdgeProgramOptions, EdgeProgramOutputs, SynthesizedEdge } from './program/edge-program';
export { collectDeploymentFacts } from '../deployment-facts';
export type { DeploymentFacts, GatewayFact, KeyVaultFact, ObjectReference, PublicIpFact, RedisSecretFact } from '../deployment-facts';
export { applyDependencies } from '../synth/apply-order';
export type { ConvertedForm } from '../synth/apply-order';

// The stack's configuration.
export { aksOwnsKubernetesVersion, CONFIG_KEYS, CONFIG_NAMESPACE, ConfigError, IstioMode, parseStackConfig, PINNED_ISTIO_VERSION, PLACEHOLDER_CIDRS, PLACEHOLDER_GUID, placeholdersIn, revisionVersion, workloadRevision } from './program/config';
export type {
  EntraIdConfig, EnvironmentFacts, IstioConfig, KeyVaultConfig, MaintenanceConfig, MaintenanceWindowConfig, MonitoringConfig, PoolConfig, SecurityConfig, StackConfig,
} from './program/config';
export { changesAzureRefuses, clusterInputs, compareToRunning, deployedFacts, istioStep, istioStepProblems, refuseChangesAzureRefuses, refusePlaceholders, runAdmins } from './program/previous-deployment';
export type { ClusterInputs, DeployedFacts, IstioStep, PreviousDeployment, RunningCluster } from './program/previous-deployment';
export {
  AKS_ISTIO_ADDON_REVISIONS, AZURE_REGIONS, closest, DEFAULT_ISTIO_CHART_REPOSITORY, DEFAULT_ISTIO_HUB, LTS_KUBERNETES_MINORS, SUPPORTED_ISTIO_MINORS, SUPPORTED_KUBERNETES_MINORS,
} from './program/support-window';
export { deterministicGuid, KEY_VAULT_NAME, keyVaultName, userPoolAksName } from './program/names';
export { ARGO_HELM_REPOSITORY } from './program/config';
export type { ArgoRolloutsConfig } from './program/config';
export { controllerOwnedFields, needsArgoRollouts, POD_TEMPLATE_HASH_LABEL } from './program/controller-owned';
export type { ControllerOwnedFields } from './program/controller-owned';
export { analysisClientSecrets } from './program/analysis-credentials';
export type { AnalysisClientSecret } from './program/analysis-credentials';

// The components.
export { EdgeStack } from './components/edge-stack';
export type { EdgeStackArgs } from './components/edge-stack';
export { AKS_SERVER_APP_ID, AksCluster, kubeloginAzureCli, tokenKubeconfig } from './components/aks-cluster';
export type { AksClusterArgs } from './components/aks-cluster';
export { IngressPublicIp, NETWORK_CONTRIBUTOR_ROLE_ID } from './components/ingress-public-ip';
export type { IngressPublicIpArgs } from './components/ingress-public-ip';
export { GATEWAY_API_CRDS, ISTIO_HELM_REPOSITORY, IstioControlPlane } from './components/istio-control-plane';
export type { IstioControlPlaneArgs } from './components/istio-control-plane';
export { EdgeDeployment, objectResourceName } from './components/edge-deployment';
export type { EdgeDeploymentArgs, ObjectWait } from './components/edge-deployment';
export { bindKeyVault, SKIP_AWAIT_ANNOTATION, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from './components/identity-binding';
export type { BoundObject, KeyVaultBinding } from './components/identity-binding';
export { GatewayKeyVault, KEY_VAULT_SECRETS_USER_ROLE_ID } from './components/gateway-key-vault';
export type { GatewayKeyVaultArgs } from './components/gateway-key-vault';
export { ManagedRedis } from './components/managed-redis';
export { ARGO_ROLLOUTS_CHART_VERSION, ARGO_ROLLOUTS_NAMESPACE, ARGO_ROLLOUTS_VERSION, ArgoRollouts } from './components/argo-rollouts';
export type { ArgoRolloutsArgs } from './components/argo-rollouts';
export { AnalysisCredentials } from './components/analysis-credentials';
export type { AnalysisCredentialsArgs } from './components/analysis-credentials';
export type { ManagedRedisArgs, RedisPrivateEndpointArgs } from './components/managed-redis';
export { AKS_AUDIT_LOG_CATEGORIES, AuditLogs } from './components/audit-logs';
export type { AuditLogsArgs } from './components/audit-logs';
export { AzureMonitoring, isoDuration, MONITORING_DATA_READER_ROLE_ID } from './components/azure-monitoring';
export type { AzureMonitoringArgs } from './components/azure-monitoring';
export { assignAdmins, assignRole, BUILT_IN_ROLES, deployerPrincipalType, USER_SIGN_IN_CLIENT_IDS } from './components/role-assignment';
export type { Admins, AssignRoleArgs, BootstrapDeployer, Deployer, FormerNames, PrincipalType } from './components/role-assignment';
