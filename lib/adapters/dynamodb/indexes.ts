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
import { jobsPk, messagePk, subscriptionPk, taskPks } from './keys.ts';
import { metered, type Meter } from './meter.ts';

type Item = Record<string, AttributeValue>;
type JobEffect = Extract<Effect, { type: 'job.activatable' }>;
type TaskEffect = Extract<Effect, { type: 'task.created' }>;
type SubEffect = Extract<Effect, { type: 'subscription.opened' }>;

/** Pages of 100 open jobs a single activation looks through for free ones. */
const MAX_ACTIVATE_PAGES = 5;

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

  async putJob(job: JobEffect): Promise<void> {
    await this.put(jobsPk(job.jobType), job.jobId, job);
  }

  async deleteJob(jobType: string, jobId: string): Promise<void> {
    await this.delete(jobsPk(jobType), jobId);
  }

  async listJobs(jobType: string, options: { limit?: number; availableBefore?: number } = {}): Promise<JobEffect[]> {
    const jobs = await this.query<JobEffect>(jobsPk(jobType), options.limit ?? 100);
    return options.availableBefore === undefined ? jobs : jobs.filter((j) => j.availableAt <= (options.availableBefore as number));
  }

  async activateJobs(jobType: string, max: number, leaseMs: number, worker: string, now: number): Promise<JobEffect[]> {
    const leased: JobEffect[] = [];
    const free = 'attribute_not_exists(#lu) OR #lu < :now';
    let start: Item | undefined;
    for (let page = 0; page < MAX_ACTIVATE_PAGES && leased.length < max; page++) {
      const out: { Items?: Item[]; LastEvaluatedKey?: Item } = await this.send('Query', new QueryCommand({
        TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', FilterExpression: free,
        ExpressionAttributeNames: { '#lu': 'lockedUntil' }, ExpressionAttributeValues: marshall({ ':pk': jobsPk(jobType), ':now': now }),
        Limit: 100, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL', ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      const candidates = (out.Items ?? []).map((i) => JSON.parse(String(unmarshall(i)['data'])) as JobEffect).filter((job) => job.availableAt <= now);
      while (candidates.length > 0 && leased.length < max) {
        const batch = candidates.splice(0, max - leased.length);
        const won = await Promise.all(batch.map((job) => this.lease(job, free, now + leaseMs, worker, now)));
        leased.push(...batch.filter((_, i) => won[i]));
      }
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return leased;
  }

  /** One conditional write per job: of two workers reading the same free job, one wins. */
  private async lease(job: JobEffect, free: string, until: number, worker: string, now: number): Promise<boolean> {
    try {
      await this.send('UpdateItem', new UpdateItemCommand({
        TableName: this.options.tableName, Key: marshall({ pk: jobsPk(job.jobType), sk: job.jobId }),
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
    const pk = query.assignee !== undefined ? `TASKS#A#${query.assignee}`
      : query.candidateGroup !== undefined ? `TASKS#G#${query.candidateGroup}`
        : query.candidateUser !== undefined ? `TASKS#U#${query.candidateUser}` : null;
    if (pk === null) throw new Error('listTasks needs a candidateGroup, assignee or candidateUser');
    return this.query<TaskEffect>(pk, query.limit ?? 100);
  }

  async putSubscription(sub: SubEffect): Promise<void> {
    await this.put(subscriptionPk(sub.messageName, sub.correlationKey), sub.subscriptionId, sub);
  }

  async deleteSubscription(sub: { messageName: string; correlationKey: string; subscriptionId: string }): Promise<void> {
    await this.delete(subscriptionPk(sub.messageName, sub.correlationKey), sub.subscriptionId);
  }

  async findSubscriptions(messageName: string, correlationKey: string): Promise<SubEffect[]> {
    // A signal's subscriptions (`signal:<name>`, key '') can be every waiting instance: all pages.
    return this.query<SubEffect>(subscriptionPk(messageName, correlationKey), MAX_SUBSCRIBERS);
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
