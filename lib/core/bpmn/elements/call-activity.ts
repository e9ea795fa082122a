/** Call activities: start a child process instance and wait for it (see `../features/calls.ts`). */
import { startCall } from '../features/calls.ts';
import type { Behaviour } from '../context.ts';

export const callActivity: Behaviour = {
  activate: (run, key, el) => startCall(run, key, el),
};
