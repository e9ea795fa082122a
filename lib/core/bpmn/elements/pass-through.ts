/** Undefined tasks, manual tasks, none events and parallel gateways: nothing to do but continue. */
import type { Behaviour } from '../context.ts';

export const passThrough: Behaviour = {
  activate: () => 'complete',
};
