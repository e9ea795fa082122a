import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EXPRESSION_LIMITS,
  checkSyntax,
  evaluateCondition,
  evaluateFeel,
  evaluateValue,
} from '../../lib/core/expressions/feel.ts';
import type { JsonObject } from '../../lib/core/json.ts';

/** The injected clock of every evaluation below: 2025-06-15T10:30:00Z. */
const NOW = Date.UTC(2025, 5, 15, 10, 30, 0);

function value(text: string, vars: JsonObject = {}): unknown {
  const result = evaluateFeel(text, vars, NOW);
  expect(result).toMatchObject({ ok: true });
  return result.ok ? result.value : undefined;
}

function failure(text: string, vars: JsonObject = {}): string {
  const result = evaluateFeel(text, vars, NOW);
  expect(result).toMatchObject({ ok: false });
  return result.ok ? '' : result.message;
}

function isPolluted(): boolean {
  return 'polluted' in ({} as Record<string, unknown>) || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');
}

describe('evaluateFeel', () => {
  describe('returns plain JSON', () => {
    it.each([
      ['=1 + 2 * 3', 7],
      ['=10 / 4', 2.5],
      ['=-(2 ** 3)', -8],
      ['="order-" + string(42)', 'order-42'],
      ['=upper case("abc")', 'ABC'],
      ['=substring("abcdef", 2, 3)', 'bcd'],
      ['=[1, 2, 3][2]', 2],
      ['=count([1, 2, 3])', 3],
      ['=for x in [1, 2, 3] return x * 2', [2, 4, 6]],
      ['=list contains(["a", "b"], "b")', true],
      ['=not(true)', false],
      ['=null', null],
      ['={a: 1, b: {c: [1, "x", true, null]}}', { a: 1, b: { c: [1, 'x', true, null] } }],
      ['=if 3 > 2 then "big" else "small"', 'big'],
    ])('%s -> %j', (text, expected) => {
      expect(value(text)).toEqual(expected);
    });

    it('reads variables and paths into nested variables', () => {
      const vars = { order: { amount: 120, lines: [{ sku: 'a' }, { sku: 'b' }] } };

      expect(value('=order.amount > 100', vars)).toBe(true);
      expect(value('=order.lines[2].sku', vars)).toBe('b');
      expect(value('=order.lines.sku', vars)).toEqual(['a', 'b']);
    });

    it.each([
      ['=date("2025-01-02")', '2025-01-02'],
      ['=time("10:00:00")', '10:00:00'],
      ['=date and time("2025-01-02T03:04:05Z")', '2025-01-02T03:04:05Z'],
      ['=date and time("2025-01-02T03:04:05+02:00")', '2025-01-02T03:04:05+02:00'],
      ['=duration("P1D")', 'P1D'],
      ['=date("2025-01-31") + duration("P1D")', '2025-02-01'],
      ['=years and months duration(date("2020-01-01"), date("2025-03-01"))', 'P5Y2M'],
    ])('returns the temporal value %s as its ISO 8601 text %j', (text, expected) => {
      const result = value(text);

      expect(result).toBe(expected);
      expect(typeof result).toBe('string');
    });

    it('returns results that survive a JSON round trip unchanged', () => {
      const result = value('={when: date("2025-01-02"), took: duration("PT2H"), items: [1, {x: "y"}]}');

      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      expect(result).toEqual({ when: '2025-01-02', took: 'PT2H', items: [1, { x: 'y' }] });
    });

    it('accepts expressions with or without the leading =', () => {
      expect(value('=1 + 1')).toBe(2);
      expect(value('1 + 1')).toBe(2);
      expect(value('  = 1 + 1')).toBe(2);
    });
  });

  describe('the injected clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('answers now() with the injected time', () => {
      expect(value('=now()')).toBe('2025-06-15T10:30:00Z');
    });

    it('answers today() with the date of the injected time', () => {
      expect(value('=today()')).toBe('2025-06-15');
    });

    it('computes with now() as with any date and time', () => {
      expect(value('=now() + duration("PT1H")')).toBe('2025-06-15T11:30:00Z');
      expect(value('=now() > date and time("2025-01-01T00:00:00Z")')).toBe(true);
    });

    it('gives the same output for the same input whatever the real time is', () => {
      const expression = '={at: now(), day: today(), later: now() + duration("P1D")}';
      const first = evaluateFeel(expression, {}, NOW);

      vi.useFakeTimers();
      vi.setSystemTime(new Date('2001-09-09T01:46:40Z'));
      const second = evaluateFeel(expression, {}, NOW);
      vi.setSystemTime(new Date('2099-12-31T23:59:59Z'));
      const third = evaluateFeel(expression, {}, NOW);

      expect(first).toEqual({ ok: true, value: { at: '2025-06-15T10:30:00Z', day: '2025-06-15', later: '2025-06-16T10:30:00Z' } });
      expect(second).toEqual(first);
      expect(third).toEqual(first);
    });

    it('answers now() from the clock even when a variable is called now', () => {
      expect(value('=now()', { now: 'not the clock' })).toBe('2025-06-15T10:30:00Z');
    });
  });

  describe('the sandbox', () => {
    it.each(['constructor', '__proto__', 'prototype'])('refuses %s as a variable name', (name) => {
      const message = failure(`=${name}`, { [name]: 1 } as JsonObject);

      expect(message).toContain(name);
      expect(message).toMatch(/not allowed/);
    });

    it.each(['constructor', '__proto__', 'prototype'])('refuses %s as a path segment', (name) => {
      expect(failure(`=a.${name}`, { a: { x: 1 } })).toContain(name);
      expect(failure(`=a.${name}.name`, { a: { x: 1 } })).toContain(name);
      expect(failure(`=(a).${name}`, { a: { x: 1 } })).toContain(name);
    });

    it.each(['constructor', '__proto__', 'prototype'])('refuses %s as a context key', (name) => {
      expect(failure(`={${name}: 1}`)).toContain(name);
    });

    it('never resolves constructor through a quoted key or get value()', () => {
      expect(value('={"constructor": 1}')).toEqual({});
      expect(value('=get value(a, "constructor")', { a: { x: 1 } })).toBeNull();
      expect(value('=get value(a, "__proto__")', { a: { x: 1 } })).toBeNull();
    });

    it('does not expose a __proto__ variable that came out of JSON.parse', () => {
      const vars = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as JsonObject;

      expect(value('=x', vars)).toBe(1);
      expect(failure('=polluted', vars)).toContain('polluted');
      expect(isPolluted()).toBe(false);
    });

    it('does not pollute Object.prototype through variables or context functions', () => {
      const vars = JSON.parse('{"a": {"__proto__": {"polluted": true}, "b": 1}}') as JsonObject;

      const results = [
        evaluateFeel('=a', vars, NOW),
        evaluateFeel('=a.b', vars, NOW),
        evaluateFeel('=context merge(a, {c: 2})', vars, NOW),
        evaluateFeel('=context put({}, "__proto__", {polluted: true})', {}, NOW),
        evaluateFeel('=context put({}, ["__proto__", "polluted"], true)', {}, NOW),
        evaluateFeel('=context([{key: "__proto__", value: {polluted: true}}])', {}, NOW),
        evaluateFeel('={"__proto__": {"polluted": true}}', {}, NOW),
      ];

      expect(isPolluted()).toBe(false);
      for (const result of results) {
        if (result.ok) expect(JSON.stringify(result.value)).not.toContain('polluted');
      }
      expect(results[0]).toEqual({ ok: true, value: { b: 1 } });
    });
  });

  describe('the budget', () => {
    it(`refuses expressions longer than ${EXPRESSION_LIMITS.maxLength} characters`, () => {
      const long = `=${'1 + '.repeat(3000)}1`;

      const message = failure(long);

      expect(message).toContain(String(EXPRESSION_LIMITS.maxLength));
    });

    it('refuses a range over a huge literal bound, naming the limit', () => {
      const message = failure('=for i in 1..100000000 return i');

      expect(message).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(message).toMatch(/iterate/);
    });

    it('refuses a range over a huge variable bound, naming the limit', () => {
      expect(failure('=for i in 1..n return i', { n: 100_000_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(failure('=for i in n..1 return i', { n: 100_000_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(failure('=count(for i in 1..n return i)', { n: 100_000_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
    });

    it('refuses some/every quantifiers over huge ranges', () => {
      expect(failure('=some i in 1..200000000 satisfies i < 0')).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(failure('=every i in 1..n satisfies i > 0', { n: 200_000_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
    });

    it('accepts a range within the limit', () => {
      expect(value('=count(for i in 1..1000 return i)')).toBe(1000);
      expect(value('=count(for i in 1..n return i)', { n: 1000 })).toBe(1000);
    });

    // Bug (lib/core/expressions/feel.ts iterationCount): a bound that is not a literal or a
    // plain variable name (a path, a parenthesised or computed bound) is not counted.
    it('refuses a range whose bound is a path into a variable', () => {
      const message = failure('=count(for i in 1..a.n return i)', { a: { n: 200_000 } });

      expect(message).toContain(String(EXPRESSION_LIMITS.maxIterations));
    });

    it('refuses a range whose bound is computed', () => {
      expect(failure('=count(for i in 1..(n) return i)', { n: 200_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(failure('=count(for i in 1..n + 0 return i)', { n: 200_000 })).toContain(String(EXPRESSION_LIMITS.maxIterations));
    });

    // Bug: nested iteration contexts multiply; iterationCount adds them (400 + 400).
    it('refuses nested ranges whose product exceeds the limit', () => {
      expect(failure('=count(for i in 1..400, j in 1..400 return 1)')).toContain(String(EXPRESSION_LIMITS.maxIterations));
      expect(failure('=count(for i in 1..400 return count(for j in 1..400 return 1))')).toContain(String(EXPRESSION_LIMITS.maxIterations));
    });

    // Bug: user-defined functions can recurse; f(n) below makes 2^n calls with no loop at all,
    // so f(40) never ends. f(17) (131,072 calls) must already be over the budget.
    it('refuses recursion that exceeds the budget', () => {
      const message = failure('={f: function(n) if n = 0 then 1 else f(n - 1) + f(n - 1)}.f(17)');

      expect(message).toMatch(/limit|budget|recurs|not allowed/i);
    });

    it('refuses a huge result, naming the limit', () => {
      const vars = { s: 'x'.repeat(20_000), l: Array.from({ length: 100 }, (_, i) => i) };

      const message = failure('=for i in l return s', vars);

      expect(message).toContain(String(EXPRESSION_LIMITS.maxResultBytes));
    });
  });

  describe('failures are values', () => {
    it.each(['=a +', '=if a then', '=(', '=[1, 2', '={a: }', '="unterminated', '=1 +* 2', '=', '', '=\u0000'])(
      'returns ok:false for %j without throwing',
      (text) => {
        let result: ReturnType<typeof evaluateFeel> | undefined;

        expect(() => {
          result = evaluateFeel(text, {}, NOW);
        }).not.toThrow();

        expect(result).toMatchObject({ ok: false });
        expect(result?.ok === false && result.message.length > 0).toBe(true);
      },
    );

    it('names the missing variable', () => {
      expect(failure('=missing + 1')).toContain('missing');
    });

    it('names what went wrong in a failed operation', () => {
      expect(failure('="a" * 3')).toMatch(/multiply/i);
    });

    it('refuses function definitions, which could recurse without bound', () => {
      expect(failure('=function(x) x + 1')).toMatch(/function definitions are not allowed/);
      expect(failure('={f: function(x) x}')).toMatch(/function definitions are not allowed/);
    });

    it('turns a stack overflow into a failure', () => {
      const message = failure('={f: function(n) if n = 0 then 0 else f(n - 1)}.f(100000)');

      expect(message.length).toBeGreaterThan(0);
    });
  });
});

describe('evaluateValue', () => {
  it('returns a static value unchanged', () => {
    expect(evaluateValue('kyc-check', {}, NOW)).toEqual({ ok: true, value: 'kyc-check' });
    expect(evaluateValue('a + 1', { a: 1 }, NOW)).toEqual({ ok: true, value: 'a + 1' });
  });

  it('evaluates a value that starts with = as FEEL', () => {
    expect(evaluateValue('="kyc-" + region', { region: 'eu' }, NOW)).toEqual({ ok: true, value: 'kyc-eu' });
  });

  it('returns a FEEL failure as a value', () => {
    expect(evaluateValue('=a +', {}, NOW)).toMatchObject({ ok: false });
  });
});

describe('evaluateCondition', () => {
  it('returns the boolean value', () => {
    expect(evaluateCondition('=amount > 100', { amount: 120 }, NOW)).toEqual({ ok: true, value: true });
    expect(evaluateCondition('=amount > 100', { amount: 80 }, NOW)).toEqual({ ok: true, value: false });
  });

  it('fails on a missing variable, naming it', () => {
    const result = evaluateCondition('=amount > 100', {}, NOW);

    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? '' : result.message).toContain('amount');
  });

  // As in Camunda 8 (FEEL's null-friendly equality): a missing variable is null, and
  // `null = "approved"` is false, so models written for Camunda take the same branch here.
  it('treats a missing variable compared for equality as null = value, which is false', () => {
    const result = evaluateCondition('=status = "approved"', {}, NOW);

    expect(result).toEqual({ ok: true, value: false });
  });

  it('fails on a missing nested key, naming it', () => {
    const result = evaluateCondition('=order.total > 1', { order: {} }, NOW);

    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? '' : result.message).toContain('total');
  });

  it.each([
    ['=1', '1'],
    ['="yes"', '"yes"'],
    ['=null', 'null'],
    ['=[true]', '[true]'],
  ])('fails on the non-boolean result of %s', (text, shown) => {
    const result = evaluateCondition(text, {}, NOW);

    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? '' : result.message).toMatch(/must be a boolean/);
    expect(result.ok ? '' : result.message).toContain(shown);
  });

  it('returns a syntax error as a failure', () => {
    expect(evaluateCondition('=amount >', { amount: 1 }, NOW)).toMatchObject({ ok: false });
  });
});

describe('checkSyntax', () => {
  it.each(['=a + 1', 'a + 1', '=if a then b else c', '={x: [1, 2], y: date("2025-01-01")}', '=for i in 1..3 return i * 2'])(
    'accepts %j',
    (text) => {
      expect(checkSyntax(text)).toBeNull();
    },
  );

  it.each([
    ['=a +', /syntax error/],
    ['=if a then', /syntax error/],
    ['=', /empty/],
    ['', /empty/],
    ['=   ', /empty/],
  ])('refuses %j', (text, pattern) => {
    expect(checkSyntax(text)).toMatch(pattern);
  });

  it('quotes the expression and the position of a syntax error', () => {
    const message = checkSyntax('=a +');

    expect(message).toContain("'a +'");
    expect(message).toMatch(/\d/);
  });

  it.each(['=constructor', '=a.constructor', '={constructor: 1}', '=__proto__', '=a.__proto__', '=prototype', '=x.prototype.y'])(
    'refuses the forbidden name in %j',
    (text) => {
      expect(checkSyntax(text)).toMatch(/(constructor|__proto__|prototype).*not allowed/);
    },
  );

  it(`refuses expressions longer than ${EXPRESSION_LIMITS.maxLength} characters`, () => {
    expect(checkSyntax(`=${'x'.repeat(EXPRESSION_LIMITS.maxLength + 1)}`)).toContain(String(EXPRESSION_LIMITS.maxLength));
  });

  it('never throws', () => {
    for (const text of ['=(((', '=]]]', '=\u0000', '="', '=1..', '=for in return', '=function(', `=${'('.repeat(5000)}`]) {
      expect(() => checkSyntax(text)).not.toThrow();
      expect(checkSyntax(text)).not.toBeNull();
    }
  });
});
