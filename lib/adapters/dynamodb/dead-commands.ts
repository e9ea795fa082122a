/**
 * Dead commands in the table: `pk = DEADCMD`, `sk = <commandId>`. One partition on purpose:
 * a dead command is an incident, rare by nature, and listing them all is one Query.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DeadCommand, DeadCommandStore, Page } from '../../ports.ts';
import { DEAD_COMMANDS_PK } from './keys.ts';
import { metered, type Meter } from './meter.ts';

type Item = Record<string, AttributeValue>;

export class DynamoDeadCommandStore implements DeadCommandStore {
  constructor(private readonly client: DynamoDBClient, private readonly options: { tableName: string; meter?: Meter }) {}

  private send<T>(operation: string, command: object): Promise<T> {
    return metered<T>(this.client, this.options.meter, operation, command);
  }

  private key(commandId: string): Item {
    return { pk: { S: DEAD_COMMANDS_PK }, sk: { S: commandId } };
  }

  async put(dead: DeadCommand): Promise<void> {
    await this.send('PutItem', new PutItemCommand({ TableName: this.options.tableName, Item: { ...this.key(dead.commandId), data: { S: JSON.stringify(dead) } }, ReturnConsumedCapacity: 'TOTAL' }));
  }

  async get(commandId: string): Promise<DeadCommand | null> {
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({ TableName: this.options.tableName, Key: this.key(commandId), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    return out.Item?.['data']?.S ? (JSON.parse(out.Item['data'].S) as DeadCommand) : null;
  }

  async list(options: { limit?: number; cursor?: string | null } = {}): Promise<Page<DeadCommand>> {
    const start = options.cursor ? (JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Item) : undefined;
    const out = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: DEAD_COMMANDS_PK } },
      Limit: Math.min(Math.max(options.limit ?? 50, 1), 500), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL',
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    const items = (out.Items ?? []).map((i) => JSON.parse(i['data']?.S ?? '{}') as DeadCommand);
    return { items, cursor: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : null };
  }

  async remove(commandId: string): Promise<void> {
    await this.send('DeleteItem', new DeleteItemCommand({ TableName: this.options.tableName, Key: this.key(commandId), ReturnConsumedCapacity: 'TOTAL' }));
  }
}
