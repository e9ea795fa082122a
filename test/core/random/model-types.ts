/**
 * The shape of a generated model (see model-generator.ts): the names it uses and the
 * blocks it is built of. Kept apart so that the renderer and the outline printer
 * import it without importing the arbitraries.
 */
export const JOB_TYPES = ['a', 'b', 'c'] as const;
export const MESSAGES = ['m1', 'm2'] as const;
export const SIGNALS = ['s1', 's2'] as const;
export const ERROR_CODES = ['E1', 'E2'] as const;
export const ESCALATION_CODES = ['X1', 'X2'] as const;
export const DURATIONS = ['PT1M', 'PT5M', 'PT10M'] as const;
/** Conditional events wait for `x > n`; the driver sets `x` to this to satisfy any of them. */
export const CONDITION_BOUNDS = [0, 1, 2] as const;
export const SATISFYING_X = 3;

export type MessageName = (typeof MESSAGES)[number];
export type SignalName = (typeof SIGNALS)[number];
export type Duration = (typeof DURATIONS)[number];
export type EscalationCode = (typeof ESCALATION_CODES)[number];
export type Bound = (typeof CONDITION_BOUNDS)[number];

export interface Boundaries {
  timer: { interrupting: boolean; duration: Duration; toEnd: boolean } | null;
  message: { interrupting: boolean; message: MessageName; toEnd: boolean } | null;
  signal: { interrupting: boolean; signal: SignalName; toEnd: boolean } | null;
  /** Fires when `x > above` becomes true. */
  conditional: { interrupting: boolean; above: Bound; toEnd: boolean } | null;
  /** `code: null` catches every error. Only on service tasks and subprocesses. */
  error: { code: (typeof ERROR_CODES)[number] | null; toEnd: boolean } | null;
  /** `code: null` catches every escalation. Only on subprocesses. */
  escalation: { interrupting: boolean; code: EscalationCode | null; toEnd: boolean } | null;
}

/**
 * Multi-instance over `=[1..items]`, collecting each `loopCounter` into `outs`; or a
 * standard loop while `loopCounter < below` (checked before or after each iteration),
 * at most `maximum` times.
 */
export type Loop =
  | { kind: 'multi'; sequential: boolean; items: number }
  | { kind: 'standard'; below: number | null; maximum: number | null; testBefore: boolean };

/** The compensation handler (isForCompensation) of an activity with a compensation boundary event. */
export type Handler = 'manual' | 'script' | 'user' | 'service';

/** How a scope's flow ends: a plain end event, or a signal, escalation or compensation end event. */
export type EndKind =
  | { type: 'none' }
  | { type: 'signal'; signal: SignalName }
  | { type: 'escalation'; code: EscalationCode }
  | { type: 'compensation' };

export type EspTrigger =
  | { type: 'message'; message: MessageName }
  | { type: 'timer'; duration: Duration }
  | { type: 'signal'; signal: SignalName }
  | { type: 'conditional'; above: Bound }
  /** Always interrupting. `code: null` catches every error. */
  | { type: 'error'; code: (typeof ERROR_CODES)[number] | null }
  | { type: 'escalation'; code: EscalationCode | null };

export interface EventSub {
  trigger: EspTrigger;
  interrupting: boolean;
  body: Block[];
}

/** The inside of a process or subprocess. */
export interface Scope {
  blocks: Block[];
  eventSubs: EventSub[];
  end: EndKind;
}

export type AdHocItem = { type: 'service'; jobType: (typeof JOB_TYPES)[number] } | { type: 'user' } | { type: 'manual' } | { type: 'script' };

export type Block =
  | { type: 'serviceTask'; jobType: (typeof JOB_TYPES)[number]; boundaries: Boundaries; loop: Loop | null; compensation: Handler | null }
  | { type: 'userTask'; boundaries: Boundaries; loop: Loop | null; compensation: Handler | null }
  | { type: 'scriptTask' }
  | { type: 'throwEvent' }
  | { type: 'manualTask'; compensation: Handler | null }
  | { type: 'timerCatch'; duration: Duration }
  | { type: 'messageCatch'; message: MessageName }
  | { type: 'signalCatch'; signal: SignalName }
  | { type: 'conditionalCatch'; above: Bound }
  | { type: 'signalThrow'; signal: SignalName }
  | { type: 'escalationThrow'; code: EscalationCode }
  /** Compensates the completed activities of its scope (waits for their handlers). */
  | { type: 'compensationThrow' }
  /** A link throw event and the catch event it jumps to. */
  | { type: 'link' }
  | { type: 'receiveTask'; message: MessageName; boundaries: Boundaries }
  /** Branch i < last: `=x = i`; the last branch is the default flow. */
  | { type: 'exclusive'; branches: Block[][] }
  | { type: 'parallel'; branches: Block[][] }
  /** Branch i < last: `=x > i`; the last branch is the default flow. */
  | { type: 'inclusive'; branches: Block[][] }
  | { type: 'eventGateway'; message: MessageName; duration: Duration; onMessage: Block[]; onTimer: Block[] }
  | { type: 'subProcess'; scope: Scope; boundaries: Boundaries; loop: Loop | null; compensation: Handler | null }
  /** `cancel`: after the body, `=x = 2` leads to a cancel end event, caught by a cancel boundary event. */
  | { type: 'transaction'; body: Block[]; cancel: { toEnd: boolean } | null; boundaries: Boundaries }
  /** Starts the process `child` (only in calls.test.ts, which runs parent and children with the TestEngine). */
  | { type: 'callActivity'; boundaries: Boundaries; loop: Loop | null }
  /** `completion`: completes once `x > completion` after an inner activity completes. */
  | { type: 'adHoc'; items: AdHocItem[]; completion: Bound | null; cancelRemaining: boolean; boundaries: Boundaries };

export interface GeneratedModel {
  process: Scope;
  xml: string;
  /** Parallel and inclusive join id -> the flow elements between its split and itself (nested scopes' inner elements included). */
  joins: Record<string, string[]>;
}

export const NO_BOUNDARIES: Boundaries = { timer: null, message: null, signal: null, conditional: null, error: null, escalation: null };
