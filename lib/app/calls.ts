/**
 * Call activities on the durable path: the effects that link a parent instance and its
 * children become commands on the commands queue (see lib/core/bpmn/features/calls.ts for the protocol).
 *
 *   child.start    -> `start` for the child, with the version the binding picks
 *                     (or `failCall` to the parent: an incident naming the missing process)
 *   child.cancel   -> `cancel` for the child
 *   call.completed -> `completeCall` for the parent
 *   call.thrown    -> `callThrown` for the parent
 *   a child's start refused by the engine -> `failCall` for the parent (failedChildStart,
 *                     called by the commands handler)
 *
 * Every command id derives from the child's id (itself derived from the parent's id and
 * the call's key) or from the effect id, so re-emitting a version after a crash sends
 * the same ids: SQS FIFO deduplication and the engine drop the repeat.
 */
import { REJECTIONS, type Rejection } from '../core/commands.ts';
import type { Effect } from '../core/effects.ts';
import { triggerOf, type ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { CommandBus, CommandEnvelope, DefinitionResolver, DefinitionStore } from '../ports.ts';
import { envelope } from './service/commands.ts';

export type CallEffect = Extract<Effect, { type: 'child.start' | 'child.cancel' | 'call.completed' | 'call.thrown' }>;
type ChildStart = Extract<Effect, { type: 'child.start' }>;

export interface CallTargets {
  commands: CommandBus;
  starts?: { definitions: DefinitionStore; resolver: DefinitionResolver } | undefined;
}

/** The deployed version a child.start runs (key and version), or why there is none. */
export async function calledVersion(store: DefinitionStore, resolver: DefinitionResolver, effect: ChildStart): Promise<{ version: number; def: ProcessDefinition } | string> {
  const { processId, callId } = effect;
  const by = `(called by '${callId}')`;
  if (effect.bindingType === 'latest') {
    const latest = await store.latest(processId);
    if (!latest) return `no process '${processId}' is deployed ${by}`;
    return { version: latest.version, def: await resolver.resolve(processId, latest.version) };
  }
  const versions = (await store.versions(processId)).sort((a, b) => b.version - a.version);
  if (effect.bindingType === 'deployment') {
    // One deploy request is one BPMN document: processes deployed together share its hash.
    const same = versions.find((v) => v.hash === effect.parentDefinitionHash);
    if (!same) return `process '${processId}' was not deployed together with the caller (bindingType deployment) ${by}`;
    return { version: same.version, def: await resolver.resolve(processId, same.version) };
  }
  for (const v of versions) {
    const def = await resolver.resolve(processId, v.version);
    if (def.versionTag === effect.versionTag) return { version: v.version, def };
  }
  return `no version of process '${processId}' with version tag '${effect.versionTag}' is deployed ${by}`;
}

function hasNoneStart(def: ProcessDefinition): boolean {
  return def.startEvents.some((id) => triggerOf(def.elements[id])?.type === 'none');
}

async function childStart(targets: CallTargets, effect: ChildStart): Promise<CommandEnvelope> {
  const { parentInstanceId, callId, childInstanceId, processId } = effect;
  if (!targets.starts) throw new Error('child.start needs EffectTargets.starts (the definition store and resolver)');
  const found = await calledVersion(targets.starts.definitions, targets.starts.resolver, effect);
  if (typeof found === 'string' || !hasNoneStart(found.def)) {
    const message = typeof found === 'string' ? found : `process '${processId}' has no none start event to call (called by '${callId}')`;
    return envelope(parentInstanceId, `call-failed:${childInstanceId}`, { type: 'failCall', callId, childInstanceId, message });
  }
  const start = { type: 'start' as const, instanceId: childInstanceId, variables: effect.variables, parent: { instanceId: parentInstanceId, callId } };
  return envelope(childInstanceId, `call:${childInstanceId}`, start, { key: processId, version: found.version });
}

/** Sends the command a call effect stands for. */
export async function performCall(targets: CallTargets, effect: CallEffect, effectId: string): Promise<void> {
  const { callId, childInstanceId, parentInstanceId } = effect;
  switch (effect.type) {
    case 'child.start':
      return targets.commands.send([await childStart(targets, effect)]);
    case 'child.cancel':
      return targets.commands.send([envelope(childInstanceId, `call-cancel:${childInstanceId}`, { type: 'cancel', byParent: true })]);
    case 'call.completed':
      return targets.commands.send([envelope(parentInstanceId, `call-done:${childInstanceId}`, { type: 'completeCall', callId, childInstanceId, variables: effect.variables })]);
    case 'call.thrown': {
      const { kind, code, message } = effect;
      return targets.commands.send([envelope(parentInstanceId, `call-thrown:${effectId}`, { type: 'callThrown', callId, childInstanceId, kind, code, message })]);
    }
  }
}

/**
 * A call activity's child that could not start (its start command was refused: variables the
 * child's start refuses, a start event problem) must not leave the parent waiting forever:
 * the parent gets `failCall`, an incident on the call activity (resolving it calls again).
 * "Already exists" is a redelivered start of a child that did start: nothing to report.
 */
export function failedChildStart(envelope: CommandEnvelope, rejection: Rejection): CommandEnvelope | null {
  const command = envelope.command;
  if (command.type !== 'start' || !command.parent || rejection.code === REJECTIONS.invalidState || rejection.code === REJECTIONS.duplicate) return null;
  const { instanceId: parentInstanceId, callId } = command.parent;
  return {
    id: `call-failed:${envelope.instanceId}`, instanceId: parentInstanceId,
    command: { type: 'failCall', callId, childInstanceId: envelope.instanceId, message: `the called instance '${envelope.instanceId}' could not start: ${rejection.message}` },
  };
}
