/**
 * The behaviour registry: one entry per element kind, typed over it (`Behaviours`), so
 * adding a kind to the model without a behaviour fails to compile. The lifecycle receives
 * it from `../engine.ts`; nothing else looks a behaviour up.
 */
import type { Behaviours } from '../context.ts';
import { adHocSubProcess } from './ad-hoc.ts';
import { callActivity } from './call-activity.ts';
import { boundaryEvent, catchEvent } from './catch-event.ts';
import { endEvent } from './end-event.ts';
import { eventBasedGateway } from './event-based-gateway.ts';
import { exclusiveGateway, inclusiveGateway } from './gateways.ts';
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

export const BEHAVIOURS: Behaviours = {
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
