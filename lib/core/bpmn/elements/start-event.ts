/** Start events: the instance (or subprocess) begins; a message start delivers its variables. */
import type { Behaviour } from '../context.ts';

export const startEvent: Behaviour = {
  activate: (run, key, _el, trigger) => {
    run.acceptVariables(key, trigger?.variables);
    return 'complete';
  },
};
