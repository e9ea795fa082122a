/** Shared arrange helpers for the timer tests: a hand-driven clock, queue reads, recording ports. */
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CommandBus, CommandEnvelope, ScheduledTimer } from '../../lib/ports.ts';

/** A clock the test moves by hand. */
export function manualClock(start: number): { t: number; now(): number } {
  return { t: start, now() { return this.t; } };
}

/** Receives (and deletes) what is visible on a queue within `waitSeconds`. */
export async function drain(sqs: SQSClient, queueUrl: string, waitSeconds = 1): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
}

export async function delayedCount(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'] }));
  return Number(out.Attributes?.['ApproximateNumberOfMessagesDelayed'] ?? 0) + Number(out.Attributes?.['ApproximateNumberOfMessages'] ?? 0);
}

/** A CommandBus that keeps what it is sent. */
export function recordingBus(): CommandBus & { sent: CommandEnvelope[] } {
  const sent: CommandEnvelope[] = [];
  return { sent, send: async (envelopes) => { sent.push(...envelopes); } };
}

/** The SQS hop as a recorder: what would be sent to the timers queue, when, and with which delay. */
export function recordingHandOff(clock: { now(): number }): { handed: Array<{ timer: ScheduledTimer; at: number }>; scheduleMany(timers: ScheduledTimer[]): Promise<void>; schedule(timer: ScheduledTimer): Promise<void> } {
  const handed: Array<{ timer: ScheduledTimer; at: number }> = [];
  return {
    handed,
    scheduleMany: async (timers) => { for (const timer of timers) handed.push({ timer, at: clock.now() }); },
    schedule: async (timer) => { handed.push({ timer, at: clock.now() }); },
  };
}

/** A timers-queue message as the Lambda SQS event record the timers handler receives. */
export { sqsRecord as record } from '../support/sqs-record.ts';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
