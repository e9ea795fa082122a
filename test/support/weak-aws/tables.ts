/**
 * What the DynamoDB layer needs to know of a table: its key attributes and those of its
 * indexes (read once per table with DescribeTable), and how to cut an image down to what a
 * request or an index would return.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from './history.ts';

export interface IndexShape {
  keys: string[];
  /** 'ALL', 'KEYS_ONLY' or 'INCLUDE' (then `include` lists the projected non-key attributes). */
  projection: string;
  include: string[];
}

export interface TableShape {
  keys: string[];
  indexes: Map<string, IndexShape>;
}

export class TableShapes {
  private readonly shapes = new Map<string, Promise<TableShape>>();

  constructor(private readonly client: DynamoDBClient) {}

  get(table: string): Promise<TableShape> {
    let shape = this.shapes.get(table);
    if (!shape) {
      shape = this.describe(table);
      shape.catch(() => this.shapes.delete(table));
      this.shapes.set(table, shape);
    }
    return shape;
  }

  private async describe(table: string): Promise<TableShape> {
    const out = await this.client.send(new DescribeTableCommand({ TableName: table }));
    const names = (schema: Array<{ AttributeName?: string }> | undefined) => (schema ?? []).map((k) => k.AttributeName as string);
    const indexes = new Map<string, IndexShape>();
    for (const index of [...(out.Table?.GlobalSecondaryIndexes ?? []), ...(out.Table?.LocalSecondaryIndexes ?? [])]) {
      indexes.set(index.IndexName as string, {
        keys: names(index.KeySchema), projection: index.Projection?.ProjectionType ?? 'ALL', include: index.Projection?.NonKeyAttributes ?? [],
      });
    }
    return { keys: names(out.Table?.KeySchema), indexes };
  }
}

/** The item's identity in the history: table + key values; null when the image lacks a key attribute. */
export function itemId(table: string, keys: string[], item: Item): string | null {
  const values = keys.map((k) => item[k]);
  if (values.some((v) => v === undefined)) return null;
  return `${table}\u0000${JSON.stringify(values)}`;
}

/** Only the named top-level attributes (all of them when `names` is null). */
export function project(item: Item, names: string[] | null): Item {
  if (!names) return item;
  return Object.fromEntries(names.filter((n) => item[n] !== undefined).map((n) => [n, item[n] as Item[string]]));
}

/**
 * The top-level attributes a ProjectionExpression names (`#n` resolved), or null for all.
 * A nested path (`a.b`, `l[0]`) keeps its whole top-level attribute (a known limit).
 */
export function projectionNames(expression: string | undefined, names: Record<string, string> | undefined): string[] | null {
  if (!expression) return null;
  return expression.split(',').map((path) => {
    const top = (path.trim().split(/[.[]/)[0] ?? '').trim();
    return top.startsWith('#') ? (names?.[top] ?? top) : top;
  });
}

/** The attributes of `image` that index `index` holds (its keys, the table keys and its projection). */
export function indexView(table: TableShape, index: IndexShape, image: Item): Item {
  if (index.projection === 'ALL') return image;
  const kept = [...table.keys, ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])];
  return project(image, [...new Set(kept)]);
}
