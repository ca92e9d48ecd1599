// Entry point of `cdk8s synth` (see cdk8s.yaml): synthesizes every environment in both forms,
// validates and analyzes their objects (warnings are printed, errors fail the synth), and only when
// nothing has an error writes, all at once: <outdir>/<environment>/ (the Istio form, with edge.svg
// and edge.md drawing the edge), <outdir>/gateway-api/<environment>/ (the Kubernetes Gateway API
// form), and the alert rules as a Prometheus rule file <outdir>/alerts/<environment>.rules.yaml
// (for promtool and review; Azure Monitor gets them from the Pulumi program). A failed synth
// writes nothing; nothing else in the output folder is removed. It says what it wrote in one line
// (files, objects, findings by severity, time): `--quiet` only errors and warnings, `--json` the
// summary as JSON (lib/synth/synth-command.ts runSynth).
import * as path from 'node:path';
import { GatewayApiOmission, runSynth, SynthTarget } from '../lib';
import { buildEdgeGraph, renderSvg, toMermaidMarkdown } from '../lib/explain';
import { buildEdgeApp, edgeChartOf } from './edge';
import { environments } from './environments';

/**
 * What the example's Gateway API form may leave out: its explicit retry policies (HTTPRoute retries
 * are not in the v1.5 standard channel; Istio's default retry policy applies there), and the Istio
 * traffic routing of prod's api rollout (the Gateway API form keeps the Rollout without it: its
 * weights stay with stable, the x-canary pin reaches the canary).
 */
export const GATEWAY_API_OMISSIONS = [GatewayApiOmission.RETRIES, GatewayApiOmission.ROLLOUT_TRAFFIC_ROUTING];

function targets(): SynthTarget[] {
  return Object.values(environments).flatMap((env): SynthTarget[] => {
    const app = buildEdgeApp(env);
    const validation = { production: env.production, zones: env.zones };
    return [
      {
        name: env.name,
        app,
        validation,
        extraFiles: async (objects) => {
          const graph = buildEdgeGraph(objects, { title: `Edge: ${env.name}` });
          return [
            { path: path.join('alerts', `${env.name}.rules.yaml`), content: edgeChartOf(app).monitoring.ruleFile({ includeDashboardQueries: true }) },
            { path: path.join(env.name, 'edge.svg'), content: await renderSvg(graph) },
            { path: path.join(env.name, 'edge.md'), content: toMermaidMarkdown(graph) },
          ];
        },
      },
      { name: path.join('gateway-api', env.name), app, validation, gatewayApi: { omit: GATEWAY_API_OMISSIONS } },
    ];
  });
}

// scripts/synth.cjs has set $CDK8S_OUTDIR from --output; the flags it leaves are --quiet and --json.
runSynth(targets, { argv: process.argv.slice(2).filter((a) => a === '--quiet' || a === '--json') }).then((code) => { process.exitCode = code; }, (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
