/**
 * The features that cut across element kinds, plugged into the lifecycle through its named
 * hooks (see `../context.ts`), registered here once. A feature that needs a hook adds it to
 * `Hooks` and sets it here; the lifecycle calls it without knowing the feature.
 */
import type { Hooks } from '../context.ts';
import { reportCompletion } from './calls.ts';
import { handlerCompleted, recordCompletion } from './compensation.ts';
import { openEventListener } from './listeners.ts';
import { completeItem, loopOutput, startLoop } from './loops.ts';

export const HOOKS: Hooks = {
  openBoundaries: (ctx, key, el) => {
    for (const boundaryId of el.boundaries) {
      const problem = openEventListener(ctx, key, ctx.element(boundaryId));
      if (problem) return problem;
    }
    return null;
  },
  startLoop,
  loopOutput,
  completeIteration: completeItem,
  completing: recordCompletion,
  completed: (ctx, key, el) => {
    if (el.forCompensation) handlerCompleted(ctx, key);
  },
  instanceCompleted: reportCompletion,
};
