// The contract's host rules: FQDN resolution as Istio does it (ResolveShortnameToFQDN in
// istio/istio pilot/pkg/model: only a name without a dot is expanded), used by every reader.
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { IngressGateway, KubernetesObject, Traffic, VersionedService } from '../../lib';
import { bareHost, hostCoveredBy, hostsMatch, isValidHost, resolveHost, splitNamespaced } from '../../lib/contract/hosts';
import { toGatewayApi } from '../../lib/gateway-api/convert';
import { synthesizeApp } from '../../lib/synth/synth';

describe('resolveHost', () => {
  it('expands a short name in the object\'s namespace and nothing else', () => {
    expect(resolveHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    // Istio does not expand "name.ns" (the cluster's DNS search might; Istio's registry does not).
    expect(resolveHost('reviews.shop', 'other')).toBe('reviews.shop');
    expect(resolveHost('reviews.shop.svc.cluster.local', 'other')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('*', 'shop')).toBe('*');
    expect(resolveHost('*.example.com', 'shop')).toBe('*.example.com');
    expect(resolveHost('10.0.0.1', 'shop')).toBe('10.0.0.1');
    expect(resolveHost('::1', 'shop')).toBe('::1');
  });

  it('the Gateway API conversion resolves a destination as Istio does: "name.ns" is no Service of the output', () => {
    const app = new App();
    const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
    const gateway = new IngressGateway(chart, 'gw', { namespace: 'shop', hosts: ['a.example.com'] });
    const api = new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'x/api:1' }] });
    gateway.addRoute('r', { routes: [{ name: 'a', to: Traffic.to(api) }] });
    const objects = synthesizeApp(app).flatMap((c) => c.objects) as KubernetesObject[];
    // The same route with its destination written "api.shop": Istio routes it to no Service (503 NR).
    const withHost = (host: string) => objects.map((o) => (o.kind !== 'VirtualService' ? o : JSON.parse(JSON.stringify(o).replaceAll('"host":"api"', `"host":"${host}"`)) as KubernetesObject));
    expect(() => toGatewayApi(withHost('api'))).not.toThrow();
    expect(() => toGatewayApi(withHost('api.shop.svc.cluster.local'))).not.toThrow();
    expect(() => toGatewayApi(withHost('api.shop'))).toThrow(/host: received "api\.shop"/);
  });
});

describe('host rules', () => {
  it('splits "namespace/host" once for every reader', () => {
    expect(splitNamespaced('shop/a.example.com')).toEqual({ namespace: 'shop', name: 'a.example.com' });
    expect(splitNamespaced('./a.example.com')).toEqual({ namespace: '.', name: 'a.example.com' });
    expect(splitNamespaced('a.example.com')).toEqual({ name: 'a.example.com' });
    expect(bareHost('*/a.example.com')).toBe('a.example.com');
  });

  it('matches wildcards as Istio does', () => {
    expect(hostCoveredBy('a.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('example.com', '*.example.com')).toBe(false);
    expect(hostsMatch('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsMatch('*.a.example.com', '*.example.com')).toBe(true);
    expect(hostsMatch('a.example.com', 'b.example.com')).toBe(false);
  });

  it('validates hosts', () => {
    expect(isValidHost('shop.example.com')).toBe(true);
    expect(isValidHost('*.example.com')).toBe(true);
    expect(isValidHost('*')).toBe(true);
    expect(isValidHost('*', false)).toBe(false);
    expect(isValidHost('Shop.example.com')).toBe(false);
    expect(isValidHost(`${'a'.repeat(64)}.example.com`)).toBe(false);
  });
});
