/**
 * What the Argo Rollouts analysis needs from the stack: the Secrets whose client secret the
 * AnalysisTemplates' Prometheus OAuth2 authentication reads (`PrometheusSource.azureManaged`
 * passes it as an argument from a `secretKeyRef`, so it never appears in the manifests), read from
 * the synthesized templates.
 */
import { ObjectReference } from '../../deployment-facts';
import { KubernetesObject } from '../../model/kubernetes-object';

/** A Secret the analysis reads the OAuth2 client secret from. */
export interface AnalysisClientSecret {
  /** The Secret's namespace (the AnalysisTemplate's: the AnalysisRun reads it there). */
  readonly namespace: string;
  /** The Secret's name. */
  readonly name: string;
  /** The key holding the client secret. */
  readonly key: string;
  /** The Prometheus addresses, client IDs and token URLs of the metrics that use it. */
  readonly addresses: string[];
  readonly clientIds: string[];
  readonly tokenUrls: string[];
  /** The objects that lead to reading it (the templates, and the Rollouts of their namespace). */
  readonly readers: ObjectReference[];
}

interface Template {
  args?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }[];
  metrics?: { provider?: { prometheus?: { address?: string; authentication?: { oauth2?: { clientId?: string; clientSecret?: string; tokenUrl?: string } } } } }[];
}

const ref = (o: KubernetesObject): ObjectReference => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? '' });

/** The Secrets the AnalysisTemplates of `objects` read their Prometheus OAuth2 client secret from. */
export function analysisClientSecrets(objects: readonly KubernetesObject[]): AnalysisClientSecret[] {
  const found = new Map<string, { namespace: string; name: string; key: string; addresses: Set<string>; clientIds: Set<string>; tokenUrls: Set<string>; readers: ObjectReference[] }>();
  for (const t of objects.filter((o) => o.kind === 'AnalysisTemplate' && o.apiVersion.startsWith('argoproj.io/'))) {
    const namespace = t.metadata?.namespace ?? 'default';
    const spec = (t as { spec?: Template }).spec ?? {};
    for (const m of spec.metrics ?? []) {
      const prom = m.provider?.prometheus;
      const oauth = prom?.authentication?.oauth2;
      const arg = /^\{\{\s*args\.([\w-]+)\s*\}\}$/.exec(oauth?.clientSecret ?? '')?.[1];
      const secret = spec.args?.find((a) => a.name === arg)?.valueFrom?.secretKeyRef;
      if (!oauth || !secret?.name || !secret.key) continue;
      const key = `${namespace}/${secret.name}/${secret.key}`;
      const entry = found.get(key) ?? { namespace, name: secret.name, key: secret.key, addresses: new Set(), clientIds: new Set(), tokenUrls: new Set(), readers: [] };
      if (prom?.address) entry.addresses.add(prom.address);
      if (oauth.clientId) entry.clientIds.add(oauth.clientId);
      if (oauth.tokenUrl) entry.tokenUrls.add(oauth.tokenUrl);
      if (!entry.readers.some((r) => r.kind === t.kind && r.name === t.metadata?.name)) entry.readers.push(ref(t));
      found.set(key, entry);
    }
  }
  return [...found.values()].map((e) => ({
    namespace: e.namespace, name: e.name, key: e.key, addresses: [...e.addresses], clientIds: [...e.clientIds], tokenUrls: [...e.tokenUrls],
    readers: [...e.readers, ...objects.filter((o) => o.kind === 'Rollout' && o.apiVersion.startsWith('argoproj.io/') && (o.metadata?.namespace ?? 'default') === e.namespace).map(ref)],
  }));
}
