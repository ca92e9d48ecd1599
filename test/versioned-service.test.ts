import { Duration, Size } from 'cdk8s';
import { Cpu, Probe } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import {
  AppProtocol, ClientTls, Disruption, HashKey, LoadBalancer, SpreadPolicy, VersionedService,
} from '../lib';
import { all, expectProblem, find, newChart, synth, synthValid } from './support/synth';

describe('VersionedService', () => {
  it('synthesizes a Service, a Deployment per version, a DestinationRule and a PDB (snapshot)', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', {
      namespace: 'shop',
      versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1.4' }, { name: 'v2', image: 'ghcr.io/acme/api:1.5', autoscaling: { maxReplicas: 6 } }],
    });
    expect(await synthValid(chart)).toMatchSnapshot();
  });

  it('Service: stable name, selector app=<name>, named HTTP port', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', { namespace: 'shop', versions: [{ name: 'v1', image: 'api:1' }] });
    const svc = find(await synthValid(chart), 'Service');
    expect(svc.metadata).toMatchObject({ name: 'api', namespace: 'shop' });
    expect(svc.spec.selector).toEqual({ app: 'api' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' }]);
  });

  it('Deployments per version: labels app/version, resources, probes, env, rolling update, zone spread', async () => {
    const chart = newChart();
    const svc = new VersionedService(chart, 'api', {
      namespace: 'shop',
      resources: { cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
    });
    svc.addVersion({ name: 'v1', image: 'api:1', replicas: 3, env: { LOG_LEVEL: 'info' }, readiness: Probe.fromHttpGet('/healthz/ready', { port: 8080 }) });
    const objects = await synthValid(chart);
    const d = find(objects, 'Deployment', 'api-v1');
    expect(d.metadata.labels).toEqual({ app: 'api', version: 'v1' });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'api', version: 'v1' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'api', version: 'v1' });
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('api:1');
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/healthz/ready', port: 8080 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'], ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  it('an autoscaled version has an HPA and no replicas', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', { versions: [{ name: 'v1', image: 'api:1', autoscaling: { minReplicas: 3, maxReplicas: 9 } }] });
    const objects = await synthValid(chart);
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'api-v1').spec).toMatchObject({
      minReplicas: 3, maxReplicas: 9, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-v1' },
    });
  });

  it('DestinationRule: a subset per version, traffic policy and per-subset overrides', async () => {
    const chart = newChart();
    new VersionedService(chart, 'cart', {
      namespace: 'shop',
      trafficPolicy: {
        loadBalancer: LoadBalancer.consistentHash(HashKey.cookie('session', { ttl: Duration.hours(1), path: '/' })),
        connectionPool: { tcp: { maxConnections: 100, connectTimeout: Duration.millis(500) }, http: { http1MaxPendingRequests: 50, idleTimeout: Duration.minutes(5) } },
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
        tls: ClientTls.ISTIO_MUTUAL,
      },
      versions: [
        { name: 'v1', image: 'cart:1' },
        { name: 'v2', image: 'cart:2', trafficPolicy: { loadBalancer: LoadBalancer.ROUND_ROBIN } },
      ],
    });
    const dr = find(await synthValid(chart), 'DestinationRule');
    expect(dr.metadata).toMatchObject({ name: 'cart', namespace: 'shop' });
    expect(dr.spec).toEqual({
      host: 'cart',
      trafficPolicy: {
        loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '3600s', path: '/' } } },
        connectionPool: { tcp: { maxConnections: 100, connectTimeout: '500ms' }, http: { http1MaxPendingRequests: 50, idleTimeout: '300s' } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      ],
    });
  });

  it('other load balancers and client TLS modes', async () => {
    const chart = newChart();
    new VersionedService(chart, 'a', { versions: [{ name: 'v1', image: 'a:1' }], trafficPolicy: { loadBalancer: LoadBalancer.consistentHash(HashKey.sourceIp()), tls: ClientTls.DISABLE } });
    new VersionedService(chart, 'b', { versions: [{ name: 'v1', image: 'b:1' }], trafficPolicy: { loadBalancer: LoadBalancer.consistentHash(HashKey.header('x-user')), tls: ClientTls.simple({ sni: 'b.example.com' }) } });
    new VersionedService(chart, 'c', { versions: [{ name: 'v1', image: 'c:1' }], trafficPolicy: { loadBalancer: LoadBalancer.RANDOM } });
    const drs = all(await synthValid(chart), 'DestinationRule').map((d) => d.spec.trafficPolicy);
    expect(drs).toEqual([
      { loadBalancer: { consistentHash: { useSourceIp: true } }, tls: { mode: 'DISABLE' } },
      { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } }, tls: { mode: 'SIMPLE', sni: 'b.example.com' } },
      // No tls unless asked: Istio's auto mTLS adapts to endpoints with and without a sidecar.
      { loadBalancer: { simple: 'RANDOM' } },
    ]);
  });

  it('several ports get protocol-prefixed names; the PDB covers all versions', async () => {
    const chart = newChart();
    new VersionedService(chart, 'grpc', {
      ports: [{ port: 8080 }, { port: 9090, protocol: AppProtocol.GRPC }],
      disruption: Disruption.minAvailable(2),
      versions: [{ name: 'v1', image: 'g:1' }, { name: 'v2', image: 'g:2', replicas: 1 }],
    });
    const objects = await synthValid(chart);
    expect(find(objects, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http-8080', 'grpc-9090']);
    expect(find(objects, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 2, selector: { matchLabels: { app: 'grpc' } } });
  });

  it('version() returns the version object; the namespace defaults to the chart\'s', () => {
    const chart = newChart('team-a');
    const svc = new VersionedService(chart, 'api', { versions: [{ name: 'v1', image: 'a:1' }] });
    expect(svc.version('v1').subset).toBe('v1');
    expect(svc.version('v1').routableService).toBe(svc);
    expect(svc.namespace).toBe('team-a');
  });

  it('fromServiceAttributes refers to a Service the app does not define', () => {
    const chart = newChart();
    const ref = VersionedService.fromServiceAttributes(chart, 'legacy', { name: 'legacy', namespace: 'old', ports: [80] });
    expect(ref.routableService.serviceName).toBe('legacy');
    expect(ref.routableService.hasSubset('v1')).toBe(false);
    expect(synth(chart)).toEqual([]);
  });

  describe('bad input', () => {
    const chart = () => newChart();

    it('invalid names', () => {
      expectProblem(() => new VersionedService(chart(), 'Api'), 'test/Api', 'name', '"Api"', /DNS-1123 label/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'V1', image: 'a' }] }), 'test/api', 'versions[0].name', '"V1"', /DNS-1123 label/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a', labels: { version: 'x' } }] }), 'test/api/v1', 'labels.version', '"x"', /set by the package/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'has space' }] }), 'test/api/v1', 'image', '"has space"', /container image/);
    });

    it('ports outside 1-65535 and duplicates', () => {
      // `port` is reported as `port`, `ports[i]` as `ports[i].port`.
      expectProblem(() => new VersionedService(chart(), 'api', { port: 70000 }), 'test/api', 'port', '70000', /between 1 and 65535/);
      expectProblem(() => new VersionedService(chart(), 'api', { port: 0 }), 'test/api', 'port', '0', /between 1 and 65535/);
      expectProblem(() => new VersionedService(chart(), 'api', { ports: [{ port: 0 }] }), 'test/api', 'ports[0].port', '0', /between 1 and 65535/);
      expectProblem(() => new VersionedService(chart(), 'api', { ports: [{ port: 80, targetPort: 0 }] }), 'test/api', 'ports[0].targetPort', '0', /between 1 and 65535/);
      expectProblem(() => new VersionedService(chart(), 'api', { ports: [{ port: 80 }, { port: 80, name: 'other' }] }), 'test/api', 'ports[1].port', '80', /once/);
    });

    it('duplicate versions', () => {
      const svc = new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a:1' }] });
      expectProblem(() => svc.addVersion({ name: 'v1', image: 'a:2' }), 'test/api', 'versions[1].name', '"v1"', /unique/);
    });

    it('a version the service lacks', () => {
      const svc = new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a:1' }] });
      expectProblem(() => svc.version('v3'), 'test/api', 'version', '"v3"', /versions \[v1\].*addVersion/);
    });

    it('no versions at all fails at synth', () => {
      const c = chart();
      new VersionedService(c, 'api');
      expect(() => synth(c)).toThrow(/test\/api: invalid versions: received \[\]\. A VersionedService needs at least one version/);
    });

    it('a PDB that forbids every eviction, checked against all versions at synth', () => {
      const c = chart();
      const svc = new VersionedService(c, 'api', { disruption: Disruption.minAvailable(3), versions: [{ name: 'v1', image: 'a:1' }] });
      expect(() => synth(c)).toThrow(/test\/api: invalid disruption.minAvailable: received 3\. With 2 pod\(s\).*allows no eviction/);
      svc.addVersion({ name: 'v2', image: 'a:2', replicas: 2 });
      expect(() => synth(c)).not.toThrow();
    });

    it('HPA min > max, a CPU target without CPU requests, requests above limits', () => {
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a', autoscaling: { minReplicas: 4, maxReplicas: 2 } }] }),
        'test/api/v1', 'autoscaling.minReplicas', '"4 (maxReplicas 2)"', /must not exceed/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a', autoscaling: {}, resources: { memory: { request: Size.mebibytes(64) } } }] }),
        'test/api/v1', 'autoscaling.targetCpuUtilization', '70', /no CPU request/);
      expectProblem(() => new VersionedService(chart(), 'api', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } }),
        'test/api', 'resources.cpu.request', '"2 (limit 500m)"', /lower the request/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a', replicas: 2, autoscaling: {} }] }),
        'test/api/v1', 'replicas', '2', /either replicas or autoscaling/);
      expectProblem(() => new VersionedService(chart(), 'api', { versions: [{ name: 'v1', image: 'a', replicas: 0 }] }),
        'test/api/v1', 'replicas', '0', /at least 1/);
    });

    it('invalid traffic policy numbers', () => {
      expectProblem(() => new VersionedService(chart(), 'api', { trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } }),
        'test/api', 'trafficPolicy.outlierDetection.maxEjectionPercent', '150', /between 0 and 100/);
      expectProblem(() => new VersionedService(chart(), 'api', { trafficPolicy: { connectionPool: { tcp: { maxConnections: 0 } } } }),
        'test/api', 'trafficPolicy.connectionPool.tcp.maxConnections', '0', /at least 1/);
    });
  });

  it('spread can be required', async () => {
    const chart = newChart();
    new VersionedService(chart, 'api', { spread: SpreadPolicy.REQUIRED, versions: [{ name: 'v1', image: 'a:1' }] });
    const d = find(await synthValid(chart), 'Deployment');
    expect(d.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });
});
