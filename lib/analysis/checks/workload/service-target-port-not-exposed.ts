import { Check } from '../../check';
import { labelsOf, list, ServiceSpec, specOf } from '../../../model/objects';
import { namespaceOf, PodTemplate } from '../../../model/object-index';

/** Whether a pod's proxy is injected (its ports come from the injection template, not the manifest). */
function injectedProxy(pod: PodTemplate): boolean {
  return list(pod.spec.containers).some((c) => c?.name === 'istio-proxy' && c.image === 'auto');
}

/**
 * A Service port whose targetPort no container of the selected pods exposes: a named targetPort
 * no container declares (the Service gets no endpoints for it), or a number when every container
 * declares its ports and none is that one (an info only: declaring container ports is optional in
 * Kubernetes, and a container may listen on a port it does not declare; traffic reaches it).
 * Pods with an injected gateway proxy are skipped for numbers.
 */
export const serviceTargetPortNotExposed: Check = {
  name: 'ServiceTargetPortNotExposed',
  code: 'EDGE5007',
  severity: 'error',
  kinds: ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Service targetPort that no container of its pods exposes.',
  details: 'A named targetPort resolves to a container port of that name: when no container declares it, the port has no endpoints (an error). A numbered one no container declares (while they declare others) is reported as an info: Kubernetes does not require containers to declare the ports they listen on, so it may be right, or a typo. Fix targetPort, or declare the container port.',
  run(index, report) {
    for (const svc of index.ofKind('Service')) {
      const spec = specOf<ServiceSpec>(svc);
      const selector = labelsOf(spec.selector);
      if (Object.keys(selector).length === 0) continue;
      const pods = index.podsMatching(selector, namespaceOf(svc));
      if (pods.length === 0) continue;
      const declared = pods.map((p) => list(p.spec.containers).flatMap((c) => list(c?.ports)));
      list(spec.ports).forEach((port, i) => {
        const target = port?.targetPort ?? port?.port;
        if (typeof target === 'string' && !/^\d+$/.test(target)) {
          if (!declared.some((ports) => ports.some((p) => p?.name === target))) {
            report(svc, `spec.ports[${i}].targetPort`, `targetPort "${target}" is the name of no container port of the selected pods (${pods.map((p) => p.workload.metadata?.name).join(', ')}), so this port has no endpoints: name the container port "${target}", or use its number.`);
          }
        } else if (target !== undefined) {
          const n = Number(target);
          const relevant = pods.filter((p) => !injectedProxy(p));
          const all = relevant.length > 0 && relevant.every((p) => list(p.spec.containers).every((c) => list(c?.ports).length > 0));
          if (all && !declared.some((ports) => ports.some((p) => p?.containerPort === n))) {
            report(svc, `spec.ports[${i}].targetPort`, `targetPort ${n} is not a container port of the selected pods (${pods.map((p) => p.workload.metadata?.name).join(', ')}: ${[...new Set(declared.flat().map((p) => p?.containerPort))].join(', ')}), so unless a container listens on it without declaring it, traffic reaches nothing: check that it is the port the container listens on, and declare it.`, 'info');
          }
        }
      });
    }
  },
};
