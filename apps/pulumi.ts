// The Pulumi program (Pulumi.yaml `main`): `pulumi up` on a stack creates the AKS cluster, the
// gateway's public IP, Key Vault and identity, managed Redis where asked, and the Istio control
// plane, and applies the edge objects that `npm run synth` writes for the stack's environment,
// synthesized in-process (with the identity's real client and tenant IDs and the vault's name in
// place of the committed ones). The example is one user of the package's edgeProgram: a team's own
// program is the same few lines over its edge.
import { GatewayApiOmission } from '../lib';
import { edgeProgram } from '../lib/infra';
import { buildEdgeApp } from './edge';
import { environments } from './environments';

export = edgeProgram((facts) => {
  const base = environments[facts.environment as keyof typeof environments];
  const env = { ...base, hosts: facts.hostnames ? [...facts.hostnames] : base.hosts, tlsSecret: facts.tlsSecretName ?? base.tlsSecret };
  const redis = env.globalRateLimit.redis;
  return {
    app: buildEdgeApp(env, { istioRevision: facts.istioRevision, istioCni: facts.istioCni }),
    // Azure's managed Redis where the environment asks for it; the program writes its address and key
    // into the Secret the app's RateLimitService reads (RateLimitRedis.fromSecret), and that service waits for it.
    managedRedis: redis.kind === 'azure-managed' ? { cacheName: redis.cacheName } : undefined,
  };
}, {
  environments: Object.keys(environments),
  // `gatewayApi: true`: the Gateway API form, with the omissions `npm run synth` allows (explicit
  // retries, the api rollout's Istio traffic routing).
  gatewayApi: { omit: [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING] },
});
