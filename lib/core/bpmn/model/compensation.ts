/**
 * Compensation and transactions at deploy time.
 *
 * A compensation boundary event is linked to its handler by an association (`bpmn:Association`,
 * source = the boundary event, target = an activity with `isForCompensation="true"`), never by a
 * sequence flow. The compiler records the handler on the compensable activity
 * (`ElementDef.compensationHandler`). An embedded subprocess may instead hold an event subprocess
 * with a compensation start event: that event subprocess is the subprocess's handler. Cancel end events live only directly inside transactions,
 * and each such transaction has exactly one (interrupting) cancel boundary event.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { isEventSubprocess, isTransaction, triggerOf, type ElementDef, type ElementOf, type EventTrigger } from './types.ts';

type Report = (elementId: string, message: string) => void;

export function readCompensation(definition: ModdleElement): EventTrigger {
  const activity = definition['activityRef'] as ModdleElement | undefined;
  return { type: 'compensation', activityRef: typeof activity?.id === 'string' ? activity.id : null, waitForCompletion: definition['waitForCompletion'] !== false };
}

/** source id -> target ids of every association in the process and its nested subprocesses. */
function associations(container: ModdleElement, found = new Map<string, string[]>(), depth = 0): Map<string, string[]> {
  if (depth > 100) return found;
  for (const artifact of (container['artifacts'] as ModdleElement[] | undefined) ?? []) {
    if (artifact.$type !== 'bpmn:Association') continue;
    const source = (artifact['sourceRef'] as ModdleElement | undefined)?.id;
    const target = (artifact['targetRef'] as ModdleElement | undefined)?.id;
    if (typeof source === 'string' && typeof target === 'string') found.set(source, [...(found.get(source) ?? []), target]);
  }
  for (const node of (container['flowElements'] as ModdleElement[] | undefined) ?? []) {
    if (node['flowElements']) associations(node, found, depth + 1);
  }
  return found;
}

const isCompensationBoundary = (el: ElementDef): el is ElementOf<'boundaryEvent'> => el.kind === 'boundaryEvent' && el.trigger?.type === 'compensation';

function linkBoundary(boundary: ElementOf<'boundaryEvent'>, elements: Record<string, ElementDef>, links: Map<string, string[]>, report: Report): void {
  if (boundary.outgoing.length > 0) report(boundary.id, 'a compensation boundary event cannot have outgoing sequence flows: link it to its handler with an association');
  const handlers = (links.get(boundary.id) ?? []).map((id) => elements[id]).filter((el): el is ElementDef => Boolean(el?.forCompensation));
  const handler = handlers[0];
  if (!handler || handlers.length > 1) {
    report(boundary.id, 'a compensation boundary event needs an association to exactly one compensation handler (an activity with isForCompensation="true")');
    return;
  }
  if (handler.parent !== boundary.parent) report(handler.id, `compensation handler of '${boundary.id}' must be in the same scope as the boundary event`);
  const host = elements[boundary.attachedTo ?? ''];
  if (!host) return;
  if (host.compensationHandler) report(boundary.id, `activity '${host.id}' has more than one compensation boundary event`);
  else host.compensationHandler = handler.id;
}

function checkHandler(el: ElementDef, linked: Set<string>, report: Report): void {
  if (el.incoming.length > 0 || el.outgoing.length > 0) report(el.id, 'a compensation handler (isForCompensation) cannot have incoming or outgoing sequence flows');
  if (el.boundaries.length > 0) report(el.id, 'a compensation handler cannot have boundary events');
  if (isEventSubprocess(el)) report(el.id, 'an event subprocess cannot be a compensation handler');
  if (!linked.has(el.id)) report(el.id, 'compensation handler is not associated with any compensation boundary event');
}

function checkThrow(el: ElementDef, elements: Record<string, ElementDef>, report: Report): void {
  const trigger = triggerOf(el);
  if (trigger?.type !== 'compensation' || trigger.activityRef === null) return;
  const target = elements[trigger.activityRef];
  // Thrown in an event subprocess, compensation reaches the scope that event subprocess runs in.
  const esp = elements[el.parent ?? ''];
  const scope = isEventSubprocess(esp) ? (esp?.parent ?? null) : el.parent;
  const compensable = target && target.parent === scope && (target.compensationHandler || (target.kind === 'subProcess' && !target.triggeredByEvent));
  if (!compensable) report(el.id, `activityRef '${trigger.activityRef}' must be an activity of the same scope with a compensation boundary event, or an embedded subprocess`);
}

function checkCancel(el: ElementDef, elements: Record<string, ElementDef>, report: Report): void {
  if (triggerOf(el)?.type !== 'cancel') return;
  if (el.kind === 'endEvent' && !isTransaction(elements[el.parent ?? ''])) report(el.id, 'a cancel end event is only allowed directly inside a transaction subprocess');
  if (el.kind !== 'boundaryEvent') return;
  const host = elements[el.attachedTo ?? ''];
  if (!isTransaction(host)) report(el.id, 'a cancel boundary event can only be attached to a transaction subprocess');
  if (!el.cancelActivity) report(el.id, 'a cancel boundary event is always interrupting');
}

function checkTransaction(tx: ElementDef, elements: Record<string, ElementDef>, report: Report): void {
  const cancels = tx.boundaries.filter((id) => triggerOf(elements[id])?.type === 'cancel');
  if (cancels.length > 1) report(tx.id, 'a transaction can have only one cancel boundary event');
  const cancelEnd = Object.values(elements).some((e) => e.kind === 'endEvent' && e.parent === tx.id && e.trigger?.type === 'cancel');
  if (cancelEnd && cancels.length === 0) report(tx.id, 'a transaction with a cancel end event needs a cancel boundary event');
}

/** An event subprocess whose start event is a compensation start event. */
const isCompensationEsp = (el: ElementDef, elements: Record<string, ElementDef>): el is ElementOf<'subProcess'> =>
  el.kind === 'subProcess' && el.triggeredByEvent && triggerOf(elements[el.start])?.type === 'compensation';

/**
 * A compensation event subprocess is the handler of the embedded subprocess it sits in
 * (instead of compensating that subprocess's inner activities one by one).
 */
function linkEventSubprocess(esp: ElementOf<'subProcess'>, elements: Record<string, ElementDef>, report: Report): void {
  const start = esp.start || esp.id;
  const host = elements[esp.parent ?? ''];
  if (!host || host.kind !== 'subProcess' || host.triggeredByEvent || host.transaction || host.forCompensation) {
    const what = isTransaction(host) ? 'transaction' : host?.forCompensation ? 'compensation handler' : isEventSubprocess(host) ? 'event subprocess' : host?.kind;
    const where = host ? `${what} '${host.id}'` : 'the process';
    report(start, `a compensation start event is only supported in an event subprocess of an embedded subprocess, not of ${where}`);
    return;
  }
  if (host.compensationHandler) {
    report(start, `subprocess '${host.id}' already has a compensation handler (a compensation boundary event or another compensation event subprocess)`);
    return;
  }
  host.compensationHandler = esp.id;
  // Started only by compensation, never by an event of its scope; it runs like a handler.
  esp.forCompensation = true;
}

/** Links compensation boundary events and event subprocesses to their handlers and checks compensation and cancel events. Runs after `checkStructure`. */
export function checkCompensation(process: ModdleElement, elements: Record<string, ElementDef>, report: Report): void {
  const links = associations(process);
  const all = Object.values(elements);
  for (const boundary of all.filter(isCompensationBoundary)) linkBoundary(boundary, elements, links, report);
  const espHandlers = all.filter((el) => isCompensationEsp(el, elements));
  for (const esp of espHandlers) linkEventSubprocess(esp, elements, report);
  const linked = new Set(all.filter(isCompensationBoundary).flatMap((b) => links.get(b.id) ?? []));
  for (const el of all) {
    if (el.forCompensation && !espHandlers.some((esp) => esp.id === el.id)) checkHandler(el, linked, report);
    if (el.kind === 'intermediateThrowEvent' || el.kind === 'endEvent') checkThrow(el, elements, report);
    checkCancel(el, elements, report);
    if (isTransaction(el)) checkTransaction(el, elements, report);
  }
}
