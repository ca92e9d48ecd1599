/**
 * The Kubernetes Gateway API form of an edge: the synthesized Istio objects converted to
 * `gateway.networking.k8s.io/v1` Gateways and HTTPRoutes (v1.5 standard channel), with Istio's
 * automated gateway deployment customized to the same production settings (parametersRef
 * overlays), a Service per version for weighted backends, and ReferenceGrants for references
 * across namespaces. The conversion keeps the meaning exactly, or fails with a named error: what
 * the Gateway API cannot say is never dropped silently (unless listed in `omit`, and then reported).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
import { dump } from 'js-yaml';
import { describeProblem } from '../private/errors';
import { KubernetesObject } from '../model/kubernetes-object';
import { escapeRe2 } from '../private/re2';
import { unreadFields } from '../model/field-paths';
import { GATEWAY_API_FIELDS } from './fields';
import { GATEWAY_NAME_LABEL, RetargetedGateway, retargetWorkloadSelectors } from './workload-selectors';
// The model's checked views (the conversion reads the package's own schema-valid objects), under
// the conversion's names: Istio* for the source objects, Kube* for core ones.
import {
  CheckedDestination as IstioDestination, CheckedDestinationRule as IstioDestinationRule, CheckedIstioGateway as IstioGateway,
  HttpMatchRequest as IstioHttpMatch, CheckedHttpRoute as IstioHttpRoute, CheckedServer as IstioServer, StringMatch as IstioStringMatch,
  CheckedVirtualService as IstioVirtualService, isKind, CheckedWorkload as KubeDeployment, CheckedService as KubeService,
} from '../model/objects';
import { GATEWAY_NAME_OVERRIDE_ANNOTATION, GATEWAY_SERVICE_ACCOUNT_ANNOTATION, INJECT_TEMPLATES_ANNOTATION, NAMESPACE_NAME_LABEL, PROXY_CONFIG_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from '../contract/keys';
import { resolveHost, serviceFqdnOf, splitNamespaced } from '../contract/hosts';

/** What the Gateway API (v1.5 standard) cannot say, that a conversion may be allowed to leave out. */
export enum GatewayApiOmission {
  /** Explicit retry policies (`retries`): HTTPRoute retries are experimental; Istio's default retry policy applies instead. */
  RETRIES = 'retries',
  /** Fault injection (`fault`). */
  FAULTS = 'fault',
  /** The minimum TLS version of a server other than Istio's default (TLS 1.2). */
  TLS_VERSIONS = 'minProtocolVersion',
  /**
   * CORS preflights that match no allowed origin forwarded to the backend (`unmatchedPreflights`
   * FORWARD, Istio's default): Istio gives every Gateway API CORS filter IGNORE (the gateway
   * answers them itself, without CORS headers).
   */
  UNMATCHED_PREFLIGHTS = 'unmatchedPreflights',
  /**
   * Argo Rollouts' Istio traffic routing of a Rollout (`spec.strategy.canary.trafficRouting.istio`,
   * over a VirtualService and DestinationRule subsets the Gateway API form does not have): the
   * Rollout is kept with the version Services of its subsets as its `stableService` and
   * `canaryService` (the controller points their selectors at the stable and canary pods), and
   * without traffic routing, its header and mirror steps; the routes' weights then stay as written
   * (all to stable), so the canary gets only the requests a header pin sends it. Argo Rollouts'
   * Gateway API plugin is not configured here.
   */
  ROLLOUT_TRAFFIC_ROUTING = 'rolloutTrafficRouting',
}

/** Options of the conversion. */
export interface GatewayApiOptions {
  /**
   * What the Gateway API cannot say that the conversion may leave out; each omission is reported
   * in the result's `omitted`.
   * @default - none: each is a named error
   */
  readonly omit?: GatewayApiOmission[];
  /**
   * The GatewayClass.
   * @default 'istio'
   */
  readonly gatewayClassName?: string;
}

/** The Gateway API form of a set of objects. */
export interface GatewayApiForm {
  /** The objects, in apply order. */
  readonly objects: KubernetesObject[];
  /** What was left out because `omit` allowed it, one line each ("<path>: <property> ..."). */
  readonly omitted: string[];
  /**
   * The Istio-form object each object the conversion made was converted from (a Gateway, its
   * parameters and redirect routes from the Istio Gateway; HTTPRoutes, version Services and grants
   * from the VirtualService). Objects kept as they were are not listed.
   */
  readonly sources: ReadonlyMap<KubernetesObject, KubernetesObject>;
  /**
   * What an object the conversion made must be applied after (make-before-break): a Gateway after
   * its parameters ConfigMap, which Istio gives up on when it is missing; an HTTPRoute after the
   * version Services, their DestinationRules and the ReferenceGrants the conversion added.
   */
  readonly after: ReadonlyMap<KubernetesObject, readonly KubernetesObject[]>;
}

const GW_GROUP = 'gateway.networking.k8s.io';
const GW_VERSION = `${GW_GROUP}/v1`;
/** Istio's annotations that keep the automated deployment's names (so identities, monitors and policies still match). */
const NAME_OVERRIDE = GATEWAY_NAME_OVERRIDE_ANNOTATION;
const SERVICE_ACCOUNT = GATEWAY_SERVICE_ACCOUNT_ANNOTATION;

/** A problem found during conversion. */
class Problems {
  public readonly messages: string[] = [];
  public readonly omitted: string[] = [];

  public constructor(private readonly omit: ReadonlySet<GatewayApiOmission>) {}

  public add(path: string, property: string, value: unknown, fix: string): void {
    this.messages.push(describeProblem(path, property, value, fix));
  }

  /** An unsupported setting: an error, or an omission when `omit` allows it. */
  public unsupported(omission: GatewayApiOmission, path: string, property: string, value: unknown, fix: string): void {
    if (this.omit.has(omission)) this.omitted.push(`${path}: ${property} left out (Gateway API has no standard field for it)`);
    else this.add(path, property, value, `${fix} Or allow the omission: omit: [GatewayApiOmission.${Object.entries(GatewayApiOmission).find(([, v]) => v === omission)?.[0]}].`);
  }
}

/** How the objects of a gateway's managed workload are found and replaced by Istio's automated deployment. */
interface ManagedWorkload {
  readonly deployment: KubeDeployment;
  readonly service?: KubeService;
  readonly autoscaler?: KubernetesObject;
  readonly disruptionBudget?: KubernetesObject;
}

interface ConvertedGateway {
  readonly source: IstioGateway;
  readonly name: string;
  readonly namespace: string;
  /** Listener names that serve routes (not the HTTP listeners that only redirect). */
  readonly routeListeners: string[];
  /** Whether every listener serves routes (then parentRefs need no sectionName). */
  readonly allListenersServeRoutes: boolean;
  /** What objects that selected the Istio form's pods select instead. */
  readonly retarget: RetargetedGateway;
}

/**
 * Converts synthesized Istio-form objects to the Gateway API form.
 * @param pathOf the construct path of an object, for messages
 */
export function toGatewayApi(objects: readonly KubernetesObject[], options: GatewayApiOptions = {}, pathOf: (o: KubernetesObject) => string = describe): GatewayApiForm {
  const problems = new Problems(new Set(options.omit ?? []));
  const out: KubernetesObject[] = [];
  const removed = new Set<KubernetesObject>();
  const gateways = new Map<string, ConvertedGateway>();
  const services = objects.filter((o): o is KubeService => isKind<KubeService>(o, '', 'Service'));
  const serviceByHost = new Map<string, KubeService>();
  for (const s of services) {
    const ns = s.metadata?.namespace ?? 'default';
    serviceByHost.set(serviceFqdnOf(s.metadata?.name ?? '', ns), s);
  }
  // Every property of the Istio objects is converted, refused by name, or of no effect (fields.ts).
  for (const o of objects) {
    const table = o.apiVersion.startsWith('networking.istio.io/') ? GATEWAY_API_FIELDS[o.kind] : undefined;
    if (table) for (const f of unreadFields(table, o.spec)) problems.add(pathOf(o), f.at, f.value, `The Gateway API form cannot say ${f.pattern}: ${f.reason}`);
  }
  const destinationRules = objects.filter((o): o is IstioDestinationRule => isKind<IstioDestinationRule>(o, 'networking.istio.io', 'DestinationRule'));

  // Gateways and the workloads Istio will deploy for them.
  const generated: KubernetesObject[] = [];
  const sources = new Map<KubernetesObject, KubernetesObject>();
  const after = new Map<KubernetesObject, KubernetesObject[]>();
  for (const gw of objects.filter((o): o is IstioGateway => isKind<IstioGateway>(o, 'networking.istio.io', 'Gateway'))) {
    const converted = convertGateway(gw, objects, options, problems, pathOf(gw));
    if (!converted) continue;
    gateways.set(`${converted.namespace}/${converted.name}`, converted.gateway);
    for (const o of converted.replaces) removed.add(o);
    generated.push(...converted.objects);
    for (const o of converted.objects) sources.set(o, gw);
    const parameters = converted.objects.filter((o) => o.kind === 'ConfigMap');
    for (const o of converted.objects) if (o.kind === 'Gateway') after.set(o, parameters);
    removed.add(gw);
  }

  // Routes.
  const versionServices = new Map<string, KubernetesObject>();
  const grants = new Map<string, KubernetesObject>();
  const routes: KubernetesObject[] = [];
  for (const vs of objects.filter((o): o is IstioVirtualService => isKind<IstioVirtualService>(o, 'networking.istio.io', 'VirtualService'))) {
    removed.add(vs);
    const before = new Set([...versionServices.values(), ...grants.values()]);
    const converted = convertVirtualService(vs, {
      gateways, serviceByHost, destinationRules, versionServices, grants, problems, path: pathOf(vs),
    });
    routes.push(...converted);
    for (const o of [...converted, ...versionServices.values(), ...grants.values()]) if (!before.has(o)) sources.set(o, vs);
  }

  // Rollouts that shift the weights of VirtualService routes (Argo Rollouts' Istio traffic routing).
  for (const o of objects) {
    if (!o.apiVersion.startsWith('argoproj.io/') || o.kind !== 'Rollout') continue;
    const converted = convertRollout(o, versionServices, problems, pathOf(o));
    if (converted) {
      removed.add(o);
      generated.push(converted);
      sources.set(converted, o);
    }
  }

  if (problems.messages.length) {
    throw new Error(`The Gateway API form cannot say what these objects say:\n  ${problems.messages.join('\n  ')}`);
  }
  // Copied objects that selected the Istio form's gateway pods select the pods Istio deploys for the Gateway.
  const retargeted = [...gateways.values()].map((g) => g.retarget);
  const podTemplates = objects.filter((o) => !removed.has(o) && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) && o.apiVersion === 'apps/v1')
    .map((o) => ({ namespace: o.metadata?.namespace ?? 'default', labels: (o as KubeDeployment).spec.template.metadata?.labels ?? {} }));
  for (const o of objects) if (!removed.has(o)) out.push(retargetWorkloadSelectors(o, retargeted, podTemplates));
  // Make-before-break as in the Istio form: backends and grants before the routes that use them.
  out.push(...generated, ...versionServices.values(), ...grants.values(), ...routes);
  const backends = [...versionServices.values(), ...grants.values()];
  for (const r of routes) after.set(r, backends);
  return { objects: out, omitted: problems.omitted, sources, after };
}

/**
 * A Rollout with Istio traffic routing, for the Gateway API form: refused, or (when omitted) kept
 * with the version Services of its subsets as stable and canary Services and without traffic
 * routing (see {@link GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING}).
 */
function convertRollout(o: KubernetesObject, versionServices: ReadonlyMap<string, KubernetesObject>, problems: Problems, path: string): KubernetesObject | undefined {
  interface Canary { trafficRouting?: { istio?: { destinationRule?: { name?: string; stableSubsetName?: string; canarySubsetName?: string } } }; steps?: Array<Record<string, unknown>>; [k: string]: unknown }
  const spec = o.spec as { strategy?: { canary?: Canary } } | undefined;
  const canary = spec?.strategy?.canary;
  const istio = canary?.trafficRouting?.istio;
  if (!canary || !istio) return undefined;
  const before = problems.omitted.length;
  problems.unsupported(GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING, path, 'spec.strategy.canary.trafficRouting.istio', istio,
    'The Gateway API form has no VirtualService whose weights Argo Rollouts\' Istio traffic routing could shift: keep the Istio form for a progressive rollout.');
  if (problems.omitted.length === before) return undefined;
  problems.omitted[problems.omitted.length - 1] = `${path}: spec.strategy.canary.trafficRouting left out (the Gateway API form's weights stay as written, all to stable: the canary gets only the requests a header pin sends it)`;
  const ns = o.metadata?.namespace ?? 'default';
  const dr = istio.destinationRule;
  const service = (subset?: string) => {
    const name = dr?.name && subset ? `${dr.name}-${subset}` : undefined;
    return name && versionServices.has(`${ns}/${name}`) ? name : undefined;
  };
  const rest: Record<string, unknown> = { ...canary };
  delete rest.trafficRouting;
  delete rest.steps;
  const steps = canary.steps;
  const kept = (steps ?? []).filter((s) => s.setHeaderRoute === undefined && s.setMirrorRoute === undefined);
  if (kept.length !== (steps ?? []).length) problems.omitted.push(`${path}: spec.strategy.canary.steps: the header and mirror steps left out (they need traffic routing)`);
  return {
    ...o,
    spec: {
      ...(o.spec as Record<string, unknown>),
      strategy: {
        canary: { ...rest, stableService: service(dr?.stableSubsetName), canaryService: service(dr?.canarySubsetName), steps: kept },
      },
    },
  };
}

function describe(o: KubernetesObject): string {
  return `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function convertGateway(gw: IstioGateway, objects: readonly KubernetesObject[], options: GatewayApiOptions, problems: Problems, path: string):
  { gateway: ConvertedGateway; name: string; namespace: string; objects: KubernetesObject[]; replaces: KubernetesObject[] } | undefined {
  const name = gw.metadata?.name ?? '';
  const namespace = gw.metadata?.namespace ?? 'default';
  const selector = gw.spec.selector ?? {};
  const workload = managedWorkload(objects, namespace, selector);
  if (!workload) {
    problems.add(path, 'workload', selector,
      'In the Gateway API form Istio deploys the gateway pods itself, in the Gateway\'s namespace: use GatewayWorkload.managed() (pods the app does not deploy, such as the AKS add-on\'s, have no Gateway API form here).');
    return undefined;
  }
  const listeners: Record<string, unknown>[] = [];
  const routeListeners: string[] = [];
  const httpsListeners: Array<{ listener: string; port: number; portName?: string }> = [];
  let allServeRoutes = true;
  const usedNames = new Set<string>();
  (gw.spec.servers ?? []).forEach((server, i) => {
    const at = `servers[${i}]`;
    const redirectOnly = server.tls?.httpsRedirect === true;
    if (redirectOnly) allServeRoutes = false;
    const base = (server.port.name ?? `${server.port.protocol.toLowerCase()}-${server.port.number}`).toLowerCase().replace(/[^a-z0-9-]/g, '-');
    server.hosts.forEach((host, j) => {
      const listenerName = uniqueName(server.hosts.length > 1 ? `${base}-${j}` : base, usedNames);
      const listener = convertListener(server, host, listenerName, problems, path, at);
      if (!listener) return;
      listeners.push(listener);
      if (!redirectOnly) routeListeners.push(listenerName);
      if (listener.protocol === 'HTTPS') httpsListeners.push({ listener: listenerName, port: server.port.number, portName: server.port.name });
    });
  });

  const workloadName = workload.deployment.metadata?.name ?? name;
  const serviceAccount = workload.deployment.spec.template.spec.serviceAccountName;
  const optionsName = `${name}-gateway-options`;
  const annotations: Record<string, string> = { [NAME_OVERRIDE]: workloadName };
  if (serviceAccount) annotations[SERVICE_ACCOUNT] = serviceAccount;
  const gatewayObject: KubernetesObject = {
    apiVersion: GW_VERSION,
    kind: 'Gateway',
    metadata: { name, namespace, annotations },
    spec: {
      gatewayClassName: options.gatewayClassName ?? 'istio',
      listeners,
      infrastructure: {
        // The pods keep the Istio form's labels, so policies, monitors and NetworkPolicies that select them still do.
        labels: { ...selector },
        annotations: workload.service?.metadata?.annotations ? { ...workload.service.metadata.annotations } : undefined,
        parametersRef: { group: '', kind: 'ConfigMap', name: optionsName },
      },
    },
  };
  const parameters: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: optionsName, namespace },
    data: overlays(workload, name),
  };
  // HTTP listeners that only redirect get a route that redirects, as the Istio server did.
  const redirects: KubernetesObject[] = [];
  (gw.spec.servers ?? []).forEach((server) => {
    if (server.tls?.httpsRedirect !== true) return;
    const sections = listeners.filter((l) => l.port === server.port.number).map((l) => String(l.name));
    redirects.push({
      apiVersion: GW_VERSION,
      kind: 'HTTPRoute',
      metadata: { name: `${name}-${sections[0] ?? 'http'}-redirect`, namespace },
      spec: {
        parentRefs: sections.map((sectionName) => ({ group: GW_GROUP, kind: 'Gateway', name, sectionName })),
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
  });
  const replaces = [workload.deployment, workload.service, workload.autoscaler, workload.disruptionBudget].filter((o): o is KubernetesObject => o !== undefined);
  return {
    name, namespace,
    gateway: {
      source: gw, name, namespace, routeListeners, allListenersServeRoutes: allServeRoutes,
      retarget: { namespace, name, podLabels: { ...workload.deployment.spec.template.metadata?.labels }, httpsListeners },
    },
    objects: [parameters, gatewayObject, ...redirects],
    replaces,
  };
}

function uniqueName(wanted: string, used: Set<string>): string {
  let name = wanted;
  for (let i = 2; used.has(name); i++) name = `${wanted}-${i}`;
  used.add(name);
  return name;
}

function convertListener(server: IstioServer, host: string, name: string, problems: Problems, path: string, at: string): Record<string, unknown> | undefined {
  const { namespace: ns = '*', name: hostname } = splitNamespaced(host);
  const allowedRoutes = ns === '*' ? { namespaces: { from: 'All' } }
    : ns === '.' ? { namespaces: { from: 'Same' } }
      : { namespaces: { from: 'Selector', selector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } } };
  const listener: Record<string, unknown> = {
    name,
    hostname: hostname === '*' ? undefined : hostname,
    port: server.port.number,
    allowedRoutes,
  };
  const protocol = server.port.protocol.toUpperCase();
  const tls = server.tls;
  if (protocol === 'HTTP' || protocol === 'HTTP2') {
    listener.protocol = 'HTTP';
    return listener;
  }
  if (protocol === 'HTTPS') {
    if (tls?.mode && tls.mode !== 'SIMPLE') {
      problems.add(path, `${at}.tls.mode`, tls.mode, 'The Gateway API form terminates TLS with the listener\'s certificate (SIMPLE); client certificates and passthrough have no HTTPS listener form here.');
      return undefined;
    }
    if (!tls?.credentialName) {
      problems.add(path, `${at}.tls.credentialName`, tls?.credentialName, 'An HTTPS listener needs a certificate Secret: give the server a credential.');
      return undefined;
    }
    if (tls.minProtocolVersion && tls.minProtocolVersion !== 'TLSV1_2' && tls.minProtocolVersion !== 'TLS_AUTO') {
      problems.unsupported(GatewayApiOmission.TLS_VERSIONS, path, `${at}.tls.minProtocolVersion`, tls.minProtocolVersion,
        'The Gateway API has no standard field for the minimum TLS version; Istio\'s default (TLS 1.2) applies.');
    }
    if (tls.cipherSuites?.length) problems.add(path, `${at}.tls.cipherSuites`, tls.cipherSuites, 'The Gateway API has no standard field for cipher suites: remove them, or keep the Istio form.');
    listener.protocol = 'HTTPS';
    listener.tls = { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: tls.credentialName }] };
    return listener;
  }
  problems.add(path, `${at}.port.protocol`, server.port.protocol, `Only HTTP and HTTPS servers are converted (host ${JSON.stringify(host)}): keep the Istio form for ${protocol} servers.`);
  return undefined;
}

/** The workload objects of a gateway deployed by gateway injection, if the output holds them. */
function managedWorkload(objects: readonly KubernetesObject[], namespace: string, selector: Readonly<Record<string, string>>): ManagedWorkload | undefined {
  if (Object.keys(selector).length === 0) return undefined;
  const deployment = objects.find((o): o is KubeDeployment => isKind<KubeDeployment>(o, 'apps', 'Deployment')
    && o.metadata?.namespace === namespace
    && o.spec.template.metadata?.annotations?.[INJECT_TEMPLATES_ANNOTATION] === 'gateway'
    && selects(selector, o.spec.template.metadata?.labels));
  if (!deployment) return undefined;
  const name = deployment.metadata?.name;
  const podLabels = deployment.spec.template.metadata?.labels ?? {};
  const service = objects.find((o): o is KubeService => isKind<KubeService>(o, '', 'Service') && o.metadata?.namespace === namespace
    && o.spec.type === 'LoadBalancer' && selects(o.spec.selector ?? {}, podLabels));
  const autoscaler = objects.find((o) => isKind(o, 'autoscaling', 'HorizontalPodAutoscaler') && o.metadata?.namespace === namespace
    && (o.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef?.name === name);
  const disruptionBudget = objects.find((o) => isKind(o, 'policy', 'PodDisruptionBudget') && o.metadata?.namespace === namespace
    && selects((o.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? { '': '' }, podLabels));
  return { deployment, service, autoscaler, disruptionBudget };
}

/**
 * The parametersRef ConfigMap: strategic-merge overlays Istio applies to the Deployment, Service,
 * HorizontalPodAutoscaler and PodDisruptionBudget it renders for the Gateway (Istio renders the
 * autoscaler and the budget only when an overlay asks for them).
 */
function overlays(workload: ManagedWorkload, gatewayName: string): Record<string, string> {
  const yaml = (o: unknown) => dump(o, { noRefs: true, lineWidth: -1, quotingType: '"', sortKeys: false });
  const pod = workload.deployment.spec.template;
  const ownLabel = { [GATEWAY_NAME_LABEL]: gatewayName };
  // Spread constraints select the pods Istio creates, by the label it gives them.
  const spread = pod.spec.topologySpreadConstraints?.map((c) => ({ ...c, labelSelector: { matchLabels: ownLabel } }));
  const extraLabels = Object.fromEntries(Object.entries(pod.metadata?.labels ?? {}).filter(([k]) => k === WORKLOAD_IDENTITY_USE_LABEL));
  const proxy = pod.spec.containers.find((c) => c.name === 'istio-proxy');
  const deployment = {
    spec: {
      strategy: workload.deployment.spec.strategy,
      template: {
        metadata: {
          labels: Object.keys(extraLabels).length ? extraLabels : undefined,
          annotations: pick(pod.metadata?.annotations, [PROXY_CONFIG_ANNOTATION, 'prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path']),
        },
        spec: {
          terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds,
          topologySpreadConstraints: spread,
          volumes: pod.spec.volumes,
          containers: proxy ? [{ name: 'istio-proxy', resources: proxy.resources, lifecycle: proxy.lifecycle, volumeMounts: proxy.volumeMounts }] : undefined,
        },
      },
    },
  };
  const data: Record<string, string> = { deployment: yaml(clean(deployment)) };
  if (workload.service?.spec.externalTrafficPolicy) data.service = yaml({ spec: { externalTrafficPolicy: workload.service.spec.externalTrafficPolicy } });
  const hpa = workload.autoscaler?.spec as Record<string, unknown> | undefined;
  if (hpa) data.horizontalPodAutoscaler = yaml(clean({ spec: { minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas, metrics: hpa.metrics, behavior: hpa.behavior } }));
  const pdb = workload.disruptionBudget?.spec as Record<string, unknown> | undefined;
  if (pdb) {
    data.podDisruptionBudget = yaml(clean({
      spec: { minAvailable: pdb.minAvailable, maxUnavailable: pdb.maxUnavailable, unhealthyPodEvictionPolicy: pdb.unhealthyPodEvictionPolicy },
    }));
  }
  return data;
}

function pick(record: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> | undefined {
  const out = Object.fromEntries(keys.filter((k) => record?.[k] !== undefined).map((k) => [k, record?.[k] ?? '']));
  return Object.keys(out).length ? out : undefined;
}

/** Drops undefined fields, recursively. */
function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clean(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v as unknown)])) as T;
  }
  return value;
}

interface RouteContext {
  readonly gateways: ReadonlyMap<string, ConvertedGateway>;
  readonly serviceByHost: ReadonlyMap<string, KubeService>;
  readonly destinationRules: readonly IstioDestinationRule[];
  readonly versionServices: Map<string, KubernetesObject>;
  readonly grants: Map<string, KubernetesObject>;
  readonly problems: Problems;
  readonly path: string;
}

/** The full host of a destination as seen from `namespace`, as Istio resolves it (`name.ns` is not expanded). */
const fullHost = resolveHost;

function convertVirtualService(vs: IstioVirtualService, ctx: RouteContext): KubernetesObject[] {
  const name = vs.metadata?.name ?? '';
  const namespace = vs.metadata?.namespace ?? 'default';
  const { problems, path } = ctx;
  if (vs.spec.tcp?.length || vs.spec.tls?.length) {
    problems.add(path, vs.spec.tcp?.length ? 'tcp' : 'tls', '(set)', 'Only HTTP routes are converted to the Gateway API form here: keep the Istio form for TCP and TLS routes.');
  }
  if (vs.spec.exportTo?.length) problems.add(path, 'exportTo', vs.spec.exportTo, 'HTTPRoutes have no exportTo: remove it, or keep the Istio form.');
  const refs = vs.spec.gateways?.length ? vs.spec.gateways : ['mesh'];
  const parentRefs: Record<string, unknown>[] = [];
  let mesh = false;
  for (const ref of refs) {
    if (ref === 'mesh') {
      mesh = true;
      continue;
    }
    const key = ref.includes('/') ? ref : `${namespace}/${ref}`;
    const gw = ctx.gateways.get(key);
    if (!gw) {
      problems.add(path, 'gateways', ref, 'The Gateway is not in this output, so its Gateway API form is unknown: convert the app that defines it with this one.');
      continue;
    }
    const base = { group: GW_GROUP, kind: 'Gateway', name: gw.name, namespace: gw.namespace === namespace ? undefined : gw.namespace };
    if (gw.allListenersServeRoutes) parentRefs.push(base);
    else for (const sectionName of gw.routeListeners) parentRefs.push({ ...base, sectionName });
  }
  const rules = convertRules(vs, namespace, ctx);
  const result: KubernetesObject[] = [];
  if (parentRefs.length) {
    const hosts = (vs.spec.hosts ?? []).filter((h) => h !== '*');
    result.push({
      apiVersion: GW_VERSION,
      kind: 'HTTPRoute',
      metadata: { name, namespace },
      spec: clean({ parentRefs, hostnames: hosts.length ? hosts : undefined, rules }),
    });
  }
  if (mesh) {
    // GAMMA: a route for mesh traffic has the Service it applies to as its parent.
    const meshParents = (vs.spec.hosts ?? []).map((h) => {
      const svc = ctx.serviceByHost.get(fullHost(h, namespace));
      if (!svc) {
        problems.add(path, 'hosts', h, 'A mesh route\'s Gateway API form (GAMMA) is attached to a Service: route a host that is a Service of this output.');
        return undefined;
      }
      const svcNs = svc.metadata?.namespace ?? 'default';
      return { group: '', kind: 'Service', name: svc.metadata?.name, namespace: svcNs === namespace ? undefined : svcNs };
    }).filter((p) => p !== undefined);
    if (meshParents.length) {
      result.push({
        apiVersion: GW_VERSION,
        kind: 'HTTPRoute',
        metadata: { name: parentRefs.length ? `${name}-mesh` : name, namespace },
        spec: clean({ parentRefs: meshParents, rules }),
      });
    }
  }
  return result;
}

/** One match of a route, as Istio orders Gateway API rules (pilot/pkg/config/kube/gateway/conversion.go, sortHTTPRoutes). */
interface RankedMatch {
  readonly route: string;
  readonly index: number;
  readonly rank: number;
  readonly length: number;
  readonly method: boolean;
  readonly headers: number;
  readonly query: number;
  readonly catchAll: boolean;
  /** What paths the match takes, to tell whether two matches can take the same request. */
  readonly path: PathSet;
  readonly methodValue?: string;
  readonly exactHeaders: Readonly<Record<string, string>>;
}

/** The paths a match takes: exactly one, an element-wise prefix, a string prefix, a regex, or any. */
interface PathSet {
  readonly kind: 'exact' | 'element' | 'string' | 'regex' | 'any';
  readonly value: string;
}

function convertRules(vs: IstioVirtualService, namespace: string, ctx: RouteContext): Record<string, unknown>[] {
  const { problems, path } = ctx;
  const rules: Record<string, unknown>[] = [];
  const ranked: RankedMatch[] = [];
  (vs.spec.http ?? []).forEach((route, index) => {
    const at = `routes[${JSON.stringify(route.name ?? String(index))}]`;
    const converted = convertMatches(route, at, problems, path);
    const rule: Record<string, unknown> = { name: route.name };
    if (converted.matches.length) rule.matches = converted.matches;
    const filters: Record<string, unknown>[] = [];
    // ":authority" or "host" set or added on the request is Istio's host rewrite: the URLRewrite's hostname.
    const hostRewrite = route.headers?.request ? authorityOf(route.headers.request) : undefined;
    if (hostRewrite !== undefined && (route.rewrite?.authority !== undefined || route.redirect)) {
      problems.add(path, `${at}.headers.request`, hostRewrite, `The request headers set the authority beside ${route.redirect ? 'a redirect' : 'rewrite.authority'}: the Gateway API form has one hostname rewrite; give the host once (rewrite.authority), or keep the Istio form.`);
    }
    const requestModifier = route.headers?.request ? headerModifier(withoutAuthority(route.headers.request)) : undefined;
    if (requestModifier && Object.keys(requestModifier).length) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: requestModifier });
    if (route.headers?.response) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: headerModifier(route.headers.response) });
    if (route.redirect) {
      const r = route.redirect;
      if (r.derivePort) problems.add(path, `${at}.redirect.derivePort`, r.derivePort, 'The Gateway API redirect has no derivePort: give a port or leave it out.');
      const code = r.redirectCode ?? 301;
      if (![301, 302, 303, 307, 308].includes(code)) problems.add(path, `${at}.redirect.code`, code, 'The Gateway API redirects with 301, 302, 303, 307 or 308.');
      filters.push({
        type: 'RequestRedirect',
        requestRedirect: clean({
          scheme: r.scheme, hostname: r.authority, port: r.port, statusCode: code,
          path: r.uri !== undefined ? { type: 'ReplaceFullPath', replaceFullPath: r.uri } : undefined,
        }),
      });
    }
    if (route.rewrite || hostRewrite !== undefined) {
      const rewrite = { ...convertRewrite(route, converted.prefixes, at, problems, path), ...(hostRewrite !== undefined && route.rewrite?.authority === undefined ? { hostname: hostRewrite } : {}) };
      if (Object.keys(rewrite).length && !route.redirect) filters.push({ type: 'URLRewrite', urlRewrite: rewrite });
    }
    if (route.mirror || route.mirrors?.length) {
      const mirrors = route.mirrors ?? (route.mirror ? [{ destination: route.mirror, percentage: route.mirrorPercentage }] : []);
      for (const m of mirrors) {
        const backend = backendRef(m.destination, namespace, `${at}.mirror`, ctx);
        const percent = m.percentage?.value;
        if (percent !== undefined && !Number.isInteger(percent)) problems.add(path, `${at}.mirror.percent`, percent, 'The Gateway API mirrors a whole percentage: round it.');
        if (backend) filters.push({ type: 'RequestMirror', requestMirror: clean({ backendRef: backend, percent: percent === undefined || percent === 100 ? undefined : percent }) });
      }
    }
    if (route.corsPolicy) {
      const c = route.corsPolicy;
      // istiod reads every Gateway API CORS filter with unmatchedPreflights IGNORE
      // (pilot/pkg/config/kube/gateway/conversion.go, createCorsFilter); Istio's own default is FORWARD.
      if (c.unmatchedPreflights !== 'IGNORE') {
        problems.unsupported(GatewayApiOmission.UNMATCHED_PREFLIGHTS, path, `${at}.cors.unmatchedPreflights`, c.unmatchedPreflights ?? 'FORWARD (Istio\'s default)',
          'Istio answers CORS preflights that match no allowed origin itself in the Gateway API form (IGNORE), where this route forwards them to the backend: set cors.unmatchedPreflights to UnmatchedPreflights.IGNORE, or keep the Istio form.');
      }
      const origins = (c.allowOrigins ?? []).map((o, i) => {
        if (o.exact !== undefined) return o.exact;
        problems.add(path, `${at}.cors.allowOrigins[${i}]`, o, 'The Gateway API CORS filter matches origins exactly (or with "*" wildcards): use StringMatch.exact.');
        return undefined;
      }).filter((o) => o !== undefined);
      const maxAge = c.maxAge === undefined ? undefined : seconds(c.maxAge);
      if (c.maxAge !== undefined && maxAge === undefined) problems.add(path, `${at}.cors.maxAge`, c.maxAge, 'The Gateway API CORS max age is whole seconds.');
      filters.push({
        type: 'CORS',
        cors: clean({
          allowOrigins: origins, allowMethods: c.allowMethods, allowHeaders: c.allowHeaders, exposeHeaders: c.exposeHeaders,
          maxAge, allowCredentials: c.allowCredentials,
        }),
      });
    }
    if (route.retries) {
      problems.unsupported(GatewayApiOmission.RETRIES, path, `${at}.retries`, route.retries,
        'HTTPRoute retries are not in the Gateway API v1.5 standard channel: remove retries (Istio\'s default retry policy applies), or keep the Istio form.');
    }
    if (route.fault) problems.unsupported(GatewayApiOmission.FAULTS, path, `${at}.fault`, '(set)', 'The Gateway API has no fault injection: keep the Istio form for it.');
    if (route.directResponse) problems.add(path, `${at}.directResponse`, '(set)', 'The Gateway API standard channel has no direct responses: keep the Istio form.');
    if (route.delegate) problems.add(path, `${at}.delegate`, '(set)', 'The Gateway API has no delegation: keep the Istio form.');
    if (filters.length) rule.filters = filters;
    if (route.route?.length) {
      const weighted = route.route.length > 1;
      rule.backendRefs = route.route.map((d, i) => {
        if (d.headers) problems.add(path, `${at}.to[${i}].headers`, d.headers, 'Header changes per destination have no Gateway API form here: set them on the route.');
        const ref = backendRef(d.destination, namespace, `${at}.to[${i}]`, ctx);
        return ref ? clean({ ...ref, weight: weighted ? d.weight ?? 0 : undefined }) : undefined;
      }).filter((r) => r !== undefined);
    }
    if (route.timeout) rule.timeouts = { request: route.timeout };
    rules.push(rule);
    converted.ranks.forEach((r) => ranked.push({ ...r, route: route.name ?? String(index), index }));
    if (converted.ranks.length === 0) {
      // The API server defaults a rule without matches to one match, PathPrefix "/" (the CRD's
      // default), which istiod ranks as a prefix of length 1: before every regular expression.
      ranked.push({ route: route.name ?? String(index), index, rank: 2, length: 1, method: false, headers: 0, query: 0, catchAll: false, path: { kind: 'any', value: '' }, exactHeaders: {} });
    }
  });
  checkPrecedence(ranked, problems, path);
  return rules;
}

function seconds(duration: string): number | undefined {
  const m = /^(\d+)(s|ms)$/.exec(duration);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (m[2] === 's') return value;
  return value % 1000 === 0 ? value / 1000 : undefined;
}

type HeaderOps = { readonly set?: Readonly<Record<string, string>>; readonly add?: Readonly<Record<string, string>>; readonly remove?: readonly string[] };

const isAuthority = (name: string) => [':authority', 'host'].includes(name.toLowerCase());

/** The host that ":authority" or "host" in the request's set (or add) rewrites to, as Istio reads it. */
function authorityOf(ops: HeaderOps): string | undefined {
  return Object.entries({ ...ops.add, ...ops.set }).find(([name]) => isAuthority(name))?.[1];
}

/** The header operations without the authority (which becomes the URLRewrite's hostname). */
function withoutAuthority(ops: HeaderOps): HeaderOps {
  const keep = (r?: Readonly<Record<string, string>>) => (r ? Object.fromEntries(Object.entries(r).filter(([name]) => !isAuthority(name))) : undefined);
  return { set: keep(ops.set), add: keep(ops.add), remove: ops.remove };
}

function headerModifier(ops: { readonly set?: Readonly<Record<string, string>>; readonly add?: Readonly<Record<string, string>>; readonly remove?: readonly string[] }): Record<string, unknown> {
  const list = (r?: Readonly<Record<string, string>>) => (r ? Object.entries(r).map(([name, value]) => ({ name, value })) : undefined);
  const nonEmpty = <T>(l: T[] | undefined) => (l?.length ? l : undefined);
  return clean({ set: nonEmpty(list(ops.set)), add: nonEmpty(list(ops.add)), remove: ops.remove?.length ? [...ops.remove] : undefined });
}

interface ConvertedMatches {
  readonly matches: Record<string, unknown>[];
  readonly ranks: Array<Omit<RankedMatch, 'route' | 'index'>>;
  /** Per converted match: the element-wise prefix it stands for, when it is a PathPrefix. */
  readonly prefixes: Array<string | undefined>;
}


function stringMatch(m: IstioStringMatch): { type: string; value: string } | undefined {
  if (m.exact !== undefined) return { type: 'Exact', value: m.exact };
  if (m.regex !== undefined) return { type: 'RegularExpression', value: m.regex };
  if (m.prefix !== undefined) return { type: 'RegularExpression', value: `${escapeRe2(m.prefix)}.*` };
  return undefined;
}

/**
 * The matches of a route. Istio's `prefix` is a string prefix and the Gateway API's `PathPrefix`
 * is element-wise, so a prefix becomes a regular expression, except `/` and Istio's own pattern
 * for an element-wise prefix: an exact `P` beside a prefix `P/` (with the same other conditions),
 * which is exactly `PathPrefix P`.
 */
function convertMatches(route: IstioHttpRoute, at: string, problems: Problems, path: string): ConvertedMatches {
  const source = route.match ?? [];
  const used = new Set<number>();
  const matches: Record<string, unknown>[] = [];
  const ranks: ConvertedMatches['ranks'] = [];
  const prefixes: Array<string | undefined> = [];
  source.forEach((m, i) => {
    if (used.has(i)) return;
    const where = `${at}.match[${i}]`;
    for (const key of ['withoutHeaders', 'ignoreUriCase', 'port', 'authority', 'scheme', 'sourceLabels', 'sourceNamespace', 'gateways'] as const) {
      if (m[key] !== undefined && m[key] !== false) problems.add(path, `${where}.${key}`, m[key], `The Gateway API has no ${key} match: keep the Istio form for this route.`);
    }
    let pathMatch: { type: string; value: string } | undefined;
    let elementPrefix: string | undefined;
    // A match without a path is defaulted to PathPrefix "/" by the API server (the CRD's default).
    let rank = 2;
    let length = 1;
    let pathSet: PathSet = { kind: 'any', value: '' };
    if (m.uri) {
      const twin = m.uri.exact !== undefined
        ? source.findIndex((o, j) => j > i && !used.has(j) && o.uri?.prefix === `${m.uri?.exact}/` && sameConditions(o, m))
        : m.uri.prefix !== undefined && m.uri.prefix.endsWith('/') && m.uri.prefix !== '/'
          ? source.findIndex((o, j) => j > i && !used.has(j) && o.uri?.exact === m.uri?.prefix?.slice(0, -1) && sameConditions(o, m))
          : -1;
      if (twin >= 0) {
        used.add(twin);
        elementPrefix = m.uri.exact ?? m.uri.prefix?.slice(0, -1) ?? '/';
        pathMatch = { type: 'PathPrefix', value: elementPrefix };
        rank = 2;
        length = elementPrefix.length;
        pathSet = { kind: 'element', value: elementPrefix };
      } else if (m.uri.prefix === '/') {
        pathMatch = { type: 'PathPrefix', value: '/' };
        elementPrefix = '/';
        rank = 2;
        length = 1;
        pathSet = { kind: 'any', value: '' };
      } else {
        pathMatch = stringMatch(m.uri);
        rank = m.uri.exact !== undefined ? 3 : 1;
        length = pathMatch?.value.length ?? 0;
        pathSet = m.uri.exact !== undefined ? { kind: 'exact', value: m.uri.exact }
          : m.uri.prefix !== undefined ? { kind: 'string', value: m.uri.prefix } : { kind: 'regex', value: m.uri.regex ?? '' };
      }
    }
    // A presence match ({}) is a regular expression that takes any value: Envoy matches a header
    // (or query parameter) only when it is present, as Istio's present_match does.
    const strings = (r?: Readonly<Record<string, IstioStringMatch>>) => (r ? Object.entries(r).map(([name, v]) => ({ name, ...(stringMatch(v) ?? { type: 'RegularExpression', value: '.*' }) })) : undefined);
    // Pseudo-headers: ":method" exactly is the match's method; the others have no Gateway API form
    // (header names cannot start with ":").
    const pseudo = Object.entries(m.headers ?? {}).filter(([name]) => name.startsWith(':'));
    let pseudoMethod: string | undefined;
    for (const [name, v] of pseudo) {
      if (name === ':method' && v.exact !== undefined && m.method === undefined) pseudoMethod = v.exact;
      else {
        problems.add(path, `${where}.headers["${name}"]`, v, name === ':method'
          ? 'The Gateway API matches the method once and exactly: use method: HttpMethod.X (an exact ":method"), or keep the Istio form.'
          : `The Gateway API has no match on the ${name} pseudo-header (header names cannot start with ":"): ${name === ':authority' ? 'route by the route\'s hosts' : name === ':path' ? 'use a path match' : name === ':scheme' ? 'match the scheme by the Gateway\'s listener (HTTP or HTTPS)' : 'remove it'}, or keep the Istio form.`);
      }
    }
    const method = m.method?.exact ?? pseudoMethod;
    if (m.method && m.method.exact === undefined) problems.add(path, `${where}.method`, m.method, 'The Gateway API matches methods exactly.');
    const plainHeaders = m.headers ? Object.fromEntries(Object.entries(m.headers).filter(([name]) => !name.startsWith(':'))) : undefined;
    const headers = plainHeaders && Object.keys(plainHeaders).length ? strings(plainHeaders) : undefined;
    const queryParams = strings(m.queryParams);
    matches.push(clean({ path: pathMatch, headers, queryParams, method }));
    prefixes.push(elementPrefix);
    const exactHeaders = Object.fromEntries(Object.entries(m.headers ?? {}).filter(([, v]) => v.exact !== undefined).map(([k, v]) => [k, v.exact ?? '']));
    ranks.push({
      rank, length, method: method !== undefined, headers: headers?.length ?? 0, query: queryParams?.length ?? 0, catchAll: false,
      path: pathSet, methodValue: method, exactHeaders,
    });
  });
  return { matches, ranks, prefixes };
}

function sameConditions(a: IstioHttpMatch, b: IstioHttpMatch): boolean {
  const rest = (m: IstioHttpMatch) => JSON.stringify({ ...m, uri: undefined, name: undefined });
  return rest(a) === rest(b);
}

function convertRewrite(route: IstioHttpRoute, prefixes: ReadonlyArray<string | undefined>, at: string, problems: Problems, path: string): Record<string, unknown> | undefined {
  const r = route.rewrite;
  if (!r) return undefined;
  const out: Record<string, unknown> = {};
  if (r.authority !== undefined) out.hostname = r.authority;
  if (r.uriRegexRewrite) {
    // Replacing an element-wise prefix P: `^P/?` by "/", or `^P` by R (R not ending in "/"), is exactly
    // the Gateway API's ReplacePrefixMatch when every match of the route is PathPrefix P.
    const { match, rewrite } = r.uriRegexRewrite;
    const prefix = prefixes.length > 0 && prefixes.every((p) => p !== undefined && p !== '/' && p === prefixes[0]) ? prefixes[0] : undefined;
    const exact = prefix !== undefined && rewrite !== undefined && (
      (rewrite === '/' && match === `^${escapeRe2(prefix)}/?`) || (!rewrite.endsWith('/') && rewrite.startsWith('/') && match === `^${escapeRe2(prefix)}`));
    if (exact) out.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: rewrite };
    else {
      problems.add(path, `${at}.rewrite.uriRegexRewrite`, r.uriRegexRewrite,
        'The Gateway API has no regex rewrite; it replaces a PathPrefix: match exactly P and below P/ (PathMatch.exact(P), PathMatch.prefix(P + "/")) and rewrite with uriRegex { match: "^P/?", rewrite: "/" } or { match: "^P", rewrite: "/new" }, or keep the Istio form.');
    }
  }
  if (r.uri !== undefined) {
    const matches = route.match ?? [];
    const allExact = matches.length > 0 && matches.every((m) => m.uri?.exact !== undefined);
    const allElementPrefixes = prefixes.length > 0 && prefixes.every((p) => p !== undefined && p !== '/');
    if (allExact) out.path = { type: 'ReplaceFullPath', replaceFullPath: r.uri };
    else if (allElementPrefixes && r.uri === '/') out.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' };
    else {
      problems.add(path, `${at}.rewrite.uri`, r.uri,
        'Istio replaces a string prefix and the Gateway API an element-wise prefix, so they agree only for exact matches, or for an exact P with a prefix P/ rewritten to "/": match that way (PathMatch.exact(P) and PathMatch.prefix(P + "/")), or keep the Istio form.');
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Istio orders a Gateway API route's rules by precedence, not as written: exact paths, then
 * prefixes (longest first), then regular expressions, then by method, header and query counts.
 * The conversion keeps the meaning only if that order is the written one.
 */
function checkPrecedence(ranked: readonly RankedMatch[], problems: Problems, path: string): void {
  const before = (a: RankedMatch, b: RankedMatch): boolean => {
    if (a.catchAll !== b.catchAll) return b.catchAll;
    if (a.rank !== b.rank) return a.rank > b.rank;
    if (a.length !== b.length) return a.length > b.length;
    if (a.method !== b.method) return a.method;
    if (a.headers !== b.headers) return a.headers > b.headers;
    return a.query > b.query;
  };
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i + 1; j < ranked.length; j++) {
      if (ranked[j].index !== ranked[i].index && before(ranked[j], ranked[i]) && mayOverlap(ranked[i], ranked[j])) {
        problems.add(path, `routes[${JSON.stringify(ranked[j].route)}]`, ranked[j].route,
          `Istio orders Gateway API rules by precedence (exact path, longest prefix, regex, method, headers, query parameters), which would put it before "${ranked[i].route}": reorder the routes so the more specific comes first, or keep the Istio form.`);
        return;
      }
    }
  }
}

/** Whether some request can satisfy both matches (conservative: true unless provably disjoint). */
function mayOverlap(a: RankedMatch, b: RankedMatch): boolean {
  if (a.methodValue !== undefined && b.methodValue !== undefined && a.methodValue !== b.methodValue) return false;
  for (const [k, v] of Object.entries(a.exactHeaders)) if (b.exactHeaders[k] !== undefined && b.exactHeaders[k] !== v) return false;
  return pathsOverlap(a.path, b.path);
}

function pathsOverlap(a: PathSet, b: PathSet): boolean {
  if (a.kind === 'any' || b.kind === 'any') return true;
  if (a.kind === 'regex' || b.kind === 'regex') {
    const [re, other] = a.kind === 'regex' ? [a, b] : [b, a];
    if (other.kind !== 'exact') return true;
    try {
      return new RegExp(`^(?:${re.value})$`).test(other.value);
    } catch {
      return true; // RE2-only syntax: assume they may overlap
    }
  }
  const takes = (set: PathSet, path: string): boolean => (set.kind === 'exact' ? set.value === path
    : set.kind === 'element' ? path === set.value || path.startsWith(`${set.value}/`) : path.startsWith(set.value));
  if (a.kind === 'exact') return takes(b, a.value);
  if (b.kind === 'exact') return takes(a, b.value);
  // Two prefixes (element-wise or string) overlap when one's paths can start with the other.
  return a.value.startsWith(b.value) || b.value.startsWith(a.value);
}

function backendRef(dest: IstioDestination, namespace: string, at: string, ctx: RouteContext): Record<string, unknown> | undefined {
  const { problems, path } = ctx;
  const svc = ctx.serviceByHost.get(fullHost(dest.host, namespace));
  if (!svc) {
    problems.add(path, `${at}.host`, dest.host, 'The Gateway API form routes to Services of this output only: add the Service, or keep the Istio form for external hosts.');
    return undefined;
  }
  const svcName = svc.metadata?.name ?? '';
  const svcNs = svc.metadata?.namespace ?? 'default';
  const ports = svc.spec.ports ?? [];
  const port = dest.port?.number ?? (ports.length === 1 ? ports[0].port : undefined);
  if (port === undefined) {
    problems.add(path, `${at}.port`, undefined, `Service ${svcName} has several ports: name one.`);
    return undefined;
  }
  let name = svcName;
  if (dest.subset) {
    const dr = ctx.destinationRules.find((d) => fullHost(d.spec.host, d.metadata?.namespace ?? 'default') === fullHost(svcName, svcNs) && d.spec.subsets?.some((s) => s.name === dest.subset));
    const subset = dr?.spec.subsets?.find((s) => s.name === dest.subset);
    if (!dr || !subset) {
      problems.add(path, `${at}.subset`, dest.subset, `No DestinationRule of this output defines subset ${JSON.stringify(dest.subset)} of ${svcName}.`);
      return undefined;
    }
    name = `${svcName}-${dest.subset}`;
    addVersionService(ctx, svc, name, subset.labels ?? {}, dr, subset.trafficPolicy);
  }
  if (svcNs !== namespace) addGrant(ctx, namespace, svcNs, name);
  return clean({ group: '', kind: 'Service', name, namespace: svcNs === namespace ? undefined : svcNs, port });
}

/** A Service per version, selecting the version's pods, with the DestinationRule policy (and the subset's) kept for it. */
function addVersionService(ctx: RouteContext, svc: KubeService, name: string, labels: Readonly<Record<string, string>>, dr: IstioDestinationRule, subsetPolicy?: Readonly<Record<string, unknown>>): void {
  const ns = svc.metadata?.namespace ?? 'default';
  const key = `${ns}/${name}`;
  if (ctx.versionServices.has(key)) return;
  ctx.versionServices.set(key, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: svc.metadata?.labels ? { ...svc.metadata.labels, ...labels } : { ...labels } },
    spec: { selector: { ...svc.spec.selector, ...labels }, ports: (svc.spec.ports ?? []).map((p) => ({ ...p })) },
  });
  const policy = { ...dr.spec.trafficPolicy, ...subsetPolicy };
  if (Object.keys(policy).length) {
    ctx.versionServices.set(`${key}/DestinationRule`, {
      apiVersion: dr.apiVersion,
      kind: 'DestinationRule',
      metadata: { name, namespace: ns, labels: dr.metadata?.labels ? { ...dr.metadata.labels } : undefined },
      // The version's rule is visible where the Istio form's was, and applies to the same workloads.
      spec: clean({ host: name, trafficPolicy: policy, exportTo: dr.spec.exportTo, workloadSelector: dr.spec.workloadSelector }),
    });
  }
}

function addGrant(ctx: RouteContext, fromNamespace: string, toNamespace: string, serviceName: string): void {
  const name = `allow-httproutes-from-${fromNamespace}`;
  const key = `${toNamespace}/${name}`;
  const existing = ctx.grants.get(key);
  const to = (existing?.spec as { to: Array<{ group: string; kind: string; name?: string }> } | undefined)?.to ?? [];
  if (to.some((t) => t.name === serviceName)) return;
  ctx.grants.set(key, {
    apiVersion: GW_VERSION,
    kind: 'ReferenceGrant',
    metadata: { name, namespace: toNamespace },
    spec: { from: [{ group: GW_GROUP, kind: 'HTTPRoute', namespace: fromNamespace }], to: [...to, { group: '', kind: 'Service', name: serviceName }] },
  });
}
