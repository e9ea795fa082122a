/** Call activities: start a child process instance and wait for it (see `../features/calls.ts`). */
import { startCall } from '../features/calls.ts';
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';

export const callActivity: Behaviour<ElementOf<'callActivity'>> = {
  activate: (run, key, el) => startCall(run, key, el),
};
