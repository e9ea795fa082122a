/**
 * What the memory adapters store is a JSON copy, as a durable store keeps serialized
 * items: a caller that mutates an object after a put (or after a read) never changes
 * what is stored, and what is read back is what JSON can carry (undefined fields go).
 */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The order DynamoDB returns a partition in (sort keys compared as strings; ASCII ids sort the same as bytes). */
export function bySortKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** Opaque page cursors: the last key returned, base64url (as the DynamoDB adapters encode LastEvaluatedKey). */
export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export const decodeCursor = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');
