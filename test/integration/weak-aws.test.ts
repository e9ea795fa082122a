/**
 * The weak-AWS layer (test/support/weak-aws) against the real emulators: each fault
 * happens on DynamoDB Local / fauxqs, and `off()` gives the emulator's normal behaviour back.
 */
import { randomUUID } from 'node:crypto';
import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, GSI_BY_STATUS } from '../../lib/adapters/dynamodb/table.ts';
import { weakDynamo, weakSqs } from '../support/weak-aws/index.ts';
import { until } from '../support/wait.ts';
import { clients } from './runtime.ts';

type Item = Record<string, AttributeValue>;
const table = `t${randomUUID().slice(0, 8)}-weak`;
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/** A manual clock, so "lagMs ago" needs no sleeping. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

const put = (db: DynamoDBClient, item: Item) => db.send(new PutItemCommand({ TableName: table, Item: item }));
const setVersion = (db: DynamoDBClient, pk: string, sk: string, version: number, extra: Record<string, AttributeValue> = {}) => db.send(new UpdateItemCommand({
  TableName: table, Key: { pk: s(pk), sk: s(sk) },
  UpdateExpression: `SET #v = :v${Object.keys(extra).map((k) => `, ${k} = :${k}`).join('')}`,
  ExpressionAttributeNames: { '#v': 'version' },
  ExpressionAttributeValues: { ':v': n(version), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`:${k}`, v])) },
}));
const get = async (db: DynamoDBClient, pk: string, sk: string, consistent: boolean) =>
  (await db.send(new GetItemCommand({ TableName: table, Key: { pk: s(pk), sk: s(sk) }, ConsistentRead: consistent }))).Item;
/** The engine's `load`: head and latest version in one descending Query with Limit 2. */
const load = async (db: DynamoDBClient, pk: string, consistent: boolean) =>
  ((await db.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': s(pk) }, ScanIndexForward: false, Limit: 2, ConsistentRead: consistent,
  }))).Items ?? []).map((i) => `${i['sk']?.S}:${i['version']?.N}`);
const failure = async (call: Promise<unknown>) => call.then(() => { throw new Error('expected the call to fail'); }, (error: unknown) => error as Error & Record<string, unknown>);

beforeAll(async () => {
  await ensureTable(clients().dynamodb, table);
});

describe('weakDynamo: stale reads', () => {
  it('serves an eventually consistent GetItem the image of lagMs ago, a consistent one the latest', async () => {
    const { dynamodb } = clients();
    const clock = manualClock();
    const weak = weakDynamo(dynamodb, { seed: 1, clock: clock.now, faults: { staleReads: { probability: 1, lagMs: 1000 } } });
    const pk = `I#${randomUUID()}`;
    await put(dynamodb, { pk: s(pk), sk: s('~HEAD'), version: n(1) });
    clock.advance(5000);
    await setVersion(dynamodb, pk, '~HEAD', 2);
    await put(dynamodb, { pk: s(pk), sk: s('new'), version: n(1) });

    expect((await get(dynamodb, pk, '~HEAD', false))?.['version']).toEqual(n(1));
    expect(await get(dynamodb, pk, 'new', false)).toBeUndefined(); // created less than lagMs ago
    expect((await get(dynamodb, pk, '~HEAD', true))?.['version']).toEqual(n(2));
    const batch = await dynamodb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ pk: s(pk), sk: s('~HEAD') }, { pk: s(pk), sk: s('new') }] } } }));
    expect(batch.Responses?.[table]?.map((i) => i['version'])).toEqual([n(1)]);
    expect(weak.stats).toMatchObject({ staleReads: 3, staleItems: 4 });

    weak.off();
    expect((await get(dynamodb, pk, '~HEAD', false))?.['version']).toEqual(n(2));
    expect(await get(dynamodb, pk, 'new', false)).toBeDefined();
    weak.dispose();
  });

  it("serves the engine's load Query (Limit 2, descending) the older head and version", async () => {
    const { dynamodb } = clients();
    const clock = manualClock();
    const weak = weakDynamo(dynamodb, { seed: 2, clock: clock.now, faults: { staleReads: { probability: 1, lagMs: 1000 } } });
    const pk = `I#${randomUUID()}`;
    await put(dynamodb, { pk: s(pk), sk: s('V#0001'), version: n(1) });
    await put(dynamodb, { pk: s(pk), sk: s('~HEAD'), version: n(1) });
    clock.advance(5000);
    await put(dynamodb, { pk: s(pk), sk: s('V#0002'), version: n(2) });
    await setVersion(dynamodb, pk, '~HEAD', 2);

    expect(await load(dynamodb, pk, false)).toEqual(['~HEAD:1', 'V#0001:1']);
    expect(await load(dynamodb, pk, true)).toEqual(['~HEAD:2', 'V#0002:2']);
    weak.off();
    expect(await load(dynamodb, pk, false)).toEqual(['~HEAD:2', 'V#0002:2']);
    weak.dispose();
  });

  it('keeps an item out of a GSI query while, lagMs ago, it was under other index keys', async () => {
    const { dynamodb } = clients();
    const clock = manualClock();
    const weak = weakDynamo(dynamodb, { seed: 3, clock: clock.now, faults: { staleReads: { probability: 1, lagMs: 1000 } } });
    const pk = `I#${randomUUID()}`;
    const byStatus = (status: string) => dynamodb.send(new QueryCommand({
      TableName: table, IndexName: GSI_BY_STATUS, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': s(`${pk}/${status}`) },
    }));
    await put(dynamodb, { pk: s(pk), sk: s('~HEAD'), version: n(1), gsi1pk: s(`${pk}/active`), gsi1sk: s('1') });
    clock.advance(5000);
    await setVersion(dynamodb, pk, '~HEAD', 2, { gsi1pk: s(`${pk}/completed`) });

    expect((await byStatus('completed')).Items).toEqual([]);
    weak.off();
    expect((await byStatus('completed')).Items).toHaveLength(1);
    weak.dispose();
  });

  it('records BatchWriteItem and TransactWriteItems: a deleted item shows its last image, an updated one its older', async () => {
    const { dynamodb } = clients();
    const clock = manualClock();
    const weak = weakDynamo(dynamodb, { seed: 11, clock: clock.now, faults: { staleReads: { probability: 1, lagMs: 1000 } } });
    const pk = `I#${randomUUID()}`;
    await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [
      { PutRequest: { Item: { pk: s(pk), sk: s('a'), version: n(1) } } }, { PutRequest: { Item: { pk: s(pk), sk: s('b'), version: n(1) } } },
    ] } }));
    clock.advance(5000);
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: table, Key: { pk: s(pk), sk: s('a') }, UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': n(2) } } },
      { Delete: { TableName: table, Key: { pk: s(pk), sk: s('b') } } },
    ] }));

    expect((await get(dynamodb, pk, 'a', false))?.['version']).toEqual(n(1));
    expect((await get(dynamodb, pk, 'b', false))?.['version']).toEqual(n(1));
    expect((await get(dynamodb, pk, 'a', true))?.['version']).toEqual(n(2));
    expect(await get(dynamodb, pk, 'b', true)).toBeUndefined();
    weak.dispose();
  });
});

describe('weakDynamo: errors', () => {
  it('applies an ambiguous write, then throws a 500 or a timeout', async () => {
    const { dynamodb } = clients();
    const weak = weakDynamo(dynamodb, { seed: 4, faults: { ambiguousWrites: { probability: 1 } } });
    const pk = `I#${randomUUID()}`;
    const errors = [];
    for (let i = 0; i < 6; i++) errors.push(await failure(put(dynamodb, { pk: s(pk), sk: s(`V#${i}`), version: n(i) })));
    for (const error of errors) {
      expect(['InternalServerError', 'TimeoutError']).toContain(error.name);
      if (error.name === 'InternalServerError') expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    }
    expect(new Set(errors.map((e) => e.name)).size).toBe(2);
    for (let i = 0; i < 6; i++) expect(await get(dynamodb, pk, `V#${i}`, true)).toBeDefined();
    expect(weak.stats['ambiguousWrites']).toBe(6);

    weak.off();
    await setVersion(dynamodb, pk, 'V#0', 9);
    expect((await get(dynamodb, pk, 'V#0', true))?.['version']).toEqual(n(9));
    weak.dispose();
  });

  it('throttles and 500s before sending: nothing is written', async () => {
    const { dynamodb } = clients();
    const weak = weakDynamo(dynamodb, { seed: 5, faults: { throttle: { probability: 1 } } });
    const pk = `I#${randomUUID()}`;
    const throttled = await failure(put(dynamodb, { pk: s(pk), sk: s('a') }));
    expect(['ProvisionedThroughputExceededException', 'ThrottlingException']).toContain(throttled.name);
    expect(throttled).toMatchObject({ $fault: 'client', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } });
    weak.set({ serverErrors: { probability: 1 } });
    const server = await failure(put(dynamodb, { pk: s(pk), sk: s('b') }));
    expect(server).toMatchObject({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const probe = clients().dynamodb; // a client without the layer
    expect(await get(probe, pk, 'a', true)).toBeUndefined();
    expect(await get(probe, pk, 'b', true)).toBeUndefined();
    expect(weak.stats).toMatchObject({ throttles: 1, serverErrors: 1 });

    weak.off();
    await put(dynamodb, { pk: s(pk), sk: s('a') });
    expect(await get(dynamodb, pk, 'a', true)).toBeDefined();
    weak.dispose();
  });

  it("with placement 'attempt', strikes each attempt below the SDK's retries", async () => {
    const { dynamodb } = clients(); // maxAttempts: 5
    const weak = weakDynamo(dynamodb, { seed: 6, placement: 'attempt', faults: { serverErrors: { probability: 1 } } });
    const pk = `I#${randomUUID()}`;
    const error = await failure(put(dynamodb, { pk: s(pk), sk: s('a') }));
    expect(error).toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 5 } });
    expect(weak.stats['serverErrors']).toBe(5);
    expect(await get(clients().dynamodb, pk, 'a', true)).toBeUndefined();
    weak.dispose();
  });

  it('gives the same faults for the same seed and requests', async () => {
    const pk = `I#${randomUUID()}`;
    const run = async (db: DynamoDBClient) => {
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i++) outcomes.push(await get(db, pk, 'x', true).then(() => 'ok', (e: Error) => e.name));
      return outcomes.join(',');
    };
    const [a, b, c] = [clients().dynamodb, clients().dynamodb, clients().dynamodb];
    const faults = { throttle: { probability: 0.3 }, serverErrors: { probability: 0.3 }, latency: { maxMs: 5 } };
    const weakA = weakDynamo(a, { seed: 42, faults });
    const weakB = weakDynamo(b, { seed: 42, faults });
    const weakC = weakDynamo(c, { seed: 43, faults });
    const first = await run(a);
    expect(first).toMatch(/ok/);
    expect(first).toMatch(/InternalServerError/);
    expect(await run(b)).toBe(first);
    expect(await run(c)).not.toBe(first);
    weakA.reseed(42);
    expect(await run(a)).toBe(first);
    expect(weakA.stats['latency']).toBe(32);
    for (const weak of [weakA, weakB, weakC]) weak.dispose();
  });
});

async function fifoQueue(sqs: SQSClient, visibility = 30): Promise<string> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: `t${randomUUID().slice(0, 8)}-weak.fifo`, Attributes: { FifoQueue: 'true', VisibilityTimeout: String(visibility) } }));
  return out.QueueUrl as string;
}

async function receive(sqs: SQSClient, queueUrl: string, wait = 0): Promise<Message[]> {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: wait }))).Messages ?? [];
}

/** Receives and deletes until the queue is empty; the bodies in order of arrival. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let batch = await receive(sqs, queueUrl); batch.length > 0; batch = await receive(sqs, queueUrl)) {
    for (const m of batch) {
      bodies.push(m.Body as string);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return bodies;
}

const sendFifo = (sqs: SQSClient, queueUrl: string, body: string, group = 'g') =>
  sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));

describe('weakSqs', () => {
  it('expires the visibility of a received message: a second consumer gets it while the first holds it', async () => {
    const first = clients().sqs;
    const second = clients().sqs;
    const queueUrl = await fifoQueue(first);
    const weak = weakSqs(first, { seed: 7, faults: { visibilityExpiry: { probability: 1 } } });
    await sendFifo(first, queueUrl, 'cmd-1');
    const [held] = await receive(first, queueUrl);
    const [again] = await receive(second, queueUrl, 1);
    expect(again?.MessageId).toBe(held?.MessageId);
    expect(again?.Body).toBe('cmd-1');
    expect(weak.stats['visibilityExpiries']).toBe(1);
    await second.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again?.ReceiptHandle }));

    weak.off();
    await sendFifo(first, queueUrl, 'cmd-2');
    expect((await receive(first, queueUrl)).map((m) => m.Body)).toEqual(['cmd-2']);
    expect(await receive(second, queueUrl, 1)).toEqual([]);
    weak.dispose();
  });

  it('replays a sent FIFO message after the deduplication window, with the same body', async () => {
    const { sqs } = clients();
    const queueUrl = await fifoQueue(sqs);
    const weak = weakSqs(sqs, { seed: 8, faults: { replayAfterDedupWindow: { probability: 1 } } });
    await sendFifo(sqs, queueUrl, 'cmd-1');
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'cmd-2', MessageGroupId: 'g', MessageDeduplicationId: 'cmd-2' }] }));
    expect(weak.pendingReplays()).toBe(2);
    expect(await drain(sqs, queueUrl)).toEqual(['cmd-1', 'cmd-2']);
    await sendFifo(clients().sqs, queueUrl, 'cmd-1'); // a plain re-send with the same deduplication id is dropped by the queue
    expect(await drain(sqs, queueUrl)).toEqual([]);

    expect(await weak.flushReplays()).toBe(2);
    expect(weak.pendingReplays()).toBe(0);
    expect((await drain(sqs, queueUrl)).sort()).toEqual(['cmd-1', 'cmd-2']);
    expect(weak.stats).toMatchObject({ replaysScheduled: 2, replaysSent: 2 });

    weak.set({ replayAfterDedupWindow: { probability: 1, afterMs: 100 } });
    await sendFifo(sqs, queueUrl, 'cmd-3');
    await until(async () => weak.pendingReplays() === 0, 5_000, 'the timed replay');
    expect(await drain(sqs, queueUrl)).toEqual(['cmd-3', 'cmd-3']);
    weak.off();
    await sendFifo(sqs, queueUrl, 'cmd-4');
    expect(weak.pendingReplays()).toBe(0);
    weak.dispose();
  });

  it('drops entries of SendMessageBatch and reports them in Failed', async () => {
    const { sqs } = clients();
    const queueUrl = await fifoQueue(sqs);
    const weak = weakSqs(sqs, { seed: 9, faults: { partialBatchFailures: { probability: 0.5 } } });
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageGroupId: `g${i}`, MessageDeduplicationId: `m${i}` }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    const failed = (out.Failed ?? []).map((f) => f.Id);
    const sent = (out.Successful ?? []).map((f) => f.Id);
    expect(failed.length).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(0);
    expect([...failed, ...sent].sort()).toEqual(entries.map((e) => e.Id).sort());
    expect(out.Failed?.[0]).toMatchObject({ SenderFault: false, Code: 'InternalError' });
    expect((await drain(sqs, queueUrl)).sort()).toEqual(sent.map((id) => `m${id?.slice(1)}`).sort());
    expect(weak.stats['partialBatchFailures']).toBe(failed.length);

    weak.off();
    const clean = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((e) => ({ ...e, MessageDeduplicationId: `${e.MessageDeduplicationId}-2` })) }));
    expect(clean.Failed ?? []).toEqual([]);
    expect(await drain(sqs, queueUrl)).toHaveLength(10);
    weak.dispose();
  });

  it('throttles and 500s before sending: nothing reaches the queue', async () => {
    const { sqs } = clients();
    const queueUrl = await fifoQueue(sqs);
    const weak = weakSqs(sqs, { seed: 10, faults: { throttle: { probability: 1 } } });
    expect(await failure(sendFifo(sqs, queueUrl, 'a'))).toMatchObject({ name: 'RequestThrottled', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } });
    weak.set({ serverErrors: { probability: 1 } });
    expect(await failure(sendFifo(sqs, queueUrl, 'b'))).toMatchObject({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    weak.off();
    expect(await drain(sqs, queueUrl)).toEqual([]);
    await sendFifo(sqs, queueUrl, 'c');
    expect(await drain(sqs, queueUrl)).toEqual(['c']);
    weak.dispose();
  });
});
