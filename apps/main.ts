// Entry point of `cdk8s synth` (see cdk8s.yaml): writes <outdir>/<environment>/ for every environment.
import * as path from 'node:path';
import { buildEdgeApp } from './edge';
import { environments } from './environments';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
for (const env of Object.values(environments)) {
  buildEdgeApp(env, path.join(outdir, env.name)).synth();
}
