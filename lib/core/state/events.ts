/**
 * Domain events: the only way instance state changes (see `apply.ts`), and the
 * audit trail of each version. Shapes are JSON; a shape change gets a new event name.
 */
import type { Json, JsonObject } from '../json.ts';
import type { IncidentKind, Incident, ParentLink } from './types.ts';

export type DomainEvent =
  /** `parent`: set when a call activity started this instance (absent otherwise). */
  | { type: 'InstanceStarted'; definitionKey: string; definitionHash: string; businessKey: string | null; startEventId: string; at: number; parent?: ParentLink }
  | { type: 'InstanceCompleted'; at: number }
  | { type: 'InstanceCanceled'; at: number }
  | { type: 'ElementActivated'; key: string; elementId: string; scope: string }
  | { type: 'ElementCompleted'; key: string; elementId: string }
  | { type: 'ElementTerminated'; key: string; elementId: string }
  | { type: 'FlowTaken'; flowId: string }
  | { type: 'JoinArrived'; scope: string; gatewayId: string; flowId: string }
  | { type: 'JoinFired'; scope: string; gatewayId: string; flows: string[] }
  | { type: 'JoinsCleared'; scope: string }
  | { type: 'VariablesSet'; scope: string; variables: JsonObject }
  | { type: 'JobCreated'; key: string; ei: string; jobType: string; retries: number }
  | { type: 'JobCompleted'; key: string }
  | { type: 'JobFailed'; key: string; retries: number; errorMessage: string; retryAt: number | null }
  | { type: 'JobRetriesUpdated'; key: string; retries: number }
  | { type: 'JobCanceled'; key: string }
  | { type: 'ErrorThrown'; ei: string; errorCode: string; errorMessage: string | null; caughtBy: string | null }
  | { type: 'TaskCreated'; key: string; ei: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }
  | { type: 'TaskCompleted'; key: string }
  | { type: 'TaskCanceled'; key: string }
  | { type: 'TimerScheduled'; key: string; ei: string; elementId: string; dueAt: number; repetitions: number | null; cycle: string | null }
  | { type: 'TimerFired'; key: string }
  | { type: 'TimerCanceled'; key: string }
  | { type: 'SubscriptionOpened'; key: string; ei: string; elementId: string; messageName: string; correlationKey: string }
  | { type: 'SubscriptionCorrelated'; key: string; messageId: string | null }
  | { type: 'SubscriptionClosed'; key: string }
  | { type: 'MessagePublished'; elementId: string; name: string; correlationKey: string | null }
  | { type: 'SignalBroadcast'; elementId: string; name: string }
  | { type: 'EscalationThrown'; ei: string; escalationCode: string; caughtBy: string | null }
  | { type: 'LoopStarted'; key: string; total: number }
  | { type: 'LoopItemActivated'; key: string; inner: string; index: number }
  /** `hasOutput`: the body collects outputs, and `output` is this item's output element. */
  | { type: 'LoopItemCompleted'; key: string; inner: string; hasOutput: boolean; output: Json }
  | { type: 'CallStarted'; key: string; ei: string; childInstanceId: string; processId: string }
  /** The child completed, was canceled (the call activity ended otherwise), or could not start (`notFound`). */
  | { type: 'CallEnded'; key: string; outcome: 'completed' | 'canceled' | 'notFound' }
  /** A compensable activity completed, or a completed scope holds compensable records (see `Compensable`). */
  | { type: 'CompensableRecorded'; key: string; ei: string; elementId: string; scope: string; handler: boolean; variables: JsonObject | null }
  /** Element instance `ei` throws compensation: `records` are consumed (never compensated again); `waiting`: `ei` waits for the handlers. */
  | { type: 'CompensationThrown'; ei: string; elementId: string; activityRef: string | null; records: string[]; waiting: boolean }
  /** Handler instance `handler` (activated just before) undoes the completed instance `compensates` of `activityId`. */
  | { type: 'CompensationHandlerActivated'; ei: string; handler: string; compensates: string; activityId: string }
  | { type: 'CompensationHandlerCompleted'; ei: string; handler: string }
  /** Every handler of the compensation thrown by `ei` is done. */
  | { type: 'CompensationCompleted'; ei: string }
  | { type: 'ConditionOpened'; key: string; ei: string; elementId: string }
  /** The condition became true and triggered its event (an interrupting one is then closed with its owner). */
  | { type: 'ConditionTriggered'; key: string }
  /** A non-interrupting condition became false again: its next true triggers again. */
  | { type: 'ConditionReset'; key: string }
  | { type: 'ConditionClosed'; key: string }
  /** A business rule task asks for its decision (`key`: the request id's local part). */
  | { type: 'DecisionRequested'; key: string; ei: string; decisionId: string; bindingType: 'latest' | 'versionTag'; versionTag: string | null }
  /** The decision answered: which decision and version produced the result (the result itself is set as a variable). */
  | { type: 'DecisionEvaluated'; key: string; decisionId: string; decisionVersion: number }
  /** The decision could not be evaluated (an incident follows). */
  | { type: 'DecisionFailed'; key: string; message: string }
  /** A rollback replaced the request by a new one (answers to the old one are stale). */
  | { type: 'DecisionCanceled'; key: string }
  | { type: 'IncidentRaised'; key: string; ei: string; elementId: string; kind: IncidentKind; message: string; phase: Incident['phase']; jobKey: string | null; at: number; commandId?: string }
  | { type: 'IncidentResolved'; key: string }
  | { type: 'CommandRecorded'; commandId: string }
  | { type: 'RolledBack'; toVersion: number; at: number };

export type DomainEventType = DomainEvent['type'];
