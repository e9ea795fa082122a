/**
 * Effects: what the world must be told after a transition committed. The core only
 * describes them; adapters perform them (with deterministic ids, so a re-emit after
 * a crash is harmless downstream).
 */
import type { JsonObject } from './json.ts';
import type { BindingType } from './bpmn/model/types.ts';
import type { InstanceStatus, IncidentKind } from './state/types.ts';

export type Effect =
  | { type: 'job.activatable'; jobId: string; instanceId: string; elementId: string; jobType: string; retries: number; headers: Record<string, string>; variables: JsonObject; availableAt: number }
  | { type: 'job.closed'; jobId: string; instanceId: string; jobType: string; reason: 'completed' | 'canceled' | 'failed' }
  | { type: 'task.created'; taskId: string; instanceId: string; elementId: string; name: string | null; assignee: string | null; candidateGroups: string[]; candidateUsers: string[]; formKey: string | null; formId: string | null; dueDate: string | null; followUpDate: string | null; variables: JsonObject }
  | { type: 'task.closed'; taskId: string; instanceId: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[]; reason: 'completed' | 'canceled' }
  | { type: 'timer.scheduled'; timerId: string; instanceId: string; elementId: string; dueAt: number }
  /** `dueAt` tells a durable schedule which item to delete; absent in versions written before it existed. */
  | { type: 'timer.canceled'; timerId: string; instanceId: string; dueAt?: number }
  /** `condition`: the catching element's FEEL condition over the message (see ElementDef.condition). Absent in versions written before conditions existed. */
  | { type: 'subscription.opened'; subscriptionId: string; instanceId: string; elementId: string; messageName: string; correlationKey: string; condition?: string | null }
  | { type: 'subscription.closed'; subscriptionId: string; instanceId: string; messageName: string; correlationKey: string }
  | { type: 'message.publish'; instanceId: string; elementId: string; name: string; correlationKey: string | null; variables: JsonObject }
  /** A signal throw/end event: deliver `broadcastSignal` to every instance with a `signal:<name>` subscription (this one too) and start processes with a signal start event of that name. */
  | { type: 'signal.broadcast'; instanceId: string; elementId: string; name: string; variables: JsonObject }
  | { type: 'incident.raised'; incidentId: string; instanceId: string; elementId: string; kind: IncidentKind; message: string }
  | { type: 'incident.resolved'; incidentId: string; instanceId: string }
  /**
   * A business rule task asks for its DMN decision: evaluate `decisionId` (the latest version,
   * or the one tagged `versionTag`) with `variables`, then send `completeDecision` or
   * `failDecision` with `requestId` to the instance.
   */
  | { type: 'decision.evaluate'; requestId: string; instanceId: string; elementId: string; decisionId: string; bindingType: 'latest' | 'versionTag'; versionTag: string | null; variables: JsonObject }
  | { type: 'instance.ended'; instanceId: string; status: InstanceStatus; variables: JsonObject }
  /**
   * A call activity starts a child: start `processId` (the version `bindingType` picks) as
   * instance `childInstanceId` with `parent: { instanceId: parentInstanceId, callId }`.
   * `parentDefinitionHash` finds the version deployed with the parent (bindingType deployment).
   */
  | { type: 'child.start'; parentInstanceId: string; callId: string; childInstanceId: string; processId: string; bindingType: BindingType; versionTag: string | null; parentDefinitionHash: string; variables: JsonObject }
  /** The call activity ended otherwise (boundary, terminate, cancel, rollback): cancel the child. */
  | { type: 'child.cancel'; parentInstanceId: string; callId: string; childInstanceId: string }
  /** A child completed: deliver `completeCall` to its parent. */
  | { type: 'call.completed'; parentInstanceId: string; callId: string; childInstanceId: string; variables: JsonObject }
  /** A child threw an error (`kind: 'error'`) or escalation nothing in it catches: deliver it to the parent's call activity. */
  | { type: 'call.thrown'; parentInstanceId: string; callId: string; childInstanceId: string; kind: 'error' | 'escalation'; code: string; message: string | null }
  /** A `command` incident was resolved: send the dead command `commandId` to the instance again. */
  | { type: 'command.redrive'; instanceId: string; commandId: string };

export type EffectType = Effect['type'];
