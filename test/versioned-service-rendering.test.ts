// The versions' Deployments are written as plain data (lib/versioned-service.ts); until 0.2 they were
// cdk8s-plus Deployments with JSON patches. This renders the same versions both ways and compares
// the YAML byte for byte, so that the faster rendering keeps every field cdk8s-plus wrote.
import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { AppProtocol, Cpu, manifestsToYaml, SpreadPolicy, synthesizeApp, VersionedService, VersionedServiceProps, VersionOptions } from '../lib';
import { SERVICE_DEFAULT_RESOURCES } from '../lib/resources';
import { topologySpread } from '../lib/scheduling';
import { HARDENED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from '../lib/private/security-context';
import { plainK8sJson } from '../lib/private/k8s-json';

/** The Deployment as 0.1 rendered it: a cdk8s-plus Deployment and four JSON patches. */
function cdk8sPlusDeployment(chart: Chart, service: string, namespace: string, ports: Array<{ name: string; targetPort: number }>, v: VersionOptions, props: VersionedServiceProps): void {
  const selectorLabels = { app: service, version: v.name };
  const firstPort = ports[0].targetPort;
  const sa = kplus.ServiceAccount.fromServiceAccountName(chart, `${v.name}-sa`, service);
  const deployment = new kplus.Deployment(chart, `${v.name}-old`, {
    metadata: { name: `${service}-${v.name}`, namespace, labels: selectorLabels },
    select: false,
    podMetadata: { labels: { ...(v.labels ?? {}), ...selectorLabels } },
    replicas: v.autoscaling ? undefined : (v.replicas ?? 2),
    serviceAccount: sa,
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    containers: [{
      name: 'app',
      image: v.image,
      ports: ports.map((p) => ({ number: p.targetPort, name: p.name.slice(0, 15) })),
      envVariables: Object.fromEntries(Object.entries(v.env ?? {}).map(([k, val]) => [k, kplus.EnvValue.fromValue(val)])),
      readiness: v.readiness ?? kplus.Probe.fromTcpSocket({ port: firstPort }),
      liveness: v.liveness ?? kplus.Probe.fromTcpSocket({ port: firstPort, initialDelaySeconds: Duration.seconds(15) }),
      command: v.command,
      args: v.args,
      resources: v.resources ?? props.resources ?? SERVICE_DEFAULT_RESOURCES,
      securityContext: {
        ensureNonRoot: HARDENED_CONTAINER.runAsNonRoot,
        readOnlyRootFilesystem: HARDENED_CONTAINER.readOnlyRootFilesystem,
        allowPrivilegeEscalation: HARDENED_CONTAINER.allowPrivilegeEscalation,
        privileged: HARDENED_CONTAINER.privileged,
        ...v.securityContext,
      },
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels: selectorLabels }));
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', topologySpread(selectorLabels, props.spread ?? SpreadPolicy.PREFERRED)),
    JsonPatch.remove(`/spec/template/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { ...RUNTIME_DEFAULT_SECCOMP }),
    ...(v.securityContext?.capabilities ? [] : [JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: [...HARDENED_CONTAINER.capabilities.drop] })]),
  );
  if (v.autoscaling) deployment.markHasAutoscaler();
}

function deployments(app: App): string {
  return manifestsToYaml(synthesizeApp(app).flatMap((c) => c.objects).filter((o) => o.kind === 'Deployment'));
}

const CASES: Array<{ title: string; props: VersionedServiceProps; ports: Array<{ name: string; targetPort: number }> }> = [
  { title: 'defaults', props: { versions: [{ name: 'v1', image: 'api:1' }] }, ports: [{ name: 'http', targetPort: 8080 }] },
  {
    title: 'replicas, autoscaling, env, command, args, labels, resources',
    props: {
      port: 9000,
      resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(2) }, memory: { request: Size.mebibytes(64), limit: Size.gibibytes(1) } },
      versions: [
        { name: 'v1', image: 'api:1', replicas: 5, env: { LOG_LEVEL: 'info', EMPTY: '', QUOTED: 'a "b": c' }, command: ['/bin/api'], args: ['--port', '9000'], labels: { team: 'shop', 'example.com/tier': 'web' } },
        { name: 'v2', image: 'api:2', autoscaling: { minReplicas: 2, maxReplicas: 8 }, resources: { cpu: { request: Cpu.millis(50) } } },
      ],
    },
    ports: [{ name: 'http', targetPort: 9000 }],
  },
  {
    // Versions with the default container settings share the built container of their ports and
    // resources (lib/versioned-service.ts, defaultContainers): each must still be its own.
    title: 'versions with default containers, the same or other resources',
    props: {
      resources: { cpu: { request: Cpu.millis(300) }, memory: { limit: Size.mebibytes(768) } },
      versions: [
        { name: 'v1', image: 'api:1' },
        { name: 'v2', image: 'api:2', replicas: 3 },
        { name: 'v3', image: 'api:3', resources: { cpu: { request: Cpu.millis(300), limit: Cpu.millis(600) }, memory: { limit: Size.mebibytes(768) } } },
        { name: 'v4', image: 'api:4', resources: { memory: { limit: Size.mebibytes(768) }, cpu: { request: Cpu.millis(300) } } },
        { name: 'v5', image: 'api:5', resources: { cpu: { request: Cpu.millis(300) }, memory: { request: Size.gibibytes(0.5), limit: Size.mebibytes(768) } } },
        { name: 'v7', image: 'api:7', resources: { cpu: { request: Cpu.millis(300) }, memory: { limit: Size.gibibytes(1.5) } } },
        { name: 'v6', image: 'api:6', env: { A: 'b' } },
      ],
    },
    ports: [{ name: 'http', targetPort: 8080 }],
  },
  {
    title: 'several ports, probes, security context, required spread',
    props: {
      ports: [{ port: 80, targetPort: 8080 }, { port: 9090, protocol: AppProtocol.GRPC }, { port: 7000, protocol: AppProtocol.TCP, name: 'a-very-long-port-name' }],
      spread: SpreadPolicy.REQUIRED,
      versions: [
        {
          name: 'v1', image: 'api:1',
          readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080, periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
          liveness: kplus.Probe.fromCommand(['cat', '/tmp/healthy'], { initialDelaySeconds: Duration.seconds(30) }),
          securityContext: { user: 1000, group: 2000 },
        },
        {
          name: 'v2', image: 'api:2',
          readiness: kplus.Probe.fromTcpSocket({ port: 9090 }),
          securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE], drop: [kplus.Capability.NET_RAW] }, readOnlyRootFilesystem: false },
        },
      ],
    },
    ports: [{ name: 'http-80', targetPort: 8080 }, { name: 'grpc-9090', targetPort: 9090 }, { name: 'a-very-long-port-name', targetPort: 7000 }],
  },
];

describe('VersionedService versions\' Deployments', () => {
  for (const c of CASES) {
    it(`are what cdk8s-plus's Deployment rendered, byte for byte: ${c.title}`, () => {
      const ours = Testing.app();
      new VersionedService(new Chart(ours, 'test', { disableResourceNameHashes: true }), 'api', { namespace: 'shop', ...c.props });
      const before = Testing.app();
      const chart = new Chart(before, 'test', { disableResourceNameHashes: true });
      for (const v of c.props.versions ?? []) cdk8sPlusDeployment(chart, 'api', 'shop', c.ports, v, c.props);
      const expected = deployments(before);
      expect(expected.split('---\n')).toHaveLength((c.props.versions ?? []).length);
      expect(deployments(ours)).toBe(expected);
    });
  }

  // The container is copied in one pass where the rendering sorts keys, and goes through the
  // generated mapping otherwise (lib/private/k8s-json.ts), whose order (the Kubernetes OpenAPI's,
  // alphabetical) then reaches the output.
  it('with CDK8S_DISABLE_SORT, write the container in the generated mapping\'s order', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      for (const c of CASES) {
        const app = Testing.app();
        new VersionedService(new Chart(app, 'test', { disableResourceNameHashes: true }), 'api', { namespace: 'shop', ...c.props });
        for (const d of synthesizeApp(app).flatMap((ch) => ch.objects).filter((o) => o.kind === 'Deployment') as any[]) {
          const container = d.spec.template.spec.containers[0];
          const keys = Object.keys(container);
          expect(keys).toEqual([...keys].sort());
          expect(keys.indexOf('name')).toBeGreaterThan(keys.indexOf('image'));
          const probe = Object.keys(container.readinessProbe);
          expect(probe).toEqual([...probe].sort());
        }
      }
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  it('copy a container in one pass only when it holds plain data, IntOrString and Quantity', () => {
    const port = kplus.k8s.IntOrString.fromNumber(8080);
    expect(plainK8sJson({ b: [1, { port }], a: undefined, q: kplus.k8s.Quantity.fromString('1Gi') })).toEqual({ b: [1, { port: 8080 }], q: '1Gi' });
    expect(plainK8sJson({ a: { lazy: Lazy.any({ produce: () => 1 }) } })).toBeUndefined();
  });

  it('are ApiObjects: patches and annotations reach the output', () => {
    const app = Testing.app();
    const svc = new VersionedService(new Chart(app, 'test', { disableResourceNameHashes: true }), 'api', { versions: [{ name: 'v1', image: 'api:1' }] });
    const d = svc.version('v1').deployment;
    d.metadata.addAnnotation('example.com/owner', 'shop');
    d.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
    const out = synthesizeApp(app).flatMap((c) => c.objects).find((o) => o.kind === 'Deployment') as any;
    expect(out.metadata.annotations).toEqual({ 'example.com/owner': 'shop' });
    expect(out.spec.template.spec.priorityClassName).toBe('high');
    expect(ApiObject.of(d)).toBe(d);
  });
});
