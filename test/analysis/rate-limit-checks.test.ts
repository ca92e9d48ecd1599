// The rate-limit checks: each passes on a consistent edge and fails, with its name, on one change.
import { Duration } from 'cdk8s';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  analyze, ExternalTrafficPolicy, IngressGateway, KubernetesObject, RateLimit, RateLimitDescriptor, RateLimitRedis, RateLimitService, RateLimitUnit,
  Traffic, VersionedService,
} from '../../lib';
import { RATE_LIMIT_CHECKS } from '../../lib/analysis/checks/rate-limit/rate-limit-checks';
import { CHECKS } from '../../lib';
import { newChart, synth } from '../support/synth';

/** A consistent edge: a per-client global limit, a limit on the route "api", and a local backstop well above them. */
function edge(localTokensPerSecond = 1000): any[] {
  const chart = newChart();
  const service = new RateLimitService(chart, 'ratelimit', { domain: 'shop', redis: RateLimitRedis.inCluster() });
  const api = new VersionedService(chart, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'api:1' }] });
  const gateway = new IngressGateway(chart, 'edge', {
    hosts: ['shop.example.com'],
    azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
    rateLimits: [
      RateLimit.global({
        service,
        limits: [RateLimitDescriptor.remoteAddress().limit(600, RateLimitUnit.MINUTE)],
        routeLimits: { api: [RateLimitDescriptor.remoteAddress().limit(5, RateLimitUnit.SECOND)] },
      }),
      RateLimit.local({ maxTokens: localTokensPerSecond, fillInterval: Duration.seconds(1) }),
    ],
  });
  gateway.addRoute('shop', { namespace: 'shop', routes: [{ name: 'api', to: Traffic.to(api.version('v1')) }] });
  return synth(chart) as any[];
}

const findingsOf = (objects: any[], check: string) => analyze(objects as KubernetesObject[]).filter((f) => f.check === check);
const filterOf = (objects: any[]) => objects.find((o) => o.kind === 'EnvoyFilter' && o.metadata.name === 'istio-ingressgateway-ratelimit');
const configMapOf = (objects: any[]) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ratelimit-config');
function editConfig(objects: any[], edit: (config: any) => void): void {
  const cm = configMapOf(objects);
  const config = load(cm.data['config.yaml']);
  edit(config);
  cm.data['config.yaml'] = dump(config);
}

describe('rate-limit checks', () => {
  it('are registered in the analysis, and each has a failing case below', () => {
    expect(RATE_LIMIT_CHECKS.every((c) => CHECKS.includes(c))).toBe(true);
    expect(RATE_LIMIT_CHECKS.map((c) => c.name)).toEqual([
      'RateLimitConfigInvalid', 'RateLimitChainWithoutLimit', 'RateLimitUnreachableLimit', 'RateLimitServiceNotFound', 'RateLimitLocalContradictsGlobal',
    ]);
  });

  it('a consistent edge has no rate-limit finding', () => {
    expect(analyze(edge() as KubernetesObject[]).filter((f) => f.check.startsWith('RateLimit'))).toEqual([]);
  });

  it('RateLimitConfigInvalid: a configuration outside the documented format', () => {
    const objects = edge();
    editConfig(objects, (c) => { c.descriptors[0].rate_limit.unit = 'week'; c.descriptors[0].rate_limit.requests = 3; });
    const [f] = findingsOf(objects, 'RateLimitConfigInvalid');
    expect(f.object).toBe('ConfigMap ratelimit/ratelimit-config');
    expect(f.message).toMatch(/\/descriptors\/0\/rate_limit must NOT have additional properties.*must be equal to one of the allowed values/);
  });

  it('RateLimitChainWithoutLimit: an action chain no limit matches; a domain without configuration', () => {
    const objects = edge();
    editConfig(objects, (c) => { c.descriptors = c.descriptors.filter((d: any) => d.key !== 'route'); });
    const findings = findingsOf(objects, 'RateLimitChainWithoutLimit');
    expect(findings.map((f) => f.field)).toEqual(['spec.configPatches[2].patch.value.route.rate_limits[0]']);
    expect(findings[0].message).toContain('The chain (route=api, remote_address=<from request>) matches no limit of domain "shop"');

    const other = edge();
    filterOf(other).spec.configPatches[0].patch.value.typed_config.domain = 'elsewhere';
    expect(findingsOf(other, 'RateLimitChainWithoutLimit').map((f) => f.message)).toEqual([
      expect.stringContaining('No rate-limit configuration of the set has domain "elsewhere"'),
      expect.stringContaining('No rate-limit configuration of the set has domain "elsewhere"'),
    ]);
    filterOf(other).metadata.annotations = { 'ratelimit.istio-aks-edge.io/external-service': 'true' };
    expect(findingsOf(other, 'RateLimitChainWithoutLimit')).toEqual([]);
  });

  it('RateLimitUnreachableLimit: a limit no chain sends', () => {
    const objects = edge();
    editConfig(objects, (c) => c.descriptors.push({ key: 'API_KEY', rate_limit: { unit: 'second', requests_per_unit: 5 } }));
    const [f] = findingsOf(objects, 'RateLimitUnreachableLimit');
    expect(f.field).toBe('data.config.yaml:descriptors[2]');
    expect(f.message).toContain('No filter sends the chain (API_KEY) to domain "shop"');
  });

  it('RateLimitServiceNotFound: a cluster naming a Service or port not in the set, unless external', () => {
    const objects = edge();
    const config = filterOf(objects).spec.configPatches[0].patch.value.typed_config;
    config.rate_limit_service.grpc_service.envoy_grpc.cluster_name = 'outbound|8081||ratelimit.other.svc.cluster.local';
    expect(findingsOf(objects, 'RateLimitServiceNotFound')[0].message).toContain('Service ratelimit.other.svc.cluster.local, which is not in the set');
    config.rate_limit_service.grpc_service.envoy_grpc.cluster_name = 'outbound|9999||ratelimit.ratelimit.svc.cluster.local';
    expect(findingsOf(objects, 'RateLimitServiceNotFound')[0].message).toContain('port 9999 of Service ratelimit.ratelimit.svc.cluster.local, which has ports [8081,8080]');
    filterOf(objects).metadata.annotations = { 'ratelimit.istio-aks-edge.io/external-service': 'true' };
    expect(findingsOf(objects, 'RateLimitServiceNotFound')).toEqual([]);
  });

  it('RateLimitLocalContradictsGlobal: a local bucket below a global limit of the same pods', () => {
    // 1 token/s on each of at most 10 pods (the default autoscaler's maximum) = 10/s: not below the
    // gateway-wide 600/min (10/s) nor the route's 5/s. A 2.5s fill interval makes it 4/s, below both.
    expect(findingsOf(edge(1), 'RateLimitLocalContradictsGlobal')).toEqual([]);
    const objects = edge(1);
    const local = objects.find((o) => o.kind === 'EnvoyFilter' && o.metadata.name === 'istio-ingressgateway-local-ratelimit');
    local.spec.configPatches[0].patch.value.typed_config.token_bucket.fill_interval = '2.5s';
    const findings = findingsOf(objects, 'RateLimitLocalContradictsGlobal');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('at most 4 requests/s through (1 per 2.5s on each of at most 10 pod(s)), fewer than the global limit 600/minute (10/s) of chain (remote_address=<from request>)'),
      expect.stringContaining('fewer than the global limit 5/second (5/s) of chain (route=api, remote_address=<from request>)'),
    ]);
  });
});
