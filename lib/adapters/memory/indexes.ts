/**
 * Open jobs, tasks, subscriptions and buffered messages in memory, found by the same
 * keys as the DynamoDB index (lib/adapters/dynamodb/indexes.ts) and listed in its sort
 * key order. Puts and deletes are idempotent by key. A job carries its lease while a
 * worker holds it; putting the job again (made activatable after a failure) clears it.
 */
import type { Effect } from '../../core/effects.ts';
import type { BufferedMessage, IndexStore } from '../../ports.ts';
import { bySortKey, jsonCopy } from './copy.ts';

type JobEffect = Extract<Effect, { type: 'job.activatable' }>;
type TaskEffect = Extract<Effect, { type: 'task.created' }>;
type SubEffect = Extract<Effect, { type: 'subscription.opened' }>;

interface LeasedJob {
  job: JobEffect;
  lockedUntil: number | null;
  worker: string | null;
}

/** As many open jobs as one DynamoDB activation looks through (5 pages of 100). */
const ACTIVATE_SCAN = 500;

/** The ways to find a task: each candidate group and user, and its assignee (as the DynamoDB keys). */
const taskKeys = (task: { assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): string[] => [
  ...task.candidateGroups.map((g) => `G#${g}`), ...task.candidateUsers.map((u) => `U#${u}`), ...(task.assignee ? [`A#${task.assignee}`] : []),
];

/** A map of partitions, each a map of sort key -> item. */
class Partitions<T> {
  private readonly parts = new Map<string, Map<string, T>>();

  put(pk: string, sk: string, item: T): void {
    const part = this.parts.get(pk) ?? new Map<string, T>();
    this.parts.set(pk, part);
    part.set(sk, item);
  }

  get(pk: string, sk: string): T | undefined {
    return this.parts.get(pk)?.get(sk);
  }

  delete(pk: string, sk: string): void {
    this.parts.get(pk)?.delete(sk);
  }

  /** The items of a partition in sort key order. */
  query(pk: string, limit = Infinity): T[] {
    const part = this.parts.get(pk);
    if (!part) return [];
    return [...part.entries()].sort(bySortKey(([sk]) => sk)).slice(0, limit).map(([, item]) => item);
  }
}

export class MemoryIndexStore implements IndexStore {
  private readonly jobs = new Partitions<LeasedJob>();
  private readonly tasks = new Partitions<TaskEffect>();
  private readonly subscriptions = new Partitions<SubEffect>();
  private readonly messages = new Partitions<BufferedMessage>();

  async putJob(job: JobEffect): Promise<void> {
    this.jobs.put(job.jobType, job.jobId, { job: jsonCopy(job), lockedUntil: null, worker: null });
  }

  async deleteJob(jobType: string, jobId: string): Promise<void> {
    this.jobs.delete(jobType, jobId);
  }

  async listJobs(jobType: string, options: { limit?: number; availableBefore?: number } = {}): Promise<JobEffect[]> {
    const jobs = this.jobs.query(jobType, options.limit ?? 100).map((j) => jsonCopy(j.job));
    return options.availableBefore === undefined ? jobs : jobs.filter((j) => j.availableAt <= (options.availableBefore as number));
  }

  async activateJobs(jobType: string, max: number, leaseMs: number, worker: string, now: number): Promise<JobEffect[]> {
    const leased: JobEffect[] = [];
    for (const entry of this.jobs.query(jobType, ACTIVATE_SCAN)) {
      if (leased.length >= max) break;
      const free = entry.lockedUntil === null || entry.lockedUntil < now;
      if (!free || entry.job.availableAt > now) continue;
      entry.lockedUntil = now + leaseMs;
      entry.worker = worker;
      leased.push(jsonCopy(entry.job));
    }
    return leased;
  }

  /** Who holds a job's lease, and until when (null: nobody); for tests and views. */
  lease(jobType: string, jobId: string): { worker: string; lockedUntil: number } | null {
    const entry = this.jobs.get(jobType, jobId);
    return entry?.worker && entry.lockedUntil !== null ? { worker: entry.worker, lockedUntil: entry.lockedUntil } : null;
  }

  async putTask(task: TaskEffect): Promise<void> {
    for (const key of taskKeys(task)) this.tasks.put(key, task.taskId, jsonCopy(task));
  }

  async deleteTask(task: { taskId: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): Promise<void> {
    for (const key of taskKeys(task)) this.tasks.delete(key, task.taskId);
  }

  async listTasks(query: { candidateGroup?: string; assignee?: string; candidateUser?: string; limit?: number }): Promise<TaskEffect[]> {
    const key = query.assignee !== undefined ? `A#${query.assignee}`
      : query.candidateGroup !== undefined ? `G#${query.candidateGroup}`
        : query.candidateUser !== undefined ? `U#${query.candidateUser}` : null;
    if (key === null) throw new Error('listTasks needs a candidateGroup, assignee or candidateUser');
    return this.tasks.query(key, query.limit ?? 100).map(jsonCopy);
  }

  async putSubscription(sub: SubEffect): Promise<void> {
    this.subscriptions.put(`${sub.messageName}#${sub.correlationKey}`, sub.subscriptionId, jsonCopy(sub));
  }

  async deleteSubscription(sub: { messageName: string; correlationKey: string; subscriptionId: string }): Promise<void> {
    this.subscriptions.delete(`${sub.messageName}#${sub.correlationKey}`, sub.subscriptionId);
  }

  async findSubscriptions(messageName: string, correlationKey: string): Promise<SubEffect[]> {
    return this.subscriptions.query(`${messageName}#${correlationKey}`).map(jsonCopy);
  }

  async bufferMessage(message: BufferedMessage): Promise<void> {
    const sk = `${String(message.publishedAt).padStart(15, '0')}#${message.messageId}`;
    this.messages.put(`${message.name}#${message.correlationKey}`, sk, jsonCopy(message));
  }

  async bufferedMessages(messageName: string, correlationKey: string, now: number): Promise<BufferedMessage[]> {
    return this.messages.query(`${messageName}#${correlationKey}`, 100).filter((m) => m.expiresAt > now).map(jsonCopy);
  }
}
