/**
 * A small seeded PRNG (mulberry32: a 32-bit state advanced by a Weyl step and mixed by
 * two multiply-xorshift rounds). Not for cryptography; only so that a fault plan is
 * reproducible: the same seed and the same sequence of draws give the same numbers.
 */
export class Random {
  private state = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the sequence: after `reseed(s)` the draws are those of `new Random(s)`. */
  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Draws `n` numbers at once, so a request always consumes the same count whatever faults are on. */
  draws(n: number): number[] {
    return Array.from({ length: n }, () => this.next());
  }
}

/** True with probability `p` for a draw `u` in [0, 1); a missing or zero probability never fires. */
export function fires(u: number, p: number | undefined): boolean {
  return p !== undefined && p > 0 && u < p;
}
