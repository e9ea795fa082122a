/** The InstanceStore contract: conditional versions and head, command records, rejections, listings. */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstanceHead, InstanceStore, InstanceVersion } from '../../../lib/ports.ts';
import { BACKENDS, type Backend } from './backends.ts';

const T0 = Date.UTC(2026, 0, 1);

function version(instanceId: string, n: number, commandId = `c${n}`, extra: Partial<InstanceVersion> = {}): InstanceVersion {
  return {
    instanceId, version: n, commandId, command: { type: 'setVariables', variables: { n } }, definitionKey: 'order', definitionVersion: 1,
    state: { n } as never, events: [], effects: [], at: T0 + n, ...extra,
  };
}

function head(v: InstanceVersion, extra: Partial<InstanceHead> = {}): InstanceHead {
  return {
    instanceId: v.instanceId, version: v.version, status: 'active', definitionKey: v.definitionKey, definitionVersion: v.definitionVersion,
    businessKey: null, startedAt: T0, updatedAt: v.at, commandId: v.commandId, incidents: 0, ...extra,
  };
}

describe.each(BACKENDS)('InstanceStore: %s', (_name, backend) => {
  let b: Backend;
  let store: InstanceStore;
  beforeAll(async () => {
    b = await backend();
    store = b.instances;
  });

  it('creates a version once: a second put of the same number returns the existing one', async () => {
    expect(await store.putVersion(version('i1', 1))).toEqual({ ok: true });
    const again = await store.putVersion(version('i1', 1, 'other'));
    expect(again).toEqual({ ok: false, existing: version('i1', 1) });
    expect(await store.getVersion('i1', 1)).toEqual(version('i1', 1));
    expect(await store.getVersion('i1', 2)).toBeNull();
  });

  it('moves the head only from the version it names, and answers the current head otherwise', async () => {
    const v1 = version('i2', 1);
    const v2 = version('i2', 2);
    await store.putVersion(v1);
    await store.putVersion(v2);
    expect(await store.swapHead(head(v1), null)).toEqual({ ok: true });
    expect(await store.swapHead(head(v1), null)).toEqual({ ok: false, current: head(v1) });
    expect(await store.swapHead(head(v2), 7)).toEqual({ ok: false, current: head(v1) });
    expect(await store.swapHead(head(v2), 1)).toEqual({ ok: true });
    expect(await store.getHead('i2', true)).toEqual(head(v2));
  });

  it('loads the head and the highest version together (an orphan beyond the head shows)', async () => {
    expect(await store.load('nobody', true)).toEqual({ head: null, latest: null });
    const v1 = version('i3', 1);
    await store.putVersion(v1);
    await store.swapHead(head(v1), null);
    await store.putVersion(version('i3', 2));
    expect(await store.load('i3', true)).toEqual({ head: head(v1), latest: version('i3', 2) });
  });

  it('lists versions after a number, oldest first, and finds the version a command wrote among the recent ones', async () => {
    for (let n = 1; n <= 5; n++) await store.putVersion(version('i4', n));
    expect((await store.listVersions('i4', { after: 2 })).map((v) => v.version)).toEqual([3, 4, 5]);
    expect((await store.listVersions('i4', { after: 0, limit: 2 })).map((v) => v.version)).toEqual([1, 2]);
    expect((await store.findApplied('i4', 'c4', 3))?.version).toBe(4);
    expect(await store.findApplied('i4', 'c1', 3)).toBeNull();
    expect(await store.findApplied('i4', 'nope')).toBeNull();
  });

  it('keeps command records and rejections by command id', async () => {
    expect(await store.getCommandRecord('i5', 'msg-1')).toBeNull();
    await store.putCommandRecord('i5', 'msg-1', 3);
    await store.putCommandRecord('i5', 'msg-1', 3);
    expect(await store.getCommandRecord('i5', 'msg-1')).toBe(3);
    const rejection = { commandId: 'c9', instanceId: 'i5', code: 'NOT_FOUND', message: 'no such job', at: T0 };
    await store.putRejection(rejection);
    expect(await store.getRejection('i5', 'c9')).toEqual(rejection);
    expect(await store.getRejection('i5', 'c8')).toBeNull();
  });

  it('lists instances of a definition and status, newest start first, in pages', async () => {
    const key = `list-${Math.random().toString(36).slice(2, 8)}`;
    for (let n = 1; n <= 3; n++) {
      const v = version(`${key}-${n}`, 1, 'c1', { definitionKey: key });
      await store.putVersion(v);
      await store.swapHead(head(v, { startedAt: T0 + n * 1000, businessKey: `b${n}` }), null);
    }
    const done = version(`${key}-4`, 1, 'c1', { definitionKey: key });
    await store.putVersion(done);
    await store.swapHead(head(done, { status: 'completed' }), null);
    const first = await store.listInstances({ definitionKey: key, status: 'active', limit: 2 });
    expect(first.items.map((h) => [h.instanceId, h.businessKey, h.startedAt])).toEqual([[`${key}-3`, 'b3', T0 + 3000], [`${key}-2`, 'b2', T0 + 2000]]);
    const second = await store.listInstances({ definitionKey: key, status: 'active', limit: 2, cursor: first.cursor });
    expect(second.items.map((h) => h.instanceId)).toEqual([`${key}-1`]);
    expect(second.cursor).toBeNull();
    expect((await store.listInstances({ definitionKey: key, status: 'completed' })).items.map((h) => h.instanceId)).toEqual([`${key}-4`]);
  });

  it('refuses a version larger than the store takes, writing nothing', async () => {
    const small = b.smallInstances(2000);
    const big = version('i6', 1, 'c1', { state: { blob: randomBytes(4000).toString('base64') } as never });
    const result = await small.putVersion(big);
    expect(result.ok).toBe(false);
    expect('tooLarge' in result && result.tooLarge.limit).toBe(2000);
    expect(await small.getVersion('i6', 1)).toBeNull();
  });
});
