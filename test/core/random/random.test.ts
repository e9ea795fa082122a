/**
 * Property tests of `step` over random valid models and random command sequences
 * (Zeebe's random-process tests). A failure prints the fast-check seed and path, the
 * shrunk model (outline + XML) and the concrete commands up to the failing step.
 *
 * More runs for a bug hunt: `RANDOM_RUNS=2000 npx vitest run test/core/random`.
 *
 * One instance is driven through `step`, so call activities (which need a child instance
 * and the call dispatcher of lib/testing's TestEngine) are not in these models: calls.test.ts
 * runs random parents and children with the TestEngine.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../../lib/core/bpmn/model/compile.ts';
import type { ProcessDefinition } from '../../../lib/core/bpmn/model/types.ts';
import { applyEvent, emptyState } from '../../../lib/core/state/apply.ts';
import type { InstanceState } from '../../../lib/core/state/types.ts';
import { nextChore, somethingOpen } from './chores.ts';
import {
  actionsArb, describeSteps, playScenario, Runner, startArb, T0,
  type RunOptions, type Scenario, type StepRecord,
} from './commands.ts';
import { Announced, earlyJoins, invariantViolations, leftoversAfterEnd } from './invariants.ts';
import { modelArb, outline, type GeneratedModel } from './model-generator.ts';

const RUNS = Number(process.env['RANDOM_RUNS'] ?? 200);

async function definitionOf(model: GeneratedModel): Promise<ProcessDefinition> {
  const result = await compileBpmn(model.xml);
  if (!result.ok) throw new Error(`generated model does not compile: ${JSON.stringify(result.errors)}\n${model.xml}`);
  return result.processes[0] as ProcessDefinition;
}

/** A property violation, reported with everything needed to replay it. */
class Counterexample extends Error {
  constructor(message: string, model: GeneratedModel, steps: StepRecord[], pending?: { command: unknown; now: number } | null) {
    const failing = pending ? `\n  >> @+${(pending.now - T0) / 1000}s ${JSON.stringify(pending.command)}` : '';
    super(`${message}\nmodel: ${outline(model.process)}\n${model.xml}\ncommands (step(definition, state, command, { now })):\n${describeSteps(steps)}${failing}`);
    this.name = 'Counterexample';
  }
}

function fail(message: string, model: GeneratedModel, steps: StepRecord[]): never {
  throw new Counterexample(message, model, steps);
}

/** Runs `body` on the runner; a throw from `step` itself is reported with the command that caused it. */
function guarded(model: GeneratedModel, runner: Runner, body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof Counterexample) throw error;
    const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    throw new Counterexample(`step threw: ${message}`, model, runner.steps, runner.pending);
  }
}

/** Starts the instance and plays the scenario's actions. */
function play(definition: ProcessDefinition, model: GeneratedModel, scenario: Scenario, options: RunOptions = {}): Runner {
  const runner = new Runner(definition, options);
  guarded(model, runner, () => playScenario(runner, scenario));
  return runner;
}

const scenarioArb = fc.record({ start: startArb, actions: actionsArb });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

describe('step (random models)', () => {
  it('compiles every generated model', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (model) => {
        const result = await compileBpmn(model.xml);
        expect(result.ok ? [] : result.errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the model and the commands', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        play(await definitionOf(model), model, scenario);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects stale and nonsense commands, leaving the state deep-equal and emitting nothing', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        runner.steps.forEach((s, i) => {
          const { result } = s;
          if (s.expect === 'reject' && !result.rejection) fail(`step ${i} must be rejected but was accepted`, model, runner.steps.slice(0, i + 1));
          if (!result.rejection) return;
          if (result.events.length > 0 || result.effects.length > 0) fail(`rejected step ${i} emitted events or effects`, model, runner.steps.slice(0, i + 1));
          if (s.input !== null && !isDeepStrictEqual(result.state, s.input)) fail(`rejected step ${i} changed the state`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts every command that still applies (open job, task, subscription, due timer, incident)', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        runner.steps.forEach((s, i) => {
          if (s.expect === 'accept' && s.result.rejection) {
            fail(`step ${i} applies but was rejected: ${s.result.rejection.code} ${s.result.rejection.message}`, model, runner.steps.slice(0, i + 1));
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps tokens on existing elements, and jobs, tasks, timers, subscriptions and incidents on live element instances', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const definition = await definitionOf(model);
        const runner = play(definition, model, scenario);
        runner.steps.forEach((s, i) => {
          const problems = invariantViolations(definition, s.result.state);
          if (problems.length > 0) fail(`after step ${i}:\n  ${problems.join('\n  ')}\nstate: ${JSON.stringify(s.result.state)}`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('fires a parallel or inclusive join only when no token is left inside its block', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        guarded(model, runner, () => {
          for (let chore = nextChore(runner.current, runner.now); chore && runner.steps.length < 300; chore = nextChore(runner.current, runner.now)) runner.send(chore.command, chore.now, chore.expect);
        });
        runner.steps.forEach((s, i) => {
          const early = s.result.rejection ? [] : earlyJoins(model.joins, s.result.events, s.result.state);
          if (early.length > 0) fail(`after step ${i}:\n  ${early.join('\n  ')}`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves nothing behind once the instance has ended (no element instances, jobs, tasks, timers, subscriptions, incidents or join arrivals)', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        runner.steps.forEach((s, i) => {
          const left = leftoversAfterEnd(s.result.state);
          if (left.length > 0) fail(`after step ${i}:\n  ${left.join('\n  ')}`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('announces through its effects exactly what is open: activatable jobs, tasks, timers, subscriptions, incidents', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        const announced = new Announced();
        runner.steps.forEach((s, i) => {
          if (s.result.rejection) return;
          announced.apply(s.result.effects, s.command);
          const differences = announced.differences(s.result.state);
          if (differences.length > 0) fail(`after step ${i}:\n  ${differences.join('\n  ')}`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('rebuilds the same state by applying its events, in order, to an empty state', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const runner = play(await definitionOf(model), model, scenario);
        const rebuilt = emptyState(runner.current.instanceId);
        runner.steps.forEach((s, i) => {
          if (s.result.rejection) return;
          for (const event of s.result.events) applyEvent(rebuilt, event);
          if (JSON.stringify(rebuilt) !== JSON.stringify(s.result.state)) {
            fail(`after step ${i} the events rebuild a different state:\n  rebuilt: ${JSON.stringify(rebuilt)}\n  state:   ${JSON.stringify(s.result.state)}`, model, runner.steps.slice(0, i + 1));
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('always reaches the end when whatever is open gets done, and is never active with nothing open', async () => {
    const MAX_CHORES = 300;
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const definition = await definitionOf(model);
        const runner = play(definition, model, scenario);
        const stuck = (state: InstanceState): boolean => state.status === 'active' && !somethingOpen(state);
        runner.steps.forEach((s, i) => {
          if (stuck(s.result.state)) fail(`after step ${i} the instance is active with nothing open: ${JSON.stringify(s.result.state)}`, model, runner.steps.slice(0, i + 1));
        });
        guarded(model, runner, () => {
          for (let chore = 0; runner.current.status === 'active'; chore++) {
            if (chore >= MAX_CHORES) fail(`still active after ${MAX_CHORES} chores`, model, runner.steps);
            const next = nextChore(runner.current, runner.now);
            if (!next) fail(`the instance is active with nothing open: ${JSON.stringify(runner.current)}`, model, runner.steps);
            const s = runner.send(next.command, next.now, next.expect);
            if (s.result.rejection) fail(`a chore was rejected: ${s.result.rejection.message}`, model, runner.steps);
            if (stuck(s.result.state)) fail(`the instance is active with nothing open: ${JSON.stringify(s.result.state)}`, model, runner.steps);
          }
        });
        const canceled = runner.steps.some((s) => s.command.type === 'cancel' && !s.result.rejection);
        expect(runner.current.status).toBe(canceled ? 'canceled' : 'completed');
      }),
      { numRuns: RUNS },
    );
  });

  it('gives deep-equal states, events and effects when the state is stored as JSON between steps', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const definition = await definitionOf(model);
        const direct = play(definition, model, scenario);
        const stored = play(definition, model, scenario, { roundTrip: true });
        direct.steps.forEach((s, i) => {
          const other = stored.steps[i];
          if (!other || !isDeepStrictEqual(other.command, s.command) || !isDeepStrictEqual(other.result, s.result)) {
            fail(`step ${i} differs after a JSON round trip of the state:\n  direct: ${JSON.stringify(s.result)}\n  stored: ${JSON.stringify(other?.result)}`, model, direct.steps.slice(0, i + 1));
          }
        });
        expect(stored.steps.length).toBe(direct.steps.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same model and commands give byte-identical states and events', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const definition = await definitionOf(model);
        const first = play(definition, model, scenario);
        const second = play(definition, model, scenario);
        const bytes = (r: Runner): string[] => r.steps.map((s) => JSON.stringify([s.command, s.now, s.result.state, s.result.events, s.result.effects, s.result.rejection]));
        const [a, b] = [bytes(first), bytes(second)];
        const i = a.findIndex((text, n) => text !== b[n]);
        if (i >= 0 || a.length !== b.length) fail(`step ${i} differs between two identical runs:\n  ${a[i]}\n  ${b[i]}`, model, first.steps.slice(0, i + 1));
      }),
      { numRuns: RUNS },
    );
  });

  it('never mutates the state, command or definition it is given', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, scenarioArb, async (model, scenario) => {
        const definition = deepFreeze(structuredClone(await definitionOf(model)));
        const snapshots: string[] = [];
        const runner = play(definition, model, scenario, {
          beforeStep: (input, command) => {
            snapshots.push(JSON.stringify([input, command]));
            deepFreeze(input);
            deepFreeze(command);
          },
        });
        runner.steps.forEach((s, i) => {
          if (JSON.stringify([s.input, s.command]) !== snapshots[i]) fail(`step ${i} changed its input`, model, runner.steps.slice(0, i + 1));
        });
      }),
      { numRuns: RUNS },
    );
  });
});
