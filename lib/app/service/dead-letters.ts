/**
 * Dead commands through the API: list them, read one, redrive one. A dead command whose
 * instance carries its `command` incident is redriven by resolving that incident (one
 * transition records it and sends the command); otherwise it is sent again directly.
 */
import { globalId } from '../../core/state/types.ts';
import type { DeadCommand, Page } from '../../ports.ts';
import { redriveDeadCommand } from '../redrive.ts';
import type { CommandOptions } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFound } from './errors.ts';
import { resolveIncident } from './instances.ts';

export type DeadCommandView = Omit<DeadCommand, 'at'> & { at: string; incidentId: string | null };

async function view(deps: ServiceDeps, dead: DeadCommand): Promise<DeadCommandView> {
  const { latest } = await deps.instances.load(dead.instanceId, true);
  const incident = latest ? Object.values(latest.state.incidents).find((i) => i.commandId === dead.commandId) : undefined;
  return { ...dead, at: new Date(dead.at).toISOString(), incidentId: incident ? globalId(dead.instanceId, incident.key) : null };
}

function store(deps: ServiceDeps): NonNullable<ServiceDeps['deadCommands']> {
  if (!deps.deadCommands) throw new NotFound('dead letter store', 'commands');
  return deps.deadCommands;
}

export async function listDeadCommands(deps: ServiceDeps, query: { limit: number; cursor?: string | undefined }): Promise<Page<DeadCommandView>> {
  const page = await store(deps).list({ limit: query.limit, cursor: query.cursor ?? null });
  return { items: await Promise.all(page.items.map((d) => view(deps, d))), cursor: page.cursor };
}

export async function getDeadCommand(deps: ServiceDeps, commandId: string): Promise<DeadCommandView> {
  const dead = await store(deps).get(commandId);
  if (!dead) throw new NotFound('dead command', commandId);
  return view(deps, dead);
}

export async function redrive(deps: ServiceDeps, commandId: string, options: CommandOptions): Promise<{ commandId: string; instanceId: string; via: 'incident' | 'queue' }> {
  const dead = await getDeadCommand(deps, commandId);
  if (dead.incidentId) {
    await resolveIncident(deps, dead.instanceId, dead.incidentId, undefined, options);
    return { commandId, instanceId: dead.instanceId, via: 'incident' };
  }
  await redriveDeadCommand({ store: store(deps), commands: deps.commands, logger: deps.logger }, commandId);
  return { commandId, instanceId: dead.instanceId, via: 'queue' };
}
