/**
 * End events: none (the token ends), terminate (ends every token of its scope),
 * error (thrown to the nearest catching boundary event), message (published), signal
 * (broadcast), escalation (thrown outwards; uncaught it is no incident), compensation
 * (waits for the handlers of its scope), cancel (cancels its transaction; `../features/compensation.ts`).
 */
import { cancelTransaction, throwCompensation } from '../features/compensation.ts';
import { throwError, throwEscalation } from '../features/triggers.ts';
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';
import { broadcastSignal, publishMessage } from './publish.ts';

export const endEvent: Behaviour<ElementOf<'endEvent'>> = {
  activate: (run, key, el) => {
    const trigger = el.trigger;
    if (el.job || trigger?.type === 'message') return publishMessage(run, key, el);
    if (trigger?.type === 'terminate') {
      const scope = run.instance(key)?.scope;
      if (scope !== undefined) run.clearScope(scope, key);
      return 'complete';
    }
    if (trigger?.type === 'signal') return broadcastSignal(run, key, el);
    if (trigger?.type === 'compensation') return throwCompensation(run, key, trigger);
    if (trigger?.type === 'cancel') return cancelTransaction(run, key);
    if (trigger?.type === 'escalation') return throwEscalation(run, key, trigger.code ?? '') ? 'wait' : 'complete';
    if (trigger?.type === 'error') {
      throwError(run, key, trigger.errorCode ?? '', null, null);
      return 'wait';
    }
    return 'complete';
  },
};
