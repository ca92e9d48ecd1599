/**
 * The script `init` gives a project for pull-request review (`npm run diff:review`, diff-review.ts):
 * the edge synthesized from the working tree against the edge synthesized from a git revision,
 * diffed by what it does to requests (istio-aks-edge's semantic diff), written as Markdown for a
 * pull-request comment. Kept apart from init.ts so that the scaffold's other templates stay as they are.
 */

/** The npm script that runs it. */
export const DIFF_REVIEW_SCRIPT = 'node --import tsx diff-review.ts';

/** diff-review.ts, as the project gets it. */
export const DIFF_REVIEW_TS = `// \`npm run diff:review [-- --rev <git revision>] [--out <file.md>] [--exit-code]\`: what a change does
// to traffic. Synthesizes the edge of the working tree and the edge of a git revision (HEAD, the last
// commit, unless --rev names another: a pull request's base, origin/main), each with its own main.ts,
// and writes, for every environment, which requests now get another outcome (decision, destinations
// and weights, redirects, rewrites, policies, rate limits), with an example request each, as Markdown
// for a pull-request comment (istio-aks-edge's semantic diff: diffEdges, formatDiffMarkdown).
// The revision is taken with \`git archive\` into a temporary folder (the working tree and the index
// are left alone) and synthesized with this project's node_modules: both sides use the same
// installed packages, so the comment shows what the change of the edge does.
// Exit status: 0 (1 with --exit-code when some request's outcome changes), 2 on an error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readManifests } from 'istio-aks-edge/analysis';
import { diffEdges, formatDiffMarkdown } from 'istio-aks-edge/explain';

const USAGE = 'Usage: npm run diff:review -- [--rev <git revision>] [--out <file.md>] [--exit-code]';

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error([command, ...args].join(' ') + ' failed:\\n' + (r.stderr || r.stdout || String(r.error)).trim());
  return r.stdout;
}

/** The environments a synth wrote (its folders). */
function environmentsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((e) => statSync(path.join(dir, e)).isDirectory()) : [];
}

async function main(argv: string[]): Promise<number> {
  let rev = 'HEAD';
  let out = 'diff-review.md';
  let exitCode = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--exit-code') exitCode = true;
    else if ((a === '--rev' || a === '--out') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) {
      if (a === '--rev') rev = argv[++i];
      else out = argv[++i];
    } else throw new Error((a === '--rev' || a === '--out' ? a + ' needs a value.' : 'Unknown argument ' + a + '.') + '\\n' + USAGE);
  }
  const project = process.cwd();
  const top = run('git', ['rev-parse', '--show-toplevel'], project).trim();
  const prefix = run('git', ['rev-parse', '--show-prefix'], project).trim(); // the project's folder in the repository
  const found = spawnSync('git', ['rev-parse', '--verify', '--quiet', rev + '^{commit}'], { cwd: project, encoding: 'utf8' });
  if (found.status !== 0) throw new Error('"' + rev + '" is not a commit of this repository (a shallow clone has only the last one: fetch the history, for example actions/checkout with fetch-depth: 0).');
  const commit = found.stdout.trim();
  const label = rev + ' (' + commit.slice(0, 12) + ')';
  const tmp = mkdtempSync(path.join(tmpdir(), 'diff-review-'));
  try {
    // Each side's own synth entry (main.ts) writes its manifests under tmp: revision/<env>, working-tree/<env>.
    // (--output for the synth entry init writes now, CDK8S_OUTDIR for an older main.ts that reads only it).
    const synth = (dir: string, side: string) => run(process.execPath, ['--import', 'tsx', 'main.ts', '--output', path.join(tmp, side)], dir, { ...process.env, CDK8S_OUTDIR: path.join(tmp, side) });
    const checkout = path.join(tmp, 'checkout');
    mkdirSync(checkout);
    const tar = path.join(tmp, 'revision.tar');
    run('git', ['archive', '--format=tar', '-o', tar, commit, ...(prefix ? ['--', prefix] : [])], top);
    run('tar', ['-xf', tar, '-C', checkout], tmp);
    const old = path.join(checkout, prefix);
    if (existsSync(path.join(old, 'main.ts'))) {
      symlinkSync(path.join(project, 'node_modules'), path.join(old, 'node_modules'), 'dir');
      synth(old, 'revision');
    }
    synth(project, 'working-tree');
    // Read with paths relative to tmp, so that the comment names revision/<env>/... and working-tree/<env>/...
    process.chdir(tmp);
    const sections: string[] = [];
    let changed = false;
    const environments = [...new Set([...environmentsIn('revision'), ...environmentsIn('working-tree')])].sort();
    for (const env of environments) {
      const before = path.join('revision', env);
      const after = path.join('working-tree', env);
      if (!existsSync(before) || !existsSync(after)) {
        changed = true;
        sections.push('### Environment ' + env + '\\n\\n' + (existsSync(after) ? 'A new environment: not in ' + label + '.' : 'Removed: the working tree no longer synthesizes it.'));
        continue;
      }
      const [a, b] = [await readManifests([before]), await readManifests([after])];
      const d = diffEdges(a.objects, b.objects, { oldLocations: a.locations, newLocations: b.locations });
      changed = changed || d.changed;
      sections.push('### Environment ' + env + '\\n\\n' + formatDiffMarkdown(d));
    }
    const markdown = ['## What this change does to traffic', '',
      'The edge synthesized from the working tree against ' + label + ', per environment (\`npm run diff:review\`).', '',
      ...(sections.length ? sections : ['No environment was synthesized.']), ''].join('\\n');
    process.chdir(project);
    writeFileSync(out, markdown);
    console.log('Wrote ' + out + ': ' + (changed ? 'routing changes' : 'no routing change') + ' against ' + label + ' in ' + environments.length + ' environment(s).');
    return exitCode && changed ? 1 : 0;
  } finally {
    process.chdir(project);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error('diff:review: ' + (e instanceof Error ? e.message : String(e)));
  process.exitCode = 2;
});
`;
