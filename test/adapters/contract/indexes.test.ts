/** The IndexStore contract: jobs and their leases, tasks, subscriptions, buffered messages. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '../../../lib/core/effects.ts';
import type { IndexStore } from '../../../lib/ports.ts';
import { BACKENDS } from './backends.ts';

const T0 = Date.UTC(2026, 0, 1);
type Job = Extract<Effect, { type: 'job.activatable' }>;
type Task = Extract<Effect, { type: 'task.created' }>;

const job = (jobType: string, n: number, availableAt = T0): Job => ({
  type: 'job.activatable', jobId: `pi-${n}.${n}`, instanceId: `pi-${n}`, elementId: 'work', jobType, retries: 3, customHeaders: {}, variables: {}, availableAt,
} as unknown as Job);

const task = (n: number, extra: Partial<Task> = {}): Task => ({
  type: 'task.created', taskId: `pt-${n}.1`, instanceId: `pt-${n}`, elementId: 'review', name: 'Review', assignee: null,
  candidateGroups: ['sales'], candidateUsers: [], dueDate: null, followUpDate: null, variables: {}, ...extra,
} as unknown as Task);

describe.each(BACKENDS)('IndexStore: %s', (_name, backend) => {
  let index: IndexStore;
  beforeAll(async () => {
    index = (await backend()).index;
  });

  it('lists open jobs of a type in id order, without those not yet available when asked', async () => {
    await index.putJob(job('ship', 2));
    await index.putJob(job('ship', 1));
    await index.putJob(job('ship', 3, T0 + 60_000));
    await index.putJob(job('ship', 1));
    expect((await index.listJobs('ship')).map((j) => j.jobId)).toEqual(['pi-1.1', 'pi-2.2', 'pi-3.3']);
    expect((await index.listJobs('ship', { availableBefore: T0 })).map((j) => j.jobId)).toEqual(['pi-1.1', 'pi-2.2']);
    await index.deleteJob('ship', 'pi-2.2');
    await index.deleteJob('ship', 'pi-2.2');
    expect((await index.listJobs('ship', { limit: 1 })).map((j) => j.jobId)).toEqual(['pi-1.1']);
  });

  it('leases a job to one worker until the lease runs out; a put (a retry) frees it', async () => {
    await index.putJob(job('bill', 1));
    await index.putJob(job('bill', 2, T0 + 10_000));
    const first = await index.activateJobs('bill', 5, 30_000, 'w1', T0);
    expect(first.map((j) => j.jobId)).toEqual(['pi-1.1']);
    expect(await index.activateJobs('bill', 5, 30_000, 'w2', T0 + 1000)).toEqual([]);
    // In no particular order: a sharded index starts each activation at a random shard.
    expect((await index.activateJobs('bill', 5, 30_000, 'w2', T0 + 31_000)).map((j) => j.jobId).sort()).toEqual(['pi-1.1', 'pi-2.2']);
    await index.putJob(job('bill', 1));
    expect((await index.activateJobs('bill', 1, 30_000, 'w3', T0 + 32_000)).map((j) => j.jobId)).toEqual(['pi-1.1']);
  });

  it('finds a task by each candidate group and user and by its assignee, until it is deleted', async () => {
    const t = task(1, { assignee: 'ann', candidateUsers: ['bob'] } as Partial<Task>);
    await index.putTask(t);
    await index.putTask(task(2));
    expect((await index.listTasks({ candidateGroup: 'sales' })).map((x) => x.taskId)).toEqual(['pt-1.1', 'pt-2.1']);
    expect((await index.listTasks({ candidateUser: 'bob' })).map((x) => x.taskId)).toEqual(['pt-1.1']);
    expect((await index.listTasks({ assignee: 'ann' }))).toEqual([t]);
    await index.deleteTask(t);
    expect((await index.listTasks({ candidateGroup: 'sales' })).map((x) => x.taskId)).toEqual(['pt-2.1']);
    expect(await index.listTasks({ assignee: 'ann' })).toEqual([]);
    await expect(index.listTasks({})).rejects.toThrow(/needs/);
  });

  it('finds subscriptions by message name and correlation key', async () => {
    const sub = (n: number, key: string) => ({ type: 'subscription.opened' as const, subscriptionId: `ps-${n}.1`, instanceId: `ps-${n}`, elementId: 'wait', messageName: 'paid', correlationKey: key, condition: null });
    await index.putSubscription(sub(2, 'o-1') as never);
    await index.putSubscription(sub(1, 'o-1') as never);
    await index.putSubscription(sub(3, 'o-2') as never);
    expect((await index.findSubscriptions('paid', 'o-1')).map((s) => s.subscriptionId)).toEqual(['ps-1.1', 'ps-2.1']);
    await index.deleteSubscription({ messageName: 'paid', correlationKey: 'o-1', subscriptionId: 'ps-1.1' });
    expect((await index.findSubscriptions('paid', 'o-1')).map((s) => s.subscriptionId)).toEqual(['ps-2.1']);
    expect(await index.findSubscriptions('paid', 'o-9')).toEqual([]);
  });

  it('keeps buffered messages in publish order until they expire', async () => {
    const msg = (id: string, publishedAt: number) => ({ messageId: id, name: 'ready', correlationKey: 'k', variables: { id }, publishedAt, expiresAt: publishedAt + 60_000 });
    await index.bufferMessage(msg('m2', T0 + 10));
    await index.bufferMessage(msg('m1', T0));
    expect((await index.bufferedMessages('ready', 'k', T0 + 30_000)).map((m) => m.messageId)).toEqual(['m1', 'm2']);
    expect((await index.bufferedMessages('ready', 'k', T0 + 60_005)).map((m) => m.messageId)).toEqual(['m2']);
    expect(await index.bufferedMessages('ready', 'other', T0)).toEqual([]);
  });
});
