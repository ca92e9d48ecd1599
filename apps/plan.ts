// `npm run plan -- <stack> [--json] [--preview]`: the package's `plan` command (lib/cli/plan.ts) on
// this repository's Pulumi project (Pulumi.yaml → apps/pulumi.ts): the program under Pulumi's
// mocks with the stack's committed configuration. No cloud, no Pulumi CLI.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { main, runMain } from '../lib/cli/main';
import { Plan, plan as projectPlan, stackConfig as projectStackConfig } from '../lib/cli/plan';

// The repository (Pulumi.yaml's folder): apps/.. here, build/apps/../.. when compiled (the bench runs build/).
const ROOT = [path.join(__dirname, '..'), path.join(__dirname, '..', '..')].find((d) => existsSync(path.join(d, 'Pulumi.yaml'))) ?? path.join(__dirname, '..');

/** Runs the example's program for one of its stacks (dev, prod) under mocks. */
export function plan(stack: string, options: { preview?: boolean } = {}): Promise<Plan> {
  return projectPlan(stack, { root: ROOT, preview: options.preview });
}
export type { PlanRow } from '../lib/cli/plan';

/** The configuration of one of the example's stacks (dev, prod). */
export function stackConfig(stack: string): Record<string, string> {
  return projectStackConfig(stack, ROOT);
}

if (require.main === module) runMain(['plan', ...process.argv.slice(2), '--dir', ROOT], main);
