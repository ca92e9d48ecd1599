import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { IstioConfig, IstioMode, revisionVersion } from '../program/config';
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
 * istio-system, istiod highly available; with `istio.revisions`, istiod per revision (the canary
 * upgrade of istio.io's "Upgrade with Helm": a second istiod beside the first, the revision tag
 * moved to it, the first removed), else one istiod upgraded in place. With the AKS add-on the
 * cluster runs it (`serviceMeshProfile`) and this component creates nothing.
 * `ready` is what the edge objects must wait for: custom resources need the CRDs, and the gateway
 * Deployment needs the injection webhook.
 */
export class IstioControlPlane extends pulumi.ComponentResource {
  /** The resources the edge depends on. */
  public readonly ready: pulumi.Resource[];
  /**
   * The istiod Helm releases by revision (helm mode): one per `istio.revisions` entry, or the one
   * upgraded in place (keyed by its revision, "default" without one).
   */
  public readonly istiods: Readonly<Record<string, k8s.helm.v3.Release>> = {};

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
        namespace: 'istio-system',
        repositoryOpts: { repo: istio.chartRepository },
        atomic: true,
        timeout: 600,
      };
      const revisions = istio.revisions;
      // The CRDs (base) once, at the newest release: CRDs are upgraded first and stay compatible
      // with the older control plane. The base chart's default revision (its validating webhook for
      // Istio config without an istio.io/rev label) follows the serving revision.
      const base = new k8s.helm.v3.Release(`${name}-base`, {
        ...common,
        version: istio.version,
        name: 'istio-base',
        chart: 'base',
        createNamespace: true,
        values: { defaultRevision: (revisions.length ? istio.activeRevision : istio.revision) ?? 'default' },
      }, { parent: this, provider });
      // Istio CNI sets up the sidecars' traffic redirection, so application pods need no NET_ADMIN
      // init container and their namespaces can enforce Pod Security "restricted". One per cluster,
      // at the newest release: CNI 1.x works with control planes 1.x-1 to 1.x+1 (istio.io, CNI, Upgrade).
      const cni = new k8s.helm.v3.Release(`${name}-cni`, {
        ...common,
        version: istio.version,
        name: 'istio-cni',
        chart: 'cni',
        values: { cni: { chained: true }, global: { hub: istio.hub } },
      }, { parent: this, provider, dependsOn: [base] });
      const istiodValues = (revision: string, revisionTags: string[]) => ({
        revision,
        ...(revisionTags.length ? { revisionTags } : {}),
        pilot: { autoscaleMin: 2, autoscaleMax: 5, resources: { requests: { cpu: '500m', memory: '2Gi' } }, cni: { enabled: true } },
        global: { hub: istio.hub, proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } } } },
        meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' },
      });
      if (revisions.length === 0) {
        // One control plane upgraded in place (no revisions configured).
        const istiod = new k8s.helm.v3.Release(`${name}-istiod`, {
          ...common,
          version: istio.version,
          name: 'istiod',
          chart: 'istiod',
          values: istiodValues(istio.revision ?? '', []),
        }, { parent: this, provider, dependsOn: [base, cni, ...gatewayApiCrds] });
        this.istiods = { [istio.revision ?? 'default']: istiod };
      } else {
        // istiod per revision (Helm release "istiod-<revision>", its chart version from the name).
        // The tag's MutatingWebhookConfiguration (istio-revision-tag-<tag>) belongs to the release
        // of the serving revision; Helm refuses to create it while another release owns it, so the
        // serving release is upgraded after the others have dropped it (moving the tag back, for a
        // rollback, orders itself the same way).
        const others: k8s.helm.v3.Release[] = [];
        const releases: Record<string, k8s.helm.v3.Release> = {};
        const declare = (revision: string) => {
          const serving = revision === istio.activeRevision;
          releases[revision] = new k8s.helm.v3.Release(`${name}-istiod-${revision}`, {
            ...common,
            version: revisionVersion(revision) ?? istio.version,
            name: `istiod-${revision}`,
            chart: 'istiod',
            values: istiodValues(revision, serving && istio.tag ? [istio.tag] : []),
          }, { parent: this, provider, dependsOn: [base, cni, ...gatewayApiCrds, ...(serving ? others : [])] });
          if (!serving) others.push(releases[revision]);
        };
        for (const r of revisions.filter((x) => x !== istio.activeRevision)) declare(r);
        if (istio.activeRevision) declare(istio.activeRevision);
        this.istiods = releases;
      }
      this.ready = [...gatewayApiCrds, base, cni, ...Object.values(this.istiods)];
      this.registerOutputs({});
      return;
    }
    this.registerOutputs({});
  }
}
