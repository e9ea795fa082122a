/**
 * Ports: what the application layer needs from the outside world. One adapter per
 * backend lives in `lib/adapters/` (DynamoDB, SQS, ...). The core knows none of this.
 */
import type { Command } from './core/commands.ts';
import type { Effect } from './core/effects.ts';
import type { JsonObject } from './core/json.ts';
import type { ProcessDefinition } from './core/bpmn/model/types.ts';
import type { DomainEvent } from './core/state/events.ts';
import type { InstanceState } from './core/state/types.ts';

/** What listings and the API show: an active instance with open incidents is 'incident'. */
export const HEAD_STATUSES = ['active', 'incident', 'completed', 'canceled'] as const;
export type HeadStatus = (typeof HEAD_STATUSES)[number];

/** Rolling back is a transition too, applied by the app (it needs an old version's state). */
export interface RollbackCommand {
  type: 'rollback';
  toVersion: number;
}

export type EngineCommand = Command | RollbackCommand;

/** A command as it travels on the commands queue: a unique id and its instance. */
export interface CommandEnvelope {
  /** Unique per command; a redelivery carries the same id. */
  id: string;
  instanceId: string;
  command: EngineCommand;
  /** For `start`: which definition (key and version) to run. */
  definition?: { key: string; version: number };
}

/** The small, mutable pointer of an instance: which version is current. */
export interface InstanceHead {
  instanceId: string;
  version: number;
  status: HeadStatus;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  startedAt: number;
  updatedAt: number;
  /** Command id of the current version (the winner of the last swap). */
  commandId: string;
  incidents: number;
  /** Days the instance is kept once finished (its definition's `retentionDays`); absent: the store's default. */
  retentionDays?: number | null;
}

/** One immutable version of an instance: the state after a command, and its outbox. */
export interface InstanceVersion {
  instanceId: string;
  version: number;
  commandId: string;
  command: EngineCommand;
  definitionKey: string;
  definitionVersion: number;
  state: InstanceState;
  events: DomainEvent[];
  effects: Effect[];
  at: number;
  /** The definition's retention of finished instances in days, carried to the head; absent: the store's default. */
  retentionDays?: number | null;
}

export interface Loaded {
  head: InstanceHead | null;
  /** The highest version item (may be ahead of head.version: an orphan to roll forward). */
  latest: InstanceVersion | null;
}

export type PutVersionResult =
  | { ok: true }
  | { ok: false; existing: InstanceVersion }
  /** The item would exceed what the store takes (DynamoDB: 400 KB): nothing was written. */
  | { ok: false; tooLarge: { bytes: number; limit: number } };
export type SwapResult = { ok: true } | { ok: false; current: InstanceHead | null };

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface InstanceStore {
  /** Head and latest version in one read. */
  load(instanceId: string, consistent?: boolean): Promise<Loaded>;
  getHead(instanceId: string, consistent?: boolean): Promise<InstanceHead | null>;
  /** Creates version n; fails (returning the existing item) when n exists. */
  putVersion(version: InstanceVersion): Promise<PutVersionResult>;
  /** Moves the head from `from` (null: no head yet) to `head.version`. */
  swapHead(head: InstanceHead, from: number | null): Promise<SwapResult>;
  getVersion(instanceId: string, version: number): Promise<InstanceVersion | null>;
  listVersions(instanceId: string, options?: { after?: number; limit?: number }): Promise<InstanceVersion[]>;
  listInstances(query: { definitionKey: string; status: HeadStatus; limit?: number; cursor?: string | null }): Promise<Page<InstanceHead>>;
  /** Records that a command was rejected (not every command: only rejections). */
  putRejection(rejection: CommandRejection): Promise<void>;
  getRejection(instanceId: string, commandId: string): Promise<CommandRejection | null>;
  /**
   * The durable duplicate check of commands that are not idempotent by nature (messages,
   * signals, variable updates, rollbacks): which version applied `commandId`, if any. Kept for
   * the instance's lifetime (no time window), written before the head moves past that version.
   */
  getCommandRecord(instanceId: string, commandId: string): Promise<number | null>;
  putCommandRecord(instanceId: string, commandId: string, version: number): Promise<void>;
  /** Where the version written by `commandId` is, if it is among the last `within` versions. */
  findApplied(instanceId: string, commandId: string, within?: number): Promise<InstanceVersion | null>;
}

/** Why a queued command changed nothing, kept for a day so its sender can learn it. */
export interface CommandRejection {
  commandId: string;
  instanceId: string;
  code: string;
  message: string;
  at: number;
}

export interface DeployedDefinition {
  key: string;
  version: number;
  hash: string;
  deployedAt: number;
}

export interface DefinitionStore {
  /** Stores a definition version for (key, xml); the same XML again returns the existing version. */
  deploy(key: string, xml: string, hash: string, at: number): Promise<DeployedDefinition & { created: boolean }>;
  get(key: string, version: number): Promise<(DeployedDefinition & { xml: string }) | null>;
  latest(key: string): Promise<DeployedDefinition | null>;
  versions(key: string): Promise<DeployedDefinition[]>;
  keys(): Promise<DeployedDefinition[]>;
  /**
   * Records the message start events of `key`'s version `version` (replacing those of
   * an older version; a call for a version older than the registered one changes nothing).
   */
  registerMessageStarts(key: string, version: number, starts: Array<{ messageName: string; startEventId: string; condition?: string | null }>): Promise<void>;
  /** The definitions (their latest registered version) that a message named `messageName` starts. */
  messageStarts(messageName: string): Promise<MessageStart[]>;
}

/**
 * Versioned DMN decisions, keyed by decision id: deploying a DMN document stores each of
 * its decisions (the document's XML, by hash: the same XML keeps its versions).
 */
export type DecisionStore = Pick<DefinitionStore, 'deploy' | 'get' | 'latest' | 'versions' | 'keys'>;

/** A message start event of a deployed definition: a message of this name starts an instance. */
export interface MessageStart {
  messageName: string;
  definitionKey: string;
  version: number;
  startEventId: string;
  /**
   * The start event's FEEL condition over the message (null: none). Undefined when the
   * registration predates conditions (or its caller did not pass them): look it up in
   * the compiled definition then.
   */
  condition?: string | null;
}

/** Open jobs, tasks, subscriptions and buffered messages, found by key without scans. */
export interface IndexStore {
  putJob(job: Extract<Effect, { type: 'job.activatable' }>): Promise<void>;
  deleteJob(jobType: string, jobId: string): Promise<void>;
  listJobs(jobType: string, options?: { limit?: number; availableBefore?: number }): Promise<Array<Extract<Effect, { type: 'job.activatable' }>>>;
  putTask(task: Extract<Effect, { type: 'task.created' }>): Promise<void>;
  deleteTask(task: { taskId: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): Promise<void>;
  listTasks(query: { candidateGroup?: string; assignee?: string; candidateUser?: string; limit?: number }): Promise<Array<Extract<Effect, { type: 'task.created' }>>>;
  putSubscription(sub: Extract<Effect, { type: 'subscription.opened' }>): Promise<void>;
  deleteSubscription(sub: { messageName: string; correlationKey: string; subscriptionId: string }): Promise<void>;
  findSubscriptions(messageName: string, correlationKey: string): Promise<Array<Extract<Effect, { type: 'subscription.opened' }>>>;
  bufferMessage(message: BufferedMessage): Promise<void>;
  bufferedMessages(messageName: string, correlationKey: string, now: number): Promise<BufferedMessage[]>;
  /**
   * Leases up to `max` open jobs of a type to `worker` until `now + leaseMs`: a job whose
   * lease has not expired, or whose retry backoff has not passed, is skipped. Two callers
   * never lease the same job (a conditional write per job decides).
   */
  activateJobs(jobType: string, max: number, leaseMs: number, worker: string, now: number): Promise<Array<Extract<Effect, { type: 'job.activatable' }>>>;
}

export interface BufferedMessage {
  messageId: string;
  name: string;
  correlationKey: string;
  variables: JsonObject;
  publishedAt: number;
  expiresAt: number;
}

export interface CommandBus {
  /**
   * Queues commands. `redrive`: a dead command sent again on purpose, which the queue must
   * not drop as a duplicate of its first send (SQS FIFO deduplicates for 5 minutes).
   */
  send(envelopes: CommandEnvelope[], options?: { redrive?: boolean }): Promise<void>;
}

/** A command that failed for good: moved out of the commands DLQ, kept until redriven or dismissed. */
export interface DeadCommand {
  commandId: string;
  instanceId: string;
  envelope: CommandEnvelope;
  /** The last error, as the sweeper saw it when it tried once more. */
  reason: string;
  /** How many times the queue had delivered it. */
  receiveCount: number;
  at: number;
}

/** Dead commands, listed and found by command id (few: each is an incident). */
export interface DeadCommandStore {
  put(dead: DeadCommand): Promise<void>;
  get(commandId: string): Promise<DeadCommand | null>;
  list(options?: { limit?: number; cursor?: string | null }): Promise<Page<DeadCommand>>;
  remove(commandId: string): Promise<void>;
}

/** The commands queue's DLQ, read by the sweeper. */
export interface DeadLetterSource {
  receive(max: number): Promise<Array<{ body: string; receiptHandle: string; messageId: string; receiveCount: number }>>;
  remove(receiptHandle: string): Promise<void>;
}

/**
 * A timer on its way: `fireTimer` of `timerId` (or, with `start`, the start of a new
 * instance `instanceId` by a timer start event) must reach the commands queue at `dueAt`.
 */
export interface ScheduledTimer {
  timerId: string;
  instanceId: string;
  dueAt: number;
  /** The effect that asked for it (`<instanceId>:<version>:<index>`), for logs. */
  effectId?: string;
  /** Set for a timer start event: which definition version and start event it starts. */
  start?: TimerStartRef;
}

export interface TimerStartRef {
  definitionKey: string;
  version: number;
  startEventId: string;
}

export interface TimerScheduler {
  /** Arranges for the timer to fire at `dueAt` (idempotent per `timerId`). */
  schedule(timer: ScheduledTimer): Promise<void>;
  /**
   * Forgets a scheduled timer, when the scheduler can (an SQS delay cannot be taken back).
   * Either way a fire that slips through is harmless: the core rejects it as stale.
   */
  cancel?(timer: { timerId: string; instanceId: string; dueAt: number }): Promise<void>;
}

/**
 * A durable schedule for due times of any length (beyond SQS's 15-minute delay):
 * EventBridge Scheduler on AWS, due-time items in DynamoDB swept each minute locally.
 * It hands each timer to the timers queue (with an SQS delay for the last stretch)
 * shortly before it is due; cancel removes it for good.
 */
export interface DurableTimers extends TimerScheduler {
  cancel(timer: { timerId: string; instanceId: string; dueAt: number }): Promise<void>;
}

/** A timer start event of the latest deployed version of a definition, and its next fire. */
export interface TimerStart extends TimerStartRef {
  kind: 'date' | 'cycle';
  /** The timer value (static: a timer start event has no instance to evaluate FEEL in). */
  value: string;
  /** When it fires next; null when it has no further fire (a past date, an exhausted cycle). */
  nextDueAt: number | null;
  /** Fires left after the next one (R<n> cycles); null: unbounded. */
  remaining: number | null;
  /** When the cycle was registered (the anchor of `R<n>/<duration>`). */
  anchor: number;
}

/** Which timer start events are live: one set per definition key, that of its latest version. */
export interface TimerStartRegistry {
  /** The registered starts of `definitionKey` (any version). */
  list(definitionKey: string): Promise<TimerStart[]>;
  get(definitionKey: string, startEventId: string): Promise<TimerStart | null>;
  /** Puts a start unless a newer version is registered for the key (returns whether it was put). */
  put(start: TimerStart): Promise<boolean>;
  remove(definitionKey: string, startEventId: string, version: number): Promise<void>;
  /** Moves `nextDueAt` from `from` to `to` (with `remaining`): false when someone else already did. */
  advance(start: TimerStart, from: number, to: number | null, remaining: number | null): Promise<boolean>;
}

/** Messages a process publishes (send tasks, message throw/end events). */
export interface EventBus {
  publish(message: { id: string; name: string; correlationKey: string | null; variables: JsonObject; instanceId: string; elementId: string }): Promise<void>;
}

/**
 * Where inbound events that can never be processed go (the events DLQ), each with the
 * reason, so they are visible and never block the stream.
 */
export interface DeadLetters {
  send(letters: Array<{ reason: string; body: string; messageId?: string | undefined }>): Promise<void>;
}

/** An inbound event as the broker delivered it (a raw AMQP body), on its way to the events queue. */
export interface RawEvent {
  body: Buffer;
  /** The AMQP `message-id` property, if the publisher set one. */
  messageId?: string | undefined;
  routingKey?: string | undefined;
}

/** What the events queue answered for one event: taken, refused for good (with why), or not taken now (try again). */
export type EnqueueResult = { ok: true } | { ok: false; refused: string | null };

/** The inbound events queue (SQS `events`), fed by the RabbitMQ bridge; the events handler drains it. */
export interface InboundEventQueue {
  /** The largest body it takes (larger ones go to the events DLQ at once). */
  readonly maxBytes: number;
  /** Sends the events, bodies untouched; one answer per event, in order. Never throws. */
  send(events: RawEvent[]): Promise<EnqueueResult[]>;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Compiled definitions by key and version (a per-Lambda cache over DefinitionStore). */
export interface DefinitionResolver {
  resolve(key: string, version: number): Promise<ProcessDefinition>;
}

/** Every port the application uses: what an adapter set provides. */
export interface AppPorts {
  instances: InstanceStore;
  definitions: DefinitionStore;
  decisions: DecisionStore;
  index: IndexStore;
  commands: CommandBus;
  /** The timers queue (SQS delays: up to 15 minutes; in memory: any length). */
  timers: TimerScheduler;
  /** The durable schedule for timers due beyond `maxDelayMs` (null: none needed, or 15-minute hops). */
  durableTimers: DurableTimers | null;
  /** Longest due time sent to `timers` directly (default 15 minutes). */
  maxDelayMs?: number;
  timerStarts: TimerStartRegistry;
  events: EventBus;
  /** The events DLQ (null: the events handler cannot run). */
  deadLetters: DeadLetters | null;
  deadCommands: DeadCommandStore;
  /** The commands DLQ the sweep empties (null: nothing to sweep). */
  deadCommandSource: DeadLetterSource | null;
  clock: Clock;
  logger: Logger;
}
