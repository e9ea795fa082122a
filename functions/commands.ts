/** Lambda: the commands queue (SQS FIFO) -> transitions, with partial batch failures. */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatch } from '../lib/app/batch.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const runtime = runtimeFromEnv();

export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge()).handler((event) => processBatch(runtime.transition, event.Records));
