/**
 * Signals in the in-memory engine, as the durable runtime delivers them
 * (lib/app/service/signals.ts): a broadcast reaches every active instance with an open
 * `signal:<name>` subscription and starts every process with a signal start event of
 * that name. A signal thrown inside an instance (`signal.broadcast`) is broadcast after
 * its step; deliveries are queued and drained by the outermost call, never recursively.
 */
import type { Effect } from '../core/effects.ts';
import type { JsonObject } from '../core/json.ts';
import { signalSubscriptionName } from '../core/bpmn/model/types.ts';
import type { TestEngine } from './engine.ts';

export class SignalDispatcher {
  private readonly queue: Array<{ name: string; variables: JsonObject }> = [];
  private draining = false;
  /** Instances reached (waiting + started) per broadcast, in broadcast order. */
  readonly reached: number[] = [];

  constructor(private readonly engine: TestEngine) {}

  deliver(effects: Effect[]): void {
    for (const effect of effects) if (effect.type === 'signal.broadcast') this.queue.push({ name: effect.name, variables: effect.variables });
    this.drain();
  }

  /** Broadcasts at once (after anything already queued); returns the instances it reached. */
  broadcast(name: string, variables: JsonObject): number {
    this.queue.push({ name, variables });
    const before = this.reached.length;
    this.drain();
    return this.reached[before] ?? 0;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.reached.push(this.one(next.name, next.variables));
    } finally {
      this.draining = false;
    }
  }

  private one(name: string, variables: JsonObject): number {
    const subscription = signalSubscriptionName(name);
    const waiting = [...this.engine.instances.values()].filter((i) => i.state?.status === 'active' && Object.values(i.state.subscriptions).some((s) => s.messageName === subscription));
    const starts = [...this.engine.definitions.values()].flatMap((def) => def.startEvents
      .filter((id) => { const t = def.elements[id]?.trigger; return t?.type === 'signal' && t.name === name; })
      .map((startEventId) => ({ key: def.key, startEventId })));
    let reached = 0;
    for (const instance of waiting) if (!instance.send({ type: 'broadcastSignal', name, variables }).rejection) reached++;
    for (const { key, startEventId } of starts) {
      this.engine.start(key, variables, { startEventId });
      reached++;
    }
    return reached;
  }
}
