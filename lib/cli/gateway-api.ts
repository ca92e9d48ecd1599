/**
 * `istio-aks-edge gateway-api <files or folders> --output <file> [--omit a,b] [--gateway-class C]
 * [--production] [--force] [--quiet] [--json]`: converts an edge's manifests in the Istio form
 * (the package's output or hand-written) to the Kubernetes Gateway API form, validates and
 * analyzes the result, and writes it to one file, only when it has no error.
 * Exit status: 0 written, 1 the conversion or the analysis found errors (nothing written), 2 a
 * usage error or unreadable input.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findingsJson, formatFindings, hasErrors, validateAndAnalyze } from '../analysis/analyze';
import { GatewayApiOmission, toGatewayApi } from '../gateway-api/convert';
import { readManifests, UnreadableInputError } from '../model/read-manifests';
import { PathError } from '../private/fs';
import { manifestsToYaml, writeFilesAtomically } from '../synth/synth';
import { CommandIo, PROCESS_IO, UsageError } from './io';

const OMISSIONS = Object.values(GatewayApiOmission) as string[];

/** The usage text of `gateway-api`. */
export const GATEWAY_API_USAGE = `Usage: istio-aks-edge gateway-api <files or folders>... --output <file> [options]

Converts an edge's manifests in the Istio form (Gateway, VirtualService, DestinationRule and the
gateway's workload) to the Kubernetes Gateway API form (Gateway, HTTPRoute, a Service per version,
ReferenceGrant), validates and analyzes it, and writes it to one file, only when it has no error.

Options:
  --output <file>         the file to write (-o); its folder is created
  --force                 replace the file when it exists
  --omit <a,b>            what the Gateway API cannot say that may be left out: ${OMISSIONS.join(', ')}
                          (default: none, each is an error naming the object)
  --gateway-class <name>  the GatewayClass (default istio)
  --production            apply the production rules of the analysis
  --quiet                 print errors and warnings only
  --json                  the summary as JSON
  --help                  show this help

Exit status: 0 written, 1 errors found (nothing written), 2 unreadable input or a usage error.`;

/** The parsed command line of `gateway-api`. */
interface GatewayApiArgs {
  readonly paths: string[];
  readonly output: string;
  readonly omit: GatewayApiOmission[];
  readonly gatewayClassName?: string;
  readonly production: boolean;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly json: boolean;
}

function parse(argv: readonly string[]): GatewayApiArgs {
  const paths: string[] = [];
  let output: string | undefined;
  let omit: GatewayApiOmission[] = [];
  let gatewayClassName: string | undefined;
  let production = false;
  let force = false;
  let quiet = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${a} takes a value.\n\n${GATEWAY_API_USAGE}`);
      return v;
    };
    if (a === '--output' || a === '-o') output = value();
    else if (a === '--omit') {
      omit = value().split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
        if (!OMISSIONS.includes(o)) throw new UsageError(`--omit: ${JSON.stringify(o)} is not an omission; use ${OMISSIONS.join(', ')}.`);
        return o as GatewayApiOmission;
      });
    } else if (a === '--gateway-class') gatewayClassName = value();
    else if (a === '--production') production = true;
    else if (a === '--force') force = true;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--json') json = true;
    else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}.\n\n${GATEWAY_API_USAGE}`);
    else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError(`Give the manifests of the edge: files or folders of YAML.\n\n${GATEWAY_API_USAGE}`);
  if (output === undefined) throw new UsageError(`Give --output <file>: where the Gateway API form goes (for example dist/gateway-api/dev/edge.k8s.yaml).\n\n${GATEWAY_API_USAGE}`);
  return { paths, output, omit, gatewayClassName, production, force, quiet, json };
}

/** Runs `gateway-api`; returns the exit status. */
export async function runGatewayApi(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${GATEWAY_API_USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const args = parse(argv);
  if (existsSync(args.output) && !args.force) throw new UsageError(`${args.output} exists; gateway-api does not overwrite it. Give another file, or add --force to replace it.`);
  let read;
  try {
    read = await readManifests(args.paths);
  } catch (e) {
    if (e instanceof UnreadableInputError) throw new UsageError(e.message);
    throw e;
  }
  for (const w of read.warnings) io.stderr(`gateway-api: ${w}\n`);
  for (const u of read.unreadable) io.stderr(`gateway-api: skipped ${u.location.file}#${u.location.document}: ${u.message}\n`);
  if (read.objects.length === 0) throw new UsageError(`No Kubernetes object in ${args.paths.join(', ')} (${read.files.length} file(s) read): give the manifests of an edge (run the synth first).`);
  let form;
  try {
    form = toGatewayApi(read.objects, { omit: args.omit, gatewayClassName: args.gatewayClassName });
  } catch (e) {
    io.stderr(`gateway-api: ${e instanceof Error ? e.message : String(e)}\nNothing was written.\n`);
    return 1;
  }
  const findings = await validateAndAnalyze(form.objects, { production: args.production });
  const shown = args.quiet ? findings.filter((f) => f.severity !== 'info') : findings;
  if (shown.length && !args.json) io.stderr(`${formatFindings(shown)}\n`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const failed = hasErrors(findings);
  if (!failed) {
    try {
      writeFilesAtomically(path.dirname(args.output), [{ path: path.basename(args.output), content: manifestsToYaml(form.objects) }]);
    } catch (e) {
      if (e instanceof PathError) throw new UsageError(e.message);
      throw new UsageError(`cannot write ${args.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Choose a file in a folder you can write.`);
    }
  }
  const ms = Math.round(performance.now() - started);
  if (args.json) {
    io.stdout(`${JSON.stringify({
      output: args.output, written: !failed, objects: form.objects.length, from: read.objects.length, omitted: form.omitted,
      counts: { errors: count('error'), warnings: count('warning'), infos: count('info') }, ms, findings: findingsJson(findings),
    }, null, 2)}\n`);
  } else {
    for (const o of args.quiet ? [] : form.omitted) io.stderr(`gateway-api: ${o}\n`);
    const what = `${form.objects.length} objects from ${read.objects.length}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos${form.omitted.length ? `, ${form.omitted.length} left out` : ''}, in ${(ms / 1000).toFixed(1)} s`;
    if (failed) io.stderr(`Nothing written to ${args.output} (${what}). Fix the errors above.\n`);
    else if (!args.quiet) io.stdout(`Wrote ${args.output} (${what}).\n`);
  }
  return failed ? 1 : 0;
}
