/**
 * What every subcommand gets: where to write, and how to report its exit code.
 * Commands never touch `process` directly (not even process.env), so they run the
 * same in tests.
 */

/** The exit codes of `sbpmn`, shared by every subcommand. */
export const EXIT = {
  /** Everything succeeded (every file is valid). */
  ok: 0,
  /** The command ran but found problems (some file is invalid), the API refused it (4xx/5xx), or an internal error. */
  failed: 1,
  /** Usage error: unknown command or option, missing argument. */
  usage: 2,
  /** The API server did not answer (refused, unknown host, timeout). */
  unreachable: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliContext {
  /** Writes to stdout (the text carries its own newlines). */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Records the exit code of the command that ran. */
  exit(code: ExitCode): void;
  /** The environment (SBPMN_URL, SBPMN_TOKEN); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: show a spinner while waiting for the API. */
  interactive?: boolean;
}
