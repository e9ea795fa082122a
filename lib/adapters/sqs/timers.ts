/**
 * Timers through SQS delays: a message on the (standard) timers queue, delayed up to
 * the SQS maximum of 15 minutes. The timers handler forwards a due timer to the
 * commands queue as `fireTimer`, and re-delays one that is not due yet. Longer timers
 * go to a durable schedule (lib/adapters/scheduler), which hands them back here for
 * their last stretch. A delayed message cannot be taken back: `cancel` is absent, and a
 * fire after a cancel is rejected by the core as stale.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, ScheduledTimer, TimerScheduler, TimerStartRef } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

export const MAX_DELAY_SECONDS = 900;

/** The body of a message on the timers queue (also what a durable schedule delivers there). */
export interface TimerMessage {
  timerId: string;
  instanceId: string;
  dueAt: number;
  /** A timer start event: start this definition version at `dueAt`. */
  start?: TimerStartRef;
}

export function delaySeconds(dueAt: number, now: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((dueAt - now) / 1000)));
}

export function timerMessage(timer: ScheduledTimer): TimerMessage {
  return { timerId: timer.timerId, instanceId: timer.instanceId, dueAt: timer.dueAt, ...(timer.start ? { start: timer.start } : {}) };
}

export class SqsTimerScheduler implements TimerScheduler {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly clock: Clock, private readonly meter?: SqsMeter) {}

  async schedule(timer: ScheduledTimer): Promise<void> {
    const MessageBody = JSON.stringify(timerMessage(timer));
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody, DelaySeconds: delaySeconds(timer.dueAt, this.clock.now()) }));
    this.meter?.record('SendMessage', MessageBody.length);
  }

  /** Many timers in batches of 10 (SendMessageBatch); throws when any entry failed. */
  async scheduleMany(timers: ScheduledTimer[]): Promise<void> {
    const now = this.clock.now();
    for (let i = 0; i < timers.length; i += 10) {
      const entries = timers.slice(i, i + 10).map((timer, n) => ({ Id: String(n), MessageBody: JSON.stringify(timerMessage(timer)), DelaySeconds: delaySeconds(timer.dueAt, now) }));
      const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      this.meter?.record('SendMessageBatch', entries.reduce((sum, e) => sum + e.MessageBody.length, 0));
      if (out.Failed && out.Failed.length > 0) throw new Error(`timers queue refused ${out.Failed.length} of ${entries.length} timers: ${out.Failed[0]?.Message ?? out.Failed[0]?.Code}`);
    }
  }
}
