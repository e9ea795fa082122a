/** Intermediate throw events: none passes through; message publishes (or runs as a job). */
import type { Behaviour } from './behaviour.ts';
import { publishMessage } from './publish.ts';

export const throwEvent: Behaviour = {
  activate: (run, key, el) => publishMessage(run, key, el),
};
