/**
 * The behaviour registry: one entry per element kind. A `Record` over every kind,
 * so adding a kind to the model without a behaviour fails to compile.
 */
import type { ElementKind } from '../model/types.ts';
import type { Behaviour } from './behaviour.ts';
import { adHocSubProcess } from './ad-hoc.ts';
import { callActivity } from './call-activity.ts';
import { boundaryEvent, catchEvent } from './catch-event.ts';
import { endEvent } from './end-event.ts';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway } from './gateways.ts';
import { jobTask } from './job.ts';
import { businessRuleTask } from './business-rule-task.ts';
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
  businessRuleTask,
  userTask,
  scriptTask,
  sendTask,
  receiveTask,
  exclusiveGateway,
  parallelGateway: passThrough,
  inclusiveGateway,
  eventBasedGateway,
  subProcess,
  callActivity,
  adHocSubProcess,
};

export function behaviourOf(kind: ElementKind): Behaviour {
  return BEHAVIOURS[kind];
}
