/**
 * Timers through SQS delays: a message on the (standard) timers queue, delayed up to
 * the SQS maximum of 15 minutes. The timers handler forwards a due timer to the
 * commands queue as `fireTimer`, and re-delays one that is not due yet, so any due
 * time works (longer ones hop in 15-minute steps).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, TimerScheduler } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

export const MAX_DELAY_SECONDS = 900;

export interface TimerMessage {
  timerId: string;
  instanceId: string;
  dueAt: number;
}

export function delaySeconds(dueAt: number, now: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((dueAt - now) / 1000)));
}

export class SqsTimerScheduler implements TimerScheduler {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly clock: Clock, private readonly meter?: SqsMeter) {}

  async schedule(timer: { timerId: string; instanceId: string; dueAt: number }): Promise<void> {
    const body: TimerMessage = { timerId: timer.timerId, instanceId: timer.instanceId, dueAt: timer.dueAt };
    const MessageBody = JSON.stringify(body);
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody, DelaySeconds: delaySeconds(timer.dueAt, this.clock.now()) }));
    this.meter?.record('SendMessage', MessageBody.length);
  }
}
