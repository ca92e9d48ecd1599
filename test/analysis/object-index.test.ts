import { describe, expect, it } from 'vitest';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { ObjectIndex } from '../../lib/model/object-index';

const deployment = (name: string, namespace: string, labels: Record<string, string>): KubernetesObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
});
const service = (name: string, namespace: string, selector: Record<string, string>, annotations?: Record<string, string>): KubernetesObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec: { selector, ports: [{ port: 80 }] },
});

describe('ObjectIndex', () => {
  const v1 = deployment('web-v1', 'shop', { app: 'web', version: 'v1' });
  const v2 = deployment('web-v2', 'shop', { app: 'web', version: 'v2' });
  const other = deployment('web-v1', 'other', { app: 'web', version: 'v1' });
  const api = deployment('api-v1', 'shop', { app: 'api', version: 'v1' });
  const web = service('web', 'shop', { app: 'web' });
  const v2Only = service('web-v2', 'shop', { app: 'web', version: 'v2' });
  const hidden = service('private', 'shop', { app: 'web' }, { 'networking.istio.io/exportTo': '.' });
  const istioGateway: KubernetesObject = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: {} };
  const apiGateway: KubernetesObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: {} };
  const role: KubernetesObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'ignored' } };
  const roleAgain: KubernetesObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } };
  const copy = deployment('web-v2', 'shop', { app: 'copy' });
  const index = new ObjectIndex([v1, v2, other, api, web, v2Only, hidden, istioGateway, apiGateway, role, roleAgain, copy]);

  it('finds objects by kind, namespace and name; the Istio Gateway apart from the Gateway API one', () => {
    expect(index.get('Deployment', 'shop', 'web-v1')).toBe(v1);
    expect(index.get('Deployment', 'other', 'web-v1')).toBe(other);
    expect(index.get('Deployment', 'shop', 'nope')).toBeUndefined();
    expect(index.get('Service', 'other', 'web')).toBeUndefined();
    expect(index.get('Gateway', 'shop', 'edge')).toBe(istioGateway);
    expect(index.get('ClusterRole', 'anywhere', 'reader')).toBe(role);
  });

  it('lists the objects whose kind, namespace and name an earlier one has (cluster-scoped kinds by name only)', () => {
    expect(index.duplicates).toEqual([roleAgain, copy]);
  });

  it('selects pod templates on every label of the selector, in a namespace or in all', () => {
    expect(index.podsMatching({ app: 'web', version: 'v2' }, 'shop').map((p) => p.workload)).toEqual([v2]);
    expect(index.podsMatching({ app: 'web', version: 'v1' }, 'shop').map((p) => p.workload)).toEqual([v1]);
    expect(index.podsMatching({ version: 'v1', app: 'web' }, 'shop').map((p) => p.workload)).toEqual([v1]);
    expect(index.podsMatching({ app: 'web' }, 'shop').map((p) => p.workload)).toEqual([v1, v2]);
    expect(index.podsMatching({ app: 'web', version: 'v1' }).map((p) => p.workload)).toEqual([v1, other]);
    expect(index.podsMatching({ app: 'web', version: 'v3' }, 'shop')).toEqual([]);
    expect(index.podsMatching({ app: 'web' }, 'nowhere')).toEqual([]);
  });

  it('finds the Services whose selector picks a pod template', () => {
    const pod = index.podTemplates.find((p) => p.workload === v2)!;
    expect(index.servicesSelecting(pod)).toEqual([web, v2Only, hidden]);
    expect(index.servicesSelecting(index.podTemplates.find((p) => p.workload === v1)!)).toEqual([web, hidden]);
  });

  it('resolves registry hosts as seen from a namespace (exportTo respected)', () => {
    expect(index.registryHost('web', 'shop')?.source).toBe(web);
    expect(index.registryHost('web.shop.svc.cluster.local', 'other')?.source).toBe(web);
    expect(index.registryHost('private.shop.svc.cluster.local', 'shop')?.source).toBe(hidden);
    expect(index.registryHost('private.shop.svc.cluster.local', 'other')).toBeUndefined();
    expect(index.registryHasAnywhere('private.shop.svc.cluster.local', 'other')?.source).toBe(hidden);
  });
});
