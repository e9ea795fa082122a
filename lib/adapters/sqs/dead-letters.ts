/**
 * The events DLQ, written to directly: an inbound event that can never be processed
 * (not JSON, no name, a payload over the limit, too large for SQS) goes there at once
 * WITH its reason, instead of blocking the stream for five receives first.
 *
 * Each letter is a JSON envelope `{ reason, body }` (the body cut to BODY_PREVIEW_CHARS,
 * then `truncated: true` and `bytes` say so), with the reason also as the message
 * attribute `reason` (so a console or a redrive tool can filter on it).
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

/** SQS's message (and batch) size limit: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html */
export const SQS_MAX_BYTES = 1024 * 1024;
/** At most 6 JSON characters per body character (`\u0000`), so an envelope always fits in one message. */
export const BODY_PREVIEW_CHARS = 128 * 1024;

export function deadLetterEnvelope(reason: string, body: string): string {
  if (body.length <= BODY_PREVIEW_CHARS) return JSON.stringify({ reason, body });
  return JSON.stringify({ reason, body: body.slice(0, BODY_PREVIEW_CHARS), truncated: true, bytes: Buffer.byteLength(body, 'utf8') });
}

/** Splits entries into SendMessageBatch calls: at most 10 entries and SQS_MAX_BYTES each. */
export function packBatches<T>(items: T[], size: (item: T) => number, limit = SQS_MAX_BYTES): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length === 10 || bytes + n > limit)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class SqsDeadLetters implements DeadLetters {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly meter?: SqsMeter) {}

  async send(letters: Array<{ reason: string; body: string; messageId?: string | undefined }>): Promise<void> {
    const entries: SendMessageBatchRequestEntry[] = letters.map((letter, i) => ({
      Id: String(i),
      MessageBody: deadLetterEnvelope(letter.reason, letter.body),
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: letter.reason.slice(0, 1024) },
        ...(letter.messageId ? { messageId: { DataType: 'String', StringValue: letter.messageId.slice(0, 1024) } } : {}),
      },
    }));
    for (const batch of packBatches(entries, (e) => Buffer.byteLength(e.MessageBody ?? '', 'utf8') + 2048)) {
      const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch }));
      this.meter?.record('SendMessageBatch', batch.reduce((sum, e) => sum + (e.MessageBody?.length ?? 0), 0));
      if (out.Failed && out.Failed.length > 0) {
        throw new Error(`the dead-letter queue refused ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Message).join('; ')}`);
      }
    }
  }
}
