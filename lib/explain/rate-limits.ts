/**
 * Global rate limits as Envoy and the rate-limit service apply them: the `rate_limits` actions of
 * the route (HTTP_ROUTE patches, matched by route name) and of the virtual host (VIRTUAL_HOST
 * patches) make descriptors from the request; the service's configuration (a ConfigMap holding
 * `domain:` and `descriptors:`, envoyproxy/ratelimit's format) gives the limit each descriptor hits.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-ratelimit
 * @see https://github.com/envoyproxy/ratelimit#configuration
 */
import { KubernetesObject } from '../model/kubernetes-object';
import { arr, num, rec, str } from '../model/json';
import { parseYaml } from '../model/read-manifests';
import { stringMatch } from './match';

/**
 * What an EnvoyFilter patch's value (as JSON text) adds: a local rate limit (a token bucket per proxy), the global
 * rate-limit filter or its route actions, or neither.
 */
export function rateLimitKind(patchValueJson: string): 'local' | 'global' | undefined {
  const text = patchValueJson;
  if (/local_ratelimit|LocalRateLimit/.test(text)) return 'local';
  if (/envoy\.filters\.http\.ratelimit|\.ratelimit\.v3\.RateLimit|rate_limits/.test(text)) return 'global';
  return undefined;
}

/** One entry of a descriptor. */
export interface DescriptorEntry {
  readonly key: string;
  /** The value; "<client address>" when the request gives no `sourceIp`. */
  readonly value: string;
}

/** A limit of the rate-limit service (or a local token bucket). */
export interface RateLimitValue {
  /** Requests allowed per unit (a token bucket: tokens per fill). */
  readonly value: number;
  /** second, minute, hour, day (a token bucket: its fill interval, "1s"). */
  readonly unit: string;
  /** What is counted apart: the descriptor path of the service's configuration ("route=api, remote_address"), or "per gateway pod" for a token bucket. */
  readonly key: string;
}

/** A descriptor the request produces, and the limit it hits. */
export interface ExplainedDescriptor {
  /** Where the actions are: "route api" (HTTP_ROUTE patch) or "virtual host" (VIRTUAL_HOST patch). */
  readonly source: string;
  readonly entries: readonly DescriptorEntry[];
  /** The limit of the service's configuration it hits; undefined when none matches (not limited). */
  readonly limit?: RateLimitValue;
  /** true when the configuration says `unlimited: true` for it. */
  readonly unlimited?: boolean;
}

/** The request as the rate-limit actions read it. */
export interface RateLimitRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly sourceIp?: string;
  readonly path: string;
  readonly method: string;
  readonly host: string;
}

/**
 * The descriptor of one `rate_limits` entry, or undefined when Envoy sends none (an action with
 * nothing to read, as a missing header without `skip_if_absent`, drops the whole descriptor).
 */
export function descriptorOf(rateLimit: Record<string, unknown>, req: RateLimitRequest): { entries: DescriptorEntry[]; undecided?: string } | undefined {
  const entries: DescriptorEntry[] = [];
  let undecided: string | undefined;
  for (const action of arr(rateLimit.actions).map(rec)) {
    if (action.generic_key !== undefined) {
      const g = rec(action.generic_key);
      entries.push({ key: str(g.descriptor_key) ?? 'generic_key', value: str(g.descriptor_value) ?? '' });
    } else if (action.remote_address !== undefined) {
      entries.push({ key: 'remote_address', value: req.sourceIp ?? '<client address>' });
    } else if (action.request_headers !== undefined) {
      const h = rec(action.request_headers);
      const value = req.headers[(str(h.header_name) ?? '').toLowerCase()];
      if (value === undefined) {
        if (h.skip_if_absent === true) continue;
        return undefined;
      }
      entries.push({ key: str(h.descriptor_key) ?? str(h.header_name) ?? '', value });
    } else if (action.header_value_match !== undefined) {
      const m = rec(action.header_value_match);
      const matched = arr(m.headers).map(rec).every((hm) => {
        const value = req.headers[(str(hm.name) ?? '').toLowerCase()];
        const sm = hm.string_match !== undefined ? rec(hm.string_match) : hm.exact_match !== undefined ? { exact: hm.exact_match } : hm.prefix_match !== undefined ? { prefix: hm.prefix_match } : undefined;
        const r = hm.present_match !== undefined ? (value !== undefined) === (hm.present_match === true) : sm ? stringMatch(sm, value) === true : value !== undefined;
        return hm.invert_match === true ? !r : r;
      });
      if (matched !== (m.expect_match !== false)) return undefined;
      entries.push({ key: str(m.descriptor_key) ?? 'header_match', value: str(m.descriptor_value) ?? '' });
    } else {
      const kind = Object.keys(action)[0] ?? 'action';
      undecided = `the ${kind} action's value is not read by explain`;
      entries.push({ key: kind, value: `<${kind}>` });
    }
  }
  return { entries, ...(undecided ? { undecided } : {}) };
}

interface ConfigNode {
  key: string;
  value?: string;
  rate_limit?: { unit?: string; requests_per_unit?: number };
  unlimited?: boolean;
  descriptors?: ConfigNode[];
}

/** The rate-limit service configurations among the objects (ConfigMap data holding domain and descriptors), by domain. */
export function rateLimitConfigs(objects: readonly KubernetesObject[]): Map<string, ConfigNode[]> {
  const out = new Map<string, ConfigNode[]>();
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    for (const text of Object.values(rec(o.data))) {
      if (typeof text !== 'string' || !/^domain:/m.test(text) || !/descriptors:/.test(text)) continue;
      let doc: Record<string, unknown>;
      try {
        doc = rec(parseYaml(text));
      } catch {
        continue;
      }
      const domain = str(doc.domain);
      if (domain) out.set(domain, [...(out.get(domain) ?? []), ...arr(doc.descriptors).map((d) => rec(d) as unknown as ConfigNode)]);
    }
  }
  return out;
}

/**
 * The node a descriptor reaches in envoyproxy/ratelimit's tree, and its path in words ("route=api,
 * remote_address"): each entry descends to the child with the same key and value, else the one
 * with the key and no value. Undefined when an entry finds no child.
 */
export function descriptorNode(nodes: readonly ConfigNode[], entries: readonly DescriptorEntry[]): { node: ConfigNode; path: string } | undefined {
  let level: readonly ConfigNode[] = nodes;
  let node: ConfigNode | undefined;
  const path: string[] = [];
  for (const e of entries) {
    node = level.find((n) => n.key === e.key && n.value === e.value) ?? level.find((n) => n.key === e.key && n.value === undefined);
    if (!node) return undefined;
    path.push(node.value !== undefined ? `${node.key}=${node.value}` : node.key);
    level = node.descriptors ?? [];
  }
  return node ? { node, path: path.join(', ') } : undefined;
}

/** The limit a descriptor hits in envoyproxy/ratelimit's tree: that of the node it reaches ({@link descriptorNode}). */
export function limitOf(nodes: readonly ConfigNode[], entries: readonly DescriptorEntry[]): { limit?: RateLimitValue; unlimited?: boolean } {
  const reached = descriptorNode(nodes, entries);
  if (!reached) return {};
  const { node, path } = reached;
  if (node.unlimited === true) return { unlimited: true };
  const value = num(node.rate_limit?.requests_per_unit);
  return value !== undefined ? { limit: { value, unit: (node.rate_limit?.unit ?? '').toLowerCase(), key: path } } : {};
}

/** The limits of a service configuration (nodes with a `rate_limit` or `unlimited: true`), each with its descriptor path. */
export function configuredLimits(nodes: readonly ConfigNode[], path: readonly string[] = []): { path: string; limit: string }[] {
  return nodes.flatMap((n) => {
    const here = [...path, n.value !== undefined ? `${n.key}=${n.value}` : n.key];
    const own = n.unlimited === true ? [{ path: here.join(', '), limit: 'unlimited' }]
      : num(n.rate_limit?.requests_per_unit) !== undefined ? [{ path: here.join(', '), limit: `${n.rate_limit?.requests_per_unit}/${(n.rate_limit?.unit ?? '').toLowerCase()}` }] : [];
    return [...own, ...configuredLimits(n.descriptors ?? [], here)];
  });
}

/** Every limit of a service configuration in words: "route=api, remote_address 300/minute". */
export function serviceLimits(nodes: readonly ConfigNode[]): string[] {
  return configuredLimits(nodes).map((l) => `${l.path} ${l.limit}`);
}

/** A global limit a route is subject to, read from the EnvoyFilters without a request (for the picture). */
export interface RouteRateLimit {
  /** "namespace/name" of the EnvoyFilter whose patch sends the descriptor. */
  readonly filter: string;
  /** Where the actions are: "route" (HTTP_ROUTE patch) or "virtual host" (VIRTUAL_HOST patch). */
  readonly source: 'route' | 'virtual host';
  /** The descriptor in words: "route=api, remote_address" (an entry without a value is counted per value: the client address, the header's value). */
  readonly descriptor: string;
  /** The limit of the service's configuration it hits, when the configuration is among the manifests. */
  readonly limit?: RateLimitValue;
  /** true when the configuration says `unlimited: true` for it. */
  readonly unlimited?: boolean;
}

/** Where a route is served: its gateways ("namespace/name"), the servers' ports, the VirtualService's hosts and the route's name. */
export interface RouteAt {
  readonly gateways: ReadonlySet<string>;
  readonly ports: readonly number[];
  readonly hosts: readonly string[];
  readonly name?: string;
}

/**
 * The descriptors Envoy sends for a route at a gateway, and the limit each hits: the route's own
 * `rate_limits` (HTTP_ROUTE patches matched by gateway, port, virtual host and route name), else
 * the virtual host's (VIRTUAL_HOST patches), as {@link descriptorOf} reads them for a request. An
 * action whose value comes from the request (the client address, a header) is counted per value.
 * `configs` is the service configuration of the filters' domain ({@link rateLimitConfigs}).
 */
export function routeRateLimits(filters: readonly KubernetesObject[], at: RouteAt, configs: ReadonlyMap<string, readonly ConfigNode[]>): RouteRateLimit[] {
  const out: RouteRateLimit[] = [];
  for (const filter of filters) {
    const patches = arr(rec(filter.spec).configPatches).map(rec);
    const domain = patches.map((p) => str(rec(rec(rec(p.patch).value).typed_config).domain)).find((d) => d !== undefined);
    const config = domain !== undefined ? configs.get(domain) : undefined;
    const routeLevel: Record<string, unknown>[] = [];
    const vhostLevel: Record<string, unknown>[] = [];
    let includeVh = false;
    for (const p of patches) {
      const applyTo = str(p.applyTo);
      if (applyTo !== 'HTTP_ROUTE' && applyTo !== 'VIRTUAL_HOST') continue;
      const rc = rec(rec(p.match).routeConfiguration);
      const gw = str(rc.gateway);
      if (gw !== undefined && !at.gateways.has(gw)) continue;
      const portNumber = num(rc.portNumber);
      if (portNumber !== undefined && !at.ports.includes(portNumber)) continue;
      const vhost = rec(rc.vhost);
      const vhostName = str(vhost.name);
      if (vhostName !== undefined) {
        const [vh, vp] = vhostName.split(':');
        if (!at.hosts.some((h) => h === vh || vh === '*' || (vh.startsWith('*') && h.endsWith(vh.slice(1))))) continue;
        if (vp !== undefined && vp !== '*' && !at.ports.includes(Number(vp))) continue;
      }
      const value = rec(rec(p.patch).value);
      if (applyTo === 'HTTP_ROUTE') {
        const name = str(rec(vhost.route).name);
        if (name !== undefined && name !== at.name) continue;
        routeLevel.push(...arr(rec(value.route).rate_limits).map(rec));
        if (rec(value.route).include_vh_rate_limits === true) includeVh = true;
      } else vhostLevel.push(...arr(value.rate_limits).map(rec));
    }
    const sources = [
      ...routeLevel.map((r) => ({ r, source: 'route' as const })),
      ...(routeLevel.length === 0 || includeVh ? vhostLevel.map((r) => ({ r, source: 'virtual host' as const })) : []),
    ];
    for (const { r, source } of sources) {
      const entries = staticEntries(r);
      const hit = config ? limitOf(config, entries.map((e) => ({ key: e.key, value: e.value ?? '<any>' }))) : {};
      out.push({ filter: `${filter.metadata?.namespace ?? 'default'}/${filter.metadata?.name ?? '<unnamed>'}`, source, descriptor: entries.map((e) => (e.value !== undefined ? `${e.key}=${e.value}` : e.key)).join(', '), ...hit });
    }
  }
  return out;
}

/** The entries of a `rate_limits` entry's actions: a fixed value where the action gives one, none where the request does. */
function staticEntries(rateLimit: Record<string, unknown>): { key: string; value?: string }[] {
  return arr(rateLimit.actions).map(rec).map((action) => {
    if (action.generic_key !== undefined) {
      const g = rec(action.generic_key);
      return { key: str(g.descriptor_key) ?? 'generic_key', value: str(g.descriptor_value) ?? '' };
    }
    if (action.remote_address !== undefined) return { key: 'remote_address' };
    if (action.request_headers !== undefined) {
      const h = rec(action.request_headers);
      return { key: str(h.descriptor_key) ?? str(h.header_name) ?? '' };
    }
    if (action.header_value_match !== undefined) {
      const m = rec(action.header_value_match);
      return { key: str(m.descriptor_key) ?? 'header_match', value: str(m.descriptor_value) ?? '' };
    }
    return { key: Object.keys(action)[0] ?? 'action' };
  });
}
