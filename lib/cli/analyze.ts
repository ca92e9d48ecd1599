/**
 * `analyze <files or folders> [--crds <file or folder>] [--production] [--target helm|aks-addon] [--format text|json|sarif]`:
 * validates and analyzes any manifests (the package's output or YAML and JSON written by hand).
 * Exit status: 0 without errors, 1 with errors (bad documents included), 2 when the input cannot
 * be read, holds no object, or the command line is wrong.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Finding, hasErrors, InstallTarget, validateAndAnalyze } from '../analysis/analyze';
import { CrdSchemas } from '../analysis/schema/crd-schema';
import { MESSAGES } from '../analysis/messages';
import { documentFindings } from '../analysis/documents';
import { formatLocation, ManifestLocation, readManifests, UnreadableInputError } from '../model/read-manifests';
import { KubernetesObject } from '../model/kubernetes-object';
import { findPackageFile } from '../private/package-files';
import { CommandIo, PROCESS_IO, UsageError } from './io';

export { CommandIo, PROCESS_IO, UsageError };


/** The output formats. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
/** An output format. */
export type Format = typeof FORMATS[number];

/** The usage text of `analyze`. */
export const ANALYZE_USAGE = `Usage: istio-aks-edge analyze <files or folders>... [options]

Validates Kubernetes and Istio manifests (YAML or JSON, kind: List included) against their
schemas and CRDs, and analyzes them across objects as istioctl analyze does, offline.
Folders are read recursively (.yaml, .yml, .json).

Options:
  --format text|json|sarif   output format (default text; sarif is SARIF 2.1.0 for code scanning)
  --json                     same as --format json
  --quiet                    print errors and warnings only (no infos, no summary line when there is no error)
  --production               apply the production rules (HTTPS redirects, authorization on public hosts)
  --crds <file or folder>    validate custom resources against these CRDs too (Istio 1.30.3's and the Gateway API's are always read)
  --target helm|aks-addon    where Istio comes from (default helm); aks-addon reports the kinds the AKS Istio
                             add-on blocks (errors) and EnvoyFilters (warnings: outside Azure's support)
  --help                     show this help

Exit status: 0 no error, 1 errors found, 2 unreadable input, no objects, or a usage error.
Messages (every code, what it means, how to fix it): docs/analysis-messages.md in the package`;

/** The usage text, with the path of the message catalogue the package ships. */
function analyzeHelp(): string {
  const messages = findPackageFile(path.join('docs', 'analysis-messages.md'));
  return messages ? ANALYZE_USAGE.replace('docs/analysis-messages.md in the package', messages) : ANALYZE_USAGE;
}


/** The parsed command line. */
export interface AnalyzeArgs {
  readonly paths: readonly string[];
  readonly crds?: string;
  readonly production: boolean;
  /** Where Istio comes from (`--target`). */
  readonly target: InstallTarget;
  readonly format: Format;
  /** Errors and warnings only (`--quiet`). */
  readonly quiet: boolean;
  readonly help: boolean;
}

/** Parses the arguments of `analyze`; throws {@link UsageError}. */
export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  const paths: string[] = [];
  let crds: string | undefined;
  let production = false;
  let target: InstallTarget = 'helm';
  let format: Format = 'text';
  let help = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--json') format = 'json';
    else if (a === '--production') production = true;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!FORMATS.includes(value as Format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}; received ${value === undefined ? 'nothing' : JSON.stringify(value)}.`);
      format = value as Format;
    } else if (a === '--target' || a.startsWith('--target=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'helm' && value !== 'aks-addon') throw new UsageError(`--target takes helm or aks-addon; received ${value === undefined ? 'nothing' : JSON.stringify(value)}.`);
      target = value;
    } else if (a === '--crds') {
      crds = argv[++i];
      if (crds === undefined || crds.startsWith('--')) throw new UsageError('--crds takes a file or folder of CustomResourceDefinitions.');
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option ${a}.`);
    else paths.push(a);
  }
  if (!help && paths.length === 0) throw new UsageError('Give at least one file or folder of manifests.');
  return { paths, crds, production, target, format, quiet, help };
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A SARIF 2.1.0 log of the findings (one run; rules from the message catalogue). */
export function toSarif(findings: readonly Finding[], locate: (o: KubernetesObject) => ManifestLocation | undefined, base = process.cwd()): object {
  const rules = MESSAGES.map((m) => ({
    id: m.code, name: m.name,
    shortDescription: { text: m.description }, fullDescription: { text: m.details },
    defaultConfiguration: { level: LEVEL[m.severity] },
    helpUri: `https://github.com/istio-aks-edge/istio-aks-edge/blob/main/docs/analysis-messages.md#${m.code.toLowerCase()}-${m.name.toLowerCase()}`,
    properties: { tags: ['istio', 'kubernetes'], ...(m.istioCode ? { istioCode: m.istioCode } : {}) },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'istio-aks-edge analyze', informationUri: 'https://github.com/istio-aks-edge/istio-aks-edge', rules } },
      results: findings.map((f) => {
        const where = locate(f.source);
        return {
          ruleId: f.code, ruleIndex: ruleIndex.get(f.code), level: LEVEL[f.severity],
          message: { text: `${f.object}${f.field ? ` ${f.field}` : ''}: ${f.message}` },
          locations: [{
            ...(where ? { physicalLocation: { artifactLocation: { uri: path.relative(base, where.file).split(path.sep).join('/') }, region: { startLine: where.line } } } : {}),
            logicalLocations: [{ fullyQualifiedName: `${f.object}${f.field ? `/${f.field}` : ''}`, kind: 'object' }],
          }],
          properties: { check: f.check, ...(f.istioCode ? { istioCode: f.istioCode } : {}) },
        };
      }),
    }],
  };
}

/** Runs `analyze`; returns the exit status. */
export async function runAnalyze(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  let args: AnalyzeArgs;
  try {
    args = parseAnalyzeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`analyze: ${e.message}\n\n${ANALYZE_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${analyzeHelp()}\n`);
    return 0;
  }
  const started = performance.now();
  let read;
  let crds: CrdSchemas | undefined;
  try {
    read = await readManifests(args.paths);
    if (args.crds !== undefined) {
      try {
        crds = CrdSchemas.fromPath(args.crds);
      } catch (e) {
        throw new UnreadableInputError(`Cannot read the CRDs at "${args.crds}": ${(e as Error).message}`);
      }
    }
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.stderr(`analyze: ${e.message}\n`);
    return 2;
  }
  for (const w of read.warnings) io.stderr(`analyze: ${w}\n`);
  if (read.objects.length === 0 && read.unreadable.length === 0) {
    io.stderr(`analyze: no Kubernetes object in ${args.paths.join(', ')} (${read.files.length} file(s) read${read.files.length ? '' : '; folders are searched for .yaml, .yml and .json files'}).\n`);
    return 2;
  }
  const documents = documentFindings(read.unreadable);
  const findings = [...documents.findings, ...await validateAndAnalyze(read.objects, { crds, production: args.production, target: args.target })];
  const locate = (o: KubernetesObject) => read.locations.get(o) ?? documents.locations.get(o);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  if (args.format === 'sarif') {
    io.stdout(`${JSON.stringify(toSarif(findings, locate), null, 2)}\n`);
  } else if (args.format === 'json') {
    const json = findings.map(({ source, ...f }) => {
      const where = locate(source);
      return where ? { ...f, file: where.file, document: where.document, ...(where.item !== undefined ? { item: where.item } : {}), line: where.line } : f;
    });
    io.stdout(`${JSON.stringify({
      objects: read.objects.length, files: read.files.length,
      counts: { errors: count('error'), warnings: count('warning'), infos: count('info') }, ms: Math.round(performance.now() - started), findings: json,
    }, null, 2)}\n`);
  } else {
    const order = { error: 0, warning: 1, info: 2 };
    const lines = [...findings].filter((f) => !args.quiet || f.severity !== 'info').sort((a, b) => order[a.severity] - order[b.severity]).map((f) => {
      const where = locate(f.source);
      return `${f.severity.toUpperCase().padEnd(7)} ${f.check} ${where ? `${formatLocation(where)}: ` : ''}${f.object}${f.field ? ` ${f.field}` : ''}: ${f.message} [${f.code}${f.istioCode ? ` ${f.istioCode}` : ''}]`;
    });
    if (lines.length) io.stdout(`${lines.join('\n')}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!args.quiet || hasErrors(findings)) io.stdout(`${read.objects.length} objects: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos (${read.files.length} ${read.files.length === 1 ? 'file' : 'files'} read, ${seconds} s).\n`);
  }
  return hasErrors(findings) ? 1 : 0;
}
