/**
 * The transition protocol under duplicates and crashes, on DynamoDB Local.
 * Figures are printed for the closing note (retries, timings); assertions are exact.
 */
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { netEffects } from '../../lib/app/effects.ts';
import { applyCommand, type EffectEmitter, type TransitionDeps } from '../../lib/app/transition.ts';
import type { CommandEnvelope, InstanceVersion } from '../../lib/ports.ts';
import { bpmn, flows, job, message } from '../../lib/testing/index.ts';
import { Crash, CRASH_POINTS, FaultPlan, faultyDeps } from './faults.ts';
import { testRuntime, type TestRuntime } from './runtime.ts';

const fourKinds = bpmn(`
  <startEvent id="start"/>
  <serviceTask id="work">${job('work')}</serviceTask>
  <userTask id="review"><extensionElements><zeebe:assignmentDefinition candidateGroups="ops"/></extensionElements></userTask>
  <receiveTask id="wait" messageRef="m"/>
  <endEvent id="end"/>
  ${flows('start', 'work', 'review', 'wait', 'end')}`, { id: 'four', rootElements: message('m', 'go', '=key') });

const twoSteps = bpmn(`<startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><userTask id="review"/><endEvent id="end"/>${flows('start', 'work', 'review', 'end')}`, { id: 'two' });

/** Records every effect id emitted, and how often. */
function recording(inner: EffectEmitter): EffectEmitter & { emitted: Map<string, number> } {
  const emitted = new Map<string, number>();
  return {
    emitted,
    async emit(version: InstanceVersion) {
      await inner.emit(version);
      for (const { index } of netEffects(version.effects)) {
        const id = `${version.instanceId}:${version.version}:${index}`;
        emitted.set(id, (emitted.get(id) ?? 0) + 1);
      }
    },
  };
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T, i);
    }
  }));
  return out;
}

/** Delivers like SQS: on a thrown error the same message comes back, until it is done. */
async function deliver(deps: TransitionDeps, envelope: CommandEnvelope, attempts = 10) {
  for (let i = 1; ; i++) {
    try {
      return await applyCommand(deps, envelope);
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}

async function assertChain(rt: TestRuntime, instanceId: string) {
  const versions = await rt.instances.listVersions(instanceId, { limit: 1000 });
  const head = await rt.instances.getHead(instanceId, true);
  expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
  expect(head?.version).toBe(versions.length);
  expect(new Set(versions.map((v) => v.commandId)).size).toBe(versions.length);
  return versions;
}

describe('duplicates: 200 instances x 4 command kinds x 20 concurrent identical deliveries', () => {
  it('creates exactly one version per command and emits every effect', async () => {
    const rt = await testRuntime();
    const recorder = recording(rt.transition.effects);
    const deps = { ...rt.transition, effects: recorder };
    const [def] = await deploy(rt.definitions, rt.clock, fourKinds);
    const ids = Array.from({ length: 200 }, (_, i) => `dup${i}`);
    const started = Date.now();
    let deliveries = 0;
    const twenty = async (envelope: CommandEnvelope) => {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => deliver(deps, envelope)));
      deliveries += outcomes.length;
      expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1);
    };
    await mapLimit(ids, 8, async (id) => {
      await twenty({ id: `${id}-start`, instanceId: id, definition: { key: 'four', version: def!.version }, command: { type: 'start', instanceId: id, variables: { key: id } } });
      const [version1] = await rt.instances.listVersions(id);
      const jobId = version1!.effects.find((e) => e.type === 'job.activatable')!.jobId as string;
      await twenty({ id: `${id}-job`, instanceId: id, command: { type: 'completeJob', jobId } });
      const [task] = (await rt.instances.getVersion(id, 2))!.effects.filter((e) => e.type === 'task.created');
      await twenty({ id: `${id}-task`, instanceId: id, command: { type: 'completeTask', taskId: (task as { taskId: string }).taskId } });
      await twenty({ id: `${id}-msg`, instanceId: id, command: { type: 'correlateMessage', name: 'go', correlationKey: id, messageId: `${id}-m` } });
    });
    for (const id of ids) {
      const versions = await assertChain(rt, id);
      expect(versions.map((v) => v.commandId)).toEqual([`${id}-start`, `${id}-job`, `${id}-task`, `${id}-msg`]);
      expect(versions[3]?.state.status).toBe('completed');
      for (const v of versions) for (const { index } of netEffects(v.effects)) expect(recorder.emitted.get(`${id}:${v.version}:${index}`)).toBeGreaterThanOrEqual(1);
    }
    expect(await rt.index.listJobs('work')).toEqual([]);
    expect(await rt.index.listTasks({ candidateGroup: 'ops' })).toEqual([]);
    console.log(`duplicates: ${deliveries} deliveries of 800 commands in ${Date.now() - started} ms; DynamoDB requests ${JSON.stringify(rt.dynamoMeter.requests)}`);
  }, 600_000);
});

describe('crash points: 200 randomized trials per point', () => {
  for (const point of CRASH_POINTS) {
    it(`survives a crash ${point}: nothing stuck, lost or applied twice`, async () => {
      const rt = await testRuntime();
      const [def] = await deploy(rt.definitions, rt.clock, twoSteps);
      let crashes = 0;
      await mapLimit(Array.from({ length: 200 }, (_, i) => i), 8, async (trial) => {
        const plan = new FaultPlan();
        const deps = faultyDeps(rt.transition, plan);
        const id = `${point}${trial}`;
        const crashAt = trial % 3; // 0: the start, 1: the job completion, 2: the task completion
        const interleave = trial % 2 === 1; // half the trials let another command run before the redelivery
        const run = async (step: number, envelope: () => Promise<CommandEnvelope>) => {
          const env = await envelope();
          if (step !== crashAt) return deliver(deps, env);
          plan.arm(point);
          try {
            await applyCommand(deps, env);
            if (point === 'beforeAck') throw new Crash(point); // the SQS delete never happened
          } catch (error) {
            if (!(error instanceof Crash)) throw error;
            crashes++;
          }
          if (interleave) await deliver(deps, { id: `${id}-probe${step}`, instanceId: id, command: { type: 'setVariables', variables: { probe: step } } });
          return deliver(deps, env); // the redelivery
        };
        await run(0, async () => ({ id: `${id}-s`, instanceId: id, definition: { key: 'two', version: def!.version }, command: { type: 'start', instanceId: id } }));
        await run(1, async () => {
          const versions = await rt.instances.listVersions(id);
          const effect = versions.flatMap((v) => v.effects).find((e) => e.type === 'job.activatable');
          return { id: `${id}-j`, instanceId: id, command: { type: 'completeJob', jobId: (effect as { jobId: string }).jobId } };
        });
        await run(2, async () => {
          const versions = await rt.instances.listVersions(id);
          const effect = versions.flatMap((v) => v.effects).find((e) => e.type === 'task.created');
          return { id: `${id}-t`, instanceId: id, command: { type: 'completeTask', taskId: (effect as { taskId: string }).taskId } };
        });
        const versions = await assertChain(rt, id);
        expect(versions.at(-1)?.state.status).toBe('completed');
        const applied = versions.map((v) => v.commandId).filter((c) => !c.includes('probe'));
        expect(applied).toEqual([`${id}-s`, `${id}-j`, `${id}-t`]);
      });
      expect(crashes).toBe(200);
      expect(await rt.index.listJobs('work')).toEqual([]);
    }, 600_000);
  }
});
