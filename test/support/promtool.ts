import { spawnSync } from 'node:child_process';

/** Runs promtool (Debian's `prometheus` package; `.ci/run` installs it). */
export function promtool(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): install it with "apt-get install prometheus" (.ci/run does).`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
