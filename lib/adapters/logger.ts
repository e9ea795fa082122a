/**
 * The Logger port on Powertools for AWS Lambda's Logger: structured JSON, one line each
 * (CloudWatch's JSON log format reads them as fields), `{ level, message, timestamp,
 * service, ...data }`; in a Lambda invocation wrapped by lib/composition/edge.ts also the
 * request id, function name and cold start flag.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../ports.ts';

/** The `service` field of every line (and the metrics' service dimension). */
export const SERVICE_NAME = 'serverless-bpmn';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

let shared: PowertoolsLogger | null = null;

/** An unknown level name reads as `info`, as before (a typo in LOG_LEVEL never silences a function). */
function levelOf(name: string): Level {
  const lower = name.toLowerCase();
  return (LEVELS as readonly string[]).includes(lower) ? (lower as Level) : 'info';
}

/**
 * The process's logger at LOG_LEVEL: one per Lambda container, the instance the functions'
 * `injectLambdaContext` tags with each invocation's request id.
 */
export function processLogger(): PowertoolsLogger {
  shared ??= new PowertoolsLogger({ serviceName: SERVICE_NAME, logLevel: levelOf(process.env['LOG_LEVEL'] ?? 'info') });
  return shared;
}

/**
 * A Logger at `level` (debug | info | warn | error | silent); without one, the process's
 * logger (LOG_LEVEL, default info).
 *
 * @example jsonLogger('warn').info('not written'); jsonLogger().error('written', { instanceId: 'i-1' })
 */
export function jsonLogger(level?: string): Logger {
  return port(level === undefined ? processLogger() : new PowertoolsLogger({ serviceName: SERVICE_NAME, logLevel: levelOf(level) }));
}

/** The port's `(message, data?)` on Powertools' `(message, ...attributes)`: `data`'s fields become fields of the line. */
function port(logger: PowertoolsLogger): Logger {
  return {
    info: (message, data) => (data ? logger.info(message, data) : logger.info(message)),
    warn: (message, data) => (data ? logger.warn(message, data) : logger.warn(message)),
    error: (message, data) => (data ? logger.error(message, data) : logger.error(message)),
  };
}
