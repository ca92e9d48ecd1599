// One measurement in a process of its own, so that its peak RSS is its own:
//   node build/bench/worker.js <mode> <n> <file> [<file2>]
// (compiled by bench/run.ts with the package, so that '../lib' is the compiled package, build/lib/,
// as users run it: no TypeScript loader in the process)
// Prints one JSON line: ms (wall time of the measured part), cpuMs (user + system CPU time of this
// process during it), rssMiB (the process's peak RSS), and counts.
// Modes:
//   synth <n> <outdir> [<objects.json>]  the constructs of a scale edge of n services built and
//                                written to <outdir> by writeApp, as a user's synth to files (with
//                                <objects.json>: the same objects then written there for the floors, untimed)
//   dump-floor 0 <objects.json>  the same objects to YAML with js-yaml's dump, one document each,
//                                joined and written to a file (the writer's floor: what the synth's
//                                output costs with the library alone)
//   json-floor 0 <objects.json>  JSON.stringify of the same objects plus the write (the physical limit)
//   write-yaml <n> <file.yaml>   a scale edge of n services written as one YAML manifest (untimed setup)
//   large-write <MiB> <file> [<file.json>]  a manifest of at least <MiB> MiB: copies of a synthesized
//                                edge in namespaces of their own (with <file.json>: the same objects as
//                                JSON, one per line, for json-parse)
//   json-parse 0 <file.json>     the same objects read and parsed by JSON.parse, one per line: the
//                                fastest parse of the input (the physical limit beside the analysis)
//   parse-floor 0 <file>         js-yaml's core schema, one document at a time: the parse the reader does
//   analyze 0 <file>             the analyze command on <file> (output discarded)
//   explain 0 <file>             explain's loading of <file> (read + index), then 200 questions:
//                                ms/cpuMs are the loading; perQuestionMs the mean question (the
//                                first builds the virtual host table: a median would hide it)
//   write-example 0 <file.yaml> <changed.yaml>   the example's prod edge, and a copy with the API's
//                                canary weights changed (90/10 to 80/20) (untimed setup)
//   write-changed <n> <file.yaml> <changed.yaml>  a scale edge of n services, and a copy where every
//                                10th service's canary weights are changed (untimed setup)
//   parse-floor2 0 <a> <b>       parse-floor of both files (the diff's floor: the same reader parsing both inputs)
//   diff 0 <a> <b>               the diff of two edges as the diff command does it: read both sides with
//                                the package's reader, then diffEdges (classes, changed: counts)
//   validate <n> <objects.json>  validation + analysis of the objects of a scale edge
//   pulumi 0                     the prod Pulumi program under mocks
import { readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';

interface Result { [key: string]: number }

async function measure(result: Result, fn: () => unknown): Promise<void> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  result.ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  result.cpuMs = (used.user + used.system) / 1000;
}

/** js-yaml with the reader's schema (Kubernetes' scalar resolution, merge keys), one document at a time (split on document markers). */
function parseDocuments(text: string): number {
  const jsYaml = require('js-yaml') as typeof import('js-yaml');
  const schema = (require('../lib/model/read-manifests') as typeof import('../lib/model/read-manifests')).KUBERNETES_YAML_SCHEMA;
  let docs = 0;
  for (const doc of text.split(/^---[ \t]*$/m)) {
    if (doc.trim() === '') continue;
    jsYaml.load(doc, { schema });
    docs++;
  }
  return docs;
}

async function main(): Promise<void> {
  const [mode, nArg, file, file2] = process.argv.slice(2);
  const n = Number(nArg);
  const result: Result = {};
  if (mode === 'synth') {
    // What a user's synth to files costs: the constructs built, then writeApp (validation, ordering,
    // rendering, YAML, the write to <outdir>/edge.k8s.yaml through a temporary file), all timed.
    const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
    const { synthesizeApp, writeApp } = require('../lib') as typeof import('../lib');
    let written: ReturnType<typeof writeApp> = [];
    await measure(result, () => { written = writeApp(buildScaleEdge(n), file); });
    result.bytes = written.reduce((a, c) => a + statSync(c.file).size, 0);
    result.objects = written.reduce((a, c) => a + c.objects, 0);
    // The same objects for the floors, from a fresh edge (untimed; the peak RSS is then not the synth's).
    if (file2) writeFileSync(file2, JSON.stringify(synthesizeApp(buildScaleEdge(n)).flatMap((c) => c.objects)));
  } else if (mode === 'dump-floor') {
    // js-yaml's dump of the same objects, one document each, joined as the synth joins them, and
    // written to a file: the synth's rendering and write with the library alone (the synth also
    // builds the constructs, validates and orders them; the floor starts from the objects).
    const { dump } = require('js-yaml') as typeof import('js-yaml');
    const objects = JSON.parse(readFileSync(file, 'utf8')) as object[];
    let out = '';
    await measure(result, () => {
      out = objects.map((o) => dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' })).join('---\n');
      writeFileSync(`${file}.yaml`, out);
    });
    result.bytes = Buffer.byteLength(out);
  } else if (mode === 'json-floor') {
    const objects = JSON.parse(readFileSync(file, 'utf8')) as object[];
    await measure(result, () => { writeFileSync(`${file}.out`, objects.map((o) => JSON.stringify(o)).join('\n')); });
  } else if (mode === 'write-yaml') {
    const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    const yaml = manifestsToYaml(synthesizeApp(buildScaleEdge(n)).flatMap((c) => c.objects));
    writeFileSync(file, yaml);
    result.bytes = Buffer.byteLength(yaml);
    result.ms = 0;
    result.cpuMs = 0;
  } else if (mode === 'large-write') {
    const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    const objects = synthesizeApp(buildScaleEdge(750)).flatMap((c) => c.objects);
    const base = manifestsToYaml(objects);
    const perCopy = base.split(/^---$/m).length;
    const json = objects.map((o) => JSON.stringify(o)).join('\n');
    const jsonFd = file2 ? openSync(file2, 'w') : undefined;
    const fd = openSync(file, 'w');
    let bytes = 0;
    let copies = 0;
    await measure(result, () => {
      for (; bytes < n * 2 ** 20; copies++) {
        // Each copy in namespaces of its own, so that references resolve within the copy.
        const copy = base.replace(/\bteam(\d+)/g, `c${copies}-team$1`).replace(/istio-ingress/g, `c${copies}-istio-ingress`);
        const text = `${copies ? '---\n' : ''}${copy}`;
        writeSync(fd, text);
        bytes += Buffer.byteLength(text);
        if (jsonFd !== undefined) writeSync(jsonFd, `${copies ? '\n' : ''}${json.replace(/\bteam(\d+)/g, `c${copies}-team$1`).replace(/istio-ingress/g, `c${copies}-istio-ingress`)}`);
      }
    });
    closeSync(fd);
    if (jsonFd !== undefined) closeSync(jsonFd);
    result.bytes = bytes;
    result.objects = perCopy * copies;
  } else if (mode === 'json-parse') {
    let docs = 0;
    await measure(result, () => { for (const line of readFileSync(file, 'utf8').split('\n')) { JSON.parse(line); docs++; } });
    result.objects = docs;
  } else if (mode === 'parse-floor') {
    let docs = 0;
    await measure(result, () => { docs = parseDocuments(readFileSync(file, 'utf8')); });
    result.objects = docs;
  } else if (mode === 'analyze') {
    const { runAnalyze } = require('../lib/cli/analyze') as typeof import('../lib/cli/analyze');
    let out = '';
    let status = 0;
    await measure(result, async () => { status = await runAnalyze([file], { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } }); });
    result.objects = Number(/^(\d+) objects:/m.exec(out)?.[1] ?? 0);
    result.errors = Number(/(\d+) errors/.exec(out)?.[1] ?? 0);
    result.status = status;
  } else if (mode === 'explain') {
    const { readManifests } = require('../lib/analysis') as typeof import('../lib/analysis');
    const { LoadedEdge } = require('../lib/explain') as typeof import('../lib/explain');
    let edge: ReturnType<typeof LoadedEdge.load> | undefined;
    await measure(result, async () => { edge = LoadedEdge.load((await readManifests([file])).objects); });
    const hosts = edge!.objects.filter((o) => o.kind === 'VirtualService').length;
    const times: number[] = [];
    let routed = 0;
    for (let i = 0; i < 200; i++) {
      const k = Math.floor((i * 7919) % Math.max(1, hosts));
      const start = process.hrtime.bigint();
      const e = edge!.explain({ host: `svc${k}.bench.example.com`, scheme: 'https', path: `/items/${i}` });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (e.decision === 'routed') routed++;
    }
    times.sort((a, b) => a - b);
    result.perQuestionMs = times.reduce((a, b) => a + b, 0) / times.length;
    result.medianQuestionMs = times[times.length >> 1];
    result.maxQuestionMs = times[times.length - 1];
    result.routed = routed;
    result.objects = edge!.objects.length;
  } else if (mode === 'write-example' || mode === 'write-changed') {
    const { manifestsToYaml, synthesizeApp } = require('../lib') as typeof import('../lib');
    let yaml: string;
    if (mode === 'write-example') {
      const { synthEdge } = require('../apps/edge') as typeof import('../apps/edge');
      const { environments } = require('../apps/environments') as typeof import('../apps/environments');
      yaml = manifestsToYaml(synthEdge(environments.prod).objects);
    } else {
      const { buildScaleEdge } = require('./scale-edge') as typeof import('./scale-edge');
      yaml = manifestsToYaml(synthesizeApp(buildScaleEdge(n)).flatMap((c) => c.objects));
    }
    // The change a reviewer would see: canary weights move to 80/20 (the example's rollouts, at 100/0
    // between rollouts, as the controller would set them; every 10th VirtualService of a scale edge, from 90/10).
    let vs = 0;
    const changed = yaml.split(/^---$/m).map((doc) => {
      if (!/^kind: VirtualService$/m.test(doc)) return doc;
      if (mode === 'write-example') return doc.replace(/weight: 100$/gm, 'weight: 80').replace(/weight: 0$/gm, 'weight: 20');
      return vs++ % 10 === 0 ? doc.replace(/weight: 90$/gm, 'weight: 80').replace(/weight: 10$/gm, 'weight: 20') : doc;
    }).join('---');
    if (changed === yaml) throw new Error(`${mode}: no canary weight to change`);
    writeFileSync(file, yaml);
    writeFileSync(file2, changed);
    result.bytes = Buffer.byteLength(yaml) + Buffer.byteLength(changed);
    result.ms = 0;
    result.cpuMs = 0;
  } else if (mode === 'parse-floor2') {
    let docs = 0;
    await measure(result, () => { docs = parseDocuments(readFileSync(file, 'utf8')) + parseDocuments(readFileSync(file2, 'utf8')); });
    result.objects = docs;
  } else if (mode === 'diff') {
    const { readManifests } = require('../lib/analysis') as typeof import('../lib/analysis');
    const { diffEdges } = require('../lib/explain') as typeof import('../lib/explain');
    let d: ReturnType<typeof diffEdges> | undefined;
    let objects = 0;
    await measure(result, async () => {
      const [a, b] = [await readManifests([file]), await readManifests([file2])];
      objects = a.objects.length + b.objects.length;
      d = diffEdges(a.objects, b.objects, { oldLocations: a.locations, newLocations: b.locations });
    });
    result.objects = objects;
    result.classes = d!.classes.length;
    result.changed = d!.changed ? 1 : 0;
  } else if (mode === 'validate') {
    const { validateAndAnalyze } = require('../lib') as typeof import('../lib');
    const objects = JSON.parse(readFileSync(file, 'utf8')) as never[];
    let errors = 0;
    await measure(result, async () => { errors = (await validateAndAnalyze(objects)).filter((f) => f.severity === 'error').length; });
    result.objects = objects.length;
    result.errors = errors;
  } else if (mode === 'pulumi') {
    const { plan } = require('../apps/plan') as typeof import('../apps/plan');
    let resources = 0;
    await measure(result, async () => { resources = (await plan('prod')).mocks.resources.length; });
    result.resources = resources;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  result.rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
