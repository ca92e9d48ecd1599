/**
 * The annotation through which a VirtualService names the references it makes to objects defined
 * outside the manifests (imported gateways and services), so that the analysis does not report
 * them missing while a typo in any other reference still is. Shared by the constructs (which write
 * it) and the analysis (which reads it).
 */

/** The annotation's key; its value is a comma-separated list of "Gateway <ns>/<name>", "Service <fqdn>" and "Workload <ns>" (a Gateway's pods, deployed elsewhere). */
export const DEFINED_ELSEWHERE_ANNOTATION = 'analysis.istio-aks-edge.io/defined-elsewhere';

/** The references an object's annotation declares as defined elsewhere. */
export function definedElsewhere(annotations: Readonly<Record<string, string>> | undefined): Set<string> {
  const value = annotations?.[DEFINED_ELSEWHERE_ANNOTATION];
  return new Set(typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
}
