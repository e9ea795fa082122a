import { describe, expect, it } from 'vitest';
import { compileDmn } from '../../../lib/core/dmn/compile.ts';
import { evaluateDecision } from '../../../lib/core/dmn/evaluate.ts';
import type { DmnDefinitions } from '../../../lib/core/dmn/types.ts';
import type { JsonObject } from '../../../lib/core/json.ts';
import { dmn, literalDecision, table, tableDecision, type TableSpec } from './helpers.ts';

const NOW = Date.UTC(2026, 0, 15);

async function compiled(xml: string): Promise<DmnDefinitions> {
  const result = await compileDmn(xml);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.definitions;
}

async function decide(spec: TableSpec, vars: JsonObject): Promise<unknown> {
  const outcome = evaluateDecision(await compiled(table({ id: 'd', ...spec })), 'd', vars, NOW);
  return outcome.ok ? outcome.value : `failed: ${outcome.message}`;
}

/** One input `x`, one output: which rule's output a value of x selects (FIRST). */
const matching = (entries: string[]) => (x: unknown) =>
  decide({ hitPolicy: 'FIRST', inputs: ['x'], outputs: ['rule'], rules: entries.map((e, i) => [[e], [`"${i + 1}: ${e.replace(/"/g, "'")}"`]]) }, { x } as JsonObject);

describe('unary tests', () => {
  it('compare numbers', async () => {
    const rule = matching(['< 10', '<= 20', '> 100', '>= 50', '30']);
    expect(await Promise.all([5, 20, 150, 50, 30, 40].map(rule))).toEqual(['1: < 10', '2: <= 20', '3: > 100', '4: >= 50', '5: 30', null]);
  });

  it('test ranges with open and closed ends', async () => {
    const rule = matching(['[1..5]', ']5..10[', '(10..20]']);
    expect(await Promise.all([1, 5, 6, 10, 20, 21].map(rule))).toEqual(['1: [1..5]', '1: [1..5]', '2: ]5..10[', null, '3: (10..20]', null]);
  });

  it('test lists, negation and the any-value dash', async () => {
    const rule = matching(['"gold","silver"', 'not("bronze")', '-']);
    expect(await Promise.all(['silver', 'iron', 'bronze'].map(rule))).toEqual(["1: 'gold','silver'", "2: not('bronze')", '3: -']);
  });

  it('compare strings and dates (ISO text converted by the input typeRef)', async () => {
    const rule = matching(['"vip"', '< date("2026-01-01")', '>= date("2026-01-01")']);
    expect(await rule('vip')).toBe("1: 'vip'");
    const byDate = (x: string) => decide({ hitPolicy: 'FIRST', inputs: ['date(x)'], outputs: ['when'], rules: [[['< date("2026-01-01")'], ['"before"']], [['>= date("2026-01-01")'], ['"after"']]] }, { x });
    expect(await byDate('2025-12-31')).toBe('before');
    expect(await byDate('2026-03-01')).toBe('after');
    const byTypeRef = (x: string) => decide({ hitPolicy: 'FIRST', inputs: ['x'], inputTypes: ['date'], outputs: ['when'], rules: [[['[date("2026-01-01")..date("2026-01-31")]'], ['"january"']], [['-'], ['"other"']]] }, { x });
    expect(await byTypeRef('2026-01-20')).toBe('january');
    expect(await byTypeRef('2026-02-01')).toBe('other');
  });

  it('see variables and the input value as ?', async () => {
    const rule = matching(['> limit', '? * 2 = 8']);
    expect(await decide({ hitPolicy: 'FIRST', inputs: ['x'], outputs: ['r'], rules: [[['> limit'], ['"over"']], [['? * 2 = 8'], ['"four"']]] }, { x: 4, limit: 10 })).toBe('four');
    expect(await rule(0)).toBeNull();
  });
});

describe('hit policies', () => {
  const grades: Omit<TableSpec, 'hitPolicy'> = {
    inputs: ['score'], outputs: ['grade:"A","B","C"'],
    rules: [[['>= 50'], ['"C"']], [['>= 80'], ['"A"']], [['>= 70'], ['"B"']]],
  };

  it('UNIQUE gives the one matching rule, null when none, and fails when several match', async () => {
    const unique = { inputs: ['x'], outputs: ['r'], rules: [[['< 0'], ['"negative"']], [['>= 0'], ['"positive"']], [['0'], ['"zero"']]] } satisfies TableSpec;
    expect(await decide(unique, { x: -3 })).toBe('negative');
    expect(await decide({ ...unique, rules: unique.rules.slice(0, 1) }, { x: 3 })).toBeNull();
    expect(await decide(unique, { x: 0 })).toBe("failed: decision 'd': hit policy UNIQUE allows one matching rule, but rules 2, 3 match");
  });

  it('FIRST gives the first matching rule in rule order', async () => {
    expect(await decide({ hitPolicy: 'FIRST', ...grades }, { score: 85 })).toBe('C');
  });

  it('PRIORITY gives the matching rule whose output comes first in the output values', async () => {
    expect(await decide({ hitPolicy: 'PRIORITY', ...grades }, { score: 85 })).toBe('A');
    expect(await decide({ hitPolicy: 'PRIORITY', ...grades }, { score: 75 })).toBe('B');
  });

  it('OUTPUT ORDER lists every match by output value priority; RULE ORDER by rule order', async () => {
    expect(await decide({ hitPolicy: 'OUTPUT ORDER', ...grades }, { score: 85 })).toEqual(['A', 'B', 'C']);
    expect(await decide({ hitPolicy: 'RULE ORDER', ...grades }, { score: 85 })).toEqual(['C', 'A', 'B']);
    expect(await decide({ hitPolicy: 'RULE ORDER', ...grades }, { score: 10 })).toEqual([]);
  });

  it('ANY gives the agreed output, and fails when matching rules disagree', async () => {
    const any = { hitPolicy: 'ANY', inputs: ['x'], outputs: ['ok'], rules: [[['> 0'], ['true']], [['> 10'], ['true']], [['> 100'], ['false']]] } satisfies TableSpec;
    expect(await decide(any, { x: 50 })).toBe(true);
    expect(await decide(any, { x: 500 })).toBe("failed: decision 'd': hit policy ANY needs matching rules to agree, but rules 1, 2, 3 give different outputs");
  });

  it('COLLECT lists the outputs, or aggregates them with SUM, MIN, MAX and COUNT', async () => {
    const fees = { inputs: ['amount'], outputs: ['fee'], rules: [[['> 0'], ['5']], [['> 100'], ['amount * 0.1']], [['> 1000'], ['20']]] } satisfies TableSpec;
    const collect = (aggregation?: string) => decide({ hitPolicy: 'COLLECT', ...(aggregation ? { aggregation } : {}), ...fees }, { amount: 2000 });
    expect(await collect()).toEqual([5, 200, 20]);
    expect(await collect('SUM')).toBe(225);
    expect(await collect('MIN')).toBe(5);
    expect(await collect('MAX')).toBe(200);
    expect(await collect('COUNT')).toBe(3);
    expect(await decide({ hitPolicy: 'COLLECT', aggregation: 'SUM', ...fees }, { amount: 0 })).toBeNull();
  });

  it('gives an object per rule when the table has several outputs', async () => {
    const spec = { hitPolicy: 'RULE ORDER', inputs: ['x'], outputs: ['label', 'size'], rules: [[['> 0'], ['"small"', 'x']], [['> 5'], ['"big"', '']]] } satisfies TableSpec;
    expect(await decide(spec, { x: 7 })).toEqual([{ label: 'small', size: 7 }, { label: 'big', size: null }]);
    expect(await decide({ ...spec, hitPolicy: 'FIRST' }, { x: 7 })).toEqual({ label: 'small', size: 7 });
  });
});

describe('decisions', () => {
  it('evaluates required decisions first, their results visible under their ids', async () => {
    const defs = await compiled(dmn(
      literalDecision('total', 'sum(for item in items return item.price)'),
      tableDecision({ id: 'discount', requires: ['total'], hitPolicy: 'FIRST', inputs: ['total'], outputs: ['rate'], rules: [[['>= 100'], ['0.1']], [['-'], ['0']]] }),
      literalDecision('toPay', 'total * (1 - discount)', ['total', 'discount']),
    ));
    expect(evaluateDecision(defs, 'toPay', { items: [{ price: 80 }, { price: 40 }] }, NOW)).toEqual({ ok: true, value: 108 });
  });

  it('evaluates a literal expression with the injected clock', async () => {
    const defs = await compiled(dmn(literalDecision('year', 'today().year')));
    expect(evaluateDecision(defs, 'year', {}, NOW)).toEqual({ ok: true, value: 2026 });
  });

  it('fails, naming the decision, for an unknown decision or an expression that cannot run', async () => {
    const defs = await compiled(dmn(literalDecision('f', '(function(n) n)(1)'), literalDecision('loop', 'for i in 1..1000000 return i')));
    expect(evaluateDecision(defs, 'nope', {}, NOW)).toEqual({ ok: false, message: "decision 'nope' is not in DMN document 'Definitions_1'" });
    expect(evaluateDecision(defs, 'constructor', {}, NOW)).toEqual({ ok: false, message: "decision 'constructor' is not in DMN document 'Definitions_1'" });
    expect(evaluateDecision(defs, 'f', {}, NOW)).toMatchObject({ ok: false, message: expect.stringMatching(/^decision 'f': .*function definitions are not allowed/) });
    expect(evaluateDecision(defs, 'loop', {}, NOW)).toMatchObject({ ok: false, message: expect.stringMatching(/^decision 'loop': .*would iterate 1000000 times/) });
  });
});
