/**
 * DMN decisions in the in-memory engine: deployed documents are versioned per decision id
 * (the same XML again keeps its version, as the durable store does), and every
 * `decision.evaluate` effect is answered at once with `completeDecision` / `failDecision`,
 * as the EffectDispatcher does through the commands queue.
 */
import { answerDecision, pickDecisionVersion, type DecisionRequestEffect, type DeployedDecision } from '../core/dmn/answer.ts';
import type { DmnDefinitions } from '../core/dmn/types.ts';
import type { Effect } from '../core/effects.ts';
import type { TestEngine } from './engine.ts';

export class DecisionDispatcher {
  /** Decision id -> its versions, oldest first. */
  readonly versions = new Map<string, DeployedDecision[]>();
  private readonly queue: Array<{ instanceId: string; effect: DecisionRequestEffect }> = [];
  private draining = false;

  constructor(private readonly engine: TestEngine) {}

  /** Stores each decision of a compiled DMN document; returns `id@version` of each. */
  deploy(definitions: DmnDefinitions): string[] {
    return Object.keys(definitions.decisions).map((id) => {
      const versions = this.versions.get(id) ?? [];
      const same = versions.find((v) => v.definitions.hash === definitions.hash);
      if (same) return `${id}@${same.version}`;
      const version = versions.length + 1;
      this.versions.set(id, [...versions, { version, definitions }]);
      return `${id}@${version}`;
    });
  }

  /** Queues the decision requests of a step and, unless a drain is under way, answers them. */
  deliver(instanceId: string, effects: Effect[]): void {
    for (const effect of effects) if (effect.type === 'decision.evaluate') this.queue.push({ instanceId, effect });
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const instance = this.engine.instances.get(next.instanceId);
        if (!instance || instance.state.status !== 'active') continue;
        const found = pickDecisionVersion(next.effect, this.versions.get(next.effect.decisionId) ?? []);
        instance.send(answerDecision(next.effect, found, this.engine.now));
      }
    } finally {
      this.draining = false;
    }
  }
}
