/**
 * Event definitions -> EventTrigger, for the compile rules of events and send / receive tasks.
 * Which triggers an event kind runs is its compile rule's list (model/rules/events.ts).
 */
import type { ModdleElement } from 'bpmn-moddle';
import { isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import { checkValue } from './values.ts';
import { EVENT_DEFINITION_NAMES } from './registry.ts';
import { readCompensation } from './compensation.ts';
import { readConditional } from './conditional.ts';
import { dueTime } from './timers.ts';
import type { ElementKind, EventTrigger } from './types.ts';

/** 'a' or 'an' before a word, for messages. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/**
 * The event definition of `node` as a trigger, refused (with a problem) unless its name is in
 * `allowed` (the event kind's compile rule says which it runs).
 */
export function readTrigger(node: ModdleElement, kind: ElementKind, allowed: readonly string[], problems: string[]): EventTrigger | null {
  const definitions = (node['eventDefinitions'] as ModdleElement[] | undefined) ?? [];
  if (definitions.length > 1) {
    problems.push('events with more than one event definition (multiple events) are not supported');
    return null;
  }
  const definition = definitions[0];
  const name = definition ? (EVENT_DEFINITION_NAMES[definition.$type] ?? definition.$type) : 'none';
  if (!allowed.includes(name)) {
    problems.push(`${article(name)} ${name} ${kind} is not supported (supported: ${allowed.join(', ')})`);
    return null;
  }
  if (!definition || name === 'none') return { type: 'none' };
  if (name === 'terminate') return { type: 'terminate' };
  if (name === 'error') {
    const error = definition['errorRef'] as ModdleElement | undefined;
    const errorCode = str(error, 'errorCode');
    if (kind === 'endEvent' && !errorCode) problems.push('an error end event needs an error with an error code');
    return { type: 'error', errorCode };
  }
  if (name === 'message') return readMessage(node, kind, definition, problems);
  if (name === 'signal') return readSignal(definition, problems);
  if (name === 'escalation') return readEscalation(definition, kind, problems);
  if (name === 'link') return readLink(definition, problems);
  if (name === 'conditional') return readConditional(definition, problems);
  if (name === 'compensation') return readCompensation(definition);
  if (name === 'cancel') return { type: 'cancel' };
  return readTimer(definition, problems);
}

function readSignal(definition: ModdleElement, problems: string[]): EventTrigger | null {
  const signal = definition['signalRef'] as ModdleElement | undefined;
  const name = str(signal, 'name');
  if (!signal || signal.$type !== 'bpmn:Signal' || !name) {
    problems.push('a signal event needs a signal with a name');
    return null;
  }
  checkValue('signal name', name, problems);
  return { type: 'signal', name };
}

function readEscalation(definition: ModdleElement, kind: ElementKind, problems: string[]): EventTrigger | null {
  const escalation = definition['escalationRef'] as ModdleElement | undefined;
  const code = str(escalation, 'escalationCode');
  const throwing = kind === 'endEvent' || kind === 'intermediateThrowEvent';
  if (throwing && !code) problems.push('an escalation throw event needs an escalation with an escalation code');
  return { type: 'escalation', code };
}

function readLink(definition: ModdleElement, problems: string[]): EventTrigger | null {
  const name = str(definition, 'name');
  if (!name) {
    problems.push('a link event needs a name');
    return null;
  }
  return { type: 'link', name, target: null };
}

function readMessage(node: ModdleElement, kind: ElementKind, definition: ModdleElement, problems: string[]): EventTrigger | null {
  const message = (definition['messageRef'] ?? node['messageRef']) as ModdleElement | undefined;
  return messageTrigger(message, kind, problems);
}

export function messageTrigger(message: ModdleElement | undefined, kind: ElementKind, problems: string[]): EventTrigger | null {
  const name = str(message, 'name');
  if (message && message.$type !== 'bpmn:Message') {
    problems.push(`messageRef must point to a message, not to a ${message.$type}`);
    return null;
  }
  if (!message || !name) {
    problems.push('a message event needs a message with a name');
    return null;
  }
  checkValue('message name', name, problems);
  const correlationKey = message ? str(extension(message, 'zeebe:Subscription'), 'correlationKey') : null;
  const catching = kind === 'intermediateCatchEvent' || kind === 'boundaryEvent' || kind === 'receiveTask';
  if (catching && !correlationKey) problems.push(`message '${name}' needs a correlation key (zeebe:subscription correlationKey)`);
  checkValue('correlation key', correlationKey, problems);
  return { type: 'message', message: { name, correlationKey } };
}

function readTimer(definition: ModdleElement, problems: string[]): EventTrigger | null {
  const entries = [
    ['duration', definition['timeDuration']],
    ['date', definition['timeDate']],
    ['cycle', definition['timeCycle']],
  ] as const;
  const found = entries.filter(([, expr]) => expr !== undefined);
  if (found.length !== 1) {
    problems.push('a timer needs exactly one of timeDuration, timeDate or timeCycle');
    return null;
  }
  const [kind, expr] = found[0] as (typeof entries)[number];
  const body = str(expr as ModdleElement, 'body');
  if (!body) {
    problems.push(`timer ${kind} is empty`);
    return null;
  }
  if (isExpression(body)) checkValue(`timer ${kind}`, body, problems);
  else {
    const parsed = dueTime(kind, body, 0);
    if (!parsed.ok) problems.push(`timer ${kind}: ${parsed.message}`);
  }
  return { type: 'timer', timer: { kind, expr: body.trim() } };
}
