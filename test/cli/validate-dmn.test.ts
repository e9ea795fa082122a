/** `sbpmn validate` on DMN files: compiled as a deploy would, problems named by decision and rule. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sbpmn, validateJson } from './helpers.ts';

const DISCOUNT = 'test/fixtures/dmn/discount.dmn';
const dir = mkdtempSync(join(tmpdir(), 'sbpmn-dmn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sbpmn validate with DMN', () => {
  it('lists the decisions of a valid DMN document', async () => {
    const { code, results } = await validateJson([DISCOUNT]);
    expect(code).toBe(0);
    expect(results).toEqual([{ file: DISCOUNT, ok: true, errors: [], decisions: ['discount'] }]);
    expect((await sbpmn(['validate', DISCOUNT])).stdout).toBe(`✓ ${DISCOUNT} (decisions: discount)\n`);
  });

  it('names the decision, rule and line of an invalid unary test, and exits 1', async () => {
    const broken = join(dir, 'broken.dmn');
    writeFileSync(broken, readFileSync(DISCOUNT, 'utf8').replace('<text>&gt;= 100</text>', '<text>&gt;&gt;5</text>'));
    const { code, results } = await validateJson([broken]);
    expect(code).toBe(1);
    expect(results[0]?.errors).toEqual([{ elementId: 'discount', message: expect.stringMatching(/^rule 1 of decision 'discount': invalid unary test '>>5'/), line: 19 }]);
  });
});
