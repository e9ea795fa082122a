/**
 * The compiled, JSON-serialisable form of one BPMN process. The engine never sees
 * moddle objects: `compile()` turns XML into this plain data once per XML hash.
 *
 * Expressions are kept as written: a string that starts with `=` is FEEL, any
 * other string is a static value (the Zeebe convention).
 */

export const ELEMENT_KINDS = [
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
  'task',
  'manualTask',
  'serviceTask',
  'userTask',
  'scriptTask',
  'sendTask',
  'receiveTask',
  'businessRuleTask',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
  'subProcess',
] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

export type EventTrigger =
  | { type: 'none' }
  | { type: 'message'; message: MessageRef }
  | { type: 'timer'; timer: TimerSpec }
  | { type: 'error'; errorCode: string | null }
  | { type: 'terminate' }
  /** Caught as a subscription named `signal:<name>` with correlation key '' (see `signalSubscriptionName`). */
  | { type: 'signal'; name: string }
  /** `code: null` on a catch event catches every escalation. */
  | { type: 'escalation'; code: string | null }
  /** `target`: for a link throw event, the link catch event of the same name in its scope. */
  | { type: 'link'; name: string; target: string | null };

/** The subscription name a signal catch event waits under: signals reuse the message subscription index. */
export function signalSubscriptionName(signal: string): string {
  return `signal:${signal}`;
}

/**
 * Multi-instance (`bpmn:multiInstanceLoopCharacteristics` + `zeebe:loopCharacteristics`): one inner
 * instance per item of `inputCollection`, all at once or one after the other.
 */
export interface MultiInstanceSpec {
  sequential: boolean;
  /** FEEL that evaluates to a list. */
  inputCollection: string;
  /** Local variable of each inner instance holding its item, or null. */
  inputElement: string | null;
  /** Variable that receives the list of every inner instance's `outputElement`, in item order. */
  outputCollection: string | null;
  outputElement: string | null;
  /** FEEL evaluated after each inner instance completes; true ends the whole activity. */
  completionCondition: string | null;
}

export interface MessageRef {
  name: string;
  /** FEEL or static; null for start events (no correlation key needed). */
  correlationKey: string | null;
}

export type TimerSpec =
  | { kind: 'duration'; expr: string }
  | { kind: 'date'; expr: string }
  | { kind: 'cycle'; expr: string };

export interface Mapping {
  source: string;
  target: string;
}

export interface JobSpec {
  type: string;
  retries: string;
  headers: Record<string, string>;
}

export interface UserTaskSpec {
  assignee: string | null;
  candidateGroups: string | null;
  candidateUsers: string | null;
  formKey: string | null;
  formId: string | null;
  /** Embedded form (zeebe:userTaskForm body) when the model carries one. */
  formBody: string | null;
  dueDate: string | null;
  followUpDate: string | null;
}

export interface ScriptSpec {
  expression: string;
  resultVariable: string;
}

export interface ElementDef {
  id: string;
  kind: ElementKind;
  name: string | null;
  /** The enclosing subprocess id, or null for the process level. */
  parent: string | null;
  incoming: string[];
  outgoing: string[];
  /** Default flow of an exclusive/inclusive gateway or activity. */
  defaultFlow: string | null;
  /** Event trigger of events (start, end, catch, throw, boundary). */
  trigger: EventTrigger | null;
  /** Boundary event ids attached to this activity. */
  boundaries: string[];
  /** For boundary events. */
  attachedTo: string | null;
  cancelActivity: boolean;
  job: JobSpec | null;
  userTask: UserTaskSpec | null;
  script: ScriptSpec | null;
  inputs: Mapping[];
  outputs: Mapping[];
  /** Event subprocess (started by an event, not by a flow). */
  triggeredByEvent: boolean;
  /** Subprocess: the none start event that begins it. */
  start: string | null;
  /** Inclusive join: elements (same scope) from which a token can still reach this join. */
  reachableFrom: string[];
  /**
   * Message start / catch / boundary events and receive tasks: a FEEL condition over the
   * incoming message (`payload`, `name`, `correlationKey`) that must hold for it to
   * correlate or start, from `<zeebe:property name="condition" value="=..."/>`; else null.
   */
  condition: string | null;
  /** Multi-instance characteristics of an activity, or null. */
  loop?: MultiInstanceSpec | null;
}

export interface FlowDef {
  id: string;
  name: string | null;
  source: string;
  target: string;
  /** FEEL condition (with or without the leading `=`), or null. */
  condition: string | null;
}

export interface ProcessDefinition {
  /** The BPMN process id: the definition key. */
  key: string;
  name: string | null;
  /** sha256 of the XML it was compiled from. */
  hash: string;
  versionTag: string | null;
  elements: Record<string, ElementDef>;
  flows: Record<string, FlowDef>;
  /** Start events at process level (none, message, timer). */
  startEvents: string[];
}

/** A deploy-time problem, pointing at the element and, where known, the XML line. */
export interface ModelProblem {
  elementId: string | null;
  message: string;
  line?: number;
}
