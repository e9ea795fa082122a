/**
 * Counting what the durable path asks of AWS, at the SDK client: a middleware on each
 * DynamoDB / SQS client records every request (including the poller's receives and
 * deletes, which the runtime's meters never see), what item it touched, and what
 * capacity DynamoDB reported for it. Nothing is mocked: the requests go to the emulators.
 *
 * Capacity: DynamoDB Local answers `ReturnConsumedCapacity` with `CapacityUnits` (table
 * plus indexes). To tell the table's units from the GSI's, the middleware upgrades
 * `TOTAL` to `INDEXES` (the same units are billed either way: the option only changes
 * what the response reports). A request without reported capacity (a failed conditional
 * write, or a request that did not ask) is estimated from its item size with AWS's rules:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * DynamoDB Local reports 0 units for a Query that finds nothing (a start's load); AWS bills
 * every read request at least 0.5 RCU (eventually consistent) / 1 RCU (strongly), so such
 * a read is counted at that minimum and flagged `floored`.
 */
import type { AttributeValue, ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemBytes } from '../../lib/adapters/dynamodb/item-size.ts';

export { itemBytes };
import type { SQSClient } from '@aws-sdk/client-sqs';

type Item = Record<string, AttributeValue>;

/** Which part of the single-table layout (lib/adapters/dynamodb/keys.ts) a request touched. */
export type Target = 'load' | 'version' | 'head' | 'index' | 'rejection' | 'definition' | 'other';

export interface DynamoCall {
  operation: string;
  target: Target;
  read: boolean;
  units: number;
  /** Of `units`, what the global secondary indexes consumed. */
  indexUnits: number;
  reported: boolean;
  /** A read reported as 0 units (DynamoDB Local, on a Query that found nothing), billed at AWS's minimum instead. */
  floored: boolean;
  failed: boolean;
  /** Round trip to the emulator, ms. */
  ms: number;
  /** For puts: the item's size as DynamoDB bills it, and its encoded payload (json or blob). */
  itemBytes?: number;
  payloadBytes?: number;
}

const READS = /^(Get|Query|BatchGet|Scan)/;


function keyOf(input: Record<string, unknown>): { pk: string; sk: string } {
  const item = (input['Item'] ?? input['Key']) as Item | undefined;
  if (item) return { pk: item['pk']?.S ?? '', sk: item['sk']?.S ?? '' };
  const values = input['ExpressionAttributeValues'] as Item | undefined;
  return { pk: values?.[':pk']?.S ?? '', sk: '' };
}

export function targetOf(operation: string, input: Record<string, unknown>): Target {
  if (input['IndexName'] !== undefined) return 'other';
  const { pk, sk } = keyOf(input);
  if (pk.startsWith('I#')) {
    if (operation === 'Query') return 'load';
    if (sk === '~HEAD') return 'head';
    if (sk.startsWith('V#')) return 'version';
    if (sk.startsWith('R#')) return 'rejection';
    return 'other';
  }
  if (/^(JOBS|TASKS|SUB|MSG)#/.test(pk)) return 'index';
  if (pk.startsWith('D#') || pk === 'DEFS') return 'definition';
  return 'other';
}

/** AWS's rules when nothing was reported: 1 WCU per started KB written, 0.5 / 1 RCU per started 4 KB read. */
function estimate(operation: string, input: Record<string, unknown>, read: boolean): { units: number; indexUnits: number } {
  if (read) return { units: input['ConsistentRead'] ? 1 : 0.5, indexUnits: 0 }; // items here stay under 4 KB
  const item = input['Item'] as Item | undefined;
  if (operation === 'PutItem' && item) {
    const indexUnits = item['gsi1pk'] && item['gsi1sk'] ? 1 : 0; // the projected head attributes are far under 1 KB
    return { units: Math.ceil(itemBytes(item) / 1024) + indexUnits, indexUnits };
  }
  return { units: 1, indexUnits: 0 }; // deletes / updates of items under 1 KB (index items and heads are)
}

function reported(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): { units: number; indexUnits: number } | null {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  if (list.length === 0) return null;
  let units = 0;
  let indexUnits = 0;
  for (const c of list) {
    units += c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
    for (const gsi of Object.values(c.GlobalSecondaryIndexes ?? {})) indexUnits += gsi.CapacityUnits ?? (gsi.ReadCapacityUnits ?? 0) + (gsi.WriteCapacityUnits ?? 0);
  }
  return { units, indexUnits };
}

function payloadBytes(item: Item | undefined): number | undefined {
  if (!item) return undefined;
  if (item['json']?.S !== undefined) return Buffer.byteLength(item['json'].S);
  if (item['blob']?.B !== undefined) return item['blob'].B.byteLength;
  return undefined;
}

const operationOf = (commandName: string | undefined): string => (commandName ?? 'Unknown').replace(/Command$/, '');

/** Records every request of the DynamoDB clients it is attached to. */
export class DynamoCounter {
  calls: DynamoCall[] = [];

  attach(client: DynamoDBClient): this {
    client.middlewareStack.add((next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const input = args.input as Record<string, unknown>;
      const upgraded = input['ReturnConsumedCapacity'] === 'TOTAL' ? { ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } } : args;
      const read = READS.test(operation);
      const item = operation === 'PutItem' ? (input['Item'] as Item | undefined) : undefined;
      const started = performance.now();
      const call = (units: { units: number; indexUnits: number }, wasReported: boolean, failed: boolean): DynamoCall => {
        const minimum = read ? (input['ConsistentRead'] ? 1 : 0.5) : 0;
        const floored = units.units < minimum;
        return {
          operation, target: targetOf(operation, input), read, ...units, units: Math.max(units.units, minimum), reported: wasReported, floored, failed,
          ms: performance.now() - started, ...(item ? { itemBytes: itemBytes(item), payloadBytes: payloadBytes(item) } : {}),
        };
      };
      try {
        const result = await next(upgraded as typeof args);
        const got = reported((result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity);
        this.calls.push(call(got ?? estimate(operation, input, read), got !== null, false));
        return result;
      } catch (error) {
        // A failed conditional write is billed like a successful one.
        this.calls.push(call(estimate(operation, input, read), false, true));
        throw error;
      }
    }, { step: 'initialize', name: 'benchDynamoCounter' });
    return this;
  }

  reset(): void {
    this.calls = [];
  }
}

export interface SqsCall {
  /** `ReceiveMessage (empty)` for a receive that returned nothing. */
  operation: string;
  fifo: boolean;
  /** Message bytes sent (sends) or received (receives). */
  bytes: number;
  messages: number;
  /** Billed requests: one per started 64 KB chunk of payload. */
  billed: number;
  /** Round trip to the emulator, ms (a receive's includes its long-poll wait). */
  ms: number;
}

function sentBytes(input: Record<string, unknown>): number {
  type Entry = { MessageBody?: string; MessageAttributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }> };
  const one = (e: Entry): number => Buffer.byteLength(e.MessageBody ?? '')
    + Object.entries(e.MessageAttributes ?? {}).reduce((s, [k, a]) => s + Buffer.byteLength(k) + Buffer.byteLength(a.DataType ?? '')
      + Buffer.byteLength(a.StringValue ?? '') + (a.BinaryValue?.byteLength ?? 0), 0);
  const entries = input['Entries'] as Entry[] | undefined;
  return entries ? entries.reduce((s, e) => s + one(e), 0) : one(input as Entry);
}

/** Records every request of the SQS clients it is attached to. */
export class SqsCounter {
  calls: SqsCall[] = [];

  attach(client: SQSClient, chunkBytes: number): this {
    client.middlewareStack.add((next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const input = args.input as Record<string, unknown>;
      const fifo = String(input['QueueUrl'] ?? '').endsWith('.fifo');
      const started = performance.now();
      const result = await next(args);
      const ms = performance.now() - started;
      let bytes = 0;
      let messages = 0;
      if (operation.startsWith('SendMessage')) {
        bytes = sentBytes(input);
        messages = (input['Entries'] as unknown[] | undefined)?.length ?? 1;
      } else if (operation === 'ReceiveMessage') {
        const received = (result.output as { Messages?: Array<{ Body?: string }> }).Messages ?? [];
        messages = received.length;
        bytes = received.reduce((s, m) => s + Buffer.byteLength(m.Body ?? ''), 0);
      } else if (operation.startsWith('DeleteMessage')) {
        messages = (input['Entries'] as unknown[] | undefined)?.length ?? 1;
      }
      const name = operation === 'ReceiveMessage' && messages === 0 ? 'ReceiveMessage (empty)' : operation;
      this.calls.push({ operation: name, fifo, bytes, messages, billed: Math.max(1, Math.ceil(bytes / chunkBytes)), ms });
      return result;
    }, { step: 'initialize', name: 'benchSqsCounter' });
    return this;
  }

  reset(): void {
    this.calls = [];
  }
}
