/**
 * The command and timer handlers behind real SQS queues (fauxqs), fed by the local
 * poller exactly as Lambda's event source mapping feeds them.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { processBatch, type BatchStats } from '../../lib/app/batch.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { processTimerBatch } from '../../lib/app/timers.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { quietLogger, testRuntime } from './runtime.ts';
import { until } from '../support/wait.ts';
import { sqsRecord } from '../support/sqs-record.ts';

const oneJob = bpmn(`<startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`, { id: 'one' });
const waitTimer = bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id: 'timer' });

const stats = (): BatchStats => ({ applied: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 });

const record = sqsRecord;


describe('commands handler (processBatch)', () => {
  it('drops invalid commands with a reason and applies the valid ones', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, oneJob);
    const s = stats();
    const start = JSON.stringify({ id: 'ok', instanceId: 'a', definition: { key: 'one', version: def!.version }, command: { type: 'start', instanceId: 'a' } });
    const response = await processBatch(rt.transition, [
      record('not json', 'm1'),
      record(JSON.stringify({ id: 'x', instanceId: 'a', command: { type: 'explode' } }), 'm2'),
      record(JSON.stringify({ id: 'y', instanceId: '../../etc', command: { type: 'cancel' } }), 'm3'),
      record(start, 'm4'),
      record(JSON.stringify({ id: 'z', instanceId: 'b', definition: { key: 'missing', version: 1 }, command: { type: 'start', instanceId: 'b' } }), 'm5'),
    ], s);
    expect(response.batchItemFailures).toEqual([]);
    expect(s).toMatchObject({ applied: 1, dropped: 4 });
    expect(quietLogger.lines.filter((l) => l.message.startsWith('dropped command')).length).toBeGreaterThanOrEqual(4);
  });

  it('applies commands of one instance in batch order, and fails the rest of that instance after a failure', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, oneJob);
    await applyCommand(rt.transition, { id: 's', instanceId: 'c', definition: { key: 'one', version: def!.version }, command: { type: 'start', instanceId: 'c' } });
    const [open] = await rt.index.listJobs('work');
    const s = stats();
    const response = await processBatch(rt.transition, [
      record(JSON.stringify({ id: 'v1', instanceId: 'c', command: { type: 'setVariables', variables: { step: 1 } } }), 'm1'),
      record(JSON.stringify({ id: 'v2', instanceId: 'c', command: { type: 'setVariables', variables: { step: 2 } } }), 'm2'),
      record(JSON.stringify({ id: 'done', instanceId: 'c', command: { type: 'completeJob', jobId: open!.jobId } }), 'm3'),
    ], s);
    expect(response.batchItemFailures).toEqual([]);
    const versions = await rt.instances.listVersions('c');
    expect(versions.map((v) => v.commandId)).toEqual(['s', 'v1', 'v2', 'done']);
    expect(versions.at(-1)?.state.vars['root']).toEqual({ step: 2 });

    // A store that fails: the failed command and those after it (same instance) are reported, others are not.
    const failing = { ...rt.transition, instances: { ...rt.instances, load: async () => { throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' }); } } };
    const failed = await processBatch(failing, [
      record(JSON.stringify({ id: 'f1', instanceId: 'c', command: { type: 'cancel' } }), 'n1'),
      record(JSON.stringify({ id: 'f2', instanceId: 'c', command: { type: 'cancel' } }), 'n2'),
    ]);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'n1' }, { itemIdentifier: 'n2' }]);
  });
});

describe('commands queue end to end (SQS FIFO + poller)', () => {
  it('a command that keeps failing lands in the DLQ after 5 receives, visible, with nothing lost', async () => {
    const rt = await testRuntime();
    const broken = { ...rt.transition, instances: { ...rt.instances, load: async () => { throw new Error('store unavailable'); } } };
    const poller = new SqsPoller(rt.sqs, rt.queues.commands, (event) => processBatch(broken, event.Records), { concurrency: 1 }).start();
    try {
      await rt.commands.send([{ id: 'doomed', instanceId: 'd', command: { type: 'cancel' } }]);
      const dead = await until(async () => {
        const out = await rt.sqs.send(new ReceiveMessageCommand({ QueueUrl: rt.queues.commandsDlq, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
        return out.Messages?.[0];
      }, 40_000);
      expect(JSON.parse(dead.Body ?? '{}')).toMatchObject({ id: 'doomed', instanceId: 'd' });
      expect(Number(dead.Attributes?.['ApproximateReceiveCount'])).toBeGreaterThanOrEqual(5);
    } finally {
      await poller.stop();
    }
  }, 60_000);

  it('a timer is delayed on the timers queue and fires the catch event through the commands queue', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, waitTimer);
    const commands = new SqsPoller(rt.sqs, rt.queues.commands, (e) => processBatch(rt.transition, e.Records)).start();
    const timers = new SqsPoller(rt.sqs, rt.queues.timers, (e) => processTimerBatch(rt, e.Records)).start();
    try {
      const started = Date.now();
      await rt.commands.send([{ id: 's', instanceId: 't', definition: { key: 'timer', version: def!.version }, command: { type: 'start', instanceId: 't' } }]);
      const head = await until(async () => {
        const h = await rt.instances.getHead('t', true);
        return h?.status === 'completed' ? h : null;
      });
      const elapsed = Date.now() - started;
      expect(head.version).toBe(2);
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      const [, fired] = await rt.instances.listVersions('t');
      expect(fired?.command).toMatchObject({ type: 'fireTimer' });
    } finally {
      await Promise.all([commands.stop(), timers.stop()]);
    }
  }, 60_000);

  it('a timer message that arrives early is delayed again, not fired (beyond 15 minutes: in the durable schedule)', async () => {
    const rt = await testRuntime();
    const now = rt.clock.now();
    const soon = { timerId: 'x.3', instanceId: 'x', dueAt: now + 600_000 };
    const later = { timerId: 'x.4', instanceId: 'x', dueAt: now + 3_600_000 };
    for (const timer of [soon, later]) await rt.sqs.send(new SendMessageCommand({ QueueUrl: rt.queues.timers, MessageBody: JSON.stringify(timer) }));
    // SQS may answer a receive with fewer messages than there are: receive until both came.
    const received: Array<{ Body?: string; MessageId?: string }> = [];
    for (let i = 0; i < 10 && received.length < 2; i++) {
      received.push(...((await rt.sqs.send(new ReceiveMessageCommand({ QueueUrl: rt.queues.timers, MaxNumberOfMessages: 2, WaitTimeSeconds: 1 }))).Messages ?? []));
    }
    await processTimerBatch(rt, received.map((m) => record(m.Body ?? '', m.MessageId ?? '')));
    const attrs = await rt.sqs.send(new GetQueueAttributesCommand({ QueueUrl: rt.queues.timers, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(Number(attrs.Attributes?.['ApproximateNumberOfMessagesDelayed'])).toBe(1);
    // The hour-early one waits as a due-time item, which the sweep hands back shortly before it is due.
    expect(await rt.sweeper?.sweep(later.dueAt - 1000)).toMatchObject({ handedOff: 1 });
    const commands = await rt.sqs.send(new ReceiveMessageCommand({ QueueUrl: rt.queues.commands, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
    expect(commands.Messages ?? []).toEqual([]);
  });
});
