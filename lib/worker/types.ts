/**
 * The shapes of the HTTP API (`/v1/...`) as the client sees them: JSON everywhere
 * except the BPMN upload. Ids are global: a job id or task id is `<instanceId>.<key>`.
 */
import type { Json, JsonObject } from '../core/json.ts';

export type { Json, JsonObject };

export const INSTANCE_STATUSES = ['active', 'completed', 'canceled', 'incident'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** A time as the API sends it: ISO 8601 text or epoch milliseconds. */
export type Timestamp = string | number;

/** One problem of a rejected request (`details` of an error body). */
export interface ErrorDetail {
  elementId?: string | null;
  message: string;
  line?: number | null;
  [field: string]: Json | undefined;
}

/** `{ "error": { "code", "message", "details": [...] } }` */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export interface DeployResult {
  deployed: Array<{ key: string; version: number }>;
}

export interface DefinitionSummary {
  key: string;
  latestVersion: number;
  deployedAt: Timestamp;
}

export interface DefinitionDetail {
  key: string;
  versions: Array<{ version: number; hash: string; deployedAt: Timestamp }>;
}

export interface StartInstanceRequest {
  definitionKey: string;
  version?: number;
  variables?: JsonObject;
  businessKey?: string;
}

export interface InstanceSummary {
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  startedAt: Timestamp;
  status: InstanceStatus;
}

export interface Page<T> {
  items: T[];
  /** Pass it back to get the next page; null or absent on the last one. */
  cursor?: string | null;
}

export interface ListInstancesQuery {
  definitionKey?: string;
  status?: InstanceStatus;
  limit?: number;
  cursor?: string;
}

/** A command that failed for good (GET /v1/dead-letters). */
export interface DeadLetter {
  commandId: string;
  instanceId: string;
  envelope: Record<string, unknown>;
  reason: string;
  receiveCount: number;
  at: string;
  incidentId: string | null;
}

export interface Incident {
  incidentId: string;
  elementId: string;
  kind: string;
  message: string;
  jobId?: string | null;
  at?: Timestamp;
}

export interface Instance {
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  status: InstanceStatus;
  /** The version of the instance state (one per applied command). */
  version: number;
  startedAt?: Timestamp;
  endedAt?: Timestamp | null;
  variables: JsonObject;
  /** Element ids with a token. */
  activeElements: Json[];
  incidents: Incident[];
  jobs: Json[];
  tasks: Json[];
}

export interface HistoryEntry {
  version: number;
  commandId?: string;
  command: { type: string; [field: string]: Json };
  at: Timestamp;
  events: Json[];
}

export interface History {
  versions: HistoryEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  next?: number | null;
}

export interface HistoryQuery {
  /** Versions after this one. */
  after?: number;
  limit?: number;
}

/** A job as listed or activated: what a worker gets. */
export interface ActivatedJob {
  jobId: string;
  type: string;
  instanceId: string;
  elementId: string;
  variables: JsonObject;
  /** The task headers of the service task (`zeebe:taskHeaders`). */
  headers: Record<string, string>;
  retries: number;
}

export interface ActivateJobsRequest {
  type: string;
  maxJobs: number;
  /** The lease: no other worker gets these jobs until it has passed. */
  timeoutMs: number;
  /** A name for the worker, for the server's logs. */
  worker: string;
}

export interface FailJobRequest {
  retries: number;
  errorMessage: string;
  retryBackoffMs?: number;
}

export interface ThrowErrorRequest {
  errorCode: string;
  errorMessage?: string;
  /** Set where the error is caught. */
  variables?: JsonObject;
}

export interface UserTask {
  taskId: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers?: string[];
  formKey: string | null;
  formId: string | null;
  variables: JsonObject;
}

export interface ListTasksQuery {
  candidateGroup?: string;
  assignee?: string;
  instanceId?: string;
}

export interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  variables?: JsonObject;
  timeToLiveMs?: number;
}

export interface PublishMessageResult {
  messageId: string;
  /** The instances it was sent to (a count; true/false from servers that only say whether). */
  correlated: number | boolean;
  /** Of those, instances a message start event started. */
  started?: number;
  /** Kept (for its time to live) for subscriptions opened later. */
  buffered?: boolean;
}

export interface BroadcastSignalRequest {
  name: string;
  variables?: JsonObject;
  /** Broadcasting the same signal id again changes nothing. */
  signalId?: string;
}

export interface BroadcastSignalResult {
  signalId?: string;
  /** The instances it reached: those waiting for it and those it started. */
  signaled?: number;
  /** Of those, instances a signal start event started. */
  started?: number;
  [field: string]: Json | undefined;
}

export interface EvaluateConditionsRequest {
  variables: JsonObject;
  /** Only this process. */
  definitionKey?: string;
  /** The same request id again starts nothing new. */
  requestId?: string;
}

export interface EvaluateConditionsResult {
  requestId: string;
  /** One per conditional start event whose condition held. */
  started: Array<{ definitionKey: string; startEventId: string; instanceId: string }>;
}

export interface DecisionSummary {
  decisionId: string;
  latestVersion: number;
  deployedAt: Timestamp;
}

export interface DecisionDetail {
  decisionId: string;
  versions: Array<{ version: number; hash: string; deployedAt: Timestamp; name: string | null; versionTag: string | null }>;
}

/**
 * What a command endpoint answered: 200 applied (with the new instance version) or
 * 202 accepted (queued under `commandId`, not applied yet). A 409 (rejected) is an ApiError.
 */
export type CommandResult =
  | { status: 'applied'; version: number | null; body: JsonObject }
  | { status: 'accepted'; commandId: string; body: JsonObject };

/** `POST /v1/instances`: 201 `{ instanceId, version? }` or 202 `{ status: 'accepted', commandId, instanceId }`. */
export type StartResult =
  | { status: 'applied'; instanceId: string; version: number | null; body: JsonObject }
  | { status: 'accepted'; instanceId: string; commandId: string; body: JsonObject };

/** Options of every command endpoint. */
export interface CommandOptions {
  /** `?wait=<ms>`: how long the server may wait for the command to apply before answering 202. */
  waitMs?: number;
  /**
   * The `Idempotency-Key` header (1-128 of `A-Za-z0-9_.:-`): it becomes the command id, so
   * sending the same command again with the same key applies it once.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}
