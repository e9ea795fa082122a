/** Lambda: the table's stream -> remove what is left of instances whose retention expired. */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { purgeExpired } from '../lib/app/retention.ts';
import { loggerFromEnv, purgerFromEnv } from '../lib/composition/aws.ts';

const store = purgerFromEnv();
const logger = loggerFromEnv();

export const handler = middy<DynamoDBStreamEvent, void>().use(edge()).handler(async (event) => {
  await purgeExpired(store, logger, event);
});
