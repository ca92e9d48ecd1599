import * as monitor from '@pulumi/azure-native/monitor';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import * as pulumi from '@pulumi/pulumi';

/**
 * The AKS resource log categories the stack keeps, as the AKS baseline (mspnp/aks-baseline) does:
 * the API server's audit log of everything but reads (`kube-audit-admin`), Entra ID and Azure RBAC
 * authorization decisions (`guard`) and the cluster autoscaler (`cluster-autoscaler`).
 * @see https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs
 */
export const AKS_AUDIT_LOG_CATEGORIES: readonly string[] = ['kube-audit-admin', 'guard', 'cluster-autoscaler'];

/** Inputs of {@link AuditLogs}. */
export interface AuditLogsArgs {
  /** The workspace's name. */
  readonly workspaceName: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  /** Days the workspace keeps the logs (30 to 730). */
  readonly retentionDays: number;
  readonly tags: Record<string, string>;
}

/**
 * A Log Analytics workspace for the cluster's audit logs (and Microsoft Defender's findings), and
 * the diagnostic setting that sends the AKS categories {@link AKS_AUDIT_LOG_CATEGORIES} to it
 * (`sendClusterLogs`, once the cluster exists; the workspace exists before it so Defender can name it).
 * Query them in the workspace's `AKSAuditAdmin`, `AKSControlPlane` tables (resource-specific mode).
 */
export class AuditLogs extends pulumi.ComponentResource {
  /** The workspace. */
  public readonly workspace: operationalinsights.Workspace;
  /** The diagnostic setting, after {@link sendClusterLogs}. */
  public diagnosticSetting?: monitor.DiagnosticSetting;
  private readonly baseName: string;

  public constructor(name: string, args: AuditLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:AuditLogs', name, {}, opts);
    this.baseName = name;
    this.workspace = new operationalinsights.Workspace(`${name}-workspace`, {
      workspaceName: args.workspaceName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
      retentionInDays: args.retentionDays,
      tags: args.tags,
    }, { parent: this });
    this.registerOutputs({ workspaceId: this.workspace.id });
  }

  /** Sends the cluster's audit, guard and autoscaler logs to the workspace (resource-specific tables). */
  public sendClusterLogs(clusterId: pulumi.Input<string>): monitor.DiagnosticSetting {
    this.diagnosticSetting = new monitor.DiagnosticSetting(`${this.baseName}-aks-audit`, {
      name: 'aks-audit-to-log-analytics',
      resourceUri: clusterId,
      workspaceId: this.workspace.id,
      logAnalyticsDestinationType: 'Dedicated',
      logs: AKS_AUDIT_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    }, { parent: this });
    return this.diagnosticSetting;
  }
}
