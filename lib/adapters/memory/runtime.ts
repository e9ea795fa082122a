/**
 * The application over the memory adapters: the same use cases the Lambdas run (the
 * transition protocol, the effect dispatcher, the API's services, the timers handler),
 * composed as lib/adapters/wiring.ts composes them over DynamoDB and SQS. Nothing runs by
 * itself: whoever owns the runtime consumes `commands` (each command through
 * `handleCommand`, lib/app/batch.ts) and hands due `timers` to `forwardTimer`
 * (lib/app/timers.ts). The test harness (lib/testing) does it when asked, in simulated
 * time; `npm start -- --in-memory` (lib/local/memory.ts) does it as things arrive.
 */
import { CachedDecisions } from '../../app/decisions.ts';
import { CachedDefinitions } from '../../app/definitions.ts';
import { EffectDispatcher } from '../../app/effects.ts';
import type { ServiceDeps } from '../../app/service/deps.ts';
import type { TimerDeps } from '../../app/timers.ts';
import type { TransitionDeps } from '../../app/transition.ts';
import type { Clock, Logger } from '../../ports.ts';
import { MemoryCommandBus } from './commands.ts';
import { MemoryDeadCommandStore, MemoryDeadLetterSource } from './dead-commands.ts';
import { MemoryDeadLetters } from './dead-letters.ts';
import { MemoryDefinitionStore } from './definitions.ts';
import { MemoryEventBus } from './events.ts';
import { MemoryIndexStore } from './indexes.ts';
import { MemoryInstanceStore } from './instances.ts';
import { MemoryTimerStartRegistry } from './start-registry.ts';
import { MemoryTimerQueue } from './timers.ts';

export interface MemoryRuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Publish instance and task lifecycle events on the event bus (as PUBLISH_LIFECYCLE=true). */
  publishLifecycle?: boolean;
  /** Waits between attempts of a contended transition (default: real time; the test harness waits for nothing). */
  sleep?: (ms: number) => Promise<void>;
}

export interface MemoryRuntime {
  instances: MemoryInstanceStore;
  definitions: MemoryDefinitionStore;
  decisions: MemoryDefinitionStore;
  index: MemoryIndexStore;
  commands: MemoryCommandBus;
  /** Every timer waits here until due (it can be canceled: no separate durable schedule is needed). */
  timers: MemoryTimerQueue;
  timerStarts: MemoryTimerStartRegistry;
  events: MemoryEventBus;
  deadLetters: MemoryDeadLetters;
  deadCommands: MemoryDeadCommandStore;
  deadCommandSource: MemoryDeadLetterSource;
  resolver: CachedDefinitions;
  /** For `handleCommand` / `applyCommand`. */
  transition: TransitionDeps;
  /** For the API's use cases (lib/app/service, lib/http). */
  service: ServiceDeps;
  /** For `forwardTimer`. */
  timerDeps: TimerDeps;
  clock: Clock;
  logger: Logger;
}

/** A logger that keeps nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function createMemoryRuntime(options: MemoryRuntimeOptions = {}): MemoryRuntime {
  const clock = options.clock ?? { now: () => Date.now() };
  const logger = options.logger ?? silentLogger;
  const instances = new MemoryInstanceStore();
  const definitions = new MemoryDefinitionStore();
  const decisions = new MemoryDefinitionStore();
  const index = new MemoryIndexStore();
  const commands = new MemoryCommandBus({ clock });
  const timers = new MemoryTimerQueue();
  const timerStarts = new MemoryTimerStartRegistry();
  const events = new MemoryEventBus();
  const deadCommands = new MemoryDeadCommandStore();
  const resolver = new CachedDefinitions(definitions);
  const cachedDecisions = new CachedDecisions(decisions);
  const effects = new EffectDispatcher({
    index, timers, durableTimers: null, events, commands, clock, logger, starts: { definitions, resolver },
    decisions: cachedDecisions, deadCommands, publishLifecycle: options.publishLifecycle ?? false,
  });
  const transition: TransitionDeps = { instances, definitions: resolver, effects, commands, clock, logger, ...(options.sleep ? { sleep: options.sleep } : {}) };
  const service: ServiceDeps = {
    instances, definitions, decisions: cachedDecisions, resolver, index, deadCommands, commands, clock, logger,
    timerStarts: { timers, durableTimers: null, timerStarts },
  };
  const timerDeps: TimerDeps = { timers, durableTimers: null, commands, clock, logger, timerStarts };
  return {
    instances, definitions, decisions, index, commands, timers, timerStarts, events, deadLetters: new MemoryDeadLetters(), deadCommands,
    deadCommandSource: new MemoryDeadLetterSource(), resolver, transition, service, timerDeps, clock, logger,
  };
}
