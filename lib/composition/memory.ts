/**
 * The application over the memory adapters: the same use cases the Lambdas run (the
 * transition protocol, the effect dispatcher, the API's services, the timers handler),
 * composed by the same root (application.ts) as over DynamoDB and SQS. Nothing runs by
 * itself: whoever owns the runtime consumes `commands` (each command through
 * `handleCommand`, lib/app/batch.ts) and hands due `timers` to `forwardTimer`
 * (lib/app/timers.ts). The test harness (lib/testing) does it when asked, in simulated
 * time; `npm start -- --in-memory` (lib/local/memory.ts) does it as things arrive.
 */
import { createMemoryAdapters, type MemoryAdapters } from '../adapters/memory/runtime.ts';
import type { Clock, Logger } from '../ports.ts';
import { composeApplication, type AppOptions, type Application } from './application.ts';

export interface MemoryRuntimeOptions extends AppOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface MemoryRuntime extends MemoryAdapters, Application {
  clock: Clock;
  logger: Logger;
}

/** A logger that keeps nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function createMemoryRuntime(options: MemoryRuntimeOptions = {}): MemoryRuntime {
  const { clock = { now: () => Date.now() }, logger = silentLogger, ...appOptions } = options;
  const adapters = createMemoryAdapters(clock);
  return { ...adapters, clock, logger, ...composeApplication({ ...adapters, clock, logger }, appOptions) };
}
