import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { IstioConfig, IstioMode } from '../program/config';
import { packageFile } from '../../private/package-files';

import { DEFAULT_ISTIO_CHART_REPOSITORY } from '../program/support-window';

/** Istio's official Helm repository (the default of `istio.chartRepository`). */
export const ISTIO_HELM_REPOSITORY = DEFAULT_ISTIO_CHART_REPOSITORY;

/** Inputs of {@link IstioControlPlane}. */
export interface IstioControlPlaneArgs {
  readonly istio: IstioConfig;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /**
   * Install the Kubernetes Gateway API CRDs (v1.5.1, standard channel, vendored in crds/) before
   * istiod, which reads them at start.
   * @default false
   */
  readonly gatewayApi?: boolean;
}

/** The vendored standard-channel CRDs of the Gateway API release Istio 1.30 reads. */
export const GATEWAY_API_CRDS = packageFile('crds/gateway-api-v1.5.1-standard-install.yaml');

/**
 * The Istio control plane. In helm mode: the official `base` (CRDs), `cni` and `istiod` charts in
 * istio-system, pinned to the release of the imported CRDs, istiod highly available. With the AKS
 * add-on the cluster runs it (`serviceMeshProfile`) and this component creates nothing.
 * `ready` is what the edge objects must wait for: custom resources need the CRDs, and the gateway
 * Deployment needs the injection webhook.
 */
export class IstioControlPlane extends pulumi.ComponentResource {
  /** The resources the edge depends on. */
  public readonly ready: pulumi.Resource[];

  public constructor(name: string, args: IstioControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:istio:IstioControlPlane', name, {}, opts);
    const { istio, provider } = args;
    const gatewayApiCrds = args.gatewayApi
      ? [new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: GATEWAY_API_CRDS }, { parent: this, provider })]
      : [];
    if (istio.mode === IstioMode.AKS_ADDON) {
      this.ready = [...gatewayApiCrds];
    } else {
      const common = {
        version: istio.version,
        namespace: 'istio-system',
        repositoryOpts: { repo: istio.chartRepository },
        atomic: true,
        timeout: 600,
      };
      const base = new k8s.helm.v3.Release(`${name}-base`, {
        ...common,
        name: 'istio-base',
        chart: 'base',
        createNamespace: true,
        values: { defaultRevision: istio.revision ?? 'default' },
      }, { parent: this, provider });
      // Istio CNI sets up the sidecars' traffic redirection, so application pods need no NET_ADMIN
      // init container and their namespaces can enforce Pod Security "restricted".
      const cni = new k8s.helm.v3.Release(`${name}-cni`, {
        ...common,
        name: 'istio-cni',
        chart: 'cni',
        values: { cni: { chained: true }, global: { hub: istio.hub } },
      }, { parent: this, provider, dependsOn: [base] });
      const istiod = new k8s.helm.v3.Release(`${name}-istiod`, {
        ...common,
        name: 'istiod',
        chart: 'istiod',
        values: {
          revision: istio.revision ?? '',
          pilot: { autoscaleMin: 2, autoscaleMax: 5, resources: { requests: { cpu: '500m', memory: '2Gi' } }, cni: { enabled: true } },
          global: { hub: istio.hub, proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } } } },
          meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' },
        },
      }, { parent: this, provider, dependsOn: [base, cni, ...gatewayApiCrds] });
      this.ready = [...gatewayApiCrds, base, cni, istiod];
    }
    this.registerOutputs({});
  }
}
