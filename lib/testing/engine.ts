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
import { compileBpmn } from '../core/model/compile.ts';
import type { Command } from '../core/commands.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProcessDefinition } from '../core/model/types.ts';
import { nextStartFire, timerStartsOf, type PlannedStart } from '../core/start-timers.ts';
import { step, type StepResult } from '../core/step.ts';
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

  static async deploy(xml: string | string[], options?: TestEngineOptions): Promise<TestEngine> {
    const definitions: ProcessDefinition[] = [];
    for (const doc of Array.isArray(xml) ? xml : [xml]) {
      const result = await compileBpmn(doc);
      if (!result.ok) throw new DeployError(result.errors);
      definitions.push(...result.processes);
    }
    return new TestEngine(definitions, options);
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
    instance.send(command, { throwOnRejection: true });
    this.instances.set(instanceId, instance);
    return instance;
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
