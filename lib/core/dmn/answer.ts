/**
 * The answer to a `decision.evaluate` effect, given the decision version found for it:
 * `completeDecision` with the result, or `failDecision` naming why (not deployed, no
 * version with the tag, a rule that cannot run). Pure: whoever loads decisions (the
 * EffectDispatcher, the test harness) sends what this returns.
 */
import type { Command } from '../commands.ts';
import type { Effect } from '../effects.ts';
import { evaluateDecision } from './evaluate.ts';
import type { DmnDefinitions } from './types.ts';

export type DecisionRequestEffect = Extract<Effect, { type: 'decision.evaluate' }>;

/** A deployed version of a decision: the compiled document that holds it. */
export interface DeployedDecision {
  version: number;
  definitions: DmnDefinitions;
}

function missing(effect: DecisionRequestEffect): string {
  return effect.bindingType === 'versionTag'
    ? `no version of decision '${effect.decisionId}' has version tag '${effect.versionTag ?? ''}'`
    : `no decision with id '${effect.decisionId}' is deployed`;
}

/**
 * @example answerDecision(effect, { version: 2, definitions }, now)
 * // { type: 'completeDecision', requestId: 'i1.4', decisionId: 'discount', decisionVersion: 2, result: 0.1 }
 */
export function answerDecision(effect: DecisionRequestEffect, found: DeployedDecision | null, now: number): Command {
  if (!found) return { type: 'failDecision', requestId: effect.requestId, message: missing(effect) };
  const outcome = evaluateDecision(found.definitions, effect.decisionId, effect.variables, now);
  if (!outcome.ok) return { type: 'failDecision', requestId: effect.requestId, message: `decision '${effect.decisionId}' version ${found.version} failed: ${outcome.message}` };
  return { type: 'completeDecision', requestId: effect.requestId, decisionId: effect.decisionId, decisionVersion: found.version, result: outcome.value };
}

/**
 * The version a request binds to among deployed versions (oldest first): the latest, or
 * the latest whose decision carries the requested version tag.
 */
export function pickDecisionVersion(effect: Pick<DecisionRequestEffect, 'decisionId' | 'bindingType' | 'versionTag'>, versions: DeployedDecision[]): DeployedDecision | null {
  const candidates = versions.filter((v) => v.definitions.decisions[effect.decisionId]);
  const matching = effect.bindingType === 'versionTag' ? candidates.filter((v) => v.definitions.decisions[effect.decisionId]?.versionTag === effect.versionTag) : candidates;
  return matching.reduce<DeployedDecision | null>((best, v) => (!best || v.version > best.version ? v : best), null);
}
