/**
 * Call activities over random models: a random parent process calls a random child
 * process, and lib/testing's TestEngine runs both (its call dispatcher starts children,
 * delivers their completion, escalations and cancels; its signal dispatcher delivers thrown
 * signals to every instance). The driver does the open chores of the instances in a random
 * interleaving, moving the engine clock for timers, and checks every step of every instance.
 *
 * `RANDOM_RUNS` sets the number of runs, as in random.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../lib/core/commands.ts';
import type { InstanceState } from '../../../lib/core/state/types.ts';
import { signalSubscriptionName } from '../../../lib/core/bpmn/model/types.ts';
import { TestEngine, type TestInstance } from '../../../lib/testing/index.ts';
import { isLastResort, nextChore, somethingOpen } from './chores.ts';
import { invariantViolations, leftoversAfterEnd } from './invariants.ts';
import { callModelArb, outline, type GeneratedModel } from './model-generator.ts';

const RUNS = Math.ceil(Number(process.env['RANDOM_RUNS'] ?? 200) / 2);
const MAX_STEPS = 400;

/** Problems between the instances: each open call's child runs, and each running child's parent waits for it. */
function linkProblems(engine: TestEngine): string[] {
  const problems: string[] = [];
  for (const pi of engine.instances.values()) {
    for (const call of Object.values(pi.state.calls ?? {})) {
      const child = engine.instances.get(call.childInstanceId);
      if (child?.status !== 'active') problems.push(`${pi.id} waits for child ${call.childInstanceId}, which is ${child?.status ?? 'not started'}`);
    }
    const parent = pi.state.parent;
    if (!parent || pi.status !== 'active') continue;
    const waiting = Object.values(engine.instances.get(parent.instanceId)?.state.calls ?? {}).some((c) => c.childInstanceId === pi.id);
    if (!waiting) problems.push(`child ${pi.id} runs, but its parent ${parent.instanceId} does not wait for it`);
  }
  return problems;
}

/**
 * A command sent by an effect (through the commands queue, as on the durable path) that
 * arrives too late, rejected as stale (as a job completion for a canceled job is): a
 * child's report of its end when the parent's call activity no longer waits for that child
 * (a boundary event or the parent's end came first), a parent's cancel reaching a child
 * that ended meanwhile, a thrown signal reaching an instance that ended (or closed the
 * signal's subscription) between the broadcast and the delivery, or a timer that was due when the step that closed it ran (it had
 * left for the timers queue already: lib/app/timers.ts `cancelTimer`). Any other rejection is a problem: the driver itself only
 * sends chores that apply.
 */
function staleDelivery(command: Command, before: InstanceState | null): boolean {
  if (command.type === 'broadcastSignal') return before?.status !== 'active' || !Object.values(before.subscriptions).some((sub) => sub.messageName === signalSubscriptionName(command.name));
  if (command.type === 'cancel' && command.byParent) return before?.status !== 'active';
  if (command.type === 'fireTimer') return before?.status !== 'active' || !Object.keys(before.timers).some((key) => command.timerId.endsWith(`.${key}`));
  if (command.type !== 'completeCall' && command.type !== 'callThrown') return false;
  return !Object.values(before?.calls ?? {}).some((call) => call.childInstanceId === command.childInstanceId);
}

/** Every broken invariant of every step of every instance so far. */
function stepProblems(instances: Iterable<TestInstance>): string[] {
  const problems: string[] = [];
  for (const pi of instances) {
    let before: InstanceState | null = null;
    pi.steps.forEach(({ command, result }, i) => {
      const rejected = result.rejection && !staleDelivery(command, before) ? [`rejected: ${result.rejection.message}`] : [];
      const found = result.rejection ? rejected : [...invariantViolations(pi.definition, result.state), ...leftoversAfterEnd(result.state)];
      before = result.state;
      if (result.state.status === 'active' && !somethingOpen(result.state)) found.push('active with nothing open');
      if (found.length > 0) problems.push(`${pi.id} step ${i} ${JSON.stringify(command)}:\n    ${found.join('\n    ')}`);
    });
  }
  return problems;
}

function report(message: string, parent: GeneratedModel, child: GeneratedModel, engine: TestEngine): never {
  const log = [...engine.instances.values()].map((pi) => `  ${pi.id} (${pi.definition.key}, ${pi.status}): ${pi.steps.map((s) => s.command.type).join(', ')}`).join('\n');
  throw new Error(`${message}\nparent: ${outline(parent.process)}\nchild:  ${outline(child.process)}\n${parent.xml}\n${child.xml}\ninstances:\n${log}`);
}

describe('call activities (random parent and child models, TestEngine)', () => {
  it('ends parent and children, keeping each instance sound and parents and children linked', async () => {
    let withChildren = 0;
    await fc.assert(
      fc.asyncProperty(callModelArb, fc.integer({ min: 0, max: 3 }), fc.array(fc.nat(), { maxLength: 40 }), async ({ parent, child }, x, picks) => {
        const engine = await TestEngine.deploy([parent.xml, child.xml]);
        const root = await engine.start('process', { key: 'k1', x });
        for (let n = 0; root.status === 'active'; n++) {
          const steps = [...engine.instances.values()].reduce((sum, pi) => sum + pi.steps.length, 0);
          if (steps > MAX_STEPS) report(`still active after ${MAX_STEPS} steps`, parent, child, engine);
          const links = linkProblems(engine);
          if (links.length > 0) report(links.join('\n'), parent, child, engine);
          const chores = [...engine.instances.values()].flatMap((pi) => {
            const chore = pi.status === 'active' ? nextChore(pi.state, engine.now) : null;
            return chore ? [{ pi, chore, lastResort: isLastResort(pi.state, chore) }] : [];
          });
          // As within one instance (chores.ts), boundary and event subprocess messages only when no instance has anything else.
          const progress = chores.filter((c) => !c.lastResort);
          const open = progress.length > 0 ? progress : chores;
          const next = open[(picks[n] ?? 0) % Math.max(open.length, 1)];
          if (!next) report('an instance is active with nothing to do', parent, child, engine);
          if (next.chore.command.type === 'fireTimer') await engine.advance(next.chore.now - engine.now);
          else await next.pi.send(next.chore.command);
        }
        const problems = stepProblems(engine.instances.values());
        const running = [...engine.instances.values()].filter((pi) => pi.status === 'active').map((pi) => pi.id);
        if (running.length > 0) problems.push(`the parent completed, but these instances still run: ${running.join(', ')}`);
        if (root.status !== 'completed') problems.push(`the parent is ${root.status}`);
        if (problems.length > 0) report(problems.join('\n'), parent, child, engine);
        const children = [...engine.instances.values()].filter((pi) => pi.state.parent);
        if (children.some((pi) => pi.definition.key !== 'child' || pi.state.parent?.instanceId !== root.id)) report('a child of another process or parent', parent, child, engine);
        if (children.length > 0) withChildren++;
      }),
      { numRuns: RUNS },
    );
    // The property is about calls: most runs must really have started children.
    expect(withChildren).toBeGreaterThan(RUNS / 2);
  });
});
