/**
 * The answer to a `decision.evaluate` effect, given the decision version found for it:
 * `completeDecision` with the result, or `failDecision` naming why (not deployed, no
 * version with the tag, a rule that cannot run). Pure: whoever loads decisions (the
 * EffectDispatcher, the test harness) sends what this returns.
 */
import type { Command } from '../commands.ts';
import type { Effect } from '../effects.ts';
import { evaluateDecision } from './evaluate.ts';
import { decisionOf, type DmnDefinitions } from './types.ts';

/** Largest result an answer carries: it travels in one queue message (SQS: 256 KB) and becomes a variable. */
export const MAX_DECISION_RESULT_BYTES = 200 * 1024;

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
  const bytes = Buffer.byteLength(JSON.stringify(outcome.value), 'utf8');
  if (bytes > MAX_DECISION_RESULT_BYTES) {
    return { type: 'failDecision', requestId: effect.requestId, message: `decision '${effect.decisionId}' version ${found.version} returned ${bytes} bytes; the limit is ${MAX_DECISION_RESULT_BYTES}` };
  }
  return { type: 'completeDecision', requestId: effect.requestId, decisionId: effect.decisionId, decisionVersion: found.version, result: outcome.value };
}

/**
 * The version a request binds to among deployed versions (oldest first): the latest, or
 * the latest whose decision carries the requested version tag.
 */
export function pickDecisionVersion(effect: Pick<DecisionRequestEffect, 'decisionId' | 'bindingType' | 'versionTag'>, versions: DeployedDecision[]): DeployedDecision | null {
  const candidates = versions.filter((v) => decisionOf(v.definitions, effect.decisionId));
  const matching = effect.bindingType === 'versionTag' ? candidates.filter((v) => decisionOf(v.definitions, effect.decisionId)?.versionTag === effect.versionTag) : candidates;
  return matching.reduce<DeployedDecision | null>((best, v) => (!best || v.version > best.version ? v : best), null);
}
