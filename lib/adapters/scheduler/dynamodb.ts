/**
 * The durable schedule locally and in tests (and on AWS when `DURABLE_TIMERS=dynamodb`):
 * one item per timer in the engine's table, in a bucket per minute of its due time,
 * swept each minute. The sweep hands every timer due within `leadMs` to the SQS delay
 * queue (the last stretch, at most 15 minutes) and deletes its item.
 *
 * | item        | pk                          | sk                      |
 * |-------------|-----------------------------|-------------------------|
 * | timer       | TIMERS#<yyyy-mm-ddThh:mm:ss>#<shard> (bucket start; shard of the timer id) | <dueAt, 13 digits>#<timerId> |
 * | sweep cursor| TIMERS#CURSOR               | ~                       |
 *
 *   schedule ─► PutItem (bucket of dueAt)        sweep(now) every minute:
 *   cancel   ─► DeleteItem                         Query each bucket from cursor-3 to the last one due within leadMs
 *                                                  ─► SendMessageBatch (timers queue, DelaySeconds = dueAt - now)
 *                                                  ─► BatchWriteItem deletes ─► cursor moves up
 *
 * A crash between the hand-off and the delete hands a timer off twice: harmless, the
 * fire command carries a deterministic id and the core rejects a second fire. The
 * sweep re-reads the last 3 swept buckets, for items put while it ran.
 */
import { BatchWriteItemCommand, DeleteItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Clock, DurableTimers, ScheduledTimer } from '../../ports.ts';
import { SHARDS, shardOf } from '../dynamodb/keys.ts';
import { metered, type Meter } from '../dynamodb/meter.ts';

export const BUCKET_MS = 60_000;
/** A timer is handed to the SQS delay queue when it is due within this (at most 15 minutes). */
export const DEFAULT_LEAD_MS = 5 * 60_000;
const RESCAN_BUCKETS = 3;
/** With no cursor yet (a first sweep), look this far back. */
const FIRST_LOOKBACK_BUCKETS = 60;
const CURSOR_KEY = { pk: 'TIMERS#CURSOR', sk: '~' };

/** Where handed-off timers go: the SQS delay queue (SqsTimerScheduler). */
export interface HandOff {
  scheduleMany(timers: ScheduledTimer[]): Promise<void>;
}

export interface SweepResult {
  buckets: number;
  handedOff: number;
  /** The last bucket (minute, epoch ms) now fully swept. */
  cursor: number;
}

export const bucketOf = (dueAt: number, bucketMs = BUCKET_MS): number => Math.floor(dueAt / bucketMs) * bucketMs;
/** One bucket's timers in SHARDS.timers parts (same-minute timers of many instances do not share one key). */
export const timersPks = (bucket: number): string[] => Array.from({ length: SHARDS.timers }, (_, s) => `TIMERS#${new Date(bucket).toISOString().slice(0, 19)}#${s}`);
export const timerPk = (bucket: number, timerId: string): string => timersPks(bucket)[shardOf(timerId, SHARDS.timers)] as string;
export const timerSk = (timer: { dueAt: number; timerId: string }): string => `${String(Math.max(0, Math.floor(timer.dueAt))).padStart(13, '0')}#${timer.timerId}`;

type Item = Record<string, AttributeValue>;

export class DynamoDurableTimers implements DurableTimers {
  private readonly leadMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: {
      tableName: string; handOff: HandOff; clock: Clock; leadMs?: number; meter?: Meter; concurrency?: number;
      /** The width of a bucket (default a minute, the sweep's period; tests use seconds). */
      bucketMs?: number;
    },
  ) {
    this.bucketMs = options.bucketMs ?? BUCKET_MS;
    this.leadMs = Math.min(options.leadMs ?? DEFAULT_LEAD_MS, 15 * 60_000 - this.bucketMs);
  }

  private readonly bucketMs: number;

  private bucket(dueAt: number): number {
    return bucketOf(dueAt, this.bucketMs);
  }

  /** The last bucket whose every timer is due within the lead at `now`. */
  private lastReady(now: number): number {
    return this.bucket(now + this.leadMs) - this.bucketMs;
  }

  async schedule(timer: ScheduledTimer): Promise<void> {
    await this.scheduleMany([timer]);
  }

  /** Puts many timers with BatchWriteItem (25 a request); those due within the lead go straight to SQS. */
  async scheduleMany(timers: ScheduledTimer[]): Promise<void> {
    const ready = this.lastReady(this.options.clock.now());
    const now = timers.filter((t) => this.bucket(t.dueAt) <= ready);
    if (now.length > 0) await this.options.handOff.scheduleMany(now);
    const later = timers.filter((t) => this.bucket(t.dueAt) > ready);
    await this.batchWrite(later.map((t) => ({ PutRequest: { Item: this.item(t) } })));
  }

  async cancel(timer: { timerId: string; dueAt: number }): Promise<void> {
    const Key = marshall({ pk: timerPk(this.bucket(timer.dueAt), timer.timerId), sk: timerSk(timer) });
    await metered(this.client, this.options.meter, 'DeleteItem', new DeleteItemCommand({ TableName: this.options.tableName, Key }));
  }

  /**
   * Hands off every timer due within the lead at `now` and moves the cursor.
   * @example await timers.sweep(Date.now()) // { buckets: 4, handedOff: 12, cursor: ... }
   */
  async sweep(now: number = this.options.clock.now()): Promise<SweepResult> {
    const last = this.lastReady(now);
    const cursor = await this.cursor();
    const first = cursor === null ? last - FIRST_LOOKBACK_BUCKETS * this.bucketMs : cursor - (RESCAN_BUCKETS - 1) * this.bucketMs;
    const buckets: number[] = [];
    for (let b = first; b <= last; b += this.bucketMs) buckets.push(b);
    let handedOff = 0;
    let next = 0;
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, buckets.length) }, async () => {
      while (next < buckets.length) handedOff += await this.sweepBucket(buckets[next++] as number);
    });
    await Promise.all(workers);
    if (cursor === null || last > cursor) await this.moveCursor(last);
    return { buckets: buckets.length, handedOff, cursor: Math.max(last, cursor ?? last) };
  }

  private async sweepBucket(bucket: number): Promise<number> {
    const counts = await Promise.all(timersPks(bucket).map((pk) => this.sweepKey(pk)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async sweepKey(pk: string): Promise<number> {
    let handedOff = 0;
    let start: Item | undefined;
    do {
      const out = await metered<{ Items?: Item[]; LastEvaluatedKey?: Item }>(this.client, this.options.meter, 'Query', new QueryCommand({
        TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }),
        ConsistentRead: true, ExclusiveStartKey: start, ReturnConsumedCapacity: 'TOTAL',
      }));
      const items = (out.Items ?? []).map((i) => unmarshall(i));
      if (items.length > 0) {
        await this.options.handOff.scheduleMany(items.map(toTimer));
        await this.batchWrite(items.map((i) => ({ DeleteRequest: { Key: marshall({ pk: i['pk'], sk: i['sk'] }) } })));
        handedOff += items.length;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return handedOff;
  }

  private item(timer: ScheduledTimer): Item {
    return marshall({
      pk: timerPk(this.bucket(timer.dueAt), timer.timerId), sk: timerSk(timer), timerId: timer.timerId, instanceId: timer.instanceId, dueAt: timer.dueAt,
      ...(timer.start ? { start: timer.start } : {}),
    });
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: WriteRequest[] = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        if (attempt > 10) throw new Error(`BatchWriteItem left ${pending.length} timer items unprocessed`);
        const out = await metered<{ UnprocessedItems?: Record<string, WriteRequest[]> }>(this.client, this.options.meter, 'BatchWriteItem', new BatchWriteItemCommand({
          RequestItems: { [this.options.tableName]: pending }, ReturnConsumedCapacity: 'TOTAL',
        }));
        pending = out.UnprocessedItems?.[this.options.tableName] ?? [];
      }
    }
  }

  private async cursor(): Promise<number | null> {
    const out = await metered<{ Items?: Item[] }>(this.client, this.options.meter, 'Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': CURSOR_KEY.pk }), ConsistentRead: true,
    }));
    const item = out.Items?.[0];
    return item ? Number(unmarshall(item)['bucket']) : null;
  }

  /** Only ever forward: two overlapping sweeps cannot move it back. */
  private async moveCursor(bucket: number): Promise<void> {
    try {
      await metered(this.client, this.options.meter, 'UpdateItem', new UpdateItemCommand({
        TableName: this.options.tableName, Key: marshall(CURSOR_KEY), UpdateExpression: 'SET #b = :b',
        ConditionExpression: 'attribute_not_exists(#b) OR #b < :b', ExpressionAttributeNames: { '#b': 'bucket' }, ExpressionAttributeValues: marshall({ ':b': bucket }),
      }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

function toTimer(item: Record<string, unknown>): ScheduledTimer {
  const start = item['start'] as ScheduledTimer['start'] | undefined;
  return { timerId: String(item['timerId']), instanceId: String(item['instanceId']), dueAt: Number(item['dueAt']), ...(start ? { start } : {}) };
}
