/**
 * `bpmn:standardLoopCharacteristics` -> StandardLoopSpec. The loop condition is FEEL
 * (`=...`); a loop needs a condition or a maximum, or it could never end.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { str } from './extensions.ts';
import type { StandardLoopSpec } from './types.ts';

function readCondition(loop: ModdleElement, problems: string[]): string | null {
  const expression = loop['loopCondition'] as ModdleElement | undefined;
  if (!expression) return null;
  const body = str(expression, 'body');
  if (!body) {
    problems.push('the loopCondition of a standard loop is empty');
    return null;
  }
  if (!isExpression(body)) {
    problems.push(`standard loop loopCondition '${body}' must be FEEL (start with =)`);
    return null;
  }
  const syntax = checkSyntax(body);
  if (syntax) problems.push(`standard loop loopCondition: ${syntax}`);
  return body.trim();
}

/** The standard loop of an activity, with problems pushed. */
export function readStandardLoop(loop: ModdleElement, problems: string[]): StandardLoopSpec | null {
  const loopCondition = readCondition(loop, problems);
  const raw = loop['loopMaximum'];
  const loopMaximum = raw === undefined || raw === null ? null : Number(raw);
  if (loopMaximum !== null && (!Number.isInteger(loopMaximum) || loopMaximum < 1)) {
    problems.push(`standard loop loopMaximum '${String(raw)}' must be a whole number of at least 1`);
    return null;
  }
  if (loopCondition === null && loopMaximum === null) {
    problems.push('a standard loop needs a loopCondition or a loopMaximum (it would never end)');
    return null;
  }
  return { kind: 'standard', loopCondition, loopMaximum, testBefore: loop['testBefore'] === true };
}
