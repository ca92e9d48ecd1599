import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubernetesObject } from '../../model/kubernetes-object';
import { bindKeyVault, KeyVaultBinding } from './identity-binding';

/** Inputs of {@link EdgeDeployment}. */
export interface EdgeDeploymentArgs {
  /** The synthesized objects, as `cdk8s synth` writes them. */
  readonly objects: readonly KubernetesObject[];
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What must exist first (the Istio control plane). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  /**
   * The gateway's Key Vault and identity: their real values are substituted into the objects that
   * name them, and those objects wait for the identity, its federation and its role.
   * @default - the objects are applied unchanged
   */
  readonly keyVault?: KeyVaultBinding;
}

/** The Pulumi resource name of a synthesized object: kind, namespace and name, unique in a chart. */
export function objectResourceName(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('-').toLowerCase();
}

/**
 * Applies synthesized objects: namespaces first, every object after the Istio control plane,
 * DestinationRules before the VirtualServices that use their subsets. Objects are applied as
 * synthesized, except the Key Vault values of {@link EdgeDeploymentArgs.keyVault}.
 */
export class EdgeDeployment extends pulumi.ComponentResource {
  /** The applied objects: namespaces, then DestinationRules, then the rest in the order given. */
  public readonly resources: k8s.apiextensions.CustomResource[] = [];

  public constructor(name: string, args: EdgeDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:kubernetes:EdgeDeployment', name, {}, opts);
    const bound = args.keyVault ? bindKeyVault(args.objects, args.keyVault) : args.objects.map((o) => ({ object: o, needsIdentity: false }));
    const identity = args.keyVault?.dependsOn ?? [];
    const apply = (i: number, dependsOn: pulumi.Input<pulumi.Resource>[]) => {
      const { object, needsIdentity } = bound[i];
      const resource = new k8s.apiextensions.CustomResource(`${name}-${objectResourceName(args.objects[i])}`, { ...object } as k8s.apiextensions.CustomResourceArgs,
        { parent: this, provider: args.provider, dependsOn: needsIdentity ? [...dependsOn, ...identity] : dependsOn });
      this.resources.push(resource);
      return resource;
    };
    const indexes = args.objects.map((_, i) => i);
    const namespaces = indexes.filter((i) => args.objects[i].kind === 'Namespace').map((i) => apply(i, args.dependsOn));
    const afterNamespaces = [...args.dependsOn, ...namespaces];
    const destinationRules = indexes.filter((i) => args.objects[i].kind === 'DestinationRule').map((i) => apply(i, afterNamespaces));
    // Gateway API form: a Gateway's parameters (the ConfigMap) before it, since Istio gives up on a
    // Gateway whose parametersRef is missing after a few attempts; a route's backends and grants before it.
    const isGatewayApi = (i: number) => args.objects[i].apiVersion.startsWith('gateway.networking.k8s.io/');
    const configMaps = indexes.filter((i) => args.objects[i].kind === 'ConfigMap').map((i) => apply(i, afterNamespaces));
    const backends = indexes.filter((i) => args.objects[i].kind === 'Service' || (args.objects[i].kind === 'ReferenceGrant' && isGatewayApi(i)))
      .map((i) => apply(i, afterNamespaces));
    for (const i of indexes) {
      const kind = args.objects[i].kind;
      if (['Namespace', 'DestinationRule', 'ConfigMap', 'Service'].includes(kind) || (kind === 'ReferenceGrant' && isGatewayApi(i))) continue;
      const after = kind === 'VirtualService' ? [...afterNamespaces, ...destinationRules]
        : kind === 'Gateway' && isGatewayApi(i) ? [...afterNamespaces, ...configMaps]
          : kind === 'HTTPRoute' && isGatewayApi(i) ? [...afterNamespaces, ...destinationRules, ...backends]
            : afterNamespaces;
      apply(i, after);
    }
    this.registerOutputs({});
  }
}
