/** Start events: the instance (or subprocess) begins; a message start delivers its variables. */
import { acceptVariables } from '../lifecycle.ts';
import type { Behaviour } from './behaviour.ts';

export const startEvent: Behaviour = {
  activate: (run, key, _el, trigger) => {
    acceptVariables(run, key, trigger?.variables);
    return 'complete';
  },
};
