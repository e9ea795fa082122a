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
export function isStandardLoop(loop: LoopSpec): loop is StandardLoopSpec {
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

/**
 * What every element kind has. `boundaries`, `loop`, `forCompensation` and `compensationHandler`
 * are activity characteristics the lifecycle and the features read on any element: empty (`[]`,
 * absent) on the kinds that cannot have them. `defaultFlow` is read from any flow node so that the
 * structure check can refuse it where only gateways may have one.
 */
export interface NodeDef<K extends ElementKind> {
  id: string;
  kind: K;
  name: string | null;
  /** The enclosing subprocess id, or null for the process level. */
  parent: string | null;
  incoming: string[];
  outgoing: string[];
  /** Default flow of an exclusive/inclusive gateway. */
  defaultFlow: string | null;
  inputs: Mapping[];
  outputs: Mapping[];
  /** Boundary event ids attached to this activity. */
  boundaries: string[];
  /** Multi-instance or standard loop characteristics of an activity, or null. */
  loop?: LoopSpec | null;
  /** A compensation handler (`isForCompensation`, or a compensation event subprocess): started only by compensation, never by a flow. */
  forCompensation?: boolean;
  /** The handler of an activity with a compensation boundary event (linked by an association), or the compensation event subprocess of an embedded subprocess. */
  compensationHandler?: string | null;
}

export type LoopSpec = MultiInstanceSpec | StandardLoopSpec;

/** Events (and send / receive tasks): their trigger; null only on an element the deploy refuses. */
interface Triggered {
  trigger: EventTrigger | null;
}

/**
 * Message start / catch / boundary events and receive tasks: a FEEL condition over the
 * incoming message (`payload`, `name`, `correlationKey`) that must hold for it to
 * correlate or start, from `<zeebe:property name="condition" value="=..."/>`; else null.
 */
interface MessageCondition {
  condition: string | null;
}

/** Work a job worker may do instead (`zeebe:taskDefinition`), or null. */
interface MaybeJob {
  job: JobSpec | null;
}

/** Interrupting (`cancelActivity` of a boundary event, `isInterrupting` of an event subprocess start). */
interface Interrupting {
  cancelActivity: boolean;
}

export interface StartEventDef extends NodeDef<'startEvent'>, Triggered, MessageCondition, Interrupting {}
export interface EndEventDef extends NodeDef<'endEvent'>, Triggered, MaybeJob {}
export interface IntermediateCatchEventDef extends NodeDef<'intermediateCatchEvent'>, Triggered, MessageCondition {}
export interface IntermediateThrowEventDef extends NodeDef<'intermediateThrowEvent'>, Triggered, MaybeJob {}
export interface BoundaryEventDef extends NodeDef<'boundaryEvent'>, Triggered, MessageCondition, Interrupting {
  /** The activity it is attached to (null only on an element the deploy refuses). */
  attachedTo: string | null;
}

/** The kinds with nothing of their own. */
type PlainKind = 'task' | 'manualTask' | 'exclusiveGateway' | 'parallelGateway' | 'eventBasedGateway';
export type PlainDef = { [K in PlainKind]: NodeDef<K> }[PlainKind];

export interface ServiceTaskDef extends NodeDef<'serviceTask'> {
  job: JobSpec;
}
export interface UserTaskDef extends NodeDef<'userTask'> {
  userTask: UserTaskSpec;
}
/** A FEEL script the engine runs, or a job. */
export type ScriptTaskDef = NodeDef<'scriptTask'> & ({ script: ScriptSpec; job: null } | { script: null; job: JobSpec });
/** A message the engine publishes (`trigger`), or (job set) a job. */
export interface SendTaskDef extends NodeDef<'sendTask'>, Triggered, MaybeJob {}
export interface ReceiveTaskDef extends NodeDef<'receiveTask'>, Triggered, MessageCondition {}
/** A DMN decision the engine evaluates (`zeebe:calledDecision`, see `CalledDecisionSpec`), or a job. */
export type BusinessRuleTaskDef = NodeDef<'businessRuleTask'> & ({ decision: CalledDecisionSpec; job: null } | { decision: null; job: JobSpec });
export interface InclusiveGatewayDef extends NodeDef<'inclusiveGateway'> {
  /** As a join: the elements (same scope) from which a token can still reach it. */
  reachableFrom: string[];
}
export interface SubProcessDef extends NodeDef<'subProcess'> {
  /** An event subprocess (started by an event, not by a flow). */
  triggeredByEvent: boolean;
  /** The start event that begins it: its none start event, or an event subprocess's only one (set by the structure check). */
  start: string;
  /** A `bpmn:Transaction`: a cancel end event inside it cancels it with compensation. */
  transaction?: boolean;
}
export interface AdHocSubProcessDef extends NodeDef<'adHocSubProcess'> {
  triggeredByEvent: boolean;
  /** Which inner elements run and when it completes (see AdHocSpec). */
  adHoc: AdHocSpec;
}
export interface CallActivityDef extends NodeDef<'callActivity'> {
  /** The process it starts (see `CallSpec`). */
  call: CallSpec;
}

/**
 * The compiled element: a discriminated union over `kind`, plain JSON (definitions are
 * compiled once per XML hash, stored and cached). A behaviour receives its own kind's member.
 */
export type ElementDef =
  | StartEventDef | EndEventDef | IntermediateCatchEventDef | IntermediateThrowEventDef | BoundaryEventDef
  | PlainDef | ServiceTaskDef | UserTaskDef | ScriptTaskDef | SendTaskDef | ReceiveTaskDef | BusinessRuleTaskDef
  | InclusiveGatewayDef | SubProcessDef | AdHocSubProcessDef | CallActivityDef;

/** The element definition of one kind (or of a few). */
export type ElementOf<K extends ElementKind> = Extract<ElementDef, { kind: K }>;

/** The trigger of an event or a send / receive task; null for every other kind. */
export function triggerOf(el: ElementDef | undefined): EventTrigger | null {
  return el && 'trigger' in el ? el.trigger : null;
}

/** The job of the kinds that may run as one, or null. */
export function jobOf(el: ElementDef | undefined): JobSpec | null {
  return el && 'job' in el ? el.job : null;
}

/** The user task spec of a user task, or null. */
export function userTaskOf(el: ElementDef | undefined): UserTaskSpec | null {
  return el?.kind === 'userTask' ? el.userTask : null;
}

/** The message condition of a message start / catch / boundary event or receive task, or null. */
export function conditionOf(el: ElementDef | undefined): string | null {
  return el && 'condition' in el ? el.condition : null;
}

/** True for an event subprocess (`triggeredByEvent`). */
export function isEventSubprocess(el: ElementDef | undefined): boolean {
  return el !== undefined && 'triggeredByEvent' in el && el.triggeredByEvent;
}

/** True for a `bpmn:Transaction`. */
export function isTransaction(el: ElementDef | undefined): boolean {
  return el?.kind === 'subProcess' && el.transaction === true;
}

/** Interrupting: boundary events and event subprocess starts say so; every other element is. */
export function interrupts(el: ElementDef): boolean {
  return 'cancelActivity' in el ? el.cancelActivity : true;
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

