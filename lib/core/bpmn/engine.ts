/**
 * The BPMN engine put together once: the lifecycle with the registry of element behaviours
 * and the features' hooks. The step (and rollback) start every run here.
 */
import type { Clock } from '../clock.ts';
import type { InstanceState } from '../state/types.ts';
import { BEHAVIOURS } from './elements/index.ts';
import { HOOKS } from './features/index.ts';
import { Lifecycle } from './lifecycle.ts';
import type { ProcessDefinition } from './model/types.ts';

/** The working context of one step over `state` (a draft the run may change). */
export function newRun(definition: ProcessDefinition, state: InstanceState, clock: Clock): Lifecycle {
  return new Lifecycle(definition, state, clock, BEHAVIOURS, HOOKS);
}
