/** The TimerStartRegistry and DeadCommandStore contracts. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeadCommand, TimerStart } from '../../../lib/ports.ts';
import { BACKENDS, type Backend } from './backends.ts';

const T0 = Date.UTC(2026, 0, 1);
const start = (version: number, startEventId = 'tick', nextDueAt: number | null = T0 + 60_000): TimerStart => ({
  definitionKey: 'nightly', version, startEventId, kind: 'cycle', value: 'R3/PT1M', nextDueAt, remaining: 2, anchor: T0,
});

describe.each(BACKENDS)('TimerStartRegistry: %s', (_name, backend) => {
  let b: Backend;
  beforeAll(async () => {
    b = await backend();
  });

  it('keeps the newest version of each start event; an older put loses', async () => {
    const registry = b.timerStarts;
    expect(await registry.put(start(2))).toBe(true);
    expect(await registry.put(start(1))).toBe(false);
    expect(await registry.put(start(2, 'other'))).toBe(true);
    expect(await registry.get('nightly', 'tick')).toEqual(start(2));
    expect((await registry.list('nightly')).map((s) => s.startEventId)).toEqual(['other', 'tick']);
    await registry.remove('nightly', 'other', 1);
    expect(await registry.get('nightly', 'other')).not.toBeNull();
    await registry.remove('nightly', 'other', 2);
    expect(await registry.get('nightly', 'other')).toBeNull();
  });

  it('takes a fire once: the next fire moves only from the due time it names', async () => {
    const registry = b.timerStarts;
    const registered = start(2);
    expect(await registry.advance(registered, T0 + 60_000, T0 + 120_000, 1)).toBe(true);
    expect(await registry.advance(registered, T0 + 60_000, T0 + 120_000, 1)).toBe(false);
    expect(await registry.advance(start(1), T0 + 120_000, null, null)).toBe(false);
    expect(await registry.get('nightly', 'tick')).toEqual({ ...start(2), nextDueAt: T0 + 120_000, remaining: 1 });
    expect(await registry.advance(registered, T0 + 120_000, null, null)).toBe(true);
    expect((await registry.get('nightly', 'tick'))?.nextDueAt).toBeNull();
  });
});

describe.each(BACKENDS)('DeadCommandStore: %s', (_name, backend) => {
  let b: Backend;
  beforeAll(async () => {
    b = await backend();
  });

  const dead = (commandId: string): DeadCommand => ({
    commandId, instanceId: 'pi-1', envelope: { id: commandId, instanceId: 'pi-1', command: { type: 'cancel' } }, reason: 'boom', receiveCount: 5, at: T0,
  });

  it('keeps dead commands by id, listed in id order with a cursor, until removed', async () => {
    const store = b.deadCommands;
    for (const id of ['c3', 'c1', 'c2']) await store.put(dead(id));
    expect(await store.get('c2')).toEqual(dead('c2'));
    const first = await store.list({ limit: 2 });
    expect(first.items.map((d) => d.commandId)).toEqual(['c1', 'c2']);
    const second = await store.list({ limit: 2, cursor: first.cursor });
    expect(second.items.map((d) => d.commandId)).toEqual(['c3']);
    await store.remove('c1');
    expect(await store.get('c1')).toBeNull();
    expect((await store.list()).items.map((d) => d.commandId)).toEqual(['c2', 'c3']);
  });
});
