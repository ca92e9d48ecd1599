// The zone-loss arithmetic and the GatewayZoneLoss check's severities and its Pending warning.
import { describe, expect, it } from 'vitest';
import { analyze, KubernetesObject } from '../../lib';
import { minimumReplicas, worstCaseAfterZoneLoss } from '../../lib/analysis/checks/workload/gateway-zone-loss';

const ZONE = 'topology.kubernetes.io/zone';
const required = (extra: Record<string, unknown> = {}) => ({ topologySpreadConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', ...extra }] });
const preferred = { topologySpreadConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] };

describe('worst case after one zone is lost', () => {
  it.each([
    // replicas, zones, pod spec, survivors
    [3, 3, required(), 2],
    [2, 3, required(), 1],
    [4, 3, required(), 2],
    [6, 3, required(), 4],
    [2, 2, required(), 1],
    [3, 3, preferred, 0],
    [3, 3, {}, 0],
    [3, 1, required(), 0],
    [5, 3, required({ maxSkew: 2 }), 2], // 3 + 1 + 1: maxSkew 2 lets one zone hold 3
    [3, 1, required({ minDomains: 2 }), 0], // below minDomains: one pod a zone, two Pending
    [2, 2, required({ minDomains: 2 }), 1],
    [3, 3, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: ZONE }] } } }, 2],
  ] as Array<[number, number, unknown, number]>)('%i pods over %i zones: %j leaves %i', (replicas, zones, spec, survivors) => {
    expect(worstCaseAfterZoneLoss(replicas, zones, spec).survivors).toBe(survivors);
  });

  it('minimum replicas for 2 survivors over 3 zones is 3, for 1 over 2 zones is 2', () => {
    expect(minimumReplicas(2, 3)).toBe(3);
    expect(minimumReplicas(1, 2)).toBe(2);
    expect(minimumReplicas(2, 2)).toBe(4);
  });
});

function gateway(replicas: number, spec: Record<string, unknown>): KubernetesObject[] {
  const labels = { istio: 'ingressgateway' };
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace: 'istio-ingress' },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }], ...spec } } } },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'istio-ingress' }, spec: { selector: labels, servers: [] } },
  ] as KubernetesObject[];
}

const zoneLoss = (objects: KubernetesObject[], production: boolean, zones?: number) => analyze(objects, { production, zones })
  .filter((f) => f.check === 'GatewayZoneLoss').map((f) => [f.severity, f.message]);

describe('GatewayZoneLoss', () => {
  it('is an error in production below 2 survivors, a warning elsewhere below 1', () => {
    expect(zoneLoss(gateway(3, required({ minDomains: 2 })), true)).toEqual([]);
    expect(zoneLoss(gateway(2, required({ minDomains: 2 })), false)).toEqual([]);
    expect(zoneLoss(gateway(2, required({ minDomains: 2 })), true)).toEqual([['error',
      'At the minimum of 2 pod(s) over 3 zone(s) (DoNotSchedule zone spread, maxSkew 1, over 3 zone(s)), losing one zone leaves 1 gateway pod(s); production needs at least 2: spread over zones with whenUnsatisfiable DoNotSchedule (SpreadPolicy.REQUIRED) and run at least 3 pods (replicas or the autoscaler\'s minReplicas).']]);
    expect(zoneLoss(gateway(3, preferred), false)).toEqual([['warning',
      'At the minimum of 3 pod(s) over 3 zone(s) (no required zone spread: every pod may sit in one zone), losing one zone leaves 0 gateway pod(s); this environment needs at least 1: spread over zones with whenUnsatisfiable DoNotSchedule (SpreadPolicy.REQUIRED) and run at least 2 pods (replicas or the autoscaler\'s minReplicas).']]);
  });

  it('reads the number of zones from the options', () => {
    expect(zoneLoss(gateway(2, required()), true, 2)).toEqual([expect.arrayContaining(['error'])]);
    expect(zoneLoss(gateway(4, required()), true, 2)).toEqual([]);
  });

  it('warns when replacement pods would stay Pending while a zone is down', () => {
    expect(zoneLoss(gateway(3, required({ nodeTaintsPolicy: undefined })), true)).toEqual([['warning',
      'The DoNotSchedule zone spread counts tainted nodes (nodeTaintsPolicy is not Honor), so the nodes of a lost zone still count as an empty zone: replacement and surge pods stay Pending while a zone is down. Set nodeTaintsPolicy: Honor and minDomains at most 2.']]);
    expect(zoneLoss(gateway(3, required({ minDomains: 3 })), true)).toEqual([['warning',
      'The DoNotSchedule zone spread needs minDomains 3 of 3 zones: replacement and surge pods stay Pending while a zone is down. Set nodeTaintsPolicy: Honor and minDomains at most 2.']]);
  });
});
