/** The DefinitionStore (and DecisionStore) contract: versions by XML hash, the message start registry. */
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from './backends.ts';

const T0 = Date.UTC(2026, 0, 1);

describe.each(BACKENDS)('DefinitionStore: %s', (_name, backend) => {
  let b: Backend;
  beforeAll(async () => {
    b = await backend();
  });

  it('numbers versions per key; the same XML again is the same version', async () => {
    const store = b.definitions;
    expect(await store.deploy('order', '<a/>', 'h1', T0)).toEqual({ key: 'order', version: 1, hash: 'h1', deployedAt: T0, created: true });
    expect(await store.deploy('order', '<b/>', 'h2', T0 + 1)).toEqual({ key: 'order', version: 2, hash: 'h2', deployedAt: T0 + 1, created: true });
    expect(await store.deploy('order', '<a/>', 'h1', T0 + 2)).toEqual({ key: 'order', version: 1, hash: 'h1', deployedAt: T0, created: false });
    expect(await store.get('order', 2)).toEqual({ key: 'order', version: 2, hash: 'h2', deployedAt: T0 + 1, xml: '<b/>' });
    expect(await store.get('order', 3)).toBeNull();
    expect(await store.latest('order')).toEqual({ key: 'order', version: 2, hash: 'h2', deployedAt: T0 + 1 });
    expect((await store.versions('order')).map((v) => v.version)).toEqual([1, 2]);
    await store.deploy('billing', '<c/>', 'h3', T0);
    expect((await store.keys()).map((k) => [k.key, k.version])).toEqual([['billing', 1], ['order', 2]]);
    expect(await store.latest('nothing')).toBeNull();
  });

  it('keeps decisions apart from processes', async () => {
    await b.decisions.deploy('order', '<dmn/>', 'd1', T0);
    expect((await b.decisions.versions('order')).map((v) => v.hash)).toEqual(['d1']);
    expect((await b.definitions.versions('order')).map((v) => v.hash)).toEqual(['h1', 'h2']);
  });

  it('registers message starts per key: a newer version replaces them, an older one changes nothing', async () => {
    const store = b.definitions;
    await store.registerMessageStarts('shop', 2, [{ messageName: 'paid', startEventId: 's1', condition: null }, { messageName: 'placed', startEventId: 's2', condition: '=x > 1' }]);
    await store.registerMessageStarts('cart', 1, [{ messageName: 'paid', startEventId: 'c1', condition: null }]);
    expect(await store.messageStarts('paid')).toEqual([
      { messageName: 'paid', definitionKey: 'cart', version: 1, startEventId: 'c1', condition: null },
      { messageName: 'paid', definitionKey: 'shop', version: 2, startEventId: 's1', condition: null },
    ]);
    await store.registerMessageStarts('shop', 1, [{ messageName: 'old', startEventId: 'x', condition: null }]);
    expect(await store.messageStarts('old')).toEqual([]);
    await store.registerMessageStarts('shop', 3, [{ messageName: 'placed', startEventId: 's3', condition: null }]);
    expect((await store.messageStarts('paid')).map((s) => s.definitionKey)).toEqual(['cart']);
    expect(await store.messageStarts('placed')).toEqual([{ messageName: 'placed', definitionKey: 'shop', version: 3, startEventId: 's3', condition: null }]);
  });
});
