/**
 * One moddle flow node -> one ElementDef, with the problems found on it.
 * Structure (flows, scopes, gateways) is checked in `compile.ts` once all nodes exist.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, ioMappings, str, taskHeaders, unsupportedExtensions, zeebeProperty } from './extensions.ts';
import { ALLOWED_TRIGGERS, EVENT_DEFINITION_NAMES } from './registry.ts';
import { readCall } from './call.ts';
import { readCompensation } from './compensation.ts';
import { readConditional } from './conditional.ts';
import { readAdHoc } from './ad-hoc.ts';
import { readCalledDecision } from './decision.ts';
import { readLoop } from './loops.ts';
import { dueTime } from './timers.ts';
import type { ElementDef, ElementKind, EventTrigger, JobSpec, Mapping, ScriptSpec, UserTaskSpec } from './types.ts';

/** 'a' or 'an' before a word, for messages. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export interface ElementCompile {
  def: ElementDef;
  problems: string[];
}

const TARGET = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const FORBIDDEN = /(^|\.)(__proto__|constructor|prototype)(\.|$)/;

function checkValue(label: string, value: string | null, problems: string[]): void {
  if (value === null || !isExpression(value)) return;
  const syntax = checkSyntax(value);
  if (syntax) problems.push(`${label}: ${syntax}`);
}

function checkMappings(kind: string, mappings: Mapping[], problems: string[]): void {
  for (const { source, target } of mappings) {
    if (!TARGET.test(target) || FORBIDDEN.test(target)) problems.push(`${kind} mapping target '${target}' is not a variable name`);
    if (source === '') problems.push(`${kind} mapping to '${target}' has no source`);
    else checkValue(`${kind} mapping to '${target}'`, source, problems);
  }
}

function readTrigger(node: ModdleElement, kind: ElementKind, problems: string[]): EventTrigger | null {
  const allowed = ALLOWED_TRIGGERS[kind];
  if (!allowed) return null;
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

function readJob(node: ModdleElement, problems: string[]): JobSpec | null {
  const definition = extension(node, 'zeebe:TaskDefinition');
  if (!definition) return null;
  const type = str(definition, 'type');
  if (!type) problems.push('zeebe:taskDefinition needs a type');
  checkValue('job type', type, problems);
  const retries = str(definition, 'retries') ?? '3';
  if (isExpression(retries)) checkValue('job retries', retries, problems);
  else if (!/^\d+$/.test(retries.trim())) problems.push(`job retries '${retries}' is not a whole number`);
  return { type: type ?? '', retries: retries.trim(), headers: taskHeaders(node) };
}

function readUserTask(node: ModdleElement, problems: string[], forms: Map<string, string>): UserTaskSpec {
  const assignment = extension(node, 'zeebe:AssignmentDefinition');
  const form = extension(node, 'zeebe:FormDefinition');
  const schedule = extension(node, 'zeebe:TaskSchedule');
  const spec: UserTaskSpec = {
    assignee: str(assignment, 'assignee'),
    candidateGroups: str(assignment, 'candidateGroups'),
    candidateUsers: str(assignment, 'candidateUsers'),
    formKey: str(form, 'formKey'),
    formId: str(form, 'formId'),
    formBody: null,
    dueDate: str(schedule, 'dueDate'),
    followUpDate: str(schedule, 'followUpDate'),
  };
  const embedded = spec.formKey?.startsWith('camunda-forms:bpmn:') ? spec.formKey.slice('camunda-forms:bpmn:'.length) : null;
  if (embedded) {
    spec.formBody = forms.get(embedded) ?? null;
    if (spec.formBody === null) problems.push(`form '${embedded}' is not defined in the process (zeebe:userTaskForm)`);
  }
  for (const key of ['assignee', 'candidateGroups', 'candidateUsers', 'dueDate', 'followUpDate'] as const) checkValue(key, spec[key], problems);
  return spec;
}

function readScript(node: ModdleElement, problems: string[]): ScriptSpec | null {
  const script = extension(node, 'zeebe:Script');
  if (!script) return null;
  const expression = str(script, 'expression');
  const resultVariable = str(script, 'resultVariable');
  if (!expression) problems.push('zeebe:script needs an expression');
  else if (!isExpression(expression)) problems.push('zeebe:script expression must be FEEL (start with =)');
  else checkValue('script', expression, problems);
  if (!resultVariable || !TARGET.test(resultVariable) || FORBIDDEN.test(resultVariable)) problems.push('zeebe:script needs a valid resultVariable');
  return expression && resultVariable ? { expression, resultVariable } : null;
}

function checkKindRules(kind: ElementKind, def: ElementDef, node: ModdleElement, problems: string[]): void {
  if (kind === 'serviceTask' && !def.job) problems.push('a service task needs a zeebe:taskDefinition with a type');
  if (kind === 'businessRuleTask' && !def.job && !def.decision && !extension(node, 'zeebe:CalledDecision')) {
    problems.push('a business rule task needs a zeebe:taskDefinition or a zeebe:calledDecision');
  }
  if (kind === 'businessRuleTask' && def.job && extension(node, 'zeebe:CalledDecision')) problems.push('a business rule task has either a zeebe:calledDecision or a zeebe:taskDefinition, not both');
  if (kind === 'scriptTask' && !def.job && !def.script) problems.push('a script task needs a zeebe:script or a zeebe:taskDefinition');
  if (kind === 'sendTask' && !def.job && def.trigger?.type !== 'message') problems.push('a send task needs a message or a zeebe:taskDefinition');
  if (kind === 'receiveTask' && def.trigger?.type !== 'message') problems.push('a receive task needs a message');
  if (kind === 'boundaryEvent') {
    if (!def.attachedTo) problems.push('a boundary event must be attached to an activity');
    if (def.trigger?.type === 'error' && !def.cancelActivity) problems.push('an error boundary event is always interrupting');
  }
}

const CONDITIONAL_KINDS = new Set<ElementKind>(['startEvent', 'intermediateCatchEvent', 'boundaryEvent', 'receiveTask']);

/**
 * The `condition` property of a message start / catch / boundary event or receive task:
 * FEEL over `payload`, `name` and `correlationKey` of the incoming message.
 */
function readCondition(node: ModdleElement, def: ElementDef, problems: string[]): string | null {
  const condition = zeebeProperty(node, 'condition');
  if (condition === null) return null;
  if (!CONDITIONAL_KINDS.has(def.kind) || def.trigger?.type !== 'message') {
    problems.push('a condition property is only supported on message start, catch and boundary events and receive tasks');
    return null;
  }
  if (!isExpression(condition)) {
    problems.push(`condition '${condition}' must be FEEL (start with =)`);
    return null;
  }
  const syntax = checkSyntax(condition);
  if (syntax) problems.push(`condition: ${syntax}`);
  return condition.trim();
}

const JOB_KINDS = new Set<ElementKind>(['serviceTask', 'businessRuleTask', 'scriptTask', 'sendTask', 'intermediateThrowEvent', 'endEvent']);

/** Compiles one flow node. `parent` is the enclosing subprocess id (null at process level). */
export function compileElement(node: ModdleElement, kind: ElementKind, parent: string | null, forms: Map<string, string>): ElementCompile {
  const problems = unsupportedExtensions(node);
  const { inputs, outputs } = ioMappings(node);
  checkMappings('input', inputs, problems);
  checkMappings('output', outputs, problems);
  const attached = node['attachedToRef'] as ModdleElement | undefined;
  const def: ElementDef = {
    id: String(node.id),
    kind,
    name: str(node, 'name'),
    parent,
    incoming: [],
    outgoing: [],
    defaultFlow: (node['default'] as ModdleElement | undefined)?.id ?? null,
    trigger: readTrigger(node, kind, problems),
    boundaries: [],
    attachedTo: attached?.id ?? null,
    cancelActivity: node['cancelActivity'] !== false,
    job: JOB_KINDS.has(kind) ? readJob(node, problems) : null,
    userTask: kind === 'userTask' ? readUserTask(node, problems, forms) : null,
    script: kind === 'scriptTask' ? readScript(node, problems) : null,
    inputs,
    outputs,
    triggeredByEvent: node['triggeredByEvent'] === true,
    start: null,
    reachableFrom: [],
    condition: null,
    loop: readLoop(node, problems),
    call: kind === 'callActivity' ? readCall(node, problems) : null,
    adHoc: kind === 'adHocSubProcess' ? readAdHoc(node, problems) : null,
    decision: kind === 'businessRuleTask' ? readCalledDecision(node, problems) : null,
  };
  // On a start event, `cancelActivity` holds isInterrupting (event subprocesses).
  if (kind === 'startEvent') def.cancelActivity = node['isInterrupting'] !== false;
  if ((kind === 'sendTask' || kind === 'receiveTask') && !def.job) {
    def.trigger = messageTrigger(node['messageRef'] as ModdleElement | undefined, kind, problems);
  }
  const isEvent = kind === 'endEvent' || kind === 'intermediateThrowEvent';
  if (isEvent && def.job && def.trigger?.type !== 'message') problems.push('only message throw events can have a zeebe:taskDefinition');
  // A message throw with a task definition is done by a job worker (the Zeebe way).
  if (isEvent && def.job && def.trigger?.type === 'message') def.trigger = { type: 'none' };
  if (!JOB_KINDS.has(kind) && extension(node, 'zeebe:TaskDefinition')) problems.push(`${article(kind)} ${kind} cannot have a zeebe:taskDefinition`);
  def.condition = readCondition(node, def, problems);
  if (node.$type === 'bpmn:Transaction') def.transaction = true;
  if (node['isForCompensation'] === true) def.forCompensation = true;
  checkKindRules(kind, def, node, problems);
  return { def, problems };
}
