// `npm run plan -- <stack> [--json]`: the package's `plan` command on this repository's Pulumi
// project (Pulumi.yaml → apps/pulumi.ts): the program under Pulumi's mocks with the stack's
// committed configuration. No cloud, no Pulumi CLI.
import * as path from 'node:path';
import { plan as projectPlan, planCommand, stackConfig as projectStackConfig } from '../lib/cli/plan';

const ROOT = path.join(__dirname, '..');

/** Runs the example's program for one of its stacks under mocks (see lib/cli/plan.ts). */
export function plan(stack: string): ReturnType<typeof projectPlan> {
  return projectPlan(stack, ROOT);
}
export type { PlanRow } from '../lib/cli/plan';

/** The configuration of one of the example's stacks (dev, prod). */
export function stackConfig(stack: string): Record<string, string> {
  return projectStackConfig(stack, ROOT);
}

if (require.main === module) {
  planCommand(process.argv.slice(2), ROOT).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
