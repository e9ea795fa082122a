/**
 * Commands: what can happen to an instance. Each one is one transition.
 * Ids in commands are global (`<instanceId>.<key>`).
 */
import type { Json, JsonObject } from './json.ts';

export type Command =
  /** `parent`: the call activity that starts this instance as its child. */
  | { type: 'start'; instanceId: string; variables?: JsonObject; businessKey?: string | null; startEventId?: string; parent?: { instanceId: string; callId: string } }
  | { type: 'completeJob'; jobId: string; variables?: JsonObject }
  | { type: 'failJob'; jobId: string; retries: number; errorMessage?: string; retryBackoffMs?: number }
  | { type: 'throwError'; jobId: string; errorCode: string; errorMessage?: string; variables?: JsonObject }
  | { type: 'completeTask'; taskId: string; variables?: JsonObject }
  | { type: 'correlateMessage'; name: string; correlationKey: string; variables?: JsonObject; messageId?: string; subscriptionId?: string }
  /** Triggers every open signal subscription of the instance (catch, boundary, event subprocess start) for `name`. */
  | { type: 'broadcastSignal'; name: string; variables?: JsonObject; signalId?: string }
  | { type: 'fireTimer'; timerId: string }
  | { type: 'resolveIncident'; incidentId: string; retries?: number }
  | { type: 'setVariables'; variables: JsonObject }
  /** `byParent`: sent by the parent of a child instance (a child cannot be canceled on its own, as in Camunda 8). */
  | { type: 'cancel'; byParent?: boolean }
  /** The answer to a `decision.evaluate` effect: the result goes to the task's resultVariable (see lib/core/bpmn/commands/decisions.ts). */
  | { type: 'completeDecision'; requestId: string; decisionId: string; decisionVersion: number; result: Json }
  /** The decision could not be evaluated (not deployed, a failing rule): an incident on the task. */
  | { type: 'failDecision'; requestId: string; message: string }
  /** From a child instance (see `lib/core/bpmn/features/calls.ts`): it completed with these root variables. */
  | { type: 'completeCall'; callId: string; childInstanceId: string; variables?: JsonObject }
  /** From a child instance: an error or escalation it did not catch, thrown again from the call activity. */
  | { type: 'callThrown'; callId: string; childInstanceId: string; kind: 'error' | 'escalation'; code: string; message?: string | null }
  /** The child could not be started (no such process deployed): an incident on the call activity. */
  | { type: 'failCall'; callId: string; childInstanceId: string; message: string }
  /**
   * A command of this instance failed for good (it landed in the commands DLQ): an incident on
   * the instance that names it. Resolving the incident redrives the command (`command.redrive`).
   */
  | { type: 'deadCommand'; commandId: string; commandType: string; message: string };

export type CommandType = Command['type'];

/** Commands that would change the state again if applied twice: deduplicated by command id. */
export const NOT_IDEMPOTENT: ReadonlySet<CommandType> = new Set(['correlateMessage', 'broadcastSignal', 'setVariables', 'callThrown']);

/** What the caller knows about a command beyond its content. */
export interface CommandMeta {
  /** Unique id of this command; a redelivery carries the same id. */
  commandId?: string;
}

export const REJECTIONS = {
  notFound: 'NOT_FOUND',
  invalidState: 'INVALID_STATE',
  invalidCommand: 'INVALID_COMMAND',
  notDue: 'NOT_DUE',
  duplicate: 'DUPLICATE',
  /** The result would not fit what the engine can store or send (see lib/app/limits.ts). */
  tooLarge: 'TOO_LARGE',
} as const;
export type RejectionCode = (typeof REJECTIONS)[keyof typeof REJECTIONS];

/** A command that changes nothing (a stale job, an unknown task, a finished instance). */
export interface Rejection {
  code: RejectionCode;
  message: string;
}
