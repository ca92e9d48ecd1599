import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy } from '../imports/istio-networking.istio.io';
import { AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction } from '../imports/istio-security.istio.io';
import { AutoscalingOptions, createHorizontalPodAutoscaler, resolveAutoscaling } from './autoscaling';
import { IMeshCaller, IRoutableService, IRouteTarget } from './service-reference';
import { Disruption } from './disruption';
import { fail } from './private/errors';
import { imageReferenceProblem } from './private/image-reference';
import { declareExistingNamespace } from './contract/existing-namespaces';
import { validateDnsLabel, validateEnv, validateId, validateLabels, validatePort, validatePositiveInteger, validateServiceName } from './private/validate';
import { ContainerResources, SERVICE_DEFAULT_RESOURCES, validateResources } from './resources';
import { SpreadPolicy, topologySpread } from './scheduling';
import { TrafficPolicy, renderTrafficPolicy } from './destination-policy';
import { principal } from './private/identity';
import { HARDENED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from './private/security-context';
import { plainK8sJson, sortsKeys } from './private/k8s-json';
import { checkArgs } from './private/args';
import { lazy, validation } from './private/lazy';
import { shareJson } from './private/shared-json';
import { SHAPES } from './private/arg-shapes';
import { compactConstruct, compactTree } from './private/compact';

/** The application protocol of a Service port; Istio picks its proxy behaviour by it. */
export enum AppProtocol {
  HTTP = 'http',
  HTTP2 = 'http2',
  GRPC = 'grpc',
  TCP = 'tcp',
}

/**
 * A port of the Service.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export interface ServicePortOptions {
  /** The Service port. */
  readonly port: number;
  /**
   * The container port it forwards to.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The application protocol (`appProtocol`).
   * @default AppProtocol.HTTP
   */
  readonly protocol?: AppProtocol;
  /**
   * The port's name.
   * @default - the protocol ("http"), suffixed with the port when the Service has several ports
   */
  readonly name?: string;
}

/** One version of a service: a Deployment labelled `version=<name>` and a DestinationRule subset. */
export interface VersionOptions {
  /** The version's name ("v1"): the `version` label and the subset's name. */
  readonly name: string;
  /** The container image. */
  readonly image: string;
  /**
   * A fixed replica count.
   * @default 2, unless `autoscaling` is set
   */
  readonly replicas?: number;
  /**
   * Autoscale this version's Deployment instead of fixing its replicas.
   * @default - not autoscaled
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Container requests and limits.
   * @default - the service's `resources`
   */
  readonly resources?: ContainerResources;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Readiness probe.
   * @default - TCP connect to the first port
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe.
   * @default - TCP connect to the first port, after 15 seconds
   */
  readonly liveness?: kplus.Probe;
  /**
   * Container command (entrypoint).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Container security context, merged over the hardened defaults.
   * @default - non-root, read-only root filesystem, no privilege escalation, all capabilities dropped;
   * the pod uses the RuntimeDefault seccomp profile
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
  /**
   * Extra pod labels.
   * @default - only `app` and `version`
   */
  readonly labels?: Record<string, string>;
  /**
   * Traffic policy of this version's subset, overriding the service's.
   * @default - the service's policy applies
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Props of {@link VersionedService}. */
export interface VersionedServiceProps {
  /**
   * The Service's name (also the `app` label and the DestinationRule's name).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * The single port of the Service (HTTP); use `ports` for several.
   * @default 8080
   */
  readonly port?: number;
  /**
   * The ports of the Service.
   * @default - one HTTP port, `port`
   */
  readonly ports?: ServicePortOptions[];
  /**
   * The versions; more can be added with `addVersion`.
   * @default - none yet
   */
  readonly versions?: VersionOptions[];
  /**
   * Traffic policy of the DestinationRule.
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
   * @default - Istio's defaults; no `tls`, so Istio's automatic mutual TLS applies (set `tls: ClientTls.ISTIO_MUTUAL` to force it)
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Default container resources of every version.
   * @default - requests cpu 250m, memory 256Mi; limits cpu 1000m, memory 512Mi
   */
  readonly resources?: ContainerResources;
  /**
   * The disruption budget over all versions' pods.
   * @default Disruption.maxUnavailable(1)
   */
  readonly disruption?: Disruption;
  /**
   * How pods spread over zones and nodes.
   * @default SpreadPolicy.PREFERRED
   */
  readonly spread?: SpreadPolicy;
}

interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: AppProtocol;
}

/**
 * A Service with several versions running side by side: the Kubernetes Service (selector
 * `app=<name>`), one Deployment per version (labels `app`, `version`), a DestinationRule with
 * one subset per version, a PodDisruptionBudget, and optional autoscalers. Versions are objects
 * routes target (`service.version('v2')`).
 */
export class VersionedService extends Construct implements IRoutableService, IRouteTarget {
  /** Refers to a Service the app does not define; usable wherever a service is (routes, monitoring, `allowFrom`). */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: ServiceAttributes): IRoutableService & IRouteTarget {
    return new ImportedService(scope, id, attrs);
  }

  public readonly serviceName: string;
  public readonly namespace: string;
  /**
   * The Kubernetes Service: a plain cdk8s `ApiObject` of kind Service (change it with
   * `addJsonPatch`, `metadata.addLabel`/`addAnnotation`).
   */
  public readonly service: ApiObject;
  /** The DestinationRule (subsets and traffic policy). */
  public readonly destinationRule: DestinationRule;
  /**
   * The PodDisruptionBudget over all versions: a plain cdk8s `ApiObject` of kind
   * PodDisruptionBudget (change it with `addJsonPatch`, `metadata.addLabel`/`addAnnotation`).
   */
  public readonly disruptionBudget: ApiObject;
  /** The ServiceAccount every version runs as: the service's identity in the mesh. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The service itself as a route target (no subset). */
  public readonly routableService: IRoutableService = this;
  public readonly disruptionBudgetName: string;
  private readonly ports: ResolvedPort[];
  private readonly _versions: ServiceVersion[] = [];
  private readonly callers: Array<{ principal: string; path: string }> = [];
  private allowPolicy?: AuthorizationPolicy;
  private readonly props: VersionedServiceProps;

  public constructor(scope: Construct, id: string, props: VersionedServiceProps = {}) {
    super(scope, validateId(scope, id));
    checkArgs(this, '', props, SHAPES.VersionedServiceProps);
    this.props = props;
    this.serviceName = validateServiceName(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    if (props.resources) validateResources(this, 'resources', props.resources);
    this.ports = this.resolvePorts(props);
    const labels = { app: this.serviceName };

    // A plain ApiObject (until 0.2 a KubeService, whose generated mapping wrote the same manifest;
    // test/plain-objects-rendering.test.ts compares the two).
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      spec: {
        selector: labels,
        ports: this.ports.map((p) => ({
          name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP', appProtocol: p.protocol,
        })),
      },
    });

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      automountToken: false,
    });
    // No `tls` unless asked: Istio's auto mTLS sends mutual TLS to pods with a sidecar and plain text to others.
    const policy = renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    this.destinationRule = new DestinationRule(this, 'Resource', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      spec: lazy((): DestinationRuleSpec => ({
          host: this.serviceName,
          trafficPolicy: policy,
          subsets: this._versions.flatMap((v): Array<{ name: string; labels: Record<string, string>; trafficPolicy?: DestinationRuleSpecSubsetsTrafficPolicy }> => (v._rollout
            // A version rolled out progressively: the stable and canary subsets select the service's
            // pods; Argo Rollouts adds each one's rollouts-pod-template-hash label (a version label here
            // would stop matching after a promotion).
            ? [v._rollout.stableSubset, v._rollout.canarySubset].map((name) => ({ name, labels: { app: this.serviceName }, trafficPolicy: v._trafficPolicy }))
            : [{ name: v.versionName, labels: { version: v.versionName }, trafficPolicy: v._trafficPolicy }])),
      })),
    });

    const disruption = props.disruption ?? Disruption.maxUnavailable(1);
    this.disruptionBudget = disruption._create(this, 'DisruptionBudget', this.serviceName, this.namespace, labels);
    this.disruptionBudgetName = this.disruptionBudget.name;

    if (props.versions !== undefined && !Array.isArray(props.versions)) fail(this, 'versions', props.versions, 'Give a list of versions, for example [{ name: "v1", image: "registry.example.com/app:1" }].');
    for (const v of props.versions ?? []) this.addVersion(v);

    this.node.addValidation(validation(() => {
        if (this._versions.length === 0) {
          return [`${this.node.path}: invalid versions: received []. A VersionedService needs at least one version: pass versions or call addVersion({ name: "v1", image: "..." }).`];
        }
        const rolled = this._versions.find((v) => v._rollout);
        if (rolled && this._versions.length > 1) {
          return [`${this.node.path}: invalid versions: received [${this._versions.map((v) => v.versionName).join(', ')}]. Version "${rolled.versionName}" is rolled out progressively (${rolled._rollout!.path}): its Rollout runs every pod of the service, stable and canary; remove the other versions (the Rollout replaces them: a new release is a new version in the rollout's props).`];
        }
        const floor = this._versions.reduce((sum, v) => sum + v.minReplicas, 0);
        const problem = disruption._checkAgainst(this, 'disruption', floor, 'the sum of all versions\' replicas or autoscaler minimums');
        return problem ? [problem] : [];
    }));
    // The versions trimmed themselves (see private/compact.ts).
    compactConstruct(this);
    for (const c of [this.service, this.serviceAccount, this.destinationRule, this.disruptionBudget]) compactTree(c);
  }

  /** The service's versions, in the order they were added. */
  public get versions(): readonly ServiceVersion[] {
    return this._versions;
  }

  /** The Service's port numbers. */
  public get servicePorts(): readonly number[] {
    return this.ports.map((p) => p.port);
  }

  /** The versions' Deployments. */
  public get deploymentNames(): readonly string[] {
    return this._versions.map((v) => v.deploymentName);
  }

  /** The autoscalers of the autoscaled versions. */
  public get autoscalerNames(): readonly string[] {
    return this._versions.flatMap((v) => (v.autoscaler ? [v.autoscaler.name] : []));
  }

  /** Adds a version: a Deployment and a DestinationRule subset. */
  public addVersion(options: VersionOptions): ServiceVersion {
    return this.newVersion(options);
  }

  /**
   * Adds the version a progressive rollout runs: an Argo Rollouts Rollout in place of a Deployment,
   * and the rollout's stable and canary subsets in place of the version's own.
   * @internal
   */
  public _addRolloutVersion(options: VersionOptions, rollout: RolloutWorkload): ServiceVersion {
    return this.newVersion(options, rollout);
  }

  private newVersion(options: VersionOptions, rollout?: RolloutWorkload): ServiceVersion {
    if (options === null || typeof options !== 'object') fail(this, `versions[${this._versions.length}]`, options, 'Give a version as { name: "v1", image: "registry.example.com/app:1" }.');
    checkArgs(this, `versions[${this._versions.length}]`, options, SHAPES.VersionOptions);
    const name = validateDnsLabel(this, `versions[${this._versions.length}].name`, options.name);
    if (this._versions.some((v) => v.versionName === name)) {
      fail(this, `versions[${this._versions.length}].name`, name, `Version names must be unique within the service: "${name}" already exists; pick another name.`);
    }
    const version = new ServiceVersion(this, name, options, {
      serviceAccount: this.serviceAccount,
      ports: this.ports,
      resources: options.resources ?? this.props.resources ?? SERVICE_DEFAULT_RESOURCES,
      spread: this.props.spread ?? SpreadPolicy.PREFERRED,
      rollout,
    });
    this._versions.push(version);
    return version;
  }

  /** The principal (SPIFFE identity) of the service's pods. */
  public get principal(): string {
    return principal(this.namespace, this.serviceAccount.name);
  }

  /**
   * Accepts calls from these callers (a gateway, other services) and denies every other caller:
   * an ALLOW AuthorizationPolicy on the service's pods listing the callers' principals.
   */
  public allowFrom(...callers: IMeshCaller[]): AuthorizationPolicy {
    callers.forEach((c, i) => {
      const who = c?.principal;
      if (!who) {
        fail(this, `allowFrom[${i}]`, c?.node?.path ?? c, 'The caller\'s service account is unknown (a gateway or service the app does not deploy): give serviceAccountName in its fromGatewayAttributes / fromServiceAttributes, or its serviceAccount in GatewayWorkload.existing(...).');
      }
      if (!this.callers.some((k) => k.principal === who)) this.callers.push({ principal: who, path: c.node.path });
    });
    this.allowPolicy ??= new AuthorizationPolicy(this, 'AllowCallers', {
      metadata: { name: `${this.serviceName}-allow-callers`, namespace: this.namespace },
      spec: Lazy.any({
        produce: (): AuthorizationPolicySpec => ({
          selector: { matchLabels: { app: this.serviceName } },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals: this.callers.map((c) => c.principal) } }] }],
        }),
      }) as AuthorizationPolicySpec,
    });
    return this.allowPolicy;
  }

  /** The version named `name`; throws if the service has no such version. */
  public version(name: string): ServiceVersion {
    const found = this._versions.find((v) => v.versionName === name);
    if (!found) {
      fail(this, 'version', name, `The service has the versions [${this._versions.map((v) => v.versionName).join(', ')}]: route to one of them, or add "${name}" with addVersion().`);
    }
    return found;
  }

  public hasSubset(name: string): boolean {
    return this._versions.some((v) => (v._rollout ? v._rollout.stableSubset === name || v._rollout.canarySubset === name : v.versionName === name));
  }

  private resolvePorts(props: VersionedServiceProps): ResolvedPort[] {
    if (props.port !== undefined && props.ports !== undefined) fail(this, 'port', props.port, 'Set either port or ports, not both.');
    if (props.ports !== undefined && !Array.isArray(props.ports)) fail(this, 'ports', props.ports, 'Give a list of ports, for example [{ port: 8080 }].');
    const given = props.ports ?? [{ port: props.port ?? 8080 }];
    if (given.length === 0) fail(this, 'ports', [], 'A Service needs at least one port.');
    const resolved = given.map((p, i) => {
      if (p === null || typeof p !== 'object') fail(this, `ports[${i}]`, p, 'Give a port as { port: 8080 }.');
      const port = validatePort(this, props.ports === undefined ? 'port' : `ports[${i}].port`, p.port);
      const protocol = p.protocol ?? AppProtocol.HTTP;
      const name = validateDnsLabel(this, `ports[${i}].name`, p.name ?? (given.length > 1 ? `${protocol}-${port}` : protocol));
      return { name, port, targetPort: validatePort(this, `ports[${i}].targetPort`, p.targetPort ?? port), protocol };
    });
    for (const key of ['port', 'name'] as const) {
      const seen = new Set<unknown>();
      resolved.forEach((p, i) => {
        if (seen.has(p[key])) fail(this, `ports[${i}].${key}`, p[key], `Each port ${key} may appear once in a Service.`);
        seen.add(p[key]);
      });
    }
    return resolved;
  }
}

/** What a progressive rollout tells the version it runs. @internal */
export interface RolloutWorkload {
  /** The Rollout's name. */
  readonly name: string;
  /** The rollout construct's path (for errors). */
  readonly path: string;
  /** The stable and canary subsets. */
  readonly stableSubset: string;
  readonly canarySubset: string;
  /** The Rollout's `spec.strategy` (rendered at synth). */
  strategy(): Record<string, unknown>;
}

interface VersionContext {
  readonly rollout?: RolloutWorkload;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly ports: readonly ResolvedPort[];
  readonly resources: ContainerResources;
  readonly spread: SpreadPolicy;
}

/** One version of a {@link VersionedService}; create it with `addVersion`. */
export class ServiceVersion extends Construct implements IRouteTarget {
  /** The version's name: its `version` label and subset. */
  public readonly versionName: string;
  /** The service it belongs to. */
  public readonly service: VersionedService;
  /**
   * The Deployment (for a version a `ProgressiveRollout` runs, its Argo Rollouts Rollout, whose pod
   * template is the same): a plain cdk8s `ApiObject`. Change what the props do not model
   * with its escape hatches: `addJsonPatch(JsonPatch.add('/spec/template/spec/volumes', [...]))`,
   * `metadata.addAnnotation(...)`, `addDependency(...)`.
   */
  public readonly deployment: ApiObject;
  /** The autoscaler, when the version is autoscaled: a plain cdk8s `ApiObject` of kind HorizontalPodAutoscaler (`autoscaling/v2`). */
  public readonly autoscaler?: ApiObject;
  /** The fewest pods this version runs (replicas or the autoscaler's minimum). */
  public readonly minReplicas: number;
  /** @internal */
  public readonly _trafficPolicy?: DestinationRuleSpecSubsetsTrafficPolicy;
  /** The progressive rollout that runs this version, if any. @internal */
  public readonly _rollout?: RolloutWorkload;

  /** @internal */
  public constructor(service: VersionedService, name: string, options: VersionOptions, ctx: VersionContext) {
    super(service, name);
    this.service = service;
    this.versionName = name;
    this._rollout = ctx.rollout;
    if (!options.image || typeof options.image !== 'string' || /\s/.test(options.image)) {
      fail(this, 'image', options.image, 'Give a container image reference such as "ghcr.io/acme/api:1.4".');
    }
    const imageProblem = imageReferenceProblem(options.image);
    if (imageProblem) fail(this, 'image', options.image, `Give an image reference the kubelet can pull, such as "ghcr.io/acme/api:1.4" or "ghcr.io/acme/api@sha256:<64 hex digits>": ${imageProblem}.`);
    const resources = validateResources(this, 'resources', ctx.resources);
    if (options.labels) validateLabels(this, 'labels', options.labels);
    for (const reserved of ['app', 'version']) {
      if (options.labels?.[reserved] !== undefined) fail(this, `labels.${reserved}`, options.labels[reserved], `The "${reserved}" label is set by the package; remove it.`);
    }
    if (options.replicas !== undefined && options.autoscaling !== undefined) {
      fail(this, 'replicas', options.replicas, 'Set either replicas or autoscaling, not both: an autoscaler owns the replica count.');
    }
    const scaling = options.autoscaling ? resolveAutoscaling(this, 'autoscaling', options.autoscaling, [{ name: 'app', resources }]) : undefined;
    const replicas = options.replicas === undefined ? 2 : validatePositiveInteger(this, 'replicas', options.replicas);
    this.minReplicas = scaling ? scaling.minReplicas : replicas;
    // The subset policy has the same shape as the service's; the generated types differ only in enum names.
    this._trafficPolicy = renderTrafficPolicy(this, 'trafficPolicy', options.trafficPolicy) as DestinationRuleSpecSubsetsTrafficPolicy | undefined;

    const deploymentName = validateDnsLabel(this, 'name', `${service.serviceName}-${name}`);
    const selectorLabels = { app: service.serviceName, version: name };
    const firstPort = ctx.ports[0].targetPort;
    // The container through cdk8s-plus's Container (its probes, environment, resources and security
    // context keep their meaning), the Deployment around it as plain data: a cdk8s-plus Deployment
    // builds a construct tree, a hashed address label and a lazy pod spec per version, about a third
    // of synth's time at a thousand services (README, Performance). The fields below are the ones
    // cdk8s-plus's Deployment and pod wrote (test/versioned-service-rendering.test.ts compares the two).
    const ports = containerPorts(ctx.ports);
    const sorted = sortsKeys();
    // A version with the default container settings reuses the container of an earlier version with
    // the same ports and resources (see defaultContainers); otherwise, or the first time, it is built.
    const reuse = options.env === undefined && options.readiness === undefined && options.liveness === undefined && options.command === undefined
      && options.args === undefined && options.securityContext === undefined && sorted ? defaultContainerKey(ports, resources) : undefined;
    const reused = reuse === undefined ? undefined : defaultContainers.get(reuse);
    let containerJson: Record<string, unknown> & { securityContext?: Record<string, unknown> };
    if (reused) {
      // Its fields are those the earlier version ended with below (capabilities added, parts shared).
      containerJson = { ...reused, image: options.image };
    } else {
      const container = new kplus.Container({
        name: 'app',
        image: options.image,
        ports,
        envVariables: Object.fromEntries(Object.entries(validateEnv(this, 'env', options.env ?? {})).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        readiness: options.readiness ?? kplus.Probe.fromTcpSocket({ port: firstPort }),
        liveness: options.liveness ?? kplus.Probe.fromTcpSocket({ port: firstPort, initialDelaySeconds: Duration.seconds(15) }),
        command: options.command,
        args: options.args,
        resources,
        securityContext: {
          ensureNonRoot: HARDENED_CONTAINER.runAsNonRoot,
          readOnlyRootFilesystem: HARDENED_CONTAINER.readOnlyRootFilesystem,
          allowPrivilegeEscalation: HARDENED_CONTAINER.allowPrivilegeEscalation,
          privileged: HARDENED_CONTAINER.privileged,
          ...options.securityContext,
        },
      })._toKube();
      // The container as the generated mapping renders it, in one copy where the rendering sorts keys
      // (private/k8s-json.ts); the rest is written as JSON directly: the generated mapping copies each
      // object once per field.
      const plain = sorted ? plainK8sJson(container) : undefined;
      containerJson = (plain ?? kplus.k8s.toJson_Container(container)) as Record<string, unknown> & { securityContext?: Record<string, unknown> };
      if (!options.securityContext?.capabilities) {
        // Hardened by default (Pod Security "restricted"): no capabilities unless asked.
        containerJson.securityContext = { ...containerJson.securityContext, capabilities: { drop: [...HARDENED_CONTAINER.capabilities.drop] } };
      }
      // Its probes, ports, resources and security context are mostly those of every other version:
      // one copy each (private/shared-json.ts).
      for (const k of Object.keys(containerJson)) containerJson[k] = shareJson(containerJson[k]);
      if (plain && reuse !== undefined) {
        if (defaultContainers.size >= 1000) defaultContainers.clear();
        defaultContainers.set(reuse, Object.freeze({ ...containerJson }));
      }
    }
    const podLabels = { ...(options.labels ?? {}), ...selectorLabels };
    const rollout = ctx.rollout;
    const serviceAccountName = ctx.serviceAccount.name;
    const spread = ctx.spread;
    // The spec is built when the object is rendered (a Lazy, the same JSON), from the container
    // and the values above: held from construction to synthesis, the specs of every version were
    // about a seventh of the construct tree's memory at thousands of services (issue 28). The
    // container is built above, so that its errors are thrown where the version is added.
    const template = podTemplate(() => ({
      metadata: { labels: podLabels },
      spec: {
        automountServiceAccountToken: false,
        containers: [containerJson],
        dnsPolicy: 'ClusterFirst',
        hostNetwork: false,
        restartPolicy: 'Always',
        // The runtime's seccomp profile (Pod Security "restricted").
        securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { ...RUNTIME_DEFAULT_SECCOMP } },
        serviceAccountName,
        setHostnameAsFQDN: false,
        terminationGracePeriodSeconds: 30,
        topologySpreadConstraints: topologySpread(selectorLabels, spread),
      },
    }));
    this.deployment = rollout
      // The Rollout owns the pod template (no workloadRef to a Deployment): one object runs both the
      // stable and the canary ReplicaSet, so the autoscaler targets it, the disruption budget (over
      // the app label) covers both, and the zone spread of the version's pods is the template's.
      // Its selector is the app label only: the version label changes with each release, and a
      // Rollout's selector does not.
      ? new ApiObject(this, 'Rollout', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: rollout.name, namespace: service.namespace, labels: selectorLabels },
        spec: lazy(() => ({
          // No replicas when an autoscaler drives the Rollout: server-side apply would fight it.
          replicas: scaling ? undefined : replicas,
          progressDeadlineSeconds: 600,
          selector: { matchLabels: { app: service.serviceName } },
          template: template(),
          strategy: lazy(() => rollout.strategy()),
        })),
      })
      : new ApiObject(this, 'Deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: deploymentName, namespace: service.namespace, labels: selectorLabels },
        spec: lazy(() => ({
          minReadySeconds: 0,
          progressDeadlineSeconds: 600,
          // No replicas when an autoscaler drives the Deployment: server-side apply would fight it.
          replicas: scaling ? undefined : replicas,
          selector: { matchLabels: { ...selectorLabels } },
          strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 }, type: 'RollingUpdate' },
          template: template(),
        })),
      });
    if (scaling) {
      this.autoscaler = createHorizontalPodAutoscaler(this, 'Autoscaler', rollout
        ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.name, namespace: service.namespace }
        : { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, namespace: service.namespace }, scaling);
    }
    compactTree(this);
  }

  /** The Deployment's name ("<service>-<version>"). */
  public get deploymentName(): string {
    return this.deployment.name;
  }

  /** The Service, as a route target. */
  public get routableService(): IRoutableService {
    return this.service;
  }

  /** The DestinationRule subset this version is. */
  public get subset(): string {
    return this.versionName;
  }
}

/** What is known of a Service the app does not define. */
export interface ServiceAttributes {
  /** The Service's name. */
  readonly name: string;
  /** The Service's namespace. */
  readonly namespace: string;
  /** The Service's ports. */
  readonly ports: number[];
  /**
   * The service account of its pods, so that services can admit it as a caller (`allowFrom`).
   * @default - unknown
   */
  readonly serviceAccountName?: string;
  /**
   * The Deployments running its pods, so that monitoring can watch their readiness.
   * @default - none known
   */
  readonly deploymentNames?: string[];
}

/** A Service defined elsewhere: routable (no subsets), monitorable by its metrics, a caller when its identity is known. */
class ImportedService extends Construct implements IRoutableService, IRouteTarget {
  public readonly imported = true;
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly servicePorts: readonly number[];
  public readonly deploymentNames: readonly string[];
  public readonly autoscalerNames: readonly string[] = [];
  public readonly principal?: string;
  public readonly routableService: IRoutableService = this;

  public constructor(scope: Construct, id: string, attrs: ServiceAttributes) {
    super(scope, validateId(scope, id));
    if (attrs === null || typeof attrs !== 'object') fail(this, 'attrs', attrs, 'Pass { name, namespace, ports } of the existing Service.');
    this.serviceName = validateDnsLabel(this, 'name', attrs.name);
    this.namespace = validateDnsLabel(this, 'namespace', attrs.namespace);
    // The Service exists, so its namespace does: objects of the app may go there (a DestinationRule).
    declareExistingNamespace(this, this.namespace);
    if (!Array.isArray(attrs.ports) || attrs.ports.length === 0) fail(this, 'ports', attrs.ports, 'List the ports of the existing Service.');
    this.servicePorts = attrs.ports.map((p, i) => validatePort(this, `ports[${i}]`, p));
    this.deploymentNames = (attrs.deploymentNames ?? []).map((d, i) => validateDnsLabel(this, `deploymentNames[${i}]`, d));
    if (attrs.serviceAccountName !== undefined) {
      this.principal = principal(this.namespace, validateDnsLabel(this, 'serviceAccountName', attrs.serviceAccountName));
    }
  }

  public hasSubset(): boolean {
    return false;
  }
}

/** Kubernetes' IANA_SVC_NAME (container port names): at most 15 characters, a letter among them, no "--". */
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/**
 * The container's ports from the Service's: one per target port (two Service ports may send to the
 * same container port, a valid Service), named by the Service port's name cut to 15 characters when
 * that is a valid IANA service name not already taken, else unnamed (the Service targets numbers).
 */
function containerPorts(ports: readonly { readonly name: string; readonly targetPort: number }[]): Array<{ number: number; name?: string }> {
  const byNumber = new Map<number, { number: number; name?: string }>();
  const names = new Set<string>();
  for (const p of ports) {
    if (byNumber.has(p.targetPort)) continue;
    const name = p.name.slice(0, 15);
    const usable = IANA_SVC_NAME.test(name) && !names.has(name);
    if (usable) names.add(name);
    byNumber.set(p.targetPort, usable ? { number: p.targetPort, name } : { number: p.targetPort });
  }
  return [...byNumber.values()];
}

/**
 * The container JSON (as plainK8sJson copies cdk8s-plus's `Container._toKube()`, with the hardened
 * capabilities and its parts shared as {@link ServiceVersion} leaves it) of versions with the default
 * container settings (no env, probes, command, args or security context of their own), by
 * {@link defaultContainerKey}: cdk8s-plus's Container, its probes and its `_toKube` then run once per
 * distinct ports and resources instead of once per version (about a sixth of building a
 * thousand-service edge). What they write depends on nothing else but the image, which is copied as
 * given. Each version gets an object of its own; the parts are the shared, frozen ones.
 */
const defaultContainers = new Map<string, Record<string, unknown>>();

/**
 * What a default container's JSON depends on: the container ports and what cdk8s-plus reads of the
 * resources (cpu amounts, memory in MiB, ephemeral storage in GiB, as its `_toKube` converts them).
 * Undefined when a conversion fails (the container is then built, and fails, as before).
 */
function defaultContainerKey(ports: ReadonlyArray<{ number: number; name?: string }>, resources: ContainerResources): string | undefined {
  try {
    const { cpu, memory, ephemeralStorage } = resources;
    return JSON.stringify([ports, cpu?.limit?.amount, cpu?.request?.amount, memory?.limit?.toMebibytes(), memory?.request?.toMebibytes(),
      ephemeralStorage?.limit?.toGibibytes(), ephemeralStorage?.request?.toGibibytes()]);
  } catch {
    return undefined;
  }
}

/** The pod template's builder as given (an argument, so that keepNames leaves it unnamed: see private/lazy.ts). */
function podTemplate<T>(build: () => T): () => T {
  return build;
}
