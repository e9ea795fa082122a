/**
 * Parsing the arguments of the API commands: `--var k=v` (repeatable), `--vars-json`,
 * whole numbers. Bad input is a commander InvalidArgumentError: a usage error, exit 2.
 */
import { InvalidArgumentError } from 'commander';
import { isJsonObject, type Json, type JsonObject } from '../core/json.ts';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function checkName(name: string): void {
  if (name === '') throw new InvalidArgumentError('expected k=v with a non-empty name k.');
  if (FORBIDDEN.has(name)) throw new InvalidArgumentError(`'${name}' cannot be a variable name.`);
}

/** `v` as JSON when it parses (`42`, `true`, `{"a":1}`, `"x"`), else as the string itself. */
export function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/**
 * The argParser of a repeatable `--var k=v`: adds one variable to those before it.
 *
 * @example collectVar('score=700', {}) // { score: 700 }
 * @example collectVar('id=007', {}) // { id: '007' } (not JSON)
 */
export function collectVar(text: string, previous: JsonObject = {}): JsonObject {
  const eq = text.indexOf('=');
  if (eq < 0) throw new InvalidArgumentError('expected k=v.');
  const name = text.slice(0, eq).trim();
  checkName(name);
  return { ...previous, [name]: parseValue(text.slice(eq + 1)) };
}

/** The argParser of `--vars-json '{...}'`: a JSON object. */
export function parseVarsJson(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!isJsonObject(value)) throw new InvalidArgumentError('expected a JSON object, like {"a": 1}.');
  for (const name of Object.keys(value)) checkName(name);
  return value;
}

/** The argParser of a whole number >= `min` (a version, milliseconds, a count). */
export function wholeNumber(min = 0): (text: string) => number {
  return (text) => {
    const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(`expected a whole number >= ${min}.`);
    return value;
  };
}
