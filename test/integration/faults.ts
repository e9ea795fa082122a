/**
 * Fault injection around the ports (not mocks of AWS): the real DynamoDB store and
 * effect dispatcher run, and a crash is thrown at a chosen point of the protocol.
 */
import type { EffectEmitter, TransitionDeps } from '../../lib/app/transition.ts';
import type { InstanceHead, InstanceStore, InstanceVersion } from '../../lib/ports.ts';

export const CRASH_POINTS = ['beforePut', 'afterPut', 'midEmit', 'afterEmit', 'swapThenTimeout', 'beforeAck'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class Crash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`injected crash at ${point}`);
  }
}

/** Arms one crash; the next protocol step that reaches the point throws once. */
export class FaultPlan {
  armed: CrashPoint | null = null;
  fired = false;
  arm(point: CrashPoint): void {
    this.armed = point;
    this.fired = false;
  }
  hit(point: CrashPoint): void {
    if (this.armed === point && !this.fired) {
      this.fired = true;
      throw new Crash(point);
    }
  }
}

/** `store` with some of its methods replaced; every other call goes to `store` itself. */
export function storeWith(store: InstanceStore, overrides: Partial<InstanceStore>): InstanceStore {
  return new Proxy(store, {
    get(target, name) {
      if (Object.hasOwn(overrides, name)) return overrides[name as keyof InstanceStore];
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function faultyStore(store: InstanceStore, plan: FaultPlan): InstanceStore {
  return storeWith(store, {
    async putVersion(version: InstanceVersion) {
      plan.hit('beforePut');
      const result = await store.putVersion(version);
      if (result.ok) plan.hit('afterPut');
      return result;
    },
    async swapHead(head: InstanceHead, from: number | null) {
      const result = await store.swapHead(head, from);
      if (result.ok) plan.hit('swapThenTimeout');
      return result;
    },
  });
}

/** Emits effect by effect so a crash can land in the middle of a version's outbox. */
export function faultyEmitter(inner: EffectEmitter, plan: FaultPlan): EffectEmitter {
  return {
    async emit(version: InstanceVersion) {
      if (plan.armed === 'midEmit' && !plan.fired && version.effects.length > 0) {
        const half = { ...version, effects: version.effects.slice(0, Math.ceil(version.effects.length / 2)) };
        await inner.emit(half);
        plan.hit('midEmit');
      }
      await inner.emit(version);
      plan.hit('afterEmit');
    },
  };
}

export function faultyDeps(deps: TransitionDeps, plan: FaultPlan): TransitionDeps {
  return { ...deps, instances: faultyStore(deps.instances, plan), effects: faultyEmitter(deps.effects, plan) };
}
