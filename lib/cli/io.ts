/** Where a command of the tool writes: standard output and standard error, or a test's buffers. */
export interface CommandIo {
  /** Writes to standard output (the text carries its own line ends). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (the text carries its own line ends). */
  readonly stderr: (text: string) => void;
}

/** The process's stdout and stderr. */
export const PROCESS_IO: CommandIo = {
  stdout: (t) => { process.stdout.write(t); },
  stderr: (t) => { process.stderr.write(t); },
};

/** A wrong command line: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}
