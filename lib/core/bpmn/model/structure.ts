/**
 * Checks across elements: flows connect existing nodes of one scope, gateways have
 * conditions where they must, scopes have one none start event, boundary events
 * sit on activities, event-based gateways lead to catch events.
 */
import { checkAdHoc } from './ad-hoc.ts';
import { article } from './triggers.ts';
import { isEventSubprocess, triggerOf, type ElementDef, type FlowDef, type SubProcessDef } from './types.ts';

type Report = (elementId: string, message: string) => void;

const ACTIVITIES = new Set(['task', 'manualTask', 'serviceTask', 'userTask', 'scriptTask', 'sendTask', 'receiveTask', 'businessRuleTask', 'subProcess', 'callActivity', 'adHocSubProcess']);
const CONDITIONAL_GATEWAYS = new Set(['exclusiveGateway', 'inclusiveGateway']);

function connect(elements: Record<string, ElementDef>, flows: Record<string, FlowDef>, report: Report): void {
  for (const flow of Object.values(flows)) {
    const source = elements[flow.source];
    const target = elements[flow.target];
    if (!source || !target) {
      report(flow.id, `sequence flow connects unknown element '${source ? flow.target : flow.source}'`);
      continue;
    }
    if (source.parent !== target.parent) report(flow.id, 'a sequence flow cannot cross a subprocess boundary');
    if (target.kind === 'startEvent') report(flow.id, 'a start event cannot have incoming sequence flows');
    if (target.kind === 'boundaryEvent') report(flow.id, 'a boundary event cannot have incoming sequence flows');
    if (source.kind === 'endEvent') report(flow.id, 'an end event cannot have outgoing sequence flows');
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
  }
}

function checkGateway(el: ElementDef, flows: Record<string, FlowDef>, report: Report): void {
  if (el.defaultFlow && !el.outgoing.includes(el.defaultFlow)) report(el.id, `default flow '${el.defaultFlow}' is not an outgoing flow of this element`);
  if (CONDITIONAL_GATEWAYS.has(el.kind)) {
    if (el.outgoing.length > 1) {
      for (const id of el.outgoing) {
        if (id !== el.defaultFlow && !flows[id]?.condition) report(id, `outgoing flow of ${el.kind} '${el.id}' needs a condition (or be the default flow)`);
      }
    }
    if (el.defaultFlow && flows[el.defaultFlow]?.condition) report(el.defaultFlow, 'the default flow cannot have a condition');
    return;
  }
  for (const id of el.outgoing) {
    if (flows[id]?.condition) report(id, `conditional sequence flows are only supported after exclusive and inclusive gateways, not after ${el.kind} '${el.id}'`);
  }
  if (el.defaultFlow) report(el.id, 'only exclusive and inclusive gateways can have a default flow');
}

function checkEventGateway(el: ElementDef, elements: Record<string, ElementDef>, flows: Record<string, FlowDef>, report: Report): void {
  if (el.outgoing.length < 2) report(el.id, 'an event-based gateway needs at least two outgoing flows');
  for (const id of el.outgoing) {
    const target = elements[flows[id]?.target ?? ''];
    if (!target) continue;
    const ok = (target.kind === 'intermediateCatchEvent' && (target.trigger?.type === 'message' || target.trigger?.type === 'timer' || target.trigger?.type === 'signal'))
      || (target.kind === 'receiveTask' && !target.boundaries.length);
    if (!ok) report(id, `an event-based gateway must lead to message, timer or signal catch events, not to ${target.kind} '${target.id}'`);
    if (target.incoming.length > 1) report(target.id, 'an event after an event-based gateway must have exactly one incoming flow');
  }
}

function checkScopes(elements: Record<string, ElementDef>, report: Report, processKey: string, eventSubprocess: Set<string>): void {
  // Event subprocesses are refused by the element check; their start events are not counted here.
  const scopes = [null, ...Object.values(elements).filter((e) => e.kind === 'subProcess' && !eventSubprocess.has(e.id)).map((e) => e.id)];
  for (const scope of scopes) {
    const starts = Object.values(elements).filter((e) => e.kind === 'startEvent' && e.parent === scope);
    const none = starts.filter((e) => triggerOf(e)?.type === 'none');
    if (scope === null) {
      if (starts.length === 0) report(processKey, 'the process needs a start event');
      if (none.length > 1) report(none[1]?.id ?? processKey, 'a process can have only one none start event');
      continue;
    }
    const sub = elements[scope] as SubProcessDef;
    if (starts.length !== 1 || none.length !== 1) report(scope, 'an embedded subprocess needs exactly one none start event');
    else sub.start = none[0]?.id ?? '';
  }
}

/** Link throw events jump to the link catch event of the same name in the same scope. */
function checkLinks(elements: Record<string, ElementDef>, report: Report): void {
  const catches = new Map<string, ElementDef>();
  for (const el of Object.values(elements)) {
    if (el.kind !== 'intermediateCatchEvent' || el.trigger?.type !== 'link') continue;
    const id = `${el.parent ?? ''}/${el.trigger.name}`;
    if (catches.has(id)) report(el.id, `link name '${el.trigger.name}' is caught more than once in this scope`);
    else catches.set(id, el);
    if (el.incoming.length > 0) report(el.id, 'a link catch event cannot have incoming sequence flows');
  }
  for (const el of Object.values(elements)) {
    if (el.kind !== 'intermediateThrowEvent' || el.trigger?.type !== 'link') continue;
    const target = catches.get(`${el.parent ?? ''}/${el.trigger.name}`);
    if (!target) report(el.id, `no link catch event named '${el.trigger.name}' in the same scope`);
    else el.trigger.target = target.id;
    if (el.outgoing.length > 0) report(el.id, 'a link throw event cannot have outgoing sequence flows');
  }
}

const ESP_TRIGGERS = new Set(['message', 'timer', 'signal', 'error', 'escalation', 'conditional', 'compensation']);
/** Start event triggers that only an event subprocess can have (the placement of compensation ones: `compensation.ts`). */
const ESP_ONLY = new Set(['error', 'escalation', 'compensation']);

/** Event subprocesses: no flows in or out, one start event with a trigger; error/escalation/compensation starts only there. */
function checkEventSubprocesses(elements: Record<string, ElementDef>, report: Report): void {
  for (const el of Object.values(elements)) {
    const trigger = triggerOf(el)?.type ?? 'none';
    if (el.kind === 'startEvent' && ESP_ONLY.has(trigger) && !isEventSubprocess(elements[el.parent ?? ''])) {
      const where = trigger === 'compensation' ? ' of an embedded subprocess' : '';
      report(el.id, `${article(trigger)} ${trigger} startEvent is not supported outside an event subprocess${where}`);
    }
    if (el.kind !== 'subProcess' || !el.triggeredByEvent) continue;
    if (el.incoming.length > 0 || el.outgoing.length > 0) report(el.id, 'an event subprocess cannot have incoming or outgoing sequence flows');
    if (el.boundaries.length > 0) report(el.id, 'an event subprocess cannot have boundary events');
    if (el.loop) report(el.id, 'an event subprocess cannot be multi-instance');
    const starts = Object.values(elements).filter((e) => e.kind === 'startEvent' && e.parent === el.id);
    const start = starts[0]?.kind === 'startEvent' ? starts[0] : undefined;
    if (starts.length !== 1 || !start) {
      report(el.id, 'an event subprocess needs exactly one start event');
      continue;
    }
    el.start = start.id;
    const type = start.trigger?.type ?? 'none';
    if (!ESP_TRIGGERS.has(type)) report(start.id, `the start event of an event subprocess needs a message, timer, signal, conditional, error, escalation or compensation trigger, not ${type}`);
    if (type === 'error' && !start.cancelActivity) report(start.id, 'an error start event is always interrupting');
    if (start.trigger?.type === 'message' && !start.trigger.message.correlationKey) {
      report(start.id, `message '${start.trigger.message.name}' needs a correlation key (zeebe:subscription correlationKey)`);
    }
  }
}

export function checkStructure(processKey: string, elements: Record<string, ElementDef>, flows: Record<string, FlowDef>, report: Report): void {
  connect(elements, flows, report);
  for (const el of Object.values(elements)) {
    if (el.kind === 'boundaryEvent' && el.attachedTo) {
      const host = elements[el.attachedTo];
      if (!host || !ACTIVITIES.has(host.kind)) report(el.id, `boundary event is attached to '${el.attachedTo}', which is not an activity`);
      else if (host.parent !== el.parent) report(el.id, 'a boundary event must be in the same scope as its activity');
      else host.boundaries.push(el.id);
      if (host && el.trigger?.type === 'escalation' && host.kind !== 'subProcess' && host.kind !== 'callActivity') report(el.id, 'an escalation boundary event can only be attached to a subprocess or a call activity');
      // A compensation boundary event leads to its handler by an association instead (see compensation.ts).
      if (el.outgoing.length === 0 && el.trigger?.type !== 'compensation') report(el.id, 'a boundary event needs an outgoing flow');
    }
    if (el.kind === 'eventBasedGateway') checkEventGateway(el, elements, flows, report);
    else checkGateway(el, flows, report);
    if (el.kind === 'parallelGateway' || el.kind === 'inclusiveGateway' || el.kind === 'exclusiveGateway' || el.kind === 'eventBasedGateway') {
      if (el.outgoing.length === 0) report(el.id, `${article(el.kind)} ${el.kind} needs at least one outgoing flow`);
    }
  }
  checkLinks(elements, report);
  checkEventSubprocesses(elements, report);
  checkAdHoc(elements, report);
  const eventSubprocess = new Set(Object.values(elements).filter((e) => e.kind === 'subProcess' && e.triggeredByEvent).map((e) => e.id));
  checkScopes(elements, report, processKey, eventSubprocess);
}
