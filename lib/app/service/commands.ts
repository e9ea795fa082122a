/**
 * The API's one command gateway: every command the API sends goes through `submitCommand`.
 * Commands are queued on the commands queue (SQS FIFO, one group per instance) and applied
 * by the commands handler, never applied here. Before queuing, the command is run as a dry
 * run on the instance's latest version (the core's own `step`, through `nextState`): what
 * the core would reject is refused at once (409), with the core's code and message, so the
 * API keeps no copy of the core's rules. The engine still has the final word. The request
 * then waits for the outcome, watching the instance:
 *
 *   replayed key? ─► its outcome    dry run rejects? ─► CommandRejected (409)
 *   send ──► poll every ~50 ms: head.commandId = ours? ──► applied (its version)
 *                               rejection recorded?   ──► CommandRejected (409)
 *                               head moved on?        ──► findApplied over the new versions
 *            deadline passed (the injected clock) ──► accepted (202: it will still be applied)
 *
 * "Applied" is reported once the head has moved to (or past) the command's version, so
 * its effects (jobs, tasks in the index) are visible to the caller's next request.
 */
import type { Clock, CommandBus, CommandEnvelope, DefinitionResolver, EngineCommand, InstanceStore, InstanceVersion, Logger } from '../../ports.ts';
import { nextState } from '../transition.ts';
import { CommandRejected, NotFound, TooLarge } from './errors.ts';
import { newCommandId } from './ids.ts';
import { jsonBytes, LIMITS } from '../limits.ts';

export type CommandOutcome =
  | { status: 'applied'; commandId: string; instanceId: string; version: number }
  | { status: 'accepted'; commandId: string; instanceId: string };

export interface CommandOptions {
  /** The client's Idempotency-Key, which becomes the command id; a fresh id otherwise. */
  idempotencyKey?: string | undefined;
  /** How long to wait for the outcome (0: answer `accepted` at once). */
  waitMs: number;
}

export interface Submission {
  envelope: CommandEnvelope;
  /** The instance's version when the request was checked (0: no instance yet). */
  baseVersion: number;
  waitMs: number;
}

/** How many recent versions a replayed Idempotency-Key is looked for in. */
const REPLAY_WINDOW = 25;

const sleeper = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What submitting a command needs: the part of `ServiceDeps` it uses (no import of deps.ts, which sits above decisions.ts). */
export interface CommandDeps {
  instances: InstanceStore;
  /** Compiled definitions, for the dry run. */
  resolver: DefinitionResolver;
  commands: CommandBus;
  clock: Clock;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

/** A command for the gateway: `definition` for a start (no instance yet), none for an existing instance. */
export interface CommandRequest {
  instanceId: string;
  command: EngineCommand;
  definition?: { key: string; version: number };
}

/**
 * Submits one command: a replayed Idempotency-Key returns its first outcome; a command for an
 * existing instance is dry-run first (NotFound when there is no instance, CommandRejected
 * when the core refuses it); then it is queued and awaited (`submit`).
 */
export async function submitCommand(deps: CommandDeps, request: CommandRequest, options: CommandOptions): Promise<CommandOutcome> {
  const { instanceId, command, definition } = request;
  if (options.idempotencyKey) {
    const recorded = await recordedOutcome(deps, instanceId, options.idempotencyKey);
    if (recorded) return recorded;
  }
  const commandId = options.idempotencyKey ?? newCommandId();
  const env = envelope(instanceId, commandId, command, definition);
  const baseVersion = definition ? 0 : (await dryRun(deps, env)).version;
  return submit(deps, { envelope: env, baseVersion, waitMs: options.waitMs });
}

/** Steps the command on the latest version (read strongly consistent), writing nothing; returns that version. */
async function dryRun(deps: CommandDeps, env: CommandEnvelope): Promise<InstanceVersion> {
  const { latest } = await deps.instances.load(env.instanceId, true);
  if (!latest) throw new NotFound('instance', env.instanceId);
  const def = await deps.resolver.resolve(latest.definitionKey, latest.definitionVersion);
  const { rejection } = await nextState(deps, env, def, latest);
  if (rejection) throw new CommandRejected(rejection.code, rejection.message, env.id);
  return latest;
}

/** The outcome already recorded for a command id (a replayed Idempotency-Key), if any. */
export async function recordedOutcome(deps: CommandDeps, instanceId: string, commandId: string): Promise<CommandOutcome | null> {
  const applied = await deps.instances.findApplied(instanceId, commandId, REPLAY_WINDOW);
  if (applied) return { status: 'applied', commandId, instanceId, version: applied.version };
  const rejection = await deps.instances.getRejection(instanceId, commandId);
  if (rejection) throw new CommandRejected(rejection.code as CommandRejected['rejection'], rejection.message, commandId);
  return null;
}

/** Refuses, before it is queued, a command that a queue message cannot carry. */
export function checkCommandSize(env: CommandEnvelope): void {
  const bytes = jsonBytes(env);
  if (bytes > LIMITS.commandBytes) {
    throw new TooLarge(`the ${env.command.type} command is ${bytes} bytes, more than the ${LIMITS.commandBytes} a command may take (variables: at most ${LIMITS.variablesBytes} bytes)`, bytes, LIMITS.commandBytes);
  }
}

export function envelope(instanceId: string, commandId: string, command: EngineCommand, definition?: { key: string; version: number }): CommandEnvelope {
  return { id: commandId, instanceId, command, ...(definition ? { definition } : {}) };
}

/** Queues the command and waits (up to `waitMs`) for the commands handler to apply or reject it. */
async function submit(deps: CommandDeps, submission: Submission): Promise<CommandOutcome> {
  const { envelope: env, waitMs } = submission;
  checkCommandSize(env);
  await deps.commands.send([env]);
  deps.logger.info('command queued', { instanceId: env.instanceId, commandId: env.id, type: env.command.type });
  if (waitMs <= 0) return { status: 'accepted', commandId: env.id, instanceId: env.instanceId };
  return awaitOutcome(deps, env.instanceId, env.id, submission.baseVersion, deps.clock.now() + waitMs);
}

async function awaitOutcome(deps: CommandDeps, instanceId: string, commandId: string, baseVersion: number, deadline: number): Promise<CommandOutcome> {
  const sleep = deps.sleep ?? sleeper;
  const applied = (version: number): CommandOutcome => ({ status: 'applied', commandId, instanceId, version });
  let checked = baseVersion; // versions up to here are known not to be ours
  for (;;) {
    const [head, rejection] = await Promise.all([deps.instances.getHead(instanceId, true), deps.instances.getRejection(instanceId, commandId)]);
    if (head?.commandId === commandId) return applied(head.version);
    if (head && head.version > checked) {
      const found = await deps.instances.findApplied(instanceId, commandId, head.version - checked + 1);
      if (found && found.version <= head.version) return applied(found.version);
      checked = head.version;
    }
    if (rejection) {
      // A redelivery of an applied command is rejected too (its job is gone): applied wins.
      const earlier = await deps.instances.findApplied(instanceId, commandId, REPLAY_WINDOW);
      if (earlier) return applied(earlier.version);
      throw new CommandRejected(rejection.code as CommandRejected['rejection'], rejection.message, commandId);
    }
    if (deps.clock.now() >= deadline) return { status: 'accepted', commandId, instanceId };
    await sleep(Math.min(deps.pollMs ?? 50, Math.max(1, deadline - deps.clock.now())));
  }
}
