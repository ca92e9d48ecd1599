// `npm run bench [-- options]`: the package's speed and memory against like-for-like floors.
// A benchmark, not a test: nothing is asserted; `npm run bench -- --help` lists the options.
//
// How it measures (the machine is shared and noisy; one run is not a measurement):
// - every ratio comes from PAIRS run alternately in this process tree (A, B, A, B, ...), each run in
//   a fresh process (bench/worker.ts), so both sides of a pair see the same load; the ratio of each
//   pair is kept and the spread (min / median / max over the pairs) is reported;
// - CPU time (user + system of the measured part, in the worker) is the basis of the in-process
//   ratios, wall time is recorded beside it; the cold-start ratios are wall time (start-up is the
//   point);
// - the 1-minute load average is read before every pair and reported (min / median / max);
// - floors are like for like: the synth (the constructs built, then writeApp: validation, ordering,
//   rendering, YAML and the write to a file) against js-yaml's dump of the same objects joined and
//   written to a file (the floor does not build, validate or render: it starts from the objects); the analysis
//   and explain's loading against the parse the reader does (js-yaml's core schema, one document at
//   a time); the cold commands against `cdk8s --version` with the same Node settings (Node's compile
//   cache on for both).
// - the package runs as its users run it: compiled JavaScript (build/, brought up to date by
//   scripts/compile.cjs at the start, as `npm run synth` does), without a TypeScript loader in the
//   measured processes; the worker itself is compiled with it (build/bench/worker.js). Only the
//   package's own code is in the measurement (not the repository's bundle of its dependencies for
//   its own commands, build/vendor/, which users do not have).
// Writes bench/results.json: every target with ratio (or value), limit, met, spread and load.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OBJECTS_PER_SERVICE } from './scale-edge';

const USAGE = `Usage: npm run bench [-- options]

  --pairs N          pairs per ratio (default 5; --quick: 2)
  --only GROUPS      comma-separated: synth, analysis, explain, diff, validation, pulumi, cold (default: all)
  --sizes A,B        synth sizes in services; the first is the base of the linearity ratio
                     (default 1000,16000; --quick: 1000,4000)
  --analysis-mb A,B  analysis input sizes in MiB (default 50,200; --quick: 10)
  --explain-routes N routes of the explain edge (default 10000; --quick: 1000)
  --diff-routes N    routes of the edge diffed against a changed copy (default 1000; --quick: 100)
  --diff-timeout S   seconds a diff may run before it counts as a miss (default 600)
  --quick            small sizes and two pairs: a smoke run, its targets are not recorded as met
  --help             this text

Writes bench/results.json and prints a table. Targets are in results.json under "targets"; with
--only, the targets of the other groups keep their last figures.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const known = new Set(['pairs', 'only', 'sizes', 'analysis-mb', 'explain-routes', 'diff-routes', 'diff-timeout', 'quick']);
for (let i = 0; i < args.length; i++) {
  if (!args[i].startsWith('--') || !known.has(args[i].slice(2))) {
    console.error(`bench: unknown argument ${args[i]}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args[i] !== '--quick') i++;
}
const quick = flag('quick');
const pairs = Number(option('pairs', quick ? '2' : '5'));
const groups = new Set(option('only', 'synth,analysis,explain,diff,validation,pulumi,cold').split(','));
const sizes = option('sizes', quick ? '1000,4000' : '1000,16000').split(',').map(Number);
const analysisMb = option('analysis-mb', quick ? '10' : '50,200').split(',').map(Number);
const explainRoutes = Number(option('explain-routes', quick ? '1000' : '10000'));
const diffRoutes = Number(option('diff-routes', quick ? '100' : '1000'));
const diffTimeoutMs = Number(option('diff-timeout', '600')) * 1000;

const ROOT = path.join(__dirname, '..');
// The compiled package and worker (only what changed since the last build or synth).
(require('../scripts/compile.cjs') as { compileStale: (root: string, options: { dirs: string[] }) => unknown }).compileStale(ROOT, { dirs: ['lib', 'apps', 'imports', 'bench'] });
const WORKER = path.join(ROOT, 'build', 'bench', 'worker.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'edge-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

interface Sample { ms: number; cpuMs: number; rssMiB: number; [key: string]: number }
interface Spread { min: number; median: number; max: number }
interface Target {
  ratio?: number; value?: number; unit?: string; limit: number; met: boolean; basis: string;
  spread: Spread; load: Spread; pairs: number; note?: string;
  /** For the Markdown table (bench/results.md): what was measured, our figure, the floor's. */
  what?: string; ours?: string; floor?: string;
}
/** Describes a target for the Markdown table. */
const show = (t: Target, what: string, ours: string, floor = ''): void => { Object.assign(t, { what, ours, floor }); };
const cpuMs = (xs: Sample[]) => `${Math.round(median(xs.map((s) => s.cpuMs))).toLocaleString('en-US')} ms CPU`;
const wallMs = (xs: Sample[]) => `${Math.round(median(xs.map((s) => s.ms))).toLocaleString('en-US')} ms wall`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[], digits = 2): Spread => {
  const r = (x: number) => Number(x.toFixed(digits));
  return { min: r(Math.min(...xs)), median: r(median(xs)), max: r(Math.max(...xs)) };
};
const load = () => os.loadavg()[0];

function worker(mode: string, n: number | string, file = '', file2 = '', timeoutMs?: number): Sample {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [WORKER, mode, String(n), file, file2], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  // A run past its time is a miss: its wall time so far is a lower bound, its CPU time is not known.
  if (timeoutMs && r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: NaN, rssMiB: NaN, timedOut: 1 };
  if (r.status !== 0) throw new Error(`bench worker ${mode} ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

/** Wall time of a whole command, and its CPU time (the children's rusage). */
function command(cmd: string, argv: string[], env: Record<string, string> = {}): Sample {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, cpuMs: NaN, rssMiB: NaN };
}

/** Runs a and b alternately, `pairs` times; the loads before each pair. */
function alternate(a: () => Sample, b: () => Sample): { a: Sample[]; b: Sample[]; loads: number[] } {
  const out = { a: [] as Sample[], b: [] as Sample[], loads: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    out.loads.push(load());
    out.a.push(a());
    out.b.push(b());
  }
  return out;
}

const targets: Record<string, Target> = {};
const rows: string[][] = [];
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  pairs,
  quick,
  method: 'pairs run alternately (A, B, A, B, ...), each run a fresh process; ratio per pair; spread min/median/max over pairs; 1-minute load average before each pair',
};
const fmt = (s: Spread, unit = 'x') => `${s.median}${unit} (${s.min}-${s.max})`;
const loadText = (l: Spread) => `load ${l.min}-${l.max}`;

function ratioTarget(name: string, ratios: number[], loads: number[], limit: number, basis: string, note?: string): Target {
  const s = spread(ratios);
  const t: Target = { ratio: s.median, limit, met: !quick && s.median <= limit, basis, spread: s, load: spread(loads, 1), pairs: ratios.length, ...(note ? { note } : {}) };
  targets[name] = t;
  return t;
}
function valueTarget(name: string, values: number[], loads: number[], limit: number, unit: string, basis: string): Target {
  const s = spread(values, 1);
  const t: Target = { value: s.median, unit, limit, met: !quick && s.median <= limit, basis, spread: s, load: spread(loads, 1), pairs: values.length };
  targets[name] = t;
  return t;
}
const verdict = (t: Target) => `[limit ${t.limit}: ${quick ? 'not recorded (--quick)' : t.met ? 'met' : 'MISS'}]`;

// Synth at scale: against js-yaml's dump of the same objects (CPU time), and its own linearity.
if (groups.has('synth')) {
  const [base, ...larger] = sizes;
  const objects = (n: number) => path.join(tmp, `objects-${n}.json`);
  // The synth writes with writeApp to a folder of the bench's (each run replaces the last run's file).
  const out = path.join(tmp, 'synth-out');
  worker('synth', base, out, objects(base));
  const floor = alternate(() => worker('synth', base, out), () => worker('dump-floor', 0, objects(base)));
  const t = ratioTarget(`synth${base}VsJsYamlFloor`, floor.a.map((s, i) => s.cpuMs / floor.b[i].cpuMs), floor.loads, 2.0, 'cpu');
  const json = worker('json-floor', 0, objects(base));
  show(t, `synth N=${base.toLocaleString('en-US')} (${floor.a[0].objects} objects, ${(floor.a[0].bytes / 2 ** 20).toFixed(1)} MiB), written with writeApp`, cpuMs(floor.a),
    `js-yaml dump + write ${cpuMs(floor.b)} (physical limit: JSON.stringify + write ${json.cpuMs.toFixed(0)} ms CPU)`);
  rows.push([`synth N=${base} (${floor.a[0].objects} objects, ${(floor.a[0].bytes / 2 ** 20).toFixed(1)} MiB)`, `${median(floor.a.map((s) => s.cpuMs)).toFixed(0)} ms CPU`,
    `${median(floor.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `${fmt(t.spread)} js-yaml dump (${median(floor.b.map((s) => s.cpuMs)).toFixed(0)} ms CPU) ${verdict(t)}; ${loadText(t.load)}; physical limit: JSON.stringify + write ${json.cpuMs.toFixed(0)} ms CPU`]);
  results.synthFloor = { ours: floor.a, jsYamlDump: floor.b, jsonStringifyWrite: json, loads: floor.loads };
  for (const n of larger) {
    const lin = alternate(() => worker('synth', n, out), () => worker('synth', base, out));
    const lt = ratioTarget(`synth${n}Vs${base}`, lin.a.map((s, i) => s.cpuMs / lin.b[i].cpuMs), lin.loads, n === 16000 && base === 1000 ? 17 : (n / base) * 1.06, 'cpu',
      `time(${n}) / time(${base}); linear is ${n / base}`);
    const rss = valueTarget(`synth${n}PeakRssMiB`, lin.a.map((s) => s.rssMiB), lin.loads, 500, 'MiB', 'peak RSS of the synth process');
    show(lt, `synth N=${n.toLocaleString('en-US')} (${lin.a[0].objects} objects, ${(lin.a[0].bytes / 2 ** 20).toFixed(1)} MiB): time(${n})/time(${base})`, cpuMs(lin.a), `N=${base}: ${cpuMs(lin.b)}`);
    show(rss, `synth N=${n.toLocaleString('en-US')}: peak RSS`, '');
    rows.push([`synth N=${n} (${lin.a[0].objects} objects, ${(lin.a[0].bytes / 2 ** 20).toFixed(1)} MiB)`, `${median(lin.a.map((s) => s.cpuMs)).toFixed(0)} ms CPU`, `${rss.value} MiB`,
      `time(${n})/time(${base}) ${fmt(lt.spread, '')} ${verdict(lt)}; peak RSS ${verdict(rss)}; ${loadText(lt.load)}`]);
    results[`synth${n}`] = { ours: lin.a, base: lin.b, loads: lin.loads };
  }
}

// The analyze command against the parse its reader does, at each input size.
if (groups.has('analysis')) {
  for (const mb of analysisMb) {
    const file = path.join(tmp, `large-${mb}.yaml`);
    const written = worker('large-write', mb, file, `${file}.json`);
    const pair = alternate(() => worker('analyze', 0, file), () => worker('parse-floor', 0, file));
    const fastest = worker('json-parse', 0, `${file}.json`);
    const limit = mb >= 200 ? 3 : 2.5;
    const t = ratioTarget(`analysis${mb}MbVsParse`, pair.a.map((s, i) => s.cpuMs / pair.b[i].cpuMs), pair.loads, limit, 'cpu');
    const rssLimit = 600;
    const rss = valueTarget(`analysis${mb}MbPeakRssMiB`, pair.a.map((s) => s.rssMiB), pair.loads, rssLimit, 'MiB', 'peak RSS of the analyze process');
    show(t, `analyze, ${(written.bytes / 2 ** 20).toFixed(0)} MiB (${pair.a[0].objects} objects)`, cpuMs(pair.a), `parse per document ${cpuMs(pair.b)} (physical limit: JSON.parse of the same objects ${fastest.cpuMs.toFixed(0)} ms CPU)`);
    show(rss, `analyze, ${(written.bytes / 2 ** 20).toFixed(0)} MiB: peak RSS`, '');
    rows.push([`analyze, ${(written.bytes / 2 ** 20).toFixed(0)} MiB (${pair.a[0].objects} objects)`, `${median(pair.a.map((s) => s.cpuMs)).toFixed(0)} ms CPU`, `${rss.value} MiB`,
      `${fmt(t.spread)} core-schema parse per document (${median(pair.b.map((s) => s.cpuMs)).toFixed(0)} ms CPU) ${verdict(t)}; peak RSS ${verdict(rss)}; ${loadText(t.load)}`]);
    results[`analysis${mb}Mb`] = { bytes: written.bytes, analyze: pair.a, parse: pair.b, jsonParse: fastest, loads: pair.loads };
    rmSync(file, { force: true });
    rmSync(`${file}.json`, { force: true });
  }
}

// explain on a large edge: loading against the parse, then the time per question.
if (groups.has('explain')) {
  const file = path.join(tmp, `explain-${explainRoutes}.yaml`);
  const written = worker('write-yaml', explainRoutes, file);
  const pair = alternate(() => worker('explain', 0, file), () => worker('parse-floor', 0, file));
  const t = ratioTarget(`explain${explainRoutes}LoadVsParse`, pair.a.map((s, i) => s.cpuMs / pair.b[i].cpuMs), pair.loads, 3, 'cpu');
  const q = valueTarget(`explain${explainRoutes}PerQuestionMs`, pair.a.map((s) => s.perQuestionMs), pair.loads, 20, 'ms', 'mean of 200 questions after loading (the first builds the virtual host table), wall');
  show(t, `explain, ${explainRoutes.toLocaleString('en-US')} routes (${(written.bytes / 2 ** 20).toFixed(0)} MiB): loading`, `${cpuMs(pair.a)}, ${median(pair.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `parse per document ${cpuMs(pair.b)}`);
  show(q, `explain, ${explainRoutes.toLocaleString('en-US')} routes: per question, mean of 200 (wall)`, '');
  rows.push([`explain, ${explainRoutes} routes (${(written.bytes / 2 ** 20).toFixed(0)} MiB)`, `${median(pair.a.map((s) => s.cpuMs)).toFixed(0)} ms CPU`, `${median(pair.a.map((s) => s.rssMiB)).toFixed(0)} MiB`,
    `loading ${fmt(t.spread)} parse (${median(pair.b.map((s) => s.cpuMs)).toFixed(0)} ms CPU) ${verdict(t)}; per question ${q.value} ms ${verdict(q)}; ${loadText(t.load)}`]);
  results.explain = { routes: explainRoutes, bytes: written.bytes, explain: pair.a, parse: pair.b, loads: pair.loads };
}

// The semantic diff (issue 27): the example's prod edge against a copy with the API canary's weights
// changed, after start-up (reading both sides and diffing, in a started process: CPU time, wall
// beside it); and a scale edge of `diffRoutes` routes against a copy with every 10th route's weights
// changed, against the same reader's floor parsing both inputs (CPU time).
if (groups.has('diff')) {
  const ex = [path.join(tmp, 'diff-example.yaml'), path.join(tmp, 'diff-example-changed.yaml')];
  worker('write-example', 0, ex[0], ex[1]);
  const exRuns = alternate(() => worker('diff', 0, ex[0], ex[1], diffTimeoutMs), () => ({ ms: 0, cpuMs: 0, rssMiB: 0 }));
  const exTimedOut = exRuns.a.some((s) => s.timedOut);
  const et = valueTarget('diffExampleMs', exRuns.a.map((s) => (s.timedOut ? s.ms : s.cpuMs)), exRuns.loads, 1000, 'ms',
    exTimedOut ? 'wall (a run timed out)' : 'CPU time of reading both sides and diffing them, after start-up');
  show(et, `diff, the example's prod against a changed copy (${exRuns.a[0].classes ?? '?'} classes)`, `${exTimedOut ? wallMs(exRuns.a) : cpuMs(exRuns.a)}, ${median(exRuns.a.map((s) => s.rssMiB)).toFixed(0)} MiB`);
  rows.push([`diff, the example's prod against a changed copy (${exRuns.a[0].classes ?? '?'} classes)`, `${et.value} ms CPU`, `${median(exRuns.a.map((s) => s.rssMiB)).toFixed(0)} MiB`,
    `wall ${median(exRuns.a.map((s) => s.ms)).toFixed(0)} ms ${verdict(et)}; ${loadText(et.load)}`]);
  const big = [path.join(tmp, `diff-${diffRoutes}.yaml`), path.join(tmp, `diff-${diffRoutes}-changed.yaml`)];
  const written = worker('write-changed', diffRoutes, big[0], big[1]);
  const pair = alternate(() => worker('diff', 0, big[0], big[1], diffTimeoutMs), () => worker('parse-floor2', 0, big[0], big[1]));
  const timedOut = pair.a.some((s) => s.timedOut);
  const dt = ratioTarget(`diff${diffRoutes}RoutesVsParse`, pair.a.map((s, i) => (s.timedOut ? s.ms / pair.b[i].ms : s.cpuMs / pair.b[i].cpuMs)), pair.loads, 10, timedOut ? 'wall' : 'cpu',
    timedOut ? `a diff did not finish within ${diffTimeoutMs / 1000} s: the ratio is a lower bound (wall time so far / the parse's wall time)` : 'read both sides and diff / parse both inputs (js-yaml core schema, one document at a time)');
  show(dt, `diff, ${diffRoutes.toLocaleString('en-US')} routes against a changed copy (${(written.bytes / 2 ** 20).toFixed(0)} MiB both)`, timedOut ? `> ${(diffTimeoutMs / 1000).toFixed(0)} s wall` : `${cpuMs(pair.a)}, ${median(pair.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `parse of both ${cpuMs(pair.b)}`);
  rows.push([`diff, ${diffRoutes} routes against a changed copy (${(written.bytes / 2 ** 20).toFixed(0)} MiB both)`, timedOut ? `> ${(diffTimeoutMs / 1000).toFixed(0)} s wall` : `${median(pair.a.map((s) => s.cpuMs)).toFixed(0)} ms CPU`,
    timedOut ? '' : `${median(pair.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `${fmt(dt.spread)} parse of both (${median(pair.b.map((s) => s.cpuMs)).toFixed(0)} ms CPU) ${verdict(dt)}; ${loadText(dt.load)}`]);
  results.diff = { example: exRuns.a, routes: diffRoutes, bytes: written.bytes, diff: pair.a, parse: pair.b, loads: pair.loads };
}

// Validation + analysis of about 10,000 objects, and the Pulumi program: absolute limits.
if (groups.has('validation')) {
  const n = Math.ceil(10000 / OBJECTS_PER_SERVICE);
  const file = path.join(tmp, 'objects-validation.json');
  worker('synth', n, path.join(tmp, 'synth-out'), file);
  const runs = alternate(() => worker('validate', 0, file), () => ({ ms: 0, cpuMs: 0, rssMiB: 0 }));
  const t = valueTarget('validation10kMs', runs.a.map((s) => s.ms), runs.loads, 2000, 'ms', 'wall');
  show(t, `validation + analysis, ${runs.a[0].objects.toLocaleString('en-US')} objects (wall)`, `${median(runs.a.map((s) => s.rssMiB)).toFixed(0)} MiB peak RSS`);
  rows.push([`validation + analysis, ${runs.a[0].objects} objects`, `${t.value} ms`, `${median(runs.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `${verdict(t)}; ${loadText(t.load)}`]);
}
if (groups.has('pulumi')) {
  const runs = alternate(() => worker('pulumi', 0), () => ({ ms: 0, cpuMs: 0, rssMiB: 0 }));
  const t = valueTarget('pulumiProdMs', runs.a.map((s) => s.ms), runs.loads, 5000, 'ms', 'wall');
  show(t, `Pulumi program, prod, under mocks, ${runs.a[0].resources} resources (wall)`, `${median(runs.a.map((s) => s.rssMiB)).toFixed(0)} MiB peak RSS`);
  rows.push([`Pulumi program, prod, under mocks (${runs.a[0].resources} resources)`, `${t.value} ms`, `${median(runs.a.map((s) => s.rssMiB)).toFixed(0)} MiB`, `${verdict(t)}; ${loadText(t.load)}`]);
}

// Cold commands on the example against the cdk8s CLI's own start, with the same Node settings:
// Node's compile cache on for both (the project's scripts enable it themselves; the CLI through
// NODE_COMPILE_CACHE), wall time.
if (groups.has('cold')) {
  const cache = path.join(tmp, 'node-compile-cache');
  const env = { NODE_COMPILE_CACHE: cache };
  const out = path.join(tmp, 'cold');
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  command('npm', ['run', '--silent', 'synth', '--', '--output', out], env); // brings build/ up to date, fills the caches
  command(cdk8s, ['--version'], env);
  const cmds: Array<[string, string[]]> = [
    ['synth', ['run', '--silent', 'synth', '--', '--output', out]],
    ['analyze', ['run', '--silent', 'analyze', '--', path.join(out, 'prod')]],
    ['explain', ['run', '--silent', 'explain', '--', path.join(out, 'prod'), '--host', 'shop.example.com', '--scheme', 'https', '--path', '/api/items']],
  ];
  const cold: Record<string, unknown> = {};
  for (const [name, argv] of cmds) {
    command('npm', argv, env);
    const pair = alternate(() => command('npm', argv, env), () => command(cdk8s, ['--version'], env));
    const key = `cold${name[0].toUpperCase()}${name.slice(1)}VsCliStart`;
    const t = ratioTarget(key, pair.a.map((s, i) => s.ms / pair.b[i].ms), pair.loads, 1.5, 'wall', 'both with Node\'s compile cache');
    show(t, `\`npm run ${name}\` of the example, cold`, wallMs(pair.a), `\`cdk8s --version\` ${wallMs(pair.b)}`);
    rows.push([`npm run ${name} (example, cold)`, `${median(pair.a.map((s) => s.ms)).toFixed(0)} ms`, '',
      `${fmt(t.spread)} cdk8s --version (${median(pair.b.map((s) => s.ms)).toFixed(0)} ms) ${verdict(t)}; ${loadText(t.load)}`]);
    cold[name] = { ours: pair.a.map((s) => s.ms), cdk8sVersion: pair.b.map((s) => s.ms), loads: pair.loads };
  }
  results.cold = cold;
}

results.targets = targets;
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`Benchmarks: ${pairs} pair(s) each, alternated; ${os.cpus().length} cores, ${process.version}${quick ? ' (--quick)' : ''}\n`);
for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`);
console.log('\nTargets (median of the pairs; spread min-max):');
for (const [name, t] of Object.entries(targets)) {
  const v = t.ratio !== undefined ? `${t.ratio}x` : `${t.value} ${t.unit}`;
  console.log(`  ${name.padEnd(30)} ${v.padStart(10)}  (${t.spread.min}-${t.spread.max})  limit ${t.limit}  ${quick ? '-' : t.met ? 'met' : 'MISS'}  ${loadText(t.load)}`);
}
const file = path.join(__dirname, 'results.json');
// With --only, the groups not run keep their last figures: the targets measured now replace theirs.
let written: Record<string, unknown> = results;
if (args.includes('--only') && existsSync(file)) {
  const previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { targets?: Record<string, Target> };
  written = { ...previous, ...results, targets: { ...previous.targets, ...targets }, only: [...groups] };
}
writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
// The same targets as a Markdown table (the README's Performance table is pasted from it).
const all = Object.values((written.targets ?? {}) as Record<string, Target>);
const loads = all.flatMap((t) => [t.load.min, t.load.max]);
const md = [
  `${all.length} targets, ${pairs} alternated pairs each${args.includes('--only') ? ` (this run: ${[...groups].join(', ')}; the others from an earlier run)` : ''}, ${results.date as string}, ` +
    `Node.js ${process.version.slice(1)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), 1-minute load ${Math.min(...loads)}-${Math.max(...loads)}${quick ? ', --quick (targets not recorded)' : ''}.`,
  '',
  '| measure | ours | floor | ratio or value: median (min-max) | limit | met | load |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...all.map((t) => `| ${t.what ?? '?'} | ${t.ours ?? ''} | ${t.floor ?? ''} | ${t.ratio !== undefined ? `${t.ratio}x` : `${t.value} ${t.unit}`} (${t.spread.min}-${t.spread.max}) | ${t.limit} | ${quick ? '-' : t.met ? 'met' : '**miss**'} | ${t.load.min}-${t.load.max} |`),
  '',
].join('\n');
writeFileSync(path.join(__dirname, 'results.md'), md);
console.log(`\nWritten: ${path.relative(ROOT, file)}, bench/results.md`);
