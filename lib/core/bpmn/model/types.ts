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
  'callActivity',
  'adHocSubProcess',
] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

/** The element definition of one kind. */
export type ElementOf<K extends ElementKind> = ElementDef & { kind: K };

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
  | { type: 'link'; name: string; target: string | null }
  /**
   * Throw: compensates `activityRef` (an activity of the thrower's scope) or, when null, every
   * completed compensable activity of the scope; `waitForCompletion`: wait for the handlers.
   * On a boundary event it only marks its activity as compensable.
   */
  | { type: 'compensation'; activityRef: string | null; waitForCompletion: boolean }
  /** Cancel end event (inside a transaction) and cancel boundary event (on a transaction). */
  | { type: 'cancel' }
  /** FEEL over the visible variables, re-evaluated when they change (see lib/core/bpmn/features/conditions.ts). `variableNames`: only changes to these count (zeebe:conditionalFilter), or null. */
  | { type: 'conditional'; condition: string; variableNames: string[] | null };

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

/**
 * A standard loop (`bpmn:standardLoopCharacteristics`): the activity runs again while
 * `loopCondition` holds, checked after each iteration (do-while) or, with `testBefore`,
 * before each one (while); `loopMaximum` bounds the iterations. See lib/core/bpmn/features/standard-loops.ts.
 */
export interface StandardLoopSpec {
  kind: 'standard';
  /** FEEL; null: loop until `loopMaximum`. */
  loopCondition: string | null;
  loopMaximum: number | null;
  testBefore: boolean;
}

/** True for a standard loop, false for multi-instance. */
export function isStandardLoop(loop: MultiInstanceSpec | StandardLoopSpec): loop is StandardLoopSpec {
  return 'kind' in loop && loop.kind === 'standard';
}

/** An ad-hoc subprocess (Camunda 8): see lib/core/bpmn/elements/ad-hoc.ts. */
export interface AdHocSpec {
  /** FEEL list of inner element ids to activate (`zeebe:adHoc activeElementsCollection`); null: every inner element without incoming flows. */
  activeElements: string | null;
  /** FEEL evaluated whenever an inner element completes; true completes the subprocess. */
  completionCondition: string | null;
  /** With a true completion condition: terminate the inner elements still running (default true). */
  cancelRemainingInstances: boolean;
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

/** Which version of a decision a business rule task evaluates (`zeebe:calledDecision bindingType`). */
export const DECISION_BINDINGS = ['latest', 'versionTag'] as const;
export type DecisionBinding = (typeof DECISION_BINDINGS)[number];

/** `zeebe:calledDecision`: the engine evaluates a deployed DMN decision (see lib/core/bpmn/elements/business-rule-task.ts). */
export interface CalledDecisionSpec {
  /** Static id or FEEL (`=...`). */
  decisionId: string;
  resultVariable: string;
  bindingType: DecisionBinding;
  /** With bindingType 'versionTag': the `zeebe:versionTag` of the decision version to use. */
  versionTag: string | null;
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
  /** Multi-instance or standard loop characteristics of an activity, or null. */
  loop?: MultiInstanceSpec | StandardLoopSpec | null;
  /** Ad-hoc subprocesses: which inner elements run and when it completes (see AdHocSpec). */
  adHoc?: AdHocSpec | null;
  /** Call activities: the process they start (see `CallSpec`); absent on other kinds. */
  call?: CallSpec | null;
  /** A `bpmn:Transaction` (kind subProcess): a cancel end event inside it cancels it with compensation. */
  transaction?: boolean;
  /** A compensation handler (`isForCompensation`, or a compensation event subprocess): started only by compensation, never by a flow. */
  forCompensation?: boolean;
  /** The handler of an activity with a compensation boundary event (linked by an association), or the compensation event subprocess of an embedded subprocess. */
  compensationHandler?: string | null;
  /** Business rule tasks with `zeebe:calledDecision`: the DMN decision evaluated (see `CalledDecisionSpec`). */
  decision?: CalledDecisionSpec | null;
}

/** Which deployed version of the called process runs (`zeebe:calledElement bindingType`). */
export const BINDING_TYPES = ['latest', 'deployment', 'versionTag'] as const;
export type BindingType = (typeof BINDING_TYPES)[number];

/** A call activity's `zeebe:calledElement`. */
export interface CallSpec {
  /** The called process id: static, or FEEL when it starts with `=`. */
  processId: string;
  bindingType: BindingType;
  /** With bindingType `versionTag`: the tag of the version to run. */
  versionTag: string | null;
  /** Child root variables flow back on completion (Camunda 8 default: true). */
  propagateAllChildVariables: boolean;
  /** The child starts with every variable the call activity sees (default true); false: only its input mappings. */
  propagateAllParentVariables: boolean;
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
  /** Days a finished instance is kept (process property `retentionDays`); null: the deployment's default. Absent in definitions compiled before it existed. */
  retentionDays?: number | null;
  elements: Record<string, ElementDef>;
  flows: Record<string, FlowDef>;
  /** Start events at process level (none, message, timer). */
  startEvents: string[];
}

