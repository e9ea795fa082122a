/**
 * Ids the API hands out. Instance ids are UUID v7 (RFC 9562): time-ordered, so newer
 * instances sort after older ones, and within the engine's `^[A-Za-z0-9_-]{1,64}$`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { splitGlobalId } from '../../core/state/types.ts';

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `<instanceId>.<key>` (a job, task or incident id) -> its parts; null when it names no instance. */
export function partsOf(globalId: string): { instanceId: string; key: string } | null {
  const parts = splitGlobalId(globalId);
  return parts && INSTANCE_ID.test(parts.instanceId) ? parts : null;
}

/** The instance a global id (a job, task or incident id) names; null when it names none. The one place the API parses such ids. */
export function instanceOf(globalId: string): string | null {
  return partsOf(globalId)?.instanceId ?? null;
}

/** @example uuidV7(0x0190_0000_0000) // '01900000-0000-7xxx-yxxx-xxxxxxxxxxxx' */
export function uuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Math.max(0, Math.floor(now)));
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh command id (when the client gives no Idempotency-Key). */
export function newCommandId(): string {
  return randomUUID();
}

/**
 * The instance id a start with an Idempotency-Key gets: derived from the key, so a
 * retried request names the same instance (and SQS/the engine drop the duplicate).
 */
export function instanceIdFor(idempotencyKey: string): string {
  return `k-${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url').slice(0, 40)}`;
}

/** The instance a message starts: one per (message, definition), so a re-published message starts nothing new. */
export function messageInstanceId(messageId: string, definitionKey: string): string {
  return `m-${createHash('sha256').update(`${messageId}\n${definitionKey}`, 'utf8').digest('base64url').slice(0, 40)}`;
}
