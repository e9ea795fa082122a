/**
 * Partition heat: what every DynamoDB request puts on each partition key, counted at the SDK
 * client (a middleware; the requests still go to DynamoDB Local). Writes are billed by AWS's
 * rules from the item sizes (1 WCU per started KB), reads from the reported capacity (at least
 * 0.5 RCU eventually consistent, 1 strongly). The status index (GSI1) is a partition space of
 * its own: a head whose `gsi1pk` changes writes the new index key and deletes the old one; a
 * swap that leaves the index attributes as they were writes nothing to the index (DynamoDB
 * only propagates changes of projected attributes).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemBytes } from '../durable/instrument.ts';

type Item = Record<string, AttributeValue>;

export interface Heat {
  wcu: number;
  rcu: number;
}

/** `table|<pk>` or `gsi1|<gsi1pk>` -> units. */
export type HeatMap = Map<string, Heat>;

export class HeatMeter {
  readonly heat: HeatMap = new Map();
  /** The index key each head had last (to see a change of status). */
  private readonly gsiOf = new Map<string, string>();
  /** Inside `counted`, requests are held here and kept or dropped as a whole (a worker's empty poll). */
  private readonly pending = new AsyncLocalStorage<Array<[string, Heat]>>();

  attach(client: DynamoDBClient): this {
    client.middlewareStack.add((next, context) => async (args) => {
      const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
      const output = await next(args);
      this.record(operation, args.input as Record<string, unknown>, (output.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity);
      return output;
    }, { step: 'initialize', name: 'partitionHeat' });
    return this;
  }

  /** Counts what `work` does only when it says so (e.g. a job activation that found jobs). */
  async counted<T>(work: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
    const entries: Array<[string, Heat]> = [];
    const result = await this.pending.run(entries, work);
    if (keep(result)) for (const [key, h] of entries) this.count(key, h);
    return result;
  }

  private add(key: string, h: Heat): void {
    const pending = this.pending.getStore();
    if (pending) pending.push([key, h]);
    else this.count(key, h);
  }

  private count(key: string, h: Heat): void {
    const heat = this.heat.get(key) ?? { wcu: 0, rcu: 0 };
    heat.wcu += h.wcu;
    heat.rcu += h.rcu;
    this.heat.set(key, heat);
  }

  private record(operation: string, input: Record<string, unknown>, consumed: { CapacityUnits?: number } | undefined): void {
    if (operation === 'BatchWriteItem') {
      const requests = Object.values((input['RequestItems'] ?? {}) as Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>).flat();
      for (const r of requests) this.write(r.PutRequest ? 'PutItem' : 'DeleteItem', r.PutRequest ? { Item: r.PutRequest.Item } : { Key: r.DeleteRequest?.Key });
      return;
    }
    if (/^(PutItem|UpdateItem|DeleteItem)$/.test(operation)) return this.write(operation, input);
    if (operation === 'GetItem' || operation === 'Query') {
      const space = input['IndexName'] ? 'gsi1' : 'table';
      const pk = operation === 'GetItem' ? (input['Key'] as Item)['pk']?.S : (input['ExpressionAttributeValues'] as Item)?.[':pk']?.S;
      const minimum = input['ConsistentRead'] ? 1 : 0.5;
      this.add(`${space}|${pk ?? '?'}`, { wcu: 0, rcu: Math.max(minimum, consumed?.CapacityUnits ?? 0) });
    }
  }

  private write(operation: string, input: Record<string, unknown>): void {
    const item = (input['Item'] ?? input['Key']) as Item | undefined;
    const pk = item?.['pk']?.S ?? '?';
    const sk = item?.['sk']?.S ?? '';
    const wcu = operation === 'PutItem' && input['Item'] ? Math.ceil(itemBytes(input['Item'] as Item) / 1024) : 1;
    this.add(`table|${pk}`, { wcu, rcu: 0 });
    const gsi = operation === 'DeleteItem' ? undefined : newIndexKey(input);
    const before = this.gsiOf.get(`${pk}|${sk}`);
    if (gsi !== undefined && gsi !== before) {
      this.add(`gsi1|${gsi}`, { wcu: 1, rcu: 0 });
      if (before !== undefined) this.add(`gsi1|${before}`, { wcu: 1, rcu: 0 });
      this.gsiOf.set(`${pk}|${sk}`, gsi);
    }
  }
}

/** The gsi1pk a put or update writes (an update names it through its expression attributes). */
function newIndexKey(input: Record<string, unknown>): string | undefined {
  const item = input['Item'] as Item | undefined;
  if (item) return item['gsi1pk']?.S;
  const names = (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const values = (input['ExpressionAttributeValues'] ?? {}) as Item;
  const placeholder = Object.entries(names).find(([, name]) => name === 'gsi1pk')?.[0];
  return placeholder ? values[`:${placeholder.slice(1)}`]?.S : undefined;
}
