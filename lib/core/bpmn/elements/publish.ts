/**
 * Message throw without a job worker (send task, message throw/end event): a publish
 * effect with the message name and correlation key; the payload is the element's
 * input mappings (its local variables), or nothing.
 */
import type { EventTrigger, JobSpec, ElementOf } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Activation, Behaviour } from '../context.ts';
import { createJob } from './job.ts';

/** An element that publishes a message, or has a job worker do it. */
export interface Publisher {
  id: string;
  trigger: EventTrigger | null;
  job: JobSpec | null;
}

export function publishMessage(run: Context, ei: string, el: Publisher): Activation {
  if (el.job) return createJob(run, ei, el.id, el.job);
  if (el.trigger?.type !== 'message') return 'complete';
  const name = run.value(el.trigger.message.name, ei);
  const key = el.trigger.message.correlationKey ? run.value(el.trigger.message.correlationKey, ei) : { ok: true as const, value: null };
  if (!name.ok || !key.ok) {
    run.incident(ei, 'expression', `message of '${el.id}': ${!name.ok ? name.message : !key.ok ? key.message : ''}`, 'activate');
    return 'wait';
  }
  const correlationKey = key.value === null ? null : typeof key.value === 'object' ? JSON.stringify(key.value) : String(key.value);
  run.emit({ type: 'MessagePublished', elementId: el.id, name: String(name.value), correlationKey });
  run.effect({ type: 'message.publish', instanceId: run.state.instanceId, elementId: el.id, name: String(name.value), correlationKey, variables: run.state.vars[ei] ?? {} });
  return 'complete';
}

export const sendTask: Behaviour<ElementOf<'sendTask'>> = {
  activate: (run, key, el) => publishMessage(run, key, el),
};

/** Signal throw / end event: a broadcast effect; the payload is the element's input mappings (its local variables). */
export function broadcastSignal(run: Context, ei: string, el: Publisher): Activation {
  if (el.trigger?.type !== 'signal') return 'complete';
  const name = run.value(el.trigger.name, ei);
  if (!name.ok) {
    run.incident(ei, 'expression', `signal name of '${el.id}': ${name.message}`, 'activate');
    return 'wait';
  }
  run.emit({ type: 'SignalBroadcast', elementId: el.id, name: String(name.value) });
  run.effect({ type: 'signal.broadcast', instanceId: run.state.instanceId, elementId: el.id, name: String(name.value), variables: run.state.vars[ei] ?? {} });
  return 'complete';
}
