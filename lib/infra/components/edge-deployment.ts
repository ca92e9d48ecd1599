import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ObjectReference } from '../../deployment-facts';
import { KubernetesObject } from '../../model/kubernetes-object';
import { bindKeyVault, KeyVaultBinding } from './identity-binding';
import type { ControllerOwnedFields } from '../program/controller-owned';

/** An object that waits for resources outside the edge objects, besides {@link EdgeDeploymentArgs.dependsOn}. */
export interface ObjectWait {
  /** The object. */
  readonly object: ObjectReference;
  /** What it waits for (a promise may stand for a resource declared after the deployment). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Inputs of {@link EdgeDeployment}. */
export interface EdgeDeploymentArgs {
  /** The synthesized objects, as `cdk8s synth` writes them. */
  readonly objects: readonly KubernetesObject[];
  /**
   * For each object, the indexes (into `objects`) of the objects it is applied after: the
   * construct dependencies of the app (`synthesizeEdge`'s `dependencies`, from `applyDependencies`).
   */
  readonly dependencies: ReadonlyArray<readonly number[]>;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What every object waits for (the Istio control plane). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  /**
   * Objects that wait for more (the gateway's Service for its public IP, a reader of a Secret the
   * stack writes for the Secret).
   * @default - none
   */
  readonly waits?: readonly ObjectWait[];
  /**
   * The gateway's Key Vault and identity: their real values are substituted into the objects the
   * app's constructs named (the SecretProviderClass, the service account), and those objects and
   * the pods that read the vault wait for the identity, its federation and its role.
   * @default - the objects are applied unchanged
   */
  readonly keyVault?: KeyVaultBinding;
  /**
   * Fields a controller writes after the apply (the Argo Rollouts controller's weights and subset
   * labels: `controllerOwnedFields`), set as the objects' `ignoreChanges` so a later `up` leaves
   * them alone.
   * @default - Pulumi owns every field it sends
   */
  readonly controllerOwned?: readonly ControllerOwnedFields[];
}

/** The Pulumi resource name of a synthesized object: kind, namespace and name, unique in a chart. */
export function objectResourceName(o: KubernetesObject | ObjectReference): string {
  const namespace = 'metadata' in o ? o.metadata?.namespace : o.namespace;
  const name = 'metadata' in o ? o.metadata?.name : o.name;
  return [o.kind, namespace, name].filter(Boolean).join('-').toLowerCase();
}

const refKey = (apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined) => `${apiVersion}|${kind}|${namespace ?? ''}|${name ?? ''}`;
const keyOfObject = (o: KubernetesObject) => refKey(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata?.name);
const keyOfRef = (r: ObjectReference) => refKey(r.apiVersion, r.kind, r.namespace, r.name);

/**
 * Applies synthesized objects, each after the Istio control plane and after the objects its
 * construct depends on ({@link EdgeDeploymentArgs.dependencies}: its namespace, the
 * DestinationRules before a VirtualService, ...). Objects are applied as synthesized, except the
 * Key Vault values of {@link EdgeDeploymentArgs.keyVault}.
 */
export class EdgeDeployment extends pulumi.ComponentResource {
  /** The applied objects, in the order they were declared (each after what it depends on). */
  public readonly resources: k8s.apiextensions.CustomResource[] = [];
  private readonly byKey = new Map<string, k8s.apiextensions.CustomResource>();

  public constructor(name: string, args: EdgeDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:kubernetes:EdgeDeployment', name, {}, opts);
    const { objects, dependencies } = args;
    if (dependencies.length !== objects.length) {
      throw new Error(`EdgeDeployment ${name}: invalid dependencies: received ${dependencies.length} entries for ${objects.length} objects. Give one list of indexes per object (synthesizeEdge's dependencies).`);
    }
    const bound = args.keyVault ? bindKeyVault(objects, args.keyVault) : objects.map((o) => ({ object: o, needsIdentity: false }));
    const identity = args.keyVault?.dependsOn ?? [];
    const waits = new Map<string, pulumi.Input<pulumi.Resource>[]>();
    for (const w of args.waits ?? []) waits.set(keyOfRef(w.object), [...(waits.get(keyOfRef(w.object)) ?? []), ...w.dependsOn]);
    const ignored = new Map<string, string[]>();
    for (const f of args.controllerOwned ?? []) ignored.set(keyOfRef(f), [...(ignored.get(keyOfRef(f)) ?? []), ...f.paths]);

    const created: (k8s.apiextensions.CustomResource | undefined)[] = objects.map(() => undefined);
    const visiting = new Set<number>();
    const apply = (i: number): k8s.apiextensions.CustomResource => {
      const done = created[i];
      if (done) return done;
      if (visiting.has(i)) {
        throw new Error(`EdgeDeployment ${name}: the objects depend on each other in a cycle through ${objects[i].kind} ${objectResourceName(objects[i])}: remove one of the dependencies.`);
      }
      visiting.add(i);
      const after = dependencies[i].map((j) => {
        if (!Number.isInteger(j) || j < 0 || j >= objects.length) {
          throw new Error(`EdgeDeployment ${name}: invalid dependencies[${i}]: received ${j}. Use indexes of objects (0 to ${objects.length - 1}).`);
        }
        return apply(j);
      });
      visiting.delete(i);
      const { object, needsIdentity } = bound[i];
      const resource = new k8s.apiextensions.CustomResource(`${name}-${objectResourceName(objects[i])}`, { ...object } as k8s.apiextensions.CustomResourceArgs, {
        parent: this,
        provider: args.provider,
        dependsOn: [...args.dependsOn, ...after, ...(waits.get(keyOfObject(objects[i])) ?? []), ...(needsIdentity ? identity : [])],
        ...(ignored.has(keyOfObject(objects[i])) ? { ignoreChanges: ignored.get(keyOfObject(objects[i])) } : {}),
      });
      created[i] = resource;
      this.resources.push(resource);
      this.byKey.set(keyOfObject(objects[i]), resource);
      return resource;
    };
    objects.forEach((_, i) => apply(i));
    this.registerOutputs({});
  }

  /** The resource that applies an object, when the objects have it. */
  public resourceOf(object: ObjectReference): k8s.apiextensions.CustomResource | undefined {
    return this.byKey.get(keyOfRef(object));
  }

  /** The resource that applies a Namespace, when the objects create it. */
  public namespace(name: string): k8s.apiextensions.CustomResource | undefined {
    return this.resourceOf({ apiVersion: 'v1', kind: 'Namespace', name });
  }
}
