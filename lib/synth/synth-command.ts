/**
 * The synth entry of an app as a command: `node main.js [--output <dir>] [--quiet] [--json]`. It
 * runs {@link synthesizeChecked} (validate and analyze, write all or nothing, never remove a file
 * it did not write), prints the findings, and says what it did in one line: the files written,
 * the objects of each target, the findings by severity and the time.
 */
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findingsJson, formatFindings } from '../analysis/analyze';
import { PathError } from '../private/fs';
import { synthesizeChecked, SynthOutcome, SynthTarget } from './synth';

/** Options of {@link runSynth}. */
export interface RunSynthOptions {
  /**
   * The command line: `--output <dir>` (`-o`), `--quiet` (only errors and warnings), `--json` (the
   * summary as JSON on standard output).
   * @default - `process.argv.slice(2)`
   */
  readonly argv?: readonly string[];
  /**
   * The output folder when the command line gives none.
   * @default - `$CDK8S_OUTDIR` (set by `cdk8s synth`), else "dist"
   */
  readonly outdir?: string;
  /**
   * Where the summary (and `--json`) goes.
   * @default - standard output
   */
  readonly stdout?: (text: string) => void;
  /**
   * Where the findings and errors go.
   * @default - standard error
   */
  readonly stderr?: (text: string) => void;
}

/** The command line of {@link runSynth}. */
export const SYNTH_USAGE = 'Usage: synth [--output <dir>] [--quiet] [--json]';

/** What {@link runSynth} did, as `--json` prints it. */
export interface SynthSummary {
  /** The output folder. */
  readonly outdir: string;
  /** Whether the files were written (false when a target has an error). */
  readonly written: boolean;
  /** The files written, relative to the output folder. */
  readonly files: readonly string[];
  /** Each target: its objects and its findings by severity. */
  readonly targets: ReadonlyArray<{ readonly name: string; readonly objects: number; readonly errors: number; readonly warnings: number; readonly infos: number }>;
  /** Milliseconds since the process started. */
  readonly ms: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line summary of a synth. */
export function formatSynthSummary(s: SynthSummary): string {
  const sum = (k: 'errors' | 'warnings' | 'infos') => s.targets.reduce((a, t) => a + t[k], 0);
  const findings = `${plural(sum('errors'), 'error')}, ${plural(sum('warnings'), 'warning')}, ${plural(sum('infos'), 'info')}`;
  const objects = s.targets.map((t) => `${t.name} ${plural(t.objects, 'object')}`).join(', ');
  const seconds = `${(s.ms / 1000).toFixed(1)} s`;
  return s.written
    ? `Wrote ${plural(s.files.length, 'file')} to ${s.outdir}/ (${objects}): ${findings}, in ${seconds}.`
    : `Synth found errors (above): nothing was written to ${s.outdir}/ (${objects}): ${findings}, in ${seconds}. Fix them, then synthesize again.`;
}

/**
 * Runs the synth of `targets` as a command; resolves to the exit status (0 written, 1 errors found
 * or the app threw, 2 a wrong command line or an output folder that cannot be made). Only the files it writes change: nothing else in the
 * output folder is removed. Under `cdk8s synth` (which empties its own output folder, `$CDK8S_OUTDIR`,
 * before it runs the app) give `--output dist` and a scratch `output:` in cdk8s.yaml: the files
 * are written to `--output` and copied to the CLI's folder for it to list.
 * @param targets the apps to synthesize, or a function of the output folder that builds them
 */
export async function runSynth(targets: readonly SynthTarget[] | ((outdir: string) => readonly SynthTarget[]), options: RunSynthOptions = {}): Promise<number> {
  const stdout = options.stdout ?? ((t: string) => { process.stdout.write(t); });
  const stderr = options.stderr ?? ((t: string) => { process.stderr.write(t); });
  const argv = options.argv ?? process.argv.slice(2);
  let output: string | undefined;
  let quiet = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--output' || a === '-o') {
      output = argv[++i];
      if (output === undefined || output.startsWith('-')) {
        stderr(`synth: ${a} takes a folder.\n${SYNTH_USAGE}\n`);
        return 2;
      }
    } else if (a.startsWith('--output=')) output = a.slice('--output='.length);
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--json') json = true;
    else {
      stderr(`synth: unknown argument ${a}.\n${SYNTH_USAGE}\n`);
      return 2;
    }
  }
  const cliOutdir = process.env.CDK8S_OUTDIR;
  const outdir = output ?? options.outdir ?? cliOutdir ?? 'dist';
  let outcome: SynthOutcome;
  try {
    outcome = await synthesizeChecked(outdir, typeof targets === 'function' ? targets(outdir) : targets);
  } catch (e) {
    stderr(`${e instanceof Error ? e.message : String(e)}\nNothing was written to ${outdir}/.\n`);
    // An output folder that cannot be made is an input error (2), like a wrong command line.
    return e instanceof PathError ? 2 : 1;
  }
  for (const { name, findings } of outcome.findings) {
    const shown = quiet ? findings.filter((f) => f.severity !== 'info') : findings;
    if (shown.length && !json) stderr(`${name}:\n${formatFindings(shown)}\n`);
  }
  if (outcome.written && cliOutdir !== undefined && path.resolve(cliOutdir) !== path.resolve(outdir)) {
    for (const f of outcome.files) cpSync(path.join(outdir, f), path.join(cliOutdir, f));
  }
  const count = (fs: SynthOutcome['findings'][number]['findings'], s: string) => fs.filter((f) => f.severity === s).length;
  const summary: SynthSummary = {
    outdir: path.relative(process.cwd(), outdir) || '.',
    written: outcome.written,
    files: outcome.files,
    targets: outcome.findings.map((t) => ({ name: t.name, objects: t.objects, errors: count(t.findings, 'error'), warnings: count(t.findings, 'warning'), infos: count(t.findings, 'info') })),
    ms: Math.round(performance.now()),
  };
  if (json) {
    stdout(`${JSON.stringify({ ...summary, findings: outcome.findings.map((t) => ({ name: t.name, findings: findingsJson(t.findings) })) }, null, 2)}\n`);
  } else if (!quiet || !outcome.written) {
    (outcome.written ? stdout : stderr)(`${formatSynthSummary(summary)}\n`);
  }
  return outcome.written ? 0 : 1;
}
