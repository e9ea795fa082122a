/**
 * Instance heads and versions in DynamoDB.
 *
 * - `load`: ONE Query (pk = I#<id>, descending, Limit 2) returns the head (`~HEAD` sorts
 *   after `V#...`) and the highest version, eventually consistent unless asked: 0.5 RCU
 *   when both fit in 4 KB. A stale read is harmless: the conditional put is the arbiter.
 * - `putVersion`: `attribute_not_exists(pk)`; on failure the winner comes back through
 *   `ReturnValuesOnConditionCheckFailure: ALL_OLD` (no extra read).
 * - `swapHead`: `version = :from`; on failure the current head comes back the same way.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import {
  BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CommandRejection, HeadStatus, InstanceHead, InstanceStore, InstanceVersion, Loaded, Page, PutVersionResult, SwapResult } from '../../ports.ts';
import { decode, encode } from './codec.ts';
import { itemBytes } from './item-size.ts';
import { isConditionalFailure } from './errors.ts';
import { commandSk, HEAD_SK, instancePk, SHARDS, startedSk, statusPk, statusShard, versionOf, versionSk } from './keys.ts';
import { metered, type Meter } from './meter.ts';
import { GSI_BY_STATUS } from './table.ts';

type Item = Record<string, AttributeValue>;

export interface DynamoInstanceStoreOptions {
  tableName: string;
  /** Seconds finished instances are kept (TTL on the head and the final version). */
  retentionSeconds?: number;
  /** Largest version item written (default MAX_VERSION_ITEM_BYTES, under DynamoDB's 400 KB). */
  maxItemBytes?: number;
  meter?: Meter;
}

const FINISHED = new Set<HeadStatus>(['completed', 'canceled']);

/** DynamoDB takes items up to 400 KB (names and values); the rest is margin. */
export const MAX_VERSION_ITEM_BYTES = 380_000;

export class DynamoInstanceStore implements InstanceStore {
  private readonly table: string;
  private readonly retention: number;
  private readonly maxItemBytes: number;

  constructor(private readonly client: DynamoDBClient, private readonly options: DynamoInstanceStoreOptions) {
    this.table = options.tableName;
    this.retention = options.retentionSeconds ?? 30 * 24 * 3600;
    this.maxItemBytes = options.maxItemBytes ?? MAX_VERSION_ITEM_BYTES;
  }

  private send<T>(operation: string, command: object): Promise<T> {
    return metered<T>(this.client, this.options.meter, operation, command);
  }

  async load(instanceId: string, consistent = false): Promise<Loaded> {
    const out = await this.send<{ Items?: Item[]; }>('Query', new QueryCommand({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: instancePk(instanceId) } },
      ScanIndexForward: false,
      Limit: 2,
      ConsistentRead: consistent,
      ReturnConsumedCapacity: 'TOTAL',
    }));
    let head: InstanceHead | null = null;
    let latest: InstanceVersion | null = null;
    for (const item of out.Items ?? []) {
      if (item['sk']?.S === HEAD_SK) head = toHead(item);
      else if (!latest && item['sk']?.S?.startsWith('V#')) latest = toVersion(item);
    }
    return { head, latest };
  }

  async getHead(instanceId: string, consistent = false): Promise<InstanceHead | null> {
    const out = await this.send<{ Item?: Item; }>('GetItem', new GetItemCommand({
      TableName: this.table, Key: { pk: { S: instancePk(instanceId) }, sk: { S: HEAD_SK } }, ConsistentRead: consistent, ReturnConsumedCapacity: 'TOTAL',
    }));
    return out.Item ? toHead(out.Item) : null;
  }

  /**
   * Versions carry no TTL: a rolled-back finished instance runs again on its old versions.
   * Only the head of a finished instance expires; the stream's purge removes the rest.
   */
  async putVersion(version: InstanceVersion): Promise<PutVersionResult> {
    const item: Item = {
      ...marshall({
        pk: instancePk(version.instanceId), sk: versionSk(version.version), instanceId: version.instanceId, version: version.version,
        cmd: version.commandId, ctype: version.command.type, at: version.at,
        definitionKey: version.definitionKey, definitionVersion: version.definitionVersion,
        ...(version.retentionDays ? { retentionDays: version.retentionDays } : {}),
      }),
      ...payload({ command: version.command, state: version.state, events: version.events, effects: version.effects }),
    };
    const bytes = itemBytes(item);
    if (bytes > this.maxItemBytes) return { ok: false, tooLarge: { bytes, limit: this.maxItemBytes } };
    try {
      await this.send('PutItem', new PutItemCommand({
        TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL',
      }));
      return { ok: true };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const existing = error.Item as Item | undefined;
      if (existing) return { ok: false, existing: toVersion(existing) };
      const reread = await this.getVersion(version.instanceId, version.version);
      if (!reread) throw error;
      return { ok: false, existing: reread };
    }
  }

  async swapHead(head: InstanceHead, from: number | null): Promise<SwapResult> {
    const base = {
      pk: instancePk(head.instanceId), sk: HEAD_SK, instanceId: head.instanceId, version: head.version, status: head.status,
      definitionKey: head.definitionKey, definitionVersion: head.definitionVersion, businessKey: head.businessKey,
      startedAt: head.startedAt, updatedAt: head.updatedAt, commandId: head.commandId, incidents: head.incidents,
      gsi1pk: statusPk(head.definitionKey, head.status, statusShard(head.instanceId)), gsi1sk: startedSk(head.startedAt, head.instanceId),
      ...(FINISHED.has(head.status) ? { ttl: Math.floor(head.updatedAt / 1000) + (head.retentionDays ? head.retentionDays * 86400 : this.retention) } : {}),
    };
    try {
      if (from === null) {
        await this.send('PutItem', new PutItemCommand({
          TableName: this.table, Item: marshall(base, { removeUndefinedValues: true }), ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL',
        }));
      } else {
        const { pk: _pk, sk: _sk, ...attributes } = base;
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = { ':from': from };
        const sets = Object.entries(attributes).map(([name, value], i) => {
          names[`#a${i}`] = name;
          values[`:a${i}`] = value;
          return `#a${i} = :a${i}`;
        });
        names['#version'] = 'version';
        // A finished instance rolled back runs again: its retention TTL goes.
        const finished = FINISHED.has(head.status);
        if (!finished) names['#ttl'] = 'ttl';
        await this.send('UpdateItem', new UpdateItemCommand({
          TableName: this.table, Key: { pk: { S: base.pk }, sk: { S: HEAD_SK } },
          UpdateExpression: `SET ${sets.join(', ')}${finished ? '' : ' REMOVE #ttl'}`, ConditionExpression: '#version = :from',
          ExpressionAttributeNames: names, ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL',
        }));
      }
      return { ok: true };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const current = error.Item as Item | undefined;
      return { ok: false, current: current ? toHead(current) : await this.getHead(head.instanceId, true) };
    }
  }

  async getVersion(instanceId: string, version: number): Promise<InstanceVersion | null> {
    const out = await this.send<{ Item?: Item; }>('GetItem', new GetItemCommand({
      TableName: this.table, Key: { pk: { S: instancePk(instanceId) }, sk: { S: versionSk(version) } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
    }));
    return out.Item ? toVersion(out.Item) : null;
  }

  async listVersions(instanceId: string, options: { after?: number; limit?: number } = {}): Promise<InstanceVersion[]> {
    const out = await this.send<{ Items?: Item[]; }>('Query', new QueryCommand({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': { S: instancePk(instanceId) }, ':from': { S: versionSk((options.after ?? 0) + 1) }, ':to': { S: versionSk(9_999_999_999) } },
      Limit: options.limit ?? 100,
      ConsistentRead: true,
      ReturnConsumedCapacity: 'TOTAL',
    }));
    return (out.Items ?? []).map(toVersion);
  }

  /** Deletes every item of an instance (its head, versions and rejection records). */
  async purge(instanceId: string): Promise<number> {
    let removed = 0;
    let start: Item | undefined;
    do {
      const out: { Items?: Item[]; LastEvaluatedKey?: Item } = await this.send('Query', new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: instancePk(instanceId) } },
        ProjectionExpression: 'pk, sk', ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      const keys = out.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 0; requests.length > 0 && attempt < 8; attempt++) {
          const res: { UnprocessedItems?: Record<string, Array<{ DeleteRequest?: { Key?: Item } }>> } = await this.send('BatchWriteItem', new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }));
          requests = (res.UnprocessedItems?.[this.table] ?? []).map((r) => ({ DeleteRequest: { Key: r.DeleteRequest?.Key as Item } }));
        }
        removed += Math.min(25, keys.length - i) - requests.length;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return removed;
  }

  async putRejection(rejection: CommandRejection): Promise<void> {
    await this.send('PutItem', new PutItemCommand({
      TableName: this.table,
      Item: marshall({ pk: instancePk(rejection.instanceId), sk: `R#${rejection.commandId}`, ...rejection, ttl: Math.floor(rejection.at / 1000) + 86400 }),
      ReturnConsumedCapacity: 'TOTAL',
    }));
  }

  async getRejection(instanceId: string, commandId: string): Promise<CommandRejection | null> {
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({
      TableName: this.table, Key: { pk: { S: instancePk(instanceId) }, sk: { S: `R#${commandId}` } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
    }));
    if (!out.Item) return null;
    const raw = unmarshall(out.Item);
    return { commandId: raw['commandId'], instanceId: raw['instanceId'], code: raw['code'], message: raw['message'], at: raw['at'] };
  }

  async getCommandRecord(instanceId: string, commandId: string): Promise<number | null> {
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({
      TableName: this.table, Key: { pk: { S: instancePk(instanceId) }, sk: { S: commandSk(commandId) } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
    }));
    const version = out.Item?.['version']?.N;
    return version === undefined ? null : Number(version);
  }

  /** Idempotent: the same command id always names the same version. No TTL: kept as long as the instance. */
  async putCommandRecord(instanceId: string, commandId: string, version: number): Promise<void> {
    await this.send('PutItem', new PutItemCommand({
      TableName: this.table, Item: { pk: { S: instancePk(instanceId) }, sk: { S: commandSk(commandId) }, version: { N: String(version) } }, ReturnConsumedCapacity: 'TOTAL',
    }));
  }

  async findApplied(instanceId: string, commandId: string, within = 10): Promise<InstanceVersion | null> {
    const out = await this.send<{ Items?: Item[] }>('Query', new QueryCommand({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': { S: instancePk(instanceId) }, ':v': { S: 'V#' } },
      ScanIndexForward: false, Limit: within, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
    }));
    const hit = (out.Items ?? []).find((item) => item['cmd']?.S === commandId);
    return hit ? toVersion(hit) : null;
  }

  /**
   * Heads by definition and status, newest first, merged across the status shards: each
   * shard is read from its own position (the cursor keeps one per shard) and the page takes
   * the newest `limit` of what they return.
   */
  async listInstances(query: { definitionKey: string; status: HeadStatus; limit?: number; cursor?: string | null }): Promise<Page<InstanceHead>> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    // The cursor keeps, per shard, the sort key of the last head taken from it ('' = not started, null = done).
    const positions = query.cursor ? (JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as Array<string | null>) : Array.from({ length: SHARDS.status }, () => '');
    const startOf = (shard: number, position: string): Item | null => {
      if (position === '') return null;
      const instanceId = position.slice(position.indexOf('#') + 1);
      return { gsi1pk: { S: statusPk(query.definitionKey, query.status, shard) }, gsi1sk: { S: position }, pk: { S: instancePk(instanceId) }, sk: { S: HEAD_SK } };
    };
    const pages = await Promise.all(positions.map((position, shard) => (position === null ? Promise.resolve({ items: [], more: false }) : this.statusPage(query.definitionKey, query.status, shard, limit, startOf(shard, position)))));
    const merged = pages.flatMap((page, shard) => page.items.map((item) => ({ item, shard })))
      .sort((a, b) => String(b.item['gsi1sk']?.S).localeCompare(String(a.item['gsi1sk']?.S))).slice(0, limit);
    const next = positions.map((position, shard): string | null => {
      const taken = merged.filter((m) => m.shard === shard);
      const page = pages[shard] as { items: Item[]; more: boolean };
      const last = taken.at(-1)?.item['gsi1sk']?.S;
      if (taken.length === page.items.length && !page.more) return null;
      return last ?? position;
    });
    const items = merged.map(({ item }) => ({ ...unmarshall(item), version: 0, updatedAt: 0, commandId: '', incidents: 0 }) as unknown as InstanceHead);
    const cursor = next.every((p) => p === null) ? null : Buffer.from(JSON.stringify(next)).toString('base64url');
    return { items, cursor };
  }

  private async statusPage(definitionKey: string, status: HeadStatus, shard: number, limit: number, start: Item | null): Promise<{ items: Item[]; more: boolean }> {
    const out = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Query', new QueryCommand({
      TableName: this.table, IndexName: GSI_BY_STATUS, KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: statusPk(definitionKey, status, shard) } },
      ScanIndexForward: false, Limit: limit, ...(start ? { ExclusiveStartKey: start } : {}), ReturnConsumedCapacity: 'TOTAL',
    }));
    return { items: out.Items ?? [], more: out.LastEvaluatedKey !== undefined };
  }

}

function payload(value: unknown): Item {
  const encoded = encode(value);
  return 'json' in encoded ? { json: { S: encoded.json } } : { blob: { B: encoded.blob } };
}

function toHead(item: Item): InstanceHead {
  const raw = unmarshall(item);
  return {
    instanceId: raw['instanceId'], version: raw['version'], status: raw['status'], definitionKey: raw['definitionKey'],
    definitionVersion: raw['definitionVersion'], businessKey: raw['businessKey'] ?? null, startedAt: raw['startedAt'],
    updatedAt: raw['updatedAt'], commandId: raw['commandId'], incidents: raw['incidents'] ?? 0,
  };
}

function toVersion(item: Item): InstanceVersion {
  const raw = unmarshall(item);
  const body = decode<Pick<InstanceVersion, 'command' | 'state' | 'events' | 'effects'>>({ json: raw['json'], blob: raw['blob'] });
  return {
    instanceId: raw['instanceId'], version: versionOf(raw['sk']), commandId: raw['cmd'], at: raw['at'],
    definitionKey: raw['definitionKey'], definitionVersion: raw['definitionVersion'], ...body,
    ...(raw['retentionDays'] ? { retentionDays: raw['retentionDays'] } : {}),
  };
}
