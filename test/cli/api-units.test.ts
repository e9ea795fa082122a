/** The parts of the API commands: variables from the command line, tables. */
import { describe, expect, it } from 'vitest';
import { cell, keyValues, objectTable, table, time } from '../../lib/cli/table.ts';
import { collectVar, parseValue, parseVarsJson, wholeNumber } from '../../lib/cli/vars.ts';

describe('--var k=v', () => {
  it('takes v as JSON when it parses, else as text', () => {
    expect(['42', '-1.5', 'true', 'null', '"q"', '{"a":[1]}', '007', 'hello', '', '{oops', ' 7 '].map(parseValue))
      .toEqual([42, -1.5, true, null, 'q', { a: [1] }, '007', 'hello', '', '{oops', 7]);
  });

  it('splits at the first =, so values may hold = too, and the last --var of a name wins', () => {
    const vars = ['expr=a=b', 'n=1', 'n=2'].reduce((acc, text) => collectVar(text, acc), {});

    expect(vars).toEqual({ expr: 'a=b', n: 2 });
  });

  it('refuses names that would touch prototypes, and JSON that is not an object', () => {
    expect(() => collectVar('constructor=1')).toThrow("'constructor' cannot be a variable name.");
    expect(() => parseVarsJson('{"__proto__":{"x":1}}')).toThrow("'__proto__' cannot be a variable name.");
    expect(() => parseVarsJson('"text"')).toThrow('expected a JSON object');
  });

  it('reads whole numbers only', () => {
    expect(wholeNumber(1)('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', '1e3', 'ten', '', '99999999999999999999']) expect(() => wholeNumber(1)(bad)).toThrow('expected a whole number >= 1.');
  });
});

describe('tables', () => {
  it('aligns columns without trailing spaces', () => {
    expect(table(['A', 'LONG HEADER', 'C'], [['xxxx', 'y', ''], ['z', '', 'w']])).toBe('A     LONG HEADER  C\nxxxx  y\nz                  w\n');
  });

  it('makes cells short, single-line and inert', () => {
    expect(cell(null)).toBe('-');
    expect(cell([])).toBe('-');
    expect(cell(['sales', 'ops'])).toBe('sales, ops');
    expect(cell({ a: 1 })).toBe('{"a":1}');
    expect(cell('x'.repeat(100))).toBe(`${'x'.repeat(79)}…`);
    expect(cell('a\nb\u001b')).toBe('a\\u{a}b\\u{1b}');
    expect(time(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('picks the preferred columns an object list has, and lists plain values one per line', () => {
    expect(objectTable([{ jobId: 'j1', extra: { x: 1 } }], ['jobId', 'type'])).toBe('JOB ID\nj1\n');
    expect(objectTable([{ a: 1, b: { x: 1 } }], ['jobId'])).toBe('A\n1\n');
    expect(objectTable(['Task_1', 'Task_2'], [], '  ')).toBe('  Task_1\n  Task_2\n');
    expect(keyValues([['a', '1'], ['long', '']])).toBe('a     1\nlong\n');
  });
});
