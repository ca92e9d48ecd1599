import { Check } from '../../check';
import { rec } from '../../../model/json';
import { namespaceOf } from '../../../model/object-index';

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Namespaces every cluster (and every AKS cluster with the Istio add-on) has. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'aks-istio-system', 'aks-istio-ingress', 'aks-istio-egress'];

/** istioctl's namespace pattern: "*", "prefix*", "*suffix" or a name (case-insensitive). */
function namespaceMatch(ns: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return ns.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return ns.startsWith(pattern.slice(0, -1));
  return ns.toLowerCase() === pattern.toLowerCase();
}

/**
 * An AuthorizationPolicy whose `source.namespaces` or `source.notNamespaces` names a namespace
 * that does not exist (istioctl's authz analyzer reports ReferencedResourceNotFound for it). Offline,
 * "exists" means: a Namespace object of the set, the namespace of any object of the set, or a
 * namespace every cluster has; reported only when the set creates Namespaces (it describes them).
 */
export const authorizationPolicyNamespaceNotFound: Check = {
  name: 'AuthorizationPolicyNamespaceNotFound',
  code: 'EDGE6006',
  istioCode: 'IST0101',
  severity: 'warning',
  kinds: ['AuthorizationPolicy', 'Namespace'],
  description: 'An AuthorizationPolicy source (namespaces, notNamespaces) naming a namespace that does not exist.',
  details: 'A rule that allows calls from a namespace nobody created matches no caller (a typo leaves the callers it meant refused); one that denies it protects nothing. Fix the name, or create the namespace.',
  run(index, report) {
    if (index.ofKind('Namespace').length === 0) return;
    const known = new Set([...BUILT_IN_NAMESPACES, ...index.ofKind('Namespace').map((n) => n.metadata?.name ?? ''), ...index.objects.map((o) => o.metadata?.namespace).filter((n): n is string => typeof n === 'string')]);
    for (const policy of index.ofKind('AuthorizationPolicy')) {
      arr(rec(rec(policy).spec).rules).forEach((rule, i) => {
        arr(rec(rule).from).forEach((from, j) => {
          const source = rec(rec(from).source);
          for (const key of ['namespaces', 'notNamespaces'] as const) {
            arr(source[key]).forEach((pattern, k) => {
              if (typeof pattern !== 'string' || [...known].some((ns) => namespaceMatch(ns, pattern))) return;
              report(policy, `spec.rules[${i}].from[${j}].source.${key}[${k}]`, `Namespace "${pattern}" does not exist (not created by the set, no object in it, not a built-in namespace), so this ${key === 'namespaces' ? 'source matches no caller' : 'exclusion excludes nothing'} (policy in "${namespaceOf(policy)}"): fix the name, or create the namespace.`);
            });
          }
        });
      });
    }
  },
};
