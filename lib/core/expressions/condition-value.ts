/**
 * The value of a conditional event's condition. Such a condition usually waits for a
 * variable that is not set yet, so an evaluation that fails only because names are
 * missing (`Variable 'x' not found`, `Key 'y' not found in ...`, `Property 'z' not found
 * in 'null'`: FEEL's null) counts as false, as a null result does. Any other failure,
 * and any result that is not a boolean, is a failure.
 */
import type { FeelResult } from './feel.ts';

const MISSING = /^(Variable '[^']*' not found|Key '[^']*' not found in .*|Property '[^']*' not found in 'null')$/;

function onlyMissingNames(message: string): boolean {
  const failed = message.indexOf("' failed: ");
  if (failed < 0) return false;
  return message.slice(failed + "' failed: ".length).split('; ').every((warning) => MISSING.test(warning));
}

export type ConditionValue = { ok: true; holds: boolean } | { ok: false; message: string };

/** `label`: how the message names the condition, e.g. `condition of 'wait' ('=a > 1')`. */
export function conditionValue(result: FeelResult, label: string): ConditionValue {
  if (!result.ok) return onlyMissingNames(result.message) ? { ok: true, holds: false } : { ok: false, message: `${label}: ${result.message}` };
  if (result.value === null || typeof result.value === 'boolean') return { ok: true, holds: result.value === true };
  return { ok: false, message: `${label} must be a boolean, got ${JSON.stringify(result.value)}` };
}
