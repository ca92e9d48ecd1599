/** Validation of the Gateway API form against the vendored Gateway API CRDs (v1.5.1, standard channel). */
import { CrdSchemas } from './crd-schema';
import { packageFile } from '../../private/package-files';

/** The standard-channel CRDs of the Gateway API release Istio 1.30 reads (kubernetes-sigs/gateway-api v1.5.1). */
export const GATEWAY_API_CRDS_FILE = packageFile('crds/gateway-api-v1.5.1-standard-install.yaml');

let gatewayApi: CrdSchemas | undefined;

/** The schemas of the Gateway API CRDs (loaded once). */
export function gatewayApiCrdSchemas(): CrdSchemas {
  gatewayApi ??= CrdSchemas.fromFile(GATEWAY_API_CRDS_FILE);
  return gatewayApi;
}
