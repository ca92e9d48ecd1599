/**
 * The annotation and label keys the package writes and reads, each defined once: the constructs
 * write them, the analysis, explain, the Gateway API conversion and the Pulumi program read them.
 */

// --- Istio ---

/** Pod label that turns sidecar (or gateway) injection on or off for one pod. @see https://istio.io/latest/docs/reference/config/labels/#SidecarIstioIoInject */
export const SIDECAR_INJECT_LABEL = 'sidecar.istio.io/inject';
/** Pod annotation naming the injection templates (`gateway` for gateway injection). @see https://istio.io/latest/docs/setup/additional-setup/gateway/ */
export const INJECT_TEMPLATES_ANNOTATION = 'inject.istio.io/templates';
/** Namespace or pod label selecting an Istio revision (or revision tag) to inject. @see https://istio.io/latest/docs/reference/config/labels/#IoIstioRev */
export const ISTIO_REVISION_LABEL = 'istio.io/rev';
/** Namespace label that turns injection on (`enabled`) for the default revision. */
export const ISTIO_INJECTION_LABEL = 'istio-injection';
/** Pod annotation overriding the proxy's mesh config (`ProxyConfig` as JSON or YAML). @see https://istio.io/latest/docs/reference/config/annotations/#ProxyConfig */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';
/** Service annotation limiting the namespaces the Service is visible to in the mesh. @see https://istio.io/latest/docs/reference/config/annotations/#NetworkingExportTo */
export const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';
/** Gateway (Gateway API) annotation: the name of the Deployment and Service Istio creates for it. */
export const GATEWAY_NAME_OVERRIDE_ANNOTATION = 'gateway.istio.io/name-override';
/** Gateway (Gateway API) annotation: the ServiceAccount of the pods Istio creates for it. */
export const GATEWAY_SERVICE_ACCOUNT_ANNOTATION = 'gateway.istio.io/service-account';

// --- Gateway API ---

/** Label Istio gives the pods (and Service) it deploys for a Gateway API `Gateway`: the Gateway's name. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

// --- explain (on objects read back, never written to a cluster) ---

/**
 * Annotation of a VirtualService that explain reads back from a Gateway API HTTPRoute: the rule
 * identity of each of its `http` routes, in order, as a JSON list (`["shop/shop#rules[2]", ...]`),
 * so that a route explain chooses names the HTTPRoute rule it came from.
 */
export const EXPLAIN_ROUTE_IDS_ANNOTATION = 'explain.istio-aks-edge.io/route-ids';

// --- Kubernetes ---

/** Label the API server sets on every Namespace: its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The zone topology key. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
/** The node topology key. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
/** Namespace label: the Pod Security Standard level enforced. @see https://kubernetes.io/docs/concepts/security/pod-security-admission/ */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Namespace label: the Pod Security Standard level warned about. */
export const POD_SECURITY_WARN_LABEL = 'pod-security.kubernetes.io/warn';
/** Namespace label: the Pod Security Standard level audited. */
export const POD_SECURITY_AUDIT_LABEL = 'pod-security.kubernetes.io/audit';
/** The recommended label naming a component of an application. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

// --- Azure ---

/** The prefix of the Azure cloud provider's Service annotations. @see https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/#loadbalancer-annotations */
export const AZURE_SERVICE_ANNOTATION_PREFIX = 'service.beta.kubernetes.io/';
/** Service annotation: the name of the public IP the load balancer uses. */
export const AZURE_PIP_NAME_ANNOTATION = `${AZURE_SERVICE_ANNOTATION_PREFIX}azure-pip-name`;
/** Service annotation: the resource group of that public IP (when outside the node resource group). */
export const AZURE_LB_RESOURCE_GROUP_ANNOTATION = `${AZURE_SERVICE_ANNOTATION_PREFIX}azure-load-balancer-resource-group`;
/** Service annotation: an internal load balancer instead of a public one. */
export const AZURE_LB_INTERNAL_ANNOTATION = `${AZURE_SERVICE_ANNOTATION_PREFIX}azure-load-balancer-internal`;
/** Service annotation: the subnet of an internal load balancer. */
export const AZURE_LB_INTERNAL_SUBNET_ANNOTATION = `${AZURE_SERVICE_ANNOTATION_PREFIX}azure-load-balancer-internal-subnet`;
/** Pod label that makes Azure Workload Identity's webhook project a token into the pod. @see https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html */
export const WORKLOAD_IDENTITY_USE_LABEL = 'azure.workload.identity/use';
/** ServiceAccount annotation: the client id of the managed identity the pods act as. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

// --- This package ---

/**
 * The prefix of the annotations that suppress one check on one object:
 * `suppress.analysis.istio-aks-edge.io/<CheckName>: <reason>`.
 */
export const SUPPRESS_ANNOTATION_PREFIX = 'suppress.analysis.istio-aks-edge.io/';
