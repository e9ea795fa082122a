/**
 * The composition root: the application built once, over any set of adapters (AWS in
 * aws.ts, memory in memory.ts). Each use case gets the part of the ports it needs, and
 * they share one definition cache, one decision cache and one effect dispatcher:
 *
 *   ports ─► resolver (compiled definitions) ─┬─► effects (the outbox) ─► transition (handleCommand, applyCommand)
 *            decisions (compiled DMN) ────────┘
 *        ─► service (the API's use cases, lib/app/service: lib/http's only dependency)
 *        ─► timerDeps (processTimerBatch, forwardTimer)
 *        ─► eventDeps (processEventBatch; null without an events DLQ)
 *        ─► sweep (sweepDeadCommands; null without a commands DLQ to read)
 *
 * Lambda handlers (functions/), the local runtimes (lib/local) and the test harness
 * (lib/testing) call this; nothing else builds a use case's dependencies.
 */
import { CachedDecisions } from '../app/decisions.ts';
import { CachedDefinitions } from '../app/definitions.ts';
import type { DeadLetterDeps } from '../app/dead-letters.ts';
import { EffectDispatcher } from '../app/effects.ts';
import type { EventDeps } from '../app/events.ts';
import type { ServiceDeps } from '../app/service/deps.ts';
import type { TimerDeps } from '../app/timers.ts';
import type { TransitionDeps } from '../app/transition.ts';
import type { AppPorts, TimerStartRegistry } from '../ports.ts';

export type { AppPorts } from '../ports.ts';

export interface AppOptions {
  /** Publish instance and task lifecycle events on the event bus (env PUBLISH_LIFECYCLE=true). */
  publishLifecycle?: boolean;
  /** How long an event that matches nothing waits for a subscription (env EVENTS_DEFAULT_TTL_MS, default 0). */
  defaultEventTtlMs?: number;
  /** Waits between attempts of a contended transition (default: real time; the test harness waits for nothing). */
  sleep?: (ms: number) => Promise<void>;
}

/** The use cases' dependencies, each built once. */
export interface Application {
  /** Compiled definitions, cached (shared by every use case). */
  resolver: CachedDefinitions;
  /** For `processBatch`, `handleCommand`, `applyCommand` (lib/app/batch.ts, transition.ts). */
  transition: TransitionDeps;
  /** For the API's use cases (lib/app/service) and lib/http. */
  service: ServiceDeps;
  /** For `processTimerBatch` and `forwardTimer` (lib/app/timers.ts). */
  timerDeps: TimerDeps;
  /** For `processEventBatch` (lib/app/events.ts); null without an events DLQ. */
  eventDeps: EventDeps | null;
  /** For `sweepDeadCommands` (lib/app/dead-letters.ts); null without a commands DLQ. */
  sweep: DeadLetterDeps | null;
}

/** Builds the application over `ports`. */
export function composeApplication(ports: AppPorts, options: AppOptions = {}): Application {
  const { instances, definitions, index, commands, timers, durableTimers, timerStarts, events, deadCommands, clock, logger } = ports;
  const maxDelay = ports.maxDelayMs !== undefined ? { maxDelayMs: ports.maxDelayMs } : {};
  const resolver = new CachedDefinitions(definitions);
  const decisions = new CachedDecisions(ports.decisions);
  const effects = new EffectDispatcher({
    index, timers, durableTimers, ...maxDelay, events, commands, clock, logger, starts: { definitions, resolver },
    decisions, deadCommands, publishLifecycle: options.publishLifecycle ?? false,
  });
  const transition: TransitionDeps = { instances, definitions: resolver, effects, commands, clock, logger, ...(options.sleep ? { sleep: options.sleep } : {}) };
  const timerDeps: TimerDeps & { timerStarts: TimerStartRegistry } = { timers, durableTimers, ...maxDelay, commands, clock, logger, timerStarts };
  // Deploys register timer start events where the timers handler fires them: the same targets.
  const service: ServiceDeps = { instances, definitions, decisions, resolver, index, deadCommands, commands, clock, logger, timerStarts: timerDeps };
  const eventDeps: EventDeps | null = ports.deadLetters
    ? { ...service, deadLetters: ports.deadLetters, defaultTimeToLiveMs: options.defaultEventTtlMs ?? 0 }
    : null;
  const sweep: DeadLetterDeps | null = ports.deadCommandSource ? { transition, source: ports.deadCommandSource, store: deadCommands, logger } : null;
  return { resolver, transition, service, timerDeps, eventDeps, sweep };
}
