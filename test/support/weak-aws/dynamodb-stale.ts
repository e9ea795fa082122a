/**
 * Eventually consistent reads served from a lagging snapshot: each item as it was at
 * `cutoff` (= now - lagMs), per item, from the history of the client's own writes. An item
 * with no recorded write after the cutoff is returned as DynamoDB returned it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */
import type { ItemHistory, Item } from './history.ts';
import { indexView, itemId, project, projectionNames, type IndexShape, type TableShape, type TableShapes } from './tables.ts';

export const READS = new Set(['GetItem', 'BatchGetItem', 'Query']);

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

interface TableRead { Keys?: Item[]; ConsistentRead?: boolean; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }

/** True when the read did not ask for ConsistentRead (a GSI query is always eventually consistent). */
export function isEventual(operation: string, input: Input): boolean {
  if (operation === 'BatchGetItem') return Object.values((input['RequestItems'] ?? {}) as Record<string, TableRead>).some((r) => r.ConsistentRead !== true);
  return input['ConsistentRead'] !== true;
}

/** A Query whose Limit must be applied after the substitution (so it is sent without it). */
export function needsUnlimited(operation: string, input: Input): boolean {
  return operation === 'Query' && input['Limit'] !== undefined && input['Select'] !== 'COUNT';
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export class StaleReader {
  /** Items shown older (or absent) than DynamoDB returned them, since the layer was made. */
  changed = 0;

  constructor(private readonly history: ItemHistory, private readonly shapes: TableShapes) {}

  /** The output as a read at `cutoff` would have seen it; `input` is the caller's request (with its Limit). */
  async serve(operation: string, input: Input, output: Output, cutoff: number): Promise<Output> {
    if (operation === 'GetItem') return this.getItem(input, output, cutoff);
    if (operation === 'BatchGetItem') return this.batchGet(input, output, cutoff);
    if (operation === 'Query' && input['Select'] !== 'COUNT') return this.query(input, output, cutoff);
    return output;
  }

  /** The lagged image of one real item: undefined = unchanged, null = absent at the cutoff. */
  private lagged(table: string, shape: TableShape, key: Item, cutoff: number): Item | null | undefined {
    const id = itemId(table, shape.keys, key);
    const lag = id ? this.history.at(id, cutoff) : undefined;
    if (lag) this.changed += 1;
    return lag?.image;
  }

  private async getItem(input: Input, output: Output, cutoff: number): Promise<Output> {
    const table = input['TableName'] as string;
    const image = this.lagged(table, await this.shapes.get(table), input['Key'] as Item, cutoff);
    if (image === undefined) return output;
    const { Item: _current, ...rest } = output;
    const names = projectionNames(input['ProjectionExpression'] as string | undefined, input['ExpressionAttributeNames'] as Record<string, string> | undefined);
    return image ? { ...rest, Item: project(image, names) } : rest;
  }

  private async batchGet(input: Input, output: Output, cutoff: number): Promise<Output> {
    const responses = { ...((output['Responses'] ?? {}) as Record<string, Item[]>) };
    const unprocessed = (output['UnprocessedKeys'] ?? {}) as Record<string, TableRead>;
    for (const [table, request] of Object.entries((input['RequestItems'] ?? {}) as Record<string, TableRead>)) {
      if (request.ConsistentRead === true) continue;
      const shape = await this.shapes.get(table);
      const real = responses[table] ?? [];
      const byId = new Map(real.map((item) => [itemId(table, shape.keys, item), item]));
      const skipped = new Set((unprocessed[table]?.Keys ?? []).map((k) => itemId(table, shape.keys, k)));
      const names = projectionNames(request.ProjectionExpression, request.ExpressionAttributeNames);
      const shown = real.filter((item) => itemId(table, shape.keys, item) === null);
      for (const key of request.Keys ?? []) {
        const id = itemId(table, shape.keys, key);
        if (skipped.has(id)) continue;
        const image = this.lagged(table, shape, key, cutoff);
        const item = image === undefined ? byId.get(id) : image && project(image, names);
        if (item) shown.push(item);
      }
      responses[table] = shown;
    }
    return { ...output, Responses: responses };
  }

  private async query(input: Input, output: Output, cutoff: number): Promise<Output> {
    const table = input['TableName'] as string;
    const shape = await this.shapes.get(table);
    const index = input['IndexName'] ? shape.indexes.get(input['IndexName'] as string) : undefined;
    const names = projectionNames(input['ProjectionExpression'] as string | undefined, input['ExpressionAttributeNames'] as Record<string, string> | undefined);
    const pairs = ((output['Items'] ?? []) as Item[]).flatMap((real) => {
      const image = this.lagged(table, shape, real, cutoff);
      if (image === undefined) return [{ real, shown: real }];
      if (!image || !sameIndexKeys(index, real, image)) return [];
      return [{ real, shown: project(index ? indexView(shape, index, image) : image, names) }];
    });
    return withLimit(output, pairs, input['Limit'] as number | undefined, [...shape.keys, ...(index?.keys ?? [])]);
  }
}

/** False when, at the cutoff, the item sat under other index keys (or outside a sparse index). */
function sameIndexKeys(index: IndexShape | undefined, real: Item, image: Item): boolean {
  return !index || index.keys.every((k) => real[k] === undefined || same(real[k], image[k]));
}

/** Applies the caller's Limit after the substitution; LastEvaluatedKey is the last item shown. */
function withLimit(output: Output, pairs: Array<{ real: Item; shown: Item }>, limit: number | undefined, keys: string[]): Output {
  const taken = limit === undefined ? pairs : pairs.slice(0, limit);
  const last = taken[taken.length - 1];
  const cut = taken.length < pairs.length && last;
  const lastKey = cut ? project(last.real, [...new Set(keys)]) : output['LastEvaluatedKey'];
  const { LastEvaluatedKey: _old, ...rest } = output;
  return { ...rest, Items: taken.map((p) => p.shown), Count: taken.length, ...(lastKey ? { LastEvaluatedKey: lastKey } : {}) };
}
