/**
 * FIFO messages that come back after SQS's 5-minute deduplication window: a copy of a
 * sent message, with the same body, group and attributes but another
 * MessageDeduplicationId, sent later through a clean client (so a replay is never itself
 * faulted or replayed). Sent after `afterMs` when given, else only by `flush()`.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SendMessageCommandInput, type SQSClient } from '@aws-sdk/client-sqs';

interface Pending {
  input: SendMessageCommandInput;
  timer?: NodeJS.Timeout;
}

export class Replays {
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(private readonly clean: SQSClient, private readonly count: (fault: string) => void) {}

  get size(): number {
    return this.pending.size;
  }

  /** Queues a replay of `input` (a SendMessage request that SQS accepted). */
  schedule(input: SendMessageCommandInput, afterMs: number | undefined): void {
    const n = this.next++;
    const origin = input.MessageDeduplicationId ?? createHash('sha256').update(input.MessageBody ?? '').digest('hex');
    const dedup = `replay-${n}-${createHash('sha256').update(origin).digest('hex').slice(0, 48)}`;
    const entry: Pending = { input: { ...input, MessageDeduplicationId: dedup } };
    if (afterMs !== undefined) {
      entry.timer = setTimeout(() => void this.send(n), afterMs);
      entry.timer.unref();
    }
    this.pending.set(n, entry);
    this.count('replaysScheduled');
  }

  /** Sends every pending replay now; resolves to how many were sent. */
  async flush(): Promise<number> {
    const sent = await Promise.all([...this.pending.keys()].map((n) => this.send(n)));
    return sent.filter(Boolean).length;
  }

  /** Forgets pending replays without sending them (their timers are cleared). */
  drop(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private async send(n: number): Promise<boolean> {
    const entry = this.pending.get(n);
    if (!entry) return false;
    this.pending.delete(n);
    clearTimeout(entry.timer);
    try {
      await this.clean.send(new SendMessageCommand(entry.input));
      this.count('replaysSent');
      return true;
    } catch {
      this.count('replayErrors'); // e.g. the test's queue is gone; a replay never fails the caller
      return false;
    }
  }
}
