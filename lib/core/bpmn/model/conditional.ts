/**
 * `bpmn:conditionalEventDefinition` -> a conditional trigger. The condition is FEEL
 * (`<condition xsi:type="tFormalExpression">=amount &gt; 100</condition>`);
 * `zeebe:conditionalFilter variableNames="a, b"` limits re-evaluation to changes of
 * those variables. `variableEvents` (create / update) is refused: every change counts here.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import type { EventTrigger } from './types.ts';

const NAME = /^[A-Za-z_$][\w$]*$/;

function readFilter(definition: ModdleElement, problems: string[]): string[] | null {
  const filter = extension(definition, 'zeebe:ConditionalFilter');
  if (!filter) return null;
  if (str(filter, 'variableEvents')) problems.push('zeebe:conditionalFilter variableEvents is not supported (every variable change re-evaluates the condition)');
  const names = (str(filter, 'variableNames') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) if (!NAME.test(name)) problems.push(`zeebe:conditionalFilter variable name '${name}' is not a variable name`);
  return names.length > 0 ? names : null;
}

export function readConditional(definition: ModdleElement, problems: string[]): EventTrigger | null {
  const condition = str(definition['condition'] as ModdleElement | undefined, 'body');
  if (!condition) {
    problems.push('a conditional event needs a condition (a FEEL formalExpression)');
    return null;
  }
  if (!isExpression(condition)) {
    problems.push(`the condition '${condition}' of a conditional event must be FEEL (start with =)`);
    return null;
  }
  const syntax = checkSyntax(condition);
  if (syntax) problems.push(`condition: ${syntax}`);
  return { type: 'conditional', condition: condition.trim(), variableNames: readFilter(definition, problems) };
}
