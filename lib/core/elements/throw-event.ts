/**
 * Intermediate throw events: none passes through; message publishes (or runs as a job);
 * signal broadcasts; escalation is thrown to the enclosing subprocesses (and the event
 * continues unless the catch interrupted it); link jumps to its catch event (in `complete`).
 */
import { throwEscalation } from '../triggers.ts';
import type { Behaviour } from './behaviour.ts';
import { broadcastSignal, publishMessage } from './publish.ts';

export const throwEvent: Behaviour = {
  activate: (run, key, el) => {
    if (el.trigger?.type === 'signal') return broadcastSignal(run, key, el);
    if (el.trigger?.type === 'escalation') return throwEscalation(run, key, el.trigger.code ?? '') ? 'wait' : 'complete';
    return publishMessage(run, key, el);
  },
};
