// `istio-aks-edge/pulumi/testing`: Pulumi's mocks for the edge program (pulumi.runtime.setMocks),
// for a program's tests and `istio-aks-edge plan`; nothing here reaches Azure. Each export by name.
export { EdgeMocks, MOCK_AKS_TOKEN, MOCK_DEPLOYER, MOCK_EXEC_KUBECONFIG, MOCK_GATEWAY_IDENTITY, MOCK_KUBECONFIG, settle, UNKNOWN, valueOf } from './mocks';
export type { EdgeMocksOptions, RecordedResource } from './mocks';
