/**
 * The checks `istioctl analyze` makes against a live cluster, and the scaling and availability
 * checks of the package, made offline on a set of manifests. Names follow `istioctl analyze` where
 * one matches. Every check reads the indexes of {@link ObjectIndex}: cost is linear in the objects.
 */
import { allowedDisruptions } from '../private/disruption-budget';
import { hostCoveredBy } from '../private/hosts';
import { namespaceOf, ObjectIndex, PodTemplate, SERVICE_SUFFIX, serviceFqdn } from './object-index';
import { KubernetesObject } from '../kubernetes-object';
import { RATE_LIMIT_CHECKS } from './rate-limit-checks';

/** How bad a finding is: errors fail synth and `npm run analyze`; warnings and infos are printed. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a set of manifests. */
export interface Finding {
  /** The check's stable name. */
  readonly check: string;
  readonly severity: Severity;
  /** The object: "Kind namespace/name". */
  readonly object: string;
  /** The field, as a path ("spec.http[0].route[1].destination.subset"). */
  readonly field: string;
  /** What is wrong, the value, and the fix. */
  readonly message: string;
  /** The object itself (for suppression annotations and file names). */
  readonly source: KubernetesObject;
}

/** What the checks know of the environment. */
export interface CheckContext {
  /** Production rules apply (HTTPS redirects, authorization on public hosts). */
  readonly production: boolean;
}

/** Reports a finding; a check may lower its severity for a finding. */
export type Report = (o: KubernetesObject, field: string, message: string, severity?: Severity) => void;

/** A check: its name, its severity, what it looks for, and the function that runs it. */
export interface Check {
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
  run(index: ObjectIndex, report: Report, context: CheckContext): void;
}

const any = (o: KubernetesObject) => o as any;
const json = (v: unknown) => JSON.stringify(v);

/** The Gateways a VirtualService refers to, resolved to namespace/name ("mesh" excluded). */
function gatewayRefs(vs: KubernetesObject): Array<{ ref: string; namespace: string; name: string; field: string }> {
  const ns = namespaceOf(vs);
  return ((any(vs).spec?.gateways ?? []) as string[]).flatMap((g, i) => {
    if (g === 'mesh') return [];
    const [gns, name] = g.includes('/') ? g.split('/') : [ns, g];
    return [{ ref: g, namespace: gns, name, field: `spec.gateways[${i}]` }];
  });
}

/** Every HTTP route destination (and mirror) of a VirtualService, with its field path. */
function destinations(vs: KubernetesObject): Array<{ destination: any; field: string; routeIndex: number }> {
  const out: Array<{ destination: any; field: string; routeIndex: number }> = [];
  ((any(vs).spec?.http ?? []) as any[]).forEach((route, i) => {
    ((route.route ?? []) as any[]).forEach((r, j) => {
      if (r?.destination) out.push({ destination: r.destination, field: `spec.http[${i}].route[${j}].destination`, routeIndex: i });
    });
    if (route.mirror) out.push({ destination: route.mirror, field: `spec.http[${i}].mirror`, routeIndex: i });
  });
  ((any(vs).spec?.tcp ?? []) as any[]).forEach((route, i) => {
    ((route.route ?? []) as any[]).forEach((r, j) => {
      if (r?.destination) out.push({ destination: r.destination, field: `spec.tcp[${i}].route[${j}].destination`, routeIndex: i });
    });
  });
  return out;
}

/** True when a destination host is a Kubernetes Service this set should contain. */
function isClusterHost(host: string): boolean {
  return !host.includes('*') && (host.split('.').length <= 2 || host.endsWith(`.${SERVICE_SUFFIX}`));
}

/** Servers of a Gateway with the hosts stripped of a "namespace/" prefix. */
function servers(gw: KubernetesObject): Array<{ server: any; hosts: string[]; index: number }> {
  return ((any(gw).spec?.servers ?? []) as any[]).map((server, index) => ({
    server, index, hosts: ((server.hosts ?? []) as string[]).map((h) => (h.includes('/') ? h.split('/')[1] : h)),
  }));
}

/** A stable string for a label map. */
function labelKey(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Whether a match holds for every request (no condition, or prefix "/" alone). */
function isCatchAll(match: any[] | undefined): boolean {
  if (!match || match.length === 0) return true;
  return match.some((m) => {
    const keys = Object.keys(m ?? {}).filter((k) => k !== 'name');
    return keys.length === 0 || (keys.length === 1 && keys[0] === 'uri' && m.uri?.prefix === '/');
  });
}

/** The pod templates a Gateway's selector picks (in any namespace). */
function gatewayPods(index: ObjectIndex, gw: KubernetesObject): PodTemplate[] {
  const selector = any(gw).spec?.selector as Record<string, string> | undefined;
  return selector && Object.keys(selector).length ? index.podsMatching(selector) : [];
}

export const CHECKS: Check[] = [
  {
    name: 'DuplicateObject',
    severity: 'error',
    description: 'Two objects with the same kind, namespace and name: the later one replaces the earlier.',
    run(index, report) {
      for (const o of index.duplicates) {
        report(o, 'metadata.name', `Another ${o.kind} named "${o.metadata?.name}" in namespace "${namespaceOf(o)}" is already in the set; applying both keeps only the last. Rename one, or analyze one environment at a time.`);
      }
    },
  },
  {
    name: 'ReferencedResourceNotFound',
    severity: 'error',
    description: 'A VirtualService refers to a Gateway, Service host or subset the set does not contain.',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        for (const g of gatewayRefs(vs)) {
          if (!index.get('Gateway', g.namespace, g.name)) {
            report(vs, g.field, `Gateway "${g.namespace}/${g.name}" (from "${g.ref}") is not defined: define it, or fix the reference (write "<namespace>/<name>" for a Gateway in another namespace).`);
          }
        }
        for (const { destination, field } of destinations(vs)) {
          const host = destination.host as string;
          if (typeof host !== 'string') continue;
          const fqdn = serviceFqdn(host, namespaceOf(vs));
          if (isClusterHost(host) && !index.services.has(fqdn) && !index.serviceEntryHosts.has(host) && !index.serviceEntryHosts.has(fqdn)) {
            report(vs, `${field}.host`, `Host "${host}" (${fqdn}) matches no Service in the set, so requests get 503 NR: define the Service, or fix the host (a short name resolves in the VirtualService's namespace "${namespaceOf(vs)}").`);
            continue;
          }
          if (destination.subset !== undefined) {
            const rules = index.destinationRules.get(fqdn) ?? [];
            const subsets = rules.flatMap((r) => ((any(r).spec?.subsets ?? []) as any[]).map((s) => s.name));
            if (!subsets.includes(destination.subset)) {
              report(vs, `${field}.subset`, `Subset "${destination.subset}" of host "${host}" is not defined by any DestinationRule (known: ${subsets.length ? subsets.join(', ') : 'none'}), so requests get 503 NR: add the subset, or route to a defined one.`);
            }
          }
        }
      }
    },
  },
  {
    name: 'GatewayCredentialNotFound',
    severity: 'warning',
    description: 'A Gateway server\'s TLS credential is not a Secret of the set (it may be created outside it).',
    run(index, report) {
      for (const gw of index.ofKind('Gateway')) {
        const namespaces = new Set(gatewayPods(index, gw).map((p) => p.namespace));
        for (const { server, index: i } of servers(gw)) {
          const names = [server.tls?.credentialName, ...(server.tls?.credentialNames ?? [])].filter(Boolean) as string[];
          for (const name of names) {
            const found = [...(namespaces.size ? namespaces : new Set([namespaceOf(gw)]))].some((ns) => index.get('Secret', ns, name));
            if (!found) {
              report(gw, `spec.servers[${i}].tls.credentialName`, `Secret "${name}" is not in the set: create it in the gateway workload's namespace before traffic arrives, or the TLS handshake fails.`);
            }
          }
        }
      }
    },
  },
  {
    name: 'VirtualServiceHostNotFoundInGateway',
    severity: 'error',
    description: 'A VirtualService host that none of its Gateways serve (requests get 404).',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        const gws = gatewayRefs(vs).map((g) => index.get('Gateway', g.namespace, g.name)).filter(Boolean) as KubernetesObject[];
        if (gws.length === 0) continue;
        const served = [...new Set(gws.flatMap((g) => servers(g).flatMap((s) => s.hosts)))];
        ((any(vs).spec?.hosts ?? []) as string[]).forEach((host, i) => {
          if (!served.some((s) => hostCoveredBy(host, s))) {
            report(vs, `spec.hosts[${i}]`, `Host "${host}" is not served by its Gateways (${gws.map((g) => `${namespaceOf(g)}/${g.metadata?.name}`).join(', ')}: ${served.join(', ')}), so requests get 404: add it to a Gateway's hosts or remove it.`);
          }
        });
      }
    },
  },
  {
    name: 'ConflictingGateways',
    severity: 'error',
    description: 'Two Gateways with the same selector, port and host.',
    run(index, report) {
      const seen = new Map<string, KubernetesObject>();
      for (const gw of index.ofKind('Gateway')) {
        const selector = labelKey(any(gw).spec?.selector);
        for (const { server, hosts, index: i } of servers(gw)) {
          for (const host of hosts) {
            const key = `${selector}|${server.port?.number}|${host}`;
            const other = seen.get(key);
            if (other && other !== gw) {
              report(gw, `spec.servers[${i}]`, `Port ${server.port?.number} host "${host}" on selector {${selector}} is also claimed by Gateway ${namespaceOf(other)}/${other.metadata?.name}: only one takes effect; merge them or use different hosts.`);
            } else seen.set(key, gw);
          }
        }
      }
    },
  },
  {
    name: 'DestinationRuleSubsetNotSelectPods',
    severity: 'warning',
    description: 'A DestinationRule subset whose labels select no pod template of the Service in the set.',
    run(index, report) {
      for (const dr of index.ofKind('DestinationRule')) {
        const { svc } = destinationRuleTarget(index, dr);
        if (!svc) continue;
        ((any(dr).spec?.subsets ?? []) as any[]).forEach((subset, i) => {
          const labels = { ...(any(svc).spec?.selector ?? {}), ...(subset.labels ?? {}) };
          if (index.podsMatching(labels, namespaceOf(svc)).length === 0) {
            report(dr, `spec.subsets[${i}].labels`, `Subset "${subset.name}" (labels ${json(subset.labels ?? {})} with the Service selector) selects no pod template in namespace "${namespaceOf(svc)}", so its traffic gets 503 UH: fix the labels or deploy the version.`);
          }
        });
      }
    },
  },
  {
    name: 'VirtualServiceRouteWeightsNotSum100',
    severity: 'error',
    description: 'Route weights that do not sum to 100.',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        for (const kind of ['http', 'tcp', 'tls'] as const) {
          ((any(vs).spec?.[kind] ?? []) as any[]).forEach((route, i) => {
            const dests = (route.route ?? []) as any[];
            if (dests.length < 2 && dests.every((d) => d.weight === undefined)) return;
            const weights = dests.map((d) => d.weight ?? 0);
            const sum = weights.reduce((a: number, b: number) => a + b, 0);
            if (sum !== 100 || weights.some((w: number) => w < 0)) {
              report(vs, `spec.${kind}[${i}].route`, `Weights ${json(weights)} sum to ${sum}, not 100: make them add up to 100 so the split is the one intended.`);
            }
          });
        }
      }
    },
  },
  {
    name: 'VirtualServiceUnreachableRule',
    severity: 'warning',
    description: 'An HTTP route after a catch-all route, never reached.',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        const routes = (any(vs).spec?.http ?? []) as any[];
        const catchAll = routes.findIndex((r) => isCatchAll(r.match));
        routes.forEach((r, i) => {
          if (catchAll >= 0 && i > catchAll) {
            report(vs, `spec.http[${i}]`, `Route ${r.name ? `"${r.name}" ` : ''}comes after route ${catchAll}, which matches every request, so it is never used: move it before the catch-all.`);
          }
        });
      }
    },
  },
  {
    name: 'VirtualServiceIneffectiveMatch',
    severity: 'warning',
    description: 'A match that can never hold, or that repeats an earlier match.',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        const seen = new Map<string, number>();
        ((any(vs).spec?.http ?? []) as any[]).forEach((route, i) => {
          ((route.match ?? []) as any[]).forEach((m, j) => {
            const field = `spec.http[${i}].match[${j}]`;
            const uri = m?.uri;
            for (const kind of ['exact', 'prefix'] as const) {
              if (typeof uri?.[kind] === 'string' && !uri[kind].startsWith('/')) {
                report(vs, `${field}.uri.${kind}`, `Path ${json(uri[kind])} does not start with "/", and request paths always do: this match never holds; add the leading "/".`);
              }
            }
            const { name: _name, ...conditions } = m ?? {};
            const key = json(conditions);
            const earlier = seen.get(key);
            if (earlier !== undefined && earlier < i) {
              report(vs, field, `This match repeats one of route ${earlier}, which takes its requests first: remove it or make it more specific.`);
            } else if (earlier === undefined) seen.set(key, i);
          });
        });
      }
    },
  },
  {
    name: 'VirtualServiceDestinationPortSelectorRequired',
    severity: 'error',
    description: 'A destination without a port, to a Service with several ports.',
    run(index, report) {
      for (const vs of index.ofKind('VirtualService')) {
        for (const { destination, field } of destinations(vs)) {
          if (destination.port?.number !== undefined || typeof destination.host !== 'string') continue;
          const svc = index.services.get(serviceFqdn(destination.host, namespaceOf(vs)));
          const ports = ((svc && any(svc).spec?.ports) ?? []) as any[];
          if (ports.length > 1) {
            report(vs, `${field}.port`, `Service "${destination.host}" has ports ${ports.map((p) => p.port).join(', ')}: choose one with port.number.`);
          }
        }
      }
    },
  },
  {
    name: 'GatewayPortNotDefinedOnService',
    severity: 'error',
    description: 'A Gateway port that the Service in front of its pods does not expose.',
    run(index, report) {
      for (const gw of index.ofKind('Gateway')) {
        const fronting = [...new Set(gatewayPods(index, gw).flatMap((p) => index.servicesSelecting(p)))];
        if (fronting.length === 0) continue;
        const exposed = new Set(fronting.flatMap((s) => ((any(s).spec?.ports ?? []) as any[]).flatMap((p) => [p.port, p.targetPort])));
        for (const { server, index: i } of servers(gw)) {
          if (!exposed.has(server.port?.number)) {
            report(gw, `spec.servers[${i}].port.number`, `Port ${server.port?.number} is not a port of Service ${fronting.map((s) => `${namespaceOf(s)}/${s.metadata?.name}`).join(', ')} (${[...exposed].filter((p) => typeof p === 'number').join(', ')}), so no traffic reaches it: add it to the Service.`);
          }
        }
      }
    },
  },
  {
    name: 'PodDisruptionBudgetBlocksEviction',
    severity: 'error',
    description: 'A PodDisruptionBudget that forbids every eviction given its workloads\' replicas or autoscaler minimum.',
    run(index, report) {
      for (const pdb of index.ofKind('PodDisruptionBudget')) {
        const spec = any(pdb).spec ?? {};
        const pods = index.podsSelectedBy(spec.selector ?? {}, namespaceOf(pdb));
        const counts = pods.map((p) => index.minimumPods(p));
        if (pods.length === 0 || counts.some((c) => c === undefined)) continue;
        const replicas = (counts as number[]).reduce((a, b) => a + b, 0);
        const field = spec.minAvailable !== undefined ? 'minAvailable' : spec.maxUnavailable !== undefined ? 'maxUnavailable' : undefined;
        if (!field) continue;
        if (allowedDisruptions(field, spec[field], replicas) < 1) {
          report(pdb, `spec.${field}`, `${field} ${json(spec[field])} over ${replicas} pod(s) (${pods.map((p) => p.workload.metadata?.name).join(', ')}) allows no eviction, so node drains and cluster upgrades block: lower it or raise the replicas.`);
        }
      }
    },
  },
  {
    name: 'HorizontalPodAutoscalerTargetWithoutRequests',
    severity: 'error',
    description: 'An autoscaler with a CPU or memory utilization target over containers without that request.',
    run(index, report) {
      for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
        const ref = any(hpa).spec?.scaleTargetRef ?? {};
        const target = index.get(ref.kind, namespaceOf(hpa), ref.name);
        if (!target) continue;
        const containers = (any(target).spec?.template?.spec?.containers ?? []) as any[];
        ((any(hpa).spec?.metrics ?? []) as any[]).forEach((m, i) => {
          const resource = m.type === 'Resource' ? m.resource : undefined;
          if (!resource || resource.target?.type !== 'Utilization') return;
          for (const c of containers) {
            if (!c.resources?.requests?.[resource.name]) {
              report(hpa, `spec.metrics[${i}]`, `Container "${c.name}" of ${ref.kind} ${ref.name} has no ${resource.name} request, so ${resource.name} utilization cannot be computed and the autoscaler does nothing: set resources.requests.${resource.name}.`);
            }
          }
        });
      }
    },
  },
  {
    name: 'ReplicasWithHorizontalPodAutoscaler',
    severity: 'warning',
    description: '`spec.replicas` set on a workload an autoscaler drives.',
    run(index, report) {
      for (const [key, hpa] of index.autoscalers) {
        const [ns, kind, name] = key.split('/');
        const target = index.get(kind, ns, name);
        if (target && any(target).spec?.replicas !== undefined) {
          report(target, 'spec.replicas', `${kind} ${name} sets replicas ${any(target).spec.replicas} while HorizontalPodAutoscaler ${hpa.metadata?.name} drives it: every apply resets the scale; remove spec.replicas.`);
        }
      }
    },
  },
  {
    name: 'GatewayWorkloadWithoutZoneSpread',
    severity: 'warning',
    description: 'Gateway pods with no spread over availability zones.',
    run(index, report) {
      for (const pod of gatewayWorkloads(index)) {
        const spread = ((pod.spec.topologySpreadConstraints ?? []) as any[]).some((t) => t.topologyKey === 'topology.kubernetes.io/zone');
        const anti = json(pod.spec.affinity?.podAntiAffinity ?? {}).includes('topology.kubernetes.io/zone');
        if (!spread && !anti) {
          report(pod.workload, 'spec.template.spec.topologySpreadConstraints', 'The gateway pods are not spread over topology.kubernetes.io/zone, so one zone can hold them all: add a topology spread constraint on the zone.');
        }
      }
    },
  },
  {
    name: 'GatewayWorkloadSingleReplica',
    severity: 'warning',
    description: 'A gateway workload with fewer than 2 minimum replicas.',
    run(index, report) {
      for (const pod of gatewayWorkloads(index)) {
        const min = index.minimumPods(pod);
        if (min !== undefined && min < 2) {
          report(pod.workload, 'spec.replicas', `The gateway runs at least ${min} pod: a restart or a node drain takes the edge down. Run at least 2 (replicas or the autoscaler's minReplicas).`);
        }
      }
    },
  },
  {
    name: 'GatewayHttpsWithoutCredential',
    severity: 'error',
    description: 'An HTTPS server that terminates TLS without a credential.',
    run(index, report) {
      for (const gw of index.ofKind('Gateway')) {
        for (const { server, index: i } of servers(gw)) {
          const tls = server.tls ?? {};
          const terminates = server.port?.protocol === 'HTTPS' && (tls.mode === undefined || tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL');
          if (terminates && !tls.credentialName && !tls.credentialNames?.length && !tls.serverCertificate && !tls.tlsCertificates?.length) {
            report(gw, `spec.servers[${i}].tls`, `HTTPS server "${server.port?.name}" has no credential: set tls.credentialName to the TLS Secret in the gateway's namespace.`);
          }
        }
      }
    },
  },
  {
    name: 'NoServerCertificateVerification',
    severity: 'warning',
    description: 'A DestinationRule with client TLS (SIMPLE or MUTUAL) and no CA to verify the server.',
    run(index, report) {
      const checkTls = (dr: KubernetesObject, tls: any, field: string) => {
        if ((tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') && !tls.caCertificates && !tls.credentialName && !tls.insecureSkipVerify) {
          report(dr, field, `TLS mode ${tls.mode} without caCertificates or credentialName: the server's certificate is checked only against the proxy's default roots; set caCertificates (or credentialName) to verify it.`);
        }
      };
      for (const dr of index.ofKind('DestinationRule')) {
        const spec = any(dr).spec ?? {};
        checkTls(dr, spec.trafficPolicy?.tls, 'spec.trafficPolicy.tls');
        ((spec.subsets ?? []) as any[]).forEach((s, i) => checkTls(dr, s.trafficPolicy?.tls, `spec.subsets[${i}].trafficPolicy.tls`));
      }
    },
  },
  {
    name: 'EnvoyFilterUsesRelativeOperation',
    severity: 'warning',
    description: 'An EnvoyFilter without a priority, so its order against other filters is undefined.',
    run(index, report) {
      for (const ef of index.ofKind('EnvoyFilter')) {
        if (any(ef).spec?.priority !== undefined) continue;
        const relative = ((any(ef).spec?.configPatches ?? []) as any[]).some((p) => /^INSERT_(BEFORE|AFTER|FIRST)$|^REPLACE$/.test(p.patch?.operation ?? ''));
        report(ef, 'spec.priority', relative
          ? 'No priority, with a relative patch operation: whether it applies depends on the order of other EnvoyFilters; set spec.priority.'
          : 'No priority: its order against other EnvoyFilters is undefined; set spec.priority.');
      }
    },
  },
  ignoredOperation('EnvoyFilterUsesReplaceOperationIncorrectly', 'REPLACE', (applyTo) => !['HTTP_FILTER', 'NETWORK_FILTER'].includes(applyTo),
    'anything but HTTP_FILTER and NETWORK_FILTER', 'it only applies to HTTP_FILTER and NETWORK_FILTER; use MERGE.'),
  ignoredOperation('EnvoyFilterUsesAddOperationIncorrectly', 'ADD', (applyTo) => ['ROUTE_CONFIGURATION', 'HTTP_ROUTE'].includes(applyTo),
    'ROUTE_CONFIGURATION or HTTP_ROUTE', 'use MERGE, or apply to VIRTUAL_HOST to add routes.'),
  ignoredOperation('EnvoyFilterUsesRemoveOperationIncorrectly', 'REMOVE', (applyTo) => ['ROUTE_CONFIGURATION', 'HTTP_ROUTE'].includes(applyTo),
    'ROUTE_CONFIGURATION or HTTP_ROUTE', 'remove the route\'s virtual host (VIRTUAL_HOST) or change the VirtualService instead.'),
  {
    name: 'GatewayHttpWithoutRedirect',
    severity: 'error',
    description: 'In production, a plain-HTTP Gateway server that does not redirect to HTTPS.',
    run(index, report, context) {
      if (!context.production) return;
      for (const gw of index.ofKind('Gateway')) {
        for (const { server, index: i } of servers(gw)) {
          if (server.port?.protocol === 'HTTP' && server.tls?.httpsRedirect !== true) {
            report(gw, `spec.servers[${i}].tls.httpsRedirect`, `HTTP server "${server.port?.name}" serves production traffic in clear text: set tls.httpsRedirect: true (https.redirectHttp with IngressGateway) or remove the server.`);
          }
        }
      }
    },
  },
  {
    name: 'GatewayTlsBelow12',
    severity: 'error',
    description: 'An HTTPS server accepting TLS versions below 1.2.',
    run(index, report) {
      for (const gw of index.ofKind('Gateway')) {
        for (const { server, index: i } of servers(gw)) {
          const min = server.tls?.minProtocolVersion;
          if (min === 'TLSV1_0' || min === 'TLSV1_1') {
            report(gw, `spec.servers[${i}].tls.minProtocolVersion`, `${min} accepts deprecated TLS versions: use TLSV1_2 or TLSV1_3.`);
          }
        }
      }
    },
  },
  {
    name: 'PeerAuthenticationNotStrict',
    severity: 'error',
    description: 'PERMISSIVE or DISABLE mutual TLS, or an application namespace without STRICT mutual TLS.',
    run(index, report) {
      for (const pa of index.ofKind('PeerAuthentication')) {
        const mode = any(pa).spec?.mtls?.mode;
        if (mode === 'PERMISSIVE' || mode === 'DISABLE') {
          report(pa, 'spec.mtls.mode', `${mode} lets workloads without a mesh identity in: use STRICT (or suppress this check with the reason and the date the migration ends).`);
        }
        for (const [port, level] of Object.entries(any(pa).spec?.portLevelMtls ?? {}) as Array<[string, any]>) {
          if (level?.mode === 'PERMISSIVE' || level?.mode === 'DISABLE') report(pa, `spec.portLevelMtls.${port}.mode`, `${level.mode} on port ${port}: use STRICT.`);
        }
      }
      for (const ns of index.ofKind('Namespace')) {
        if (!isMeshNamespace(ns)) continue;
        if (strictMtls(index, ns.metadata?.name ?? '') === undefined) {
          report(ns, 'metadata.name', `Namespace "${ns.metadata?.name}" runs sidecars but no STRICT PeerAuthentication covers it, so plain text is accepted: add one (AppNamespace does).`);
        }
      }
    },
  },
  {
    name: 'DestinationRuleDisablesMtls',
    severity: 'error',
    description: 'A DestinationRule disabling TLS to workloads that accept only mutual TLS.',
    run(index, report) {
      for (const dr of index.ofKind('DestinationRule')) {
        const { namespace: target } = destinationRuleTarget(index, dr);
        if (!target || !strictMtls(index, target)) continue;
        const check = (tls: any, field: string) => {
          if (tls?.mode === 'DISABLE') report(dr, field, `TLS is disabled towards ${any(dr).spec.host}, whose namespace "${target}" accepts only mutual TLS: its requests fail. Use ISTIO_MUTUAL (or leave tls out).`);
        };
        check(any(dr).spec?.trafficPolicy?.tls, 'spec.trafficPolicy.tls.mode');
        ((any(dr).spec?.subsets ?? []) as any[]).forEach((s, i) => check(s.trafficPolicy?.tls, `spec.subsets[${i}].trafficPolicy.tls.mode`));
      }
    },
  },
  {
    name: 'GatewayHostWithoutAuthorization',
    severity: 'error',
    description: 'In production, a host of a public gateway that no AuthorizationPolicy on the gateway covers.',
    run(index, report, context) {
      if (!context.production) return;
      for (const gw of index.ofKind('Gateway')) {
        const pods = gatewayPods(index, gw);
        if (pods.length === 0) continue;
        const isPublic = pods.flatMap((p) => index.servicesSelecting(p)).some((s) => any(s).spec?.type === 'LoadBalancer'
          && any(s).metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'] !== 'true');
        if (!isPublic) continue;
        const policies = index.ofKind('AuthorizationPolicy').filter((ap) => pods.some((p) => p.namespace === namespaceOf(ap)
          && Object.entries((any(ap).spec?.selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => p.labels[k] === v)));
        const covers = (host: string) => policies.some((ap) => ((any(ap).spec?.rules ?? [{}]) as any[]).some((r) => {
          const ops = ((r.to ?? []) as any[]).map((t) => t.operation ?? {});
          return ops.length === 0 || ops.some((op) => !op.hosts || op.hosts.includes(host) || op.hosts.includes(`${host}:*`));
        }));
        for (const { hosts, index: i } of servers(gw)) {
          for (const host of hosts) {
            if (!covers(host)) report(gw, `spec.servers[${i}].hosts`, `Public host "${host}" has no AuthorizationPolicy on the gateway: every client on the internet reaches every path. Add IP allow-lists, deny rules or a JWT requirement (gateway.allowSourceIps / denyRequests / requireJwt).`);
          }
        }
      }
    },
  },
  {
    name: 'PrivilegedOrRootContainer',
    severity: 'error',
    description: 'A privileged container, one that runs as root or may escalate privileges; a warning when nothing forbids root.',
    run(index, report) {
      for (const pod of index.podTemplates) {
        const podCtx = pod.spec.securityContext ?? {};
        const field = (i: number, f: string) => `${pod.workload.kind === 'Pod' ? 'spec' : 'spec.template.spec'}.containers[${i}].securityContext.${f}`;
        ((pod.spec.containers ?? []) as any[]).forEach((c, i) => {
          const ctx = c.securityContext ?? {};
          if (ctx.privileged === true) report(pod.workload, field(i, 'privileged'), `Container "${c.name}" is privileged: it has the node's powers. Remove privileged.`);
          const user = ctx.runAsUser ?? podCtx.runAsUser;
          const nonRoot = ctx.runAsNonRoot ?? podCtx.runAsNonRoot;
          if (user === 0 || nonRoot === false) report(pod.workload, field(i, user === 0 ? 'runAsUser' : 'runAsNonRoot'), `Container "${c.name}" runs as root: set runAsNonRoot: true and a non-zero runAsUser.`);
          else if (nonRoot !== true && !(typeof user === 'number' && user > 0)) {
            report(pod.workload, field(i, 'runAsNonRoot'), `Nothing stops container "${c.name}" from running as root: set runAsNonRoot: true.`, 'warning');
          }
          if (ctx.allowPrivilegeEscalation === true) report(pod.workload, field(i, 'allowPrivilegeEscalation'), `Container "${c.name}" may escalate privileges: set allowPrivilegeEscalation: false.`);
        });
      }
    },
  },
  {
    name: 'NamespaceWithoutNetworkPolicy',
    severity: 'error',
    description: 'An application namespace without any NetworkPolicy, so every pod of the cluster can reach its pods.',
    run(index, report) {
      const withPolicies = new Set(index.ofKind('NetworkPolicy').map(namespaceOf));
      for (const ns of index.ofKind('Namespace')) {
        if (isMeshNamespace(ns) && !withPolicies.has(ns.metadata?.name ?? '')) {
          report(ns, 'metadata.name', `Namespace "${ns.metadata?.name}" has no NetworkPolicy: any pod of the cluster reaches its pods. Deny ingress by default and allow the gateway (AppNamespace does).`);
        }
      }
    },
  },
  // Global rate limiting: filter, configuration and local limits (lib/analysis/rate-limit-checks.ts).
  ...RATE_LIMIT_CHECKS,
];

/** A check for an EnvoyFilter patch operation that Envoy ignores for some `applyTo` values. */
function ignoredOperation(name: string, operation: string, ignoredFor: (applyTo: string) => boolean, where: string, fix: string): Check {
  return {
    name,
    severity: 'error',
    description: `A ${operation} patch on ${where}, where Envoy ignores it.`,
    run(index, report) {
      envoyPatches(index, (ef, p, i) => {
        if (p.patch?.operation === operation && ignoredFor(p.applyTo)) {
          report(ef, `spec.configPatches[${i}].patch.operation`, `${operation} on ${p.applyTo} is ignored: ${fix}`);
        }
      });
    },
  };
}

function envoyPatches(index: ObjectIndex, fn: (ef: KubernetesObject, patch: any, i: number) => void): void {
  for (const ef of index.ofKind('EnvoyFilter')) ((any(ef).spec?.configPatches ?? []) as any[]).forEach((p, i) => fn(ef, p, i));
}

/** The Service a DestinationRule's host names (when in the set) and the namespace of its host. */
function destinationRuleTarget(index: ObjectIndex, dr: KubernetesObject): { svc?: KubernetesObject; namespace?: string } {
  const fqdn = serviceFqdn(any(dr).spec?.host ?? '', namespaceOf(dr));
  const svc = index.services.get(fqdn);
  return { svc, namespace: svc ? namespaceOf(svc) : fqdn.endsWith(`.${SERVICE_SUFFIX}`) ? fqdn.split('.')[1] : undefined };
}

/** Namespaces that run sidecars: the application namespaces of the mesh. */
function isMeshNamespace(ns: KubernetesObject): boolean {
  const labels = (ns.metadata as any)?.labels ?? {};
  return labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined;
}

/** The STRICT PeerAuthentication covering a whole namespace (its own, or the mesh-wide one), if any. */
function strictMtls(index: ObjectIndex, namespace: string): KubernetesObject | undefined {
  const rootNamespaces = ['istio-system', 'aks-istio-system'];
  return index.ofKind('PeerAuthentication').find((pa) => (namespaceOf(pa) === namespace || rootNamespaces.includes(namespaceOf(pa)))
    && !any(pa).spec?.selector && any(pa).spec?.mtls?.mode === 'STRICT');
}

/** The pod templates that serve a Gateway of the set (each once). */
function gatewayWorkloads(index: ObjectIndex): PodTemplate[] {
  const found = new Set<PodTemplate>();
  for (const gw of index.ofKind('Gateway')) for (const p of gatewayPods(index, gw)) found.add(p);
  return [...found];
}
