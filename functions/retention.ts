/** Lambda: the table's stream -> remove what is left of instances whose retention expired. */
import middy from '@middy/core';
import { edge } from '../lib/adapters/edge.ts';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { purgeExpired } from '../lib/app/retention.ts';
import { DynamoInstanceStore } from '../lib/adapters/dynamodb/instances.ts';
import { jsonLogger } from '../lib/adapters/logger.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsConfig } from '../lib/adapters/config.ts';

const store = new DynamoInstanceStore(new DynamoDBClient(awsConfig('DYNAMODB')), { tableName: process.env['TABLE_NAME'] ?? '' });
const logger = jsonLogger();

export const handler = middy<DynamoDBStreamEvent, void>().use(edge()).handler(async (event) => {
  await purgeExpired(store, logger, event);
});
