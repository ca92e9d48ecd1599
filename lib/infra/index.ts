// The Pulumi side. Kept apart from lib/index.ts so that synthesizing with cdk8s never loads Pulumi.
export * from './aks-cluster';
export * from './config';
export * from './edge-deployment';
export * from './edge-stack';
export * from './identity-binding';
export * from './ingress-public-ip';
export * from './istio-control-plane';
export * from './mocks';
export * from './azure-monitoring';
export * from './gateway-key-vault';
export * from './names';
export * from './previous-deployment';
export * from './role-assignment';
export * from './support-window';
export * from './managed-redis';
export * from './edge-program';
