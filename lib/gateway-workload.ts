/**
 * The pods that serve a Gateway: deployed by this package by gateway injection (ServiceAccount,
 * Deployment, LoadBalancer Service, Role/RoleBinding for TLS secrets, HPA, PDB), or already there
 * (the AKS add-on's, another team's).
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AutoscalingOptions, createHorizontalPodAutoscaler, resolveAutoscaling } from './autoscaling';
import { AzureLoadBalancerOptions, azureLoadBalancerAnnotations, ExternalTrafficPolicy } from './azure-load-balancer';
import { CertificateWorkloadChanges } from './certificate';
import { objectReference, recordDeploymentFact } from './deployment-facts';
import { Disruption } from './disruption';
import { fail } from './private/errors';
import { HARDENED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from './private/security-context';
import { validateDnsLabel, validateLabels, validatePositiveInteger, validateWholeSeconds, validateZoneCount } from './private/validate';
import { ContainerResources, GATEWAY_DEFAULT_RESOURCES, renderResources, validateResources } from './resources';
import { gatewayTopologySpread, SpreadPolicy } from './scheduling';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';
import { INJECT_TEMPLATES_ANNOTATION, ISTIO_REVISION_LABEL, PROXY_CONFIG_ANNOTATION, SIDECAR_INJECT_LABEL } from './contract/keys';

/** Options of a gateway workload the package deploys (gateway injection). */
export interface ManagedGatewayWorkloadOptions {
  /**
   * Name of the Deployment, Service, ServiceAccount and Role.
   * @default 'istio-ingressgateway'
   */
  readonly name?: string;
  /**
   * Labels that identify the gateway pods; the Gateway's selector.
   * @default { istio: 'ingressgateway' }
   */
  readonly labels?: Record<string, string>;
  /**
   * Istio revision (`istio.io/rev` label) whose injector fills in the proxy, for example "asm-1-25"
   * on the AKS add-on or a canary revision of istiod.
   * @default - the default revision
   */
  readonly revision?: string;
}

/** Options of a gateway workload the app does not own. */
export interface ExistingGatewayWorkloadOptions {
  /** The namespace of the gateway pods (credential secrets and EnvoyFilters live there). */
  readonly namespace: string;
  /** Labels of the gateway pods; the Gateway's selector. */
  readonly selector: Record<string, string>;
  /**
   * The gateway pods' service account, for services that accept calls from the gateway (`allowFrom`).
   * @default - unknown: `allowFrom` refuses this gateway
   */
  readonly serviceAccount?: string;
  /**
   * The name of the gateway pods' Deployment (for monitoring).
   * @default - unknown: `EdgeMonitoring` then needs `gatewayWorkloadName`
   */
  readonly deploymentName?: string;
}

/** Options of an AKS add-on gateway. */
export interface AksAddonGatewayOptions {
  /**
   * The gateway pods' service account, for services that accept calls from the gateway (`allowFrom`).
   * @default - unknown: `allowFrom` refuses this gateway
   */
  readonly serviceAccount?: string;
}

/** The AKS Istio add-on's managed ingress gateways. */
export enum AksIngressGateway {
  /** `istio: aks-istio-ingressgateway-external` in `aks-istio-ingress`. */
  EXTERNAL = 'aks-istio-ingressgateway-external',
  /** `istio: aks-istio-ingressgateway-internal` in `aks-istio-ingress`. */
  INTERNAL = 'aks-istio-ingressgateway-internal',
}

/**
 * How the gateway pods shut down without dropping connections: the pod is first removed from
 * the load balancer while it keeps serving (`preStopDelay`), then Envoy drains its connections
 * (`drainDuration`), and Kubernetes kills it only after `terminationGracePeriod`.
 */
export interface GracefulShutdownOptions {
  /**
   * Wait before the proxy is told to stop, so load balancers and endpoints stop sending new requests.
   * @default Duration.seconds(5)
   */
  readonly preStopDelay?: Duration;
  /**
   * How long Envoy drains open connections once stopping (`terminationDrainDuration` of the proxy config).
   * @default Duration.seconds(20)
   */
  readonly drainDuration?: Duration;
  /**
   * The pod's termination grace period; must be longer than preStopDelay + drainDuration.
   * @default - preStopDelay + drainDuration + 5 seconds
   */
  readonly terminationGracePeriod?: Duration;
}

/** Settings of the gateway pods the package deploys; refused for pods it does not deploy. */
export interface GatewayWorkloadSettings {
  /**
   * Requests and limits of the gateway container (managed workload only).
   * @default - requests cpu 1000m, memory 1Gi; limits cpu 2000m, memory 2Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Horizontal pod autoscaling of the gateway Deployment (managed workload only).
   * @default - 2 to 10 replicas at 70% CPU, unless `replicas` is set
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * A fixed replica count instead of autoscaling (managed workload only).
   * @default - autoscaled
   */
  readonly replicas?: number;
  /**
   * The gateway's PodDisruptionBudget (managed workload only).
   * @default Disruption.minAvailable(1)
   */
  readonly disruption?: Disruption;
  /**
   * How gateway pods spread over zones and nodes (managed workload only). With
   * `SpreadPolicy.REQUIRED` one zone never holds more than one pod more than another, so losing one
   * of 3 zones leaves at least 2 of 3 pods; `nodeTaintsPolicy: Honor` and `minDomains` keep
   * replacement and surge pods schedulable while a zone is down (see `zones`).
   * @default - SpreadPolicy.REQUIRED over 2 zones or more, SpreadPolicy.PREFERRED with `zones: 1`
   */
  readonly spread?: SpreadPolicy;
  /**
   * How many availability zones the nodes of the gateway pods span (AKS: zones 1, 2, 3 of the
   * region). With `SpreadPolicy.REQUIRED` and 3 zones or more, `minDomains` is `zones - 1`.
   * Check the node pools: their minimum node count must put a node in every zone.
   * @default 3
   */
  readonly zones?: number;
  /**
   * Graceful shutdown of gateway pods (managed workload only).
   * @default - 5s pre-stop delay, 20s drain, 30s grace period
   */
  readonly shutdown?: GracefulShutdownOptions;
  /**
   * Azure load balancer settings (managed workload only).
   * @default - public, dynamic address, probes on /healthz/ready, ExternalTrafficPolicy.CLUSTER
   */
  readonly azure?: AzureLoadBalancerOptions;
  /**
   * Proxies in front of the gateway that add `X-Forwarded-For` (Azure Front Door, Application
   * Gateway): the gateway then takes the client's address from that header, so per-client rate
   * limits and source-IP rules see the client (the proxy config's `gatewayTopology.numTrustedProxies`,
   * set through the `proxy.istio.io/config` pod annotation; managed workload only).
   * @default 0 - the address the gateway's connection comes from
   * @see https://istio.io/latest/docs/ops/configuration/traffic-management/network-topologies/
   */
  readonly numTrustedProxies?: number;
}

const MANAGED_ONLY: ReadonlyArray<keyof GatewayWorkloadSettings> = ['resources', 'autoscaling', 'replicas', 'disruption', 'spread', 'zones', 'shutdown', 'azure', 'numTrustedProxies'];

/** A port of a gateway server, as the workload's Service exposes it. */
export interface GatewayServicePort {
  /** The port number. */
  readonly number: number;
  /** The Service port's name. */
  readonly name: string;
}

/**
 * What a workload is, once bound to a gateway.
 * @internal
 */
export interface BoundGatewayWorkload {
  /** Namespace of the gateway pods. */
  readonly namespace: string;
  /** Name of the workload (default names derive from it). */
  readonly name: string;
  /** Labels of the gateway pods. */
  readonly selector: Record<string, string>;
  /** The pods' service account, when known. */
  readonly serviceAccountName?: string;
  /** The pods' Deployment, when known. */
  readonly deploymentName?: string;
  /** Whether the gateway sees clients' addresses. */
  readonly clientIpKnown: boolean;
  /** Whether the package deploys the pods (a certificate source may need to mount volumes). */
  readonly deploysPods: boolean;
}

/**
 * The objects of a deployed gateway workload.
 * @internal
 */
export interface DeployedGatewayWorkload {
  readonly deployment?: ApiObject;
  readonly service?: k8s.KubeService;
  readonly autoscaler?: ApiObject;
  readonly disruptionBudget?: ApiObject;
  /** The smallest number of pods it runs (the autoscaler's minimum, else the fixed replicas), when the package deploys them. */
  readonly minReplicas?: number;
}

/** The gateway's status port: readiness (`/healthz/ready`), probed by Azure's load balancer. */
export const GATEWAY_STATUS_PORT = 15021;

/** The pods that serve a Gateway: deployed by this package, or already there. */
export abstract class GatewayWorkload {
  /** Deploy the gateway by gateway injection: ServiceAccount, Deployment, LoadBalancer Service, Role/RoleBinding, HPA, PDB. */
  public static managed(options: ManagedGatewayWorkloadOptions = {}): GatewayWorkload {
    checkArgs('GatewayWorkload.managed', 'options', options, SHAPES.ManagedGatewayWorkloadOptions);
    return new ManagedGatewayWorkload(options);
  }

  /** Bind to gateway pods the app does not own: only the Gateway resource (and EnvoyFilters) are emitted. */
  public static existing(options: ExistingGatewayWorkloadOptions): GatewayWorkload {
    checkArgs('GatewayWorkload.existing', 'options', options, req(SHAPES.ExistingGatewayWorkloadOptions));
    return new ExistingGatewayWorkload(options);
  }

  /** Bind to an ingress gateway of the AKS Istio add-on. */
  public static aksAddon(gateway: AksIngressGateway = AksIngressGateway.EXTERNAL, options: AksAddonGatewayOptions = {}): GatewayWorkload {
    checkArgs('GatewayWorkload.aksAddon', 'options', options, SHAPES.AksAddonGatewayOptions);
    return GatewayWorkload.existing({ namespace: 'aks-istio-ingress', selector: { istio: gateway }, serviceAccount: options.serviceAccount });
  }

  /**
   * The namespace of the Gateway resource when the props name none.
   * @internal
   */
  public abstract _defaultGatewayNamespace(): string | undefined;

  /**
   * Validates the workload for the gateway `scope` whose resource lives in `gatewayNamespace`.
   * @internal
   */
  public abstract _bind(scope: Construct, gatewayNamespace: string, settings: GatewayWorkloadSettings): BoundGatewayWorkload;

  /**
   * Creates the workload's objects (none for pods the package does not deploy).
   * @internal
   */
  public abstract _deploy(scope: Construct, bound: BoundGatewayWorkload, settings: GatewayWorkloadSettings, ports: readonly GatewayServicePort[], certificate: CertificateWorkloadChanges | undefined): DeployedGatewayWorkload;
}

class ExistingGatewayWorkload extends GatewayWorkload {
  public constructor(private readonly options: ExistingGatewayWorkloadOptions) {
    super();
  }

  public _defaultGatewayNamespace(): string | undefined {
    return this.options.namespace;
  }

  public _bind(scope: Construct, _gatewayNamespace: string, settings: GatewayWorkloadSettings): BoundGatewayWorkload {
    for (const key of MANAGED_ONLY) {
      if (settings[key] !== undefined) {
        fail(scope, key, settings[key], 'This setting applies only to a workload the package deploys: remove it, or use GatewayWorkload.managed().');
      }
    }
    const selector = validateLabels(scope, 'workload.selector', this.options.selector);
    if (Object.keys(selector).length === 0) fail(scope, 'workload.selector', selector, 'Give at least one label to select the gateway pods by.');
    return {
      namespace: validateDnsLabel(scope, 'workload.namespace', this.options.namespace),
      name: 'istio-ingressgateway',
      selector,
      serviceAccountName: this.options.serviceAccount === undefined ? undefined : validateDnsLabel(scope, 'workload.serviceAccount', this.options.serviceAccount),
      deploymentName: this.options.deploymentName,
      clientIpKnown: true,
      deploysPods: false,
    };
  }

  public _deploy(): DeployedGatewayWorkload {
    return {};
  }
}

class ManagedGatewayWorkload extends GatewayWorkload {
  public constructor(private readonly options: ManagedGatewayWorkloadOptions) {
    super();
  }

  public _defaultGatewayNamespace(): string | undefined {
    return undefined;
  }

  public _bind(scope: Construct, gatewayNamespace: string, settings: GatewayWorkloadSettings): BoundGatewayWorkload {
    const name = validateDnsLabel(scope, 'workload.name', this.options.name ?? 'istio-ingressgateway');
    const selector = validateLabels(scope, 'workload.labels', this.options.labels ?? { istio: 'ingressgateway' });
    if (Object.keys(selector).length === 0) fail(scope, 'workload.labels', selector, 'Give at least one label to select the gateway pods by.');
    return {
      namespace: gatewayNamespace,
      name,
      selector,
      serviceAccountName: name,
      deploymentName: name,
      clientIpKnown: settings.azure?.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL || (settings.numTrustedProxies ?? 0) > 0,
      deploysPods: true,
    };
  }

  public _deploy(scope: Construct, bound: BoundGatewayWorkload, props: GatewayWorkloadSettings, ports: readonly GatewayServicePort[], certificate: CertificateWorkloadChanges | undefined): DeployedGatewayWorkload {
    const { name, namespace } = bound;
    const podLabels: Record<string, string> = { app: name, ...bound.selector, [SIDECAR_INJECT_LABEL]: 'true', ...certificate?.podLabels };
    if (this.options.revision !== undefined) podLabels[ISTIO_REVISION_LABEL] = validateDnsLabel(scope, 'workload.revision', this.options.revision);
    const matchLabels = { app: name, ...bound.selector };

    const resources = validateResources(scope, 'resources', props.resources ?? GATEWAY_DEFAULT_RESOURCES);
    if (props.replicas !== undefined && props.autoscaling !== undefined) {
      fail(scope, 'replicas', props.replicas, 'Set either replicas or autoscaling, not both: an autoscaler owns the replica count.');
    }
    if (props.replicas !== undefined) validatePositiveInteger(scope, 'replicas', props.replicas);
    const scaling = props.replicas === undefined
      ? resolveAutoscaling(scope, 'autoscaling', props.autoscaling ?? {}, [{ name: 'istio-proxy', resources }])
      : undefined;

    const zones = props.zones === undefined ? 3 : validateZoneCount(scope, 'zones', props.zones);
    const spread = props.spread ?? (zones >= 2 ? SpreadPolicy.REQUIRED : SpreadPolicy.PREFERRED);
    if (spread !== SpreadPolicy.REQUIRED && spread !== SpreadPolicy.PREFERRED) {
      fail(scope, 'spread', spread, 'Use SpreadPolicy.REQUIRED or SpreadPolicy.PREFERRED.');
    }

    const shutdown = props.shutdown ?? {};
    const preStop = validateWholeSeconds(scope, 'shutdown.preStopDelay', shutdown.preStopDelay ?? Duration.seconds(5));
    const drain = validateWholeSeconds(scope, 'shutdown.drainDuration', shutdown.drainDuration ?? Duration.seconds(20));
    const minGrace = preStop + drain;
    const grace = shutdown.terminationGracePeriod === undefined
      ? minGrace + 5
      : validateWholeSeconds(scope, 'shutdown.terminationGracePeriod', shutdown.terminationGracePeriod);
    if (grace <= minGrace) {
      fail(scope, 'shutdown.terminationGracePeriod', shutdown.terminationGracePeriod,
        `It must be longer than preStopDelay + drainDuration (${minGrace}s), or Kubernetes kills the proxy while it drains: use at least ${minGrace + 1}s.`);
    }

    const trustedProxies = props.numTrustedProxies ?? 0;
    if (!Number.isInteger(trustedProxies) || trustedProxies < 0) {
      fail(scope, 'numTrustedProxies', props.numTrustedProxies, 'Use the number of proxies in front of the gateway that add X-Forwarded-For (0 or more, a whole number).');
    }
    const saAnnotations = certificate?.serviceAccountAnnotations ?? {};
    const sa = new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
      metadata: { name, namespace, labels: matchLabels, annotations: Object.keys(saAnnotations).length ? saAnnotations : undefined },
    });
    // Rendered through KubeDeployment.manifest (typed) into a plain ApiObject, so that the JSON patch
    // below is not filtered by the L1 class: its types predate the native preStop sleep action.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the generated manifest() is typed `any`
    const deployment = new ApiObject(scope, 'Deployment', k8s.KubeDeployment.manifest({
      metadata: { name, namespace, labels: matchLabels },
      spec: {
        // No replicas when an autoscaler drives the Deployment: server-side apply would fight it.
        replicas: scaling ? undefined : props.replicas,
        selector: { matchLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: {
            labels: podLabels,
            annotations: {
              [INJECT_TEMPLATES_ANNOTATION]: 'gateway',
              [PROXY_CONFIG_ANNOTATION]: JSON.stringify({
                terminationDrainDuration: `${drain}s`,
                ...(trustedProxies ? { gatewayTopology: { numTrustedProxies: trustedProxies } } : {}),
              }),
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': '15020',
              'prometheus.io/path': '/stats/prometheus',
            },
          },
          spec: {
            serviceAccountName: sa.name,
            terminationGracePeriodSeconds: grace,
            // Lets the unprivileged proxy bind ports 80 and 443: the only exception the gateway needs.
            securityContext: {
              runAsNonRoot: true,
              seccompProfile: RUNTIME_DEFAULT_SECCOMP,
              sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
            },
            topologySpreadConstraints: gatewayTopologySpread(matchLabels, spread, zones),
            containers: [{
              name: 'istio-proxy',
              // "auto": the injection webhook fills in the proxy image of the matching revision.
              image: 'auto',
              ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
              resources: renderResources(resources),
              securityContext: {
                ...HARDENED_CONTAINER,
                capabilities: { drop: [...HARDENED_CONTAINER.capabilities.drop] },
                runAsUser: 1337,
                runAsGroup: 1337,
              },
            }],
          },
        },
      },
    }));
    // The native sleep action (Kubernetes 1.30+) needs no shell in the proxy image.
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle', {
      preStop: { sleep: { seconds: preStop } },
    }));
    if (certificate?.volumes.length) {
      deployment.addJsonPatch(
        JsonPatch.add('/spec/template/spec/volumes', certificate.volumes),
        JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', certificate.volumeMounts),
      );
    }

    const service = new k8s.KubeService(scope, 'Service', {
      metadata: {
        name, namespace, labels: matchLabels,
        annotations: azureLoadBalancerAnnotations(scope, props.azure ?? {}, ports.map((p) => p.number), GATEWAY_STATUS_PORT),
      },
      spec: {
        type: 'LoadBalancer',
        selector: matchLabels,
        externalTrafficPolicy: props.azure?.externalTrafficPolicy ?? ExternalTrafficPolicy.CLUSTER,
        ports: [
          { name: 'status-port', port: GATEWAY_STATUS_PORT, targetPort: k8s.IntOrString.fromNumber(GATEWAY_STATUS_PORT), protocol: 'TCP' },
          ...ports.map((p) => ({ name: p.name, port: p.number, targetPort: k8s.IntOrString.fromNumber(p.number), protocol: 'TCP' })),
        ],
      },
    });

    const role = new k8s.KubeRole(scope, 'Role', {
      metadata: { name, namespace, labels: matchLabels },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    });
    new k8s.KubeRoleBinding(scope, 'RoleBinding', {
      metadata: { name, namespace, labels: matchLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name }],
    });

    const target = { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace };
    const autoscaler = scaling ? createHorizontalPodAutoscaler(scope, 'Autoscaler', target, scaling) : undefined;
    const disruption = props.disruption ?? Disruption.minAvailable(1);
    const floor = scaling ? scaling.minReplicas : (props.replicas ?? 1);
    const problem = disruption._checkAgainst(scope, 'disruption', floor, scaling ? 'autoscaling.minReplicas' : 'replicas');
    if (problem) throw new Error(problem);
    const disruptionBudget = disruption._create(scope, 'DisruptionBudget', name, namespace, matchLabels);

    // What the deployment needs beyond the manifests (lib/deployment-facts.ts).
    const publicIp = props.azure?.publicIp;
    if (publicIp) {
      recordDeploymentFact(scope, { type: 'publicIp', fact: () => ({ path: scope.node.path, name: publicIp.name, resourceGroup: publicIp.resourceGroup, service: objectReference(service) }) });
    }
    for (const kv of certificate?.keyVaults ?? []) {
      recordDeploymentFact(scope, {
        type: 'keyVault',
        fact: () => ({
          path: scope.node.path, vaultName: kv.vaultName, clientId: kv.clientId, tenantId: kv.tenantId,
          secretProviderClass: objectReference(kv.secretProviderClass), serviceAccount: objectReference(sa),
          // The pods mount the vault's CSI volume; the Service's endpoints wait for them.
          readers: [objectReference(deployment), objectReference(service)],
        }),
      });
    }
    return { deployment, service, autoscaler, disruptionBudget, minReplicas: floor };
  }
}
