import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../imports/istio-security.istio.io';
import { declareExistingNamespace } from './contract/existing-namespaces';
import { fail } from './private/errors';
import type { IIngressGateway } from './ingress-gateway';
import { validateDnsLabel, validateId } from './private/validate';
import { checkArgs } from './private/args';
import { SHAPES } from './private/arg-shapes';
import { ISTIO_INJECTION_LABEL, ISTIO_REVISION_LABEL, NAMESPACE_NAME_LABEL, POD_SECURITY_AUDIT_LABEL, POD_SECURITY_ENFORCE_LABEL, POD_SECURITY_WARN_LABEL } from './contract/keys';

/** Pod Security Admission levels. */
export enum PodSecurityLevel {
  /** Hardened: non-root, no capabilities, seccomp; needs Istio CNI for sidecars (no NET_ADMIN init container). */
  RESTRICTED = 'restricted',
  /** Known privilege escalations blocked. */
  BASELINE = 'baseline',
  /** Unrestricted: for sidecar injection with the istio-init container (the AKS add-on). */
  PRIVILEGED = 'privileged',
}

/** The Pod Security Admission labels: enforce `level`, warn and audit at `restricted`. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    [POD_SECURITY_ENFORCE_LABEL]: level,
    [POD_SECURITY_WARN_LABEL]: PodSecurityLevel.RESTRICTED,
    [POD_SECURITY_AUDIT_LABEL]: PodSecurityLevel.RESTRICTED,
  };
}

/** Mutual TLS mode of a namespace's workloads. */
export enum MtlsMode {
  /** Only mutual TLS is accepted (the default). */
  STRICT = 'STRICT',
  /**
   * Plain text is accepted too. Only for a migration: workloads outside the mesh can then reach
   * the namespace without an identity; the analysis reports it (PeerAuthenticationNotStrict).
   */
  PERMISSIVE = 'PERMISSIVE',
}

/** The generated enum's members for ours. */
const MTLS_MODES: Record<MtlsMode, PeerAuthenticationSpecMtlsMode> = {
  [MtlsMode.STRICT]: PeerAuthenticationSpecMtlsMode.STRICT,
  [MtlsMode.PERMISSIVE]: PeerAuthenticationSpecMtlsMode.PERMISSIVE,
};

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /**
   * The namespace's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Mutual TLS for every workload of the namespace (a PeerAuthentication).
   * @default MtlsMode.STRICT
   */
  readonly mtls?: MtlsMode;
  /**
   * The Istio revision that injects the sidecars (`istio.io/rev`).
   * @default - the default revision (`istio-injection: enabled`)
   */
  readonly istioRevision?: string;
  /**
   * The Pod Security Admission level enforced.
   * @default PodSecurityLevel.RESTRICTED - sidecars then need Istio CNI, which the Pulumi program installs
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Gateways whose pods may reach the namespace's pods (NetworkPolicy).
   * @default - none
   */
  readonly gateways?: IIngressGateway[];
  /**
   * Namespaces from which the metrics ports (15020, 15090) may be scraped.
   * @default ['kube-system', 'monitoring'] - Azure Managed Prometheus' collector, and a Prometheus
   */
  readonly metricsScraperNamespaces?: string[];
}

/**
 * A namespace objects of the app go into: one the app creates ({@link AppNamespace}), or one that
 * exists already (`AppNamespace.fromName`).
 */
export interface IAppNamespace extends IConstruct {
  /** The namespace's name. */
  readonly namespaceName: string;
}

/**
 * A namespace for applications in the mesh, secure by default: sidecar injection, Pod Security
 * Admission labels, STRICT mutual TLS (PeerAuthentication), and NetworkPolicies that deny ingress
 * except from the namespace itself (the mesh's authorization policies decide there), the bound
 * gateways' pods and the metrics scrapers.
 */
export class AppNamespace extends Construct implements IAppNamespace {
  /**
   * Declares a namespace that exists in the cluster without the app creating it (the Istio control
   * plane's, another team's): objects of the app may go into it. At synth, an object in a namespace
   * the app neither creates nor declares is an error, since applying it would fail.
   */
  public static fromName(scope: Construct, id: string, name: string): IAppNamespace {
    return new ExistingNamespace(scope, id, name);
  }

  public readonly namespaceName: string;
  public readonly namespace: k8s.KubeNamespace;
  public readonly peerAuthentication: PeerAuthentication;

  public constructor(scope: Construct, id: string, props: AppNamespaceProps = {}) {
    super(scope, validateId(scope, id));
    checkArgs(this, '', props, SHAPES.AppNamespaceProps);
    const name = validateDnsLabel(this, 'name', props.name ?? id);
    this.namespaceName = name;
    // Pod Security Admission refuses a namespace whose level label is not one of its levels.
    const levels: readonly string[] = Object.values(PodSecurityLevel);
    if (props.podSecurity !== undefined && !levels.includes(props.podSecurity)) {
      fail(this, 'podSecurity', props.podSecurity, `Use PodSecurityLevel.PRIVILEGED, BASELINE or RESTRICTED (${levels.join(', ')}): Pod Security Admission refuses other levels.`);
    }
    const injection: Record<string, string> = props.istioRevision ? { [ISTIO_REVISION_LABEL]: validateDnsLabel(this, 'istioRevision', props.istioRevision) } : { [ISTIO_INJECTION_LABEL]: 'enabled' };
    this.namespace = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name, labels: { ...injection, ...podSecurityLabels(props.podSecurity ?? PodSecurityLevel.RESTRICTED) } },
    });
    this.peerAuthentication = new PeerAuthentication(this, 'Mtls', {
      metadata: { name: 'default', namespace: name },
      spec: { mtls: { mode: MTLS_MODES[props.mtls ?? MtlsMode.STRICT] } },
    });
    const policy = (id2: string, policyName: string, spec: k8s.NetworkPolicySpec) => {
      const np = new k8s.KubeNetworkPolicy(this, id2, { metadata: { name: policyName, namespace: name }, spec });
      np.addDependency(this.namespace);
      return np;
    };
    policy('DenyIngress', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
    policy('AllowSameNamespace', 'allow-same-namespace', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    const gateways = (props.gateways ?? []).map((g, i) => {
      if (!g?.selector || !g.workloadNamespace) {
        fail(this, `gateways[${i}]`, g?.node?.path ?? g, 'The gateway\'s pods are unknown, so no NetworkPolicy can admit them: give selector (and workloadNamespace) in IngressGateway.fromGatewayAttributes(...).');
      }
      return { namespace: g.workloadNamespace, selector: { ...g.selector } };
    });
    if (gateways.length) {
      policy('AllowGateways', 'allow-from-gateways', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: gateways.map((g) => ({
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: g.namespace } },
            podSelector: { matchLabels: g.selector },
          })),
        }],
      });
    }
    const scrapers = props.metricsScraperNamespaces ?? ['kube-system', 'monitoring'];
    scrapers.forEach((ns, i) => validateDnsLabel(this, `metricsScraperNamespaces[${i}]`, ns));
    if (scrapers.length) {
      policy('AllowMetrics', 'allow-metrics-scraping', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: scrapers.map((ns) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } })),
          ports: [15020, 15090].map((p) => ({ port: k8s.IntOrString.fromNumber(p), protocol: 'TCP' })),
        }],
      });
    }
    ApiObject.of(this.peerAuthentication).addDependency(this.namespace);
  }
}

/** A namespace that exists outside the app: no object, only the declaration the synth check reads. */
class ExistingNamespace extends Construct implements IAppNamespace {
  public readonly namespaceName: string;

  public constructor(scope: Construct, id: string, name: string) {
    super(scope, validateId(scope, id));
    this.namespaceName = validateDnsLabel(this, 'name', name);
    declareExistingNamespace(this, this.namespaceName);
  }
}
