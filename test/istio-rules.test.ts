// Istio's webhook rules and Envoy's limits that the CRD schemas do not carry (issue 30), each
// from its own edge cases: what Istio refuses is a named error at synth; what it accepts still is.
import { describe, expect, it } from 'vitest';
import {
  AppNamespace, DestinationRule, GatewayServer, HashKey, IngressGateway, LoadBalancer, PathMatch, PodSecurityLevel, ScalingMetric, ServiceEntry, ServiceResolution,
  StringMatch, Traffic, VersionedService,
} from '../lib';
import { validateRetryOn } from '../lib/private/http';
import { ENVOY_MAX_RING_SIZE, isIpOrCidr, validateExportToList } from '../lib/private/validate';
import { validateHost } from '../lib/contract/hosts';
import { newChart, synth } from './support/synth';

const ok = (f: () => unknown) => expect(f).not.toThrow();
const refused = (f: () => unknown, message: RegExp) => expect(f).toThrow(message);

describe('exportTo (validateExportTo)', () => {
  it('duplicates, "." beside its own namespace, "*" or "~" beside others are refused', () => {
    refused(() => validateExportToList('x', 'exportTo', ['.', '.'], 'shop'), /duplicate entries in exportTo/);
    refused(() => validateExportToList('x', 'exportTo', ['.', 'shop'], 'shop'), /duplicate entries in exportTo/);
    refused(() => validateExportToList('x', 'exportTo', ['*', 'shop'], 'shop'), /"\*" beside other entries/);
    refused(() => validateExportToList('x', 'exportTo', ['~', 'shop'], 'shop', true), /"~" \(no one\) beside other entries/);
    refused(() => validateExportToList('x', 'exportTo', ['~'], 'shop'), /invalid exportTo\[0\]/); // "~" only on a ServiceEntry
  });
  it('single entries and distinct namespaces are accepted', () => {
    for (const list of [['.'], ['*'], ['shop', 'other'], ['.', 'other'], []]) ok(() => validateExportToList('x', 'exportTo', list, 'shop'));
    ok(() => validateExportToList('x', 'exportTo', ['~'], 'shop', true));
  });
  it('applies to ServiceEntry and DestinationRule', () => {
    const chart = newChart();
    refused(() => { new ServiceEntry(chart, 'se', { namespace: 'shop', hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' as never }], exportTo: ['*', 'shop'] }); synth(chart); }, /test\/se: invalid exportTo/);
    refused(() => new DestinationRule(newChart(), 'dr', { host: 'api.shop.svc.cluster.local', namespace: 'shop', exportTo: ['.', '.'] } as never), /test\/dr: invalid exportTo/);
  });
});

describe('hosts (validateDNS1123Labels)', () => {
  it('a last label of digits only is refused; digits elsewhere are fine', () => {
    refused(() => validateHost('x', 'hosts[0]', 'shop.example.123'), /last label is all digits/);
    refused(() => validateHost('x', 'hosts[0]', '10.0.0.1'), /last label is all digits/);
    refused(() => validateHost('x', 'hosts[0]', '*.example.9'), /last label is all digits/);
    for (const h of ['shop.example.com', '123.example.com', 'shop.example.c0m', 'a1', '*.example.com', '*']) ok(() => validateHost('x', 'hosts[0]', h));
    refused(() => new IngressGateway(newChart(), 'g', { hosts: ['shop.example.123'] }), /test\/g: invalid hosts\[0\]: received "shop\.example\.123"/);
  });
});

describe('retryOn status codes (validateHTTPRetry: Go\'s http.StatusText)', () => {
  it('codes Go names are accepted, others refused', () => {
    for (const c of ['503', '425', '418', '511', '100', 'gateway-error', '5xx']) ok(() => validateRetryOn('x', 'retryOn[0]', c));
    for (const c of ['509', '599', '419', '306', '600', '99']) refused(() => validateRetryOn('x', 'retryOn[0]', c), /invalid retryOn\[0\]/);
  });
});

describe('redirect and fault (validateHTTPRoute)', () => {
  it('a route with both is refused; each alone is fine', () => {
    const chart = newChart();
    const g = new IngressGateway(chart, 'g', { hosts: ['shop.example.com'] });
    const s = new VersionedService(chart, 's', { namespace: 'shop', versions: [{ name: 'v1', image: 'registry.example.com/s:1' }] });
    refused(() => g.addRoute('r', { namespace: 'shop', routes: [{ name: 'a', redirect: { uri: '/x' }, fault: { abort: { httpStatus: 503, percent: 10 } } }] }), /test\/g\/r: invalid routes\[0\]\.fault: received "\(set\)"\. Istio refuses a route with both redirect and fault/);
    ok(() => g.addRoute('r2', { namespace: 'shop', routes: [{ name: 'a', redirect: { uri: '/x' } }, { name: 'b', to: Traffic.to(s.version('v1')), fault: { abort: { httpStatus: 503, percent: 10 } } }] }));
  });
});

describe('ServiceEntry addresses and STATIC endpoints (IP parsing as Go\'s netip)', () => {
  it('IPs and CIDRs', () => {
    for (const a of ['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '192.168.1.1/32']) expect([a, isIpOrCidr(a)]).toEqual([a, true]);
    for (const a of ['999.1.2.3', '10.0.0.0/33', '2001:db8::/129', '010.0.0.1', '10.0.0.1/08', '10.0.0', 'fe80::1%eth0/64', 'example.com', '']) expect([a, isIpOrCidr(a)]).toEqual([a, false]);
  });
  it('STATIC endpoints must be IPs or unix sockets; DNS endpoints may be names', () => {
    const se = (resolution: ServiceResolution, address: string) => () => new ServiceEntry(newChart(), 'se', {
      hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' as never }], resolution, endpoints: [{ address }],
    });
    refused(se(ServiceResolution.STATIC, 'api.example.com'), /invalid endpoints\[0\]\.address: received "api\.example\.com"\. STATIC resolution takes IP addresses/);
    refused(se(ServiceResolution.STATIC, '999.1.2.3'), /STATIC resolution takes IP addresses/);
    ok(se(ServiceResolution.STATIC, '10.1.2.3'));
    ok(se(ServiceResolution.STATIC, 'unix:///var/run/api.sock'));
    ok(se(ServiceResolution.DNS, 'api.example.com'));
  });
});

describe('Envoy limits', () => {
  it('minimumRingSize at most 8,388,608', () => {
    ok(() => LoadBalancer.consistentHash(HashKey.header('x-user'), { minimumRingSize: ENVOY_MAX_RING_SIZE }));
    refused(() => LoadBalancer.consistentHash(HashKey.header('x-user'), { minimumRingSize: ENVOY_MAX_RING_SIZE + 1 }), /LoadBalancer\.consistentHash: invalid options\.minimumRingSize: received 8388609/);
    refused(() => LoadBalancer.consistentHash(HashKey.header('x-user'), { minimumRingSize: 0 }), /minimumRingSize: received 0/);
  });
});

describe('jwksUri as Go\'s url.Parse reads it; audiences not empty', () => {
  it('refuses what WHATWG URL would repair', () => {
    const gateway = new IngressGateway(newChart(), 'g', { hosts: ['shop.example.com'] });
    const jwt = (jwksUri: string, audiences?: string[]) => () => gateway.requireJwt(`j${Math.random().toString(36).slice(2, 8)}`, { issuer: 'https://login.example.com', jwksUri, audiences });
    for (const u of [' https://login.example.com/keys', 'https://login.example.com\\keys', 'https://login.example.com/%zz', 'https://login.example.com/\nkeys', 'https://login.example.com/%4']) {
      refused(jwt(u), /jwksUri: received .*Go's url\.Parse/);
    }
    ok(jwt('https://login.example.com/keys%20v2'));
    refused(jwt('https://login.example.com/keys', ['']), /audiences\[0\]: received ""/);
  });
});

describe('Gateway hosts (validateSidecarOrGatewayHostnamePart: no short names)', () => {
  it('a host without a dot is refused on a gateway, "*" and FQDNs are fine', () => {
    refused(() => new IngressGateway(newChart(), 'g', { hosts: ['shop'] }), /test\/g: invalid hosts\[0\]: received "shop"\. .*short names/);
    refused(() => new IngressGateway(newChart(), 'g', { servers: [GatewayServer.http({ hosts: ['shop/api'] })] }), /short names/);
    for (const hosts of [['*'], ['shop.example.com'], ['*.example.com']]) ok(() => new IngressGateway(newChart(), 'g', { hosts }));
    ok(() => new IngressGateway(newChart(), 'g', { servers: [GatewayServer.http({ hosts: ['shop/api.example.com', '*/*'] })] }));
  });
});

describe('AuthorizationPolicy paths (CheckEmptyValues, CheckValidPathTemplate)', () => {
  // Istio's own cases, pkg/config/security/security_test.go TestCheckValidPathTemplate.
  const accepted = ['/{*}/foo', '/{*}/foo/', '/foo/{**}/bar', '/foo/bar/{**}', '/admin/*', '*/admin', '/exact'];
  const refusedPaths = ['/foo/{**}buzz/bar', '/{*}/foo/{}/bar', '/foo/{*}/bar/*', '/foo/{*}/bar/**/buzz', '/foo/{buzz}/bar', '/{buzz}', '/foo/{buzz}/bar/{**}',
    '/foo/{buzz=*}/bar/{**}', '/{*}/foo/{buzz=**}/bar', '/{*}/foo/{**}bar', '/{*}/foo/{*}.txt', '/{*}/foo/{temp', '/{*}/foo/temp}/bar', '/{*}/foo/temp}/*',
    '/{**}/foo/temp/{*}/bar', '/{**}/{**}', '/{**}/foo/temp/{**}/bar', '/{*}/foo/?abc', '', '/a*b'];
  const gateway = () => new IngressGateway(newChart(), 'g', { hosts: ['shop.example.com'] });
  it('templates of whole {*} and {**} segments are accepted, every other brace refused', () => {
    for (const p of accepted) ok(() => gateway().denyRequests('d', { paths: [p] }));
    for (const p of refusedPaths) refused(() => gateway().denyRequests('d', { paths: [p] }), /test\/g: invalid authorization\["d"\]\.paths\[0\]/);
  });
  it('a route whose policy would hold an empty value or a brace is refused by name', () => {
    const g = gateway();
    const s = new VersionedService(g.node.scope as never, 's', { namespace: 'shop', versions: [{ name: 'v1', image: 'registry.example.com/s:1' }] });
    const r = g.addRoute('r', { namespace: 'shop', routes: [
      { name: 'empty', match: [{ path: PathMatch.prefix('/a'), headers: { 'x-team': StringMatch.exact('') } }], to: Traffic.to(s) },
      { name: 'braces', match: [{ path: PathMatch.prefix('/{id}') }], to: Traffic.to(s) },
      { name: 'fine', match: [{ path: PathMatch.prefix('/b'), headers: { 'x-team': StringMatch.exact('a') } }], to: Traffic.to(s) },
    ] });
    refused(() => g.denyRequests('d1', { routes: [r.route('empty')] }), /headers\["x-team"\]\.exact: received ""/);
    refused(() => g.denyRequests('d2', { routes: [r.route('braces')] }), /uri\.prefix: received "\/\{id\}"/);
    ok(() => g.denyRequests('d3', { routes: [r.route('fine')] }));
  });
});

describe('string matches (Envoy\'s StringMatcher, Istio\'s regex length limit)', () => {
  it('an empty prefix is refused; present() is the way to match any value', () => {
    refused(() => StringMatch.prefix(''), /StringMatch\.prefix: invalid value: received ""\. .*StringMatch\.present\(\)/);
    ok(() => StringMatch.prefix('a'));
    ok(() => StringMatch.exact(''));
  });
  it('a regex of more than 1024 bytes is refused, counted in bytes as Go does', () => {
    ok(() => StringMatch.regex('a'.repeat(1024)));
    refused(() => StringMatch.regex('a'.repeat(1025)), /at most 1024 bytes/);
    refused(() => PathMatch.regex(`/${'é'.repeat(512)}`), /\(1025 bytes\)/);
  });
});

describe('Kubernetes: Pod Security levels, image references, HPA metrics', () => {
  it('a Pod Security level outside privileged|baseline|restricted is refused', () => {
    refused(() => new AppNamespace(newChart(), 'ns', { podSecurity: 'strict' as never }), /test\/ns: invalid podSecurity: received "strict"/);
    for (const level of Object.values(PodSecurityLevel)) ok(() => new AppNamespace(newChart(), 'ns', { podSecurity: level }));
  });
  it('image references follow the kubelet\'s grammar (distribution/reference)', () => {
    const version = (image: string) => () => new VersionedService(newChart(), 's', { namespace: 'shop', versions: [{ name: 'v1', image }] });
    for (const image of ['nginx', 'nginx:1.27', 'docker.io/library/nginx:1.27', 'localhost:5000/a/b:c', 'Registry.Example.com/app:V1', '[::1]:5000/x:y', 'a__b/c-d.e', `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`, `api:1@sha256:${'b'.repeat(64)}`]) ok(version(image));
    for (const image of ['Registry/API:1', 'repo:tag:x', 'a//b', 'app:', 'app@sha256:abc', '-app', 'a___b', `x:${'t'.repeat(129)}`, `${'a'.repeat(256)}:1`]) refused(version(image), /test\/s\/v1: invalid image/);
  });
  it('HPA metrics: names, selectors and target quantities as the API server checks them', () => {
    refused(() => ScalingMetric.pods({ metricName: 'rps', averageValue: '10', selector: { 'bad key!': 'v' } }), /ScalingMetric\.pods\(rps\): invalid selector key: received "bad key!"/);
    refused(() => ScalingMetric.external({ metricName: 'q', value: '10', selector: { queue: 'not valid!' } }), /invalid selector\["queue"\]/);
    refused(() => ScalingMetric.pods({ metricName: 'a/b', averageValue: '10' }), /invalid metricName: received "a\/b"/);
    refused(() => ScalingMetric.pods({ metricName: 'rps', averageValue: 'ten' }), /invalid averageValue: received "ten"/);
    refused(() => ScalingMetric.pods({ metricName: 'rps', averageValue: '0' }), /above zero/);
    refused(() => ScalingMetric.external({ metricName: 'q', value: '-1' }), /above zero/);
    for (const q of ['10', '100m', '1.5k', '2Gi', '1e3', '.5', '0.001']) ok(() => ScalingMetric.pods({ metricName: 'rps', averageValue: q, selector: { 'example.com/queue': 'orders' } }));
  });
});

describe('VirtualService hosts (ValidateVirtualService: no two hosts overlap)', () => {
  const setup = () => {
    const chart = newChart();
    const g = new IngressGateway(chart, 'g', { hosts: ['*.example.com', 'shop.example.com', 'api.other.com'] });
    const s = new VersionedService(chart, 's', { namespace: 'shop', versions: [{ name: 'v1', image: 'registry.example.com/s:1' }] });
    return { chart, g, s };
  };
  it('hosts taken from the gateway keep the wider of two overlapping hosts (the same requests)', () => {
    const { chart, g, s } = setup();
    g.addRoute('r', { namespace: 'shop', routes: [{ name: 'a', to: Traffic.to(s) }] });
    const vs = synth(chart).find((o) => o.kind === 'VirtualService');
    expect((vs?.spec as { hosts?: string[] } | undefined)?.hosts).toEqual(['*.example.com', 'api.other.com']);
  });
  it('overlapping hosts given by the user are refused by name; distinct ones are fine', () => {
    const { chart, g, s } = setup();
    g.addRoute('r', { namespace: 'shop', hosts: ['shop.example.com', '*.example.com'], routes: [{ name: 'a', to: Traffic.to(s) }] });
    refused(() => synth(chart), /test\/g\/r: invalid hosts\[1\]: received "\*\.example\.com"\. It overlaps hosts\[0\] "shop\.example\.com"/);
    const ok2 = setup();
    ok2.g.addRoute('r', { namespace: 'shop', hosts: ['shop.example.com', 'api.other.com'], routes: [{ name: 'a', to: Traffic.to(ok2.s) }] });
    ok(() => synth(ok2.chart));
  });
});
