// The Pulumi program (Pulumi.yaml `main`): `pulumi up` on a stack creates the AKS cluster, the
// gateway's public IP and the Istio control plane, and applies the edge objects that
// `npm run synth` writes for the stack's environment, synthesized in-process. The example is one
// user of the package's edgeProgram: a team's own program is the same few lines over its edge.
import { edgeProgram } from '../lib/infra';
import { buildEdgeApp } from './edge';
import { environments } from './environments';

export = edgeProgram((facts) => {
  const base = environments[facts.environment as keyof typeof environments];
  const env = { ...base, hosts: facts.hostnames ? [...facts.hostnames] : base.hosts, tlsSecret: facts.tlsSecretName ?? base.tlsSecret };
  return buildEdgeApp(env, { istioRevision: facts.istioRevision, istioCni: facts.istioCni });
}, { environments: Object.keys(environments) });
