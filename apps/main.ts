// Entry point of `cdk8s synth` (see cdk8s.yaml): writes <outdir>/<environment>/ for every
// environment and the alert rules as a Prometheus rule file <outdir>/alerts/<environment>.rules.yaml
// (for promtool and review; Azure Monitor gets them from the Pulumi program), then validates and
// analyzes each environment's objects: warnings are printed, errors fail the synth.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatFindings, hasErrors, validateAndAnalyze, writeApp } from '../lib';
import { buildEdgeApp, edgeChartOf } from './edge';
import { environments } from './environments';

async function main(): Promise<number> {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  let failed = false;
  for (const env of Object.values(environments)) {
    const app = buildEdgeApp(env);
    const charts = writeApp(app, path.join(outdir, env.name));
    mkdirSync(path.join(outdir, 'alerts'), { recursive: true });
    writeFileSync(path.join(outdir, 'alerts', `${env.name}.rules.yaml`), edgeChartOf(app).monitoring.ruleFile({ includeDashboardQueries: true }));
    const findings = await validateAndAnalyze(charts.flatMap((c) => c.objects), { production: env.production, zones: env.zones });
    if (findings.length) console.error(`${env.name}:\n${formatFindings(findings)}`);
    failed ||= hasErrors(findings);
  }
  if (failed) console.error('Synth found errors (above): fix them before applying these manifests.');
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
