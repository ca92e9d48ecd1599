import { Check } from '../../check';
import { definedElsewhere } from '../../../contract/defined-elsewhere';
import { INJECT_TEMPLATES_ANNOTATION } from '../../../contract/keys';
import { gatewayPods, gatewaySelector, selectorString } from '../../../model/istio';
import { PodTemplate } from '../../../model/object-index';
import { list } from '../../../model/objects';
import { rec } from '../../../model/json';

/** Selectors of gateways the platform runs (the AKS Istio add-on's managed ingress gateways). */
export const MANAGED_GATEWAY_SELECTORS: ReadonlyArray<Readonly<Record<string, string>>> = [
  { istio: 'aks-istio-ingressgateway-external' },
  { istio: 'aks-istio-ingressgateway-internal' },
];

/** Whether a pod template is a gateway proxy (gateway injection, or the proxy container itself). */
function isGatewayPod(pod: PodTemplate): boolean {
  const annotations = rec(rec(rec(rec(pod.workload).spec).template).metadata).annotations;
  return rec(annotations)[INJECT_TEMPLATES_ANNOTATION] === 'gateway'
    || list(pod.spec.containers).some((c) => c?.name === 'istio-proxy' || (typeof c?.image === 'string' && /\/proxyv2:/.test(c.image)));
}

/**
 * A Gateway whose selector picks no pod template of the set: no proxy serves its servers. Skipped
 * when the set deploys no gateway workload at all (configuration analyzed alone, or applications
 * applied beside a gateway installed separately, as with Istio's samples), and for the AKS
 * add-on's managed gateways, which run outside any manifest.
 */
export const gatewaySelectorMatchesNoWorkload: Check = {
  name: 'GatewaySelectorMatchesNoWorkload',
  code: 'EDGE1002',
  istioCode: 'IST0101',
  severity: 'error',
  kinds: ['Gateway', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A Gateway whose selector matches no gateway workload.',
  details: 'A Gateway configures the proxies its selector picks (in any namespace); with none, its hosts are served by no one. Fix the selector to the labels of the gateway pods (istio: ingressgateway by default) or deploy the gateway.',
  run(index, report) {
    if (!index.podTemplates.some(isGatewayPod)) return;
    for (const gw of index.istioGateways()) {
      const selector = gatewaySelector(gw);
      if (Object.keys(selector).length === 0) continue;
      if (MANAGED_GATEWAY_SELECTORS.some((m) => selectorString(m) === selectorString(selector))) continue;
      // The constructs declare pods the app does not deploy (GatewayWorkload.existing) as running elsewhere.
      if ([...definedElsewhere(gw.metadata?.annotations)].some((d) => d.startsWith('Workload '))) continue;
      if (gatewayPods(index, gw).length === 0) {
        report(gw, 'spec.selector', `Selector {${selectorString(selector)}} matches no pod template of the set, so no proxy serves this Gateway: use the labels of the gateway pods, or deploy the gateway workload.`);
      }
    }
  },
};
