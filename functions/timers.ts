/** Lambda: the timers queue (SQS with delays) -> `fireTimer` commands when due. */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processTimerBatch } from '../lib/app/timers.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const runtime = runtimeFromEnv();

export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge()).handler((event) => processTimerBatch(runtime.timerDeps, event.Records));
