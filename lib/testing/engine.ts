/**
 * An in-memory engine for tests: deploy BPMN and DMN, start instances, complete jobs and
 * tasks, correlate messages, move the clock, and read the path taken. It runs the SAME
 * use cases as the Lambdas, over the memory adapters (lib/adapters/memory): deploys go
 * through the API's deploy, every command through the transition protocol
 * (`handleCommand` -> `applyCommand`), every effect through the EffectDispatcher, timers
 * through the timers handler (`forwardTimer`), messages, signals and conditions through
 * the API's services. What a test sees is what the durable path does.
 *
 * Every method that changes something is async and returns once the engine is quiet: the
 * commands its effects sent (call activities, decisions, thrown signals, buffered
 * messages) have been applied, in the order they were sent, until none is left. Time is
 * simulated: `advance` moves the clock and fires each timer that falls due, in due order.
 *
 * @example
 * const engine = await TestEngine.deploy(xml);
 * const order = await engine.start('telecom-order', { customer: { id: 'c1' } });
 * await order.completeJob('kyc-check', { identityVerified: true });
 * expect(order.activeElements()).toEqual(['CheckCredit']);
 */
import { createMemoryRuntime, type MemoryRuntime } from '../composition/memory.ts';
import { handleCommand } from '../app/batch.ts';
import { DeployRefused, FiredEarly } from '../app/errors.ts';
import { envelope } from '../app/service/commands.ts';
import { evaluateConditions } from '../app/service/conditions.ts';
import { deployDefinitions } from '../app/service/definitions.ts';
import { publishMessage } from '../app/service/messages.ts';
import { broadcastSignal } from '../app/service/signals.ts';
import { forwardTimer } from '../app/timers.ts';
import type { Command } from '../core/commands.ts';
import { isDmnXml } from '../core/dmn/parse.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { StepResult } from '../core/step.ts';
import type { CommandEnvelope, Logger } from '../ports.ts';
import { TestInstance } from './instance.ts';

export class DeployError extends Error {
  constructor(readonly problems: Array<{ elementId: string | null; message: string; line?: number }>) {
    super(`deploy refused:\n${problems.map((p) => `  ${p.elementId ?? '(document)'}${p.line ? ` line ${p.line}` : ''}: ${p.message}`).join('\n')}`);
    this.name = 'DeployError';
  }
}

export interface TestEngineOptions {
  /** Start of the simulated clock (epoch ms). Default 2026-01-01T00:00:00Z. */
  now?: number;
  /**
   * Kept for compatibility: the state is always serialised and parsed between steps now,
   * since the memory store keeps JSON copies as the durable store does.
   */
  roundTrip?: boolean;
}

/** What the use cases logged (warnings such as a condition that failed to evaluate), for tests that look. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export class TestEngine {
  now: number;
  readonly roundTrip = true;
  /** The latest deployed version of each process, compiled. */
  readonly definitions = new Map<string, ProcessDefinition>();
  /** Every instance started so far (children and timer, message and signal starts included), oldest first. */
  readonly instances = new Map<string, TestInstance>();
  /** The ports and use cases underneath (memory adapters): for tests that look at the index, the outbox... */
  readonly runtime: MemoryRuntime;
  readonly logs: LogLine[] = [];
  private counter = 0;
  private ids = 0;

  private constructor(options: TestEngineOptions = {}) {
    this.now = options.now ?? Date.UTC(2026, 0, 1);
    const logger: Logger = {
      info: (message, data) => { this.logs.push({ level: 'info', message, ...(data ? { data } : {}) }); },
      warn: (message, data) => { this.logs.push({ level: 'warn', message, ...(data ? { data } : {}) }); },
      error: (message, data) => { this.logs.push({ level: 'error', message, ...(data ? { data } : {}) }); },
    };
    this.runtime = createMemoryRuntime({ clock: { now: () => this.now }, logger, sleep: async () => undefined });
  }

  /** Deploys BPMN and DMN documents (told apart by their root namespace). */
  static async deploy(xml: string | string[], options?: TestEngineOptions): Promise<TestEngine> {
    const engine = new TestEngine(options);
    const docs = Array.isArray(xml) ? xml : [xml];
    for (const doc of [...docs.filter((d) => !isDmnXml(d)), ...docs.filter(isDmnXml)]) await engine.deployMore(doc);
    return engine;
  }

  /** The latest deployed version of a process, compiled. */
  definition(key: string): ProcessDefinition {
    const def = this.definitions.get(key);
    if (!def) throw new Error(`process '${key}' is not deployed (deployed: ${[...this.definitions.keys()].join(', ')})`);
    return def;
  }

  /** Deploys another document into the running engine: a new XML for a key is its next version, which new instances run. */
  async deployMore(xml: string): Promise<void> {
    let deployed;
    try {
      deployed = await deployDefinitions(this.runtime.service, xml);
    } catch (error) {
      if (error instanceof DeployRefused) throw new DeployError(error.problems);
      throw error;
    }
    for (const d of deployed) {
      if (await this.runtime.definitions.get(d.key, d.version)) this.definitions.set(d.key, await this.runtime.resolver.resolve(d.key, d.version));
    }
    await this.drain();
  }

  /** Starts an instance of the latest version; throws if the start is rejected. */
  async start(key: string, variables: JsonObject = {}, options: { businessKey?: string; startEventId?: string; instanceId?: string } = {}): Promise<TestInstance> {
    this.definition(key);
    const latest = await this.runtime.definitions.latest(key);
    const instanceId = options.instanceId ?? `pi${++this.counter}`;
    const command: Command = { type: 'start', instanceId, variables, businessKey: options.businessKey ?? null, ...(options.startEventId ? { startEventId: options.startEventId } : {}) };
    await this.execute(envelope(instanceId, this.commandId(), command, { key, version: latest?.version ?? 0 }), { throwOnRejection: true });
    return this.instances.get(instanceId) as TestInstance;
  }

  /**
   * Moves the clock forward and fires every timer that falls due, in due order: timers
   * of instances, and timer start events (each fire starts an instance at its start event).
   */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (let timer = this.runtime.timers.takeDue(until); timer; timer = this.runtime.timers.takeDue(until)) {
      this.now = Math.max(this.now, timer.dueAt);
      await forwardTimer(this.runtime.timerDeps, timer);
      await this.drain();
    }
    this.now = until;
  }

  /**
   * Starts an instance at every process-level conditional start event whose condition holds
   * over `variables` (with those variables). Returns the started instances.
   */
  async evaluateConditions(variables: JsonObject): Promise<TestInstance[]> {
    const { started } = await evaluateConditions(this.runtime.service, { variables, requestId: this.commandId() });
    await this.drain();
    return started.flatMap((s) => this.instances.get(s.instanceId) ?? []);
  }

  /** Broadcasts a signal: every instance waiting for it, and every process with a signal start event of that name. Returns how many. */
  async broadcastSignal(name: string, variables: JsonObject = {}): Promise<number> {
    const { signaled } = await broadcastSignal(this.runtime.service, { name, variables, signalId: this.commandId() });
    await this.drain();
    return signaled;
  }

  /** Publishes a message: correlates it to every waiting instance with that name and key (and starts message start events). Returns how many. */
  async publish(name: string, correlationKey: string, variables: JsonObject = {}, options: { timeToLiveMs?: number } = {}): Promise<number> {
    const { correlated } = await publishMessage(this.runtime.service, { name, correlationKey, variables, messageId: this.commandId(), timeToLiveMs: options.timeToLiveMs });
    await this.drain();
    return correlated;
  }

  /** A fresh command id (deterministic: the n-th id of this engine). */
  commandId(): string {
    return `test-${++this.ids}`;
  }

  /**
   * Applies one command as the commands handler does, then everything it caused. Returns
   * what it did to its instance; a rejection is returned (or thrown with `throwOnRejection`).
   */
  async execute(command: CommandEnvelope, options: { throwOnRejection?: boolean } = {}): Promise<StepResult> {
    const result = await this.handle(command);
    if (result.rejection && options.throwOnRejection) throw new Error(`${command.command.type} rejected: ${result.rejection.code}: ${result.rejection.message}`);
    await this.drain();
    return result;
  }

  /** Applies queued commands, in the order they were sent, until none is left. */
  private async drain(): Promise<void> {
    for (let next = this.runtime.commands.take(); next; next = this.runtime.commands.take()) await this.handle(next);
  }

  private async handle(command: CommandEnvelope): Promise<StepResult> {
    let outcome;
    try {
      outcome = await handleCommand(this.runtime.transition, command);
    } catch (error) {
      // A timer fired early: the queue would retry it later; here it is the caller's answer.
      if (!(error instanceof FiredEarly)) throw error;
      outcome = { status: 'rejected' as const, rejection: error.rejection, version: null, retries: 0 };
    }
    let instance = this.instances.get(command.instanceId);
    if (outcome.status === 'applied') {
      const version = await this.runtime.instances.getVersion(command.instanceId, outcome.version);
      if (!version) throw new Error(`version ${outcome.version} of '${command.instanceId}' is missing`);
      if (!instance) {
        instance = new TestInstance(this, await this.runtime.resolver.resolve(version.definitionKey, version.definitionVersion), command.instanceId);
        this.instances.set(command.instanceId, instance);
      }
      return instance.applied(version);
    }
    if (outcome.status === 'duplicate') return { state: instance?.state as StepResult['state'], events: [], effects: [] };
    return instance ? instance.rejected(command.command as Command, outcome.rejection) : { state: null as never, events: [], effects: [], rejection: outcome.rejection };
  }
}
