/**
 * Instances through the API: start, read (now, at a version, its history), list, and the
 * commands that act on a whole instance (cancel, rollback, variables, incidents).
 * Reads are strongly consistent, so a client reads what its last command did.
 */
import type { JsonObject } from '../../core/json.ts';
import { triggerOf, type ProcessDefinition } from '../../core/bpmn/model/types.ts';
import type { Command } from '../../core/commands.ts';
import type { EngineCommand, HeadStatus, InstanceVersion, Page } from '../../ports.ts';
import { submitCommand, type CommandOptions, type CommandOutcome } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, InvalidRequest, NotFound } from './errors.ts';
import { instanceIdFor, instanceOf, uuidV7 } from './ids.ts';
import { iso, stateView, type StateView } from './views.ts';

export interface StartInput {
  definitionKey: string;
  version?: number | undefined;
  variables?: JsonObject | undefined;
  businessKey?: string | null | undefined;
}

export interface InstanceSummary {
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  startedAt: string;
  status: HeadStatus;
}

export interface HistoryEntry {
  version: number;
  commandId: string;
  command: EngineCommand;
  at: string;
  events: InstanceVersion['events'];
}

/** The compiled definition `key@version`, or NotFound. */
export async function definitionOf(deps: ServiceDeps, key: string, version: number): Promise<ProcessDefinition> {
  return deps.resolver.resolve(key, version);
}

/** The latest version of an instance (read strongly consistent), or NotFound. */
export async function latestOf(deps: ServiceDeps, instanceId: string): Promise<InstanceVersion> {
  const { latest } = await deps.instances.load(instanceId, true);
  if (!latest) throw new NotFound('instance', instanceId);
  return latest;
}

export async function startInstance(deps: ServiceDeps, input: StartInput, options: CommandOptions): Promise<CommandOutcome> {
  const version = input.version ?? (await deps.definitions.latest(input.definitionKey))?.version;
  if (version === undefined) throw new NotFound('definition', input.definitionKey);
  const def = await definitionOf(deps, input.definitionKey, version);
  // Not a copy of a core rule but the API's own: it starts at the none start event only, and says so with its own code.
  if (!def.startEvents.some((id) => triggerOf(def.elements[id])?.type === 'none')) {
    throw new Conflict('no-none-start', `process '${def.key}' has no none start event; start it with a message or a timer`);
  }
  const instanceId = options.idempotencyKey ? instanceIdFor(options.idempotencyKey) : uuidV7(deps.clock.now());
  const command: Command = {
    type: 'start', instanceId,
    ...(input.variables ? { variables: input.variables } : {}),
    ...(input.businessKey !== undefined ? { businessKey: input.businessKey } : {}),
  };
  return submitCommand(deps, { instanceId, command, definition: { key: def.key, version } }, options);
}

export async function getInstance(deps: ServiceDeps, instanceId: string): Promise<StateView> {
  const latest = await latestOf(deps, instanceId);
  return stateView(latest, await definitionOf(deps, latest.definitionKey, latest.definitionVersion));
}

/** The instance as version `version` left it (the time-travel view). */
export async function getInstanceVersion(deps: ServiceDeps, instanceId: string, version: number): Promise<StateView & { at: string; command: EngineCommand }> {
  const found = await deps.instances.getVersion(instanceId, version);
  if (!found) throw new NotFound('instance version', `${instanceId}@${version}`);
  const view = stateView(found, await definitionOf(deps, found.definitionKey, found.definitionVersion));
  return { ...view, at: iso(found.at), command: found.command };
}

export async function history(deps: ServiceDeps, instanceId: string, page: { after: number; limit: number }): Promise<{ versions: HistoryEntry[]; next: number | null }> {
  const versions = await deps.instances.listVersions(instanceId, { after: page.after, limit: page.limit + 1 });
  if (versions.length === 0 && !(await deps.instances.getHead(instanceId, true))) throw new NotFound('instance', instanceId);
  const shown = versions.slice(0, page.limit);
  return {
    versions: shown.map((v) => ({ version: v.version, commandId: v.commandId, command: v.command, at: iso(v.at), events: v.events })),
    next: versions.length > page.limit ? (shown.at(-1)?.version ?? null) : null,
  };
}

export async function listInstances(deps: ServiceDeps, query: { definitionKey: string; status: HeadStatus; limit: number; cursor?: string | undefined }): Promise<Page<InstanceSummary>> {
  if (query.cursor !== undefined && !isCursor(query.cursor)) throw new InvalidRequest('invalid cursor', [{ path: 'cursor', message: 'pass back the cursor of the previous page unchanged' }]);
  const page = await deps.instances.listInstances({ definitionKey: query.definitionKey, status: query.status, limit: query.limit, cursor: query.cursor ?? null });
  return {
    items: page.items.map((h) => ({
      instanceId: h.instanceId, definitionKey: h.definitionKey, definitionVersion: h.definitionVersion,
      businessKey: h.businessKey ?? null, startedAt: iso(h.startedAt), status: h.status,
    })),
    cursor: page.cursor,
  };
}

/** A cursor is what listInstances handed out: base64url JSON of one position per shard (a string, or null when done). */
function isCursor(cursor: string): boolean {
  try {
    const positions = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(positions) && positions.length > 0 && positions.length <= 64 && positions.every((p) => p === null || typeof p === 'string');
  } catch {
    return false;
  }
}

export async function cancelInstance(deps: ServiceDeps, instanceId: string, options: CommandOptions): Promise<CommandOutcome> {
  return submitCommand(deps, { instanceId, command: { type: 'cancel' } }, options);
}

export async function setVariables(deps: ServiceDeps, instanceId: string, variables: JsonObject, options: CommandOptions): Promise<CommandOutcome> {
  return submitCommand(deps, { instanceId, command: { type: 'setVariables', variables } }, options);
}

/** Rollback works on ended instances too: the instance continues from the old state. */
export async function rollbackInstance(deps: ServiceDeps, instanceId: string, toVersion: number, options: CommandOptions): Promise<CommandOutcome> {
  return submitCommand(deps, { instanceId, command: { type: 'rollback', toVersion } }, options);
}

/** `incidentId` is global (`<instanceId>.<key>`) or the bare key. */
export async function resolveIncident(deps: ServiceDeps, instanceId: string, incidentId: string, retries: number | undefined, options: CommandOptions): Promise<CommandOutcome> {
  const globalId = /^\d+$/.test(incidentId) ? `${instanceId}.${incidentId}` : incidentId;
  if (instanceOf(globalId) !== instanceId) throw new NotFound('incident', incidentId);
  const command: EngineCommand = { type: 'resolveIncident', incidentId: globalId, ...(retries !== undefined ? { retries } : {}) };
  return submitCommand(deps, { instanceId, command }, options);
}
