/**
 * Dead commands in memory (lib/adapters/dynamodb/dead-commands.ts keeps them in one
 * partition): put and remove by command id, listed in command id order with a cursor.
 * The commands DLQ the sweeper reads is `MemoryDeadLetterSource`: whoever gives up on a
 * command `add`s its body there.
 */
import type { DeadCommand, DeadCommandStore, DeadLetterSource, Page } from '../../ports.ts';
import { bySortKey, decodeCursor, encodeCursor, jsonCopy } from './copy.ts';

export class MemoryDeadCommandStore implements DeadCommandStore {
  private readonly dead = new Map<string, DeadCommand>();

  async put(dead: DeadCommand): Promise<void> {
    this.dead.set(dead.commandId, jsonCopy(dead));
  }

  async get(commandId: string): Promise<DeadCommand | null> {
    return jsonCopy(this.dead.get(commandId) ?? null);
  }

  async list(options: { limit?: number; cursor?: string | null } = {}): Promise<Page<DeadCommand>> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const all = [...this.dead.values()].sort(bySortKey((d) => d.commandId)).filter((d) => after === null || d.commandId > after);
    const items = all.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(jsonCopy), cursor: all.length > limit && last ? encodeCursor(last.commandId) : null };
  }

  async remove(commandId: string): Promise<void> {
    this.dead.delete(commandId);
  }
}

export class MemoryDeadLetterSource implements DeadLetterSource {
  private readonly messages: Array<{ body: string; receiptHandle: string; messageId: string; receiveCount: number }> = [];
  private counter = 0;

  /** A message the commands queue gave up on after `receiveCount` deliveries. */
  add(body: string, receiveCount: number): void {
    const n = ++this.counter;
    this.messages.push({ body, receiptHandle: `r${n}`, messageId: `m${n}`, receiveCount });
  }

  async receive(max: number): Promise<Array<{ body: string; receiptHandle: string; messageId: string; receiveCount: number }>> {
    return this.messages.slice(0, max).map((m) => ({ ...m }));
  }

  async remove(receiptHandle: string): Promise<void> {
    const i = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i >= 0) this.messages.splice(i, 1);
  }
}
