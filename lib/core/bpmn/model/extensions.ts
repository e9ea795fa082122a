/**
 * Reading `zeebe:` extension elements off moddle elements. Unknown extension
 * elements are reported, never dropped: a Camunda 7 `camunda:` listener or a
 * vendor extension we do not run must fail the deploy, not vanish.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { Mapping } from './types.ts';

/** Extension elements that carry metadata only: accepted and kept out of execution. */
const METADATA = new Set([
  'zeebe:Properties',
  'zeebe:VersionTag',
  'zeebe:PriorityDefinition',
  'zeebe:JobPriorityDefinition',
  'zeebe:LinkedResources',
  'zeebe:UserTaskForm',
]);

/** Extension elements we execute; which element kinds may carry them is checked by the compiler. */
export const EXECUTED = new Set([
  'zeebe:TaskDefinition',
  'zeebe:TaskHeaders',
  'zeebe:IoMapping',
  'zeebe:Subscription',
  'zeebe:AssignmentDefinition',
  'zeebe:FormDefinition',
  'zeebe:Script',
  'zeebe:UserTask',
  'zeebe:TaskSchedule',
  'zeebe:CalledElement',
  'zeebe:LoopCharacteristics',
  'zeebe:CalledDecision',
  'zeebe:AdHoc',
]);

const UNSUPPORTED: Record<string, string> = {
  'zeebe:ExecutionListeners': 'execution listeners are not supported',
  'zeebe:TaskListeners': 'task listeners are not supported',
  'zeebe:AgentDefinition': 'AI agent definitions are not supported',
};

export function extensionValues(element: ModdleElement): ModdleElement[] {
  const ext = element['extensionElements'] as { values?: ModdleElement[] } | undefined;
  return Array.isArray(ext?.values) ? ext.values : [];
}

export function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensionValues(element).find((value) => value.$type === type);
}

/** Problems with the extension elements of one element (messages only; the caller adds ids). */
export function unsupportedExtensions(element: ModdleElement): string[] {
  const problems: string[] = [];
  for (const value of extensionValues(element)) {
    const type = value.$type;
    if (METADATA.has(type) || EXECUTED.has(type) || type.startsWith('signavio:')) continue;
    problems.push(UNSUPPORTED[type] ?? `unsupported extension element <${type}>`);
  }
  return problems;
}

export function str(element: ModdleElement | undefined, property: string): string | null {
  const value = element?.[property];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function ioMappings(element: ModdleElement): { inputs: Mapping[]; outputs: Mapping[] } {
  const io = extension(element, 'zeebe:IoMapping');
  const read = (list: unknown): Mapping[] =>
    (Array.isArray(list) ? (list as ModdleElement[]) : []).map((p) => ({ source: str(p, 'source') ?? '', target: str(p, 'target') ?? '' }));
  return { inputs: read(io?.['inputParameters']), outputs: read(io?.['outputParameters']) };
}

export function taskHeaders(element: ModdleElement): Record<string, string> {
  const headers: Record<string, string> = {};
  const values = extension(element, 'zeebe:TaskHeaders')?.['values'];
  for (const header of Array.isArray(values) ? (values as ModdleElement[]) : []) {
    const key = str(header, 'key');
    if (key && key !== '__proto__' && key !== 'constructor') headers[key] = typeof header['value'] === 'string' ? header['value'] : '';
  }
  return headers;
}

/** The value of `<zeebe:properties><zeebe:property name="..." value="..."/></zeebe:properties>`, or null. */
export function zeebeProperty(element: ModdleElement, name: string): string | null {
  const list = extension(element, 'zeebe:Properties')?.['properties'];
  const found = (Array.isArray(list) ? (list as ModdleElement[]) : []).find((p) => str(p, 'name') === name);
  return found ? (typeof found['value'] === 'string' ? found['value'] : '') : null;
}
