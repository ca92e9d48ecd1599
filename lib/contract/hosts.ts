/** Host-name rules shared by the constructs and the analysis. */

/** The cluster's DNS suffix for Service hosts. */
export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** True when `host` (exact or wildcard) is served by a gateway host `served` (exact, `*.suffix` or `*`). */
export function hostCoveredBy(host: string, served: string): boolean {
  if (served === '*' || served === host) return true;
  if (!served.startsWith('*.')) return false;
  const suffix = served.slice(1); // ".example.com"
  if (host.startsWith('*.')) return host.slice(1).endsWith(suffix);
  return host.endsWith(suffix) && host.length > suffix.length;
}
