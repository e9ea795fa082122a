/**
 * Call activities: a parent instance waits in a call activity while a child instance
 * runs. The two are separate instances (separate transitions); they talk through
 * effects and commands only:
 *
 *   parent                                  child
 *   callActivity activates ── child.start ──► start { parent: { instanceId, callId } }
 *     (CallStarted: calls[key])                   ... runs ...
 *   completeCall ◄──────────── call.completed ── InstanceCompleted (root variables)
 *   callThrown ◄────────────── call.thrown ───── error / escalation nothing in it catches
 *   call activity terminated ── child.cancel ──► cancel (reports nothing back)
 *
 * The child's id derives from the parent's id and the call's own local key, so it is
 * deterministic, and a call started again (incident resolved, rollback) gets a new child.
 * Commands from a child that is no longer the one waited for are rejected as stale.
 */
import type { Activation } from '../context.ts';
import type { ElementOf } from '../model/types.ts';
import type { Run } from '../run.ts';
import { ROOT, type Call } from '../../state/types.ts';
import { PROCESS_ID } from '../model/call.ts';

const MAX_ID = 64;

/** FNV-1a, 64 bits, base 36: a short, pure, stable digest (not for security). */
export function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(36).padStart(13, '0');
}

/**
 * The child instance id of call `key` of instance `parentId`: `<parentId>-<key>`, or, past
 * 64 characters, a prefix of the parent id with a digest of the whole of it.
 *
 * @example childInstanceId('order-7', '12') // 'order-7-12'
 */
export function childInstanceId(parentId: string, key: string): string {
  const plain = `${parentId}-${key}`;
  if (plain.length <= MAX_ID) return plain;
  const suffix = `-${shortHash(parentId)}-${key}`;
  return `${parentId.slice(0, Math.max(0, MAX_ID - suffix.length))}${suffix}`;
}

/** Opens a call for call activity instance `ei` (a new key, so a new child) and asks for the child's start. */
function openCall(run: Run, ei: string, el: ElementOf<'callActivity'>, processId: string): void {
  const spec = el.call;
  const key = run.newKey();
  const child = childInstanceId(run.state.instanceId, key);
  run.emit({ type: 'CallStarted', key, ei, childInstanceId: child, processId });
  const variables = spec.propagateAllParentVariables ? run.visible(ei) : (run.state.vars[ei] ?? {});
  run.effect({
    type: 'child.start', parentInstanceId: run.state.instanceId, callId: run.id(ei), childInstanceId: child, processId,
    bindingType: spec.bindingType, versionTag: spec.versionTag, parentDefinitionHash: run.state.definitionHash, variables,
  });
}

/** The call activity behaviour: resolve the called process id, start the child, wait for it. */
export function startCall(run: Run, ei: string, el: ElementOf<'callActivity'>): Activation {
  const spec = el.call;
  const processId = run.name(spec.processId, ei, `called processId of '${el.id}'`, (id) => PROCESS_ID.test(id), 'a process id');
  if (processId !== null) openCall(run, ei, el, processId);
  return 'wait';
}

/** Rollback: the call of the restored state is opened again under a new key, so a new child runs. */
export function restartCall(run: Run, call: Call): void {
  const ei = run.instance(call.ei);
  run.emit({ type: 'CallEnded', key: call.key, outcome: 'canceled' });
  const el = ei ? run.element(ei.elementId) : undefined;
  if (el?.kind === 'callActivity') openCall(run, call.ei, el, call.processId);
}

/** The child side of an uncaught error / escalation: with a parent, it goes there. Returns whether it did. */
export function forwardThrown(run: Run, kind: 'error' | 'escalation', code: string, message: string | null): boolean {
  const parent = run.state.parent;
  if (!parent) return false;
  run.effect({ type: 'call.thrown', parentInstanceId: parent.instanceId, callId: parent.callId, childInstanceId: run.state.instanceId, kind, code, message });
  return true;
}

/** The child side of completion: a child reports its root variables to the waiting call activity. */
export function reportCompletion(run: Run): void {
  const parent = run.state.parent;
  if (!parent || run.state.status !== 'completed') return;
  run.effect({ type: 'call.completed', parentInstanceId: parent.instanceId, callId: parent.callId, childInstanceId: run.state.instanceId, variables: run.state.vars[ROOT] ?? {} });
}
