/**
 * Open jobs, user tasks, message subscriptions and buffered messages: items whose
 * partition key IS the lookup (type, group, name + correlation key), so every
 * lookup is one Query and nothing is ever scanned. Writes are idempotent puts and
 * deletes keyed by the effect's ids, so a re-emitted effect changes nothing.
 *
 * A job item carries its lease next to the data (`lockedUntil`, `worker`) while a worker
 * holds it; a put (the job made activatable again after a failure) clears it.
 */
import { DeleteItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { BufferedMessage, IndexStore } from '../../ports.ts';
import type { Effect } from '../../core/effects.ts';
import { isConditionalFailure } from './errors.ts';
import { broadcastPks, isBroadcast, jobPk, jobsPk, messagePk, SHARDS, subscriptionPk, taskListPk, taskPks } from './keys.ts';
import { metered, type Meter } from './meter.ts';

type Item = Record<string, AttributeValue>;
type JobEffect = Extract<Effect, { type: 'job.activatable' }>;
type TaskEffect = Extract<Effect, { type: 'task.created' }>;
type SubEffect = Extract<Effect, { type: 'subscription.opened' }>;

/** A job nobody holds: never leased, or its lease has passed. */
const FREE = 'attribute_not_exists(#lu) OR #lu < :now';

/** Pages of 100 open jobs a single activation looks through for free ones (across shards). */
const MAX_ACTIVATE_PAGES = 8;

/** Most subscribers one message or signal reaches (far beyond any real fan-out; bounds memory). */
const MAX_SUBSCRIBERS = 100_000;

export class DynamoIndexStore implements IndexStore {
  constructor(private readonly client: DynamoDBClient, private readonly options: { tableName: string; meter?: Meter }) {}

  private send<T>(operation: string, command: object): Promise<T> {
    return metered<T>(this.client, this.options.meter, operation, command);
  }

  private put(pk: string, sk: string, data: unknown, extra: Record<string, unknown> = {}): Promise<unknown> {
    return this.send('PutItem', new PutItemCommand({
      TableName: this.options.tableName, Item: marshall({ pk, sk, data: JSON.stringify(data), ...extra }), ReturnConsumedCapacity: 'TOTAL',
    }));
  }

  private delete(pk: string, sk: string): Promise<unknown> {
    return this.send('DeleteItem', new DeleteItemCommand({ TableName: this.options.tableName, Key: marshall({ pk, sk }), ReturnConsumedCapacity: 'TOTAL' }));
  }

  /** Up to `limit` items of one partition, in sort key order, following DynamoDB's pages (1 MB each). */
  private async query<T>(pk: string, limit: number, skFrom?: string, skTo?: string): Promise<T[]> {
    const range = skFrom !== undefined && skTo !== undefined;
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Record<string, unknown> }>('Query', new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: range ? 'pk = :pk AND sk BETWEEN :a AND :b' : 'pk = :pk',
        ExpressionAttributeValues: marshall(range ? { ':pk': pk, ':a': skFrom, ':b': skTo } : { ':pk': pk }),
        Limit: limit - items.length, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
        ...(start ? { ExclusiveStartKey: start as Record<string, never> } : {}),
      }));
      for (const i of out.Items ?? []) items.push(JSON.parse(String(unmarshall(i)['data'])) as T);
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }

  /** Up to `limit` items of a sharded key, shard after shard. */
  private async queryShards<T>(pkOf: (shard: number) => string, shards: number, limit: number): Promise<T[]> {
    const items: T[] = [];
    for (let shard = 0; shard < shards && items.length < limit; shard++) items.push(...await this.query<T>(pkOf(shard), limit - items.length));
    return items;
  }

  async putJob(job: JobEffect): Promise<void> {
    await this.put(jobPk(job.jobType, job.jobId), job.jobId, job);
  }

  async deleteJob(jobType: string, jobId: string): Promise<void> {
    await this.delete(jobPk(jobType, jobId), jobId);
  }

  /** Up to `limit` open jobs of a type, shard after shard. */
  async listJobs(jobType: string, options: { limit?: number; availableBefore?: number } = {}): Promise<JobEffect[]> {
    const jobs = await this.queryShards<JobEffect>((shard) => jobsPk(jobType, shard), SHARDS.jobs, options.limit ?? 100);
    return options.availableBefore === undefined ? jobs : jobs.filter((j) => j.availableAt <= (options.availableBefore as number));
  }

  /**
   * Leases free jobs shard after shard, starting at a random shard so that concurrent
   * workers spread over the type's partitions instead of all reading the first one. A busy
   * type fills `max` from one page; a quiet one reads its shards until it has `max` or has
   * read them all (32 eventually consistent reads of an empty type: the price of having no
   * hot key at the peak). The reads are eventually consistent (half the price): a job not
   * seen yet is found by the next poll, and a job already gone fails its conditional lease.
   */
  async activateJobs(jobType: string, max: number, leaseMs: number, worker: string, now: number): Promise<JobEffect[]> {
    const leased: JobEffect[] = [];
    const first = Math.floor(Math.random() * SHARDS.jobs);
    let pages = 0;
    for (let i = 0; i < SHARDS.jobs && leased.length < max && pages < MAX_ACTIVATE_PAGES; i++) {
      let start: Item | undefined;
      do {
        const page = await this.freeJobs(jobsPk(jobType, (first + i) % SHARDS.jobs), now, start);
        if (page.jobs.length > 0) pages++;
        leased.push(...await this.leaseSome(page.jobs, max - leased.length, leaseMs, worker, now));
        start = page.next;
      } while (start && leased.length < max && pages < MAX_ACTIVATE_PAGES);
    }
    return leased;
  }

  private async freeJobs(pk: string, now: number, start: Item | undefined): Promise<{ jobs: JobEffect[]; next: Item | undefined }> {
    const out: { Items?: Item[]; LastEvaluatedKey?: Item } = await this.send('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', FilterExpression: FREE,
      ExpressionAttributeNames: { '#lu': 'lockedUntil' }, ExpressionAttributeValues: marshall({ ':pk': pk, ':now': now }),
      Limit: 100, ConsistentRead: false, ReturnConsumedCapacity: 'TOTAL', ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    const jobs = (out.Items ?? []).map((i) => JSON.parse(String(unmarshall(i)['data'])) as JobEffect).filter((job) => job.availableAt <= now);
    return { jobs, next: out.LastEvaluatedKey };
  }

  private async leaseSome(candidates: JobEffect[], max: number, leaseMs: number, worker: string, now: number): Promise<JobEffect[]> {
    const leased: JobEffect[] = [];
    while (candidates.length > 0 && leased.length < max) {
      const batch = candidates.splice(0, max - leased.length);
      const won = await Promise.all(batch.map((job) => this.lease(job, FREE, now + leaseMs, worker, now)));
      leased.push(...batch.filter((_, i) => won[i]));
    }
    return leased;
  }

  /** One conditional write per job: of two workers reading the same free job, one wins. */
  private async lease(job: JobEffect, free: string, until: number, worker: string, now: number): Promise<boolean> {
    try {
      await this.send('UpdateItem', new UpdateItemCommand({
        TableName: this.options.tableName, Key: marshall({ pk: jobPk(job.jobType, job.jobId), sk: job.jobId }),
        UpdateExpression: 'SET #lu = :until, #w = :worker', ConditionExpression: `attribute_exists(pk) AND (${free})`,
        ExpressionAttributeNames: { '#lu': 'lockedUntil', '#w': 'worker' }, ExpressionAttributeValues: marshall({ ':until': until, ':worker': worker, ':now': now }),
        ReturnConsumedCapacity: 'TOTAL',
      }));
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  async putTask(task: TaskEffect): Promise<void> {
    await Promise.all(taskPks(task).map((pk) => this.put(pk, task.taskId, task)));
  }

  async deleteTask(task: { taskId: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): Promise<void> {
    await Promise.all(taskPks(task).map((pk) => this.delete(pk, task.taskId)));
  }

  async listTasks(query: { candidateGroup?: string; assignee?: string; candidateUser?: string; limit?: number }): Promise<TaskEffect[]> {
    const list = query.assignee !== undefined ? `A#${query.assignee}`
      : query.candidateGroup !== undefined ? `G#${query.candidateGroup}`
        : query.candidateUser !== undefined ? `U#${query.candidateUser}` : null;
    if (list === null) throw new Error('listTasks needs a candidateGroup, assignee or candidateUser');
    return this.queryShards<TaskEffect>((shard) => taskListPk(list, shard), SHARDS.tasks, query.limit ?? 100);
  }

  async putSubscription(sub: SubEffect): Promise<void> {
    await this.put(subscriptionPk(sub.messageName, sub.correlationKey, sub.subscriptionId), sub.subscriptionId, sub);
  }

  async deleteSubscription(sub: { messageName: string; correlationKey: string; subscriptionId: string }): Promise<void> {
    await this.delete(subscriptionPk(sub.messageName, sub.correlationKey, sub.subscriptionId), sub.subscriptionId);
  }

  async findSubscriptions(messageName: string, correlationKey: string): Promise<SubEffect[]> {
    if (!isBroadcast(messageName, correlationKey)) return this.query<SubEffect>(subscriptionPk(messageName, correlationKey), MAX_SUBSCRIBERS);
    // A signal's subscriptions can be every waiting instance: every shard, every page.
    const shards = await Promise.all(broadcastPks(messageName).map((pk) => this.query<SubEffect>(pk, MAX_SUBSCRIBERS)));
    return shards.flat();
  }

  async bufferMessage(message: BufferedMessage): Promise<void> {
    const sk = `${String(message.publishedAt).padStart(15, '0')}#${message.messageId}`;
    await this.put(messagePk(message.name, message.correlationKey), sk, message, { ttl: Math.ceil(message.expiresAt / 1000) });
  }

  async bufferedMessages(messageName: string, correlationKey: string, now: number): Promise<BufferedMessage[]> {
    const all = await this.query<BufferedMessage>(messagePk(messageName, correlationKey), 100);
    // DynamoDB TTL deletes within days, not on time: expiry is checked here.
    return all.filter((m) => m.expiresAt > now);
  }
}
