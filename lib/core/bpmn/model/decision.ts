/** `zeebe:calledDecision` on a business rule task -> CalledDecisionSpec, with its problems. */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import { DECISION_BINDINGS, type CalledDecisionSpec, type DecisionBinding } from './types.ts';

const VARIABLE = /^[A-Za-z_$][\w$]*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * @example readCalledDecision(task, problems) // { decisionId: 'discount', resultVariable: 'rate', bindingType: 'latest', versionTag: null }
 */
export function readCalledDecision(node: ModdleElement, problems: string[]): CalledDecisionSpec | null {
  const called = extension(node, 'zeebe:CalledDecision');
  if (!called) return null;
  const decisionId = str(called, 'decisionId');
  const resultVariable = str(called, 'resultVariable');
  const binding = str(called, 'bindingType') ?? 'latest';
  const versionTag = str(called, 'versionTag');
  if (!decisionId) problems.push('zeebe:calledDecision needs a decisionId');
  else if (isExpression(decisionId)) {
    const syntax = checkSyntax(decisionId);
    if (syntax) problems.push(`decision id: ${syntax}`);
  }
  if (!resultVariable || !VARIABLE.test(resultVariable) || FORBIDDEN.has(resultVariable)) problems.push('zeebe:calledDecision needs a valid resultVariable');
  const bindingType = DECISION_BINDINGS.find((b) => b === binding);
  if (!bindingType) problems.push(`zeebe:calledDecision bindingType '${binding}' is not supported (supported: ${DECISION_BINDINGS.join(', ')})`);
  if (bindingType === 'versionTag' && !versionTag) problems.push("zeebe:calledDecision with bindingType 'versionTag' needs a versionTag");
  if (!decisionId || !resultVariable || !bindingType) return null;
  return { decisionId: decisionId.trim(), resultVariable, bindingType: bindingType as DecisionBinding, versionTag: bindingType === 'versionTag' ? versionTag : null };
}
