#!/usr/bin/env node
/**
 * The `istio-aks-edge` command: `init`, `analyze`, `plan`. Each command's module is loaded only
 * when it runs (`init` and `analyze` never load Pulumi).
 */

/** A command of the tool. */
interface Command {
  readonly summary: string;
  readonly run: (args: readonly string[]) => number | Promise<number>;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading keeps Pulumi out of init and analyze */
const COMMANDS: Record<string, Command> = {
  init: { summary: 'scaffold a project (edge, synth entry, Pulumi program, tests)', run: (a) => (require('./init') as typeof import('./init')).initCommand(a) },
  analyze: { summary: 'validate and analyze manifests (files or folders)', run: (a) => (require('./analyze') as typeof import('./analyze')).analyzeCommand(a) },
  plan: { summary: 'run the Pulumi program of a stack under mocks: what pulumi up would create', run: (a) => (require('./plan') as typeof import('./plan')).planCommand(a) },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The tool's help text. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return ['Usage: istio-aks-edge <command> [options]   (istio-aks-edge <command> --help for its options)', '', 'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** Runs the tool with `argv` (without node and the script); returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
