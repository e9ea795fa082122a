/**
 * The behaviour registry: one entry per element kind. A `Record` over every kind,
 * so adding a kind to the model without a behaviour fails to compile.
 */
import type { ElementKind } from '../model/types.ts';
import type { Behaviour } from './behaviour.ts';
import { boundaryEvent, catchEvent } from './catch-event.ts';
import { endEvent } from './end-event.ts';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway } from './gateways.ts';
import { jobTask } from './job.ts';
import { passThrough } from './pass-through.ts';
import { sendTask } from './publish.ts';
import { receiveTask } from './receive-task.ts';
import { scriptTask } from './script-task.ts';
import { startEvent } from './start-event.ts';
import { subProcess } from './sub-process.ts';
import { throwEvent } from './throw-event.ts';
import { userTask } from './user-task.ts';

export type { Behaviour, Trigger } from './behaviour.ts';

const BEHAVIOURS: Record<ElementKind, Behaviour> = {
  startEvent,
  endEvent,
  intermediateCatchEvent: catchEvent,
  intermediateThrowEvent: throwEvent,
  boundaryEvent,
  task: passThrough,
  manualTask: passThrough,
  serviceTask: jobTask,
  businessRuleTask: jobTask,
  userTask,
  scriptTask,
  sendTask,
  receiveTask,
  exclusiveGateway,
  parallelGateway: passThrough,
  inclusiveGateway,
  eventBasedGateway,
  subProcess,
};

export function behaviourOf(kind: ElementKind): Behaviour {
  return BEHAVIOURS[kind];
}
