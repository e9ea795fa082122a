/**
 * Commands: what can happen to an instance. Each one is one transition.
 * Ids in commands are global (`<instanceId>.<key>`).
 */
import type { JsonObject } from './json.ts';

export type Command =
  | { type: 'start'; instanceId: string; variables?: JsonObject; businessKey?: string | null; startEventId?: string }
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
  | { type: 'cancel' };

export type CommandType = Command['type'];

/** Commands that would change the state again if applied twice: deduplicated by command id. */
export const NOT_IDEMPOTENT: ReadonlySet<CommandType> = new Set(['correlateMessage', 'broadcastSignal', 'setVariables']);

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
} as const;
export type RejectionCode = (typeof REJECTIONS)[keyof typeof REJECTIONS];

/** A command that changes nothing (a stale job, an unknown task, a finished instance). */
export interface Rejection {
  code: RejectionCode;
  message: string;
}
