// Entry point of `cdk8s synth` (see cdk8s.yaml): synthesizes every environment, validates and
// analyzes its objects (warnings are printed, errors fail the synth), and only when no environment
// has an error writes <outdir>/<environment>/ and the alert rules as a Prometheus rule file
// <outdir>/alerts/<environment>.rules.yaml (for promtool and review; Azure Monitor gets them from
// the Pulumi program), all at once: a failed synth writes nothing.
import * as path from 'node:path';
import { formatFindings, synthesizeChecked } from '../lib';
import { buildEdgeApp, edgeChartOf } from './edge';
import { environments } from './environments';

async function main(): Promise<number> {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const outcome = await synthesizeChecked(outdir, Object.values(environments).map((env) => {
    const app = buildEdgeApp(env);
    return {
      name: env.name,
      app,
      validation: { production: env.production, zones: env.zones },
      extraFiles: () => [{ path: path.join('alerts', `${env.name}.rules.yaml`), content: edgeChartOf(app).monitoring.ruleFile({ includeDashboardQueries: true }) }],
    };
  }));
  for (const { name, findings } of outcome.findings) if (findings.length) console.error(`${name}:\n${formatFindings(findings)}`);
  if (!outcome.written) console.error(`Synth found errors (above): nothing was written to ${outdir}/. Fix them, then synthesize again.`);
  return outcome.written ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
