/**
 * The `sbpmn` program: commander wiring shared by every subcommand. Each subcommand
 * lives in its own module and registers itself here: `validate` works offline; the
 * others talk to the HTTP API (see remote.ts for --url, --token, --json).
 *
 * Exit codes: 0 success, 1 the command found problems or the API refused it,
 * 2 usage error, 3 the API did not answer.
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT, type CliContext, type ExitCode } from './context.ts';
import { registerDlq } from './dlq.ts';
import { registerDeploy } from './deploy.ts';
import { registerInstances } from './instances.ts';
import { registerValidate } from './validate.ts';
import { registerWork } from './work.ts';

/** Registration functions of the subcommands, in help order. */
const COMMANDS: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [registerValidate, registerDeploy, registerInstances, registerWork, registerDlq];

export function createProgram(ctx: CliContext): Command {
  const program = new Command('sbpmn')
    .description('serverless-bpmn command line')
    .version(pkg.version)
    // Settings before .command(): subcommands inherit them.
    .configureOutput({ writeOut: (text) => ctx.out(text), writeErr: (text) => ctx.err(text) })
    .exitOverride()
    // Program options only before the subcommand: `start --version 2` is the definition's version.
    .enablePositionalOptions()
    .showHelpAfterError('(run sbpmn --help for usage)');
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/**
 * Help and version are successes; every other commander error is a usage error,
 * including help shown because no command was given (commander's exit code 1).
 */
function exitCodeOf(error: CommanderError): ExitCode {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}

/**
 * Runs `sbpmn` on the given arguments (without node and script) and resolves to its
 * exit code. Unexpected exceptions propagate: the entry point reports them.
 *
 * @example await runCli(['validate', '--json', 'order.bpmn'], ctx) // 0 when valid
 */
export async function runCli(argv: readonly string[], io: Omit<CliContext, 'exit'>): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const ctx: CliContext = { ...io, exit: (c) => { code = c; } };
  try {
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOf(error);
    throw error;
  }
  return code;
}
