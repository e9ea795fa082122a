/**
 * Ad-hoc subprocesses (Camunda 8): a scope whose inner elements need no start event.
 *
 *   activate: its event subprocesses listen; then every inner element without incoming
 *             flows is activated, or only those named by `activeElementsCollection`
 *             (a FEEL list of element ids, duplicates run twice)
 *   an inner element completes: `completionCondition` (over the subprocess's variables
 *             and the element's outputs) true -> the element's outgoing flows are not
 *             taken; with cancelRemainingInstances (default) what still runs inside is
 *             terminated and the subprocess completes, else it completes once the rest
 *             is done. False / null / a variable not set yet / no condition -> the
 *             element's flows are taken.
 *   nothing runs inside any more -> it completes (the scope rule of every subprocess)
 *
 * A failing collection is an activation incident on the subprocess; a failing or
 * non-boolean condition an incident on the completing inner element (resolving retries).
 */
import { conditionValue } from '../../expressions/condition-value.ts';
import { openEventSubprocesses } from '../features/event-subprocesses.ts';
import { activatableElements } from '../model/ad-hoc.ts';
import type { ElementOf } from '../model/types.ts';
import type { Behaviour, Context } from '../context.ts';

/** The ids to activate, in document order (all) or in list order (collection); a string is an incident message. */
function elementsToActivate(run: Context, key: string, el: ElementOf<'adHocSubProcess'>): string[] | string {
  const candidates = activatableElements(run.definition.elements, el.id).map((e) => e.id);
  const expression = el.adHoc.activeElements;
  if (!expression) return candidates;
  const result = run.feel(expression, key);
  if (!result.ok) return `activeElementsCollection of '${el.id}': ${result.message}`;
  if (result.value === null) return [];
  if (!Array.isArray(result.value)) return `activeElementsCollection of '${el.id}' must be a list of element ids, got ${JSON.stringify(result.value)}`;
  const ids: string[] = [];
  for (const item of result.value) {
    if (typeof item !== 'string' || !candidates.includes(item)) {
      return `activeElementsCollection of '${el.id}': ${JSON.stringify(item)} is not an element of the ad-hoc subprocess that can be activated (one of: ${candidates.join(', ')})`;
    }
    ids.push(item);
  }
  return ids;
}

export const adHocSubProcess: Behaviour<ElementOf<'adHocSubProcess'>> = {
  activate: (run, key, el) => {
    const problem = openEventSubprocesses(run, key, el.id) ?? (() => {
      const chosen = elementsToActivate(run, key, el);
      if (typeof chosen === 'string') return chosen;
      for (const id of chosen) run.toward(key, () => run.activate(id, key));
      if (chosen.length === 0) run.later(() => run.scopeMaybeDone(key));
      return null;
    })();
    if (problem) run.incident(key, 'expression', problem, 'activate');
    return 'wait';
  },
  // An inner element completes (before anything changes): does the completion condition now hold?
  innerCompleting: (run, innerKey, scopeKey, el, outputs) => {
    const condition = el.adHoc.completionCondition;
    if (!condition) return 'continue';
    const value = conditionValue(run.feel(condition, scopeKey, outputs ?? undefined), `completionCondition of '${el.id}' ('${condition}')`);
    if (!value.ok) {
      run.incident(innerKey, 'condition', value.message, 'complete');
      return null;
    }
    return value.holds ? 'finish' : 'continue';
  },
  // The condition held: terminate what still runs (cancelRemainingInstances) and complete, or wait for it.
  finish: (run, scopeKey, el) => {
    if (!el.adHoc.cancelRemainingInstances) return run.scopeMaybeDone(scopeKey);
    run.clearScope(scopeKey);
    run.later(() => run.complete(scopeKey));
  },
};
