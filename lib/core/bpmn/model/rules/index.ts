/**
 * The compile rules, one per element kind (`CompileRules`), so adding a kind to the model
 * without its rule fails to compile. `../element.ts` runs the rule of each flow node's kind.
 */
import type { CompileRules } from '../reader.ts';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events.ts';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways.ts';
import { adHocSubProcess, callActivity, subProcess } from './scopes.ts';
import { businessRuleTask, manualTask, receiveTask, scriptTask, sendTask, serviceTask, task, userTask } from './tasks.ts';

export const COMPILE_RULES: CompileRules = {
  startEvent,
  endEvent,
  intermediateCatchEvent,
  intermediateThrowEvent,
  boundaryEvent,
  task,
  manualTask,
  serviceTask,
  userTask,
  scriptTask,
  sendTask,
  receiveTask,
  businessRuleTask,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
  eventBasedGateway,
  subProcess,
  callActivity,
  adHocSubProcess,
};
