/**
 * Entry point of `sbpmn` (bin/sbpmn.mjs and `npm run sbpmn`). No input may end in a
 * stack trace: anything unexpected is one line, `internal error: <message>`, exit 1.
 */
import { EXIT } from './context.ts';
import { inert } from './output.ts';
import { runCli } from './program.ts';

function internalError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`internal error: ${inert(message.split('\n')[0] ?? '', 500)}\n`);
  process.exitCode = EXIT.failed;
}

// `sbpmn validate *.bpmn | head -1`: a closed pipe is the reader's choice, not an
// error; the command still finishes and exits with its own code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') internalError(error);
});
process.on('uncaughtException', (error) => {
  internalError(error);
  process.exit(EXIT.failed);
});
process.on('unhandledRejection', (error) => {
  internalError(error);
  process.exit(EXIT.failed);
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    interactive: process.stderr.isTTY === true,
  });
} catch (error) {
  internalError(error);
}
