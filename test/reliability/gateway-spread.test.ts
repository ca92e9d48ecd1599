// The gateway's zone spread defaults: DoNotSchedule over the zones, minDomains one below them,
// taints honoured, each revision spread on its own; PREFERRED on a single zone; bad zone counts.
import { describe, expect, it } from 'vitest';
import { Certificate, IngressGateway, SpreadPolicy } from '../../lib';
import { find, newChart, synthValid } from '../support/synth';
import { thrown } from '../support/errors';


const https = { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true };
const labelSelector = { matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } };

async function spreadOf(props: Record<string, unknown>): Promise<unknown[]> {
  const chart = newChart();
  new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https, ...props });
  return find(await synthValid(chart), 'Deployment').spec.template.spec.topologySpreadConstraints;
}

describe('gateway zone spread', () => {
  it('defaults to DoNotSchedule over 3 zones with minDomains 2 and taints honoured', async () => {
    expect(await spreadOf({})).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2, nodeTaintsPolicy: 'Honor', matchLabelKeys: ['pod-template-hash'], labelSelector },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', nodeTaintsPolicy: 'Honor', matchLabelKeys: ['pod-template-hash'], labelSelector },
    ]);
  });

  it('sets no minDomains over 2 zones, and prefers over 1 zone', async () => {
    expect((await spreadOf({ zones: 2 }))[0]).toMatchObject({ whenUnsatisfiable: 'DoNotSchedule' });
    expect((await spreadOf({ zones: 2 }))[0]).not.toHaveProperty('minDomains');
    expect((await spreadOf({ zones: 1 }))[0]).toMatchObject({ whenUnsatisfiable: 'ScheduleAnyway' });
    expect((await spreadOf({ zones: 1 }))[0]).not.toHaveProperty('minDomains');
    expect((await spreadOf({ zones: 5 }))[0]).toMatchObject({ whenUnsatisfiable: 'DoNotSchedule', minDomains: 4 });
  });

  it('SpreadPolicy.PREFERRED stays available, without minDomains', async () => {
    const [zone] = await spreadOf({ spread: SpreadPolicy.PREFERRED });
    expect(zone).toMatchObject({ whenUnsatisfiable: 'ScheduleAnyway', nodeTaintsPolicy: 'Honor' });
    expect(zone).not.toHaveProperty('minDomains');
  });

  it('refuses zone counts that are not 1 to 5, and unknown spread policies', () => {
    for (const zones of [0, 2.5, 6, Number.NaN]) {
      expect(thrown(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], zones }))).toBe(
        `test/edge: invalid zones: received ${String(zones)}. Use the number of availability zones the nodes span, an integer from 1 to 5 (3 in Azure regions with zones).`);
    }
    expect(thrown(() => new IngressGateway(newChart(), 'edge', { hosts: ['shop.example.com'], spread: 'Always' as SpreadPolicy }))).toBe(
      'test/edge: invalid spread: received "Always". Use SpreadPolicy.REQUIRED or SpreadPolicy.PREFERRED.');
  });
});
