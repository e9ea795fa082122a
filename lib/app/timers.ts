/**
 * Timers in the app: where a timer is scheduled (SQS delay up to 15 minutes, a durable
 * schedule beyond), the timers queue handler, and timer start events (registered on
 * deploy, fired into new instances with deterministic ids).
 *
 *   timer.scheduled ─► due within 15 min? ─yes─► SQS timers queue (DelaySeconds)
 *                                          └no──► durable schedule ─(≈5 min before due)─► SQS timers queue
 *   timers queue ─► processTimerBatch: due ─► fireTimer command (id `timer:<timerId>`)
 *                                      not due ─► scheduled again (re-delay)
 *                                      a timer start ─► registry check ─► start command + next fire
 */
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { nextStartFire, timerStartsOf } from '../core/bpmn/start-timers.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { Clock, CommandBus, DurableTimers, Logger, ScheduledTimer, TimerScheduler, TimerStart, TimerStartRef, TimerStartRegistry } from '../ports.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** SQS's maximum message delay. */
export const MAX_SQS_DELAY_MS = 900_000;

export interface TimerTargets {
  /** The SQS delay queue. */
  timers: TimerScheduler;
  /** The durable schedule for longer timers (null: long timers hop on the SQS queue in 15-minute steps). */
  durableTimers?: DurableTimers | null;
  /** Longest due time sent to the SQS queue directly (default 15 minutes; tests lower it). */
  maxDelayMs?: number;
}

/** Where a timer due at `dueAt` goes at `now`. */
export function schedulerFor(targets: TimerTargets, dueAt: number, now: number): TimerScheduler {
  const limit = Math.min(targets.maxDelayMs ?? MAX_SQS_DELAY_MS, MAX_SQS_DELAY_MS);
  return targets.durableTimers && dueAt - now > limit ? targets.durableTimers : targets.timers;
}

export interface TimerDeps extends TimerTargets {
  commands: CommandBus;
  clock: Clock;
  logger: Logger;
  /** The timer start registry (null: timer start events are not scheduled). */
  timerStarts?: TimerStartRegistry | null;
}

/** The timer id of one fire of a timer start event. */
export const startTimerId = (ref: TimerStartRef, dueAt: number): string => `start:${ref.definitionKey}:${ref.version}:${ref.startEventId}:${dueAt}`;

/** The instance one fire starts: the same fire (a duplicate delivery) names the same instance, so it starts once. */
export function timerStartInstanceId(ref: TimerStartRef, dueAt: number): string {
  return `t-${createHash('sha256').update(`${ref.definitionKey}\n${ref.version}\n${ref.startEventId}\n${dueAt}`, 'utf8').digest('base64url').slice(0, 40)}`;
}

function parse(record: SQSRecord, logger: Logger): ScheduledTimer | null {
  let body: { timerId?: unknown; instanceId?: unknown; dueAt?: unknown; start?: TimerStartRef };
  try {
    body = JSON.parse(record.body) as typeof body;
  } catch {
    logger.error('dropped timer: body is not JSON', { messageId: record.messageId });
    return null;
  }
  const { timerId, instanceId, dueAt, start } = body;
  if (typeof timerId !== 'string' || typeof instanceId !== 'string' || typeof dueAt !== 'number') {
    logger.error('dropped timer: invalid', { messageId: record.messageId });
    return null;
  }
  const validStart = start && typeof start.definitionKey === 'string' && typeof start.version === 'number' && typeof start.startEventId === 'string';
  return { timerId, instanceId, dueAt, ...(validStart ? { start } : {}) };
}

/** An SQS batch of timers, all at once (lib/app/sqs-batch.ts); a timer that could not be forwarded is reported for retry. */
export async function processTimerBatch(deps: TimerDeps, records: SQSRecord[]): Promise<SQSBatchResponse> {
  return processSqsBatch(records, async (record) => {
    const timer = parse(record, deps.logger);
    if (!timer) return;
    try {
      await forwardTimer(deps, timer);
    } catch (error) {
      deps.logger.error('timer forwarding failed; will be retried', { timerId: timer.timerId, error: (error as Error).message });
      throw error;
    }
  });
}

/**
 * A timer that reached the timers queue: forwarded only once due (the core rejects an
 * early fire, NOT_DUE; a sub-second remainder goes round once more with a 1-second
 * delay), as a `fireTimer` command or, for a timer start event, a new instance.
 */
export async function forwardTimer(deps: TimerDeps, timer: ScheduledTimer): Promise<void> {
  const now = deps.clock.now();
  if (timer.dueAt > now) await schedulerFor(deps, timer.dueAt, now).schedule(timer);
  else if (timer.start) await fireStartTimer(deps, timer as ScheduledTimer & { start: TimerStartRef });
  else await deps.commands.send([{ id: `timer:${timer.timerId}`, instanceId: timer.instanceId, command: { type: 'fireTimer', timerId: timer.timerId } }]);
}

/**
 * One fire of a timer start event: taken only if the registry still expects it (same
 * version, same due time); then the instance is started and the next fire scheduled.
 * Retried after a crash, each step is idempotent (deterministic command and timer ids).
 */
export async function fireStartTimer(deps: TimerDeps, timer: ScheduledTimer & { start: TimerStartRef }): Promise<void> {
  const ref = timer.start;
  const registered = deps.timerStarts ? await deps.timerStarts.get(ref.definitionKey, ref.startEventId) : null;
  if (!registered || registered.version !== ref.version) {
    deps.logger.info('timer start ignored: its definition version was replaced', { timerId: timer.timerId, registeredVersion: registered?.version ?? null });
    return;
  }
  if (registered.nextDueAt !== timer.dueAt) {
    deps.logger.info('timer start ignored: this fire was already taken', { timerId: timer.timerId, nextDueAt: registered.nextDueAt });
    return;
  }
  const instanceId = timerStartInstanceId(ref, timer.dueAt);
  await deps.commands.send([{
    id: `timer:${timer.timerId}`, instanceId, definition: { key: ref.definitionKey, version: ref.version },
    command: { type: 'start', instanceId, startEventId: ref.startEventId, variables: {} },
  }]);
  const next = nextStartFire(registered, timer.dueAt);
  if (next) await scheduleStart(deps, ref, next.dueAt);
  await deps.timerStarts?.advance(registered, timer.dueAt, next?.dueAt ?? null, next?.remaining ?? null);
  deps.logger.info('timer start fired', { timerId: timer.timerId, instanceId, next: next?.dueAt ?? null });
}

function scheduleStart(deps: TimerTargets & { clock: Clock }, ref: TimerStartRef, dueAt: number): Promise<void> {
  const timer: ScheduledTimer = { timerId: startTimerId(ref, dueAt), instanceId: timerStartInstanceId(ref, dueAt), dueAt, start: ref };
  return schedulerFor(deps, dueAt, deps.clock.now()).schedule(timer);
}

/**
 * On deploy: registers the timer start events of `version` (the latest) and schedules
 * their first fires; the previous version's pending fires are canceled (and a late one
 * is ignored by `fireStartTimer`, since the registry names the new version).
 * Deploying the same version again changes nothing.
 */
export async function registerTimerStarts(deps: Omit<TimerDeps, 'commands'>, process: ProcessDefinition, version: number): Promise<void> {
  const registry = deps.timerStarts;
  if (!registry) return;
  const existing = await registry.list(process.key);
  if (existing.some((s) => s.version >= version)) return;
  const now = deps.clock.now();
  const { starts, problems } = timerStartsOf(process, now);
  for (const problem of problems) deps.logger.warn('timer start event not scheduled', { definitionKey: process.key, version, problem });
  for (const old of existing) {
    if (old.nextDueAt !== null) await cancelTimer(deps, { timerId: startTimerId(old, old.nextDueAt), instanceId: timerStartInstanceId(old, old.nextDueAt), dueAt: old.nextDueAt });
    if (!starts.some((s) => s.startEventId === old.startEventId)) await registry.remove(old.definitionKey, old.startEventId, old.version);
  }
  for (const planned of starts) {
    const start: TimerStart = { definitionKey: process.key, version, ...planned };
    if (!(await registry.put(start)) || start.nextDueAt === null) continue;
    await scheduleStart(deps, start, start.nextDueAt);
  }
  if (starts.length > 0 || existing.length > 0) deps.logger.info('timer starts registered', { definitionKey: process.key, version, starts: starts.map((s) => s.startEventId), replaced: existing.length });
}

/** Cancels a timer wherever it may be: only a durable schedule can forget one. */
export async function cancelTimer(targets: TimerTargets & { clock: Clock }, timer: { timerId: string; instanceId: string; dueAt?: number }): Promise<void> {
  if (timer.dueAt === undefined || timer.dueAt <= targets.clock.now()) return; // due already: handed off, and a late fire is stale
  const scheduler = targets.durableTimers ?? targets.timers;
  await scheduler.cancel?.({ timerId: timer.timerId, instanceId: timer.instanceId, dueAt: timer.dueAt });
}
