/**
 * Catching events: intermediate timer/message catch events wait for their timer or
 * message; boundary events and events after an event-based gateway are activated
 * once their trigger has happened, and carry its variables.
 */
import { openEventListener } from '../features/listeners.ts';
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';

export const catchEvent: Behaviour<ElementOf<'intermediateCatchEvent' | 'receiveTask'>> = {
  activate: (run, key, el, trigger) => {
    if (trigger) {
      run.acceptVariables(key, trigger.variables);
      return 'complete';
    }
    const problem = openEventListener(run, key, el);
    if (problem) run.incident(key, 'expression', problem, 'activate');
    return 'wait';
  },
};

/** Boundary events are only ever activated by their trigger. */
export const boundaryEvent: Behaviour<ElementOf<'boundaryEvent'>> = {
  activate: (run, key, _el, trigger) => {
    run.acceptVariables(key, trigger?.variables);
    return 'complete';
  },
};
