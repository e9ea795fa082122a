/** Checks shared by the compile rules: FEEL syntax of a value, variable names as targets. */
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import type { Mapping } from './types.ts';

const TARGET = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const FORBIDDEN = /(^|\.)(__proto__|constructor|prototype)(\.|$)/;

/** A name a value can be written to (a mapping target, a result variable). */
export function isVariableName(name: string): boolean {
  return TARGET.test(name) && !FORBIDDEN.test(name);
}

/** A FEEL value (`=...`) must parse; a static one is taken as written. */
export function checkValue(label: string, value: string | null, problems: string[]): void {
  if (value === null || !isExpression(value)) return;
  const syntax = checkSyntax(value);
  if (syntax) problems.push(`${label}: ${syntax}`);
}

export function checkMappings(kind: string, mappings: Mapping[], problems: string[]): void {
  for (const { source, target } of mappings) {
    if (!isVariableName(target)) problems.push(`${kind} mapping target '${target}' is not a variable name`);
    if (source === '') problems.push(`${kind} mapping to '${target}' has no source`);
    else checkValue(`${kind} mapping to '${target}'`, source, problems);
  }
}
