/**
 * The benchmark scenarios: one BPMN document per scenario that both engines run
 * unchanged. Each service task carries a `zeebe:taskDefinition` (ours: it becomes
 * a job) and an `implementation` expression (bpmn-engine: it calls the `work`
 * service); each engine ignores the other's attribute.
 */
import { bpmn, flow, flows, job } from '../lib/testing/bpmn.ts';

export interface Scenario {
  name: string;
  /** One BPMN document, read by both engines. */
  xml: string;
  /** Flow nodes one instance activates (events, tasks, gateways): the per-node divisor. */
  flowNodes: number;
  /** Wait states one instance passes through, each completed from outside. */
  waits: number;
  /** Serialise (JSON.stringify), parse and restore the state between every transition. */
  persist: boolean;
}

const TASKS = Array.from({ length: 10 }, (_, i) => `task${i + 1}`);

function serviceTask(id: string): string {
  return `<serviceTask id="${id}" implementation="\${environment.services.work}">${job('work')}</serviceTask>`;
}

function userTask(id: string): string {
  return `<userTask id="${id}"/>`;
}

function sequence(ids: string[], task: (id: string) => string): string {
  return bpmn(`
    <startEvent id="start"/>
    ${ids.map(task).join('\n')}
    <endEvent id="end"/>
    ${flows('start', ...ids, 'end')}`);
}

function fanOut(ids: string[]): string {
  return bpmn(`
    <startEvent id="start"/>
    <parallelGateway id="split"/>
    ${ids.map(serviceTask).join('\n')}
    <parallelGateway id="join"/>
    <endEvent id="end"/>
    ${flow('start', 'split')}
    ${ids.map((id) => `${flow('split', id)}\n${flow(id, 'join')}`).join('\n')}
    ${flow('join', 'end')}`);
}

/** The four scenarios of the issue, in the order they are reported. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'one task', xml: sequence(['task1'], serviceTask), flowNodes: 3, waits: 1, persist: false },
  { name: 'ten tasks in sequence', xml: sequence(TASKS, serviceTask), flowNodes: 12, waits: 10, persist: false },
  { name: 'fan-out 10 + join', xml: fanOut(TASKS), flowNodes: 14, waits: 10, persist: false },
  { name: 'ten user tasks, persisted', xml: sequence(TASKS, userTask), flowNodes: 12, waits: 10, persist: true },
];
