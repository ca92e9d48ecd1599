// The generated edge the benchmarks synthesize: one IngressGateway and N VersionedServices, each
// with two versions (v1 autoscaled, v2 with 2 replicas), a PDB, and one AppRoute splitting 90/10.
import { App, Chart } from 'cdk8s';
import { Certificate, IngressGateway, PathMatch, RateLimit, Traffic, VersionedService } from '../lib';

/** Objects per service: Service, ServiceAccount, DestinationRule, PDB, 2 Deployments, HPA, VirtualService. */
export const OBJECTS_PER_SERVICE = 8;

export function buildScaleEdge(n: number): App {
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(chart, 'edge', {
    hosts: ['*.bench.example.com'],
    https: { certificate: Certificate.fromSecret('bench-tls'), redirectHttp: true },
    autoscaling: { minReplicas: 3, maxReplicas: 30 },
    rateLimits: [RateLimit.local({ maxTokens: 1000 })],
  });
  for (let i = 0; i < n; i++) {
    const name = `svc${i}`;
    const namespace = `team${i % 20}`;
    const svc = new VersionedService(chart, name, {
      namespace,
      port: 8080,
      versions: [
        { name: 'v1', image: `registry.example.com/${name}:1.0`, autoscaling: { minReplicas: 2, maxReplicas: 6 } },
        { name: 'v2', image: `registry.example.com/${name}:1.1`, replicas: 2 },
      ],
    });
    gateway.addRoute(name, {
      namespace,
      hosts: [`${name}.bench.example.com`],
      routes: [{ name: 'main', match: [{ path: PathMatch.prefix('/') }], to: Traffic.canary(svc.version('v1'), svc.version('v2'), { percent: 10 }) }],
    });
  }
  return app;
}
