/**
 * Retention of finished instances. When an instance finishes, its head and final version
 * get a TTL (`RETENTION_DAYS`). DynamoDB's TTL deletion of the head arrives on the table's
 * stream; this removes what is left of the instance (its earlier versions and rejection
 * records), so old finished processes cost nothing and never slow active ones.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '../ports.ts';

export interface Purger {
  /** Deletes every item of the instance's partition; returns how many. */
  purge(instanceId: string): Promise<number>;
}

/** Instance ids whose head was deleted by TTL (not by a person or a program). */
export function expiredInstances(event: DynamoDBStreamEvent): string[] {
  const ids: string[] = [];
  for (const record of event.Records) {
    const keys = record.dynamodb?.Keys;
    const pk = keys?.['pk']?.S;
    const sk = keys?.['sk']?.S;
    const byTtl = record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
    if (record.eventName === 'REMOVE' && byTtl && pk?.startsWith('I#') && sk === '~HEAD') ids.push(pk.slice(2));
  }
  return ids;
}

export async function purgeExpired(purger: Purger, logger: Logger, event: DynamoDBStreamEvent): Promise<number> {
  let total = 0;
  for (const instanceId of expiredInstances(event)) {
    const removed = await purger.purge(instanceId);
    logger.info('purged expired instance', { instanceId, removed });
    total += removed;
  }
  return total;
}
