/**
 * Conditional subscriptions: a message start / catch / boundary event or receive task may
 * carry a FEEL condition over the incoming message (`<zeebe:property name="condition"
 * value="=payload.amount &gt; 100"/>`); a message correlates to it, or starts it, only
 * when the condition holds. The condition sees the message as
 * `{ payload, name, correlationKey }` (`payload`: the message's variables).
 *
 * A condition that fails to evaluate (a runtime error, a non-boolean) does not hold: the
 * message is not taken, and the problem is reported to the caller to log.
 */
import { evaluateCondition } from '../core/expressions/feel.ts';
import type { JsonObject } from '../core/json.ts';

export interface MessageFacts {
  name: string;
  /** '' (no key, e.g. for message start events) is given to the condition as null. */
  correlationKey: string;
  payload: JsonObject;
}

export type ConditionVerdict = { holds: true } | { holds: false; problem: string | null };

/**
 * @example conditionHolds('=payload.amount > 100', { name: 'paid', correlationKey: 'o-1', payload: { amount: 150 } }, now) // { holds: true }
 */
export function conditionHolds(condition: string | null | undefined, message: MessageFacts, now: number): ConditionVerdict {
  if (!condition) return { holds: true };
  const context = { payload: message.payload, name: message.name, correlationKey: message.correlationKey === '' ? null : message.correlationKey };
  const result = evaluateCondition(condition, context, now);
  if (!result.ok) return { holds: false, problem: result.message };
  return result.value ? { holds: true } : { holds: false, problem: null };
}
