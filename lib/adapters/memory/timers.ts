/**
 * The timers queue in memory: a timer waits here until its due time, and whoever drives
 * time takes the due ones (`takeDue`) and hands them to the timers use case
 * (lib/app/timers.ts `forwardTimer`), as the SQS delay queue feeds the timers Lambda.
 * Scheduling a timer id again changes nothing (a re-emitted effect). Unlike an SQS
 * delay, a waiting timer can be taken back (`cancel`).
 */
import type { DurableTimers, ScheduledTimer } from '../../ports.ts';
import { jsonCopy } from './copy.ts';

export class MemoryTimerQueue implements DurableTimers {
  private readonly waiting = new Map<string, ScheduledTimer>();
  private readonly listeners: Array<(timer: ScheduledTimer) => void> = [];

  async schedule(timer: ScheduledTimer): Promise<void> {
    if (this.waiting.has(timer.timerId)) return;
    const copy = jsonCopy(timer);
    this.waiting.set(timer.timerId, copy);
    for (const listener of this.listeners) listener(copy);
  }

  async cancel(timer: { timerId: string }): Promise<void> {
    this.waiting.delete(timer.timerId);
  }

  /** The earliest timer due at or before `until` (ties: the first scheduled), removed from the queue. */
  takeDue(until: number): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.waiting.values()) {
      if (timer.dueAt <= until && (!best || timer.dueAt < best.dueAt)) best = timer;
    }
    if (best) this.waiting.delete(best.timerId);
    return best;
  }

  /** The waiting timers, earliest first. */
  pending(): ScheduledTimer[] {
    return [...this.waiting.values()].sort((a, b) => a.dueAt - b.dueAt).map(jsonCopy);
  }

  /** Calls `listener` for every timer scheduled (the local runtime arms a wall-clock timeout with it). */
  onSchedule(listener: (timer: ScheduledTimer) => void): void {
    this.listeners.push(listener);
  }
}
