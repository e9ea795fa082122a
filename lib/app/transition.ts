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
import type { CommandMeta, Rejection } from '../core/commands.ts';
import { rollback } from '../core/rollback.ts';
import { step, type StepResult } from '../core/step.ts';
import type { InstanceState } from '../core/state/types.ts';
import type { ProcessDefinition } from '../core/model/types.ts';
import type { Clock, CommandBus, CommandEnvelope, DefinitionResolver, InstanceHead, InstanceStore, InstanceVersion, Logger } from '../ports.ts';
import { TransientError } from './errors.ts';
import { headOf } from './head.ts';

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

/** Emits an orphan's effects and moves the head up to it (never backwards). */
export async function rollForward(deps: TransitionDeps, version: InstanceVersion, head: InstanceHead | null): Promise<void> {
  if (head && head.version >= version.version) return;
  await deps.effects.emit(version);
  let from = head?.version ?? null;
  for (;;) {
    const swap = await deps.instances.swapHead(headOf(version), from);
    if (swap.ok || (swap.current && swap.current.version >= version.version)) return;
    from = swap.current?.version ?? null;
  }
}

async function definitionFor(deps: TransitionDeps, envelope: CommandEnvelope, base: InstanceVersion | null): Promise<{ def: ProcessDefinition; version: number } | null> {
  const ref = base ? { key: base.definitionKey, version: base.definitionVersion } : envelope.definition;
  if (!ref) return null;
  return { def: await deps.definitions.resolve(ref.key, ref.version), version: ref.version };
}

/** The next state: `step` for engine commands, `rollback` (with the old version's state) for rollbacks. */
async function compute(deps: TransitionDeps, envelope: CommandEnvelope, def: ProcessDefinition, base: InstanceVersion | null): Promise<StepResult> {
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

/**
 * Applies one command to its instance, exactly once per command id.
 * Throws TransientError when contention does not settle (the queue retries later).
 */
export async function applyCommand(deps: TransitionDeps, envelope: CommandEnvelope): Promise<TransitionOutcome> {
  const maxAttempts = deps.maxAttempts ?? 12;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let carried: InstanceVersion | null = null;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0 && !carried) await sleep(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
    let base: InstanceVersion | null;
    if (carried) {
      base = carried;
      carried = null;
    } else {
      const { head, latest } = await deps.instances.load(envelope.instanceId, attempt > 0);
      if (latest && head && head.version > latest.version) continue; // stale read: read again, consistently
      if (latest && (!head || head.version < latest.version)) await rollForward(deps, latest, head);
      base = latest;
    }
    if (base?.commandId === envelope.id) return { status: 'duplicate', version: base.version, retries: attempt };
    const resolved = await definitionFor(deps, envelope, base);
    if (!resolved) {
      return { status: 'rejected', rejection: { code: 'NOT_FOUND', message: `instance '${envelope.instanceId}' does not exist` }, version: null, retries: attempt };
    }
    const result = await compute(deps, envelope, resolved.def, base);
    if (result.rejection) {
      deps.logger.info('command rejected', { instanceId: envelope.instanceId, commandId: envelope.id, type: envelope.command.type, ...result.rejection });
      return { status: 'rejected', rejection: result.rejection, version: base?.version ?? null, retries: attempt };
    }
    const next: InstanceVersion = {
      instanceId: envelope.instanceId, version: (base?.version ?? 0) + 1, commandId: envelope.id, command: envelope.command,
      definitionKey: resolved.def.key, definitionVersion: resolved.version,
      state: result.state, events: result.events, effects: result.effects, at: deps.clock.now(),
    };
    const put = await deps.instances.putVersion(next);
    if (!put.ok) {
      // Someone else wrote version n+1. Its writer is most likely still emitting: give it
      // a moment, then roll it forward only if the head has not moved (saves re-emits).
      const winner = put.existing;
      await sleep(GRACE_MS / 2 + random() * GRACE_MS);
      await rollForward(deps, winner, await deps.instances.getHead(envelope.instanceId, true));
      // The same command id: a concurrent redelivery, or our own earlier attempt whose
      // success we did not see (an ambiguous write). Either way it is applied once.
      if (winner.commandId === envelope.id) return { status: 'duplicate', version: winner.version, retries: attempt };
      carried = winner;
      continue;
    }
    await rollForward(deps, next, base ? headOf(base) : null);
    return { status: 'applied', version: next.version, retries: attempt };
  }
  throw new TransientError(`instance '${envelope.instanceId}': command '${envelope.id}' lost ${maxAttempts} races in a row`);
}
