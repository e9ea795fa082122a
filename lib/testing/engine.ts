/**
 * An in-memory engine for tests: deploy BPMN, start instances, complete jobs and
 * tasks, correlate messages, move the clock, and read the path taken. It drives
 * the same pure `step` the Lambdas run, with no AWS and no I/O.
 *
 * @example
 * const engine = await TestEngine.deploy(xml);
 * const order = engine.start('telecom-order', { customer: { id: 'c1' } });
 * order.completeJob('kyc-check', { identityVerified: true });
 * expect(order.activeElements()).toEqual(['CheckCredit']);
 */
import { compileBpmn } from '../core/bpmn/model/compile.ts';
import type { Command } from '../core/commands.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProcessDefinition } from '../core/bpmn/model/types.ts';
import { matchingConditionalStarts } from '../core/bpmn/conditional-starts.ts';
import { nextStartFire, timerStartsOf, type PlannedStart } from '../core/bpmn/start-timers.ts';
import { step, type StepResult } from '../core/step.ts';
import { CallDispatcher } from './calls.ts';
import { SignalDispatcher } from './signals.ts';
import { DecisionDispatcher } from './decisions.ts';
import { compileDmn } from '../core/dmn/compile.ts';
import { isDmnXml } from '../core/dmn/parse.ts';
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
  /** Serialise and parse the state after every step, as the durable runtime does. */
  roundTrip?: boolean;
}

export class TestEngine {
  now: number;
  readonly roundTrip: boolean;
  readonly definitions = new Map<string, ProcessDefinition>();
  readonly instances = new Map<string, TestInstance>();
  /** The timer start events of the deployed definitions, with their next fire (as the deploy registry keeps them). */
  readonly startTimers: Array<PlannedStart & { definitionKey: string }> = [];
  /** Delivers call activity effects between parents and children (see calls.ts). */
  readonly calls = new CallDispatcher(this);
  /** Broadcasts signals across instances, thrown ones included (see signals.ts). */
  readonly signals = new SignalDispatcher(this);
  /** Deployed DMN decisions; answers business rule tasks' decision requests (see decisions.ts). */
  readonly decisions = new DecisionDispatcher(this);
  private counter = 0;

  constructor(definitions: ProcessDefinition[], options: TestEngineOptions = {}) {
    for (const def of definitions) this.definitions.set(def.key, def);
    this.now = options.now ?? Date.UTC(2026, 0, 1);
    this.roundTrip = options.roundTrip ?? false;
    for (const def of definitions) {
      const { starts, problems } = timerStartsOf(def, this.now);
      if (problems.length > 0) throw new DeployError(problems.map((message) => ({ elementId: null, message })));
      this.startTimers.push(...starts.map((s) => ({ ...s, definitionKey: def.key })));
    }
  }

  /** Deploys BPMN and DMN documents (told apart by their root namespace). */
  static async deploy(xml: string | string[], options?: TestEngineOptions): Promise<TestEngine> {
    const definitions: ProcessDefinition[] = [];
    const docs = Array.isArray(xml) ? xml : [xml];
    for (const doc of docs.filter((d) => !isDmnXml(d))) {
      const result = await compileBpmn(doc);
      if (!result.ok) throw new DeployError(result.errors);
      definitions.push(...result.processes);
    }
    const engine = new TestEngine(definitions, options);
    for (const doc of docs.filter(isDmnXml)) await engine.deployMore(doc);
    return engine;
  }

  definition(key: string): ProcessDefinition {
    const def = this.definitions.get(key);
    if (!def) throw new Error(`process '${key}' is not deployed (deployed: ${[...this.definitions.keys()].join(', ')})`);
    return def;
  }

  /** Starts an instance; throws if the start is rejected. */
  start(key: string, variables: JsonObject = {}, options: { businessKey?: string; startEventId?: string; instanceId?: string } = {}): TestInstance {
    const definition = this.definition(key);
    const instanceId = options.instanceId ?? `pi${++this.counter}`;
    const instance = new TestInstance(this, definition, instanceId);
    const command: Command = { type: 'start', instanceId, variables, businessKey: options.businessKey ?? null, ...(options.startEventId ? { startEventId: options.startEventId } : {}) };
    // Registered first: a child it calls may report back while the start is delivered.
    this.instances.set(instanceId, instance);
    try {
      instance.send(command, { throwOnRejection: true });
    } catch (error) {
      this.instances.delete(instanceId);
      throw error;
    }
    return instance;
  }

  /** Deploys more processes into a running engine (a new XML for a key replaces the old one). */
  async deployMore(xml: string): Promise<void> {
    if (isDmnXml(xml)) {
      const dmn = await compileDmn(xml);
      if (!dmn.ok) throw new DeployError(dmn.errors);
      this.decisions.deploy(dmn.definitions);
      return;
    }
    const result = await compileBpmn(xml);
    if (!result.ok) throw new DeployError(result.errors);
    for (const def of result.processes) this.definitions.set(def.key, def);
  }

  /** Runs one step with the engine clock, honouring `roundTrip`. */
  apply(definition: ProcessDefinition, state: TestInstance['state'], command: Command): StepResult {
    const input = state && this.roundTrip ? JSON.parse(JSON.stringify(state)) : state;
    const result = step(definition, input, command, { now: this.now });
    return this.roundTrip ? { ...result, state: JSON.parse(JSON.stringify(result.state)) } : result;
  }

  /**
   * Moves the clock forward and fires every timer that falls due, in due order: timers
   * of instances, and timer start events (each fire starts an instance at its start event).
   */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = this.nextTimer(until);
      const start = this.nextStartTimer(until);
      if (start && (!next || start.nextDueAt <= next.dueAt)) {
        this.now = Math.max(this.now, start.nextDueAt);
        this.fireStartTimer(start);
        continue;
      }
      if (!next) break;
      this.now = Math.max(this.now, next.dueAt);
      next.instance.send({ type: 'fireTimer', timerId: next.timerId });
    }
    this.now = until;
  }

  private nextStartTimer(until: number): { start: PlannedStart & { definitionKey: string }; nextDueAt: number } | null {
    let best: { start: PlannedStart & { definitionKey: string }; nextDueAt: number } | null = null;
    for (const start of this.startTimers) {
      const due = start.nextDueAt;
      if (due !== null && due <= until && (!best || due < best.nextDueAt)) best = { start, nextDueAt: due };
    }
    return best;
  }

  private fireStartTimer({ start, nextDueAt }: { start: PlannedStart & { definitionKey: string }; nextDueAt: number }): void {
    const next = nextStartFire(start, nextDueAt);
    start.nextDueAt = next?.dueAt ?? null;
    start.remaining = next?.remaining ?? start.remaining;
    this.start(start.definitionKey, {}, { startEventId: start.startEventId });
  }

  private nextTimer(until: number): { instance: TestInstance; timerId: string; dueAt: number } | null {
    let best: { instance: TestInstance; timerId: string; dueAt: number } | null = null;
    for (const instance of this.instances.values()) {
      if (instance.state.status !== 'active') continue;
      for (const timer of Object.values(instance.state.timers)) {
        if (timer.dueAt <= until && (!best || timer.dueAt < best.dueAt)) best = { instance, timerId: `${instance.id}.${timer.key}`, dueAt: timer.dueAt };
      }
    }
    return best;
  }

  /**
   * Starts an instance at every process-level conditional start event whose condition holds
   * over `variables` (with those variables), in deploy order. Returns the started instances.
   */
  evaluateConditions(variables: JsonObject): TestInstance[] {
    const started: TestInstance[] = [];
    for (const definition of this.definitions.values()) {
      const { startEventIds, problems } = matchingConditionalStarts(definition, variables, this.now);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      for (const startEventId of startEventIds) started.push(this.start(definition.key, variables, { startEventId }));
    }
    return started;
  }

  /** Broadcasts a signal: every instance waiting for it, and every process with a signal start event of that name. Returns how many. */
  broadcastSignal(name: string, variables: JsonObject = {}): number {
    return this.signals.broadcast(name, variables);
  }

  /** Publishes a message: correlates it to every waiting instance with that name and key. Returns how many. */
  publish(name: string, correlationKey: string, variables: JsonObject = {}): number {
    let count = 0;
    for (const instance of this.instances.values()) {
      const waiting = Object.values(instance.state.subscriptions).some((s) => s.messageName === name && s.correlationKey === correlationKey);
      if (waiting && !instance.send({ type: 'correlateMessage', name, correlationKey, variables }).rejection) count++;
    }
    return count;
  }
}
