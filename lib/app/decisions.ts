/**
 * DMN decisions on the durable path: deployed and versioned like processes (one version
 * line per decision id, the same XML keeps its versions), and `decision.evaluate` effects
 * answered with the pure evaluator.
 *
 *   decision.evaluate -> load the bound version (latest, or by version tag)
 *                     -> evaluate (lib/core/dmn) -> `completeDecision` | `failDecision`
 *
 * The command id is `decision:<requestId>`: a version re-emitted after a crash sends the
 * same id again, which SQS FIFO deduplication drops and the engine rejects as stale.
 */
import { answerDecision, pickDecisionVersion, type DecisionRequestEffect, type DeployedDecision } from '../core/dmn/answer.ts';
import type { CommandBus, Clock, DecisionStore } from '../ports.ts';
import type { Deployed } from './definitions.ts';
import { DeployRefused } from './errors.ts';
import { envelope } from './service/commands.ts';

/**
 * The DMN compiler (dmn-moddle), imported by the first DMN deploy or decision load: most
 * transitions evaluate no decision, so a cold start does not load it.
 */
const compileDmn = async (xml: string): Promise<CompiledDmn> => (await import('../core/dmn/compile.ts')).compileDmn(xml);
type CompiledDmn = Awaited<ReturnType<typeof import('../core/dmn/compile.ts').compileDmn>>;

/** Validates a DMN document and stores each of its decisions. Same XML = same versions. */
export async function deployDecisions(store: DecisionStore, clock: Clock, xml: string): Promise<Deployed[]> {
  const result = await compileDmn(xml);
  if (!result.ok) throw new DeployRefused(result.errors);
  const deployed: Deployed[] = [];
  for (const id of Object.keys(result.definitions.decisions)) {
    const stored = await store.deploy(id, xml, result.definitions.hash, clock.now());
    deployed.push({ key: stored.key, version: stored.version, created: stored.created });
  }
  return deployed;
}

/** Finds the version of a decision a request binds to; compiled documents are cached by key@version. */
export class CachedDecisions {
  private readonly cache = new Map<string, Promise<DeployedDecision | null>>();

  constructor(readonly store: DecisionStore, private readonly limit = 200) {}

  async find(request: Pick<DecisionRequestEffect, 'decisionId' | 'bindingType' | 'versionTag'>): Promise<DeployedDecision | null> {
    const { decisionId } = request;
    if (request.bindingType === 'latest') {
      const latest = await this.store.latest(decisionId);
      const found = latest ? await this.load(decisionId, latest.version) : null;
      return found ? pickDecisionVersion(request, [found]) : null;
    }
    // Newest first: the first version whose decision carries the tag is the one.
    const versions = (await this.store.versions(decisionId)).sort((a, b) => b.version - a.version);
    for (const v of versions) {
      const found = await this.load(decisionId, v.version);
      if (found && pickDecisionVersion(request, [found])) return found;
    }
    return null;
  }

  /** One stored version of a decision, compiled (null when it is not stored). */
  version(id: string, version: number): Promise<DeployedDecision | null> {
    return this.load(id, version);
  }

  private load(id: string, version: number): Promise<DeployedDecision | null> {
    const cacheKey = `${id}@${version}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const loading = this.store.get(id, version).then(async (stored) => {
      if (!stored) return null;
      const compiled = await compileDmn(stored.xml);
      return compiled.ok ? { version, definitions: compiled.definitions } : null;
    });
    loading.catch(() => this.cache.delete(cacheKey));
    if (this.cache.size >= this.limit) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(cacheKey, loading);
    return loading;
  }
}

export interface DecisionTargets {
  commands: CommandBus;
  clock: Clock;
  decisions?: CachedDecisions | null | undefined;
}

/** Evaluates the requested decision and sends the answer to the waiting instance. */
export async function performDecision(targets: DecisionTargets, effect: DecisionRequestEffect): Promise<void> {
  if (!targets.decisions) throw new Error('decision.evaluate needs EffectTargets.decisions (the decision store)');
  const found = await targets.decisions.find(effect);
  const answer = answerDecision(effect, found, targets.clock.now());
  await targets.commands.send([envelope(effect.instanceId, `decision:${effect.requestId}`, answer)]);
}
