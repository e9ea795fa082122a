/**
 * Rollback as a transition: 100 instances rolled back to random earlier versions and
 * run to the end; commands aimed at the world before the rollback are ignored.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { applyCommand, type TransitionDeps } from '../../lib/app/transition.ts';
import type { CommandEnvelope, InstanceVersion } from '../../lib/ports.ts';
import { testRuntime, type TestRuntime } from './runtime.ts';

const telecom = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function latest(rt: TestRuntime, id: string): Promise<InstanceVersion> {
  const { latest: version } = await rt.instances.load(id, true);
  if (!version) throw new Error(`no instance ${id}`);
  return version;
}

/** The next command a worker or a user would send to move the order forward. */
function nextCommand(version: InstanceVersion, n: number): CommandEnvelope | null {
  const state = version.state;
  const id = version.instanceId;
  const job = Object.values(state.jobs).find((j) => j.retries > 0);
  if (job) {
    const variables: Record<string, boolean> = job.jobType === 'kyc-check' ? { identityVerified: true } : {};
    return { id: `${id}-c${n}`, instanceId: id, command: { type: 'completeJob', jobId: `${id}.${job.key}`, variables } };
  }
  const task = Object.values(state.tasks)[0];
  if (task) return { id: `${id}-c${n}`, instanceId: id, command: { type: 'completeTask', taskId: `${id}.${task.key}`, variables: { approved: true } } };
  return null;
}

async function drive(deps: TransitionDeps, rt: TestRuntime, id: string, from: number): Promise<number> {
  let n = from;
  for (;;) {
    const command = nextCommand(await latest(rt, id), n++);
    if (!command) return n;
    await applyCommand(deps, command);
  }
}

describe('rollback to an earlier version', () => {
  it('100 instances rolled back to random versions run to the end; stale commands are ignored', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, telecom);
    const rand = random(20261124);
    let staleIgnored = 0;
    const ids = Array.from({ length: 100 }, (_, i) => `rb${i}`);
    for (const id of ids) {
      await applyCommand(rt.transition, { id: `${id}-s`, instanceId: id, definition: { key: 'telecom-order', version: def!.version }, command: { type: 'start', instanceId: id, variables: { customer: { id } } } });
      // Go some way (1-4 more versions), remembering the commands sent.
      const steps = 1 + Math.floor(rand() * 4);
      const sent: CommandEnvelope[] = [];
      for (let i = 0; i < steps; i++) {
        const command = nextCommand(await latest(rt, id), i);
        if (!command) break;
        sent.push(command);
        await applyCommand(rt.transition, command);
      }
      const before = await latest(rt, id);
      const toVersion = 1 + Math.floor(rand() * (before.version - 1 || 1));
      if (toVersion >= before.version) continue;
      const outcome = await applyCommand(rt.transition, { id: `${id}-rollback`, instanceId: id, command: { type: 'rollback', toVersion } });
      expect(outcome).toMatchObject({ status: 'applied', version: before.version + 1 });
      const rolled = await latest(rt, id);
      const target = await rt.instances.getVersion(id, toVersion);
      expect(rolled.state.elements).toEqual(target!.state.elements);
      expect(rolled.state.vars).toEqual(target!.state.vars);

      // Replays of pre-rollback commands (as a late redelivery would) change nothing.
      for (const old of sent) {
        const stale = await applyCommand(rt.transition, { ...old, id: `${old.id}-late` });
        expect(stale.status).toBe('rejected');
        staleIgnored++;
      }
      expect((await latest(rt, id)).version).toBe(rolled.version);
      await drive(rt.transition, rt, id, 100);
      const end = await latest(rt, id);
      expect(end.state.status).toBe('completed');
      const history = await rt.instances.listVersions(id, { limit: 100 });
      expect(history.map((v) => v.version)).toEqual(history.map((_, i) => i + 1));
      expect(history[toVersion - 1]).toEqual(target); // old versions are never rewritten
    }
    expect(staleIgnored).toBeGreaterThan(100);
    for (const type of ['kyc-check', 'credit-check', 'provision-line']) expect(await rt.index.listJobs(type)).toEqual([]);
    expect(await rt.index.listTasks({ candidateGroup: 'sales' })).toEqual([]);
  }, 300_000);

  it('refuses a rollback to the current or a missing version, changing nothing', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, telecom);
    await applyCommand(rt.transition, { id: 's', instanceId: 'r', definition: { key: 'telecom-order', version: def!.version }, command: { type: 'start', instanceId: 'r' } });
    expect(await applyCommand(rt.transition, { id: 'r1', instanceId: 'r', command: { type: 'rollback', toVersion: 1 } })).toMatchObject({ status: 'rejected', rejection: { code: 'INVALID_COMMAND' } });
    expect(await applyCommand(rt.transition, { id: 'r2', instanceId: 'nobody', command: { type: 'rollback', toVersion: 1 } })).toMatchObject({ status: 'rejected', rejection: { code: 'NOT_FOUND' } });
    expect(await rt.instances.listVersions('r')).toHaveLength(1);
  });
});
