/**
 * Variable names come from outside (start, job completion, messages, set variables).
 * A dotted name (`order.total`) writes a nested value; whatever the name, it must not
 * reach `Object.prototype` nor replace the prototype of a stored object (which JSON
 * would then silently drop, so a stored and a live state would evaluate differently).
 *
 * Kept in its own file: if the engine does pollute `Object.prototype`, the pollution
 * stays in this test process and is removed after every run.
 */
import fc from 'fast-check';
import { afterEach, describe, it } from 'vitest';
import type { Command } from '../../../lib/core/commands.ts';
import type { JsonObject } from '../../../lib/core/json.ts';
import { compileBpmn } from '../../../lib/core/bpmn/model/compile.ts';
import type { ProcessDefinition } from '../../../lib/core/bpmn/model/types.ts';
import type { InstanceState } from '../../../lib/core/state/types.ts';
import { step } from '../../../lib/core/step.ts';
import { bpmn, flows, job } from '../../../lib/testing/bpmn.ts';

const MODEL = bpmn(`
  <startEvent id="start"/>
  <serviceTask id="work">${job('work')}</serviceTask>
  <endEvent id="end"/>
  ${flows('start', 'work', 'end')}`);

const NAMES = [
  '__proto__.polluted', 'a.__proto__.polluted', 'a.b.__proto__.polluted', '__proto__', 'a.__proto__',
  'constructor.prototype.polluted', 'a.constructor.prototype.polluted', 'prototype.polluted', 'order.total',
] as const;

const PROBE = 'polluted';

function cleanUp(): void {
  for (const proto of [Object.prototype, Function.prototype, Array.prototype]) delete (proto as Record<string, unknown>)[PROBE];
}

/** Objects in the variables whose prototype is not `Object.prototype` (paths), and whether `Object.prototype` was touched. */
function prototypeProblems(state: InstanceState): string[] {
  const problems: string[] = [];
  for (const proto of [Object.prototype, Function.prototype, Array.prototype]) {
    if (Object.hasOwn(proto, PROBE)) problems.push(`a built-in prototype now has '${PROBE}' (prototype pollution)`);
  }
  const walk = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) problems.push(`vars.${path} has a replaced prototype ${JSON.stringify(proto)}`);
    for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  walk(state.vars, 'vars');
  return problems;
}

describe('step (variable names)', () => {
  afterEach(cleanUp);

  it('never lets a variable name reach Object.prototype or replace the prototype of a stored value', async () => {
    const compiled = await compileBpmn(MODEL);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const definition = compiled.processes[0] as ProcessDefinition;
    fc.assert(
      fc.property(
        fc.constantFrom(...NAMES),
        fc.constantFrom<JsonObject[string]>('yes', { [PROBE]: 'yes' }),
        fc.constantFrom('start', 'setVariables', 'completeJob'),
        (name, value, via) => {
          try {
            const variables: JsonObject = { [name]: value };
            const clock = { now: 0 };
            const started = step(definition, null, { type: 'start', instanceId: 'pi', variables: via === 'start' ? variables : {} }, clock);
            const jobId = `pi.${Object.keys(started.state.jobs)[0] ?? ''}`;
            const command: Command = via === 'completeJob' ? { type: 'completeJob', jobId, variables } : { type: 'setVariables', variables };
            const state = via === 'start' ? started.state : step(definition, started.state, command, clock).state;
            const problems = prototypeProblems(state);
            if (problems.length > 0) {
              throw new Error(`variables ${JSON.stringify(variables)} via ${via}:\n  ${problems.join('\n  ')}\n  state.vars as JSON: ${JSON.stringify(state.vars)}`);
            }
          } finally {
            cleanUp();
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
