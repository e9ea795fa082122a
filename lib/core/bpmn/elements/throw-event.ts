/**
 * Intermediate throw events: none passes through; message publishes (or runs as a job);
 * signal broadcasts; escalation is thrown to the enclosing subprocesses (and the event
 * continues unless the catch interrupted it); link jumps to its catch event (`jumpTo`);
 * compensation starts the handlers of its scope (see `../features/compensation.ts`).
 */
import { throwCompensation } from '../features/compensation.ts';
import { throwEscalation } from '../features/triggers.ts';
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';
import { broadcastSignal, publishMessage } from './publish.ts';

export const throwEvent: Behaviour<ElementOf<'intermediateThrowEvent'>> = {
  activate: (run, key, el) => {
    if (el.trigger?.type === 'signal') return broadcastSignal(run, key, el);
    if (el.trigger?.type === 'escalation') return throwEscalation(run, key, el.trigger.code ?? '') ? 'wait' : 'complete';
    if (el.trigger?.type === 'compensation') return throwCompensation(run, key, el.trigger);
    return publishMessage(run, key, el);
  },
  // A link throw event continues at its link catch event, as if along a flow.
  jumpTo: (el) => (el.trigger?.type === 'link' ? el.trigger.target : null),
};
