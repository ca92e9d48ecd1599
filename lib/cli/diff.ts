/**
 * `diff`: which requests get another outcome between two edges (files or folders of manifests, in
 * either form), without a cluster.
 *
 *   diff <old> <new> [--json | --markdown | --sarif]
 *
 * Exit status, as `git diff --exit-code`: 0 when no request's outcome changes, 1 when some does
 * (or may: a class the manifests do not decide), 2 on a usage or input error.
 */
import { formatLocation, readManifests, ReadResult, UnreadableInputError } from '../model/read-manifests';
import { CommandIo, PROCESS_IO, UsageError } from './io';
import { diffEdges, diffSarif, formatDiff, formatDiffMarkdown } from '../explain';

/** The usage line of the command. */
export const DIFF_USAGE = 'Usage: istio-aks-edge diff <old files or folder> <new files or folder> [--json | --markdown | --sarif]';

const HELP = `${DIFF_USAGE}

Compares two edges (manifests in the Istio form or the Gateway API form) by what they do to requests:
builds one request for each class of requests the match conditions of either side tell apart (hosts,
ports and schemes of the gateway servers; path boundaries; headers, methods and query parameters; JWT;
sending workloads for mesh routes), explains it on both sides, and reports each class whose outcome
differs (decision, gateway server, destinations and weights, redirect, rewrite, timeout, retries,
mirror, header changes, authorization, JWT requirement, rate limits) with an example request. Objects
that changed without changing any outcome are listed apart.

  (default)    text, grouped by host
  --json       the diff as JSON (schemaVersion 1; see the README's "diff" section)
  --markdown   a pull-request comment
  --sarif      SARIF 2.1.0: each change a result at the objects it comes from

Exit status: 0 no routing change, 1 routing changes, 2 usage or input error.
`;

/** Reads one side: a syntax error or a side without any object is an input error (exit 2). */
async function readSide(path: string, side: string): Promise<{ read: ReadResult; warnings: string[] }> {
  const read = await readManifests([path]);
  const syntax = read.unreadable.filter((u) => u.syntax);
  if (syntax.length) throw new UnreadableInputError(syntax.map((u) => `${formatLocation(u.location)} (line ${u.location.line}): ${u.message}`).join('\n'));
  if (read.objects.length === 0) {
    throw new UnreadableInputError(`No Kubernetes object in the ${side} side, ${path} (${read.files.length} file(s) read${read.files.length ? '' : '; folders are searched for .yaml, .yml and .json files'}): diff compares the manifests of two edges.`);
  }
  return { read, warnings: [...read.warnings, ...read.unreadable.map((u) => `Skipped ${formatLocation(u.location)}: ${u.message}`)] };
}

/** Runs the command; returns the exit status. */
export async function runDiffCli(argv: readonly string[], out: CommandIo = PROCESS_IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.stdout(HELP);
    return 0;
  }
  try {
    const paths: string[] = [];
    let format: 'text' | 'json' | 'markdown' | 'sarif' = 'text';
    for (const a of argv) {
      if (a === '--json' || a === '--markdown' || a === '--sarif') {
        const f = a.slice(2) as 'json' | 'markdown' | 'sarif';
        if (format !== 'text' && format !== f) throw new UsageError(`Give one output format: --${format} and ${a} were both given.`);
        format = f;
      } else if (a.startsWith('--')) throw new UsageError(`Unknown option ${a}.`);
      else paths.push(a);
    }
    if (paths.length !== 2) throw new UsageError(`Give two sides, the old edge and the new one (a file or folder each); received ${paths.length}${paths.length ? `: ${paths.join(', ')}` : ''}.`);
    const [before, after] = [await readSide(paths[0], 'old'), await readSide(paths[1], 'new')];
    for (const w of [...before.warnings, ...after.warnings]) out.stderr(`diff: ${w}\n`);
    const d = diffEdges(before.read.objects, after.read.objects, { oldLocations: before.read.locations, newLocations: after.read.locations });
    const text = format === 'json' ? JSON.stringify(d, null, 2) : format === 'sarif' ? JSON.stringify(diffSarif(d), null, 2) : format === 'markdown' ? formatDiffMarkdown(d) : formatDiff(d);
    out.stdout(`${text}\n`);
    return d.changed ? 1 : 0;
  } catch (e) {
    out.stderr(`diff: ${e instanceof Error ? e.message : String(e)}${e instanceof UsageError ? `\n${DIFF_USAGE}` : ''}\n`);
    return 2;
  }
}
