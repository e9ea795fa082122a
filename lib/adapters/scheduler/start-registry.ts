/**
 * The registry of timer start events (DynamoDB): one item per start event of a
 * definition key's latest deployed version, with the time of its next fire.
 *
 * | item        | pk                     | sk             | notes                                     |
 * |-------------|------------------------|----------------|-------------------------------------------|
 * | timer start | TIMERSTART#<key>       | <startEventId> | version, kind, value, nextDueAt, remaining |
 *
 * A fire is taken by moving `nextDueAt` from its due time to the next one on condition,
 * so a duplicate delivery of the same fire (or a fire of a replaced version) finds the
 * condition false and starts nothing.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TimerStart, TimerStartRegistry } from '../../ports.ts';
import { metered, type Meter } from '../dynamodb/meter.ts';

export const timerStartPk = (key: string): string => `TIMERSTART#${key}`;

type Item = Record<string, AttributeValue>;

function fromItem(item: Item): TimerStart {
  const i = unmarshall(item);
  return {
    definitionKey: String(i['definitionKey']), version: Number(i['version']), startEventId: String(i['startEventId']),
    kind: i['kind'] === 'date' ? 'date' : 'cycle', value: String(i['value']), anchor: Number(i['anchor']),
    nextDueAt: typeof i['nextDueAt'] === 'number' ? i['nextDueAt'] : null, remaining: typeof i['remaining'] === 'number' ? i['remaining'] : null,
  };
}

const conditionFailed = (error: unknown): boolean => (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoTimerStartRegistry implements TimerStartRegistry {
  constructor(private readonly client: DynamoDBClient, private readonly options: { tableName: string; meter?: Meter }) {}

  async list(definitionKey: string): Promise<TimerStart[]> {
    const out = await metered<{ Items?: Item[] }>(this.client, this.options.meter, 'Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': timerStartPk(definitionKey) }), ConsistentRead: true,
    }));
    return (out.Items ?? []).map(fromItem);
  }

  async get(definitionKey: string, startEventId: string): Promise<TimerStart | null> {
    const out = await metered<{ Item?: Item }>(this.client, this.options.meter, 'GetItem', new GetItemCommand({
      TableName: this.options.tableName, Key: marshall({ pk: timerStartPk(definitionKey), sk: startEventId }), ConsistentRead: true,
    }));
    return out.Item ? fromItem(out.Item) : null;
  }

  async put(start: TimerStart): Promise<boolean> {
    try {
      await metered(this.client, this.options.meter, 'PutItem', new PutItemCommand({
        TableName: this.options.tableName,
        Item: marshall({ pk: timerStartPk(start.definitionKey), sk: start.startEventId, ...start }, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk) OR #v <= :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: marshall({ ':v': start.version }),
      }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async remove(definitionKey: string, startEventId: string, version: number): Promise<void> {
    try {
      await metered(this.client, this.options.meter, 'DeleteItem', new DeleteItemCommand({
        TableName: this.options.tableName, Key: marshall({ pk: timerStartPk(definitionKey), sk: startEventId }),
        ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: marshall({ ':v': version }),
      }));
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  async advance(start: TimerStart, from: number, to: number | null, remaining: number | null): Promise<boolean> {
    try {
      await metered(this.client, this.options.meter, 'UpdateItem', new UpdateItemCommand({
        TableName: this.options.tableName, Key: marshall({ pk: timerStartPk(start.definitionKey), sk: start.startEventId }),
        UpdateExpression: 'SET nextDueAt = :to, remaining = :r',
        ConditionExpression: '#v = :v AND nextDueAt = :from',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: marshall({ ':v': start.version, ':from': from, ':to': to, ':r': remaining }),
      }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
