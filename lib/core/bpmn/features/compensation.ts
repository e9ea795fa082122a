/**
 * Compensation and transaction cancel at runtime (BPMN 2.0, as Camunda 8 runs it).
 *
 *   activity with a compensation boundary completes -> CompensableRecorded (its local variables kept)
 *   compensation throw / end event in scope S        -> CompensationThrown (records of S consumed;
 *                                                       in an event subprocess, S is the scope it runs in)
 *     -> one handler per completed instance, newest first, the inside of a completed
 *        subprocess before its own handler: ElementActivated + CompensationHandlerActivated
 *     -> each handler done: CompensationHandlerCompleted -> all done: CompensationCompleted
 *     -> the thrower continues (waitForCompletion) | it continued at once
 *   cancel end event in transaction T -> terminate the rest of T -> compensate T's records
 *     -> all handlers done -> T's cancel boundary event interrupts T and takes its flow
 *
 * Handlers run as element instances in the thrower's scope, so that scope cannot complete
 * while they run, and their jobs and user tasks work like any other. A completed handler
 * takes no flow. Records of a completed scope stay reachable through a record of that scope
 * (see `state/compensation.ts`), so compensating a completed subprocess reaches inside it.
 *
 * A completed subprocess with a compensation event subprocess is compensated by that event
 * subprocess alone (started like a handler, with the subprocess's variables at completion):
 *
 *   CompensationThrown (the subprocess's record only) -> ElementActivated (event subprocess E)
 *     -> CompensationHandlerActivated (the records inside the subprocess now sit in E)
 *     -> a compensation throw inside E compensates them, newest first; what E leaves is dropped with it
 */
import type { Activation, Context } from '../context.ts';
import { StepBudgetExceeded } from '../../errors.ts';
import { isEventSubprocess, triggerOf, type EventTrigger } from '../model/types.ts';
import { ACTIVATION_BUDGET } from '../run.ts';
import { ROOT, type Compensable, type ElementInstance } from '../../state/types.ts';
import { triggerBoundary } from './triggers.ts';

/**
 * Called just before element instance `key` completes: records it when it has a compensation
 * handler (per inner instance for a multi-instance activity), or when compensable records
 * sit inside it (a completed subprocess or multi-instance body).
 */
export function recordCompletion(run: Context, key: string): void {
  const ei = run.instance(key);
  if (!ei) return;
  const el = run.element(ei.elementId);
  // What a handler did is not compensated again; records inside it are dropped with it.
  if (el.forCompensation) return;
  const handler = Boolean(el.compensationHandler) && !run.isBody(ei);
  const holds = Object.values(run.state.compensables ?? {}).some((r) => r.scope === key);
  if (!handler && !holds) return;
  const local = run.state.vars[key];
  const variables = handler && local && Object.keys(local).length > 0 ? { ...local } : null;
  run.emit({ type: 'CompensableRecorded', key: run.newKey(), ei: key, elementId: el.id, scope: ei.scope, handler, variables });
}

interface Plan {
  /** Every record compensation consumes (containers included). */
  consumed: string[];
  /** The records whose handlers run, in the order they start. */
  handlers: Compensable[];
}

/** True for an embedded subprocess whose handler is a compensation event subprocess inside it. */
function hasEventSubprocessHandler(run: Context, elementId: string): boolean {
  const handler = run.element(elementId).compensationHandler;
  return Boolean(handler && isEventSubprocess(run.element(handler)));
}

/** The records of `scope` (of `activityRef` only, when set), newest first, each one's inside before itself. */
function plan(run: Context, scope: string, activityRef: string | null): Plan {
  const byScope = new Map<string, Compensable[]>();
  for (const record of Object.values(run.state.compensables ?? {})) byScope.set(record.scope, [...(byScope.get(record.scope) ?? []), record]);
  const newestFirst = (s: string): Compensable[] => (byScope.get(s) ?? []).sort((a, b) => Number(b.key) - Number(a.key));
  const result: Plan = { consumed: [], handlers: [] };
  const visit = (record: Compensable): void => {
    result.consumed.push(record.key);
    // A compensation event subprocess replaces the default: the records inside stay for it to compensate.
    if (!(record.handler && hasEventSubprocessHandler(run, record.elementId))) for (const inner of newestFirst(record.ei)) visit(inner);
    if (record.handler) result.handlers.push(record);
  };
  for (const record of newestFirst(scope)) if (activityRef === null || record.elementId === activityRef) visit(record);
  return result;
}

function startHandler(run: Context, thrower: string, scope: string, record: Compensable): void {
  const handlerId = run.element(record.elementId).compensationHandler;
  if (!handlerId) return;
  if (++run.activations > ACTIVATION_BUDGET) throw new StepBudgetExceeded(ACTIVATION_BUDGET, handlerId);
  const key = run.newKey();
  run.emit({ type: 'ElementActivated', key, elementId: handlerId, scope });
  run.emit({ type: 'CompensationHandlerActivated', ei: thrower, handler: key, compensates: record.ei, activityId: record.elementId });
  // The handler sees the compensated instance's local variables as they were at its completion.
  if (record.variables) run.setLocal(key, record.variables);
  run.enter(key);
}

/**
 * The scope a throw in `scope` compensates: inside an event subprocess, the scope that event
 * subprocess runs in; inside a compensation event subprocess, the event subprocess itself (the
 * records of the subprocess it compensates moved to it when it started).
 */
function compensatedScope(run: Context, scope: string): string {
  const owner = scope === ROOT ? undefined : run.instance(scope);
  const el = owner ? run.element(owner.elementId) : undefined;
  return owner && isEventSubprocess(el) && !el?.forCompensation ? owner.scope : scope;
}

/** Compensates the records of the thrower's scope: 'wait' while the thrower waits for handlers, else 'complete'. */
function compensate(run: Context, ei: ElementInstance, activityRef: string | null, wait: boolean): Activation {
  const { consumed, handlers } = plan(run, compensatedScope(run, ei.scope), activityRef);
  const waiting = wait && handlers.length > 0;
  run.emit({ type: 'CompensationThrown', ei: ei.key, elementId: ei.elementId, activityRef, records: consumed, waiting });
  for (const record of handlers) startHandler(run, ei.key, ei.scope, record);
  if (waiting) return 'wait';
  if (wait) run.emit({ type: 'CompensationCompleted', ei: ei.key });
  return 'complete';
}

/** Compensation intermediate throw / end event. */
export function throwCompensation(run: Context, key: string, trigger: Extract<EventTrigger, { type: 'compensation' }>): Activation {
  const ei = run.instance(key);
  if (!ei) return 'complete';
  return compensate(run, ei, trigger.activityRef, trigger.waitForCompletion);
}

/** Cancel end event: ends the rest of its transaction, compensates it, then leaves through the cancel boundary event. */
export function cancelTransaction(run: Context, key: string): Activation {
  const ei = run.instance(key);
  if (!ei) return 'wait';
  const scope = ei.scope;
  run.clearScope(scope, key);
  if (compensate(run, ei, null, true) === 'complete') run.later(() => leaveTransaction(run, key));
  return 'wait';
}

function leaveTransaction(run: Context, cancelEnd: string): void {
  const ei = run.instance(cancelEnd);
  const tx = ei && ei.scope !== ROOT ? run.instance(ei.scope) : undefined;
  if (!tx) return;
  // A multi-instance transaction: the body carries the boundary events.
  const host = run.isInner(tx) ? tx.scope : tx.key;
  const boundary = run.element(tx.elementId).boundaries.map((id) => run.element(id)).find((b) => triggerOf(b)?.type === 'cancel');
  if (!boundary) throw new Error(`transaction '${tx.elementId}' has no cancel boundary event`);
  triggerBoundary(run, host, boundary, undefined);
}

/** Called when a compensation handler instance completed: the thrower continues once all of its handlers are done. */
export function handlerCompleted(run: Context, key: string): void {
  const compensation = Object.values(run.state.compensations ?? {}).find((c) => c.handlers.includes(key));
  if (!compensation) return;
  const thrower = compensation.key;
  run.emit({ type: 'CompensationHandlerCompleted', ei: thrower, handler: key });
  if ((run.state.compensations?.[thrower]?.handlers.length ?? 0) > 0) return;
  run.emit({ type: 'CompensationCompleted', ei: thrower });
  const el = run.element(run.instance(thrower)?.elementId ?? '');
  run.later(() => (triggerOf(el)?.type === 'cancel' ? leaveTransaction(run, thrower) : run.complete(thrower)));
}
