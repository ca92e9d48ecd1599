import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

import { ARGO_HELM_REPOSITORY } from '../program/config';

export { ARGO_HELM_REPOSITORY };

/**
 * The `argo-rollouts` chart version installed. No published chart ships controller v1.9.1 as its
 * appVersion in the argo-helm history we could read (2.40.8 to 2.41.0 ship v1.9.0, the newest we
 * found is 2.41.0); 2.41.0 is pinned and its controller image is set to {@link ARGO_ROLLOUTS_VERSION}
 * (`controller.image.tag`). The CRDs the chart installs are v1.9.0's, identical to v1.9.1's
 * (argoproj/argo-rollouts: no change under manifests/crds between the two tags), which the
 * synthesized objects are validated against (crds/).
 */
export const ARGO_ROLLOUTS_CHART_VERSION = '2.41.0';

/** The Argo Rollouts controller release the synthesized Rollouts and AnalysisTemplates are written for. */
export const ARGO_ROLLOUTS_VERSION = 'v1.9.1';

/** The namespace the controller runs in. */
export const ARGO_ROLLOUTS_NAMESPACE = 'argo-rollouts';

/** Inputs of {@link ArgoRollouts}. */
export interface ArgoRolloutsArgs {
  /** The Helm repository of the `argo-rollouts` chart (config `argoRollouts.chartRepository`). */
  readonly chartRepository: string;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
}

/**
 * The Argo Rollouts controller: the official `argo-rollouts` Helm chart, pinned
 * ({@link ARGO_ROLLOUTS_CHART_VERSION}, controller {@link ARGO_ROLLOUTS_VERSION}), in its own
 * namespace, with its CRDs (`installCRDs`: the release installs them before the controller, and
 * every Rollout and AnalysisTemplate waits for the release). Two controller replicas with leader
 * election, so a node drain does not stop a rollout.
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  /** The Helm release (CRDs and controller): what the Rollouts and AnalysisTemplates depend on. */
  public readonly release: k8s.helm.v3.Release;

  public constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-aks-edge:argo:ArgoRollouts', name, {}, opts);
    this.release = new k8s.helm.v3.Release(`${name}-controller`, {
      name: 'argo-rollouts',
      chart: 'argo-rollouts',
      version: ARGO_ROLLOUTS_CHART_VERSION,
      namespace: ARGO_ROLLOUTS_NAMESPACE,
      createNamespace: true,
      repositoryOpts: { repo: args.chartRepository },
      atomic: true,
      timeout: 600,
      values: {
        installCRDs: true,
        // Kept on `helm uninstall`: deleting the CRDs would delete every Rollout (and its pods).
        keepCRDs: true,
        controller: { replicas: 2, image: { tag: ARGO_ROLLOUTS_VERSION } },
      },
    }, { parent: this, provider: args.provider });
    this.registerOutputs({});
  }
}
