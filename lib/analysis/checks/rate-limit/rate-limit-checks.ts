/**
 * Checks of global rate limiting across the filter and the rate-limit service's configuration,
 * read from the objects alone (hand-written YAML included): the configuration against the service's
 * documented format, every action chain against the limits of its domain, every limit against the
 * chains that can reach it, the filter's gRPC cluster against the Services of the set, and local
 * token buckets against the global limits of the same pods.
 * @see https://github.com/envoyproxy/ratelimit#configuration
 */
import type { ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { KubernetesObject } from '../../../model/kubernetes-object';
import type { Check, Report } from '../../check';
import { namespaceOf, ObjectIndex } from '../../../model/object-index';
import { packageFile } from '../../../private/package-files';
import { jsonSchemaValidator } from '../../schema/crd-schema';

/** The JSON schema of envoyproxy/ratelimit's configuration file, written from its README (vendored). */
export const RATE_LIMIT_CONFIG_SCHEMA_FILE = packageFile('schemas/envoyproxy-ratelimit-config.schema.json');
/** Annotation of an EnvoyFilter whose rate-limit service is outside the set (kept equal to lib/rate-limit.ts). */
const EXTERNAL_ANNOTATION = 'ratelimit.istio-aks-edge.io/external-service';
const RATELIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit';
const LOCAL_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One entry of a configuration (the parts the checks read). */
interface ConfigNode {
  readonly key: string;
  readonly value?: string;
  readonly limit?: { readonly unit: string; readonly requestsPerUnit: number; readonly shadow: boolean };
  readonly children: ConfigNode[];
  /** The entry's path in the configuration, for messages. */
  readonly field: string;
}

/** A rate-limit service configuration found in a ConfigMap. */
interface ServiceConfig {
  readonly source: KubernetesObject;
  readonly key: string;
  readonly domain: string;
  readonly descriptors: ConfigNode[];
}

/** An entry Envoy sends: its key, and its value when the action fixes it. */
interface SentEntry {
  readonly key: string;
  /** Undefined when the value comes from the request (an address, a header). */
  readonly value?: string;
}

/** An action chain of a filter's rate_limits. */
interface Chain {
  readonly filter: KubernetesObject;
  readonly field: string;
  readonly domain: string;
  readonly entries: SentEntry[];
}

/** A global rate-limit filter: its domain, cluster, and the pods it applies to. */
interface GlobalFilter {
  readonly filter: KubernetesObject;
  readonly field: string;
  readonly domain: string;
  readonly cluster?: string;
  readonly pods: string;
}

let schemaCheck: ValidateFunction | undefined;
function configSchema(): ValidateFunction {
  schemaCheck ??= jsonSchemaValidator(RATE_LIMIT_CONFIG_SCHEMA_FILE);
  return schemaCheck;
}

/** Envoy's entry for an action; undefined for actions the checks do not model. */
function sentEntry(action: unknown): SentEntry | undefined {
  const a = obj(action);
  if ('remote_address' in a) return { key: 'remote_address' };
  if ('request_headers' in a) { const k = str(obj(a.request_headers).descriptor_key); return k ? { key: k } : undefined; }
  if ('generic_key' in a) { const g = obj(a.generic_key); return { key: str(g.descriptor_key) ?? 'generic_key', value: str(g.descriptor_value) }; }
  if ('header_value_match' in a) { const h = obj(a.header_value_match); return { key: str(h.descriptor_key) ?? 'header_match', value: str(h.descriptor_value) }; }
  if ('destination_cluster' in a) return { key: 'destination_cluster' };
  if ('source_cluster' in a) return { key: 'source_cluster' };
  if ('masked_remote_address' in a) return { key: 'masked_remote_address' };
  return undefined;
}

function parseNodes(list: unknown, field: string): ConfigNode[] {
  return arr(list).map((d, i) => {
    const o = obj(d);
    const rl = obj(o.rate_limit);
    const f = `${field}[${i}]`;
    return {
      key: str(o.key) ?? '',
      value: str(o.value),
      limit: typeof rl.requests_per_unit === 'number' && typeof rl.unit === 'string'
        ? { unit: rl.unit, requestsPerUnit: rl.requests_per_unit, shadow: o.shadow_mode === true }
        : undefined,
      children: parseNodes(o.descriptors, `${f}.descriptors`),
      field: f,
    };
  });
}

/** The rate-limit configurations of the set: ConfigMap entries whose YAML has a domain and descriptors. */
function serviceConfigs(index: ObjectIndex, report?: Report): ServiceConfig[] {
  const out: ServiceConfig[] = [];
  for (const cm of index.ofKind('ConfigMap')) {
    for (const [key, text] of Object.entries(obj((cm as Json).data))) {
      if (typeof text !== 'string' || !/^domain\s*:/m.test(text) || !/^descriptors\s*:/m.test(text)) continue;
      let parsed: unknown;
      try {
        parsed = load(text);
      } catch (e) {
        report?.(cm, `data.${key}`, `The rate-limit configuration is not YAML (${(e as Error).message.split('\n')[0]}): the service would refuse it and limit nothing.`);
        continue;
      }
      const check = configSchema();
      if (!check(parsed)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
        report?.(cm, `data.${key}`, `The rate-limit configuration does not follow envoyproxy/ratelimit's format (${problems}): fix the entries named, the service refuses the file.`);
        continue;
      }
      const p = obj(parsed);
      out.push({ source: cm, key, domain: str(p.domain) ?? '', descriptors: parseNodes(p.descriptors, `data.${key}:descriptors`) });
    }
  }
  return out;
}

function isExternal(ef: KubernetesObject): boolean {
  return obj(obj(ef.metadata).annotations)[EXTERNAL_ANNOTATION] === 'true';
}

function podsKey(ef: KubernetesObject): string {
  return `${namespaceOf(ef)}|${JSON.stringify(obj(obj(obj(ef).spec).workloadSelector).labels ?? {})}`;
}

function patches(ef: KubernetesObject): Array<{ patch: Json; i: number }> {
  return arr(obj(obj(ef).spec).configPatches).map((p, i) => ({ patch: obj(p), i }));
}

/** The cluster named `name` that a CLUSTER patch of `ef` adds, with the address and port of its first endpoint. */
function addedCluster(ef: KubernetesObject, name: string | undefined): { host: string; port: number; field: string } | undefined {
  if (name === undefined) return undefined;
  for (const { patch, i } of patches(ef)) {
    const value = obj(obj(patch.patch).value);
    if (patch.applyTo !== 'CLUSTER' || obj(patch.patch).operation !== 'ADD' || value.name !== name) continue;
    const endpoint = obj(obj(arr(obj(arr(obj(value.load_assignment).endpoints)[0]).lb_endpoints)[0]).endpoint);
    const socket = obj(obj(endpoint.address).socket_address);
    return { host: str(socket.address) ?? '', port: Number(socket.port_value), field: `spec.configPatches[${i}]` };
  }
  return undefined;
}

function globalFilters(index: ObjectIndex): GlobalFilter[] {
  const out: GlobalFilter[] = [];
  for (const ef of index.ofKind('EnvoyFilter')) {
    for (const { patch, i } of patches(ef)) {
      const tc = obj(obj(obj(patch.patch).value).typed_config);
      if (tc['@type'] !== RATELIMIT_TYPE) continue;
      const cluster = str(obj(obj(obj(tc.rate_limit_service).grpc_service).envoy_grpc).cluster_name);
      out.push({ filter: ef, field: `spec.configPatches[${i}].patch.value.typed_config`, domain: str(tc.domain) ?? '', cluster, pods: podsKey(ef) });
    }
  }
  return out;
}

/** The action chains of the set: rate_limits of VIRTUAL_HOST and HTTP_ROUTE patches, with the domain of the filter on the same pods. */
function chains(index: ObjectIndex, filters: readonly GlobalFilter[]): Chain[] {
  const out: Chain[] = [];
  for (const ef of index.ofKind('EnvoyFilter')) {
    const domain = filters.find((f) => f.filter === ef)?.domain ?? filters.find((f) => f.pods === podsKey(ef))?.domain;
    if (domain === undefined) continue;
    for (const { patch, i } of patches(ef)) {
      const value = obj(obj(patch.patch).value);
      const limits = patch.applyTo === 'VIRTUAL_HOST' ? value.rate_limits : patch.applyTo === 'HTTP_ROUTE' ? obj(value.route).rate_limits : undefined;
      const where = patch.applyTo === 'VIRTUAL_HOST' ? 'rate_limits' : 'route.rate_limits';
      arr(limits).forEach((rl, j) => {
        const entries = arr(obj(rl).actions).map(sentEntry);
        if (entries.length === 0 || entries.some((e) => e === undefined)) return;
        out.push({ filter: ef, field: `spec.configPatches[${i}].patch.value.${where}[${j}]`, domain, entries: entries as SentEntry[] });
      });
    }
  }
  return out;
}

/** The nodes a sent entry selects at one level: the exact key/value, else the key without value (the service's rule); for a request value, any entry of the key. */
function candidates(nodes: readonly ConfigNode[], entry: SentEntry): ConfigNode[] {
  const sameKey = nodes.filter((n) => n.key === entry.key);
  if (entry.value === undefined) return sameKey;
  const exact = sameKey.filter((n) => n.value === entry.value);
  return exact.length ? exact : sameKey.filter((n) => n.value === undefined);
}

/** The limits a chain reaches in a configuration. */
function limitsOf(config: ServiceConfig, entries: readonly SentEntry[]): ConfigNode[] {
  let level: ConfigNode[] = config.descriptors;
  let matched: ConfigNode[] = [];
  for (const e of entries) {
    matched = level.flatMap((n) => candidates([n], e));
    if (matched.length === 0) return [];
    level = matched.flatMap((n) => n.children);
  }
  return matched.filter((n) => n.limit);
}

function describeChain(entries: readonly SentEntry[]): string {
  return entries.map((e) => (e.value === undefined ? `${e.key}=<from request>` : `${e.key}=${e.value}`)).join(', ');
}

/** Every entry of a configuration with a limit, with the path of entries leading to it. */
function limitedPaths(nodes: readonly ConfigNode[], prefix: ConfigNode[] = []): ConfigNode[][] {
  return nodes.flatMap((n) => [...(n.limit ? [[...prefix, n]] : []), ...limitedPaths(n.children, [...prefix, n])]);
}

function perSecond(limit: { unit: string; requestsPerUnit: number }): number {
  return limit.requestsPerUnit / (SECONDS[limit.unit] ?? 1);
}

/** Seconds of an Envoy duration ("1s", "0.5s", "500ms", "1m"). */
function seconds(d: unknown): number | undefined {
  const m = typeof d === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d) : null;
  if (!m) return undefined;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** The largest number of pods an EnvoyFilter's selector can select: the autoscalers' maxima, or the replicas. */
function maximumPods(index: ObjectIndex, ef: KubernetesObject): number | undefined {
  const labels = obj(obj(obj(ef).spec).workloadSelector).labels as Record<string, string> | undefined;
  if (!labels) return undefined;
  const pods = index.podsMatching(labels, namespaceOf(ef));
  if (pods.length === 0) return undefined;
  return pods.reduce((sum, p) => {
    const w = p.workload as Json;
    const hpa = index.autoscalers.get(`${p.namespace}/${str(w.kind)}/${str(obj(w.metadata).name)}`) as Json | undefined;
    const max = hpa ? obj(hpa.spec).maxReplicas : obj(w.spec).replicas;
    return sum + (typeof max === 'number' ? max : 1);
  }, 0);
}

/** The checks of global rate limiting (registered in the analysis' list of checks). */
export const RATE_LIMIT_CHECKS: readonly Check[] = [
  {
    name: 'RateLimitConfigInvalid',
    code: 'EDGE8001',
    severity: 'error',
    kinds: ['ConfigMap'],
    details: 'envoyproxy/ratelimit refuses a configuration that does not follow its format (domain, descriptors with key, value, rate_limit {unit, requests_per_unit}, shadow_mode, nested descriptors) and keeps the previous one or none: fix the entry (the package renders it from RateLimitDescriptor).',
    description: 'A rate-limit service configuration (a ConfigMap entry with domain and descriptors) that does not follow envoyproxy/ratelimit\'s documented format.',
    run(index, report) {
      serviceConfigs(index, report);
    },
  },
  {
    name: 'RateLimitChainWithoutLimit',
    code: 'EDGE8002',
    severity: 'error',
    kinds: ['EnvoyFilter', 'ConfigMap'],
    details: 'The rate-limit service answers OK for descriptors no limit matches, so a chain the filter sends without a matching limit is never limited: add the limit, or remove the action.',
    description: 'An action chain the gateway sends that no limit of the domain\'s configuration matches: it is never limited.',
    run(index, report) {
      const configs = serviceConfigs(index);
      const filters = globalFilters(index);
      for (const c of chains(index, filters)) {
        const own = configs.filter((s) => s.domain === c.domain);
        if (own.length === 0) {
          if (filters.some((f) => f.filter === c.filter && isExternal(f.filter))) continue;
          report(c.filter, c.field, `No rate-limit configuration of the set has domain "${c.domain}", so the chain (${describeChain(c.entries)}) is never limited: add the configuration (RateLimitService), or mark the filter's service external (annotation ${EXTERNAL_ANNOTATION}: "true").`);
          continue;
        }
        if (!own.some((s) => limitsOf(s, c.entries).length > 0)) {
          report(c.filter, c.field, `The chain (${describeChain(c.entries)}) matches no limit of domain "${c.domain}" (${own.map((s) => `ConfigMap ${namespaceOf(s.source)}/${s.source.metadata?.name}`).join(', ')}): add a descriptor with these keys in this order and a rate_limit, or remove the action.`);
        }
      }
    },
  },
  {
    name: 'RateLimitUnreachableLimit',
    code: 'EDGE8003',
    severity: 'warning',
    kinds: ['EnvoyFilter', 'ConfigMap'],
    details: 'A configured limit that no action chain of any filter of its domain produces never applies: fix the descriptor keys, or remove the limit.',
    description: 'A limit of a rate-limit configuration that no action chain of a filter with its domain can reach.',
    run(index, report) {
      const filters = globalFilters(index);
      const all = chains(index, filters);
      for (const s of serviceConfigs(index)) {
        const sent = all.filter((c) => c.domain === s.domain);
        for (const p of limitedPaths(s.descriptors)) {
          const reached = sent.some((c) => c.entries.length === p.length && limitsOf(s, c.entries).includes(p[p.length - 1]));
          if (!reached) {
            const keys = p.map((n) => (n.value === undefined ? n.key : `${n.key}=${n.value}`)).join(', ');
            report(s.source, p[p.length - 1].field, `No filter sends the chain (${keys}) to domain "${s.domain}", so this limit never applies: add the actions to a filter of the domain (RateLimit.global({ service, limits })), or remove the limit.`);
          }
        }
      }
    },
  },
  {
    name: 'RateLimitServiceNotFound',
    code: 'EDGE8004',
    severity: 'error',
    kinds: ['EnvoyFilter', 'Service'],
    details: 'A filter whose gRPC cluster (outbound|port||host) names no Service of the set calls nothing: with failure_mode_deny every request fails, otherwise nothing is limited. Define the service, or declare it external.',
    description: 'A global rate-limit filter whose gRPC cluster names a Service and port that are not in the set (and are not declared external).',
    run(index, report) {
      for (const f of globalFilters(index)) {
        if (isExternal(f.filter)) continue;
        const m = f.cluster ? /^outbound\|(\d+)\|[^|]*\|(.+)$/.exec(f.cluster) : null;
        // The filter may add the cluster itself (a CLUSTER patch with operation ADD, as Istio's
        // samples/bookinfo/policy/productpage_envoy_ratelimit.yaml does): then its endpoint is the service.
        const added = m ? undefined : addedCluster(f.filter, f.cluster);
        if (!m && !added) {
          report(f.filter, `${f.field}.rate_limit_service`, `The filter's rate-limit service is ${JSON.stringify(f.cluster)}, neither an Istio cluster "outbound|<port>||<service host>" nor a cluster this EnvoyFilter adds (a CLUSTER patch with operation ADD and that name): point it at the rate-limit Service.`);
          continue;
        }
        const [port, host] = m ? [Number(m[1]), m[2]] : [added!.port, added!.host];
        // An added cluster may reach any address: only a cluster Service host is looked up in the set.
        if (added && !host.endsWith('.svc.cluster.local')) continue;
        const svc = index.services.get(host);
        const ports = arr(obj(obj(svc).spec).ports).map((p) => obj(p).port);
        if (!svc || !ports.includes(port)) {
          report(f.filter, `${f.field}.rate_limit_service.grpc_service.envoy_grpc.cluster_name`, `The cluster "${f.cluster}"${added ? ` (added by ${added.field})` : ''} names ${svc ? `port ${port} of Service ${host}, which has ports ${JSON.stringify(ports)}` : `Service ${host}, which is not in the set`}: Envoy has no such cluster, so (failing open) nothing is limited. Deploy the service (RateLimitService), fix the host or port, or mark the filter external (annotation ${EXTERNAL_ANNOTATION}: "true").`);
        }
      }
    },
  },
  {
    name: 'RateLimitLocalContradictsGlobal',
    code: 'EDGE8005',
    severity: 'warning',
    kinds: ['EnvoyFilter', 'ConfigMap'],
    details: "A per-pod token bucket that lets fewer requests through than the global limit means the global limit is never reached: raise the local bucket (a backstop) above the global limit's share per pod.",
    description: 'A local token bucket on the same pods that lets fewer requests through than a global limit allows, so the global limit is never reached.',
    run(index, report) {
      const filters = globalFilters(index);
      const configs = serviceConfigs(index);
      const all = chains(index, filters);
      for (const ef of index.ofKind('EnvoyFilter')) {
        for (const { patch, i } of patches(ef)) {
          const tc = obj(obj(obj(patch.patch).value).typed_config);
          if (tc['@type'] !== LOCAL_TYPE) continue;
          const bucket = obj(tc.token_bucket);
          const interval = seconds(bucket.fill_interval);
          const tokens = typeof bucket.tokens_per_fill === 'number' ? bucket.tokens_per_fill : bucket.max_tokens;
          if (!interval || typeof tokens !== 'number') continue;
          const pods = maximumPods(index, ef) ?? 1;
          const capacity = (tokens / interval) * pods;
          for (const c of all.filter((ch) => podsKey(ch.filter) === podsKey(ef))) {
            for (const s of configs.filter((cfg) => cfg.domain === c.domain)) {
              for (const n of limitsOf(s, c.entries)) {
                if (!n.limit || n.limit.shadow || perSecond(n.limit) <= capacity) continue;
                report(ef, `spec.configPatches[${i}].patch.value.typed_config.token_bucket`,
                  `The local limit lets at most ${+capacity.toFixed(3)} requests/s through (${tokens} per ${interval}s on each of at most ${pods} pod(s)), fewer than the global limit ${n.limit.requestsPerUnit}/${n.limit.unit} (${+perSecond(n.limit).toFixed(3)}/s) of chain (${describeChain(c.entries)}) in ConfigMap ${namespaceOf(s.source)}/${s.source.metadata?.name}: the global limit is never reached. Make the local limit a backstop above the global one, or lower the global limit.`);
              }
            }
          }
        }
      }
    },
  },
];
