/**
 * `explain`: where a request goes, from any manifests (files or folders of YAML), without a cluster.
 *
 *   explain <manifests...> --host H [--path P] [--method M] [--header name:value]... [--query k=v]...
 *           [--port N] [--scheme http|https] [--sni S] [--gateway ns/name] [--jwt issuer|invalid [--jwt-subject sub]]
 *           [--source-ip IP] [--from-namespace NS [--from-label k=v]...] [--rollout ns/name --step N] [--json]
 *   explain <manifests...> --check table.yaml... [--coverage] [--fail-under N]
 *                                                     check request tables (exit 1 on a failure); --coverage: which
 *                                                     routes and policies no row exercises (exit 1 below N percent)
 *   explain <manifests...> --graph edge.svg|edge.md|edge.dot [--title T] [--force]   draw the edge (--force: replace an existing file)
 *
 * Exit status: 0 on success, 1 when a request table fails or coverage is below --fail-under, 2 on a usage or input error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { PathError } from '../private/fs';
import { writeFilesAtomically } from '../synth/synth';
import { KubernetesObject } from '../model/kubernetes-object';
import { formatLocation, readManifests, UnreadableInputError } from '../model/read-manifests';
import { CommandIo, PROCESS_IO, UsageError } from './io';
import {
  ExplainRequest, explanationJson, formatCoverage, formatExplanation, formatTableResults, LoadedEdge, parseRequestTable, renderSvg, toDot, toMermaidMarkdown,
} from '../explain';
import { formatPercent } from '../explain/coverage';
import { prepareLayout } from '../explain/graphviz';
import { RequestCaseResult } from '../explain/table';

/** The usage line of the command. */
export const EXPLAIN_USAGE = 'Usage: istio-aks-edge explain <files or folders> --host H [--path P] [--method M] [--header name:value]... [--query k=v]... [--port N] [--scheme http|https] '
  + '[--sni S] [--gateway ns/name] [--jwt issuer|invalid [--jwt-subject sub]] [--source-ip IP] [--from-namespace NS] [--from-label k=v]... [--rollout ns/name --step N] [--json] | --check table.yaml... [--coverage] [--fail-under N] [--quiet] [--json] | --graph out.svg|out.md|out.dot [--title T] [--force] [--quiet]';

/** Where the command writes (the tool's {@link CommandIo}). */
export type CliOutput = CommandIo;

/** What explain read: the objects, and the warnings to print (skipped files, documents that are not objects). */
export interface ExplainInput {
  readonly objects: KubernetesObject[];
  readonly warnings: string[];
}

/**
 * Reads the manifests below the paths with the package's one reader. Throws
 * {@link UnreadableInputError} (exit 2) for a path that cannot be read, a document that is not
 * valid YAML or JSON (or expands past the alias limit), and for input holding no object at all:
 * an answer from part of an edge, or from none, would be a guess. Documents that are well-formed
 * but not Kubernetes objects (a Helm values file in the folder) are skipped with a warning.
 */
export async function readExplainInput(paths: readonly string[]): Promise<ExplainInput> {
  const read = await readManifests(paths);
  const syntax = read.unreadable.filter((u) => u.syntax);
  if (syntax.length) throw new UnreadableInputError(syntax.map((u) => `${formatLocation(u.location)} (line ${u.location.line}): ${u.message}`).join('\n'));
  const warnings = [...read.warnings, ...read.unreadable.map((u) => `Skipped ${formatLocation(u.location)}: ${u.message}`)];
  if (read.objects.length === 0) {
    throw new UnreadableInputError(`No Kubernetes object in ${paths.join(', ')} (${read.files.length} file(s) read${read.files.length ? '' : '; folders are searched for .yaml, .yml and .json files'}${read.unreadable.length ? `, ${read.unreadable.length} document(s) not objects` : ''}): explain needs the manifests of an edge.`);
  }
  return { objects: read.objects, warnings };
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function pair(value: string | undefined, separator: string, option: string): [string, string] {
  const i = value?.indexOf(separator) ?? -1;
  if (value === undefined || i <= 0) throw new UsageError(`${option}: expected name${separator}value, received ${JSON.stringify(value)}.`);
  return [value.slice(0, i).trim(), value.slice(i + 1).trim()];
}

/** Runs the command; returns the exit status. */
export async function runExplainCli(argv: readonly string[], out: CliOutput = PROCESS_IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.stdout(`${EXPLAIN_USAGE}\n\nAnswers where a request goes through the manifests (files or folders of YAML or JSON, in the Istio\nform or the Gateway API form), without a cluster:\nthe gateway server, the route, the destinations and the policies on the way. --check runs request\ntables (--quiet: the failures and the count only); --coverage adds which routes and policies no row\nexercises, with a percentage (--fail-under N: exit 1 below N percent); --graph draws the edge (its\nfolder is created). --rollout ns/name --step N answers (and draws) as the routes are while that Argo\nRollouts canary is at step N (status.currentStepIndex, from 0; the number of steps is the end,\npromoted): the weights of the last setWeight, the header and mirror routes so far. Exit status: 0 on\nsuccess, 1 when a request table fails (or coverage is below --fail-under), 2 on a usage or input error.\n`);
    return 0;
  }
  try {
    const paths: string[] = [];
    const headers: Record<string, string> = {};
    const query: Record<string, string> = {};
    const fromLabels: Record<string, string> = {};
    const tables: string[] = [];
    let host: string | undefined;
    let reqPath: string | undefined;
    let method: string | undefined;
    let port: number | undefined;
    let scheme: 'http' | 'https' | undefined;
    let sni: string | undefined;
    let gateway: string | undefined;
    let jwt: ExplainRequest['jwt'];
    let sourceIp: string | undefined;
    let fromNamespace: string | undefined;
    let graph: string | undefined;
    let title: string | undefined;
    let json = false;
    let force = false;
    let coverage = false;
    let failUnder: number | undefined;
    let rollout: string | undefined;
    let step: number | undefined;
    let quiet = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const value = () => {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value.`);
        return v;
      };
      switch (a) {
        case '--host': host = value(); break;
        case '--path': reqPath = value(); break;
        case '--method': method = value(); break;
        case '--header': {
          const [k, v] = pair(value(), ':', a);
          if (!HEADER_NAME.test(k)) throw new UsageError(`--header: ${JSON.stringify(k)} is not a header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces). Write name:value, for example x-canary:true.`);
          headers[k] = v;
          break;
        }
        case '--query': { const [k, v] = pair(value(), '=', a); query[k] = v; break; }
        case '--port': {
          const v = value();
          port = Number(v);
          if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port: expected a port number, received ${JSON.stringify(v)}.`);
          break;
        }
        case '--scheme': {
          const v = value();
          if (v !== 'http' && v !== 'https') throw new UsageError(`--scheme: expected http or https, received ${JSON.stringify(v)}.`);
          scheme = v;
          break;
        }
        case '--sni': sni = value(); break;
        case '--gateway': gateway = value(); break;
        case '--jwt': {
          const v = value();
          jwt = v === 'invalid' ? { valid: false } : { ...jwt, issuer: v };
          break;
        }
        case '--jwt-subject': jwt = { ...jwt, subject: value() }; break;
        case '--source-ip': {
          const v = value();
          if (isIP(v) === 0) throw new UsageError(`--source-ip: expected an IPv4 or IPv6 address, received ${JSON.stringify(v)}.`);
          sourceIp = v;
          break;
        }
        case '--from-namespace': fromNamespace = value(); break;
        case '--from-label': { const [k, v] = pair(value(), '=', a); fromLabels[k] = v; break; }
        case '--check': tables.push(value()); break;
        case '--graph': graph = value(); break;
        case '--title': title = value(); break;
        case '--rollout': {
          const v = value();
          if (!/^[^/\s]+\/[^/\s]+$/.test(v)) throw new UsageError(`--rollout: expected the Rollout as namespace/name, received ${JSON.stringify(v)}.`);
          rollout = v;
          break;
        }
        case '--step': {
          const v = value();
          if (!/^\d+$/.test(v)) throw new UsageError(`--step: expected a step number from 0 (the Rollout's status.currentStepIndex), received ${JSON.stringify(v)}.`);
          step = Number(v);
          break;
        }
        case '--json': json = true; break;
        case '--coverage': coverage = true; break;
        case '--fail-under': {
          const v = value();
          failUnder = Number(v);
          if (!/^\d+(\.\d+)?$/.test(v) || failUnder > 100) throw new UsageError(`--fail-under: expected a percentage from 0 to 100, received ${JSON.stringify(v)}.`);
          coverage = true;
          break;
        }
        case '--force': force = true; break;
        case '--quiet': case '-q': quiet = true; break;
        default:
          if (a.startsWith('--')) throw new UsageError(`Unknown option ${a}.`);
          paths.push(a);
      }
    }
    if (paths.length === 0) throw new UsageError('Give the manifests: files or folders of YAML.');
    if (!host && tables.length === 0 && !graph) throw new UsageError('Give --host (a request), --check (request tables) or --graph (the picture).');
    if (coverage && tables.length === 0) throw new UsageError('--coverage and --fail-under measure request tables: give --check table.yaml.');
    if (Object.keys(fromLabels).length && !fromNamespace) throw new UsageError('--from-label needs --from-namespace.');
    if ((rollout === undefined) !== (step === undefined)) throw new UsageError(rollout === undefined ? '--step needs --rollout ns/name.' : '--rollout needs --step N.');
    if (rollout !== undefined && !host && !graph) throw new UsageError('--rollout and --step apply to a request (--host) or the picture (--graph); request table rows name their own rollout and step.');
    if (graph !== undefined && !/\.(svg|md|dot)$/.test(graph)) throw new UsageError(`--graph: expected a file ending in .svg, .md or .dot, received ${JSON.stringify(graph)}.`);
    if (graph !== undefined && existsSync(graph) && !force) throw new UsageError(`--graph: ${graph} exists; explain does not overwrite it. Give another file, or add --force to replace it.`);
    // Graphviz loads in its worker thread while the manifests are read.
    if (graph?.endsWith('.svg')) prepareLayout();
    const input = await readExplainInput(paths);
    for (const w of input.warnings) out.stderr(`explain: ${w}\n`);
    const loaded = LoadedEdge.load(input.objects);
    const edge = rollout !== undefined && step !== undefined ? loaded.atRolloutStep(rollout, step) : loaded;
    let status = 0;
    if (graph) {
      const g = edge.graph({ title: title ?? `Edge: ${paths.join(', ')}${edge.rolloutStep ? ` (${edge.rolloutStep.rollout} at step ${edge.rolloutStep.step})` : ''}` });
      const text = graph.endsWith('.svg') ? await renderSvg(g) : graph.endsWith('.md') ? toMermaidMarkdown(g) : toDot(g);
      try {
        writeFilesAtomically(path.dirname(graph), [{ path: path.basename(graph), content: text }]);
      } catch (e) {
        throw new UnreadableInputError(e instanceof PathError ? e.message : `cannot write ${graph} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose a file in a folder you can write.`);
      }
      if (!quiet) out.stderr(`Wrote ${graph} (${g.nodes.length} nodes, ${g.links.length} links).\n`);
    }
    if (host) {
      const request: ExplainRequest = {
        host, path: reqPath, method, headers, query, port, scheme, sni, gateway, jwt, sourceIp,
        ...(fromNamespace ? { source: { namespace: fromNamespace, labels: fromLabels } } : {}),
      };
      const e = edge.explain(request);
      out.stdout(json ? `${JSON.stringify(explanationJson(e), null, 2)}\n` : `${formatExplanation(e)}\n`);
    }
    const all: RequestCaseResult[] = [];
    const jsonTables: Record<string, unknown>[] = [];
    for (const table of tables) {
      let tableText: string;
      try {
        tableText = readFileSync(table, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UnreadableInputError(`Cannot read the request table "${table}": ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message}.`);
      }
      const results = loaded.checkTable(parseRequestTable(tableText, table));
      all.push(...results);
      const tableJson = { table, results: results.map((r) => ({ name: r.name, passed: r.passed, failures: r.failures, explanation: explanationJson(r.explanation) })) };
      // With --coverage, --json prints one document holding the tables and the coverage.
      if (json && coverage) jsonTables.push(tableJson);
      else if (json) out.stdout(`${JSON.stringify(tableJson, null, 2)}\n`);
      else {
        const failed = results.filter((r) => !r.passed);
        // formatTableResults ends with the count line; --quiet lists only the failures above it.
        const rows = formatTableResults(quiet ? failed : results).split('\n').slice(0, -1);
        out.stdout(`${table}:\n${[...rows, `${results.length - failed.length} passed, ${failed.length} failed`].join('\n')}\n`);
      }
      if (results.some((r) => !r.passed)) status = 1;
    }
    if (coverage) {
      const report = loaded.coverage(all);
      const below = failUnder !== undefined && report.total.percent < failUnder;
      if (json) out.stdout(`${JSON.stringify({ tables: jsonTables, coverage: { ...report, failUnder: failUnder ?? null, passed: !below } }, null, 2)}\n`);
      else out.stdout(`${formatCoverage(report, { missingOnly: quiet })}\n`);
      if (below) {
        out.stderr(`explain: coverage ${formatPercent(report.total.percent)} is below --fail-under ${failUnder}%: add rows that exercise the items marked MISSING.\n`);
        status = 1;
      }
    }
    return status;
  } catch (e) {
    out.stderr(`explain: ${e instanceof Error ? e.message : String(e)}${e instanceof UsageError ? `\n${EXPLAIN_USAGE}` : ''}\n`);
    return 2;
  }
}
