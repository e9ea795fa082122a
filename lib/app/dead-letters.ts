/**
 * Nothing dies silently. A command that failed `maxReceiveCount` times lands in the commands
 * DLQ; the sweeper (functions/sweep.ts, every minute; `npm start` runs it too) takes it out:
 *
 *   DLQ message ─► try once more ─┬─ applied / duplicate ─► gone (it healed: an outage ended)
 *                                 ├─ rejected ───────────► rejection recorded, gone
 *                                 └─ fails again ────────► dead command kept (DeadCommandStore)
 *                                                          + `deadCommand` incident on its instance
 *
 * Trying once more also rolls forward whatever version its instance had left beyond its head
 * (the transition does that first), so a crash between put and swap never stays unfinished.
 * Redriving a dead command (the API, `sbpmn dlq redrive`, or resolving its incident) sends it
 * to the commands queue again under its own id: a command applied meanwhile stays applied once.
 */
import type { CommandEnvelope, DeadCommandStore, DeadLetterSource, Logger } from '../ports.ts';
import { parseEnvelope, recordRejection } from './batch.ts';
import { NotFound } from './errors.ts';
import { applyCommand, type TransitionDeps } from './transition.ts';

export interface DeadLetterDeps {
  transition: TransitionDeps;
  source: DeadLetterSource;
  store: DeadCommandStore;
  logger: Logger;
}

export interface SweepResult {
  healed: number;
  rejected: number;
  dead: number;
  dropped: number;
}

/** Empties the commands DLQ (up to `max` messages a run). */
export async function sweepDeadCommands(deps: DeadLetterDeps, max = 200): Promise<SweepResult> {
  const result: SweepResult = { healed: 0, rejected: 0, dead: 0, dropped: 0 };
  for (let seen = 0; seen < max;) {
    const messages = await deps.source.receive(Math.min(10, max - seen));
    if (messages.length === 0) break;
    seen += messages.length;
    for (const message of messages) {
      result[await settle(deps, message)]++;
      await deps.source.remove(message.receiptHandle);
    }
  }
  if (result.dead + result.healed + result.rejected + result.dropped > 0) deps.logger.warn('dead commands swept', { ...result });
  return result;
}

async function settle(deps: DeadLetterDeps, message: { body: string; messageId: string; receiveCount: number }): Promise<keyof SweepResult> {
  const envelope = parseEnvelope(message.body, message.messageId, deps.logger);
  if (!envelope) return 'dropped';
  try {
    const outcome = await applyCommand(deps.transition, envelope);
    if (outcome.status !== 'rejected') return 'healed';
    await recordRejection(deps.transition, envelope, outcome.rejection);
    return 'rejected';
  } catch (error) {
    if (error instanceof NotFound) return 'dropped';
    const reason = (error as Error).message;
    await deps.store.put({ commandId: envelope.id, instanceId: envelope.instanceId, envelope, reason, receiveCount: message.receiveCount, at: deps.transition.clock.now() });
    await raiseIncident(deps, envelope, reason);
    return 'dead';
  }
}

/** The incident on the instance; when even that cannot be written, the dead command is still listed. */
async function raiseIncident(deps: DeadLetterDeps, envelope: CommandEnvelope, reason: string): Promise<void> {
  try {
    await applyCommand(deps.transition, {
      id: `dead:${envelope.id}`, instanceId: envelope.instanceId,
      command: { type: 'deadCommand', commandId: envelope.id, commandType: envelope.command.type, message: reason.slice(0, 2000) },
    });
  } catch (error) {
    deps.logger.error('dead command: the incident could not be raised on its instance (it is listed in the dead letters)', { commandId: envelope.id, instanceId: envelope.instanceId, error: (error as Error).message });
  }
}
