/**
 * The driver: plays the part of the clients. Each step it looks at one instance as a client
 * would (the job and task index, an eventually consistent read of the instance), asks the
 * generator for a command and sends it on its route: the commands queue (CommandBus), a
 * direct applyCommand racing the pollers, or the signal service. Now and then it also sends
 * an earlier envelope again: an exact duplicate (same SQS dedup id), a replay after the dedup
 * window (a new dedup id), or a direct re-apply racing the queue.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { jobsWithVariables, tasksWithVariables } from '../../lib/app/service/open-items.ts';
import { signalCommands } from '../../lib/app/service/signals.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import type { CommandEnvelope } from '../../lib/ports.ts';
import { JOB_TYPES } from '../core/random/model-generator.ts';
import type { Random } from '../support/weak-aws/index.ts';
import type { Sent } from './checker.ts';
import { concretize, pickKind, startEnvelope, type JobItem, type Route, type Sight, type TaskItem } from './commands.ts';
import type { World } from './world.ts';

export interface Target {
  instanceId: string;
  definition: { key: string; version: number };
}

/** One line of the command log (printed for a failing seed). */
export interface LogLine {
  step: number;
  how: Route | 'duplicate' | 'replay' | 'reapply';
  id: string;
  instanceId: string;
  type: string;
  outcome: string;
}

const MAX_DIRECT_IN_FLIGHT = 3;

export class Driver {
  readonly sent: Sent[] = [];
  readonly log: LogLine[] = [];
  readonly counts: Record<string, number> = {};
  private readonly envelopes: CommandEnvelope[] = [];
  private inFlight: Array<Promise<void>> = [];
  /** Every instance id started so far (a finished instance's slot gets a new one). */
  readonly instanceIds: string[];

  constructor(private readonly world: World, private readonly rng: Random, private readonly targets: Target[], private readonly runId: string) {
    this.instanceIds = targets.map((t) => t.instanceId);
  }

  private count(what: string): void {
    this.counts[what] = (this.counts[what] ?? 0) + 1;
  }

  async startAll(): Promise<void> {
    for (const [i, target] of this.targets.entries()) {
      const envelope = startEnvelope(`${this.runId}-start-${i}`, target, { blob: 'start'.padEnd(1000, '.') });
      await this.route(0, envelope, this.rng.next() < 0.7 ? 'queue' : 'direct');
    }
  }

  /** One client action; returns false when the generator had nothing to aim at. */
  async step(step: number): Promise<boolean> {
    const slot = Math.floor(this.rng.next() * this.targets.length);
    const target = this.targets[slot] as Target;
    const kind = pickKind(this.rng);
    const [routeDraw, renewDraw] = this.rng.draws(2) as [number, number];
    await this.again(step);
    const sight = await this.look(target).catch(() => null);
    if (!sight) return false;
    if (sight.state && sight.state.status !== 'active' && renewDraw < 0.7) {
      await this.renew(step, slot, routeDraw);
      return true;
    }
    const planned = concretize(this.rng, kind, sight, step);
    if (!planned) return false;
    if (planned.dueAt !== undefined) this.world.clock.advanceTo(planned.dueAt);
    const envelope: CommandEnvelope = { id: `${this.runId}-c${step}`, instanceId: target.instanceId, command: planned.command };
    const route: Route = planned.command.type === 'broadcastSignal' && routeDraw < 0.3 ? 'service' : routeDraw < 0.65 ? 'queue' : 'direct';
    this.count(`${kind}/${route}`);
    await this.route(step, envelope, route);
    return true;
  }

  /** A finished instance's slot gets a new instance of the same definition. */
  private async renew(step: number, slot: number, routeDraw: number): Promise<void> {
    const old = this.targets[slot] as Target;
    const next: Target = { instanceId: `${old.instanceId.replace(/-g\d+$/, '')}-g${step}`, definition: old.definition };
    this.targets[slot] = next;
    this.instanceIds.push(next.instanceId);
    this.count('renew');
    await this.route(step, startEnvelope(`${this.runId}-c${step}`, next, { blob: 'start'.padEnd(1000, '.') }), routeDraw < 0.65 ? 'queue' : 'direct');
  }

  /** Waits for the direct applies still running. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    this.inFlight = [];
  }

  private async look(target: Target): Promise<Sight> {
    const { rt } = this.world;
    const { latest } = await rt.instances.load(target.instanceId, false);
    const listed = (await Promise.all(JOB_TYPES.map((t) => rt.index.listJobs(t, { limit: 100 })))).flat();
    const mine = <T extends { instanceId: string }>(items: T[]) => items.filter((i) => i.instanceId === target.instanceId);
    const jobs: JobItem[] = await jobsWithVariables(rt.instances, mine(listed));
    const tasks: TaskItem[] = await tasksWithVariables(rt.instances, mine(await rt.index.listTasks({ candidateGroup: 'g' })));
    return { instanceId: target.instanceId, definition: target.definition, state: latest?.state ?? null, version: latest?.version ?? 0, jobs, tasks };
  }

  private async route(step: number, envelope: CommandEnvelope, route: Route): Promise<void> {
    this.envelopes.push(envelope);
    if (route === 'queue') return this.enqueue(step, envelope, 'queue');
    if (route === 'service') return this.signalService(step, envelope);
    if (this.inFlight.length >= MAX_DIRECT_IN_FLIGHT) await this.settle();
    this.inFlight.push(this.direct(step, envelope, 'direct'));
  }

  /** Sends on the commands queue, retrying as a client would when SQS refuses; accepted once SQS took it. */
  private async enqueue(step: number, envelope: CommandEnvelope, how: LogLine['how']): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        await this.world.rt.commands.send([envelope]);
        this.record(step, how, envelope, 'queued', true);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    this.record(step, how, envelope, 'refused by SQS', false);
  }

  /** applyCommand, as the API would run it; after repeated failures the client falls back to the queue. */
  private async direct(step: number, envelope: CommandEnvelope, how: LogLine['how']): Promise<void> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        const outcome = await applyCommand(this.world.rt.transition, envelope);
        this.record(step, how, envelope, outcome.status === 'rejected' ? `rejected ${outcome.rejection.code}` : `${outcome.status} v${outcome.version}`, true);
        return;
      } catch (error) {
        this.count(`directError:${(error as Error).name}`);
      }
    }
    await this.enqueue(step, envelope, how);
  }

  private async signalService(step: number, envelope: CommandEnvelope): Promise<void> {
    if (envelope.command.type !== 'broadcastSignal') return;
    const { rt } = this.world;
    const deps = { index: rt.index, definitions: rt.definitions, resolver: rt.transition.definitions, clock: rt.clock, logger: rt.logger };
    try {
      const { envelopes } = await signalCommands(deps, { name: envelope.command.name, variables: envelope.command.variables, signalId: envelope.id });
      for (const e of envelopes) await this.enqueue(step, e, 'service');
    } catch {
      this.record(step, 'service', envelope, 'lookup failed', false);
    }
  }

  /** Sends an earlier envelope again: exact duplicate, replay after the dedup window, or a racing direct apply. */
  private async again(step: number): Promise<void> {
    const [u, v] = this.rng.draws(2) as [number, number];
    const old = this.envelopes[Math.floor(v * this.envelopes.length)];
    if (!old || u >= 0.24) return;
    if (u < 0.08) return this.enqueue(step, old, 'duplicate');
    if (u < 0.16) return this.replay(step, old);
    if (this.inFlight.length >= MAX_DIRECT_IN_FLIGHT) await this.settle();
    this.inFlight.push(this.direct(step, old, 'reapply'));
  }

  /** The same body with a new deduplication id: SQS delivers it again, as after the 5-minute window. */
  private async replay(step: number, envelope: CommandEnvelope): Promise<void> {
    try {
      await this.world.clean.sqs.send(new SendMessageCommand({
        QueueUrl: this.world.queues.commands, MessageBody: JSON.stringify(envelope), MessageGroupId: envelope.instanceId, MessageDeduplicationId: `replay-${step}`,
      }));
      this.record(step, 'replay', envelope, 'queued', true);
    } catch {
      this.record(step, 'replay', envelope, 'refused by SQS', false);
    }
  }

  private record(step: number, how: LogLine['how'], envelope: CommandEnvelope, outcome: string, accepted: boolean): void {
    this.log.push({ step, how, id: envelope.id, instanceId: envelope.instanceId, type: envelope.command.type, outcome });
    this.count(`sent:${how}`);
    this.sent.push({ id: envelope.id, instanceId: envelope.instanceId, type: envelope.command.type, accepted, ...(outcome.startsWith('rejected') ? { outcome: 'rejected' } : {}) });
  }
}
