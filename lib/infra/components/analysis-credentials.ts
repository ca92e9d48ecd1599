import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AnalysisClientSecret } from '../program/analysis-credentials';
import { assignRole } from './role-assignment';

/** Inputs of {@link AnalysisCredentials}. */
export interface AnalysisCredentialsArgs {
  /** The Secrets the AnalysisTemplates read (`analysisClientSecrets`). */
  readonly secrets: readonly AnalysisClientSecret[];
  /**
   * The client secret of the Entra application (service principal) the templates name
   * (config `argoRolloutsClientSecret`, a Pulumi secret).
   * @default - no Secret is written (create it yourself)
   */
  readonly clientSecret?: pulumi.Input<string>;
  /**
   * The service principal's object ID (config `argoRollouts.prometheusReaderObjectId`): it gets
   * "Monitoring Data Reader" on the workspace.
   * @default - no role assignment
   */
  readonly readerObjectId?: string;
  /**
   * The Azure Monitor workspace the gates query.
   * @default - none (monitoring off): no role assignment
   */
  readonly workspaceId?: pulumi.Input<string>;
  /** The subscription (the role definition's scope). */
  readonly subscriptionId: pulumi.Input<string>;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /**
   * What each Secret waits for, by "namespace" (the namespace the edge objects create).
   * @default - nothing
   */
  readonly secretDependsOn?: (namespace: string) => pulumi.Input<pulumi.Resource>[];
}

/**
 * The credentials of the rollout gates on Azure Managed Prometheus: Argo Rollouts' Prometheus
 * provider authenticates with OAuth2 client credentials (a client ID and secret; it has no
 * workload identity), so the gates need an Entra application's secret. The package's providers
 * (azure-native) do not manage Entra applications, so the application is created outside the
 * stack and its secret comes from the stack's secret configuration; this component writes it
 * into the Secret(s) the AnalysisTemplates read, and gives the application's service principal
 * "Monitoring Data Reader" on the workspace the stack creates.
 */
export class AnalysisCredentials extends pulumi.ComponentResource {
  /** The Secrets written, one per Secret the templates read. */
  public readonly secrets: k8s.core.v1.Secret[] = [];

  public constructor(name: string, args: AnalysisCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:argo:AnalysisCredentials', name, {}, opts);
    if (args.clientSecret !== undefined) {
      const value = pulumi.secret(args.clientSecret);
      for (const s of args.secrets) {
        this.secrets.push(new k8s.core.v1.Secret(`${name}-${s.namespace}-${s.name}`, {
          metadata: { name: s.name, namespace: s.namespace, labels: { 'app.kubernetes.io/managed-by': 'pulumi', 'app.kubernetes.io/part-of': 'argo-rollouts-analysis' } },
          type: 'Opaque',
          stringData: { [s.key]: value },
        }, { parent: this, provider: args.provider, dependsOn: args.secretDependsOn?.(s.namespace) ?? [] }));
      }
    }
    if (args.readerObjectId && args.workspaceId !== undefined) {
      assignRole(`${name}-reader`, {
        principalId: args.readerObjectId, principalType: 'ServicePrincipal', role: 'monitoringDataReader', scope: args.workspaceId, subscriptionId: args.subscriptionId,
      }, { parent: this });
    }
    this.registerOutputs({});
  }
}
