/** Undefined tasks, manual tasks, none events and parallel gateways: nothing to do but continue. */
import type { Behaviour } from './behaviour.ts';

export const passThrough: Behaviour = {
  activate: () => 'complete',
};
