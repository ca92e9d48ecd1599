import { Check } from '../../check';
import { KubernetesObject } from '../../../model/kubernetes-object';
import { fieldsOf, LabelSelector, list, MutatingWebhookFields } from '../../../model/objects';
import { ObjectIndex, PodTemplate, selects } from '../../../model/object-index';
import { ISTIO_INJECTION_LABEL, ISTIO_REVISION_LABEL, SIDECAR_INJECT_LABEL } from '../../../contract/keys';

/**
 * The injection webhooks of Istio's default installation (istiod's `sidecar-injector` chart, and
 * the revision form the AKS add-on uses), used when the set holds no Istio MutatingWebhookConfiguration.
 */
const DEFAULT_WEBHOOKS: ReadonlyArray<{ namespaceSelector: LabelSelector; objectSelector: LabelSelector }> = [
  // namespace.sidecar-injector.istio.io
  { namespaceSelector: { matchExpressions: [{ key: ISTIO_INJECTION_LABEL, operator: 'In', values: ['enabled'] }] },
    objectSelector: { matchExpressions: [{ key: SIDECAR_INJECT_LABEL, operator: 'NotIn', values: ['false'] }] } },
  // object.sidecar-injector.istio.io
  { namespaceSelector: { matchExpressions: [{ key: ISTIO_INJECTION_LABEL, operator: 'DoesNotExist' }, { key: ISTIO_REVISION_LABEL, operator: 'DoesNotExist' }] },
    objectSelector: { matchExpressions: [{ key: SIDECAR_INJECT_LABEL, operator: 'In', values: ['true'] }, { key: ISTIO_REVISION_LABEL, operator: 'DoesNotExist' }] } },
  // rev.namespace.sidecar-injector.istio.io (any revision)
  { namespaceSelector: { matchExpressions: [{ key: ISTIO_REVISION_LABEL, operator: 'Exists' }, { key: ISTIO_INJECTION_LABEL, operator: 'DoesNotExist' }] },
    objectSelector: { matchExpressions: [{ key: SIDECAR_INJECT_LABEL, operator: 'NotIn', values: ['false'] }] } },
  // rev.object.sidecar-injector.istio.io (any revision)
  { namespaceSelector: { matchExpressions: [{ key: ISTIO_INJECTION_LABEL, operator: 'DoesNotExist' }] },
    objectSelector: { matchExpressions: [{ key: SIDECAR_INJECT_LABEL, operator: 'NotIn', values: ['false'] }, { key: ISTIO_REVISION_LABEL, operator: 'Exists' }] } },
];

function webhooks(index: ObjectIndex): ReadonlyArray<{ namespaceSelector: LabelSelector; objectSelector: LabelSelector }> {
  const found = index.ofKind('MutatingWebhookConfiguration').flatMap((w: KubernetesObject) => list(fieldsOf<MutatingWebhookFields>(w).webhooks))
    .filter((w) => typeof w?.name === 'string' && w.name.endsWith('istio.io'))
    .map((w) => ({ namespaceSelector: w.namespaceSelector ?? {}, objectSelector: w.objectSelector ?? {} }));
  return found.length ? found : DEFAULT_WEBHOOKS;
}

/** Whether an injection webhook picks the pods of `pod` (its namespace's labels as in the set, or none). */
export function injected(index: ObjectIndex, pod: PodTemplate): boolean {
  const ns = index.get('Namespace', '', pod.namespace);
  const nsLabels = ns?.metadata?.labels ?? {};
  return webhooks(index).some((w) => selects(w.namespaceSelector, nsLabels) && selects(w.objectSelector, pod.labels));
}

/**
 * A pod template with the `istio-proxy` container at `image: auto` that no Istio injection webhook
 * selects (its namespace's labels and its own): the image stays "auto" and the pod never starts.
 * Without webhooks in the set, Istio's default ones are assumed.
 */
export const imageAutoWithoutInjection: Check = {
  name: 'ImageAutoWithoutInjection',
  code: 'EDGE5008',
  istioCode: 'IST0146',
  severity: 'error',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod', 'Namespace', 'MutatingWebhookConfiguration'],
  description: 'An `image: auto` proxy container in pods no Istio injection webhook selects.',
  details: 'Gateway injection replaces image "auto" with the proxy; when no webhook selects the pod (namespace labels istio-injection or istio.io/rev, pod label sidecar.istio.io/inject), the image stays "auto" and the pod fails to pull it (istioctl: IST0146 for a Deployment, IST0147 for a Pod). Label the pod template sidecar.istio.io/inject: "true" and leave the namespace without istio-injection=disabled.',
  run(index, report) {
    for (const pod of index.podTemplates) {
      const i = list(pod.spec.containers).findIndex((c) => c?.name === 'istio-proxy' && c.image === 'auto');
      if (i < 0 || injected(index, pod)) continue;
      report(pod.workload, `${pod.specPath}.containers[${i}].image`, `${pod.workload.kind} ${pod.workload.metadata?.name} has image "auto" but no Istio injection webhook selects its pods (namespace "${pod.namespace}" labels, pod labels), so the image is never replaced and the pods fail: label the pod template sidecar.istio.io/inject: "true" (or istio.io/rev), and do not label the namespace istio-injection=disabled.`);
    }
  },
};
