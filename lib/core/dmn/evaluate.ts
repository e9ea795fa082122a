/**
 * Evaluates a compiled decision against variables: its required decisions first (each
 * result visible under the required decision's id), then its table or literal
 * expression. Pure and deterministic (`now` is injected for `now()`/`today()`);
 * failures are values naming the decision and the rule, never exceptions.
 */
import { evaluateFeel, evaluateGuarded } from '../expressions/feel.ts';
import type { Json, JsonObject } from '../json.ts';
import { applyHitPolicy, type Match } from './hit-policy.ts';
import { isAnyValue } from './table.ts';
import { decisionOf, type DecisionDef, type DecisionTable, type DmnDefinitions } from './types.ts';

export type DecisionOutcome = { ok: true; value: Json } | { ok: false; message: string };

/** FEEL conversions for input values given as ISO text (variables are JSON: dates arrive as strings). */
const TEMPORAL: Readonly<Record<string, string>> = { date: 'date', dateTime: 'date and time', time: 'time', dayTimeDuration: 'duration', yearMonthDuration: 'duration' };

/** An input value as its typeRef asks: `"2026-01-15"` with typeRef date compares as a date. */
function typed(value: unknown, typeRef: string | null, now: number): unknown {
  const convert = typeRef ? TEMPORAL[typeRef] : undefined;
  if (!convert || typeof value !== 'string') return value;
  const converted = evaluateGuarded(`${convert}(value)`, { value }, now);
  return converted.ok && converted.value !== null ? converted.value : value;
}

function evaluateTable(decision: DecisionDef, table: DecisionTable, vars: JsonObject, now: number): DecisionOutcome {
  const where = `decision '${decision.id}'`;
  const inputs: unknown[] = [];
  for (const [i, input] of table.inputs.entries()) {
    const value = evaluateGuarded(input.expression, vars, now);
    if (!value.ok) return { ok: false, message: `input ${i + 1}${input.label ? ` '${input.label}'` : ''} of ${where}: ${value.message}` };
    inputs.push(typed(value.value, input.typeRef, now));
  }
  const matches: Match[] = [];
  for (const rule of table.rules) {
    let matched = true;
    for (const [i, entry] of rule.inputs.entries()) {
      if (isAnyValue(entry)) continue;
      const test = evaluateGuarded(entry, vars, now, { input: inputs[i] });
      if (!test.ok) return { ok: false, message: `rule ${rule.index} of ${where}: ${test.message}` };
      if (test.value !== true) {
        matched = false;
        break;
      }
    }
    if (!matched) continue;
    const outputs: JsonObject = {};
    for (const [i, output] of table.outputs.entries()) {
      const entry = rule.outputs[i] ?? '';
      const value = entry === '' ? { ok: true as const, value: null } : evaluateFeel(entry, vars, now);
      if (!value.ok) return { ok: false, message: `rule ${rule.index} of ${where}: output '${output.name}': ${value.message}` };
      outputs[output.name] = value.value;
    }
    matches.push({ rule: rule.index, outputs });
  }
  const result = applyHitPolicy(table, matches);
  return result.ok ? result : { ok: false, message: `${where}: ${result.message}` };
}

function evaluateOne(defs: DmnDefinitions, id: string, vars: JsonObject, now: number, results: Map<string, Json>): DecisionOutcome {
  const known = results.get(id);
  if (known !== undefined) return { ok: true, value: known };
  const decision = decisionOf(defs, id);
  if (!decision) return { ok: false, message: `decision '${id}' is not in DMN document '${defs.id}'` };
  const context: JsonObject = { ...vars };
  // Compiled definitions have no requirement cycles, so this recursion ends.
  for (const required of decision.requires) {
    const outcome = evaluateOne(defs, required, vars, now, results);
    if (!outcome.ok) return outcome;
    context[required] = outcome.value;
  }
  const outcome = decision.logic.type === 'table'
    ? evaluateTable(decision, decision.logic, context, now)
    : evaluateFeel(decision.logic.expression, context, now);
  if (!outcome.ok) return decision.logic.type === 'table' ? outcome : { ok: false, message: `decision '${id}': ${outcome.message}` };
  results.set(id, outcome.value);
  return outcome;
}

/**
 * @example evaluateDecision(defs, 'discount', { customer: 'gold', amount: 120 }, now) // { ok: true, value: 0.15 }
 */
export function evaluateDecision(defs: DmnDefinitions, decisionId: string, variables: JsonObject, now: number): DecisionOutcome {
  return evaluateOne(defs, decisionId, variables, now, new Map());
}
