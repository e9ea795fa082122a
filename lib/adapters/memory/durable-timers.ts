/**
 * A durable schedule in memory, shaped like the DynamoDB one (lib/adapters/scheduler/dynamodb.ts):
 * timers wait here, and each `sweep(now)` hands those due within `leadMs` to the timers
 * queue (`handOff`), which holds them for the last stretch. Scheduling a timer id twice
 * keeps one; `cancel` forgets it for good.
 */
import type { Clock, DurableTimers, ScheduledTimer, TimerScheduler } from '../../ports.ts';
import { jsonCopy } from './copy.ts';

/** As the DynamoDB schedule: handed to the queue 5 minutes before due. */
export const DEFAULT_LEAD_MS = 5 * 60_000;

export interface MemoryDurableTimersOptions {
  handOff: TimerScheduler;
  clock: Clock;
  leadMs?: number;
}

export class MemoryDurableTimers implements DurableTimers {
  private readonly waiting = new Map<string, ScheduledTimer>();

  constructor(private readonly options: MemoryDurableTimersOptions) {}

  private get lead(): number {
    return this.options.leadMs ?? DEFAULT_LEAD_MS;
  }

  /** A timer already within its lead goes straight to the queue. */
  async schedule(timer: ScheduledTimer): Promise<void> {
    if (timer.dueAt - this.options.clock.now() <= this.lead) return this.options.handOff.schedule(timer);
    if (!this.waiting.has(timer.timerId)) this.waiting.set(timer.timerId, jsonCopy(timer));
  }

  async cancel(timer: { timerId: string }): Promise<void> {
    this.waiting.delete(timer.timerId);
  }

  /** Hands every timer due by `now + leadMs` to the queue, earliest first; returns how many. */
  async sweep(now: number = this.options.clock.now()): Promise<number> {
    const due = [...this.waiting.values()].filter((t) => t.dueAt - now <= this.lead).sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) {
      await this.options.handOff.schedule(timer);
      this.waiting.delete(timer.timerId);
    }
    return due.length;
  }
}
