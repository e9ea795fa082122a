/**
 * What every API command shares: `--url` (env SBPMN_URL, default http://localhost:3000),
 * `--token` (env SBPMN_TOKEN), `--json`; one client; and one way to end:
 *
 *   success                        -> output on stdout, exit 0
 *   the API refused it (4xx/5xx)   -> `error: <message> (<status> <code>)` + details on stderr, exit 1
 *   no answer from the API         -> `error: cannot reach <url>: is 'npm start' running?`, exit 3
 *   bad --url, bad arguments       -> usage error, exit 2
 *
 * With `--json`, stdout holds only the JSON the API answered (errors stay on stderr).
 */
import { Command, Option } from 'commander';
import { ApiClient } from '../worker/client.ts';
import { ApiError, ApiUnreachableError, ClientError } from '../worker/errors.ts';
import type { ErrorDetail } from '../worker/types.ts';
import { EXIT, type CliContext } from './context.ts';
import { inert } from './output.ts';
import { spin } from './spinner.ts';

export const DEFAULT_URL = 'http://localhost:3000';

export interface RemoteOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** An API subcommand with the shared options. */
export function apiCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .addOption(new Option('--url <url>', `the API (env SBPMN_URL, default ${DEFAULT_URL})`))
    .addOption(new Option('--token <token>', 'a bearer token (env SBPMN_TOKEN)'))
    .option('--json', 'print only the JSON answer on stdout');
}

/** `--wait <ms>` for command endpoints (`?wait=<ms>`). */
export const waitOption = (): Option => new Option('--wait <ms>', 'how long the server may wait for the command to apply (else: 202 accepted)');

/** Prints a usage error the way commander does and exits 2 (through commander's exitOverride). */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT.usage, code: 'sbpmn.usage' });
}

function detailRow(detail: ErrorDetail): string {
  const where = [detail.line == null ? null : `line ${detail.line}`, detail.elementId ? inert(String(detail.elementId), 40) : null].filter(Boolean);
  return `  ${where.length > 0 ? `${where.join('  ')}  ` : '- '}${inert(String(detail.message ?? ''))}`;
}

/** The one-line report of an API error, with its details below it. */
export function describeApiError(error: ApiError, prefix = ''): string {
  const lines = [`error: ${prefix}${inert(error.message)} (${error.status} ${inert(error.code, 60)})`];
  for (const detail of error.details.slice(0, 50)) lines.push(detailRow(detail));
  if (error.details.length > 50) lines.push(`  … ${error.details.length - 50} more`);
  return `${lines.join('\n')}\n`;
}

export function describeUnreachable(error: ApiUnreachableError): string {
  const url = inert(error.url, 200);
  if (error.reason.startsWith('no answer')) return `error: cannot reach ${url}: ${inert(error.reason)}\n`;
  return `error: cannot reach ${url}: is 'npm start' running? (${inert(error.reason, 100)})\n`;
}

/** The client for a command: `--url`/`--token`, else SBPMN_URL/SBPMN_TOKEN, else localhost. A bad URL is a usage error. */
export function clientFor(ctx: CliContext, command: Command, options: RemoteOptions): ApiClient {
  const url = options.url ?? (ctx.env?.['SBPMN_URL'] || DEFAULT_URL);
  const token = options.token ?? (ctx.env?.['SBPMN_TOKEN'] || undefined);
  try {
    return new ApiClient({ url, ...(token ? { token } : {}) });
  } catch (error) {
    if (error instanceof ClientError) usageError(command, `--url: ${error.message}`);
    throw error;
  }
}

/** Reports an API failure on stderr and records its exit code; false when `error` is not one (a bug: rethrow it). */
export function reportFailure(ctx: CliContext, error: unknown, prefix = ''): boolean {
  if (error instanceof ApiUnreachableError) {
    ctx.err(describeUnreachable(error));
    ctx.exit(EXIT.unreachable);
    return true;
  }
  if (error instanceof ApiError) {
    ctx.err(describeApiError(error, prefix));
    ctx.exit(EXIT.failed);
    return true;
  }
  return false;
}

/**
 * Runs one API call for a command with a spinner while it waits, then renders its
 * answer (after the spinner is gone, so the two never share a line). Failures become
 * the exit codes above.
 *
 * @example await withApi(ctx, command, options, `loading ${id}`, (c) => c.getInstance(id), (i) => ctx.out(render(i)));
 */
export async function withApi<T>(
  ctx: CliContext,
  command: Command,
  options: RemoteOptions,
  label: string,
  call: (client: ApiClient) => Promise<T>,
  render: (answer: T) => void,
): Promise<void> {
  const client = clientFor(ctx, command, options);
  let answer: T;
  try {
    answer = await spin(ctx, label, () => call(client));
  } catch (error) {
    if (reportFailure(ctx, error)) return;
    throw error;
  }
  render(answer);
}

/** `--json` output: the API's answer, pretty-printed. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
