/**
 * Payload encoding for items: JSON, compressed with brotli when that makes it
 * smaller than `threshold` bytes would cost (DynamoDB bills per 1 KB written, 4 KB read).
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

export const COMPRESSION_THRESHOLD = 512;

export type Encoded = { json: string } | { blob: Uint8Array };

export function encode(value: unknown, threshold = COMPRESSION_THRESHOLD): Encoded {
  const json = JSON.stringify(value);
  if (json.length < threshold) return { json };
  const blob = brotliCompressSync(Buffer.from(json, 'utf8'), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  });
  return blob.length < json.length ? { blob: new Uint8Array(blob) } : { json };
}

export function decode<T>(item: { json?: unknown; blob?: unknown }): T {
  if (typeof item.json === 'string') return JSON.parse(item.json) as T;
  if (item.blob instanceof Uint8Array) return JSON.parse(brotliDecompressSync(item.blob).toString('utf8')) as T;
  throw new Error('item has neither json nor blob payload');
}
