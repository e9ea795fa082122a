/**
 * Call activities (`zeebe:calledElement`): which process they start and how variables
 * cross. Camunda 8 names and defaults: `processId` (static, or FEEL with `=`),
 * `propagateAllChildVariables` (default true), `propagateAllParentVariables` (default
 * true), `bindingType` latest | deployment | versionTag (default latest) with `versionTag`.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str } from './extensions.ts';
import { BINDING_TYPES, type BindingType, type CallSpec, type ProcessDefinition } from './types.ts';

/** A process id the engine can deploy (the same rule `compile.ts` applies to process ids). */
export const PROCESS_ID = /^[A-Za-z_][\w.-]{0,254}$/;

function flag(value: unknown, fallback: boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}

/** The call spec of a call activity, with problems pushed (null when there is nothing to run). */
export function readCall(node: ModdleElement, problems: string[]): CallSpec | null {
  const called = extension(node, 'zeebe:CalledElement');
  const processId = str(called, 'processId') ?? str(called, 'processIdExpression');
  if (!called || !processId) {
    problems.push('a call activity needs a zeebe:calledElement with a processId');
    return null;
  }
  if (isExpression(processId)) {
    const syntax = checkSyntax(processId);
    if (syntax) problems.push(`called processId: ${syntax}`);
  } else if (!PROCESS_ID.test(processId.trim())) {
    problems.push(`called processId '${processId}' is not a process id`);
  }
  const binding = str(called, 'bindingType') ?? 'latest';
  if (!(BINDING_TYPES as readonly string[]).includes(binding)) problems.push(`bindingType '${binding}' is not supported (supported: ${BINDING_TYPES.join(', ')})`);
  const versionTag = str(called, 'versionTag');
  if (binding === 'versionTag' && !versionTag) problems.push('bindingType versionTag needs a versionTag');
  return {
    processId: processId.trim(),
    bindingType: binding as BindingType,
    versionTag: binding === 'versionTag' ? versionTag : null,
    propagateAllChildVariables: flag(called['propagateAllChildVariables'], true),
    propagateAllParentVariables: flag(called['propagateAllParentVariables'], true),
  };
}

/**
 * `bindingType="deployment"` with a static process id: the called process must be in the
 * same document (one deploy request), as Camunda 8 refuses such a deployment otherwise.
 */
export function checkDeploymentBindings(processes: ProcessDefinition[], report: (elementId: string, message: string) => void): void {
  const keys = new Set(processes.map((p) => p.key));
  for (const process of processes) {
    for (const el of Object.values(process.elements)) {
      if (el.kind !== 'callActivity') continue;
      const call = el.call;
      if (call.bindingType !== 'deployment' || isExpression(call.processId) || keys.has(call.processId)) continue;
      report(el.id, `called process '${call.processId}' is not in this deployment (bindingType deployment needs it in the same document)`);
    }
  }
}
