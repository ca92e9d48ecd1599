/**
 * What an app's constructs tell a deployment about themselves, beyond their manifests: the public
 * IP a gateway's load balancer takes, the Key Vault and workload identity its certificate needs,
 * the Secret a rate-limit service reads its Redis from, the hosts and minimum replicas of each
 * gateway. The constructs record these facts when they create their objects; the Pulumi program
 * (lib/infra/program/edge-program.ts) collects them from the construct tree instead of reading
 * them back from the synthesized YAML, so a fact and the object it is about cannot drift.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** An object of the app, by the fields Kubernetes identifies it with. */
export interface ObjectReference {
  /** The object's `apiVersion`. */
  readonly apiVersion: string;
  /** The object's `kind`. */
  readonly kind: string;
  /**
   * The object's namespace.
   * @default - a cluster-scoped object
   */
  readonly namespace?: string;
  /** The object's name. */
  readonly name: string;
}

/** An ingress gateway the app defines: what the cluster side needs to know about it. */
export interface GatewayFact {
  /** The construct's path. */
  readonly path: string;
  /** The Istio Gateway resource. */
  readonly gateway: ObjectReference;
  /** The hosts the Gateway serves ("ns/" removed), at collection time. */
  readonly hosts: readonly string[];
  /**
   * The smallest number of gateway pods the app runs (the autoscaler's minimum, else the fixed replicas).
   * @default - the app does not deploy the gateway pods (an existing workload, the AKS add-on's)
   */
  readonly minReplicas?: number;
  /**
   * The gateway pods' Deployment.
   * @default - the app does not deploy the gateway pods
   */
  readonly deployment?: ObjectReference;
}

/** A static public IP a gateway's LoadBalancer Service asks Azure for (`azure-pip-name`). */
export interface PublicIpFact {
  /** The construct's path (the gateway). */
  readonly path: string;
  /** The IP's name. */
  readonly name: string;
  /**
   * The IP's resource group (`azure-load-balancer-resource-group`).
   * @default - the cluster's node resource group
   */
  readonly resourceGroup?: string;
  /** The LoadBalancer Service that asks for it. */
  readonly service: ObjectReference;
}

/** A Key Vault certificate read by a gateway's pods through workload identity. */
export interface KeyVaultFact {
  /** The construct's path (the gateway). */
  readonly path: string;
  /** The vault's name, as the app was given it. */
  readonly vaultName: string;
  /** The client ID of the identity the pods authenticate as, as the app was given it. */
  readonly clientId: string;
  /** The vault's tenant, as the app was given it. */
  readonly tenantId: string;
  /** The SecretProviderClass that names the vault, the identity and the tenant. */
  readonly secretProviderClass: ObjectReference;
  /** The pods' service account, annotated with the identity's client ID (the federated credential's subject). */
  readonly serviceAccount: ObjectReference;
  /**
   * The objects that only become ready once the identity can read the vault: the workload that
   * mounts the SecretProviderClass, and the Service in front of its pods.
   */
  readonly readers: readonly ObjectReference[];
}

/** A Secret, created outside the app, from which a rate-limit service reads its Redis's address and password. */
export interface RedisSecretFact {
  /** The construct's path (the rate-limit service). */
  readonly path: string;
  /** The Secret. */
  readonly secret: { readonly namespace: string; readonly name: string };
  /** The objects that read it (the rate-limit Deployment). */
  readonly readers: readonly ObjectReference[];
}

/** Everything an app's constructs recorded for its deployment, in construct-tree order. */
export interface DeploymentFacts {
  /** The ingress gateways the app defines. */
  readonly gateways: readonly GatewayFact[];
  /** The static public IPs its load balancers ask for. */
  readonly publicIps: readonly PublicIpFact[];
  /** The Key Vault certificates its gateways read. */
  readonly keyVaults: readonly KeyVaultFact[];
  /** The Secrets its rate-limit services read Redis from. */
  readonly redisSecrets: readonly RedisSecretFact[];
}

/**
 * One recorded fact; its fields are computed when the facts are collected (after every `add*`
 * call), from the objects the construct created.
 * @internal
 */
export type RecordedFact =
  | { readonly type: 'gateway'; readonly fact: () => GatewayFact }
  | { readonly type: 'publicIp'; readonly fact: () => PublicIpFact }
  | { readonly type: 'keyVault'; readonly fact: () => KeyVaultFact }
  | { readonly type: 'redisSecret'; readonly fact: () => RedisSecretFact };

const recorded = new WeakMap<IConstruct, RecordedFact[]>();

/**
 * Records a fact about `scope`'s deployment (called by the constructs that create the objects).
 * @internal
 */
export function recordDeploymentFact(scope: IConstruct, fact: RecordedFact): void {
  let list = recorded.get(scope);
  if (!list) recorded.set(scope, (list = []));
  list.push(fact);
}

/**
 * The reference of an object the app defines.
 * @internal
 */
export function objectReference(o: ApiObject): ObjectReference {
  const namespace = o.metadata.namespace;
  return namespace === undefined ? { apiVersion: o.apiVersion, kind: o.kind, name: o.name } : { apiVersion: o.apiVersion, kind: o.kind, namespace, name: o.name };
}

/**
 * Collects the deployment facts the constructs under `root` (an App, a Chart) recorded, in
 * construct-tree order. Call it once the app is complete (the hosts are read then).
 */
export function collectDeploymentFacts(root: IConstruct): DeploymentFacts {
  const gateways: GatewayFact[] = [];
  const publicIps: PublicIpFact[] = [];
  const keyVaults: KeyVaultFact[] = [];
  const redisSecrets: RedisSecretFact[] = [];
  for (const c of root.node.findAll()) {
    for (const r of recorded.get(c) ?? []) {
      switch (r.type) {
        case 'gateway': gateways.push(r.fact()); break;
        case 'publicIp': publicIps.push(r.fact()); break;
        case 'keyVault': keyVaults.push(r.fact()); break;
        case 'redisSecret': redisSecrets.push(r.fact()); break;
      }
    }
  }
  return { gateways, publicIps, keyVaults, redisSecrets };
}
