/**
 * Loop characteristics of an activity. Multi-instance runs as Zeebe does it
 * (`zeebe:loopCharacteristics` inputCollection / inputElement / outputCollection /
 * outputElement and a `bpmn:completionCondition`); standard loops are read by `standard-loop.ts`.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import { readStandardLoop } from './standard-loop.ts';
import type { MultiInstanceSpec, StandardLoopSpec } from './types.ts';

const NAME = /^[A-Za-z_$][\w$]*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function feel(label: string, value: string | null, problems: string[], required: boolean): string | null {
  if (value === null) {
    if (required) problems.push(`multi-instance ${label} is required`);
    return null;
  }
  if (!isExpression(value)) {
    problems.push(`multi-instance ${label} '${value}' must be FEEL (start with =)`);
    return null;
  }
  const syntax = checkSyntax(value);
  if (syntax) problems.push(`multi-instance ${label}: ${syntax}`);
  return value.trim();
}

function name(label: string, value: string | null, problems: string[]): string | null {
  if (value === null) return null;
  if (!NAME.test(value) || FORBIDDEN.has(value)) problems.push(`multi-instance ${label} '${value}' is not a variable name`);
  return value;
}

/** The multi-instance or standard loop spec of an activity (null when it has none), with problems pushed. */
export function readLoop(node: ModdleElement, problems: string[]): MultiInstanceSpec | StandardLoopSpec | null {
  const loop = node['loopCharacteristics'] as ModdleElement | undefined;
  if (!loop) return null;
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') return readStandardLoop(loop, problems);
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    problems.push(`loop characteristics ${loop.$type} are not supported`);
    return null;
  }
  if (loop['loopCardinality']) problems.push('multi-instance loopCardinality is not supported; use zeebe:loopCharacteristics inputCollection');
  const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
  if (!zeebe) {
    problems.push('a multi-instance activity needs zeebe:loopCharacteristics with an inputCollection');
    return null;
  }
  const condition = loop['completionCondition'] as ModdleElement | undefined;
  const spec: MultiInstanceSpec = {
    sequential: loop['isSequential'] === true,
    inputCollection: feel('inputCollection', str(zeebe, 'inputCollection'), problems, true) ?? '',
    inputElement: name('inputElement', str(zeebe, 'inputElement'), problems),
    outputCollection: name('outputCollection', str(zeebe, 'outputCollection'), problems),
    outputElement: feel('outputElement', str(zeebe, 'outputElement'), problems, false),
    completionCondition: condition ? feel('completionCondition', str(condition, 'body'), problems, true) : null,
  };
  if (spec.outputCollection && !spec.outputElement) problems.push('a multi-instance outputCollection needs an outputElement');
  if (spec.outputElement && !spec.outputCollection) problems.push('a multi-instance outputElement needs an outputCollection');
  return spec;
}
