/** Embedded subprocesses: a scope of their own; they complete when nothing runs inside any more. */
import { activate } from '../lifecycle.ts';
import type { Behaviour } from './behaviour.ts';

export const subProcess: Behaviour = {
  activate: (run, key, el) => {
    if (!el.start) throw new Error(`subprocess '${el.id}' has no start event`);
    const start = el.start;
    run.later(() => activate(run, start, key));
    return 'wait';
  },
};
