#!/usr/bin/env node
/**
 * The command-line tool: `istio-aks-edge <command> [arguments]`. Each command lives in its own
 * file of lib/cli/ and is registered in {@link COMMANDS}; its module is loaded only when it runs
 * (`init`, `analyze` and `explain` never load Pulumi).
 */
import * as module_ from 'node:module';
import * as path from 'node:path';
import { CommandIo, PROCESS_IO, UsageError } from './io';
import { enableCodeCache } from '../private/code-cache';

/** A command of the tool. */
export interface Command {
  /** One line for the list of commands. */
  readonly summary: string;
  /** Runs it (`--help` included); resolves to the exit status. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** The commands, by name; each module is imported when its command runs. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  init: {
    summary: 'scaffold a project: an edge, its synth entry, its Pulumi program, tests',
    run: async (argv, io) => (await import('./init.js')).runInit(argv, io),
  },
  analyze: {
    summary: 'validate and analyze manifests (istioctl analyze, offline)',
    run: async (argv, io) => (await import('./analyze.js')).runAnalyze(argv, io),
  },
  explain: {
    summary: 'where a request goes: gateway server, route, destinations, policies; request tables; the edge picture',
    run: async (argv, io) => (await import('./explain.js')).runExplainCli(argv, io),
  },
  diff: {
    summary: 'which requests get another outcome between two edges (routing, policies, limits); exit 1 on a change',
    run: async (argv, io) => (await import('./diff.js')).runDiffCli(argv, io),
  },
  'gateway-api': {
    summary: 'convert an edge\'s manifests to the Kubernetes Gateway API form, validated and analyzed',
    run: async (argv, io) => (await import('./gateway-api.js')).runGatewayApi(argv, io),
  },
  plan: {
    summary: 'run a Pulumi project\'s program for a stack under mocks: what pulumi up would create',
    run: async (argv, io) => (await import('./plan.js')).runPlan(argv, io),
  },
};

/** The tool's usage text. */
export function mainUsage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: istio-aks-edge <command> [arguments]\n\nCommands:\n${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`).join('\n')}\n\nRun "istio-aks-edge <command> --help" for a command's options.`;
}

/**
 * Dispatches to a command; returns the exit status (2 for an unknown command or a usage error).
 * A command's {@link UsageError} is printed with the command's name; other errors propagate.
 */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io[name === undefined ? 'stderr' : 'stdout'](`${mainUsage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${mainUsage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${name}: ${e.message}\n`);
    return 2;
  }
}

/** Runs {@link main} as the process, setting its exit status; an unexpected error exits 2 with its message. */
export function runMain(argv: readonly string[], run: (argv: readonly string[], io: CommandIo) => Promise<number> = main): void {
  run(argv, PROCESS_IO).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}

if (require.main === module) {
  // As the package's bin: Node's compile cache on (Node 22.1+; in the system's temporary folder,
  // $NODE_COMPILE_CACHE to move it, NODE_DISABLE_COMPILE_CACHE=1 to turn it off) before the command's
  // modules load, so that later runs skip most of their parsing and compiling (the repository's
  // scripts/*.cjs do the same). Only this module and ./io are compiled without it. Beside it, V8's
  // code cache of the package's modules taken after the run, functions included, one per command
  // (../private/code-cache.ts).
  module_.enableCompileCache?.();
  const command = process.argv[2];
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) enableCodeCache({ root: path.join(__dirname, '..', '..'), name: command });
  runMain(process.argv.slice(2));
}
