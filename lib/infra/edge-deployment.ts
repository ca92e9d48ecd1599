import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubernetesObject } from '../kubernetes-object';

/** Inputs of {@link EdgeDeployment}. */
export interface EdgeDeploymentArgs {
  /** The synthesized objects, as `cdk8s synth` writes them. */
  readonly objects: readonly KubernetesObject[];
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What must exist first (the Istio control plane). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The Pulumi resource name of a synthesized object: kind, namespace and name, unique in a chart. */
export function objectResourceName(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('-').toLowerCase();
}

/**
 * Applies synthesized objects unchanged: namespaces first, every object after the Istio control
 * plane, DestinationRules before the VirtualServices that use their subsets.
 */
export class EdgeDeployment extends pulumi.ComponentResource {
  /** The applied objects: namespaces, then DestinationRules, then the rest in the order given. */
  public readonly resources: k8s.apiextensions.CustomResource[] = [];

  public constructor(name: string, args: EdgeDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:kubernetes:EdgeDeployment', name, {}, opts);
    const apply = (o: KubernetesObject, dependsOn: pulumi.Input<pulumi.Resource>[]) => {
      const resource = new k8s.apiextensions.CustomResource(`${name}-${objectResourceName(o)}`, { ...o } as k8s.apiextensions.CustomResourceArgs,
        { parent: this, provider: args.provider, dependsOn });
      this.resources.push(resource);
      return resource;
    };
    const namespaces = args.objects.filter((o) => o.kind === 'Namespace').map((o) => apply(o, args.dependsOn));
    const afterNamespaces = [...args.dependsOn, ...namespaces];
    const destinationRules = args.objects.filter((o) => o.kind === 'DestinationRule').map((o) => apply(o, afterNamespaces));
    for (const o of args.objects) {
      if (o.kind === 'Namespace' || o.kind === 'DestinationRule') continue;
      apply(o, o.kind === 'VirtualService' ? [...afterNamespaces, ...destinationRules] : afterNamespaces);
    }
    this.registerOutputs({});
  }
}
