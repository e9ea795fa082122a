/**
 * Human renderings of the API's answers (the `--json` form is the answer itself).
 */
import type { CommandResult, History, Instance, InstanceSummary, Page, StartResult } from '../worker/types.ts';
import { inert } from './output.ts';
import { cell, keyValues, objectTable, table, time } from './table.ts';

const list = <T>(value: T[] | undefined | null): T[] => (Array.isArray(value) ? value : []);

/**
 * ```
 * instance      a1
 * definition    telecom-order (version 2)
 * ...
 * variables
 *   customer  {"id":"c1"}
 * ```
 */
export function renderInstance(instance: Instance): string {
  const sections = [keyValues([
    ['instance', cell(instance.instanceId)],
    ['definition', `${cell(instance.definitionKey)} (version ${cell(instance.definitionVersion)})`],
    ['business key', cell(instance.businessKey)],
    ['status', cell(instance.status)],
    ['version', cell(instance.version)],
    ...(instance.startedAt === undefined ? [] : [['started', time(instance.startedAt)] as const]),
    ...(instance.endedAt == null ? [] : [['ended', time(instance.endedAt)] as const]),
  ])];
  const variables = Object.entries(instance.variables ?? {});
  sections.push(`variables\n${variables.length > 0 ? keyValues(variables.map(([k, v]) => [inert(k, 40), cell(v, 120)]), '  ') : '  (none)\n'}`);
  const part = (title: string, items: unknown[], columns: readonly string[]): void => {
    sections.push(`${title}\n${items.length > 0 ? objectTable(items, columns, '  ') : '  (none)\n'}`);
  };
  part('active elements', list(instance.activeElements), ['elementId', 'name', 'kind', 'type']);
  part('incidents', list(instance.incidents), ['incidentId', 'elementId', 'kind', 'message']);
  part('jobs', list(instance.jobs), ['jobId', 'type', 'elementId', 'retries']);
  part('tasks', list(instance.tasks), ['taskId', 'name', 'elementId', 'assignee', 'candidateGroups']);
  return sections.join('\n');
}

export function renderInstances(page: Page<InstanceSummary>): string {
  const items = list(page.items);
  if (items.length === 0) return 'no instances\n';
  const rows = items.map((i) => [cell(i.instanceId), cell(i.definitionKey), cell(i.definitionVersion), cell(i.status), cell(i.businessKey), time(i.startedAt)]);
  const more = page.cursor ? `next page: --cursor ${cell(page.cursor, 500)}\n` : '';
  return table(['INSTANCE', 'DEFINITION', 'VERSION', 'STATUS', 'BUSINESS KEY', 'STARTED'], rows) + more;
}

function eventName(event: unknown): string {
  if (typeof event === 'object' && event !== null && 'type' in event) return String((event as { type: unknown }).type);
  return JSON.stringify(event) ?? '?';
}

export function renderHistory(history: History): string {
  const versions = list(history.versions);
  if (versions.length === 0) return 'no versions\n';
  const rows = versions.map((v) => [cell(v.version), time(v.at), cell(v.command?.type), cell(list(v.events).map(eventName).join(', '), 120)]);
  const more = typeof history.next === 'number' ? `next page: --after ${history.next}\n` : '';
  return table(['VERSION', 'AT', 'COMMAND', 'EVENTS'], rows) + more;
}

export function renderStart(result: StartResult): string {
  if (result.status === 'accepted') return `accepted: start instance ${cell(result.instanceId)} (queued as command ${cell(result.commandId)})\n`;
  return `started instance ${cell(result.instanceId)}${result.version === null ? '' : ` (version ${result.version})`}\n`;
}

/**
 * `completed job a1.7 (instance version 8)`, or for a 202
 * `accepted: complete job a1.7 (queued as command c1)`.
 */
export function renderCommand(result: CommandResult, text: { done: string; todo: string }): string {
  if (result.status === 'accepted') return `accepted: ${text.todo} (queued as command ${cell(result.commandId)})\n`;
  return `${text.done}${result.version === null ? '' : ` (instance version ${result.version})`}\n`;
}
