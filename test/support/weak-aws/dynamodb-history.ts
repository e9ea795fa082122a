/**
 * Recording what each write of the wrapped client left, for stale reads: the image before
 * an item's first recorded write (a consistent GetItem on a clean client, once per item)
 * and the image after every write that went through: the request's Item for a put, null
 * for a delete, a consistent GetItem afterwards for an update. Writes that failed
 * (condition, transaction canceled, throttled) record nothing.
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ItemHistory, type Item } from './history.ts';
import { itemId, project, type TableShapes } from './tables.ts';

/** The write operations whose images are recorded (and that ambiguous writes apply to). */
export const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface Target {
  table: string;
  id: string;
  key: Item;
  /** The image after the write: known (Item / null) or to be read. */
  after: Item | null | 'read';
}

type Planned = { table: string; key?: Item; item?: Item; after: Item | null | 'read' };

interface WriteRequest { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }
interface TransactItem { Put?: { TableName?: string; Item?: Item }; Update?: { TableName?: string; Key?: Item }; Delete?: { TableName?: string; Key?: Item } }

/** The items a write request touches, with what it leaves (known or to be read). */
function planned(operation: string, input: Record<string, unknown>): Planned[] {
  const table = input['TableName'] as string;
  switch (operation) {
    case 'PutItem': return [{ table, item: input['Item'] as Item, after: input['Item'] as Item }];
    case 'UpdateItem': return [{ table, key: input['Key'] as Item, after: 'read' }];
    case 'DeleteItem': return [{ table, key: input['Key'] as Item, after: null }];
    case 'BatchWriteItem':
      return Object.entries((input['RequestItems'] ?? {}) as Record<string, WriteRequest[]>).flatMap(([name, requests]) => requests.map((r): Planned => (
        r.PutRequest ? { table: name, item: r.PutRequest.Item as Item, after: r.PutRequest.Item as Item } : { table: name, key: r.DeleteRequest?.Key as Item, after: null })));
    case 'TransactWriteItems':
      return ((input['TransactItems'] ?? []) as TransactItem[]).flatMap((t): Planned[] => {
        if (t.Put) return [{ table: t.Put.TableName as string, item: t.Put.Item as Item, after: t.Put.Item as Item }];
        if (t.Update) return [{ table: t.Update.TableName as string, key: t.Update.Key as Item, after: 'read' }];
        if (t.Delete) return [{ table: t.Delete.TableName as string, key: t.Delete.Key as Item, after: null }];
        return []; // ConditionCheck writes nothing
      });
    default: return [];
  }
}

export class WriteRecorder {
  readonly history = new ItemHistory();

  constructor(private readonly clean: DynamoDBClient, private readonly shapes: TableShapes, private readonly clock: () => number) {}

  /** Before sending: names the targets and reads the baseline of items not seen yet. */
  async prepare(operation: string, input: Record<string, unknown>): Promise<Target[]> {
    const targets: Target[] = [];
    for (const p of planned(operation, input)) {
      const shape = await this.shapes.get(p.table);
      const key = p.key ?? project(p.item ?? {}, shape.keys);
      const id = itemId(p.table, shape.keys, key);
      if (id) targets.push({ table: p.table, id, key, after: p.after });
    }
    await Promise.all(targets.filter((t) => !this.history.has(t.id)).map(async (t) => this.history.baseline(t.id, await this.read(t))));
    return targets;
  }

  /** After the write went through: records each target's new image (except BatchWriteItem's UnprocessedItems). */
  async commit(targets: Target[], output: Record<string, unknown>): Promise<void> {
    const unprocessed = await this.unprocessedIds(output['UnprocessedItems'] as Record<string, WriteRequest[]> | undefined);
    const done = targets.filter((t) => !unprocessed.has(t.id));
    const images = await Promise.all(done.map((t) => (t.after === 'read' ? this.read(t) : t.after)));
    const at = this.clock();
    done.forEach((t, i) => this.history.record(t.id, at, images[i] ?? null));
  }

  private async read(target: Target): Promise<Item | null> {
    const out = await this.clean.send(new GetItemCommand({ TableName: target.table, Key: target.key, ConsistentRead: true }));
    return out.Item ?? null;
  }

  private async unprocessedIds(unprocessed: Record<string, WriteRequest[]> | undefined): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const [table, requests] of Object.entries(unprocessed ?? {})) {
      const shape = await this.shapes.get(table);
      for (const r of requests) {
        const id = itemId(table, shape.keys, r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {});
        if (id) ids.add(id);
      }
    }
    return ids;
  }
}
