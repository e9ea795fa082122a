/** The compile rules of events: the triggers each kind runs (anything else is refused at deploy). */
import type { ModdleElement } from 'bpmn-moddle';
import type { CompileRule, ElementReader } from '../reader.ts';
import type { EventTrigger, JobSpec } from '../types.ts';

export const startEvent: CompileRule<'startEvent'> = (base, read) => {
  const trigger = read.trigger(['none', 'message', 'timer', 'signal', 'error', 'escalation', 'conditional', 'compensation']);
  // isInterrupting matters for event subprocess starts only.
  return { ...base, trigger, condition: read.condition(trigger), cancelActivity: read.node['isInterrupting'] !== false };
};

/** A throw event's trigger and job: only a message throw may be done by a job worker (the Zeebe way), then it throws nothing itself. */
function thrown(read: ElementReader, allowed: readonly string[]): { trigger: EventTrigger | null; job: JobSpec | null } {
  const trigger = read.trigger(allowed);
  const job = read.job();
  if (job && trigger?.type !== 'message') read.problems.push('only message throw events can have a zeebe:taskDefinition');
  return { trigger: job && trigger?.type === 'message' ? { type: 'none' } : trigger, job };
}

export const endEvent: CompileRule<'endEvent'> = (base, read) =>
  ({ ...base, ...thrown(read, ['none', 'terminate', 'error', 'message', 'signal', 'escalation', 'compensation', 'cancel']) });

export const intermediateThrowEvent: CompileRule<'intermediateThrowEvent'> = (base, read) =>
  ({ ...base, ...thrown(read, ['none', 'message', 'signal', 'escalation', 'link', 'compensation']) });

export const intermediateCatchEvent: CompileRule<'intermediateCatchEvent'> = (base, read) => {
  const trigger = read.trigger(['message', 'timer', 'signal', 'link', 'conditional']);
  return { ...base, trigger, condition: read.condition(trigger) };
};

export const boundaryEvent: CompileRule<'boundaryEvent'> = (base, read) => {
  const trigger = read.trigger(['message', 'timer', 'error', 'signal', 'escalation', 'compensation', 'cancel', 'conditional']);
  const attachedTo = (read.node['attachedToRef'] as ModdleElement | undefined)?.id ?? null;
  const cancelActivity = read.node['cancelActivity'] !== false;
  const condition = read.condition(trigger);
  if (!attachedTo) read.problems.push('a boundary event must be attached to an activity');
  if (trigger?.type === 'error' && !cancelActivity) read.problems.push('an error boundary event is always interrupting');
  return { ...base, trigger, condition, attachedTo, cancelActivity };
};
