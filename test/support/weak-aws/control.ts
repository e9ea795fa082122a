/**
 * What both layers share: the switch (`set` / `off`), the seeded PRNG, the fault
 * counters, and the "transport" faults (latency, throttling, 500) that happen before a
 * request reaches AWS, at one of two places in the SDK's middleware stack:
 *
 * ```
 *  client.send(cmd)
 *   └ initialize ── weakAws<Service>            (semantic faults: stale reads, ambiguous writes, SQS faults)
 *      └ initialize ── weakAws<Service>Transport  placement 'call' (default): the caller sees the
 *         │                                       fault once, as after the SDK's retries ran out
 *         └ finalizeRequest ── retryMiddleware (maxAttempts)
 *            └ weakAws<Service>Transport         placement 'attempt': per HTTP attempt; the SDK
 *               └ … sign, send, deserialize       retries throttling / 500 as it would on AWS
 * ```
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/middleware.html
 */
import type { FinalizeRequestMiddleware, InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { fires, Random } from './random.ts';

/** Faults a request meets before it is sent: nothing of it reaches the emulator. */
export interface TransportFaults {
  throttle?: { probability: number };
  serverErrors?: { probability: number };
  latency?: { maxMs: number };
}

export interface WeakControl<F> {
  /** Replaces the whole fault plan (faults not named are off). */
  set(faults: F): void;
  /** Everything passes through untouched (counters and PRNG position are kept). */
  off(): void;
  /** How many of each fault were injected, by name (see README.md); live, never reset by set/off. */
  readonly stats: Record<string, number>;
  /** Restarts the PRNG: the same seed and the same requests give the same faults. */
  reseed(seed: number): void;
}

/** 'call': transport faults hit the whole call, above the SDK's retries; 'attempt': each HTTP attempt, below them. */
export type Placement = 'call' | 'attempt';

export class FaultSwitch<F extends TransportFaults> implements WeakControl<F> {
  readonly stats: Record<string, number> = {};
  readonly random: Random;
  private plan: F | null = null;

  constructor(seed: number, faults?: F) {
    this.random = new Random(seed);
    if (faults) this.plan = faults;
  }

  /** The current plan, or null when off. */
  get faults(): F | null {
    return this.plan;
  }

  set(faults: F): void {
    this.plan = faults;
  }

  off(): void {
    this.plan = null;
  }

  reseed(seed: number): void {
    this.random.reseed(seed);
  }

  count(fault: string, n = 1): void {
    this.stats[fault] = (this.stats[fault] ?? 0) + n;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the SDK-shaped errors of one service; `u` is a draw the factory may use to pick a variant. */
export interface TransportErrors {
  throttle(u: number): Error;
  server(): Error;
}

/**
 * Adds the transport faults to `stack` under `name`. Each request (or attempt) draws four
 * numbers whether or not a fault is on: latency, throttle, server error, error variant.
 */
export function addTransport<F extends TransportFaults, I extends object, O extends object>(
  stack: MiddlewareStack<I, O>, control: FaultSwitch<F>, errors: TransportErrors, name: string, placement: Placement,
): void {
  const middleware = (next: (args: never) => Promise<unknown>) => async (args: never) => {
    const faults = control.faults;
    if (!faults) return next(args);
    const [uLatency, uThrottle, uServer, uVariant] = control.random.draws(4) as [number, number, number, number];
    if (faults.latency && faults.latency.maxMs > 0) {
      control.count('latency');
      await sleep(Math.round(uLatency * faults.latency.maxMs));
    }
    if (fires(uThrottle, faults.throttle?.probability)) {
      control.count('throttles');
      throw errors.throttle(uVariant);
    }
    if (fires(uServer, faults.serverErrors?.probability)) {
      control.count('serverErrors');
      throw errors.server();
    }
    return next(args);
  };
  if (placement === 'call') {
    stack.add(middleware as unknown as InitializeMiddleware<I, O>, { step: 'initialize', priority: 'low', name });
  } else {
    stack.addRelativeTo(middleware as unknown as FinalizeRequestMiddleware<I, O>, { relation: 'after', toMiddleware: 'retryMiddleware', name });
  }
}
