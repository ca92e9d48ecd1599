import { describe, expect, it } from 'vitest';
import { Certificate, GatewayWorkload, IngressGateway, IssuerKind } from '../lib';
import { expectProblem, find, newChart, synthValid } from './support/synth';

const kv = { vaultName: 'kv-shop', certificateName: 'shop-tls', tenantId: '00000000-0000-0000-0000-000000000000', clientId: '11111111-2222-3333-4444-555555555555' };

describe('Certificate', () => {
  it('from Key Vault: a SecretProviderClass syncing a TLS Secret, mounted by the gateway pods with workload identity', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https: { certificate: Certificate.fromKeyVault({ ...kv, secretName: 'shop-tls' }), redirectHttp: true } });
    const objects = await synthValid(chart);
    const spc = find(objects, 'SecretProviderClass', 'shop-tls-keyvault');
    expect(spc).toMatchSnapshot();
    expect(spc.metadata.namespace).toBe('istio-ingress');
    expect(spc.spec.secretObjects).toEqual([{ secretName: 'shop-tls', type: 'kubernetes.io/tls', data: [{ objectName: 'shop-tls', key: 'tls.key' }, { objectName: 'shop-tls', key: 'tls.crt' }] }]);
    expect(spc.spec.parameters).toMatchObject({ usePodIdentity: 'false', clientID: kv.clientId, keyvaultName: 'kv-shop', tenantId: kv.tenantId });
    expect(find(objects, 'Gateway').spec.servers[1].tls.credentialName).toBe('shop-tls');
    expect(find(objects, 'ServiceAccount').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': kv.clientId });
    const pod = find(objects, 'Deployment').spec.template;
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(pod.spec.volumes).toEqual([{ name: 'keyvault-certificate', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'shop-tls-keyvault' } } }]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([{ name: 'keyvault-certificate', mountPath: '/mnt/secrets-store/certificate', readOnly: true }]);
  });

  it('from cert-manager: a Certificate for the gateway\'s hosts', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https: { certificate: Certificate.fromCertManager({ issuerName: 'letsencrypt', secretName: 'shop-tls' }) } });
    gw.addHost('www.shop.example.com');
    const cert = find(await synthValid(chart), 'Certificate', 'shop-tls');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.spec).toEqual({
      secretName: 'shop-tls', dnsNames: ['shop.example.com', 'www.shop.example.com'],
      issuerRef: { name: 'letsencrypt', kind: IssuerKind.CLUSTER_ISSUER, group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
  });

  it('bad input', () => {
    expect(() => Certificate.fromKeyVault({ ...kv, vaultName: 'kv_shop' })).toThrow(/Certificate.fromKeyVault: invalid vaultName: received "kv_shop"/);
    expect(() => Certificate.fromKeyVault({ ...kv, clientId: 'me' })).toThrow(/invalid clientId: received "me"\. Use the client ID \(a GUID\)/);
    expect(() => Certificate.fromCertManager({ issuerName: 'le', secretName: 'TLS' })).toThrow(/Certificate.fromCertManager: invalid secretName: received "TLS"/);
    expectProblem(() => new IngressGateway(newChart(), 'edge', {
      hosts: ['a.example.com'], workload: GatewayWorkload.aksAddon(), https: { certificate: Certificate.fromKeyVault(kv) },
    }), 'test/edge', 'https.certificate', '"Certificate.fromKeyVault(...)"', /CSI volume mounted by the gateway pods/);
  });
});
