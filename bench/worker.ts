// One measurement in a process of its own, so its peak RSS is its own:
//   node --import tsx bench/worker.ts <mode> <n> <objects.json>
// modes: ours (constructs + synth to YAML), yaml / js-yaml (the same objects serialized by that
// package), apiobject (the same objects as raw cdk8s ApiObjects, synthesized and written the same
// way as ours), analyze (validation + analysis),
// checks (cross-object analysis only), pulumi (the program for prod under mocks),
// large-write (writes a manifest of at least <n> MiB to <file>: copies of a synthesized edge in
// renamed namespaces), large-js-yaml (js-yaml's loadAll of <file>: the parse floor), large-analyze
// (the analyze command on <file>, output discarded).
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
  } else if (mode === 'large-write') {
    const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    const base = manifestsToYaml(synthesizeApp(buildScaleEdge(750)).flatMap((c) => c.objects));
    const perCopy = base.split(/^---$/m).length;
    const { openSync, writeSync, closeSync } = require('node:fs') as typeof import('node:fs');
    const fd = openSync(objectsFile, 'w');
    let bytes = 0;
    let copies = 0;
    result.ms = await time(() => {
      for (; bytes < n * 2 ** 20; copies++) {
        // Each copy in namespaces of its own, so that references resolve within the copy.
        const copy = base.replace(/\bteam(\d+)/g, `c${copies}-team$1`).replace(/istio-ingress/g, `c${copies}-istio-ingress`);
        const text = `${copies ? '---\n' : ''}${copy}`;
        writeSync(fd, text);
        bytes += Buffer.byteLength(text);
      }
    });
    closeSync(fd);
    result.bytes = bytes;
    result.objects = perCopy * copies;
  } else if (mode === 'large-js-yaml') {
    const { loadAll } = require('js-yaml') as typeof import('js-yaml');
    let docs = 0;
    result.ms = await time(() => { docs = loadAll(readFileSync(objectsFile, 'utf8')).length; });
    result.objects = docs;
  } else if (mode === 'large-analyze') {
    const { runAnalyze } = require('../lib/cli/analyze') as typeof import('../lib/cli/analyze');
    let out = '';
    let status = 0;
    result.ms = await time(async () => { status = await runAnalyze([objectsFile], { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } }); });
    result.objects = Number(/^(\d+) objects:/m.exec(out)?.[1] ?? 0);
    result.errors = Number(/(\d+) errors/.exec(out)?.[1] ?? 0);
    result.status = status;
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
