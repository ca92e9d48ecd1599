import { Check } from '../../check';
import { namespaceOf } from '../../../model/object-index';
import { arr as list, rec, str } from '../../../model/json';

/**
 * A Rollout whose Istio traffic routing names a VirtualService, an HTTP route, a DestinationRule or
 * subsets that do not exist or do not match: Argo Rollouts v1.9.1 then fails the rollout
 * (rollout/trafficrouting/istio/istio.go: ValidateHTTPRoutes, validateVirtualServiceRouteDestinations).
 */
export const rolloutTrafficRoutingNotFound: Check = {
  name: 'RolloutTrafficRoutingNotFound',
  code: 'EDGE9101',
  severity: 'error',
  kinds: ['Rollout', 'VirtualService', 'DestinationRule'],
  description: 'An Argo Rollouts Rollout whose Istio traffic routing names a VirtualService, route, DestinationRule or subset that does not exist or does not match.',
  details: 'Argo Rollouts shifts the weights of the HTTP routes a Rollout names (spec.strategy.canary.trafficRouting.istio.virtualService(s)), each of which must have a destination for the stable and one for the canary subset of the DestinationRule it names (in the Rollout\'s namespace), with both subsets defined. Otherwise the controller reports an error ("Canary DestinationRule subset ... not found in route", "HTTP Route ... is not found in the defined Virtual Service") and the rollout does not progress. Fix the names, or route the traffic through the rollout (ProgressiveRollout.traffic()).',
  run(index, report) {
    for (const r of index.ofKind('Rollout')) {
      if (!r.apiVersion.startsWith('argoproj.io/')) continue;
      const istio = rec(rec(rec(rec(r.spec).strategy).canary).trafficRouting).istio;
      if (istio === undefined) continue;
      const at = 'spec.strategy.canary.trafficRouting.istio';
      const ns = namespaceOf(r);
      const spec = rec(istio);
      const dr = rec(spec.destinationRule);
      const drName = str(dr.name);
      const stable = str(dr.stableSubsetName);
      const canary = str(dr.canarySubsetName);
      if (drName !== undefined) {
        const rule = index.get('DestinationRule', ns, drName);
        if (!rule) report(r, `${at}.destinationRule.name`, `DestinationRule ${ns}/${drName} does not exist (the controller reads it in the Rollout's namespace): create it, or name the service's DestinationRule.`);
        else {
          const subsets = list(rec(rule.spec).subsets).map((s) => str(rec(s).name));
          for (const [field, name] of [['stableSubsetName', stable], ['canarySubsetName', canary]] as const) {
            if (name !== undefined && !subsets.includes(name)) report(r, `${at}.destinationRule.${field}`, `DestinationRule ${ns}/${drName} has no subset "${name}" (it has ${subsets.filter(Boolean).join(', ') || 'none'}): add it, or name one of them.`);
          }
        }
      }
      const services = [...(spec.virtualService !== undefined ? [{ v: rec(spec.virtualService), field: `${at}.virtualService` }] : []),
        ...list(spec.virtualServices).map((v, i) => ({ v: rec(v), field: `${at}.virtualServices[${i}]` }))];
      for (const { v, field } of services) {
        const full = str(v.name) ?? '';
        const [vsNs, vsName] = full.includes('/') ? full.split('/', 2) : [ns, full];
        const vs = index.get('VirtualService', vsNs, vsName);
        if (!vs) {
          report(r, `${field}.name`, `VirtualService ${vsNs}/${vsName} does not exist: the controller has no weights to shift. Name the route's VirtualService ("<namespace>/<name>" in another namespace).`);
          continue;
        }
        const http = list(rec(vs.spec).http).map(rec);
        const names = list(v.routes).map((x) => str(x));
        if (names.length === 0 && http.length !== 1) report(r, `${field}.routes`, `VirtualService ${vsNs}/${vsName} has ${http.length} HTTP routes: name the ones the controller shifts (Argo Rollouts requires exactly one route when none is named).`);
        names.forEach((name, i) => {
          const route = http.find((h) => str(h.name) === name);
          if (!route) {
            report(r, `${field}.routes[${i}]`, `VirtualService ${vsNs}/${vsName} has no HTTP route "${name}" (it has ${http.map((h) => str(h.name) ?? '(unnamed)').join(', ')}): name one of them.`);
            return;
          }
          const subsetsRouted = list(route.route).map((d) => str(rec(rec(d).destination).subset));
          for (const subset of [stable, canary]) {
            if (subset !== undefined && !subsetsRouted.includes(subset)) {
              report(r, `${field}.routes[${i}]`, `Route "${name}" of VirtualService ${vsNs}/${vsName} has no destination with subset "${subset}" (it routes to ${subsetsRouted.map((s) => s ?? '(no subset)').join(', ')}): Argo Rollouts needs the stable and the canary subset in each route it shifts.`);
            }
          }
        });
      }
    }
  },
};
