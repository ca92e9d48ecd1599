import { describe, expect, it } from 'vitest';
import { AppNamespace, IngressGateway, MtlsMode, PodSecurityLevel, analyze } from '../lib';
import { all, expectProblem, find, newChart, synthValid } from './support/synth';

describe('AppNamespace', () => {
  it('secure by default: injection, Pod Security restricted, STRICT mTLS, default-deny NetworkPolicies (snapshot)', async () => {
    const chart = newChart();
    const gateway = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
    new AppNamespace(chart, 'shop', { gateways: [gateway] });
    const objects = (await synthValid(chart)).filter((o) => o.metadata?.namespace === 'shop' || o.kind === 'Namespace');
    expect(objects).toMatchSnapshot();
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(find(objects, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    const policies = all(objects, 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny-ingress', 'allow-same-namespace', 'allow-from-gateways', 'allow-metrics-scraping']);
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(policies[2].spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } }, podSelector: { matchLabels: { istio: 'ingressgateway' } },
    }]);
    expect(policies[3].spec.ingress[0].ports).toEqual([{ port: 15020, protocol: 'TCP' }, { port: 15090, protocol: 'TCP' }]);
    // The namespace comes before the objects in it.
    expect(objects[0].kind).toBe('Namespace');
    expect(analyze(objects)).toEqual([]);
  });

  it('a revision, PERMISSIVE by option (reported by the analysis), privileged Pod Security for istio-init', async () => {
    const chart = newChart();
    new AppNamespace(chart, 'legacy', { istioRevision: 'asm-1-27', mtls: MtlsMode.PERMISSIVE, podSecurity: PodSecurityLevel.PRIVILEGED, metricsScraperNamespaces: [] });
    const objects = await synthValid(chart);
    expect(find(objects, 'Namespace', 'legacy').metadata.labels).toMatchObject({ 'istio.io/rev': 'asm-1-27', 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(find(objects, 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
    expect(all(objects, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['default-deny-ingress', 'allow-same-namespace']);
    // Reported twice: the PERMISSIVE policy, and the namespace no STRICT policy covers.
    expect(analyze(objects).map((f) => f.check)).toEqual(['PeerAuthenticationNotStrict', 'PeerAuthenticationNotStrict']);
  });

  it('bad input', () => {
    expectProblem(() => new AppNamespace(newChart(), 'Shop'), 'test/Shop', 'name', '"Shop"', /DNS-1123 label/);
    expectProblem(() => new AppNamespace(newChart(), 'shop', { metricsScraperNamespaces: ['Kube System'] }), 'test/shop', 'metricsScraperNamespaces[0]', '"Kube System"', /DNS-1123 label/);
  });
});
