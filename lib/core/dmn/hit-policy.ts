/**
 * From the matched rules' outputs to a decision table's result, per hit policy, in the
 * shape Camunda 8 gives: one output -> its value, several -> an object per rule;
 * single-result policies give one (or null when nothing matched), the others a list
 * (or the COLLECT aggregate).
 */
import type { Json, JsonObject } from '../json.ts';
import type { DecisionTable } from './types.ts';

export interface Match {
  /** 1-based rule index. */
  rule: number;
  outputs: JsonObject;
}

export type TableResult = { ok: true; value: Json } | { ok: false; message: string };

const same = (a: Json, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

function shape(table: DecisionTable, match: Match): Json {
  const [only] = table.outputs;
  return table.outputs.length === 1 && only ? (match.outputs[only.name] ?? null) : match.outputs;
}

/** Rank of a match: for each output with output values, the index of its value (earlier = higher priority). */
function rank(table: DecisionTable, match: Match): number[] {
  return table.outputs.filter((o) => o.values).map((o) => {
    const index = (o.values ?? []).findIndex((v) => same(v, match.outputs[o.name] ?? null));
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  });
}

function byPriority(table: DecisionTable, matches: Match[]): Match[] {
  const ranked = matches.map((m) => ({ m, r: rank(table, m) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.r.length; i++) if ((a.r[i] ?? 0) !== (b.r[i] ?? 0)) return (a.r[i] ?? 0) - (b.r[i] ?? 0);
    return a.m.rule - b.m.rule;
  });
  return ranked.map(({ m }) => m);
}

function aggregate(table: DecisionTable, values: Json[]): TableResult {
  if (table.aggregation === 'COUNT') return { ok: true, value: values.length };
  const present = values.filter((v) => v !== null);
  if (present.some((v) => typeof v !== 'number')) return { ok: false, message: `aggregation ${table.aggregation} needs numbers, got ${JSON.stringify(present)}` };
  const numbers = present as number[];
  if (numbers.length === 0) return { ok: true, value: null };
  if (table.aggregation === 'SUM') return { ok: true, value: numbers.reduce((a, b) => a + b, 0) };
  return { ok: true, value: table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers) };
}

/** @example applyHitPolicy(firstTable, [{ rule: 2, outputs: { discount: 0.1 } }]) // { ok: true, value: 0.1 } */
export function applyHitPolicy(table: DecisionTable, matches: Match[]): TableResult {
  const rules = matches.map((m) => m.rule).join(', ');
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matches.length > 1) return { ok: false, message: `hit policy UNIQUE allows one matching rule, but rules ${rules} match` };
      return { ok: true, value: matches[0] ? shape(table, matches[0]) : null };
    case 'ANY': {
      const [first] = matches;
      if (first && matches.some((m) => !same(m.outputs, first.outputs))) return { ok: false, message: `hit policy ANY needs matching rules to agree, but rules ${rules} give different outputs` };
      return { ok: true, value: first ? shape(table, first) : null };
    }
    case 'FIRST':
      return { ok: true, value: matches[0] ? shape(table, matches[0]) : null };
    case 'PRIORITY': {
      const [top] = byPriority(table, matches);
      return { ok: true, value: top ? shape(table, top) : null };
    }
    case 'OUTPUT ORDER':
      return { ok: true, value: byPriority(table, matches).map((m) => shape(table, m)) };
    case 'RULE ORDER':
      return { ok: true, value: matches.map((m) => shape(table, m)) };
    case 'COLLECT': {
      const values = matches.map((m) => shape(table, m));
      return table.aggregation ? aggregate(table, values) : { ok: true, value: values };
    }
  }
}
