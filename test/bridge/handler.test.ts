/**
 * The events handler (lib/app/events.ts) on its own, against DynamoDB Local and fauxqs:
 * deterministic command ids, buffering with a TTL (and the condition deciding which
 * buffered event a later subscription takes), failures reported for retry.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyEventStats, parseEvent, processEventBatch, type EventDeps } from '../../lib/app/events.ts';
import { deployDefinitions } from '../../lib/app/service/definitions.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import type { CommandEnvelope } from '../../lib/ports.ts';
import { bpmn, escapeXml, flows, message } from '../../lib/testing/index.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { sqsRecord } from '../support/sqs-record.ts';

const waitFor = (id: string, feel?: string) => bpmn(`
  <startEvent id="start"/>
  <intermediateCatchEvent id="wait">${feel ? `<extensionElements><zeebe:properties><zeebe:property name="condition" value="${escapeXml(feel)}"/></zeebe:properties></extensionElements>` : ''}<messageEventDefinition messageRef="m"/></intermediateCatchEvent>
  <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id, rootElements: message('m', `${id}-msg`, '=key') });

let rt: TestRuntime;
let deps: EventDeps;

const record = sqsRecord;

function collecting(): { sent: CommandEnvelope[]; deps: EventDeps } {
  const sent: CommandEnvelope[] = [];
  return { sent, deps: { ...deps, commands: { send: async (envelopes) => void sent.push(...envelopes) } } };
}

async function start(key: string, instanceId: string, correlationKey: string): Promise<void> {
  const def = await rt.definitions.latest(key);
  await applyCommand(rt.transition, { id: `s-${instanceId}`, instanceId, definition: { key, version: def?.version ?? 1 }, command: { type: 'start', instanceId, variables: { key: correlationKey } } });
}

beforeAll(async () => {
  rt = await testRuntime();
  deps = { definitions: rt.definitions, resolver: rt.transition.definitions, index: rt.index, commands: rt.commands, clock: rt.clock, logger: quietLogger, deadLetters: rt.deadLetters! };
  for (const xml of [waitFor('plain'), waitFor('cond', '=payload.amount > 100'), waitFor('broken', '=payload.amount')]) {
    await deployDefinitions(rt.service, xml);
  }
});

describe('processEventBatch', () => {
  it('gives a redelivered event the same command ids (its message id, else a hash of the body)', async () => {
    await start('plain', 'p-1', 'k-1');
    const a = collecting();
    const body = { name: 'plain-msg', correlationKey: 'k-1', payload: { n: 1 } };
    await processEventBatch(a.deps, [record(body, 'r1')]);
    await processEventBatch(a.deps, [record(body, 'r2')]);
    expect(a.sent.map((e) => e.id)).toEqual([a.sent[0]?.id, a.sent[0]?.id]);
    expect(a.sent[0]?.id).toMatch(/^msg:h-[\w-]{43}:p-1$/);
    const idOf = (parsed: ReturnType<typeof parseEvent>) => (parsed.ok ? parsed.event.messageId : null);
    expect(idOf(parseEvent(JSON.stringify({ ...body, messageId: 'given' }), 'from-amqp'))).toBe('given');
    expect(idOf(parseEvent(JSON.stringify(body), 'from-amqp'))).toBe('from-amqp');
  });

  it('buffers an event with a TTL; a subscription opened later takes the first buffered one whose condition holds', async () => {
    const stats = emptyEventStats();
    await processEventBatch(deps, [
      record({ name: 'cond-msg', correlationKey: 'late', payload: { amount: 5 }, messageId: 'small', timeToLiveMs: 60_000 }, 'b1'),
      record({ name: 'cond-msg', correlationKey: 'late', payload: { amount: 500 }, messageId: 'large', timeToLiveMs: 60_000 }, 'b2'),
    ], stats);
    expect(stats).toMatchObject({ buffered: 2, matched: 0, unmatched: 0 });
    await start('cond', 'c-late', 'late');
    const [subscription] = await rt.index.findSubscriptions('cond-msg', 'late');
    expect(subscription).toMatchObject({ instanceId: 'c-late', condition: '=payload.amount > 100' });
    // The subscription's effect sent the buffered message whose condition holds.
    const out = await rt.sqs.send(new ReceiveMessageCommand({ QueueUrl: rt.queues.commands, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const ids = (out.Messages ?? []).map((m) => (JSON.parse(m.Body ?? '{}') as CommandEnvelope).id);
    expect(ids).toContain('msg:large:c-late');
    expect(ids).not.toContain('msg:small:c-late');
  });

  it('treats a condition that does not give a boolean as false, and says so', async () => {
    await start('broken', 'x-1', 'kx');
    const a = collecting();
    const stats = emptyEventStats();
    await processEventBatch(a.deps, [record({ name: 'broken-msg', correlationKey: 'kx', payload: { amount: 3 } }, 'x')], stats);
    expect(a.sent).toEqual([]);
    expect(stats.unmatched).toBe(1);
    expect(quietLogger.lines.some((l) => l.message.startsWith('subscriber condition failed to evaluate') && String(l.data?.['problem']).includes('must be a boolean'))).toBe(true);
  });

  it('reports the events whose commands could not be sent, and none of the malformed or unmatched ones', async () => {
    await start('plain', 'p-2', 'k-2');
    const failing: EventDeps = { ...deps, commands: { send: async () => { throw new Error('SQS down'); } } };
    const stats = emptyEventStats();
    const response = await processEventBatch(failing, [
      record({ name: 'plain-msg', correlationKey: 'k-2' }, 'goes'),
      record({ name: 'nobody-listens' }, 'unmatched'),
      record('{', 'malformed'),
    ], stats);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'goes' }]);
    expect(stats).toMatchObject({ received: 3, failed: 1, unmatched: 1, malformed: 1 });
    const metrics = quietLogger.lines.filter((l) => l.message === 'events batch').at(-1)?.data;
    expect(metrics).toMatchObject({ EventsReceived: 3, EventsUnmatched: 1, EventsMalformed: 1, EventsFailed: 1 });
  });
});
