/**
 * Small diagrams for tests, without a modeler: wraps a process body in a BPMN
 * document (default namespace BPMN, `zeebe:` bound), with helpers for flows.
 *
 * @example
 * const xml = bpmn(`
 *   <startEvent id="start"/>
 *   <serviceTask id="work">${job('work')}</serviceTask>
 *   <endEvent id="end"/>
 *   ${flows('start', 'work', 'end')}`);
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export function bpmn(processBody: string, options: { id?: string; rootElements?: string } = {}): string {
  const id = options.id ?? 'process';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions ${NS} id="defs" targetNamespace="http://serverless-bpmn.test">
  ${options.rootElements ?? ''}
  <process id="${id}" isExecutable="true">
${processBody}
  </process>
</definitions>`;
}

/** Sequence flows along a path: flows('a', 'b', 'c') -> a->b, b->c with ids `a-b`, `b-c`. */
export function flows(...ids: string[]): string {
  const out: string[] = [];
  for (let i = 0; i + 1 < ids.length; i++) out.push(flow(ids[i] as string, ids[i + 1] as string));
  return out.join('\n');
}

/** One sequence flow, optionally with a FEEL condition; id `source-target` unless given. */
export function flow(source: string, target: string, condition?: string, id = `${source}-${target}`): string {
  const body = condition === undefined ? '' : `<conditionExpression xsi:type="tFormalExpression">${escapeXml(condition)}</conditionExpression>`;
  return `<sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${body}</sequenceFlow>`;
}

/** A zeebe:taskDefinition extension (inside an extensionElements block). */
export function job(type: string, retries = 3, extra = ''): string {
  return `<extensionElements><zeebe:taskDefinition type="${escapeXml(type)}" retries="${retries}"/>${extra}</extensionElements>`;
}

/** A message root element with a correlation key. */
export function message(id: string, name: string, correlationKey?: string): string {
  const sub = correlationKey ? `<extensionElements><zeebe:subscription correlationKey="${escapeXml(correlationKey)}"/></extensionElements>` : '';
  return `<message id="${id}" name="${escapeXml(name)}">${sub}</message>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
