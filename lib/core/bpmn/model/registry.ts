/**
 * Which BPMN types the engine runs. Every flow element type is either mapped to an
 * element kind (which has a compile rule in `rules/` and a behaviour in `lib/core/bpmn/elements`) or refused with a reason:
 * nothing is silently ignored.
 */
import type { ElementKind } from './types.ts';

export const KIND_OF_TYPE: Readonly<Record<string, ElementKind>> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:Task': 'task',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:UserTask': 'userTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
  'bpmn:AdHocSubProcess': 'adHocSubProcess',
  // A transaction runs as an embedded subprocess; ElementDef.transaction marks it.
  'bpmn:Transaction': 'subProcess',
};

export const REFUSED_TYPES: Readonly<Record<string, string>> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:ImplicitThrowEvent': 'implicit throw events are not supported',
  'bpmn:ChoreographyTask': 'choreographies are not executable',
  'bpmn:SubChoreography': 'choreographies are not executable',
  'bpmn:CallChoreography': 'choreographies are not executable',
};

/** Flow elements with no runtime behaviour: data and annotations. */
export const PASSIVE_TYPES: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

export const EVENT_DEFINITION_NAMES: Readonly<Record<string, string>> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CancelEventDefinition': 'cancel',
};
