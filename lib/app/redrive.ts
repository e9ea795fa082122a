/** Redrive: a dead command (lib/app/dead-letters.ts) goes to the commands queue again, under its own id. */
import type { CommandBus, DeadCommand, DeadCommandStore, Logger } from '../ports.ts';
import { NotFound } from './errors.ts';

/** Sends a dead command to the commands queue again and forgets it. */
export async function redriveDeadCommand(deps: { store: DeadCommandStore; commands: CommandBus; logger: Logger }, commandId: string): Promise<DeadCommand> {
  const dead = await deps.store.get(commandId);
  if (!dead) throw new NotFound('dead command', commandId);
  await deps.commands.send([dead.envelope], { redrive: true });
  await deps.store.remove(commandId);
  deps.logger.info('dead command redriven', { commandId, instanceId: dead.instanceId });
  return dead;
}
