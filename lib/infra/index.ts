// The Pulumi side. Kept apart from lib/index.ts so that synthesizing with cdk8s never loads Pulumi.
export * from './components/aks-cluster';
export * from './program/config';
export * from './components/edge-deployment';
export * from './components/edge-stack';
export * from './components/identity-binding';
export * from './components/ingress-public-ip';
export * from './components/istio-control-plane';
export * from './testing/mocks';
export * from './components/azure-monitoring';
export * from './components/gateway-key-vault';
export * from './program/names';
export * from './program/previous-deployment';
export * from './components/role-assignment';
export * from './program/support-window';
export * from './components/managed-redis';
export * from './program/edge-program';
