/**
 * The command-line tool: `istio-aks-edge <command> [arguments]`. Each command lives in its own
 * file of lib/cli/ and is registered in {@link COMMANDS}.
 */
import { ANALYZE_USAGE, CommandIo, PROCESS_IO, runAnalyze } from './analyze';
import { EXPLAIN_USAGE, runExplainCli } from './explain';

/** A command of the tool. */
export interface Command {
  /** One line for the list of commands. */
  readonly summary: string;
  /** Its usage text. */
  readonly usage: string;
  /** Runs it; resolves to the exit status. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** The commands, by name (explain, plan and init join here). */
export const COMMANDS: Readonly<Record<string, Command>> = {
  analyze: { summary: 'validate and analyze manifests (istioctl analyze, offline)', usage: ANALYZE_USAGE, run: runAnalyze },
  explain: { summary: 'where a request goes: gateway server, route, destinations, policies; request tables; the edge picture', usage: EXPLAIN_USAGE, run: (argv, io) => runExplainCli(argv, io) },
};

/** The tool's usage text. */
export function mainUsage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: istio-aks-edge <command> [arguments]\n\nCommands:\n${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`).join('\n')}\n\nRun "istio-aks-edge <command> --help" for a command's options.`;
}

/** Dispatches to a command; returns the exit status (2 for an unknown command). */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io[name === undefined ? 'stderr' : 'stdout'](`${mainUsage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${mainUsage()}\n`);
    return 2;
  }
  return command.run(rest, io);
}

/** Runs {@link main} as the process, setting its exit status; an unexpected error exits 2 with its message. */
export function runMain(argv: readonly string[], run: (argv: readonly string[], io: CommandIo) => Promise<number> = main): void {
  run(argv, PROCESS_IO).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
