// `npm run bench [-- --sizes 100,1000,4000 --runs 3 --quick --no-cli --no-large --cold-only]`: synth at
// scale against its floors, validation and analysis, the Pulumi program under mocks, and the cold
// synth against the cdk8s CLI's start (--cold-only: that alone).
// Each figure is the median of --runs runs, each in a fresh process (so peak RSS is its own).
// Prints a table and writes bench/results.json. A benchmark, not a test: nothing is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OBJECTS_PER_SERVICE } from './scale-edge';

interface Sample {
  ms: number;
  rssMiB: number;
  objects?: number;
  bytes?: number;
  errors?: number;
  resources?: number;
  status?: number;
}

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = flag('quick');
const coldOnly = flag('cold-only');
const sizes = option('sizes', quick ? '100,1000' : '100,1000,4000').split(',').map(Number);
const runs = Number(option('runs', quick ? '1' : '3'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'edge-bench-'));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function worker(mode: string, n: number, file = ''): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), mode, String(n), file], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The median sample of `runs` runs (time and peak RSS medians; counts from the first). */
function measure(mode: string, n: number, file = ''): Sample {
  const samples = Array.from({ length: runs }, () => worker(mode, n, file));
  return { ...samples[0], ms: median(samples.map((s) => s.ms)), rssMiB: median(samples.map((s) => s.rssMiB)) };
}

function wall(command: string, argv: string[], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  runs,
};
const rows: string[][] = [];
const ms = (x: number) => `${x.toFixed(0)} ms`;

// Issue 19's targets, in bench/results.json under `targets`: each figure with its limit, and a
// MISS in the table where it is over. null where this run did not measure it.
interface Target { ratio?: number | null; peakRssMiB?: number; limit: number; met?: boolean; note?: string }
const targets: Record<string, Target | null> = {
  // Cold `npm run synth` against the cdk8s CLI's own start, measured side by side (below; not with --no-cli).
  coldSynthVsCliStart: { ratio: null, limit: 1.5, note: 'measured without --no-cli' },
  synth1000VsJsYamlFloor: null,
  analysis50MbVsJsYamlParse: null,
  analysis50MbPeakRssMiB: null,
};
const verdict = (value: number, limit: number) => (value <= limit ? `within ${limit}` : `MISS: over ${limit}`);
const record = (name: string, value: number, limit: number, key: 'ratio' | 'peakRssMiB' = 'ratio') => {
  targets[name] = { [key]: Number(value.toFixed(key === 'ratio' ? 2 : 0)), limit, met: value <= limit };
  return verdict(value, limit);
};

// Synth at scale, and its floors on the same objects.
const synth: Record<number, Record<string, Sample>> = {};
for (const n of coldOnly ? [] : sizes) {
  const file = path.join(tmp, `objects-${n}.json`);
  const ours = measure('ours', n, file);
  const yaml = measure('yaml', n, file);
  const jsYaml = measure('js-yaml', n, file);
  const raw = measure('apiobject', n, file);
  synth[n] = { ours, yaml, jsYaml, raw };
  const vsJsYaml = ours.ms / jsYaml.ms;
  const target = n === 1000 ? ` [target: ${record('synth1000VsJsYamlFloor', vsJsYaml, 2)}]` : '';
  rows.push([`synth N=${n} (${ours.objects} objects, ${(ours.bytes! / 2 ** 20).toFixed(1)} MiB YAML)`, ms(ours.ms), `${ours.rssMiB.toFixed(0)} MiB`,
    `${vsJsYaml.toFixed(2)}x js-yaml floor (${ms(jsYaml.ms)})${target}, ${(ours.ms / yaml.ms).toFixed(2)}x yaml floor (${ms(yaml.ms)}), ${(ours.ms / raw.ms).toFixed(2)}x raw ApiObjects (${ms(raw.ms)})`]);
}
results.synth = synth;
if (synth[1000] && synth[4000]) {
  const linear = synth[4000].ours.ms / synth[1000].ours.ms;
  results.linearity = linear;
  rows.push(['synth time(4000) / time(1000)', linear.toFixed(2), '', `linear: ${record('synth4000Vs1000', linear, 4.4)}`]);
}

if (!coldOnly) {
  // Validation and analysis of about 10,000 objects: a whole synthesized edge of that size (a slice
  // would cut references), and of the largest synth output.
  const analysisN = Math.ceil(10000 / OBJECTS_PER_SERVICE);
  const analysisFile = path.join(tmp, 'objects-analysis.json');
  worker('ours', analysisN, analysisFile);
  const analysis: Record<string, Sample> = {
    validateAndAnalyze10k: measure('analyze', 0, analysisFile),
    checks10k: measure('checks', 0, analysisFile),
  };
  rows.push([`validation + analysis, ${analysis.validateAndAnalyze10k.objects} objects`, ms(analysis.validateAndAnalyze10k.ms), `${analysis.validateAndAnalyze10k.rssMiB.toFixed(0)} MiB`, `target < 2000 ms; ${analysis.validateAndAnalyze10k.errors} errors`]);
  rows.push([`cross-object checks only, ${analysis.checks10k.objects} objects`, ms(analysis.checks10k.ms), `${analysis.checks10k.rssMiB.toFixed(0)} MiB`, '']);
  const largest = Math.max(...sizes);
  if (largest > analysisN) {
    analysis[`validateAndAnalyzeN${largest}`] = measure('analyze', 0, path.join(tmp, `objects-${largest}.json`));
    const s = analysis[`validateAndAnalyzeN${largest}`];
    rows.push([`validation + analysis, N=${largest} output (${s.objects} objects)`, ms(s.ms), `${s.rssMiB.toFixed(0)} MiB`, '']);
  }
  results.analysis = analysis;

  // The analyze command on a 50 MB manifest (about 48,000 objects written by hand would be as big):
  // time against js-yaml's parse of the same file, and peak RSS (issue 19's targets: within 3x of
  // the parse, under 600 MiB).
  if (!flag('no-large')) {
    const largeFile = path.join(tmp, 'large.yaml');
    const written = worker('large-write', quick ? 10 : 50, largeFile);
    const parse = measure('large-js-yaml', 0, largeFile);
    const cli = measure('large-analyze', 0, largeFile);
    const ratio = cli.ms / parse.ms;
    results.largeManifest = { bytes: written.bytes, objects: cli.objects, jsYamlParse: parse, analyze: cli, ratio };
    // The targets are for a 50 MB file: --quick writes 10 MiB and reports without recording them.
    const full = written.bytes! >= 50 * 2 ** 20;
    const timeVerdict = full ? record('analysis50MbVsJsYamlParse', ratio, 3) : 'target for 50 MB only';
    const rssVerdict = full ? record('analysis50MbPeakRssMiB', cli.rssMiB, 600, 'peakRssMiB') : 'target for 50 MB only';
    rows.push([`analyze CLI, ${(written.bytes! / 2 ** 20).toFixed(0)} MiB manifest (${cli.objects} objects)`, ms(cli.ms), `${cli.rssMiB.toFixed(0)} MiB`,
      `${ratio.toFixed(2)}x js-yaml parse (${ms(parse.ms)}, ${parse.rssMiB.toFixed(0)} MiB) [time: ${timeVerdict}x; peak RSS: ${rssVerdict} MiB]`]);
  }

  // The Pulumi program under mocks.
  const pulumi = measure('pulumi', 0);
  results.pulumi = pulumi;
  rows.push([`Pulumi program, prod, under mocks (${pulumi.resources} resources)`, ms(pulumi.ms), `${pulumi.rssMiB.toFixed(0)} MiB`, 'target < 5000 ms']);
}

// Cold synth (issue 19, part 1): `npm run synth` of the example as a user runs it (a fresh
// process; build/ already up to date, as after any earlier synth or `npm run build`) against the
// cdk8s CLI's own start (`cdk8s --version`), alternated in the same run so that both see the same
// load; and what `npm run synth` ran before issue 19 (`cdk8s synth` of the app through tsx).
if (!flag('no-cli')) {
  const out = path.join(tmp, 'cli');
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  wall('npm', ['run', '--silent', 'synth', '--', '--output', out]); // brings build/ up to date first
  const synthRuns: number[] = [];
  const cliRuns: number[] = [];
  const beforeRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    cliRuns.push(wall(cdk8s, ['--version']));
    synthRuns.push(wall('npm', ['run', '--silent', 'synth', '--', '--output', out]));
    beforeRuns.push(wall(cdk8s, ['synth', '--no-check-upgrade', '--output', out, '--app', 'node --import tsx apps/main.ts']));
  }
  const npmRunSynth = median(synthRuns);
  const cliStart = median(cliRuns);
  const before = median(beforeRuns);
  const ratio = npmRunSynth / cliStart;
  results.cli = { npmRunSynthMs: npmRunSynth, cdk8sVersionMs: cliStart, cdk8sSynthTsxMs: before, runsMs: { npmRunSynth: synthRuns, cdk8sVersion: cliRuns, cdk8sSynthTsx: beforeRuns } };
  rows.push(['npm run synth (example, cold, compiled)', ms(npmRunSynth), '', `${ratio.toFixed(2)}x cdk8s --version (${ms(cliStart)}) [target: ${record('coldSynthVsCliStart', ratio, 1.5)}]`]);
  rows.push(['  before: cdk8s synth of the app through tsx', ms(before), '', `${(before / cliStart).toFixed(2)}x cdk8s --version`]);
}

results.targets = targets;
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`Benchmarks (median of ${runs} run(s); ${os.cpus().length} cores, ${process.version})\n`);
for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`);
console.log('\nTargets (issue 19):');
for (const [name, t] of Object.entries(targets)) {
  const value = t?.ratio ?? t?.peakRssMiB;
  if (!t || value === undefined || value === null) console.log(`  ${name.padEnd(28)} not measured (${t?.note ?? 'not in this run'})`);
  else console.log(`  ${name.padEnd(28)} ${String(value).padStart(6)}${t.ratio !== undefined ? 'x' : ' MiB'}  limit ${t.limit}  ${t.met ? 'ok' : 'MISS'}`);
}
const file = path.join(__dirname, 'results.json');
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten: ${path.relative(ROOT, file)}`);
