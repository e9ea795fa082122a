/**
 * The subscription index on DynamoDB Local: a signal reaches every waiting instance, so a
 * lookup must follow DynamoDB's 1 MB pages instead of stopping at the first one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from './runtime.ts';

let rt: TestRuntime;
beforeAll(async () => { rt = await testRuntime(); });

const subscription = (i: number, condition: string | null) => ({
  type: 'subscription.opened' as const, subscriptionId: `inst-${i}.7`, instanceId: `inst-${i}`, elementId: 'wait',
  messageName: 'signal:shutdown', correlationKey: '', condition,
});

describe('subscription index', () => {
  it('finds every subscriber of a name across several 1 MB pages', async () => {
    // ~2.2 KB per item: 1,200 items are about 2.6 MB, three pages.
    const padding = `=${'true and '.repeat(220)}true`;
    const count = 1_200;
    for (let i = 0; i < count; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => rt.index.putSubscription(subscription(i + j, padding))));
    }
    const found = await rt.index.findSubscriptions('signal:shutdown', '');
    expect(found).toHaveLength(count);
    expect(new Set(found.map((s) => s.instanceId)).size).toBe(count);
    expect(await rt.index.findSubscriptions('signal:other', '')).toEqual([]);
  });
});
