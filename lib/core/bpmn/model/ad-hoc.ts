/**
 * `bpmn:adHocSubProcess` -> AdHocSpec, and the rules Camunda 8 sets for its content:
 * at least one activity, no start or end events. Inner elements need no incoming flows;
 * flows between them are allowed. Only parallel ordering runs (the Camunda 8 default).
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import { isEventSubprocess, triggerOf, type AdHocSpec, type ElementDef } from './types.ts';

function feel(label: string, value: string | null, problems: string[]): string | null {
  if (value === null) return null;
  if (!isExpression(value)) {
    problems.push(`the ${label} of an ad-hoc subprocess must be FEEL (start with =)`);
    return null;
  }
  const syntax = checkSyntax(value);
  if (syntax) problems.push(`ad-hoc ${label}: ${syntax}`);
  return value.trim();
}

export function readAdHoc(node: ModdleElement, problems: string[]): AdHocSpec {
  if (node['ordering'] === 'Sequential') problems.push('ad-hoc subprocesses with sequential ordering are not supported (only parallel)');
  const zeebe = extension(node, 'zeebe:AdHoc');
  if (str(zeebe, 'outputCollection') || str(zeebe, 'outputElement')) problems.push('zeebe:adHoc outputCollection / outputElement are not supported');
  const condition = node['completionCondition'] as ModdleElement | undefined;
  if (condition && !str(condition, 'body')) problems.push('the completionCondition of an ad-hoc subprocess is empty');
  return {
    activeElements: feel('activeElementsCollection', str(zeebe, 'activeElementsCollection'), problems),
    completionCondition: feel('completionCondition', str(condition, 'body'), problems),
    cancelRemainingInstances: node['cancelRemainingInstances'] !== false,
  };
}

const NON_ACTIVITIES = new Set(['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway']);

/** The inner elements an ad-hoc subprocess may activate: no incoming flows, not a boundary event, event subprocess or link catch. */
export function activatableElements(elements: Record<string, ElementDef>, adHocId: string): ElementDef[] {
  return Object.values(elements).filter((el) => el.parent === adHocId && el.incoming.length === 0 && el.kind !== 'boundaryEvent'
    && !isEventSubprocess(el) && !el.forCompensation && triggerOf(el)?.type !== 'link');
}

export function checkAdHoc(elements: Record<string, ElementDef>, report: (elementId: string, message: string) => void): void {
  for (const adHoc of Object.values(elements).filter((e) => e.kind === 'adHocSubProcess')) {
    const inner = Object.values(elements).filter((e) => e.parent === adHoc.id);
    for (const el of inner) {
      if (el.kind === 'startEvent' || el.kind === 'endEvent') report(el.id, `an ad-hoc subprocess cannot contain ${el.kind === 'startEvent' ? 'start' : 'end'} events ('${adHoc.id}')`);
      if (el.kind === 'intermediateCatchEvent' && el.outgoing.length === 0) report(el.id, `a catch event inside ad-hoc subprocess '${adHoc.id}' needs an outgoing flow`);
    }
    if (!inner.some((e) => !NON_ACTIVITIES.has(e.kind) && !isEventSubprocess(e))) report(adHoc.id, 'an ad-hoc subprocess needs at least one activity');
  }
}
