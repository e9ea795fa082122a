/**
 * Lambda, every minute (EventBridge schedule): sweeps the DynamoDB durable schedule,
 * handing each timer due within the next minutes to the SQS timers queue with a delay.
 * Does nothing when another durable schedule (EventBridge Scheduler) is configured.
 */
import middy from '@middy/core';
import { runtimeFromEnv } from '../lib/adapters/wiring.ts';

const runtime = runtimeFromEnv();

export const handler = middy<unknown, { buckets: number; handedOff: number } | null>().handler(async () => {
  if (!runtime.sweeper) return null;
  const result = await runtime.sweeper.sweep();
  if (result.handedOff > 0) runtime.logger.info('timers swept', { ...result });
  return { buckets: result.buckets, handedOff: result.handedOff };
});
