/**
 * The transition protocol: one command -> at most one new immutable version.
 *
 *   load ──► (orphan? roll forward) ──► step ──► put V#n+1 ──► emit effects ──► swap head n→n+1 ──► ack
 *   1 Query        emit + swap           pure    conditional      idempotent      conditional
 *   (head + latest                               (the claim)      (ids i:v:k)     (the pointer)
 *    version, 0.5 RCU)
 *
 * Invariant: head = n  ⇒  the effects of every version ≤ n were emitted. Effects are
 * emitted BEFORE the swap, and whoever finds a version beyond the head (an orphan: its
 * writer crashed after the put) emits its effects and swaps for it. A version, once put,
 * always becomes current: nobody ever skips or overwrites it.
 *
 * Crashes and races:
 * - crash before the put: nothing happened; redelivery redoes it all.
 * - crash after the put (before/during emit, before swap): the next reader rolls it forward.
 * - crash after the swap, before the SQS delete: redelivery finds its command id in the
 *   latest version (or, for older ones, the core rejects it: the job is gone, the message
 *   id is recorded) and acks.
 * - ambiguous write (timeout, but it succeeded): the retried put fails and returns the
 *   winner through ALL_OLD; when the winner carries our command id, it was us.
 * - two commands at once: one put wins; the loser rolls the winner forward, steps again
 *   on top of it and retries, with full-jitter backoff, a bounded number of times.
 */
import { NOT_IDEMPOTENT, REJECTIONS, type CommandMeta, type Rejection } from '../core/commands.ts';
import type { Effect } from '../core/effects.ts';
import { rollback } from '../core/bpmn/rollback.ts';
import { step, type StepResult } from '../core/step.ts';
import { splitGlobalId, type InstanceState } from '../core/state/types.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { Clock, CommandBus, CommandEnvelope, DefinitionResolver, EngineCommand, InstanceHead, InstanceStore, InstanceVersion, Logger } from '../ports.ts';
import { FiredEarly, TransientError } from './errors.ts';
import { headOf } from './head.ts';
import { LIMITS, oversizedEffect } from './limits.ts';

export interface EffectEmitter {
  emit(version: InstanceVersion): Promise<void>;
}

export interface TransitionDeps {
  instances: InstanceStore;
  definitions: DefinitionResolver;
  effects: EffectEmitter;
  /** Where follow-up commands go (a called instance that could not start tells its parent). */
  commands?: CommandBus;
  clock: Clock;
  logger: Logger;
  maxAttempts?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type TransitionOutcome =
  | { status: 'applied'; version: number; retries: number }
  | { status: 'duplicate'; version: number; retries: number }
  | { status: 'rejected'; rejection: Rejection; version: number | null; retries: number };

const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 400;
/** How long a loser waits for the winner of a race to finish before finishing it itself. */
const GRACE_MS = 40;

/** The wait between attempts: the injected one (tests), else real time. */
function sleeper(deps: TransitionDeps): (ms: number) => Promise<void> {
  return deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

/**
 * Commands a replay would apply again: each gets a durable command record (see InstanceStore.getCommandRecord).
 * `cancel` names nothing the core could find closed: after a rollback has undone it, a redelivery
 * (FIFO replay, DLQ redrive) would cancel again, so it is recorded like a rollback.
 */
export function needsCommandRecord(command: EngineCommand): boolean {
  return command.type === 'rollback' || command.type === 'cancel' || NOT_IDEMPOTENT.has(command.type);
}

/**
 * Emits an orphan's effects and moves the head up to it (never backwards).
 * When somebody else moved the head first, our emit may have come after a later version
 * closed what this one opened: `repairLateEmit` closes those again.
 */
export async function rollForward(deps: TransitionDeps, version: InstanceVersion, head: InstanceHead | null): Promise<void> {
  if (head && head.version >= version.version) return;
  await deps.effects.emit(version);
  if (needsCommandRecord(version.command)) await deps.instances.putCommandRecord(version.instanceId, version.commandId, version.version);
  let from = head?.version ?? null;
  for (;;) {
    const swap = await deps.instances.swapHead(headOf(version), from);
    if (swap.ok) return;
    if (swap.current && swap.current.version >= version.version) {
      await repairLateEmit(deps, version);
      return;
    }
    from = swap.current?.version ?? null;
  }
}

/**
 * A late emit (ours finished after another writer had already rolled this version forward)
 * can re-create a job, task or subscription that a later version closed. Reads the latest
 * version consistently, after our puts landed, and closes what it no longer has open. A
 * version written after that read closes such subjects itself (its emit follows our puts).
 */
async function repairLateEmit(deps: TransitionDeps, version: InstanceVersion): Promise<void> {
  const { latest } = await deps.instances.load(version.instanceId, true);
  if (!latest || latest.version <= version.version) return;
  const closing = closedSince(version, latest.state);
  if (closing.length === 0) return;
  deps.logger.warn('closing what a late re-emit opened again', { instanceId: version.instanceId, version: version.version, latest: latest.version, effects: closing.length });
  await deps.effects.emit({ ...version, effects: closing });
}

/** Close effects for the subjects `version` opened that `state` no longer has open. */
export function closedSince(version: InstanceVersion, state: InstanceState): Effect[] {
  // The state's record of a global id (`<instanceId>.<key>`), if it still has one.
  const record = <T>(id: string, records: Record<string, T>): T | undefined => records[splitGlobalId(id)?.key ?? ''];
  const closing: Effect[] = [];
  for (const e of version.effects) {
    // A job with no retries left waits for its incident, not for a worker: not in the index either.
    if (e.type === 'job.activatable' && (record(e.jobId, state.jobs)?.retries ?? 0) <= 0) {
      closing.push({ type: 'job.closed', jobId: e.jobId, instanceId: e.instanceId, jobType: e.jobType, reason: 'canceled' });
    } else if (e.type === 'task.created' && !record(e.taskId, state.tasks)) {
      closing.push({ type: 'task.closed', taskId: e.taskId, instanceId: e.instanceId, assignee: e.assignee, candidateGroups: e.candidateGroups, candidateUsers: e.candidateUsers, reason: 'canceled' });
    } else if (e.type === 'subscription.opened' && !record(e.subscriptionId, state.subscriptions)) {
      closing.push({ type: 'subscription.closed', subscriptionId: e.subscriptionId, instanceId: e.instanceId, messageName: e.messageName, correlationKey: e.correlationKey });
    }
  }
  return closing;
}

async function definitionFor(deps: TransitionDeps, envelope: CommandEnvelope, base: InstanceVersion | null): Promise<{ def: ProcessDefinition; version: number } | null> {
  const ref = base ? { key: base.definitionKey, version: base.definitionVersion } : envelope.definition;
  if (!ref) return null;
  return { def: await deps.definitions.resolve(ref.key, ref.version), version: ref.version };
}

/**
 * The next state: `step` for engine commands, `rollback` (with the old version's state) for
 * rollbacks. Pure but for reading the old version of a rollback: the API's command gateway
 * runs it as a dry run (lib/app/service/commands.ts), so the core's rules decide an early 409.
 */
export async function nextState(deps: Pick<TransitionDeps, 'instances' | 'clock'>, envelope: CommandEnvelope, def: ProcessDefinition, base: InstanceVersion | null): Promise<StepResult> {
  const clock = { now: deps.clock.now() };
  const command = envelope.command;
  if (command.type !== 'rollback') {
    const meta: CommandMeta = { commandId: envelope.id };
    return step(def, base?.state ?? null, command, clock, meta);
  }
  const reject = (code: Rejection['code'], message: string): StepResult => ({ state: base?.state as InstanceState, events: [], effects: [], rejection: { code, message } });
  if (!base) return reject('NOT_FOUND', `instance '${envelope.instanceId}' does not exist`);
  if (command.toVersion >= base.version) return reject('INVALID_COMMAND', `can only roll back to an earlier version than ${base.version}`);
  const target = await deps.instances.getVersion(envelope.instanceId, command.toVersion);
  if (!target) return reject('NOT_FOUND', `version ${command.toVersion} of instance '${envelope.instanceId}' does not exist`);
  if (target.definitionKey !== base.definitionKey || target.definitionVersion !== base.definitionVersion) {
    return reject('INVALID_COMMAND', `version ${command.toVersion} ran another definition (${target.definitionKey}@${target.definitionVersion})`);
  }
  return rollback(def, base.state, target.state, command.toVersion, clock);
}

/** What one attempt read: the version to step on, and whether the read is the truth (strongly consistent). */
interface Base {
  version: InstanceVersion | null;
  consistent: boolean;
}

/**
 * Applies one command to its instance, exactly once per command id.
 * A rejection is final only when judged on a strongly consistent read: an eventually
 * consistent replica may not have the version that makes the command valid yet.
 * Throws TransientError when contention does not settle (the queue retries later).
 */
export async function applyCommand(deps: TransitionDeps, envelope: CommandEnvelope): Promise<TransitionOutcome> {
  const maxAttempts = deps.maxAttempts ?? 12;
  const random = deps.random ?? Math.random;
  const sleep = sleeper(deps);
  const recorded = needsCommandRecord(envelope.command);
  let carried: InstanceVersion | null = null;
  let consistent = false;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0 && !carried && !consistent) await sleep(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
    const base = carried ? { version: carried, consistent: false } : await loadBase(deps, envelope.instanceId, consistent || attempt > 0);
    carried = null;
    if (!base) continue;
    if (base.version?.commandId === envelope.id) return { status: 'duplicate', version: base.version.version, retries: attempt };
    if (recorded && base.version) {
      const applied = await deps.instances.getCommandRecord(envelope.instanceId, envelope.id);
      if (applied !== null) return { status: 'duplicate', version: applied, retries: attempt };
    }
    const resolved = await definitionFor(deps, envelope, base.version);
    if (!resolved) {
      if (!base.consistent) { consistent = true; continue; }
      return { status: 'rejected', rejection: { code: 'NOT_FOUND', message: `instance '${envelope.instanceId}' does not exist` }, version: null, retries: attempt };
    }
    const outcome = await attemptOnce(deps, envelope, resolved, base);
    if (outcome.kind === 'done') return { ...outcome.outcome, retries: attempt };
    if (outcome.kind === 'recheck') consistent = true;
    else { consistent = false; carried = outcome.winner; }
  }
  throw new TransientError(`instance '${envelope.instanceId}': command '${envelope.id}' lost ${maxAttempts} races in a row`);
}

/** Head and latest version; an orphan (a version beyond the head) is rolled forward first. Null: read again. */
async function loadBase(deps: TransitionDeps, instanceId: string, consistent: boolean): Promise<Base | null> {
  const { head, latest } = await deps.instances.load(instanceId, consistent);
  if (latest && head && head.version > latest.version) return null; // stale read: read again, consistently
  if (latest && (!head || head.version < latest.version)) await rollForward(deps, latest, head);
  return { version: latest, consistent };
}

type Attempt =
  | { kind: 'done'; outcome: Omit<Extract<TransitionOutcome, { status: 'applied' | 'duplicate' }>, 'retries'> | Omit<Extract<TransitionOutcome, { status: 'rejected' }>, 'retries'> }
  | { kind: 'recheck' }
  | { kind: 'lost'; winner: InstanceVersion };

/** Steps on `base` and claims the next version: applied, rejected, or lost to another writer. */
async function attemptOnce(deps: TransitionDeps, envelope: CommandEnvelope, resolved: { def: ProcessDefinition; version: number }, base: Base): Promise<Attempt> {
  let result: Limited = await nextState(deps, envelope, resolved.def, base.version);
  const limit = result.rejection ? null : overLimit(result);
  if (limit) result = await withinLimits(deps, envelope, resolved.def, base.version, limit);
  if (result.rejection) {
    if (!base.consistent) return { kind: 'recheck' };
    if (result.rejection.code === 'NOT_DUE') throw new FiredEarly(`${envelope.id}: ${result.rejection.message} (fired early; retried)`, result.rejection);
    deps.logger.info('command rejected', { instanceId: envelope.instanceId, commandId: envelope.id, type: envelope.command.type, ...result.rejection });
    return { kind: 'done', outcome: { status: 'rejected', rejection: result.rejection, version: base.version?.version ?? null } };
  }
  let next = nextVersion(deps, envelope, resolved, base.version, result);
  let put = await deps.instances.putVersion(next);
  if (!put.ok && 'tooLarge' in put) {
    const limited = await withinLimits(deps, envelope, resolved.def, base.version, `the instance would take ${put.tooLarge.bytes} bytes stored, more than ${put.tooLarge.limit}`);
    if (limited.rejection) return base.consistent ? { kind: 'done', outcome: { status: 'rejected', rejection: limited.rejection, version: base.version?.version ?? null } } : { kind: 'recheck' };
    next = nextVersion(deps, envelope, resolved, base.version, limited);
    put = await deps.instances.putVersion(next);
    if (!put.ok && 'tooLarge' in put) throw new Error(`instance '${envelope.instanceId}' cannot be stored even without command '${envelope.id}'`);
  }
  if (put.ok) {
    await rollForward(deps, next, base.version ? headOf(base.version) : null);
    return { kind: 'done', outcome: { status: 'applied', version: next.version } };
  }
  if (!('existing' in put)) throw new Error('unreachable');
  // Someone else wrote version n+1. Its writer is most likely still emitting: give it
  // a moment, then roll it forward only if the head has not moved (saves re-emits).
  const winner = put.existing;
  await sleeper(deps)(GRACE_MS / 2 + (deps.random ?? Math.random)() * GRACE_MS);
  await rollForward(deps, winner, await deps.instances.getHead(envelope.instanceId, true));
  // The next attempt steps on the winner; when it carries our command id (a concurrent
  // redelivery, or our own earlier attempt whose success we did not see: an ambiguous
  // write), that attempt's first check answers 'duplicate'. Either way it is applied once.
  return { kind: 'lost', winner };
}

/** A step result, and (when a limit replaced it) the command the version records instead. */
type Limited = StepResult & { stored?: EngineCommand };

function nextVersion(deps: TransitionDeps, envelope: CommandEnvelope, resolved: { def: ProcessDefinition; version: number }, base: InstanceVersion | null, result: Limited): InstanceVersion {
  return {
    instanceId: envelope.instanceId, version: (base?.version ?? 0) + 1, commandId: envelope.id, command: result.stored ?? envelope.command,
    definitionKey: resolved.def.key, definitionVersion: resolved.version,
    state: result.state, events: result.events, effects: result.effects, at: deps.clock.now(),
    ...(resolved.def.retentionDays ? { retentionDays: resolved.def.retentionDays } : {}),
  };
}

/** Why a step's result cannot be sent, or null when every effect fits a queue message. */
function overLimit(result: StepResult): string | null {
  const big = oversizedEffect(result.effects);
  return big ? `its '${big.effect.type}' effect would be ${big.bytes} bytes, more than ${LIMITS.effectBytes}` : null;
}

/**
 * A result over a limit: a job completion (or error) becomes a failure with no retries left,
 * so the job's element shows an incident that says why (resolving it hands the job out
 * again); any other command is rejected as TOO_LARGE. Either way the instance goes on.
 */
async function withinLimits(deps: TransitionDeps, envelope: CommandEnvelope, def: ProcessDefinition, base: InstanceVersion | null, why: string): Promise<Limited> {
  const command = envelope.command;
  const message = `command '${envelope.id}' (${command.type}) was not applied: ${why} (see the limits in README)`;
  deps.logger.warn('command over a limit', { instanceId: envelope.instanceId, commandId: envelope.id, why });
  if ((command.type === 'completeJob' || command.type === 'throwError') && base) {
    const stored: EngineCommand = { type: 'failJob', jobId: command.jobId, retries: 0, errorMessage: message };
    const failed = await nextState(deps, { ...envelope, command: stored }, def, base);
    if (!failed.rejection && !overLimit(failed)) return { ...failed, stored };
  }
  return { state: base?.state as InstanceState, events: [], effects: [], rejection: { code: REJECTIONS.tooLarge, message } };
}
