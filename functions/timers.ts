/** Lambda: the timers queue (SQS with delays) -> `fireTimer` commands when due. */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processTimerBatch } from '../lib/app/timers.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const runtime = runtimeFromEnv();

export const handler = middy<SQSEvent, SQSBatchResponse>().handler((event) => processTimerBatch(runtime.timerDeps, event.Records));
