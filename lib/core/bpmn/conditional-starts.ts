/**
 * Conditional start events at process level (Camunda 7's "evaluate conditions"): a
 * caller offers variables, and every process whose conditional start event's condition
 * holds over them starts there with those variables. Pure: the app (an HTTP endpoint)
 * and the TestEngine decide which definitions to ask and start the instances.
 */
import { conditionValue } from '../expressions/condition-value.ts';
import { evaluateFeel } from '../expressions/feel.ts';
import type { JsonObject } from '../json.ts';
import { triggerOf, type ProcessDefinition } from './model/types.ts';

export interface ConditionalStart {
  startEventId: string;
  /** FEEL over the offered variables. */
  condition: string;
}

/**
 * The conditional start events of a process (at process level; event subprocess starts are not).
 *
 * @example conditionalStartsOf(def) // [{ startEventId: 'bigOrder', condition: '=amount > 1000' }]
 */
export function conditionalStartsOf(definition: ProcessDefinition): ConditionalStart[] {
  const starts: ConditionalStart[] = [];
  for (const id of definition.startEvents) {
    const trigger = triggerOf(definition.elements[id]);
    if (trigger?.type === 'conditional') starts.push({ startEventId: id, condition: trigger.condition });
  }
  return starts;
}

/**
 * The conditional start events whose condition is true over `variables` (null or a missing
 * variable counts as false). A condition that fails or is not a boolean is reported, not thrown, and starts nothing.
 *
 * @example matchingConditionalStarts(def, { amount: 1500 }, now) // { startEventIds: ['bigOrder'], problems: [] }
 */
export function matchingConditionalStarts(definition: ProcessDefinition, variables: JsonObject, now: number): { startEventIds: string[]; problems: string[] } {
  const startEventIds: string[] = [];
  const problems: string[] = [];
  for (const { startEventId, condition } of conditionalStartsOf(definition)) {
    const value = conditionValue(evaluateFeel(condition, variables, now), `condition of start event '${startEventId}' of '${definition.key}'`);
    if (!value.ok) problems.push(value.message);
    else if (value.holds) startEventIds.push(startEventId);
  }
  return { startEventIds, problems };
}
