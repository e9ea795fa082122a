/**
 * The commands queue in memory: one FIFO queue (stricter than SQS FIFO's order per
 * message group: every command is taken in the order it was sent). As SQS FIFO, a
 * command id sent again within the deduplication window is dropped, unless it is a
 * redrive (a dead command sent again on purpose). Envelopes travel as JSON copies.
 * Whoever consumes the queue takes commands with `take()`; `onSend` tells it that
 * something arrived (the local runtime wakes its consumer with it).
 */
import type { Clock, CommandBus, CommandEnvelope } from '../../ports.ts';
import { jsonCopy } from './copy.ts';

/** SQS FIFO's deduplication interval. */
export const DEDUP_WINDOW_MS = 5 * 60_000;

export interface MemoryCommandBusOptions {
  clock?: Clock;
  dedupWindowMs?: number;
}

export class MemoryCommandBus implements CommandBus {
  private readonly queue: CommandEnvelope[] = [];
  /** Command id -> when it was last accepted. */
  private readonly seen = new Map<string, number>();
  private readonly listeners: Array<() => void> = [];
  private readonly clock: Clock;
  private readonly window: number;

  constructor(options: MemoryCommandBusOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.window = options.dedupWindowMs ?? DEDUP_WINDOW_MS;
  }

  async send(envelopes: CommandEnvelope[], options: { redrive?: boolean } = {}): Promise<void> {
    const now = this.clock.now();
    let queued = 0;
    for (const envelope of envelopes) {
      const last = this.seen.get(envelope.id);
      if (!options.redrive && last !== undefined && now - last < this.window) continue;
      this.seen.set(envelope.id, now);
      this.queue.push(jsonCopy(envelope));
      queued++;
    }
    if (queued > 0) for (const listener of this.listeners) listener();
  }

  /** The next command, in send order (undefined: the queue is empty). */
  take(): CommandEnvelope | undefined {
    return this.queue.shift();
  }

  /** Puts a command back at the front (its handling failed and will be tried again). */
  putBack(envelope: CommandEnvelope): void {
    this.queue.unshift(envelope);
  }

  get size(): number {
    return this.queue.length;
  }

  /** Calls `listener` after every send that queued something. */
  onSend(listener: () => void): void {
    this.listeners.push(listener);
  }
}
