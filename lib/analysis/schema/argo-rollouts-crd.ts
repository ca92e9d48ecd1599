/**
 * Validation of Argo Rollouts objects (Rollout, AnalysisTemplate, ClusterAnalysisTemplate) against
 * the vendored CRDs of Argo Rollouts v1.9.1 (argoproj/argo-rollouts, tag v1.9.1, manifests/crds/).
 */
import { CrdSchemas } from './crd-schema';
import { packageFile } from '../../private/package-files';

/** The CRDs of Argo Rollouts v1.9.1 the package validates against: Rollout, AnalysisTemplate, ClusterAnalysisTemplate. */
export const ARGO_ROLLOUTS_CRDS_FILE = packageFile('crds/argo-rollouts-v1.9.1-crds.yaml');

let argo: CrdSchemas | undefined;

/** The schemas of the vendored Argo Rollouts CRDs (loaded once). */
export function argoRolloutsCrdSchemas(): CrdSchemas {
  argo ??= CrdSchemas.fromFile(ARGO_ROLLOUTS_CRDS_FILE);
  return argo;
}
