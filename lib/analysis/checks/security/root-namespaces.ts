/** The namespaces Istio's control plane may run in (its root namespace): open-source and the AKS add-on. */
export const ROOT_NAMESPACES: readonly string[] = ['istio-system', 'aks-istio-system'];
