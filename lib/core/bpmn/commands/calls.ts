/**
 * The parent's side of a call activity: what a child reports back (see `calls.ts`).
 * Each command names the call activity instance (`callId`) and the child; a child
 * that is no longer the one the call activity waits for is stale: a rejection.
 */
import type { Command, Rejection } from '../../commands.ts';
import { REJECTIONS } from '../../commands.ts';
import type { JsonObject } from '../../json.ts';
import type { Context } from '../context.ts';
import { splitGlobalId, type Call } from '../../state/types.ts';
import { throwError, throwEscalation } from '../features/triggers.ts';

type Outcome = Rejection | null;

function waitingCall(run: Context, callId: string, childInstanceId: string): Call | Rejection {
  const parts = splitGlobalId(String(callId));
  if (!parts || parts.instanceId !== run.state.instanceId) {
    return { code: REJECTIONS.notFound, message: `call activity '${callId}' does not belong to instance '${run.state.instanceId}'` };
  }
  const call = Object.values(run.state.calls ?? {}).find((c) => c.ei === parts.key && c.childInstanceId === childInstanceId);
  return call ?? { code: REJECTIONS.invalidState, message: `call activity '${callId}' is not waiting for child instance '${childInstanceId}'` };
}

/**
 * The child completed: its root variables are accepted like a job's (output mappings
 * apply); with `propagateAllChildVariables="false"` only output mappings bring any back.
 */
export function completeCall(run: Context, command: Extract<Command, { type: 'completeCall' }>, variables: JsonObject): Outcome {
  const call = waitingCall(run, command.callId, command.childInstanceId);
  if ('code' in call) return call;
  run.emit({ type: 'CallEnded', key: call.key, outcome: 'completed' });
  const el = run.element(run.instance(call.ei)?.elementId ?? '');
  if (el.kind !== 'callActivity' || el.call.propagateAllChildVariables || el.outputs.length > 0) run.acceptVariables(call.ei, variables);
  run.later(() => run.complete(call.ei));
  return null;
}

/**
 * An error or escalation the child did not catch, thrown again from the call activity:
 * boundary events on it and enclosing scopes catch it; terminating the call activity
 * cancels the child. An uncaught error is an incident on the call activity (resolving
 * it starts the call again, with a new child).
 */
export function callThrown(run: Context, command: Extract<Command, { type: 'callThrown' }>): Outcome {
  const call = waitingCall(run, command.callId, command.childInstanceId);
  if ('code' in call) return call;
  if (!command.code || typeof command.code !== 'string') return { code: REJECTIONS.invalidCommand, message: 'code is required' };
  // One uncaught error at a time: the incident it raised decides the call's fate (resolving it starts a new child).
  if (Object.values(run.state.incidents).some((i) => i.ei === call.ei)) {
    return { code: REJECTIONS.invalidState, message: `call activity '${command.callId}' is already in an incident` };
  }
  if (command.kind === 'error') throwError(run, call.ei, command.code, command.message ?? null, null);
  else if (command.kind === 'escalation') throwEscalation(run, call.ei, command.code);
  else return { code: REJECTIONS.invalidCommand, message: `kind must be 'error' or 'escalation'` };
  return null;
}

/** A child instance is canceled through its parent only: alone, the call activity would wait for it forever. */
export function refuseChildCancel(run: Context, command: Extract<Command, { type: 'cancel' }>): Outcome {
  const parent = run.state.parent;
  if (!parent || command.byParent === true) return null;
  return { code: REJECTIONS.invalidState, message: `instance '${run.state.instanceId}' was started by call activity '${parent.callId}' of instance '${parent.instanceId}'; cancel that instance instead` };
}

/** The child could not be started (its process is not deployed): an incident; resolving it tries again. */
export function failCall(run: Context, command: Extract<Command, { type: 'failCall' }>): Outcome {
  const call = waitingCall(run, command.callId, command.childInstanceId);
  if ('code' in call) return call;
  run.emit({ type: 'CallEnded', key: call.key, outcome: 'notFound' });
  run.incident(call.ei, 'calledElement', String(command.message), 'activate');
  return null;
}
