/**
 * One process instance inside a TestEngine: send commands, read what is open, and the
 * path taken. What it shows is read from the versions the transitions wrote.
 */
import type { Command, Rejection } from '../core/commands.ts';
import type { Effect } from '../core/effects.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { DomainEvent } from '../core/state/events.ts';
import { ROOT, type InstanceState } from '../core/state/types.ts';
import type { StepResult } from '../core/step.ts';
import type { InstanceVersion } from '../ports.ts';
import type { TestEngine } from './engine.ts';

export type OpenJob = Extract<Effect, { type: 'job.activatable' }>;
export type OpenTask = Extract<Effect, { type: 'task.created' }>;

export class TestInstance {
  state!: InstanceState;
  readonly events: DomainEvent[] = [];
  readonly effects: Effect[] = [];
  /** Every command this instance was sent (by the test or by the engine), with what it did. */
  readonly steps: Array<{ command: Command; result: StepResult }> = [];
  private readonly jobInfo = new Map<string, OpenJob>();
  private readonly taskInfo = new Map<string, OpenTask>();

  constructor(
    private readonly engine: TestEngine,
    readonly definition: ProcessDefinition,
    readonly id: string,
  ) {}

  /** Applies one command (and whatever follows from it). Rejections are returned (or thrown with `throwOnRejection`). */
  async send(command: Command, options: { throwOnRejection?: boolean } = {}): Promise<StepResult> {
    return this.engine.execute({ id: this.engine.commandId(), instanceId: this.id, command }, options);
  }

  /** Records a version a transition wrote (called by the engine). */
  applied(version: InstanceVersion): StepResult {
    const result: StepResult = { state: version.state, events: version.events, effects: version.effects };
    this.steps.push({ command: version.command as Command, result });
    this.state = version.state;
    this.events.push(...version.events);
    this.effects.push(...version.effects);
    for (const effect of version.effects) {
      if (effect.type === 'job.activatable') this.jobInfo.set(effect.jobId, effect);
      if (effect.type === 'task.created') this.taskInfo.set(effect.taskId, effect);
    }
    return result;
  }

  /** Records a command the instance rejected (called by the engine). */
  rejected(command: Command, rejection: Rejection): StepResult {
    const result: StepResult = { state: this.state, events: [], effects: [], rejection };
    this.steps.push({ command, result });
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
  async completeJob(typeOrId: string, variables: JsonObject = {}): Promise<StepResult> {
    return this.send({ type: 'completeJob', jobId: this.job(typeOrId).jobId, variables }, { throwOnRejection: true });
  }

  async failJob(typeOrId: string, retries: number, errorMessage = 'failed', retryBackoffMs?: number): Promise<StepResult> {
    const jobId = this.job(typeOrId).jobId;
    return this.send({ type: 'failJob', jobId, retries, errorMessage, ...(retryBackoffMs !== undefined ? { retryBackoffMs } : {}) }, { throwOnRejection: true });
  }

  async throwError(typeOrId: string, errorCode: string, errorMessage?: string): Promise<StepResult> {
    const jobId = this.job(typeOrId).jobId;
    return this.send({ type: 'throwError', jobId, errorCode, ...(errorMessage ? { errorMessage } : {}) }, { throwOnRejection: true });
  }

  /** Completes the open user task of an element (or the task with that id). */
  async completeTask(elementOrTaskId: string, variables: JsonObject = {}): Promise<StepResult> {
    const task = this.tasks().find((t) => t.taskId === elementOrTaskId || t.elementId === elementOrTaskId);
    if (!task) throw new Error(`no open task '${elementOrTaskId}'`);
    return this.send({ type: 'completeTask', taskId: task.taskId, variables }, { throwOnRejection: true });
  }

  async correlate(name: string, correlationKey: string, variables: JsonObject = {}): Promise<StepResult> {
    return this.send({ type: 'correlateMessage', name, correlationKey, variables });
  }

  async resolveIncident(incidentId?: string, retries?: number): Promise<StepResult> {
    const id = incidentId ?? this.incidents()[0]?.incidentId;
    if (!id) throw new Error('no open incident');
    return this.send({ type: 'resolveIncident', incidentId: id, ...(retries !== undefined ? { retries } : {}) }, { throwOnRejection: true });
  }

  async setVariables(variables: JsonObject): Promise<StepResult> {
    return this.send({ type: 'setVariables', variables }, { throwOnRejection: true });
  }

  async cancel(): Promise<StepResult> {
    return this.send({ type: 'cancel' }, { throwOnRejection: true });
  }

  /** Rolls the instance back to the state of an earlier version (the API's rollback: a new version, its effects reconciled). */
  async rollback(toVersion: number): Promise<StepResult> {
    return this.engine.execute({ id: this.engine.commandId(), instanceId: this.id, command: { type: 'rollback', toVersion } }, { throwOnRejection: true });
  }
}
