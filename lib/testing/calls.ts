/**
 * Call activities in the in-memory engine: after each step, the effects that link a
 * parent and its children are delivered at once, in order, as the durable runtime does
 * through the commands queue (lib/app/calls.ts):
 *
 *   child.start    -> start the child (or `failCall` on the parent when the process is not deployed)
 *   child.cancel   -> cancel the child
 *   call.completed -> `completeCall` on the parent
 *   call.thrown    -> `callThrown` on the parent
 *
 * Deliveries are queued and drained by the outermost step, so a chain of parent and
 * children runs like a message queue, never by deep recursion.
 */
import type { Command } from '../core/commands.ts';
import type { Effect } from '../core/effects.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { TestEngine } from './engine.ts';
import { TestInstance } from './instance.ts';

type ChildStart = Extract<Effect, { type: 'child.start' }>;

/** The definition a child.start runs, or why there is none (the incident message). */
export function calledDefinition(definitions: ReadonlyMap<string, ProcessDefinition>, effect: ChildStart): ProcessDefinition | string {
  const def = definitions.get(effect.processId);
  if (!def) return `no process '${effect.processId}' is deployed (called by '${effect.callId}')`;
  if (effect.bindingType === 'versionTag' && def.versionTag !== effect.versionTag) {
    return `no version of process '${effect.processId}' with version tag '${effect.versionTag}' is deployed (called by '${effect.callId}')`;
  }
  if (effect.bindingType === 'deployment' && def.hash !== effect.parentDefinitionHash) {
    return `process '${effect.processId}' was not deployed together with the caller (bindingType deployment, called by '${effect.callId}')`;
  }
  return def;
}

export class CallDispatcher {
  private readonly queue: Effect[] = [];
  private draining = false;

  constructor(private readonly engine: TestEngine) {}

  /** Queues the call effects of a step and, unless a drain is under way, delivers them. */
  deliver(effects: Effect[]): void {
    const linked = ['child.start', 'child.cancel', 'call.completed', 'call.thrown'];
    this.queue.push(...effects.filter((e) => linked.includes(e.type)));
    if (this.draining) return;
    this.draining = true;
    try {
      for (let effect = this.queue.shift(); effect; effect = this.queue.shift()) this.perform(effect);
    } finally {
      this.draining = false;
    }
  }

  private send(instanceId: string, command: Command): void {
    const instance = this.engine.instances.get(instanceId);
    if (instance && instance.state.status === 'active') instance.send(command);
  }

  private perform(effect: Effect): void {
    switch (effect.type) {
      case 'child.start':
        return this.startChild(effect);
      case 'child.cancel':
        return this.send(effect.childInstanceId, { type: 'cancel', byParent: true });
      case 'call.completed':
        return this.send(effect.parentInstanceId, { type: 'completeCall', callId: effect.callId, childInstanceId: effect.childInstanceId, variables: effect.variables });
      case 'call.thrown': {
        const { callId, childInstanceId, kind, code, message } = effect;
        return this.send(effect.parentInstanceId, { type: 'callThrown', callId, childInstanceId, kind, code, message });
      }
      default:
        return;
    }
  }

  private startChild(effect: ChildStart): void {
    const { callId, childInstanceId, parentInstanceId } = effect;
    const def = calledDefinition(this.engine.definitions, effect);
    if (typeof def === 'string') return this.send(parentInstanceId, { type: 'failCall', callId, childInstanceId, message: def });
    const child = new TestInstance(this.engine, def, childInstanceId);
    this.engine.instances.set(childInstanceId, child);
    const result = child.send({ type: 'start', instanceId: childInstanceId, variables: effect.variables, parent: { instanceId: parentInstanceId, callId } });
    if (!result.rejection) return;
    this.engine.instances.delete(childInstanceId);
    this.send(parentInstanceId, { type: 'failCall', callId, childInstanceId, message: `process '${def.key}' could not start: ${result.rejection.message}` });
  }
}
