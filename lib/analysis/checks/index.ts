/** Every check of the analysis, one a file under checks/<area>/, in the order they run. */
import { Check } from '../check';
import { destinationRuleDisablesMtls } from './destination/destination-rule-disables-mtls';
import { destinationRuleSubsetNotSelectPods } from './destination/destination-rule-subset-not-select-pods';
import { noServerCertificateVerification } from './destination/no-server-certificate-verification';
import { unknownDestinationRuleHost } from './destination/unknown-destination-rule-host';
import { envoyFilterUsesAddOperationIncorrectly } from './envoyfilter/envoy-filter-uses-add-operation-incorrectly';
import { envoyFilterUsesRelativeOperation } from './envoyfilter/envoy-filter-uses-relative-operation';
import { envoyFilterUsesRemoveOperationIncorrectly } from './envoyfilter/envoy-filter-uses-remove-operation-incorrectly';
import { envoyFilterUsesReplaceOperationIncorrectly } from './envoyfilter/envoy-filter-uses-replace-operation-incorrectly';
import { conflictingGateways } from './gateway/conflicting-gateways';
import { gatewayCredentialNotFound } from './gateway/gateway-credential-not-found';
import { gatewayDuplicateCertificate } from './gateway/gateway-duplicate-certificate';
import { gatewayHostWithoutAuthorization } from './gateway/gateway-host-without-authorization';
import { gatewayHttpWithoutRedirect } from './gateway/gateway-http-without-redirect';
import { gatewayHttpsWithoutCredential } from './gateway/gateway-https-without-credential';
import { gatewayPortNotDefinedOnService } from './gateway/gateway-port-not-defined-on-service';
import { gatewaySelectorMatchesNoWorkload } from './gateway/gateway-selector-no-workload';
import { gatewayTlsBelow12 } from './gateway/gateway-tls-below-12';
import { gatewayWorkloadSingleReplica } from './gateway/gateway-workload-single-replica';
import { gatewayWorkloadWithoutZoneSpread } from './gateway/gateway-workload-without-zone-spread';
import { invalidGatewayCredential } from './gateway/invalid-gateway-credential';
import { gatewayCertificateNotValid } from './gateway/gateway-certificate-not-valid';
import { gatewayApiParentRefNotFound } from './gateway-api/gateway-api-parent-ref-not-found';
import { gatewayApiHostnameNotAccepted } from './gateway-api/gateway-api-hostname-not-accepted';
import { gatewayApiBackendNotFound } from './gateway-api/gateway-api-backend-not-found';
import { gatewayApiReferenceNotPermitted } from './gateway-api/gateway-api-reference-not-permitted';
import { gatewayApiConflictingListeners } from './gateway-api/gateway-api-conflicting-listeners';
import { gatewayApiAllWeightsZero } from './gateway-api/gateway-api-all-weights-zero';
import { duplicateObject } from './objects/duplicate-object';
import { TARGET_CHECKS } from './target/aks-addon';
import { GATEWAY_ZONE_LOSS } from './workload/gateway-zone-loss';
import { RATE_LIMIT_CHECKS } from './rate-limit/rate-limit-checks';
import { ingressRouteRulesNotAffected } from './routing/ingress-route-rules-not-affected';
import { jwtClaimBasedRoutingWithoutRequestAuthN } from './routing/jwt-claim-routing-without-request-authn';
import { referencedResourceNotFound } from './routing/referenced-resource-not-found';
import { referencedInternalGateway } from './routing/referenced-internal-gateway';
import { virtualServiceDestinationPortSelectorRequired } from './routing/virtual-service-destination-port-selector-required';
import { virtualServiceExportedBeyondDestination } from './routing/virtual-service-exported-beyond-destination';
import { virtualServiceHostNotFoundInGateway } from './routing/virtual-service-host-not-found-in-gateway';
import { virtualServiceIneffectiveMatch } from './routing/virtual-service-ineffective-match';
import { virtualServiceMirrorOnlyHost } from './routing/virtual-service-mirror-only-host';
import { virtualServiceRouteWeightsNotSum100 } from './routing/virtual-service-route-weights';
import { virtualServiceUnreachableRule } from './routing/virtual-service-unreachable-rule';
import { conflictingSidecarWorkloadSelectors } from './sidecar/conflicting-sidecar-workload-selectors';
import { multipleSidecarsWithoutWorkloadSelectors } from './sidecar/multiple-sidecars-without-workload-selectors';
import { sidecarSelectorMatchesNoWorkload } from './sidecar/sidecar-selector-matches-no-workload';
import { namespaceWithoutNetworkPolicy } from './security/namespace-without-network-policy';
import { noMatchingWorkloadsFound } from './security/no-matching-workloads-found';
import { conflictingTelemetryWorkloadSelectors } from './security/conflicting-telemetry-workload-selectors';
import { authorizationPolicyNamespaceNotFound } from './security/authorization-policy-namespace-not-found';
import { authorizationShadowsHttpsRedirect } from './security/authorization-shadows-https-redirect';
import { peerAuthenticationNotStrict } from './security/peer-authentication-not-strict';
import { privilegedOrRootContainer } from './security/privileged-or-root-container';
import { horizontalPodAutoscalerTargetNotFound } from './workload/horizontal-pod-autoscaler-target-not-found';
import { horizontalPodAutoscalerTargetWithoutRequests } from './workload/horizontal-pod-autoscaler-target-without-requests';
import { imageAutoWithoutInjection } from './workload/image-auto-without-injection';
import { podDisruptionBudgetBlocksEviction } from './workload/pod-disruption-budget-blocks-eviction';
import { podDisruptionBudgetSelectsNoPod } from './workload/pod-disruption-budget-selects-no-pod';
import { replicasWithHorizontalPodAutoscaler } from './workload/replicas-with-horizontal-pod-autoscaler';
import { serviceSelectsNoPod } from './workload/service-selects-no-pod';
import { serviceTargetPortNotExposed } from './workload/service-target-port-not-exposed';
import { rolloutTrafficRoutingNotFound } from './rollout/rollout-traffic-routing-not-found';
import { rolloutGateQueryInvalid } from './rollout/rollout-gate-query-invalid';
import { rolloutHeaderRouteShadowed } from './rollout/rollout-header-route-shadowed';
import { rolloutStepsWaitForPromotion } from './rollout/rollout-steps-wait-for-promotion';

/** All checks. */
export const CHECKS: readonly Check[] = [
  duplicateObject,
  conflictingGateways, gatewaySelectorMatchesNoWorkload, gatewayPortNotDefinedOnService, gatewayCredentialNotFound,
  invalidGatewayCredential, gatewayCertificateNotValid, gatewayDuplicateCertificate, gatewayHttpsWithoutCredential, gatewayTlsBelow12,
  gatewayHttpWithoutRedirect, gatewayHostWithoutAuthorization, gatewayWorkloadSingleReplica, gatewayWorkloadWithoutZoneSpread, GATEWAY_ZONE_LOSS,
  referencedResourceNotFound, virtualServiceExportedBeyondDestination, referencedInternalGateway, virtualServiceHostNotFoundInGateway, virtualServiceRouteWeightsNotSum100, virtualServiceMirrorOnlyHost,
  virtualServiceUnreachableRule, virtualServiceIneffectiveMatch, virtualServiceDestinationPortSelectorRequired,
  ingressRouteRulesNotAffected, jwtClaimBasedRoutingWithoutRequestAuthN,
  conflictingSidecarWorkloadSelectors, multipleSidecarsWithoutWorkloadSelectors, sidecarSelectorMatchesNoWorkload,
  destinationRuleSubsetNotSelectPods, unknownDestinationRuleHost, noServerCertificateVerification, destinationRuleDisablesMtls,
  envoyFilterUsesRelativeOperation, envoyFilterUsesReplaceOperationIncorrectly, envoyFilterUsesAddOperationIncorrectly,
  envoyFilterUsesRemoveOperationIncorrectly,
  podDisruptionBudgetBlocksEviction, podDisruptionBudgetSelectsNoPod, horizontalPodAutoscalerTargetWithoutRequests,
  horizontalPodAutoscalerTargetNotFound, replicasWithHorizontalPodAutoscaler, serviceSelectsNoPod, serviceTargetPortNotExposed,
  imageAutoWithoutInjection,
  peerAuthenticationNotStrict, namespaceWithoutNetworkPolicy, privilegedOrRootContainer, noMatchingWorkloadsFound, conflictingTelemetryWorkloadSelectors, authorizationPolicyNamespaceNotFound,
  authorizationShadowsHttpsRedirect,
  gatewayApiParentRefNotFound, gatewayApiHostnameNotAccepted, gatewayApiBackendNotFound, gatewayApiReferenceNotPermitted, gatewayApiConflictingListeners, gatewayApiAllWeightsZero,
  // Progressive delivery (Argo Rollouts).
  rolloutTrafficRoutingNotFound, rolloutGateQueryInvalid, rolloutStepsWaitForPromotion, rolloutHeaderRouteShadowed,
  // Global rate limiting: filter, configuration and local limits (../rate-limit-checks.ts).
  ...RATE_LIMIT_CHECKS,
  // The install target (--target aks-addon).
  ...TARGET_CHECKS,
];
