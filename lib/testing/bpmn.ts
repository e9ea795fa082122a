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
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
  + ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"';

/**
 * `diagram`: element ids laid out left to right (see `lineDiagram`), so a diagram viewer
 * (bpmn-js, the web page) can draw the process; without it the document has no BPMNDI.
 */
export function bpmn(processBody: string, options: { id?: string; rootElements?: string; diagram?: string[] } = {}): string {
  const id = options.id ?? 'process';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions ${NS} id="defs" targetNamespace="http://serverless-bpmn.test">
  ${options.rootElements ?? ''}
  <process id="${id}" isExecutable="true">
${processBody}
  </process>${options.diagram ? `\n${lineDiagram(id, options.diagram)}` : ''}
</definitions>`;
}

/**
 * BPMNDI for a straight path: the elements in a row, left to right, and a flow edge
 * `a-b` between each pair (the ids `flows()` gives). Ids ending in an event-ish name
 * ('start', 'end', or starting with 's'/'e' alone) are drawn as events, the rest as tasks.
 */
export function lineDiagram(processId: string, ids: string[]): string {
  const isEvent = (id: string) => /^(s|e|start|end)$/i.test(id) || /(Start|End|Event)$/.test(id);
  const boxes = ids.map((id, i) => {
    const event = isEvent(id);
    const [w, h] = event ? [36, 36] : [100, 80];
    return { id, x: 100 + i * 160, y: event ? 122 : 100, w, h };
  });
  const shapes = boxes.map((b) => `<bpmndi:BPMNShape id="${b.id}_di" bpmnElement="${b.id}"><dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}"/></bpmndi:BPMNShape>`);
  const edges = boxes.slice(1).map((b, i) => {
    const a = boxes[i] as (typeof boxes)[number];
    return `<bpmndi:BPMNEdge id="${a.id}-${b.id}_di" bpmnElement="${a.id}-${b.id}"><di:waypoint x="${a.x + a.w}" y="140"/><di:waypoint x="${b.x}" y="140"/></bpmndi:BPMNEdge>`;
  });
  return `  <bpmndi:BPMNDiagram id="${processId}_diagram"><bpmndi:BPMNPlane id="${processId}_plane" bpmnElement="${processId}">
    ${[...shapes, ...edges].join('\n    ')}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
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
