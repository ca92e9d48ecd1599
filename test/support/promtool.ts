import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/** Whether promtool (Debian's `prometheus` package; `.ci/run` installs it) is on PATH. */
export const PROMTOOL_AVAILABLE = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).error === undefined;

/** Why promtool tests are skipped where it is absent. */
export const PROMTOOL_SKIP_REASON = 'promtool is not on PATH (install it with "apt-get install prometheus"; .ci/run does, and under CI=true its absence fails these tests)';

/**
 * A test that needs promtool: runs where it is present; where it is absent, skipped with its name
 * and the reason printed, except under CI (CI=true), where it runs and fails.
 */
export function itWithPromtool(name: string, fn: () => void | Promise<void>, timeout?: number): void {
  if (!PROMTOOL_AVAILABLE && process.env.CI !== 'true') {
    console.warn(`SKIPPED "${name}": ${PROMTOOL_SKIP_REASON}`);
    it.skip(name, fn, timeout);
    return;
  }
  it(name, fn, timeout);
}

/** Runs promtool. */
export function promtool(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): install it with "apt-get install prometheus" (.ci/run does).`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
