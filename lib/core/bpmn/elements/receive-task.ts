/** Receive tasks wait for their message, like a message catch event. */
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';
import { catchEvent } from './catch-event.ts';

export const receiveTask: Behaviour<ElementOf<'receiveTask'>> = {
  activate: (run, key, el, trigger) => catchEvent.activate(run, key, el, trigger),
};
