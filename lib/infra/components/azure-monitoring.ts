import * as alertsmanagement from '@pulumi/azure-native/alertsmanagement';
import * as dashboard from '@pulumi/azure-native/dashboard';
import * as monitor from '@pulumi/azure-native/monitor';
import * as pulumi from '@pulumi/pulumi';
import { AlertGroup, AlertSeverity } from '../../alerts';
import { MonitoringConfig } from '../program/config';
import { Admins, assignAdmins, assignRole, BUILT_IN_ROLES, Deployer } from './role-assignment';

/** The built-in "Monitoring Data Reader" role (lets Grafana query the workspace). */
export const MONITORING_DATA_READER_ROLE_ID = BUILT_IN_ROLES.monitoringDataReader;

/** Inputs of {@link AzureMonitoring}. */
export interface AzureMonitoringArgs {
  readonly config: MonitoringConfig;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly clusterName: string;
  readonly clusterId: pulumi.Input<string>;
  /** The edge's alert groups (the same the PrometheusRule and the rule file carry). */
  readonly alertGroups: readonly AlertGroup[];
  readonly tags: Record<string, string>;
  /** The deploying identity and subscription. */
  readonly deployer: Deployer;
  /**
   * Who gets "Grafana Admin" (groups, bootstrap deployers).
   * @default - nobody
   */
  readonly admins?: Admins;
}

/** Prometheus durations ("10m", "1h", "90s") in ISO 8601 ("PT10M"), as Azure's rule groups want them. */
export function isoDuration(prom: string): string {
  const m = /^(\d+)([smh])$/.exec(prom);
  if (!m) throw new Error(`Not a Prometheus duration: ${prom}`);
  return `PT${m[1]}${m[2].toUpperCase()}`;
}

/** Azure Monitor's numeric severities: 0 critical ... 4 verbose. */
function azureSeverity(severity: string): number {
  return severity === (AlertSeverity.CRITICAL as string) ? 0 : 2;
}

/**
 * Azure Managed Prometheus for the cluster: an Azure Monitor workspace, the data collection
 * endpoint, rule and association that ship the cluster's metrics (the cluster's
 * `azureMonitorProfile` enables the collector), the edge's alert rules as Prometheus rule groups
 * with an action group (e-mail, webhooks), and optionally Azure Managed Grafana on the workspace.
 */
export class AzureMonitoring extends pulumi.ComponentResource {
  public readonly workspace: monitor.AzureMonitorWorkspace;
  public readonly actionGroup: monitor.ActionGroup;
  public readonly ruleGroups: alertsmanagement.PrometheusRuleGroup[];
  public readonly grafana?: dashboard.Grafana;

  public constructor(name: string, args: AzureMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:azure:AzureMonitoring', name, {}, opts);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    this.workspace = new monitor.AzureMonitorWorkspace(`${name}-workspace`, { ...common, azureMonitorWorkspaceName: `amw-${args.clusterName}` }, { parent: this });
    const endpoint = new monitor.DataCollectionEndpoint(`${name}-dce`, {
      ...common, dataCollectionEndpointName: `dce-${args.clusterName}`, kind: 'Linux', networkAcls: { publicNetworkAccess: 'Enabled' },
    }, { parent: this });
    const rule = new monitor.DataCollectionRule(`${name}-dcr`, {
      ...common,
      dataCollectionRuleName: `dcr-${args.clusterName}-prometheus`,
      kind: 'Linux',
      dataCollectionEndpointId: endpoint.id,
      dataSources: { prometheusForwarder: [{ name: 'PrometheusDataSource', streams: ['Microsoft-PrometheusMetrics'], labelIncludeFilter: {} }] },
      destinations: { monitoringAccounts: [{ name: 'MonitoringAccount1', accountResourceId: this.workspace.id }] },
      dataFlows: [{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount1'] }],
    }, { parent: this });
    new monitor.DataCollectionRuleAssociation(`${name}-dcra`, {
      associationName: `dcra-${args.clusterName}-prometheus`,
      resourceUri: args.clusterId,
      dataCollectionRuleId: rule.id,
    }, { parent: this });

    this.actionGroup = new monitor.ActionGroup(`${name}-actions`, {
      resourceGroupName: args.resourceGroupName,
      actionGroupName: `ag-${args.clusterName}-edge`,
      groupShortName: 'edge-alerts',
      enabled: true,
      location: 'Global',
      emailReceivers: args.config.emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
      webhookReceivers: args.config.webhooks.map((serviceUri, i) => ({ name: `webhook-${i + 1}`, serviceUri, useCommonAlertSchema: true })),
      tags: args.tags,
    }, { parent: this });

    this.ruleGroups = args.alertGroups.map((group) => new alertsmanagement.PrometheusRuleGroup(`${name}-${group.name}`, {
      ...common,
      ruleGroupName: group.name,
      clusterName: args.clusterName,
      scopes: [this.workspace.id, args.clusterId],
      enabled: true,
      interval: isoDuration(group.interval),
      rules: group.rules.map((r) => ({
        alert: r.alert,
        expression: r.expr,
        for: isoDuration(r.for),
        severity: azureSeverity(r.labels.severity),
        labels: r.labels,
        annotations: r.annotations,
        enabled: true,
        resolveConfiguration: { autoResolved: true, timeToResolve: 'PT10M' },
        actions: [{ actionGroupId: this.actionGroup.id }],
      })),
    }, { parent: this }));

    if (args.config.grafana) {
      this.grafana = new dashboard.Grafana(`${name}-grafana`, {
        ...common,
        workspaceName: `amg-${args.clusterName}`.slice(0, 23),
        sku: { name: 'Standard' },
        identity: { type: 'SystemAssigned' },
        properties: { grafanaIntegrations: { azureMonitorWorkspaceIntegrations: [{ azureMonitorWorkspaceResourceId: this.workspace.id }] } },
      }, { parent: this });
      const subscriptionId = args.deployer.subscriptionId;
      assignRole(`${name}-grafana-reader`, {
        principalId: this.grafana.identity.apply((i) => i?.principalId ?? ''),
        principalType: 'ServicePrincipal',
        role: 'monitoringDataReader',
        scope: this.workspace.id,
        subscriptionId,
      }, { parent: this });
      // Someone must be able to sign in: Grafana authorizes by Azure roles on the Grafana resource.
      if (args.admins) {
        assignAdmins(`${name}-grafana-admin`, args.admins, 'grafanaAdmin', this.grafana.id, subscriptionId, { parent: this },
          { deployer: `${name}-grafana-admin-deployer`, group: (i) => `${name}-grafana-admin-group-${i + 1}` });
      }
    }
    this.registerOutputs({ workspaceId: this.workspace.id });
  }
}
