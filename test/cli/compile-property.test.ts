/**
 * Property: whatever a file turns into (truncated, with stray bytes, with ranges cut
 * out, with attribute values swapped), `compileBpmn` resolves to a result. It never
 * rejects, and every error is a plain { elementId, message, line? } problem.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBpmn, type CompileResult } from '../../lib/core/bpmn/model/compile.ts';

const example = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

type Mutation = (xml: string) => string;

/** Positions are fractions of the length (uniform, so they stay in range after other mutations). */
const position = fc.noBias(fc.integer({ min: 0, max: 10_000 })).map((n) => n / 10_001);
const at = (xml: string, fraction: number): number => Math.floor(fraction * xml.length);

/** Characters that matter to XML, plus arbitrary code points and raw bytes. */
const junk = fc.oneof(
  fc.constantFrom('<', '>', '&', '"', "'", '/', '=', '<!', '<?', '?>', ']]>', '<![CDATA[', '&#0;', '&amp', '\u0000', '\uFEFF', '\uD800', '\r\n', 'xmlns:a="b"'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  fc.integer({ min: 0, max: 255 }).map((byte) => String.fromCharCode(byte)),
);

const truncate = position.map((p): Mutation => (xml) => xml.slice(0, at(xml, p)));
const insert = fc.tuple(position, junk).map(([p, text]): Mutation => (xml) => xml.slice(0, at(xml, p)) + text + xml.slice(at(xml, p)));
const remove = fc.tuple(position, fc.integer({ min: 1, max: 400 })).map(([p, length]): Mutation => (xml) => xml.slice(0, at(xml, p)) + xml.slice(at(xml, p) + length));
const swapValues = fc.tuple(position, position).map(([a, b]): Mutation => (xml) => {
  const values = [...xml.matchAll(/="([^"]*)"/g)].map((m) => ({ start: (m.index ?? 0) + 2, text: m[1] ?? '' }));
  const first = values[Math.floor(a * values.length)];
  const second = values[Math.floor(b * values.length)];
  if (!first || !second || first.start >= second.start) return xml;
  const end = (v: { start: number; text: string }): number => v.start + v.text.length;
  return xml.slice(0, first.start) + second.text + xml.slice(end(first), second.start) + first.text + xml.slice(end(second));
});

const mutated = fc.array(fc.oneof(truncate, insert, remove, swapValues), { minLength: 1, maxLength: 4 })
  .map((mutations) => mutations.reduce((xml, mutate) => mutate(xml), example));

function expectResult(result: CompileResult): void {
  if (result.ok) {
    expect(Array.isArray(result.processes)).toBe(true);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.elementId === null || typeof error.elementId === 'string').toBe(true);
    expect(error.line === undefined || (Number.isInteger(error.line) && error.line > 0)).toBe(true);
  }
}

describe('compileBpmn on damaged input', () => {
  it('compiles the unmutated example (the property starts from a valid model)', async () => {
    expect((await compileBpmn(example)).ok).toBe(true);
  });

  it('always resolves to { ok: true } or { ok: false, errors } for a mutated example', async () => {
    await fc.assert(fc.asyncProperty(mutated, async (xml) => expectResult(await compileBpmn(xml))), { numRuns: 200 });
  }, 60_000);

  it('always resolves for arbitrary text', async () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => `<${s}`));
    await fc.assert(fc.asyncProperty(text, async (xml) => expectResult(await compileBpmn(xml))), { numRuns: 200 });
  }, 60_000);
});
