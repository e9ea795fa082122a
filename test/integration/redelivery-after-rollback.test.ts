/**
 * A command redelivered after a rollback (a FIFO replay after the 5-minute deduplication
 * window, a redrive from the DLQ) must not apply again. Rollback reopens jobs, tasks and
 * timers under new ids, so their old commands are stale; `cancel` names nothing, so only a
 * durable command record can tell its redelivery from a new cancel.
 * Found by the simulation (test/simulation, seed 4).
 */
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import type { CommandEnvelope } from '../../lib/ports.ts';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { testRuntime } from './runtime.ts';

const waits = bpmn(`<startEvent id="start"/><userTask id="review"/><endEvent id="end"/>${flows('start', 'review', 'end')}`, { id: 'waits' });

describe('a command redelivered after a rollback', () => {
  it('a cancel rolled back and then redelivered is a duplicate, not a second cancel', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, waits);
    const id = 'rb-cancel';
    const start: CommandEnvelope = { id: 'start', instanceId: id, definition: { key: 'waits', version: def?.version ?? 1 }, command: { type: 'start', instanceId: id } };
    const cancel: CommandEnvelope = { id: 'cancel-1', instanceId: id, command: { type: 'cancel' } };
    expect((await applyCommand(rt.transition, start)).status).toBe('applied');
    expect(await applyCommand(rt.transition, cancel)).toMatchObject({ status: 'applied', version: 2 });
    expect(await applyCommand(rt.transition, { id: 'undo', instanceId: id, command: { type: 'rollback', toVersion: 1 } })).toMatchObject({ status: 'applied', version: 3 });

    const again = await applyCommand(rt.transition, cancel);

    expect(again).toMatchObject({ status: 'duplicate', version: 2 });
    const versions = await rt.instances.listVersions(id);
    expect(versions.map((v) => v.commandId)).toEqual(['start', 'cancel-1', 'undo']);
    expect((await rt.instances.getHead(id, true))?.status).toBe('active');
  });
});
