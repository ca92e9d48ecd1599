/** Workload identities in the mesh. */

/** The mesh's trust domain: SPIFFE principals are "<trust domain>/ns/<namespace>/sa/<service account>". */
export const TRUST_DOMAIN = 'cluster.local';

/** The principal of a service account. */
export function principal(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}
