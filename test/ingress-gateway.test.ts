import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import {
  AksIngressGateway, Certificate, Disruption, ExternalTrafficPolicy, GatewayWorkload, IngressGateway, RateLimit, ScalingMetric,
  ScalingSelectPolicy, SpreadPolicy, TlsMode, TlsVersion,
} from '../lib';
import { all, expectProblem, find, newChart, synth, synthValid } from './support/synth';

const https = { certificate: Certificate.fromSecret('shop-tls'), redirectHttp: true };

describe('IngressGateway', () => {
  it('synthesizes a production gateway by default (snapshot)', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https });
    expect(await synthValid(chart)).toMatchSnapshot();
  });

  it('defaults: autoscaled 2-10 at 70% CPU, no replicas, a PDB, guide resources, zone spread, safe rollout', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https });
    const objects = await synthValid(chart);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Deployment', 'Gateway', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount',
    ]);
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'istio-ingressgateway' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    const d = find(objects, 'Deployment');
    expect(d.metadata.namespace).toBe('istio-ingress');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    const pod = d.spec.template;
    expect(pod.metadata.labels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway', 'sidecar.istio.io/inject': 'true' });
    expect(pod.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(JSON.parse(pod.metadata.annotations['proxy.istio.io/config'])).toEqual({ terminationDrainDuration: '20s' });
    const c = pod.spec.containers[0];
    expect(c).toMatchObject({ name: 'istio-proxy', image: 'auto' });
    expect(c.resources).toEqual({ requests: { cpu: '1000m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } });
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(5 + 20);
    expect(pod.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(pod.spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
    expect(pod.spec.serviceAccountName).toBe('istio-ingressgateway');
    const pdb = find(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toMatchObject({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    const binding = find(objects, 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-ingressgateway' }]);
    expect(find(objects, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
  });

  it('Gateway: HTTP redirecting to HTTPS, TLS 1.2 minimum, the selector from the workload labels', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', { hosts: ['shop.example.com', '*.shop.example.com'], https });
    const objects = await synthValid(chart);
    const gw = find(objects, 'Gateway');
    expect(gw.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', '*.shop.example.com'], tls: { httpsRedirect: true } },
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['shop.example.com', '*.shop.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'shop-tls', minProtocolVersion: 'TLSV1_2' },
      },
    ]);
    const svc = find(objects, 'Service');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['status-port', 15021, 15021], ['http2', 80, 80], ['https', 443, 443]]);
    expect(svc.spec.selector).toEqual(find(objects, 'Deployment').spec.selector.matchLabels);
  });

  it('HTTPS only, mutual TLS, TLS 1.3, custom labels and a revision', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      namespace: 'edge',
      hosts: ['api.example.com'],
      http: { enabled: false },
      https: { certificate: Certificate.fromSecret('api-mtls'), mode: TlsMode.MUTUAL, minProtocolVersion: TlsVersion.TLSV1_3 },
      workload: GatewayWorkload.managed({ name: 'api-gateway', labels: { istio: 'api-gateway' }, revision: 'asm-1-25' }),
    });
    const objects = await synthValid(chart);
    const gw = find(objects, 'Gateway');
    expect(gw.spec.selector).toEqual({ istio: 'api-gateway' });
    expect(gw.spec.servers).toHaveLength(1);
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'api-mtls', minProtocolVersion: 'TLSV1_3' });
    expect(find(objects, 'Service').spec.ports.map((p: any) => p.port)).toEqual([15021, 443]);
    const d = find(objects, 'Deployment', 'api-gateway');
    expect(d.spec.template.metadata.labels).toMatchObject({ istio: 'api-gateway', 'istio.io/rev': 'asm-1-25' });
  });

  it('typed Azure load balancer options become cloud-provider-azure annotations', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      https,
      azure: { publicIp: { name: 'pip-edge', resourceGroup: 'rg-network' }, dnsLabel: 'shop-edge' },
    });
    const svc = find(await synthValid(chart), 'Service');
    expect(svc.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-pip-name': 'pip-edge',
      'service.beta.kubernetes.io/azure-load-balancer-resource-group': 'rg-network',
      'service.beta.kubernetes.io/azure-dns-label-name': 'shop-edge',
      'service.beta.kubernetes.io/port_80_health-probe_protocol': 'http',
      'service.beta.kubernetes.io/port_80_health-probe_port': '15021',
      'service.beta.kubernetes.io/port_80_health-probe_request-path': '/healthz/ready',
      'service.beta.kubernetes.io/port_443_health-probe_protocol': 'http',
      'service.beta.kubernetes.io/port_443_health-probe_port': '15021',
      'service.beta.kubernetes.io/port_443_health-probe_request-path': '/healthz/ready',
    });
    expect(svc.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('internal load balancer with ExternalTrafficPolicy.LOCAL: no per-port probes', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.internal.example.com'],
      azure: { internal: true, internalSubnet: 'snet-ingress', externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
    });
    const svc = find(await synthValid(chart), 'Service');
    expect(svc.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'snet-ingress',
    });
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
  });

  it('fixed replicas instead of an autoscaler; maxUnavailable budget; required zone spread', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'], replicas: 3, disruption: Disruption.maxUnavailable('34%'), spread: SpreadPolicy.REQUIRED,
    });
    const objects = await synthValid(chart);
    expect(all(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    const d = find(objects, 'Deployment');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(find(objects, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: '34%' });
  });

  it('autoscaling on memory, custom metrics and scale behaviour', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      autoscaling: {
        minReplicas: 3, maxReplicas: 30, targetCpuUtilization: 60, targetMemoryUtilization: 80,
        metrics: [
          ScalingMetric.pods({ metricName: 'istio_requests_per_second', averageValue: '500' }),
          ScalingMetric.object({ metricName: 'requests', describedObject: { apiVersion: 'v1', kind: 'Service', name: 'istio-ingressgateway' }, value: '10k' }),
          ScalingMetric.external({ metricName: 'queue_depth', selector: { queue: 'orders' }, averageValue: '30' }),
        ],
        scaleUp: { stabilizationWindow: Duration.seconds(0), policies: [{ type: 'Percent', value: 100, period: Duration.seconds(15) }] },
        scaleDown: { stabilizationWindow: Duration.minutes(10), selectPolicy: ScalingSelectPolicy.MIN, policies: [{ type: 'Pods', value: 1, period: Duration.minutes(1) }] },
      },
    });
    const hpa = find(await synthValid(chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics.map((m: any) => m.type)).toEqual(['Resource', 'Resource', 'Pods', 'Object', 'External']);
    expect(hpa.spec.metrics[1].resource).toEqual({ name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } });
    expect(hpa.spec.metrics[3].object.target).toEqual({ type: 'Value', value: '10k' });
    expect(hpa.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    });
  });

  it('graceful shutdown settings flow into the pod', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      shutdown: { preStopDelay: Duration.seconds(10), drainDuration: Duration.seconds(45), terminationGracePeriod: Duration.seconds(90) },
    });
    const pod = find(await synthValid(chart), 'Deployment').spec.template;
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
    expect(pod.spec.containers[0].lifecycle.preStop.sleep.seconds).toBe(10);
    expect(JSON.parse(pod.metadata.annotations['proxy.istio.io/config']).terminationDrainDuration).toBe('45s');
  });

  it('binds to the AKS add-on gateway: only the Gateway (and rate limits) are emitted', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', {
      hosts: ['shop.example.com'],
      workload: GatewayWorkload.aksAddon(AksIngressGateway.EXTERNAL),
      rateLimits: [RateLimit.local({ maxTokens: 100 })],
    });
    const objects = await synthValid(chart);
    expect(objects.map((o) => o.kind)).toEqual(['Gateway', 'EnvoyFilter']);
    expect(gw.namespace).toBe('aks-istio-ingress');
    expect(find(objects, 'Gateway').spec.selector).toEqual({ istio: 'aks-istio-ingressgateway-external' });
    expect(find(objects, 'EnvoyFilter').metadata.namespace).toBe('aks-istio-ingress');
    expect(find(objects, 'EnvoyFilter').spec.workloadSelector.labels).toEqual({ istio: 'aks-istio-ingressgateway-external' });
  });

  it('binds to an existing workload from a Gateway in another namespace', async () => {
    const chart = newChart();
    new IngressGateway(chart, 'edge', {
      namespace: 'shop', hosts: ['shop.example.com'],
      workload: GatewayWorkload.existing({ namespace: 'istio-system', selector: { istio: 'ingressgateway' } }),
    });
    const gw = find(await synthValid(chart), 'Gateway');
    expect(gw.metadata.namespace).toBe('shop');
  });

  it('hosts added later reach every server', async () => {
    const chart = newChart();
    const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'], https });
    gw.addHost('www.shop.example.com');
    const servers = find(await synthValid(chart), 'Gateway').spec.servers;
    for (const s of servers) expect(s.hosts).toEqual(['shop.example.com', 'www.shop.example.com']);
  });

  it('fromGatewayAttributes refers to a Gateway the app does not define', () => {
    const chart = newChart();
    const ref = IngressGateway.fromGatewayAttributes(chart, 'shared', { name: 'public', namespace: 'istio-ingress', hosts: ['*.example.com'] });
    expect([ref.gatewayName, ref.namespace, ref.hosts]).toEqual(['public', 'istio-ingress', ['*.example.com']]);
    expect(synth(chart)).toEqual([]);
  });

  describe('bad input', () => {
    const make = (props: Partial<ConstructorParameters<typeof IngressGateway>[2]>, id = 'edge') => () =>
      new IngressGateway(newChart(), id, { hosts: ['shop.example.com'], ...props });

    it('invalid names', () => {
      expectProblem(make({}, 'Edge_Gateway'), 'test/Edge_Gateway', 'name', '"Edge_Gateway"', /DNS-1123 label: at most 63 characters/);
      expectProblem(make({ namespace: 'Istio' }), 'test/edge', 'namespace', '"Istio"', /DNS-1123 label/);
      expectProblem(make({ workload: GatewayWorkload.managed({ name: 'gw.1' }) }), 'test/edge', 'workload.name', '"gw.1"', /DNS-1123 label/);
    });

    it('invalid hosts', () => {
      expectProblem(make({ hosts: [] }), 'test/edge', 'hosts', '[]', /at least one host/);
      expectProblem(make({ hosts: ['https://shop.example.com'] }), 'test/edge', 'hosts[0]', '"https://shop.example.com"', /no scheme/);
      expectProblem(make({ hosts: ['Shop.Example.com'] }), 'test/edge', 'hosts[0]', '"Shop.Example.com"', /lower case/);
      expectProblem(make({ hosts: ['a.example.com', 'a.example.com'] }), 'test/edge', 'hosts', '"a.example.com"', /once/);
    });

    it('ports outside 1-65535', () => {
      expectProblem(make({ http: { port: 0 } }), 'test/edge', 'http.port', '0', /between 1 and 65535/);
      expectProblem(make({ https: { ...https, port: 70000 } }), 'test/edge', 'https.port', '70000', /between 1 and 65535/);
    });

    it('an HTTPS server without a credential', () => {
      expectProblem(make({ https: {} as never }), 'test/edge', 'https.certificate', 'undefined', /needs a credential/);
      expect(() => Certificate.fromSecret('')).toThrow(/Certificate.fromSecret: invalid secretName/);
    });

    it('no server at all, or a redirect without HTTP', () => {
      expectProblem(make({ http: { enabled: false } }), 'test/edge', 'http.enabled', 'false', /at least one server/);
      expectProblem(make({ http: { enabled: false }, https }), 'test/edge', 'https.redirectHttp', 'true', /needs the HTTP server/);
    });

    it('HPA min > max, min < 1, a target without requests', () => {
      expectProblem(make({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }), 'test/edge', 'autoscaling.minReplicas', '"5 (maxReplicas 3)"', /must not exceed maxReplicas/);
      expectProblem(make({ autoscaling: { minReplicas: 0 } }), 'test/edge', 'autoscaling.minReplicas', '0', /at least 1/);
      expectProblem(make({ resources: { memory: { request: Size.gibibytes(1) } } }), 'test/edge', 'autoscaling.targetCpuUtilization', '70', /"istio-proxy" has no CPU request/);
      expectProblem(make({ autoscaling: { targetMemoryUtilization: 80 }, resources: { cpu: { request: Cpu.millis(500) } } }), 'test/edge', 'autoscaling.targetMemoryUtilization', '80', /no memory request/);
      expect(() => ScalingMetric.object({ metricName: 'm', describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' } })).toThrow(/exactly one of `value` and `averageValue`/);
    });

    it('requests above limits', () => {
      expectProblem(make({ resources: { cpu: { request: Cpu.millis(3000), limit: Cpu.millis(2000) } } }), 'test/edge', 'resources.cpu.request', '"3000m (limit 2000m)"', /lower the request/);
      expectProblem(make({ resources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(2) } } }), 'test/edge', 'resources.memory.request', '"4Gi (limit 2Gi)"', /lower the request/);
    });

    it('a PDB that forbids every eviction', () => {
      expectProblem(make({ autoscaling: { minReplicas: 2 }, disruption: Disruption.minAvailable(2) }), 'test/edge', 'disruption.minAvailable', '2', /allows no eviction.*below 2/);
      expectProblem(make({ replicas: 1 }), 'test/edge', 'disruption.minAvailable', '1', /allows no eviction/);
      expectProblem(make({ disruption: Disruption.maxUnavailable(0) }), 'test/edge', 'disruption.maxUnavailable', '0', /at least 1/);
      expectProblem(make({ disruption: Disruption.minAvailable('100%') }), 'test/edge', 'disruption.minAvailable', '"100%"', /allows no eviction/);
      expectProblem(make({ disruption: Disruption.minAvailable('150%') }), 'test/edge', 'disruption.minAvailable', '"150%"', /percentage/);
    });

    it('contradictory workload settings', () => {
      expectProblem(make({ replicas: 3, autoscaling: {} }), 'test/edge', 'replicas', '3', /either replicas or autoscaling/);
      expectProblem(make({ workload: GatewayWorkload.aksAddon(), replicas: 3 }), 'test/edge', 'replicas', '3', /GatewayWorkload.managed/);
      expectProblem(make({ azure: { internal: true, publicIp: { name: 'pip' } } }), 'test/edge', 'azure.publicIp', '{"name":"pip"}', /internal load balancer has no public IP/);
      expectProblem(make({ azure: { publicIp: { name: 'pip.' } } }), 'test/edge', 'azure.publicIp.name', '"pip."', /Azure resource name/);
      expectProblem(make({ azure: { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, healthProbePath: '/healthz' } }), 'test/edge', 'azure.healthProbePath', '"/healthz"', /remove healthProbePath/);
    });

    it('a grace period that does not cover the pre-stop wait and the drain', () => {
      expectProblem(make({ shutdown: { terminationGracePeriod: Duration.seconds(25) } }), 'test/edge', 'shutdown.terminationGracePeriod', '25s', /longer than preStopDelay \+ drainDuration \(25s\)/);
    });

    it('rate-limit numbers <= 0', () => {
      expectProblem(make({ rateLimits: [RateLimit.local({ maxTokens: 0 })] }), 'test/edge', 'rateLimits[0].maxTokens', '0', /at least 1/);
      expectProblem(make({ rateLimits: [RateLimit.local({ maxTokens: 10, tokensPerFill: -1 })] }), 'test/edge', 'rateLimits[0].tokensPerFill', '-1', /at least 1/);
      expectProblem(make({ rateLimits: [RateLimit.local({ maxTokens: 10, fillInterval: Duration.millis(0) })] }), 'test/edge', 'rateLimits[0].fillInterval', '0s', /at least 1ms/);
      expectProblem(make({ rateLimits: [RateLimit.global({ domain: 'd', serviceHost: 'ratelimit.rl.svc.cluster.local', servicePort: 0 })] }), 'test/edge', 'rateLimits[0].servicePort', '0', /between 1 and 65535/);
    });
  });
});
