/**
 * What the engine may write, checked before it writes (nothing is accepted that cannot be
 * stored or processed later). AWS's hard limits, and ours below them with a margin:
 *
 * | what                         | ours                      | AWS's                                      |
 * |------------------------------|---------------------------|--------------------------------------------|
 * | a command (queued envelope)  | 240 KiB of JSON           | SQS message 256 KiB                        |
 * | variables in one command     | 200 KiB of JSON           | (inside the command)                       |
 * | an instance version item     | 380,000 B stored (state,  | DynamoDB item 400 KB                       |
 * |                              | events, effects; brotli)  |                                            |
 * | an effect sent on a queue    | 240 KiB of JSON           | SQS message 256 KiB, EventBridge 256 KiB   |
 * | an index item (job, task,    | ids and names only: no    | DynamoDB item 400 KB                       |
 * | subscription)                | variables                 |                                            |
 *
 * The API refuses an over-limit command (413) before it is queued. A limit that only the
 * transition can see (the state grows past a version item, a send task would publish more
 * than a queue takes) turns a job completion into an incident on the job's element, and any
 * other command into a TOO_LARGE rejection: the instance never wedges.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
import type { Effect } from '../core/effects.ts';

export const LIMITS = {
  commandBytes: 240 * 1024,
  variablesBytes: 200 * 1024,
  versionItemBytes: 380_000,
  effectBytes: 240 * 1024,
} as const;

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Effects whose payload leaves the engine on a queue (index effects carry no payload out). */
const SHIPPED = new Set<Effect['type']>(['message.publish', 'signal.broadcast', 'child.start', 'call.completed', 'call.thrown', 'decision.evaluate']);

/** The first effect too large to send, with its size, or null. */
export function oversizedEffect(effects: Effect[]): { effect: Effect; bytes: number } | null {
  for (const effect of effects) {
    if (!SHIPPED.has(effect.type)) continue;
    const bytes = jsonBytes(effect);
    if (bytes > LIMITS.effectBytes) return { effect, bytes };
  }
  return null;
}
