/**
 * Embedded subprocesses: a scope of their own; they complete when nothing runs inside any more.
 * While one runs, its event subprocesses listen; an event subprocess is itself a subprocess,
 * started by its trigger (whose variables go to its start event).
 */
import { openEventSubprocesses } from '../features/event-subprocesses.ts';
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';

export const subProcess: Behaviour<ElementOf<'subProcess'>> = {
  activate: (run, key, el, trigger) => {
    const start = el.start;
    const problem = openEventSubprocesses(run, key, el.id);
    if (problem) {
      run.incident(key, 'expression', problem, 'activate');
      return 'wait';
    }
    run.toward(key, () => run.activate(start, key, el.triggeredByEvent ? trigger : undefined));
    return 'wait';
  },
};
