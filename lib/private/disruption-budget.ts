/** The arithmetic of a PodDisruptionBudget, shared by the constructs and the analysis. */

/** Which field of a budget is set. */
export type BudgetField = 'minAvailable' | 'maxUnavailable';

/**
 * How many pods may be evicted when `replicas` pods are running and healthy (Kubernetes rounds
 * percentages up).
 */
export function allowedDisruptions(field: BudgetField, value: number | string, replicas: number): number {
  const count = typeof value === 'number' ? value : Math.ceil((replicas * Number(value.slice(0, -1))) / 100);
  return field === 'minAvailable' ? replicas - count : Math.min(count, replicas);
}
