/**
 * FEEL expressions through `feelin`, sandboxed.
 *
 * - The context holds plain JSON data only (variables come out of JSON state);
 *   `constructor`, `__proto__` and `prototype` never resolve to anything.
 * - `now()` and `today()` read the injected clock, so evaluation is deterministic.
 * - A budget bounds every evaluation without wall-clock time (which would make the
 *   core non-deterministic): the expression length, the number of iterations its
 *   `for`/`some`/`every` ranges can produce, and the size of the result. feelin is
 *   a tree-walking interpreter with no loops other than those ranges and lists,
 *   so these bound its work.
 * - Failures are values (`{ ok: false, message }`): the caller turns them into
 *   incidents. Nothing here throws for bad input. Never `eval`/`new Function`/`vm`.
 */
import { evaluate as feelEvaluate, parseExpression, parseUnaryTests, unaryTest as feelUnaryTest } from 'feelin';
import type { Json, JsonObject } from '../json.ts';
import { toJson } from '../json.ts';

export const EXPRESSION_LIMITS = {
  maxLength: 8 * 1024,
  maxIterations: 100_000,
  maxResultBytes: 1024 * 1024,
} as const;

export type FeelResult = { ok: true; value: Json } | { ok: false; message: string };

const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype']);

/** `=a + 1` -> `a + 1`; static strings stay static. */
export function isExpression(text: string): boolean {
  return text.trimStart().startsWith('=');
}

function body(text: string): string {
  const trimmed = text.trimStart();
  return trimmed.startsWith('=') ? trimmed.slice(1) : trimmed;
}

/**
 * Checks the syntax of a FEEL expression (with or without the leading `=`).
 * Returns null when valid, otherwise a message naming the problem.
 *
 * @example checkSyntax('=a +') // "FEEL syntax error at 3: '=a +'"
 */
export function checkSyntax(text: string): string | null {
  return syntaxOf(body(text), parseExpression);
}

/** Checks FEEL unary tests (a DMN input entry such as `> 5, [1..3]`); null when valid. */
export function checkUnaryTestsSyntax(source: string): string | null {
  return syntaxOf(source, parseUnaryTests);
}

function syntaxOf(source: string, parse: typeof parseExpression): string | null {
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    return `FEEL expression is longer than ${EXPRESSION_LIMITS.maxLength} characters`;
  }
  if (source.trim() === '') return 'FEEL expression is empty';
  let problem: string | null = null;
  try {
    const tree = parse(source, {}, undefined);
    tree.iterate({
      enter(node) {
        if (problem) return false;
        if (node.type.isError) {
          problem = `FEEL syntax error at ${node.from}: '${source}'`;
          return false;
        }
        if (node.type.name === 'Identifier' && FORBIDDEN_NAMES.has(source.slice(node.from, node.to))) {
          problem = `FEEL name '${source.slice(node.from, node.to)}' is not allowed`;
          return false;
        }
        return undefined;
      },
    });
  } catch (error) {
    problem = `FEEL syntax error: ${(error as Error).message}`;
  }
  return problem;
}

/** Iterations assumed for a range or list whose size cannot be known before running. */
const UNKNOWN_SIZE = 100;
const MAX_DEPTH = 3;

class BudgetExceeded extends Error {}

type Node = ReturnType<typeof parseExpression>['topNode'];

function children(node: Node): Node[] {
  const list: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) list.push(c as Node);
  return list;
}

/** How many items an iteration context (`a..b` or a list expression) yields, evaluated in the budget. */
function contextSize(ctx: Node, source: string, vars: JsonObject, now: number, depth: number): number {
  const parts = children(ctx);
  const dots = parts.find((c) => c.type.name === '..');
  const valueOf = (text: string): Json | undefined => {
    const result = guardedEvaluate(text, vars, now, depth + 1);
    return result.ok ? result.value : undefined;
  };
  if (dots) {
    const from = valueOf(source.slice(ctx.from, dots.from));
    const to = valueOf(source.slice(dots.to, ctx.to));
    return typeof from === 'number' && typeof to === 'number' ? Math.abs(to - from) + 1 : UNKNOWN_SIZE;
  }
  const list = valueOf(source.slice(ctx.from, ctx.to));
  return Array.isArray(list) ? list.length : list === undefined ? UNKNOWN_SIZE : 1;
}

/**
 * Work an expression can do, counted in loop iterations: nested loops multiply, loops
 * side by side add. User-defined functions are refused (they can recurse without bound).
 */
function workOf(node: Node, source: string, vars: JsonObject, now: number, depth: number): number {
  const name = node.type.name;
  if (name === 'FunctionDefinition') throw new BudgetExceeded('FEEL function definitions are not allowed in expressions (they can recurse without bound)');
  const parts = children(node);
  if (name !== 'ForExpression' && name !== 'QuantifiedExpression') {
    return parts.reduce((sum, child) => sum + workOf(child, source, vars, now, depth), 0);
  }
  let iterations = 1;
  let work = 0;
  for (const inExpression of children(parts.find((c) => c.type.name === 'InExpressions') ?? node)) {
    const ctx = children(inExpression).find((c) => c.type.name === 'IterationContext');
    if (!ctx) continue;
    iterations *= contextSize(ctx, source, vars, now, depth);
    work += workOf(ctx, source, vars, now, depth);
  }
  const body = parts[parts.length - 1];
  return work + iterations * (1 + (body ? workOf(body, source, vars, now, depth) : 0));
}

function sandboxContext(vars: JsonObject, now: number): Record<string, unknown> {
  const context: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(vars)) {
    if (!FORBIDDEN_NAMES.has(name)) context[name] = value;
  }
  const iso = new Date(now).toISOString();
  context['now'] = () => feelEvaluate(`date and time("${iso}")`).value;
  context['today'] = () => feelEvaluate(`date("${iso.slice(0, 10)}")`).value;
  return context;
}

/**
 * Evaluates FEEL (the leading `=` is optional) against plain JSON variables.
 *
 * @example evaluateFeel('=a + 1', { a: 2 }, 0) // { ok: true, value: 3 }
 */
export function evaluateFeel(text: string, vars: JsonObject, now: number): FeelResult {
  return guardedEvaluate(text, vars, now, 0);
}

function guardedEvaluate(text: string, vars: JsonObject, now: number, depth: number): FeelResult {
  const syntax = checkSyntax(text);
  if (syntax) return { ok: false, message: syntax };
  const source = body(text);
  if (depth > MAX_DEPTH) return { ok: false, message: `FEEL expression '${source}' nests loops too deeply` };
  try {
    const work = workOf(parseExpression(source, {}, undefined).topNode as Node, source, vars, now, depth);
    if (work > EXPRESSION_LIMITS.maxIterations) {
      return { ok: false, message: `FEEL expression '${source}' would iterate ${work} times (limit ${EXPRESSION_LIMITS.maxIterations})` };
    }
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, message: `FEEL expression '${source}': ${error.message}` };
    throw error;
  }
  try {
    const { value, warnings } = feelEvaluate(source, sandboxContext(vars, now));
    const json = toJson(value);
    if (json === undefined) return { ok: false, message: `FEEL expression '${source}' returned a value that is not data` };
    if (JSON.stringify(json).length > EXPRESSION_LIMITS.maxResultBytes) {
      return { ok: false, message: `FEEL expression '${source}' returned more than ${EXPRESSION_LIMITS.maxResultBytes} bytes` };
    }
    if (json === null && warnings.length > 0) {
      return { ok: false, message: `FEEL expression '${source}' failed: ${warnings.map((w) => w.message).join('; ')}` };
    }
    return { ok: true, value: json };
  } catch (error) {
    return { ok: false, message: `FEEL expression '${source}' failed: ${(error as Error).message}` };
  }
}

/** A Zeebe property value: FEEL when it starts with `=`, otherwise the literal string. */
export function evaluateValue(text: string, vars: JsonObject, now: number): FeelResult {
  return isExpression(text) ? evaluateFeel(text, vars, now) : { ok: true, value: text };
}

/** A condition must evaluate to a boolean; anything else is a failure naming the expression. */
export function evaluateCondition(text: string, vars: JsonObject, now: number): { ok: true; value: boolean } | { ok: false; message: string } {
  const result = evaluateFeel(text, vars, now);
  if (!result.ok) return result;
  if (typeof result.value !== 'boolean') {
    return { ok: false, message: `condition '${body(text)}' must be a boolean, got ${JSON.stringify(result.value)}` };
  }
  return { ok: true, value: result.value };
}

/**
 * FEEL for DMN decisions, under the same guards as `evaluateFeel` (syntax, forbidden
 * names, work budget, no function definitions), keeping FEEL values (dates, durations)
 * as they are so an input value compares as FEEL compares it. With `test`, `source` is
 * unary tests (a DMN input entry) applied to `test.input` (`?` inside the tests) and the
 * value is whether they match. The caller turns values into JSON where they leave DMN.
 *
 * @example evaluateGuarded('> 5, [1..3]', {}, 0, { input: 7 }) // { ok: true, value: true }
 */
export function evaluateGuarded(source: string, vars: JsonObject, now: number, test?: { input: unknown }): { ok: true; value: unknown } | { ok: false; message: string } {
  const syntax = test ? checkUnaryTestsSyntax(source) : checkSyntax(source);
  if (syntax) return { ok: false, message: syntax };
  try {
    const tree = (test ? parseUnaryTests : parseExpression)(source, {}, undefined);
    const work = workOf(tree.topNode as Node, source, vars, now, 0);
    if (work > EXPRESSION_LIMITS.maxIterations) {
      return { ok: false, message: `FEEL '${source}' would iterate ${work} times (limit ${EXPRESSION_LIMITS.maxIterations})` };
    }
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, message: `FEEL '${source}': ${error.message}` };
    throw error;
  }
  try {
    const context = sandboxContext(vars, now);
    if (!test) return { ok: true, value: feelEvaluate(source, context).value };
    context['?'] = test.input;
    return { ok: true, value: feelUnaryTest(source, context).value === true };
  } catch (error) {
    return { ok: false, message: `FEEL '${source}' failed: ${(error as Error).message}` };
  }
}
