/**
 * The events DLQ in memory: every inbound event that can never be processed, with its
 * reason, in the order sent (the body kept whole: no queue size limit here).
 */
import type { DeadLetters } from '../../ports.ts';

export type DeadLetter = Parameters<DeadLetters['send']>[0][number];

export class MemoryDeadLetters implements DeadLetters {
  readonly letters: DeadLetter[] = [];

  async send(letters: DeadLetter[]): Promise<void> {
    this.letters.push(...letters.map((l) => ({ reason: l.reason, body: l.body, ...(l.messageId !== undefined ? { messageId: l.messageId } : {}) })));
  }
}
