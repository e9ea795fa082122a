/**
 * One process instance inside a TestEngine: send commands, read what is open,
 * and the path taken.
 */
import type { Command } from '../core/commands.ts';
import type { Effect } from '../core/effects.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { DomainEvent } from '../core/state/events.ts';
import { ROOT, type InstanceState } from '../core/state/types.ts';
import type { StepResult } from '../core/step.ts';
import type { TestEngine } from './engine.ts';

export type OpenJob = Extract<Effect, { type: 'job.activatable' }>;
export type OpenTask = Extract<Effect, { type: 'task.created' }>;

export class TestInstance {
  state!: InstanceState;
  readonly events: DomainEvent[] = [];
  readonly effects: Effect[] = [];
  readonly steps: Array<{ command: Command; result: StepResult }> = [];
  private readonly jobInfo = new Map<string, OpenJob>();
  private readonly taskInfo = new Map<string, OpenTask>();

  constructor(
    private readonly engine: TestEngine,
    readonly definition: ProcessDefinition,
    readonly id: string,
  ) {}

  /** Applies one command. Rejections are returned (or thrown with `throwOnRejection`). */
  send(command: Command, options: { throwOnRejection?: boolean } = {}): StepResult {
    const result = this.engine.apply(this.definition, this.state ?? null, command);
    this.steps.push({ command, result });
    if (result.rejection) {
      if (options.throwOnRejection) throw new Error(`${command.type} rejected: ${result.rejection.code}: ${result.rejection.message}`);
      return result;
    }
    this.state = result.state;
    this.events.push(...result.events);
    this.effects.push(...result.effects);
    for (const effect of result.effects) {
      if (effect.type === 'job.activatable') this.jobInfo.set(effect.jobId, effect);
      if (effect.type === 'task.created') this.taskInfo.set(effect.taskId, effect);
    }
    this.engine.calls.deliver(result.effects);
    this.engine.decisions.deliver(this.id, result.effects);
    this.engine.signals.deliver(result.effects);
    return result;
  }

  /** The child instances its call activities started, oldest first. */
  children(): TestInstance[] {
    return [...this.engine.instances.values()].filter((i) => i.state?.parent?.instanceId === this.id);
  }

  get status(): InstanceState['status'] {
    return this.state.status;
  }

  get variables(): JsonObject {
    return this.state.vars[ROOT] ?? {};
  }

  /** Element ids of the active element instances, sorted. */
  activeElements(): string[] {
    return Object.values(this.state.elements).map((e) => e.elementId).sort();
  }

  /** Element ids in the order they completed. */
  completedElements(): string[] {
    return this.events.filter((e) => e.type === 'ElementCompleted').map((e) => (e as { elementId: string }).elementId);
  }

  /** Element ids in the order they were activated. */
  activatedElements(): string[] {
    return this.events.filter((e) => e.type === 'ElementActivated').map((e) => (e as { elementId: string }).elementId);
  }

  eventTypes(): string[] {
    return this.events.map((e) => e.type);
  }

  jobs(jobType?: string): OpenJob[] {
    return Object.values(this.state.jobs)
      .filter((j) => !jobType || j.jobType === jobType)
      .map((j) => this.jobInfo.get(`${this.id}.${j.key}`))
      .filter((j): j is OpenJob => Boolean(j));
  }

  tasks(): OpenTask[] {
    return Object.keys(this.state.tasks).map((k) => this.taskInfo.get(`${this.id}.${k}`)).filter((t): t is OpenTask => Boolean(t));
  }

  incidents() {
    return Object.values(this.state.incidents).map((i) => ({ ...i, incidentId: `${this.id}.${i.key}` }));
  }

  private job(typeOrId: string): OpenJob {
    const job = this.jobs().find((j) => j.jobId === typeOrId) ?? this.jobs(typeOrId)[0];
    if (!job) throw new Error(`no open job '${typeOrId}' (open: ${this.jobs().map((j) => j.jobType).join(', ') || 'none'})`);
    return job;
  }

  /** Completes the first open job of a type (or the job with that id). */
  completeJob(typeOrId: string, variables: JsonObject = {}): StepResult {
    return this.send({ type: 'completeJob', jobId: this.job(typeOrId).jobId, variables }, { throwOnRejection: true });
  }

  failJob(typeOrId: string, retries: number, errorMessage = 'failed', retryBackoffMs?: number): StepResult {
    const jobId = this.job(typeOrId).jobId;
    return this.send({ type: 'failJob', jobId, retries, errorMessage, ...(retryBackoffMs !== undefined ? { retryBackoffMs } : {}) }, { throwOnRejection: true });
  }

  throwError(typeOrId: string, errorCode: string, errorMessage?: string): StepResult {
    const jobId = this.job(typeOrId).jobId;
    return this.send({ type: 'throwError', jobId, errorCode, ...(errorMessage ? { errorMessage } : {}) }, { throwOnRejection: true });
  }

  /** Completes the open user task of an element (or the task with that id). */
  completeTask(elementOrTaskId: string, variables: JsonObject = {}): StepResult {
    const task = this.tasks().find((t) => t.taskId === elementOrTaskId || t.elementId === elementOrTaskId);
    if (!task) throw new Error(`no open task '${elementOrTaskId}'`);
    return this.send({ type: 'completeTask', taskId: task.taskId, variables }, { throwOnRejection: true });
  }

  correlate(name: string, correlationKey: string, variables: JsonObject = {}): StepResult {
    return this.send({ type: 'correlateMessage', name, correlationKey, variables });
  }

  resolveIncident(incidentId?: string, retries?: number): StepResult {
    const id = incidentId ?? this.incidents()[0]?.incidentId;
    if (!id) throw new Error('no open incident');
    return this.send({ type: 'resolveIncident', incidentId: id, ...(retries !== undefined ? { retries } : {}) }, { throwOnRejection: true });
  }

  setVariables(variables: JsonObject): StepResult {
    return this.send({ type: 'setVariables', variables }, { throwOnRejection: true });
  }

  cancel(): StepResult {
    return this.send({ type: 'cancel' }, { throwOnRejection: true });
  }
}
