/**
 * Parallel joins under contention: N branches completed at the same moment.
 * Directly (N concurrent transitions, as N Lambdas on a standard queue would run) the
 * conditional put serialises them with bounded, jittered retries; through the FIFO
 * commands queue (one message group per instance) they never contend at all.
 */
import { describe, expect, it } from 'vitest';
import { processBatch } from '../../lib/app/batch.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { testRuntime } from './runtime.ts';
import { until } from '../support/wait.ts';

function fanOut(n: number): string {
  const branches = Array.from({ length: n }, (_, i) => `<serviceTask id="b${i}">${job('branch')}</serviceTask>${flows('fork', `b${i}`, 'join')}`).join('\n');
  return bpmn(`<startEvent id="start"/><parallelGateway id="fork"/><parallelGateway id="join"/>${branches}
    <serviceTask id="after">${job('after')}</serviceTask><endEvent id="end"/>${flows('start', 'fork')}${flows('join', 'after', 'end')}`, { id: `fan${n}` });
}


describe('parallel join: N branches completed at the same moment', () => {
  for (const n of [2, 10, 50, 100]) {
    it(`fires the join exactly once with ${n} concurrent completions, losing no branch`, async () => {
      const rt = await testRuntime();
      const [def] = await deploy(rt.definitions, rt.clock, fanOut(n));
      await applyCommand(rt.transition, { id: 'start', instanceId: 'j', definition: { key: `fan${n}`, version: def!.version }, command: { type: 'start', instanceId: 'j' } });
      const jobs = await rt.index.listJobs('branch', { limit: 1000 });
      expect(jobs).toHaveLength(n);
      const started = Date.now();
      const retries: number[] = [];
      await Promise.all(jobs.map(async (j) => {
        for (let delivery = 0; ; delivery++) {
          try {
            const outcome = await applyCommand(rt.transition, { id: `done-${j.jobId}`, instanceId: 'j', command: { type: 'completeJob', jobId: j.jobId, variables: { [j.elementId]: true } } });
            retries.push(outcome.retries + delivery * 12);
            return;
          } catch (error) {
            if (delivery > 20) throw error; // SQS would redeliver; so do we
          }
        }
      }));
      const versions = await rt.instances.listVersions('j', { limit: 1000 });
      const last = versions.at(-1)!;
      expect(versions).toHaveLength(n + 1);
      expect(versions.flatMap((v) => v.events).filter((e) => e.type === 'JoinFired')).toHaveLength(1);
      expect(Object.keys(last.state.vars['root'] ?? {})).toHaveLength(n);
      expect(await rt.index.listJobs('after')).toHaveLength(1);
      const mean = retries.reduce((a, b) => a + b, 0) / n;
      console.log(`join ${n}: ${Date.now() - started} ms, retries per branch mean ${mean.toFixed(2)} max ${Math.max(...retries)}`);
    }, 300_000);
  }

  it('through the FIFO commands queue, 50 branches complete with no retries at all', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, fanOut(50));
    await rt.commands.send([{ id: 'start', instanceId: 'q', definition: { key: 'fan50', version: def!.version }, command: { type: 'start', instanceId: 'q' } }]);
    const stats = { applied: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 };
    const poller = new SqsPoller(rt.sqs, rt.queues.commands, (event) => processBatch(rt.transition, event.Records, stats), { concurrency: 4 }).start();
    try {
      const jobs = await until(async () => {
        const list = await rt.index.listJobs('branch', { limit: 1000 });
        return list.length === 50 ? list : null;
      }, 60_000, 'every branch job');
      await rt.commands.send(jobs.map((j) => ({ id: `done-${j.jobId}`, instanceId: 'q', command: { type: 'completeJob' as const, jobId: j.jobId } })));
      await until(async () => (await rt.index.listJobs('after')).length === 1, 60_000, 'the job after the join');
    } finally {
      await poller.stop();
    }
    expect(stats).toMatchObject({ applied: 51, retries: 0, failed: 0 });
    const versions = await rt.instances.listVersions('q', { limit: 1000 });
    expect(versions.flatMap((v) => v.events).filter((e) => e.type === 'JoinFired')).toHaveLength(1);
  }, 300_000);
});
