/**
 * Versioned definitions. Deploying the same XML again returns its existing version
 * (found by sha256); a new XML takes the next number from a per-key counter.
 * XML is stored compressed; a document still over one item's budget is split into parts.
 */
import {
  DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { DefinitionStore, DeployedDefinition, MessageStart } from '../../ports.ts';
import { isConditionalFailure } from './errors.ts';
import { DECISIONS_PK, decisionPk, DEFINITIONS_PK, definitionPk, definitionSk, hashSk, LATEST_SK, MESSAGE_STARTS_SK, messageStartPk } from './keys.ts';
import { metered, type Meter } from './meter.ts';

type Item = Record<string, AttributeValue>;
const PART_BYTES = 350 * 1024;

export class DynamoDefinitionStore implements DefinitionStore {
  /** `kind: 'decision'`: the same versioning for DMN decisions (keyed by decision id), in their own key space. */
  constructor(private readonly client: DynamoDBClient, private readonly options: { tableName: string; meter?: Meter; kind?: 'process' | 'decision' }) {}

  private pk(key: string): string {
    return this.options.kind === 'decision' ? decisionPk(key) : definitionPk(key);
  }

  private get listPk(): string {
    return this.options.kind === 'decision' ? DECISIONS_PK : DEFINITIONS_PK;
  }

  private send<T>(operation: string, command: object): Promise<T> {
    return metered<T>(this.client, this.options.meter, operation, command);
  }

  private async byHash(key: string, hash: string): Promise<DeployedDefinition | null> {
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({
      TableName: this.options.tableName, Key: marshall({ pk: this.pk(key), sk: hashSk(hash) }), ConsistentRead: true,
    }));
    return out.Item ? (unmarshall(out.Item) as DeployedDefinition) : null;
  }

  async deploy(key: string, xml: string, hash: string, at: number): Promise<DeployedDefinition & { created: boolean }> {
    const existing = await this.byHash(key, hash);
    if (existing) return { ...pick(existing), created: false };
    const counter = await this.send<{ Attributes?: Item }>('UpdateItem', new UpdateItemCommand({
      TableName: this.options.tableName, Key: marshall({ pk: this.pk(key), sk: LATEST_SK }),
      UpdateExpression: 'ADD #n :one', ExpressionAttributeNames: { '#n': 'counter' }, ExpressionAttributeValues: marshall({ ':one': 1 }),
      ReturnValues: 'UPDATED_NEW',
    }));
    const version = Number(unmarshall(counter.Attributes ?? {})['counter']);
    const deployed: DeployedDefinition = { key, version, hash, deployedAt: at };
    const compressed = brotliCompressSync(Buffer.from(xml, 'utf8'));
    const parts: Buffer[] = [];
    for (let i = 0; i < compressed.length; i += PART_BYTES) parts.push(compressed.subarray(i, i + PART_BYTES));
    try {
      await this.send('TransactWriteItems', new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: this.options.tableName, Item: marshall({ pk: this.pk(key), sk: hashSk(hash), ...deployed }), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.options.tableName, Item: { ...marshall({ pk: this.pk(key), sk: definitionSk(version), ...deployed, parts: parts.length }), xml: { B: new Uint8Array(parts[0] ?? Buffer.alloc(0)) } } } },
          { Put: { TableName: this.options.tableName, Item: marshall({ pk: this.listPk, sk: key, ...deployed }) } },
        ],
      }));
    } catch (error) {
      // Deployed concurrently with the same XML: that version wins (ours leaves a gap).
      const raced = await this.byHash(key, hash);
      if (raced) return { ...pick(raced), created: false };
      throw error;
    }
    for (let i = 1; i < parts.length; i++) {
      await this.send('PutItem', new PutItemCommand({
        TableName: this.options.tableName,
        Item: { ...marshall({ pk: this.pk(key), sk: `${definitionSk(version)}#P${String(i).padStart(3, '0')}` }), xml: { B: new Uint8Array(parts[i] as Buffer) } },
      }));
    }
    return { ...deployed, created: true };
  }

  async get(key: string, version: number): Promise<(DeployedDefinition & { xml: string }) | null> {
    const out = await this.send<{ Items?: Item[] }>('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: marshall({ ':pk': this.pk(key), ':sk': definitionSk(version) }), ConsistentRead: true,
    }));
    const items = (out.Items ?? []).map((i) => unmarshall(i)).sort((a, b) => String(a['sk']).localeCompare(String(b['sk'])));
    const head = items[0];
    if (!head || head['sk'] !== definitionSk(version) || items.length < Number(head['parts'] ?? 1)) return null;
    const xml = brotliDecompressSync(Buffer.concat(items.map((i) => Buffer.from(i['xml'] as Uint8Array)))).toString('utf8');
    return { ...pick(head as DeployedDefinition), xml };
  }

  async latest(key: string): Promise<DeployedDefinition | null> {
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({
      TableName: this.options.tableName, Key: marshall({ pk: this.listPk, sk: key }), ConsistentRead: true,
    }));
    return out.Item ? pick(unmarshall(out.Item) as DeployedDefinition) : null;
  }

  async versions(key: string): Promise<DeployedDefinition[]> {
    const out = await this.send<{ Items?: Item[] }>('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: marshall({ ':pk': this.pk(key), ':v': 'V#' }), ProjectionExpression: 'pk, sk, #k, version, #h, deployedAt',
      ExpressionAttributeNames: { '#k': 'key', '#h': 'hash' },
    }));
    return (out.Items ?? []).map((i) => unmarshall(i)).filter((i) => !String(i['sk']).includes('#P')).map((i) => pick(i as DeployedDefinition));
  }

  async keys(): Promise<DeployedDefinition[]> {
    const out = await this.send<{ Items?: Item[] }>('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': this.listPk }),
    }));
    return (out.Items ?? []).map((i) => pick(unmarshall(i) as DeployedDefinition));
  }

  /**
   * One item per (message name, key) says which version and start event the message
   * starts; a `~MSGSTART` item per key lists the names, so names a newer version dropped
   * are removed. Every write is conditional on `version <= :v`: an older version
   * registered late (a concurrent deploy) never replaces a newer one. The API's deploy
   * calls it after every deploy (an unchanged redeploy repairs an interrupted one).
   */
  async registerMessageStarts(key: string, version: number, starts: Array<{ messageName: string; startEventId: string; condition?: string | null }>): Promise<void> {
    const listKey = marshall({ pk: this.pk(key), sk: MESSAGE_STARTS_SK });
    const out = await this.send<{ Item?: Item }>('GetItem', new GetItemCommand({ TableName: this.options.tableName, Key: listKey, ConsistentRead: true }));
    const previous = out.Item ? unmarshall(out.Item) : null;
    if (previous && Number(previous['version']) > version) return;
    if (!previous && starts.length === 0) return;
    const names = new Set(starts.map((s) => s.messageName));
    const newer = { ConditionExpression: 'attribute_not_exists(pk) OR #v <= :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: marshall({ ':v': version }) };
    const dropped = ((previous?.['names'] as string[] | undefined) ?? []).filter((name) => !names.has(name));
    await Promise.all([
      ...dropped.map((name) => this.conditional(new DeleteItemCommand({ TableName: this.options.tableName, Key: marshall({ pk: messageStartPk(name), sk: key }), ...newer }))),
      ...starts.map((s) => this.conditional(new PutItemCommand({
        TableName: this.options.tableName, Item: marshall({
          pk: messageStartPk(s.messageName), sk: key, definitionKey: key, version, messageName: s.messageName, startEventId: s.startEventId,
          ...(s.condition !== undefined ? { condition: s.condition } : {}),
        }), ...newer,
      }))),
    ]);
    await this.conditional(new PutItemCommand({ TableName: this.options.tableName, Item: { ...listKey, ...marshall({ version, names: [...names] }) }, ...newer }));
  }

  async messageStarts(messageName: string): Promise<MessageStart[]> {
    const out = await this.send<{ Items?: Item[] }>('Query', new QueryCommand({
      TableName: this.options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': messageStartPk(messageName) }), ConsistentRead: true,
    }));
    return (out.Items ?? []).map((i) => unmarshall(i)).map((i) => ({
      messageName: String(i['messageName']), definitionKey: String(i['definitionKey']), version: Number(i['version']), startEventId: String(i['startEventId']),
      ...('condition' in i ? { condition: typeof i['condition'] === 'string' ? i['condition'] : null } : {}),
    }));
  }

  /** A write that loses to a newer version is not an error: the newer one stands. */
  private async conditional(command: PutItemCommand | DeleteItemCommand): Promise<void> {
    try {
      await this.send(command instanceof PutItemCommand ? 'PutItem' : 'DeleteItem', command);
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
}

function pick(d: DeployedDefinition): DeployedDefinition {
  return { key: d.key, version: Number(d.version), hash: d.hash, deployedAt: Number(d.deployedAt) };
}
