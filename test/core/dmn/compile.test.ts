import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDmn } from '../../../lib/core/dmn/compile.ts';
import { isDmnXml } from '../../../lib/core/dmn/parse.ts';
import { dmn, literalDecision, table, tableDecision } from './helpers.ts';

async function problems(xml: string): Promise<string[]> {
  const result = await compileDmn(xml);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors.map((e) => e.message);
}

describe('compileDmn', () => {
  it('compiles a Camunda Modeler decision table to plain data', async () => {
    const xml = readFileSync(new URL('../../fixtures/dmn/discount.dmn', import.meta.url), 'utf8');
    const result = await compileDmn(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const discount = result.definitions.decisions['discount'];
    expect(discount).toMatchObject({ id: 'discount', name: 'Discount', versionTag: 'v1', requires: [] });
    expect(discount?.logic).toMatchObject({
      type: 'table', hitPolicy: 'FIRST', aggregation: null,
      inputs: [{ label: 'Customer', expression: 'customer', typeRef: 'string' }, { label: 'Amount', expression: 'amount', typeRef: 'number' }],
      outputs: [{ name: 'discount', typeRef: 'number', values: null }],
    });
    expect(JSON.parse(JSON.stringify(result.definitions))).toEqual(result.definitions);
  });

  it('tells DMN from BPMN by the root namespace', () => {
    expect(isDmnXml(table({ inputs: ['a'], outputs: ['b'], rules: [] }))).toBe(true);
    expect(isDmnXml('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>')).toBe(false);
  });

  it('names the decision and rule of an invalid unary test', async () => {
    const xml = table({ id: 'discount', inputs: ['amount'], outputs: ['rate'], rules: [[['> 1'], ['1']], [['< 1'], ['2']], [['>>5'], ['3']]] });
    const [message] = await problems(xml);
    expect(message).toMatch(/^rule 3 of decision 'discount': invalid unary test '>>5'/);
  });

  it('refuses FEEL syntax errors in inputs, outputs and literal expressions', async () => {
    const xml = dmn(
      tableDecision({ id: 'a', inputs: ['amount +'], outputs: ['rate'], rules: [[['-'], ['1 +']]] }),
      literalDecision('b', 'x *'),
    );
    const found = await problems(xml);
    expect(found).toEqual([
      expect.stringMatching(/^decision 'a': input 1 'in0': invalid input expression 'amount \+'/),
      expect.stringMatching(/^rule 1 of decision 'a': invalid output entry '1 \+'/),
      expect.stringMatching(/^decision 'b': invalid literal expression 'x \*'/),
    ]);
  });

  it('refuses entries that do not fit the columns', async () => {
    const found = await problems(table({ id: 'd', inputs: ['a', 'b'], outputs: ['x'], rules: [[['1'], ['1', '2']]] }));
    expect(found).toEqual(["rule 1 of decision 'd' has 1 input entries for 2 inputs", "rule 1 of decision 'd' has 2 output entries for 1 outputs"]);
  });

  it('refuses unsupported hit policies and aggregations with a clear problem', async () => {
    expect(await problems(table({ id: 'd', hitPolicy: 'UNORDERED', inputs: ['a'], outputs: ['x'], rules: [] })))
      .toEqual(["decision 'd': hit policy 'UNORDERED' is not supported (supported: UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER)"]);
    expect(await problems(table({ id: 'd', hitPolicy: 'COLLECT', aggregation: 'AVG', inputs: ['a'], outputs: ['x'], rules: [] })))
      .toEqual(["decision 'd': aggregation 'AVG' is not supported (supported: SUM, MIN, MAX, COUNT)"]);
    expect(await problems(table({ id: 'd', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['a'], outputs: ['x'], rules: [] })))
      .toEqual(["decision 'd': aggregation SUM needs hit policy COLLECT, not FIRST"]);
    expect(await problems(table({ id: 'd', hitPolicy: 'PRIORITY', inputs: ['a'], outputs: ['x'], rules: [] })))
      .toEqual(["decision 'd': hit policy PRIORITY needs output values on an output (they give the priority)"]);
  });

  it('refuses required decisions that are missing or form a cycle', async () => {
    expect(await problems(dmn(literalDecision('a', '1', ['missing'])))).toEqual(["decision 'a' requires decision 'missing', which is not in this document"]);
    expect(await problems(dmn(literalDecision('a', 'b', ['b']), literalDecision('b', 'a', ['a']))))
      .toEqual(['decisions require each other in a cycle: a -> b -> a']);
  });

  describe('hostile and malformed XML', () => {
    it('refuses DOCTYPE and ENTITY declarations before parsing', async () => {
      const xml = `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n${dmn(literalDecision('a', '1')).split('\n').slice(1).join('\n')}`;
      expect(await problems(xml)).toEqual([expect.stringMatching(/^DOCTYPE declarations are not allowed in DMN documents/)]);
    });

    it('refuses documents over the size limit', async () => {
      const xml = dmn(literalDecision('a', '1')).replace('</definitions>', `<!--${'x'.repeat(2 * 1024 * 1024)}--></definitions>`);
      expect(await problems(xml)).toEqual([expect.stringMatching(/^DMN document is \d+ bytes; the limit is/)]);
    });

    it('refuses malformed XML and unknown elements (parser warnings are problems)', async () => {
      expect(await problems(dmn(literalDecision('a', '1')).replace('</decision>', ''))).toEqual([expect.stringMatching(/^malformed DMN XML/)]);
      expect(await problems(dmn(literalDecision('a', '1')).replace('</decision>', '<bogus /></decision>'))).toEqual([expect.stringMatching(/unparsable content <bogus/)]);
    });

    it('refuses DMN 1.1 with the namespace it needs', async () => {
      const xml = dmn(literalDecision('a', '1')).replace('https://www.omg.org/spec/DMN/20191111/MODEL/', 'http://www.omg.org/spec/DMN/20151101/dmn.xsd');
      expect(await problems(xml)).toEqual([expect.stringMatching(/DMN namespace 'http:\/\/www.omg.org\/spec\/DMN\/20151101\/dmn.xsd' is not supported: deploy DMN 1.3/)]);
    });
  });
});
