/** Undefined tasks, manual tasks, none events and parallel gateways: nothing to do but continue. */
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';

export const passThrough: Behaviour<ElementOf<'task' | 'manualTask' | 'parallelGateway'>> = {
  activate: () => 'complete',
};
