/**
 * Domain events: the only way instance state changes (see `apply.ts`), and the
 * audit trail of each version. Shapes are JSON; a shape change gets a new event name.
 */
import type { Json, JsonObject } from '../json.ts';
import type { IncidentKind, Incident } from './types.ts';

export type DomainEvent =
  | { type: 'InstanceStarted'; definitionKey: string; definitionHash: string; businessKey: string | null; startEventId: string; at: number }
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
  | { type: 'IncidentRaised'; key: string; ei: string; elementId: string; kind: IncidentKind; message: string; phase: Incident['phase']; jobKey: string | null; at: number }
  | { type: 'IncidentResolved'; key: string }
  | { type: 'CommandRecorded'; commandId: string }
  | { type: 'RolledBack'; toVersion: number; at: number };

export type DomainEventType = DomainEvent['type'];
