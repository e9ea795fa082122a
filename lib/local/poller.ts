/**
 * A local stand-in for Lambda's SQS event source mapping: long-polls a queue, hands
 * batches to a handler as real Lambda SQS events, deletes what succeeded and leaves
 * reported failures to reappear after the visibility timeout (and, after 5 receives,
 * to move to the DLQ by the queue's redrive policy), like the real integration.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  batchSize?: number;
  waitTimeSeconds?: number;
  /** Batches handled at once (Lambda's concurrency). */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attrs = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: attrs['SentTimestamp'] ?? String(Date.now()),
      SenderId: attrs['SenderId'] ?? 'local',
      ApproximateFirstReceiveTimestamp: attrs['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
      ...(attrs['MessageGroupId'] ? { MessageGroupId: attrs['MessageGroupId'] } : {}),
      ...(attrs['MessageDeduplicationId'] ? { MessageDeduplicationId: attrs['MessageDeduplicationId'] } : {}),
    },
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, {
      stringValue: v.StringValue, dataType: v.DataType ?? 'String', stringListValues: [], binaryListValues: [],
    }])),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

export class SqsPoller {
  private running = false;
  private loops: Promise<void>[] = [];
  handled = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly handler: SqsHandler,
    private readonly options: PollerOptions = {},
  ) {}

  start(): this {
    if (this.running) return this;
    this.running = true;
    const concurrency = this.options.concurrency ?? 2;
    this.loops = Array.from({ length: concurrency }, () => this.loop());
    return this;
  }

  /** Stops polling; in-flight batches finish first (graceful shutdown). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    const queueArn = `arn:aws:sqs:us-east-1:000000000000:${this.queueUrl.split('/').pop()}`;
    while (this.running) {
      try {
        const out = await this.sqs.send(new ReceiveMessageCommand({
          QueueUrl: this.queueUrl, MaxNumberOfMessages: this.options.batchSize ?? 10, WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
          MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
        }));
        const messages = out.Messages ?? [];
        if (messages.length === 0) continue;
        const records = messages.map((m) => toRecord(m, queueArn));
        let failed = new Set<string>();
        try {
          const response = await this.handler({ Records: records });
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (error) {
          // A thrown handler fails the whole batch, as on Lambda.
          failed = new Set(records.map((r) => r.messageId));
          this.options.onError?.(error);
        }
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        this.handled += done.length;
        if (done.length > 0) {
          await this.sqs.send(new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }));
        }
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
