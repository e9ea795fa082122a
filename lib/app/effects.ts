/**
 * Performs the effects (the outbox) of a version. Each effect has a deterministic id
 * `<instanceId>:<version>:<index>`, and every target is idempotent for it (puts and
 * deletes by key, FIFO deduplication, message ids), so emitting a version twice
 * after a crash changes nothing downstream.
 *
 * Pairs that cancel out within one version (a job created and closed in the same
 * transition) are skipped.
 *
 * With `publishLifecycle`, instance and task lifecycle effects are also published on the
 * EventBus (the outbox, then RabbitMQ `sbpmn.out`) under the names of LIFECYCLE_EVENTS,
 * with the effect's id as the message id.
 */
import type { Effect } from '../core/effects.ts';
import type { JsonObject } from '../core/json.ts';
import type { Clock, CommandBus, DeadCommandStore, DefinitionResolver, DefinitionStore, DurableTimers, EventBus, IndexStore, InstanceVersion, Logger, TimerScheduler } from '../ports.ts';
import { performCall } from './calls.ts';
import { conditionHolds } from './conditions.ts';
import { performDecision, type CachedDecisions } from './decisions.ts';
import { withoutVariables } from './service/open-items.ts';
import { broadcastSignal } from './service/signals.ts';
import { cancelTimer, schedulerFor } from './timers.ts';
import type { EffectEmitter } from './transition.ts';
import { NotFound } from './errors.ts';
import { redriveDeadCommand } from './redrive.ts';

export interface EffectTargets {
  index: IndexStore;
  /** The SQS delay queue: timers due within 15 minutes. */
  timers: TimerScheduler;
  /** The durable schedule for timers due later (null: they hop on the SQS queue in 15-minute steps). */
  durableTimers?: DurableTimers | null;
  /** Longest due time sent to the SQS queue directly (default 15 minutes). */
  maxDelayMs?: number;
  events: EventBus;
  commands: CommandBus;
  clock: Clock;
  logger: Logger;
  /** The start registry and compiled definitions: a thrown signal starts the processes with a signal start event of its name. */
  starts?: { definitions: DefinitionStore; resolver: DefinitionResolver };
  /** Deployed DMN decisions: business rule tasks' `decision.evaluate` effects are answered from them. */
  decisions?: CachedDecisions | null;
  /** Dead commands: resolving a `command` incident redrives its command from here. */
  deadCommands?: DeadCommandStore | null;
  /** Publish lifecycle events (env PUBLISH_LIFECYCLE=true); off by default. */
  publishLifecycle?: boolean;
}

/** The names lifecycle effects are published under (the routing keys on `sbpmn.out`). */
export const LIFECYCLE_EVENTS = {
  instanceCompleted: 'sbpmn.instance.completed',
  instanceCanceled: 'sbpmn.instance.canceled',
  taskCreated: 'sbpmn.task.created',
  incidentRaised: 'sbpmn.incident.raised',
} as const;

type Lifecycle = Extract<Effect, { type: 'instance.ended' | 'task.created' | 'incident.raised' }>;

/** The lifecycle message of an effect: the name, and a payload of ids and facts (a task's variables stay private). */
export function lifecycleMessage(effect: Lifecycle): { name: string; elementId: string; variables: JsonObject } {
  switch (effect.type) {
    case 'instance.ended':
      return {
        name: effect.status === 'canceled' ? LIFECYCLE_EVENTS.instanceCanceled : LIFECYCLE_EVENTS.instanceCompleted,
        elementId: '', variables: { instanceId: effect.instanceId, status: effect.status, variables: effect.variables },
      };
    case 'task.created':
      return {
        name: LIFECYCLE_EVENTS.taskCreated, elementId: effect.elementId,
        variables: {
          taskId: effect.taskId, instanceId: effect.instanceId, elementId: effect.elementId, name: effect.name, assignee: effect.assignee,
          candidateGroups: effect.candidateGroups, candidateUsers: effect.candidateUsers, dueDate: effect.dueDate, followUpDate: effect.followUpDate,
        },
      };
    case 'incident.raised':
      return {
        name: LIFECYCLE_EVENTS.incidentRaised, elementId: effect.elementId,
        variables: { incidentId: effect.incidentId, instanceId: effect.instanceId, elementId: effect.elementId, kind: effect.kind, message: effect.message },
      };
  }
}

function subjectOf(effect: Effect): string | null {
  switch (effect.type) {
    case 'job.activatable':
    case 'job.closed':
      return `job:${effect.jobId}`;
    case 'task.created':
    case 'task.closed':
      return `task:${effect.taskId}`;
    case 'subscription.opened':
    case 'subscription.closed':
      return `sub:${effect.subscriptionId}`;
    case 'timer.scheduled':
    case 'timer.canceled':
      return `timer:${effect.timerId}`;
    default:
      return null;
  }
}

const OPENS = new Set(['job.activatable', 'task.created', 'subscription.opened', 'timer.scheduled']);

/** Drops effects whose subject is opened and closed again inside the same version. */
export function netEffects(effects: Effect[]): Array<{ effect: Effect; index: number }> {
  const opened = new Map<string, number>();
  const skip = new Set<number>();
  effects.forEach((effect, index) => {
    const subject = subjectOf(effect);
    if (!subject) return;
    if (OPENS.has(effect.type)) opened.set(subject, index);
    else if (opened.has(subject)) {
      skip.add(opened.get(subject) as number).add(index);
      opened.delete(subject);
    }
  });
  return effects.map((effect, index) => ({ effect, index })).filter(({ index }) => !skip.has(index));
}

export class EffectDispatcher implements EffectEmitter {
  constructor(private readonly targets: EffectTargets) {}

  async emit(version: InstanceVersion): Promise<void> {
    for (const { effect, index } of netEffects(version.effects)) {
      await this.perform(effect, `${version.instanceId}:${version.version}:${index}`);
    }
  }

  private async perform(effect: Effect, effectId: string): Promise<void> {
    await this.apply(effect, effectId);
    if (this.targets.publishLifecycle && (effect.type === 'instance.ended' || effect.type === 'task.created' || effect.type === 'incident.raised')) {
      const { name, elementId, variables } = lifecycleMessage(effect);
      await this.targets.events.publish({ id: effectId, name, correlationKey: effect.instanceId, variables, instanceId: effect.instanceId, elementId });
    }
  }

  /** A re-emitted version finds the dead command gone (already redriven): nothing to do. */
  private async redrive(commandId: string): Promise<void> {
    const { deadCommands, commands, logger } = this.targets;
    if (!deadCommands) throw new Error('command.redrive needs EffectTargets.deadCommands');
    try {
      await redriveDeadCommand({ store: deadCommands, commands, logger }, commandId);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      logger.info('dead command already redriven', { commandId });
    }
  }

  private async apply(effect: Effect, effectId: string): Promise<void> {
    const { index, events, commands, clock, logger } = this.targets;
    switch (effect.type) {
      case 'job.activatable':
        return index.putJob(withoutVariables(effect));
      case 'job.closed':
        return index.deleteJob(effect.jobType, effect.jobId);
      case 'task.created':
        return index.putTask(withoutVariables(effect));
      case 'task.closed':
        return index.deleteTask(effect);
      case 'timer.scheduled':
        // Up to 15 minutes: an SQS delay; beyond: the durable schedule.
        return schedulerFor(this.targets, effect.dueAt, clock.now()).schedule({ timerId: effect.timerId, instanceId: effect.instanceId, dueAt: effect.dueAt, effectId });
      case 'timer.canceled':
        // Deletes a durable schedule; a fire that slips through is rejected by the core as stale (and logged).
        return cancelTimer(this.targets, effect);
      case 'subscription.opened': {
        await index.putSubscription(effect);
        const now = clock.now();
        // The oldest buffered message this subscription takes: the first whose condition holds.
        const buffered = (await index.bufferedMessages(effect.messageName, effect.correlationKey, now))
          .find((m) => conditionHolds(effect.condition, { name: m.name, correlationKey: m.correlationKey, payload: m.variables }, now).holds);
        if (buffered) {
          await commands.send([{
            id: `msg:${buffered.messageId}:${effect.instanceId}`, instanceId: effect.instanceId,
            command: { type: 'correlateMessage', name: buffered.name, correlationKey: buffered.correlationKey, variables: buffered.variables, messageId: buffered.messageId, subscriptionId: effect.subscriptionId },
          }]);
        }
        return;
      }
      case 'subscription.closed':
        return index.deleteSubscription(effect);
      case 'message.publish':
        return events.publish({ id: effectId, name: effect.name, correlationKey: effect.correlationKey, variables: effect.variables, instanceId: effect.instanceId, elementId: effect.elementId });
      case 'signal.broadcast': {
        // The effect id is the signal id: a re-emitted version sends the same commands.
        if (!this.targets.starts) throw new Error('signal.broadcast needs EffectTargets.starts (the definition store and resolver)');
        const deps = { index, commands, clock, logger, ...this.targets.starts };
        await broadcastSignal(deps, { name: effect.name, variables: effect.variables, signalId: effectId });
        return;
      }
      case 'child.start':
      case 'child.cancel':
      case 'call.completed':
      case 'call.thrown':
        return performCall(this.targets, effect, effectId);
      case 'decision.evaluate':
        return performDecision(this.targets, effect);
      case 'incident.raised':
        logger.warn('incident raised', { effectId, ...effect });
        return;
      case 'command.redrive':
        return this.redrive(effect.commandId);
      case 'incident.resolved':
      case 'instance.ended':
        logger.info(effect.type, { effectId, instanceId: effect.instanceId });
        return;
      default: {
        const unknown: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
      }
    }
  }
}
