// One measurement in a process of its own, so its peak RSS is its own:
//   node --import tsx bench/worker.ts <mode> <n> <objects.json>
// modes: ours (constructs + synth to YAML), yaml / js-yaml (the same objects serialized by that
// package), apiobject (the same objects as raw cdk8s ApiObjects, synthesized and written the same
// way as ours), analyze (validation + analysis),
// checks (cross-object analysis only), pulumi (the program for prod under mocks).
import { readFileSync, writeFileSync } from 'node:fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';

async function main(): Promise<void> {
  const [mode, nArg, objectsFile] = process.argv.slice(2);
  const n = Number(nArg);
  const result: Record<string, number> = {};
  const time = async (fn: () => unknown) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  if (mode === 'ours') {
    const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    let yaml = '';
    let objects: object[] = [];
    result.ms = await time(() => {
      objects = synthesizeApp(buildScaleEdge(n)).flatMap((c) => c.objects);
      yaml = manifestsToYaml(objects);
    });
    result.bytes = Buffer.byteLength(yaml);
    result.objects = objects.length;
    if (objectsFile) writeFileSync(objectsFile, JSON.stringify(objects));
  } else if (mode === 'yaml') {
    const objects = JSON.parse(readFileSync(objectsFile, 'utf8')) as object[];
    let out = '';
    result.ms = await time(() => { out = objects.map((o) => stringify(o)).join('---\n'); });
    result.bytes = Buffer.byteLength(out);
  } else if (mode === 'js-yaml') {
    const { dump } = require('js-yaml') as typeof import('js-yaml');
    const objects = JSON.parse(readFileSync(objectsFile, 'utf8')) as object[];
    let out = '';
    result.ms = await time(() => { out = objects.map((o) => dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' })).join('---\n'); });
    result.bytes = Buffer.byteLength(out);
  } else if (mode === 'apiobject') {
    // The same objects as raw ApiObjects, through the same synthesis and writer as ours.
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    const objects = JSON.parse(readFileSync(objectsFile, 'utf8')) as any[];
    result.ms = await time(() => {
      const app = new App();
      const chart = new Chart(app, 'raw', { disableResourceNameHashes: true });
      objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
      return manifestsToYaml(synthesizeApp(app).flatMap((c) => c.objects));
    });
  } else if (mode === 'analyze' || mode === 'checks') {
    const { analyze, validateAndAnalyze } = require('../lib') as typeof import('../lib');
    const objects = JSON.parse(readFileSync(objectsFile, 'utf8')) as any[];
    const take = Number.isFinite(n) && n > 0 ? objects.slice(0, n) : objects;
    result.objects = take.length;
    let errors = 0;
    result.ms = await time(async () => {
      const findings = mode === 'checks' ? analyze(take) : await validateAndAnalyze(take);
      errors = findings.filter((f) => f.severity === 'error').length;
    });
    result.errors = errors;
  } else if (mode === 'pulumi') {
    const { plan } = require('../apps/plan') as typeof import('../apps/plan');
    let resources = 0;
    result.ms = await time(async () => { resources = (await plan('prod')).mocks.resources.length; });
    result.resources = resources;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  result.rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
