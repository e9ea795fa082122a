/** Start events: the instance (or subprocess) begins; a message start delivers its variables. */
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';

export const startEvent: Behaviour<ElementOf<'startEvent'>> = {
  activate: (run, key, _el, trigger) => {
    run.acceptVariables(key, trigger?.variables);
    return 'complete';
  },
};
