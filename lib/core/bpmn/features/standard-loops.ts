/**
 * Standard loops (`bpmn:standardLoopCharacteristics`), on the multi-instance body/inner
 * shape (`loops.ts`): the element instance the flow activates is the *body* (it carries
 * the boundary events); each iteration is an *inner* instance of the same element,
 * scoped to the body, with `loopCounter` (1-based) as a local variable.
 *
 *   body: ElementActivated -> [testBefore: loopCondition false -> body completes]
 *     -> inner #1 -> inner done: [loopMaximum reached | loopCondition false] ?
 *        body completes : inner #n+1
 *
 * The condition is evaluated in the finished iteration's context (its output mappings
 * included), or in the body's for the first test of a `testBefore` loop (loopCounter 0).
 * A failing or non-boolean condition is an incident on the instance it blocks (the
 * finished iteration, or the body before the first one); resolving re-evaluates it.
 * A loop without a wait state and without a maximum is stopped by ACTIVATION_BUDGET.
 */
import type { JsonObject } from '../../json.ts';
import type { Context } from '../context.ts';
import type { ElementDef, StandardLoopSpec } from '../model/types.ts';
import { ACTIVATION_BUDGET } from '../run.ts';
import { StepBudgetExceeded } from '../../errors.ts';
import type { ElementInstance } from '../../state/types.ts';

/** Whether another iteration runs after `done` iterations; a string is an incident message. */
function loopsAgain(run: Context, key: string, el: ElementDef, spec: StandardLoopSpec, done: number, mapped: JsonObject | null): boolean | string {
  const { loopCondition, loopMaximum } = spec;
  if (loopMaximum !== null && done >= loopMaximum) return false;
  if (loopCondition === null) return true;
  const result = run.feel(loopCondition, key, { ...mapped, loopCounter: done });
  if (!result.ok) return `loopCondition of '${el.id}' ('${loopCondition}'): ${result.message}`;
  if (typeof result.value !== 'boolean') return `loopCondition of '${el.id}' ('${loopCondition}') must be a boolean, got ${JSON.stringify(result.value)}`;
  return result.value;
}

function startIteration(run: Context, bodyKey: string, el: ElementDef, counter: number): void {
  if (!run.instance(bodyKey)) return;
  if (++run.activations > ACTIVATION_BUDGET) throw new StepBudgetExceeded(ACTIVATION_BUDGET, el.id);
  const key = run.newKey();
  run.emit({ type: 'ElementActivated', key, elementId: el.id, scope: bodyKey });
  run.setLocal(key, { loopCounter: counter });
  run.enter(key);
}

/** Starts the body: tests the condition first when `testBefore`, then runs iteration 1. */
export function startStandardLoop(run: Context, bodyKey: string, el: ElementDef, spec: StandardLoopSpec): void {
  if (spec.testBefore) {
    const again = loopsAgain(run, bodyKey, el, spec, 0, null);
    if (typeof again === 'string') return run.incident(bodyKey, 'expression', again, 'activate');
    if (!again) return run.later(() => run.complete(bodyKey));
  }
  run.later(() => startIteration(run, bodyKey, el, 1));
}

/** An iteration is done (its output mappings evaluated into `mapped`): run the next one or complete the body. */
export function completeIteration(run: Context, key: string, ei: ElementInstance, el: ElementDef, spec: StandardLoopSpec, mapped: JsonObject | null): void {
  const bodyKey = ei.scope;
  const counter = Number(run.state.vars[key]?.['loopCounter'] ?? 0);
  const again = loopsAgain(run, key, el, spec, counter, mapped);
  if (typeof again === 'string') return run.incident(key, 'expression', again, 'complete');
  // Each iteration is compensable on its own, like a multi-instance item (`close` runs the completion hooks).
  run.close(key, mapped);
  if (again) run.later(() => startIteration(run, bodyKey, el, counter + 1));
  else run.later(() => run.complete(bodyKey));
}
