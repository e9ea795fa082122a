/**
 * Lambda, every minute (EventBridge schedule):
 * - sweeps the DynamoDB durable schedule, handing each timer due within the next minutes to
 *   the SQS timers queue with a delay (nothing to do when EventBridge Scheduler is used);
 * - empties the commands DLQ: each dead command is tried once more (which also finishes any
 *   version its instance left beyond its head), then kept as a dead command with an incident
 *   on its instance (lib/app/dead-letters.ts).
 */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import { sweepDeadCommands, type SweepResult } from '../lib/app/dead-letters.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const runtime = runtimeFromEnv();

export const handler = middy<unknown, { buckets: number; handedOff: number; deadCommands: SweepResult | null }>().use(edge()).handler(async () => {
  const timers = runtime.sweeper ? await runtime.sweeper.sweep() : { buckets: 0, handedOff: 0 };
  if (timers.handedOff > 0) runtime.logger.info('timers swept', { ...timers });
  const deadCommands = runtime.sweep ? await sweepDeadCommands(runtime.sweep) : null;
  return { buckets: timers.buckets, handedOff: timers.handedOff, deadCommands };
});
