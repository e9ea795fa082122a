/**
 * Effects: what the world must be told after a transition committed. The core only
 * describes them; adapters perform them (with deterministic ids, so a re-emit after
 * a crash is harmless downstream).
 */
import type { JsonObject } from './json.ts';
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
  | { type: 'instance.ended'; instanceId: string; status: InstanceStatus; variables: JsonObject };

export type EffectType = Effect['type'];
