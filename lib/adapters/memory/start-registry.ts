/**
 * The registry of timer start events in memory, with the conditions of the DynamoDB one
 * (lib/adapters/scheduler/start-registry.ts): a put loses to a newer registered version,
 * a remove names the version it removes, and a fire is taken by moving `nextDueAt` from
 * its due time (false when someone else already did).
 */
import type { TimerStart, TimerStartRegistry } from '../../ports.ts';
import { bySortKey, jsonCopy } from './copy.ts';

export class MemoryTimerStartRegistry implements TimerStartRegistry {
  /** Definition key -> start event id -> its registration. */
  private readonly starts = new Map<string, Map<string, TimerStart>>();

  private of(definitionKey: string): Map<string, TimerStart> {
    const starts = this.starts.get(definitionKey) ?? new Map<string, TimerStart>();
    this.starts.set(definitionKey, starts);
    return starts;
  }

  async list(definitionKey: string): Promise<TimerStart[]> {
    return [...(this.starts.get(definitionKey)?.values() ?? [])].sort(bySortKey((s) => s.startEventId)).map(jsonCopy);
  }

  async get(definitionKey: string, startEventId: string): Promise<TimerStart | null> {
    return jsonCopy(this.starts.get(definitionKey)?.get(startEventId) ?? null);
  }

  async put(start: TimerStart): Promise<boolean> {
    const starts = this.of(start.definitionKey);
    const current = starts.get(start.startEventId);
    if (current && current.version > start.version) return false;
    starts.set(start.startEventId, jsonCopy(start));
    return true;
  }

  async remove(definitionKey: string, startEventId: string, version: number): Promise<void> {
    const starts = this.starts.get(definitionKey);
    if (starts?.get(startEventId)?.version === version) starts.delete(startEventId);
  }

  async advance(start: TimerStart, from: number, to: number | null, remaining: number | null): Promise<boolean> {
    const current = this.starts.get(start.definitionKey)?.get(start.startEventId);
    if (!current || current.version !== start.version || current.nextDueAt !== from) return false;
    current.nextDueAt = to;
    current.remaining = remaining;
    return true;
  }
}
