/**
 * Inbound events (raw AMQP bodies) -> the events queue (a port: SQS `events` on AWS),
 * shared by the local bridge (lib/bridge/inbound.ts) and the Amazon MQ Lambda
 * (functions/events-bridge.ts).
 *
 * The answer per event says whether it may be acknowledged to the broker: true once the
 * queue accepted it, or once it went to the events DLQ because the queue never will (larger
 * than a queue message, or refused as the sender's fault); false when it should be tried again.
 * The body is forwarded untouched: judging it (JSON? a name?) is the events handler's job.
 */
import type { DeadLetters, InboundEventQueue, RawEvent } from '../ports.ts';

export type { RawEvent } from '../ports.ts';

export interface ForwardTarget {
  /** The events queue. */
  queue: InboundEventQueue;
  /** Its DLQ, for events the queue can never take. */
  deadLetters: DeadLetters;
}

/**
 * Forwards a batch of events; never throws.
 *
 * @example const ok = await forwardEvents(target, [{ body: Buffer.from('{"name":"paid"}'), messageId: 'm-1' }]) // [true]
 */
export async function forwardEvents(target: ForwardTarget, events: RawEvent[]): Promise<boolean[]> {
  const ok = events.map(() => false);
  const letters: Array<{ index: number; reason: string }> = [];
  const sendable: number[] = [];
  events.forEach((event, index) => {
    const bytes = event.body.length;
    if (bytes > target.queue.maxBytes) letters.push({ index, reason: `the event is ${bytes} bytes, larger than an SQS message (${target.queue.maxBytes})` });
    else sendable.push(index);
  });
  const results = sendable.length > 0 ? await target.queue.send(sendable.map((i) => events[i] as RawEvent)) : [];
  results.forEach((result, n) => {
    const index = sendable[n] as number;
    if (result.ok) ok[index] = true;
    else if (result.refused !== null) letters.push({ index, reason: result.refused });
  });
  if (letters.length > 0) {
    try {
      await target.deadLetters.send(letters.map(({ index, reason }) => ({ reason, body: (events[index] as RawEvent).body.toString('utf8'), messageId: events[index]?.messageId })));
      for (const { index } of letters) ok[index] = true;
    } catch {
      // The DLQ is a queue too: try again later.
    }
  }
  return ok;
}
